/** The shipped default categories live in shared/ (the server seeds the same list). */
export { DEFAULT_CATEGORIES } from '../../../shared/categories.js';

// One definition for the desk and the server: shared/admin.ts (the server adds its password policy).
export { adminCategorySchema, adminUserSchema } from '../../../shared/admin.js';

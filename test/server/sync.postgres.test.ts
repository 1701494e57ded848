import { syncSuite } from './suite.js';

syncSuite('postgres');

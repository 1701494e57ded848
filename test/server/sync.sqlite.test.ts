import { syncSuite } from './suite.js';

syncSuite('sqlite');

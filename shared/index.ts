export * from './enums.js';
export * from './priority.js';
export * from './status.js';
export * from './sla.js';
export * from './schemas.js';
export * from './time.js';
export * from './hlc.js';
export * from './sync.js';

export * from './errors.js';
export * from './clock.js';
export * from './ids.js';
export * from './random.js';
export * from './logger.js';
export * from './readiness.js';
export * from './live-events.js';
export * from './weekly.js';

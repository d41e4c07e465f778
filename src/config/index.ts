export { ConfigSchema, usesEmulator, type Config } from './schema.js';
export { loadConfig, ConfigError, envKeys, projectRoot } from './load.js';

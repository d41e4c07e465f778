/** The drizzle schema: one file per area. drizzle-kit reads this file to generate migrations. */
export * from './org.js';
export * from './auth.js';
export * from './calls.js';
export * from './telephony.js';
export * from './contacts.js';
export * from './flows.js';
export * from './prompts.js';
export * from './mail.js';
export * from './routing.js';
export * from './dialer.js';

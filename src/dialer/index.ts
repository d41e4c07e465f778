/**
 * The dialer: campaign pacing (pure), abandon accounting, contact selection and compliance
 * rules, and a simulation of a campaign in virtual time. Other modules import dialer/ only
 * from here.
 */
export * from './dialer.model.js';
export { createDialer, stepDialer, countedAgents, callsInFlight, type DialerState, type StepResult, type CampaignStatus } from './dialer.logic.js';
export { progressivePacer, pacerFor, type PacingChoice } from './pacing.logic.js';
export { PredictivePacer, type PredictiveOptions, type PredictiveDiagnostics } from './predictive.logic.js';
export * from './abandon.logic.js';
export { wilsonInterval } from './stats.logic.js';
export * from './scenario.logic.js';
export * from './simulation.logic.js';

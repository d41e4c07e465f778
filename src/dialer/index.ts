/**
 * The dialer: campaign pacing (pure), abandon accounting, contact selection and compliance
 * rules, a simulation of a campaign in virtual time; contact groups, strategies, campaigns
 * and the checks made before each dial. Other modules import dialer/ only
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
export * from './compliance.logic.js';
export * from './campaign.logic.js';
export { dispositionActions, type Tabulated, type DispositionContext } from './disposition.logic.js';
export { DialerService, type DialerDeps, type CommandResult, type NextMember } from './dialer.service.js';
export { DialerRunner, DIALER_TRACE, type DialerRunnerDeps, type ServiceAgent, type DialRoute, type HandOffResult } from './dialer.runner.js';
export { dialerEventSchemas, dialerRoutes } from './dialer.routes.js';
export { AMD_DEFAULTS, amdVariables } from './campaigns.resource.js';

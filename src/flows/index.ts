/**
 * Call flows: time conditions, IVRs, announcements, voicemail, the satisfaction survey.
 * Other modules import flows/ only from here.
 */
export * from './time-condition.model.js';
export * from './time-condition.logic.js';
export * from './holidays.logic.js';
export * from './ivr.model.js';
export * from './ivr.logic.js';
export * from './ivr-sim.logic.js';
export * from './survey.model.js';
export * from './survey.logic.js';
export * from './ivr-check.logic.js';
export * from './caller-id.logic.js';
export * from './catalogs.js';
export { FlowsModule } from './flows.service.js';
export { flowsRoutes } from './flows.routes.js';
export { FlowRunner, type FlowRunnerDeps, type DestinationExecutor, type DestinationOutcome, type FlowRun, type AnnouncementScript, type ConferenceRoom } from './flow-runner.js';
export { runIvrSession, type PromptResolver, type IvrSink } from './ivr-session.js';
export * from './report.logic.js';
export { VoicemailStore, wavDurationMs } from './voicemail-store.js';

/**
 * Queues / ACD: the routing engine for every interaction, its agents, the queues resource and
 * the routing API. Other modules import routing/ only from here.
 */
import type { FastifyPluginAsync } from 'fastify';
import { recordingsRoutes } from './recordings.routes.js';
import { ReportsRepo } from './reports.repo.js';
import { reportsRoutes } from './reports.routes.js';
import { RoutingReports } from './reports.service.js';
import { RecordingsService } from './recordings.service.js';
import { routingRoutes } from './routing.routes.js';
import { RoutingService, type RoutingDeps } from './routing.service.js';

export * from './routing.model.js';
export type * from './acd.model.js';
export { routingEventSchemas } from './routing.schemas.js';
export { AcdEngine, type JoinResult, type QueueSnapshot } from './acd.service.js';
export { RoutingService, agentView, type AgentView } from './routing.service.js';
export { QueueVoice, type OutsideDialler, type QueueCallOutcome, type TalkState, type VoiceKind } from './voice.service.js';
export type { RecordingsService, RecordingView } from './recordings.service.js';

export interface RoutingModuleDeps extends RoutingDeps {
  /** Where recordings are kept (under `recordings/`). */
  dataDir: string;
}

export interface RoutingModule {
  service: RoutingService;
  recordings: RecordingsService;
  routes: FastifyPluginAsync[];
}

/** Makes the routing service, loads the engine from the database, and its routes. */
export function createRouting(deps: RoutingModuleDeps): RoutingModule {
  const service = new RoutingService(deps);
  service.load();
  const recordings = new RecordingsService({ repo: service.repo, dataDir: deps.dataDir, logger: deps.logger });
  const reports = new RoutingReports(service.repo, new ReportsRepo(deps.resources.database), deps.resources.clock);
  return { service, recordings, routes: [...routingRoutes(service), recordingsRoutes(recordings), reportsRoutes(reports)] };
}

/**
 * Queues / ACD: the routing engine for every interaction, its agents, the queues resource and
 * the routing API. Other modules import routing/ only from here.
 */
import type { FastifyPluginAsync } from 'fastify';
import { queueDayRoutes } from './queue-day.routes.js';
import { QueueDayService } from './queue-day.service.js';
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
export type { QueueDayService } from './queue-day.service.js';

export interface RoutingModuleDeps extends RoutingDeps {
  /** Where recordings are kept (under `recordings/`). */
  dataDir: string;
}

export interface RoutingModule {
  service: RoutingService;
  recordings: RecordingsService;
  /** A queue's day so far, for the supervisor's charts. */
  queueDay: QueueDayService;
  routes: FastifyPluginAsync[];
}

/** Makes the routing service, loads the engine from the database, and its routes. */
export function createRouting(deps: RoutingModuleDeps): RoutingModule {
  const service = new RoutingService(deps);
  service.load();
  const recordings = new RecordingsService({ repo: service.repo, dataDir: deps.dataDir, logger: deps.logger });
  const queueDay = new QueueDayService({ routing: service, clock: deps.resources.clock, timeZone: deps.timeZone });
  const reports = new RoutingReports(service.repo, new ReportsRepo(deps.resources.database), deps.resources.clock);
  return { service, recordings, queueDay, routes: [...routingRoutes(service), recordingsRoutes(recordings), queueDayRoutes(queueDay), reportsRoutes(reports)] };
}

/**
 * Queues / ACD: the routing engine for every interaction, its agents, the queues resource and
 * the routing API. Other modules import routing/ only from here.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { EventPublisher, Logger, Random } from '../kernel/index.js';
import type { ResourceContext } from '../resources/index.js';
import { recordingsRoutes } from './recordings.routes.js';
import { RecordingsService } from './recordings.service.js';
import type { CallerDirectory } from './routing.model.js';
import { routingRoutes } from './routing.routes.js';
import { RoutingService } from './routing.service.js';

export * from './routing.model.js';
export type * from './acd.model.js';
export { routingEventSchemas } from './routing.schemas.js';
export { AcdEngine, type JoinResult, type QueueSnapshot } from './acd.service.js';
export { RoutingService, agentView, type AgentView } from './routing.service.js';
export { QueueVoice, type QueueCallOutcome } from './voice.service.js';
export type { RecordingsService, RecordingView } from './recordings.service.js';

export interface RoutingModuleDeps {
  resources: ResourceContext;
  logger: Logger;
  random: Random;
  events: EventPublisher;
  timeZone: string;
  /** Where recordings are kept (under `recordings/`). */
  dataDir: string;
  /** The CRM's screen pop, in the contact book each queue names. */
  callers?: CallerDirectory;
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
  return { service, recordings, routes: [...routingRoutes(service), recordingsRoutes(recordings)] };
}

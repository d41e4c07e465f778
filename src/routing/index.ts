/**
 * Queues / ACD: the routing engine for every interaction, its agents, the queues resource and
 * the routing API. Other modules import routing/ only from here.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { EventPublisher, Logger, Random } from '../kernel/index.js';
import type { ResourceContext } from '../resources/index.js';
import { routingRoutes } from './routing.routes.js';
import { RoutingService } from './routing.service.js';

export * from './routing.model.js';
export type * from './acd.model.js';
export { routingEventSchemas } from './routing.schemas.js';
export { AcdEngine, type JoinResult, type QueueSnapshot } from './acd.service.js';
export { RoutingService, agentView, type AgentView } from './routing.service.js';
export { QueueVoice, type QueueCallOutcome } from './voice.service.js';

export interface RoutingModuleDeps {
  resources: ResourceContext;
  logger: Logger;
  random: Random;
  events: EventPublisher;
  timeZone: string;
}

export interface RoutingModule {
  service: RoutingService;
  routes: FastifyPluginAsync[];
}

/** Makes the routing service, loads the engine from the database, and its routes. */
export function createRouting(deps: RoutingModuleDeps): RoutingModule {
  const service = new RoutingService(deps);
  service.load();
  return { service, routes: routingRoutes(service) };
}

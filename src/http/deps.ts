import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config/index.js';
import type { Database_ } from '../db/client.js';
import type { Clock, Logger, Readiness } from '../kernel/index.js';

/**
 * What the HTTP app and its route plugins need from the composition root; tests build it with
 * their own. It lives below every feature module so that only `app.ts` knows them all.
 */
export interface AppDeps {
  config: Config;
  database: Database_;
  logger: Logger;
  clock: Clock;
  readiness: Readiness;
  /** More route plugins for /api/v1 chosen at start (the emulator's control surface in emulator mode). */
  extraRoutes?: FastifyPluginAsync[];
  /** Origins the web app may connect to besides its own (the webphone's SIP WebSocket). */
  connectSources?: string[];
}

export const API_PREFIX = '/api/v1';

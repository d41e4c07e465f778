import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.js';

/**
 * Every area's route plugin, mounted under `/api/v1`. Each plugin receives the app's
 * dependencies as its options. Add an area here; keep the plugins themselves thin.
 */
export const apiRoutes: FastifyPluginAsync<AppDeps>[] = [];

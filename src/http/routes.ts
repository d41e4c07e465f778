import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from './deps.js';
import { accountRoutes } from '../account/index.js';
import { auditRoutes } from '../audit/index.js';
import { authRoutes } from '../auth/index.js';
import { callsRoutes } from '../calls/index.js';
import { orgRoutes } from '../org/index.js';
import { systemInfoRoutes } from './system-info.routes.js';

/**
 * Every area's route plugin, mounted under `/api/v1`. Each plugin receives the app's
 * dependencies as its options. Add an area here; keep the plugins themselves thin.
 */
export const apiRoutes: FastifyPluginAsync<AppDeps>[] = [
  authRoutes,
  accountRoutes,
  orgRoutes,
  auditRoutes,
  callsRoutes,
  systemInfoRoutes,
];

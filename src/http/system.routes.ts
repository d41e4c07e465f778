import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from './deps.js';

const Probe = Type.Object({ ok: Type.Boolean(), reason: Type.Optional(Type.String()), detail: Type.Optional(Type.String()) });

/** Liveness and readiness, outside `/api/v1` and without authentication (for load balancers). */
export const systemRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  app.get(
    '/healthz',
    {
      schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        hide: true,
        response: {
          200: Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), Probe) }),
          503: Type.Object({ ready: Type.Boolean(), checks: Type.Record(Type.String(), Probe) }),
        },
      },
      logLevel: 'warn',
    },
    async (_req, reply) => {
      const r = deps.readiness.check();
      return reply.status(r.ready ? 200 : 503).send(r);
    },
  );
};

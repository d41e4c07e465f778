import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { SESSION_COOKIE } from '../auth/index.js';
import type { AppDeps } from './deps.js';

const Probe = Type.Object({ ok: Type.Boolean(), reason: Type.Optional(Type.String()), detail: Type.Optional(Type.String()) });

/**
 * Liveness and readiness, outside `/api/v1` and without authentication (for load balancers).
 * `/readyz` tells anyone ok / not ok per component, and a logged-in admin why.
 */
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
    async (req, reply) => {
      const r = deps.readiness.check();
      // Reasons and details name Asterisk's URL and host: only an admin who is logged in reads them.
      const who = app.auth.authenticate(req.cookies[SESSION_COOKIE])?.principal;
      const full = who !== undefined && (who.superUser || who.level === 'admin');
      const checks = full ? r.checks : Object.fromEntries(Object.entries(r.checks).map(([name, c]) => [name, { ok: c.ok }]));
      return reply.status(r.ready ? 200 : 503).send({ ready: r.ready, checks });
    },
  );
};

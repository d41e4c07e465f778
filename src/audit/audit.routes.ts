import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../http/deps.js';
import { principalOf, tenantScope } from '../auth/tenant-scope.js';
import { notFound } from '../kernel/index.js';
import { IdParams, Nullable, PageOf, PageQuery, pageOf } from '../http/schemas.js';

const Snapshot = Nullable(Type.Record(Type.String(), Type.Unknown()));
const AuditView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  actorUserId: Nullable(Type.Integer()),
  actorLogin: Nullable(Type.String()),
  entity: Type.String(),
  entityId: Type.String(),
  action: Type.String(),
  before: Snapshot,
  after: Snapshot,
  at: Type.String({ format: 'date-time' }),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
});
const AuditQuery = Type.Object(
  {
    ...PageQuery.properties,
    entity: Type.Optional(Type.String({ maxLength: 50 })),
    entityId: Type.Optional(Type.String({ maxLength: 50 })),
    actorUserId: Type.Optional(Type.Integer({ minimum: 1 })),
    action: Type.Optional(Type.String({ maxLength: 50 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const access = { access: { module: 'audit', action: 'read' } } as const;

/** The audit log, newest first. */
export const auditRoutes: FastifyPluginAsync<AppDeps> = async (instance) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const audit = instance.audit;

  app.get(
    '/audit',
    {
      config: access,
      schema: { tags: ['audit'], summary: 'Who changed what and when, with before/after', querystring: AuditQuery, response: { 200: PageOf(AuditView) } },
    },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const { items, total } = audit.list(
        tenantScope(req, q.tenantId),
        {
          entity: q.entity,
          entityId: q.entityId,
          actorUserId: q.actorUserId,
          action: q.action,
          from: q.from === undefined ? undefined : Date.parse(q.from),
          to: q.to === undefined ? undefined : Date.parse(q.to),
        },
        limit,
        offset,
      );
      return { items, total, limit, offset };
    },
  );

  app.get(
    '/audit/:id',
    { config: access, schema: { tags: ['audit'], params: IdParams, response: { 200: AuditView } } },
    async (req) => {
      const p = principalOf(req);
      const record = audit.get(req.params.id, p.superUser ? 'any' : p.tenantId);
      if (!record) throw notFound('audit record');
      return record;
    },
  );
};

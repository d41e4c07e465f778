import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../http/deps.js';
import { principalOf, tenantScope } from '../auth/tenant-scope.js';
import { invalidField, notFound } from '../kernel/index.js';
import { IdParams, MAX_ID, Nullable, PageOf, PageQuery, TenantQuery, pageOf, DateTime } from '../http/schemas.js';

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
    actorUserId: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'who: the user who made the change' })),
    action: Type.Optional(Type.String({ maxLength: 50 })),
    from: Type.Optional(DateTime({ description: 'at or after (ISO 8601 with offset)' })),
    to: Type.Optional(DateTime({ description: 'before (ISO 8601 with offset)' })),
    sort: Type.Optional(Type.Union([Type.Literal('-at'), Type.Literal('at')], { description: 'default -at: newest first' })),
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
      if (q.from !== undefined && q.to !== undefined && Date.parse(q.to) <= Date.parse(q.from)) throw invalidField('to', 'to must be after from');
      const { items, total } = audit.list(
        tenantScope(req, q.tenantId),
        {
          entity: q.entity,
          entityId: q.entityId,
          actorUserId: q.actorUserId,
          action: q.action,
          from: q.from === undefined ? undefined : Date.parse(q.from),
          to: q.to === undefined ? undefined : Date.parse(q.to),
          oldestFirst: q.sort === 'at',
        },
        limit,
        offset,
      );
      return { items, total, limit, offset };
    },
  );

  app.get(
    '/audit/facets',
    {
      config: access,
      schema: {
        tags: ['audit'],
        summary: 'The entities, actions and people found in the tenant’s audit log (for the filter lists)',
        querystring: TenantQuery,
        response: {
          200: Type.Object({
            entities: Type.Array(Type.String()),
            actions: Type.Array(Type.String()),
            actors: Type.Array(Type.Object({ userId: Type.Integer(), login: Type.String() })),
          }),
        },
      },
    },
    async (req) => audit.facets(tenantScope(req, req.query.tenantId)),
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

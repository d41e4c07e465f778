import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { actorOf, changeContextOf, tenantScope, type Module } from '../auth/index.js';
import { Id, IdParams, NoContent, PageOf, PageQuery, TenantQuery, closed, pageOf } from '../http/schemas.js';
import { atBodyPath, type ResourceService } from './resource.service.js';
import type { ScopedTable } from './resource.model.js';

export interface ResourceRoutesOptions<TBody extends TObject, TView extends TSchema> {
  /** Collection path under /api/v1, e.g. `/telephony/trunks`. */
  path: string;
  /** The permission module both read and write are checked against (src/auth/permissions.ts). */
  module: Module;
  /** OpenAPI tag. */
  tag: string;
  body: TBody;
  /** Default: every field of `body` optional. */
  patch?: TObject;
  view: TView;
  /** The answer to a create when it shows more than the view (see `revealOnCreate`); default `view`. */
  created?: TSchema;
  /** Extra list filters (query-string properties, each optional); the definition's `filter` reads them. */
  filters?: TProperties;
  /**
   * Routes the resource serves itself because their request is not one JSON body (a prompt is
   * created from an uploaded file); the service's method is still the one that writes.
   */
  except?: readonly ('create' | 'update' | 'delete')[];
  /** Query properties of `DELETE path/:id` (each optional), handed to the definition's `beforeDelete`. */
  deleteQuery?: TProperties;
  /** Also `PUT path`: creates, updates and deletes in one transaction (a list edited in place, then saved). */
  bulk?: { maxItems: number };
}

/**
 * The five routes of a resource: `GET path` (paged, `?q=` search, `?sort=[-]field`, filters),
 * `GET path/:id`, `POST path` (`?tenantId=` for a super user), `PATCH path/:id`, `DELETE path/:id`.
 */
export function resourceRoutes<T extends ScopedTable, TBody extends TObject, TView extends TSchema>(
  service: ResourceService<T, Static<TBody>, Static<TView>>,
  opts: ResourceRoutesOptions<TBody, TView>,
): FastifyPluginAsync {
  const sortKeys = Object.keys(service.def.sortable ?? {});
  const ListQuery = Type.Object(
    {
      ...PageQuery.properties,
      q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: `search ${service.def.label}s` })),
      ...(sortKeys.length > 0
        ? { sort: Type.Optional(Type.Union(sortKeys.flatMap((k) => [Type.Literal(k), Type.Literal(`-${k}`)]), { description: 'field; a leading - sorts descending' })) }
        : {}),
      ...opts.filters,
    },
    closed,
  );
  const Patch = opts.patch ?? Type.Partial(opts.body, closed);
  const read = { access: { module: opts.module, action: 'read' as const } };
  const write = { access: { module: opts.module, action: 'write' as const } };
  const tags = [opts.tag];
  const { label } = service.def;

  // Generic schemas defeat the TypeBox type provider's inference; Ajv has validated each
  // part against the schemas above before a handler runs, so the casts below are checked ones.
  type Req = FastifyRequest<{ Params: { id: number }; Querystring: ListQueryOf; Body: Record<string, unknown> }>;
  type BulkReq = FastifyRequest<{ Querystring: { tenantId?: number }; Body: { create?: Record<string, unknown>[]; update?: { id: number; patch: Record<string, unknown> }[]; remove?: number[] } }>;
  type ListQueryOf = Record<string, unknown> & { limit?: number; offset?: number; tenantId?: number };
  const view: TSchema = opts.view;
  const svc = service as unknown as ResourceService<T, Record<string, unknown>, Record<string, unknown>>;
  const serves = (route: 'create' | 'update' | 'delete') => !opts.except?.includes(route);
  return async (app) => {
    app.get(
      opts.path,
      { config: read, schema: { tags, summary: `List ${label}s`, querystring: ListQuery, response: { 200: PageOf(view) } } },
      async (req: Req) => svc.list(tenantScope(req, req.query.tenantId), { ...req.query, ...pageOf(req.query) }),
    );
    app.get(
      `${opts.path}/:id`,
      { config: read, schema: { tags, summary: `One ${label}`, params: IdParams, response: { 200: view } } },
      async (req: Req) => svc.get(actorOf(req), req.params.id),
    );
    if (serves('create')) {
      app.post(
        opts.path,
        { config: write, schema: { tags, summary: `Create a ${label}`, querystring: TenantQuery, body: opts.body, response: { 201: opts.created ?? view } } },
        async (req: Req, reply) => reply.status(201).send(svc.create(changeContextOf(req), tenantScope(req, req.query.tenantId), req.body)),
      );
    }
    if (serves('update')) {
      app.patch(
        `${opts.path}/:id`,
        { config: write, schema: { tags, summary: `Change a ${label}`, params: IdParams, body: Patch, response: { 200: view } } },
        async (req: Req) => svc.update(changeContextOf(req), req.params.id, req.body),
      );
    }
    if (serves('delete')) {
      app.delete(
        `${opts.path}/:id`,
        {
          config: write,
          schema: {
            tags,
            summary: `Delete a ${label} (refused while something refers to it)`,
            params: IdParams,
            ...(opts.deleteQuery ? { querystring: Type.Object(opts.deleteQuery, closed) } : {}),
            response: NoContent,
          },
        },
        async (req: Req, reply) => {
          svc.remove(changeContextOf(req), req.params.id, req.query);
          return reply.status(204).send(null);
        },
      );
    }
    if (opts.bulk) {
      const max = { maxItems: opts.bulk.maxItems };
      const Bulk = Type.Object(
        {
          create: Type.Optional(Type.Array(opts.body, max)),
          update: Type.Optional(Type.Array(Type.Object({ id: Id, patch: Patch }, closed), max)),
          remove: Type.Optional(Type.Array(Id, max)),
        },
        closed,
      );
      app.put(
        opts.path,
        {
          config: write,
          schema: {
            tags,
            summary: `Save several ${label}s at once: deletes, then updates, then creates, all or none`,
            querystring: TenantQuery,
            body: Bulk,
            response: { 200: Type.Object({ items: Type.Array(view) }) },
          },
        },
        async (req: BulkReq) => {
          try {
            return { items: svc.bulk(changeContextOf(req), tenantScope(req, req.query.tenantId), req.body) };
          } catch (e) {
            throw atBodyPath(e);
          }
        },
      );
    }
  };
}

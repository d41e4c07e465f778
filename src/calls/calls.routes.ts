import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppDeps } from '../http/deps.js';
import { principalOf, tenantScope } from '../auth/index.js';
import { errorBody } from '../http/errors.js';
import { Nullable } from '../http/schemas.js';
import type { Principal } from '../http/principal.js';
import { invalidField, notFound, type TenantId } from '../kernel/index.js';
import { MAX_ID, MAX_LIMIT, DateTime } from '../http/schemas.js';
import { callView, numberVariants, parseCallSort } from './calls.logic.js';
import { callDirections, callSortKeys, callStates, hangupParties, type CallFilters } from './calls.model.js';
import { createCallsRepo } from './calls.repo.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Super users may look at another tenant; anyone else naming one gets 404. */
const TenantQuery = Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Another tenant (super users only).' });

const ListQuery = Type.Object(
  {
    from: Type.Optional(DateTime({ description: 'Started at or after (ISO 8601 with offset).' })),
    to: Type.Optional(DateTime({ description: 'Started before (ISO 8601 with offset).' })),
    direction: Type.Optional(literals(callDirections)),
    number: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        pattern: '^[0-9 +().-]+$',
        description: 'A number in any format (+55 (11) 98765-4321, 011 98765-4321, 98765-4321) found in the from or to number; with or without country code and trunk zero.',
      }),
    ),
    state: Type.Optional(literals(callStates)),
    sort: Type.Optional(
      Type.Union(callSortKeys.flatMap((k) => [Type.Literal(k), Type.Literal(`-${k}`)]), {
        description: 'startedAt, answeredAt, endedAt, duration, from or to; a leading - sorts descending. Default -startedAt.',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: MAX_ID, default: 0 }),
    tenantId: Type.Optional(TenantQuery),
  },
  { additionalProperties: false },
);

const OneQuery = Type.Object({ tenantId: Type.Optional(TenantQuery) }, { additionalProperties: false });

const CallParams = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

/** A leg as the API shows it (also `data.call` of the events socket's call events). */
export const Call = Type.Object({
  callId: Type.String(),
  parentCallId: Nullable(Type.String()),
  channelId: Type.String(),
  channelName: Nullable(Type.String()),
  kind: Type.String({ description: 'Entry kind: inbound, internal, dialer, agent, outbound, snoop, e2e.' }),
  direction: literals(callDirections),
  from: Type.String(),
  fromName: Nullable(Type.String()),
  to: Type.String(),
  trunkRef: Nullable(Type.String({ description: 'span:<n> or trunk:<name>' })),
  state: literals(callStates),
  startedAt: Type.String({ format: 'date-time' }),
  answeredAt: Nullable(Type.String({ format: 'date-time' })),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  durationSeconds: Nullable(Type.Integer({ description: 'From start to end.' })),
  talkSeconds: Nullable(Type.Integer({ description: 'From answer to end.' })),
  cause: Nullable(Type.Integer({ description: 'Q.850 cause.' })),
  causeText: Nullable(Type.String()),
  hangupBy: Type.Union([literals(hangupParties), Type.Null()]),
  endReason: Nullable(Type.String()),
  trunkAttempts: Nullable(
    Type.Array(Type.Object({ trunk: Type.String(), outcome: Type.String(), cause: Type.Optional(Type.Integer()) }), {
      description: 'outbound calls: every trunk tried in failover order and what happened',
    }),
  ),
});

const CallList = Type.Object({
  items: Type.Array(Call),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

/** `GET /calls` and `GET /calls/:callId`: the principal's tenant's call records (agents: their own phone's). */
export const callsRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const repo = createCallsRepo(deps.database.db);
  const errors = { 400: errorBody, 401: errorBody, 403: errorBody };

  /** Agents are shown only legs of their own extension; undefined = no restriction. */
  const partyFor = (p: Principal): string | null | undefined =>
    p.level === 'agent' ? (repo.extensionOf(p.tenantId as TenantId, p.userId) ?? null) : undefined;

  app.get(
    '/calls',
    {
      config: { access: { module: 'calls', action: 'read' } },
      schema: {
        tags: ['calls'],
        summary: 'Call records, newest first',
        querystring: ListQuery,
        response: { 200: CallList, ...errors },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const p = principalOf(request);
      const from = q.from === undefined ? undefined : Date.parse(q.from);
      const to = q.to === undefined ? undefined : Date.parse(q.to);
      if (from !== undefined && to !== undefined && to <= from) throw invalidField('to', 'to must be after from');
      const numbers = q.number === undefined ? undefined : numberVariants(q.number);
      if (numbers?.length === 0) throw invalidField('number', 'number must contain at least one digit');
      const party = partyFor(p);
      if (party === null) return { items: [], total: 0, limit: q.limit, offset: q.offset };
      const filters: CallFilters = {
        from,
        to,
        direction: q.direction,
        numbers,
        state: q.state,
        party,
        sort: parseCallSort(q.sort),
        limit: q.limit,
        offset: q.offset,
      };
      const { items, total } = repo.list(tenantScope(request, q.tenantId) as TenantId, filters);
      return { items: items.map(callView), total, limit: q.limit, offset: q.offset };
    },
  );

  app.get(
    '/calls/:callId',
    {
      config: { access: { module: 'calls', action: 'read' } },
      schema: {
        tags: ['calls'],
        summary: 'One call record',
        params: CallParams,
        querystring: OneQuery,
        response: { 200: Call, 404: errorBody, ...errors },
      },
    },
    async (request) => {
      const { callId } = request.params as Static<typeof CallParams>;
      const { tenantId } = request.query as Static<typeof OneQuery>;
      const p = principalOf(request);
      const record = repo.get(tenantScope(request, tenantId) as TenantId, callId);
      const party = partyFor(p);
      if (!record || party === null || (party !== undefined && record.from !== party && record.to !== party)) {
        throw notFound('call');
      }
      return callView(record);
    },
  );
};

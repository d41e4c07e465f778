import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { changeContextOf, principalOf, tenantScope } from '../auth/index.js';
import { contactFilters } from '../contacts/index.js';
import { DateTime, Id, IdParams, Nullable, PageOf, PageQuery, RequiredText, TenantQuery, closed, pageOf } from '../http/schemas.js';
import { resourceRoutes } from '../resources/index.js';
import { CAMPAIGN_COMMANDS } from './campaign.logic.js';
import { DIAL_OUTCOMES } from './report.logic.js';
import { CAMPAIGN_STATES } from '../db/schema/index.js';
import { CampaignBody, CampaignView } from './campaigns.resource.js';
import type { DialerService } from './dialer.service.js';
import { ListBody, ListView, listFilters } from './lists.resource.js';
import { StrategyBody, StrategyView } from './strategies.resource.js';

const MemberView = Type.Object({
  id: Type.Integer(),
  contactId: Type.Integer(),
  name: Type.String(),
  doNotCall: Type.Boolean(),
  phones: Type.Array(Type.Object({ number: Type.String(), valid: Type.Boolean(), attempts: Type.Integer() })),
  attempts: Type.Integer(),
  lastOutcome: Nullable(Type.String()),
  retryAt: Nullable(DateTime()),
  callbackAt: Nullable(DateTime()),
  finished: Type.Boolean(),
});
const PreviewView = Type.Object({
  campaignId: Type.Integer(),
  campaignName: Type.String(),
  ready: Type.Boolean(),
  contact: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), phone: Type.String(), phones: Type.Array(Type.String()), doNotCall: Type.Boolean() })),
  attempts: Type.Integer(),
  lastOutcome: Nullable(Type.String()),
  since: DateTime(),
});
const ShortCallDayView = Type.Object({
  date: Type.String(),
  calls: Type.Integer(),
  short: Type.Integer(),
  share: Type.Number(),
  level: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('limit')]),
});

const Share = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const ByOutcome = Type.Object(Object.fromEntries(DIAL_OUTCOMES.map((o) => [o, Type.Integer({ minimum: 0 })])));
const Figures = Type.Object({
  attempts: Type.Integer({ minimum: 0 }),
  byOutcome: ByOutcome,
  connectRate: Share,
  humanRate: Share,
  abandonRate: Share,
  /** The true-abandon estimate: with the persons detection hung up (its hang-ups × the campaign's false-positive share). */
  estimatedAbandonRate: Share,
  tmoSeconds: Nullable(Type.Number({ minimum: 0 })),
  short: Type.Integer({ minimum: 0 }),
  shortShare: Share,
});
const Count = Type.Integer({ minimum: 0 });
const MonitorView = Type.Object({
  campaignId: Type.Integer(),
  name: Type.String(),
  mode: Type.String(),
  state: Type.String(),
  stateReason: Nullable(Type.String()),
  abandonTargetPercent: Type.Number(),
  abandonMaxPercent: Type.Number(),
  at: DateTime(),
  live: Nullable(
    Type.Object({
      dialing: Count,
      ringing: Count,
      screening: Count,
      waiting: Count,
      connected: Count,
      agents: Type.Object({ waiting: Count, talking: Count, wrapping: Count, paused: Count, previewing: Count }),
      dialLevel: Nullable(Type.Number({ minimum: 0 })),
      lines: Count,
      samples: Type.Array(Type.Object({ at: Type.Number(), dialLevel: Nullable(Type.Number()), abandonRate: Share })),
    }),
  ),
  today: Figures,
  overall: Figures,
  agents: Type.Array(Type.Object({ agentUserId: Type.Integer(), name: Type.String(), connected: Count, connectShare: Type.Number(), tmoSeconds: Type.Number() })),
  outcomes: Type.Array(Type.Object({ at: Type.Number(), byOutcome: ByOutcome })),
});
const ReportQuery = Type.Object(
  {
    from: Type.String({ format: 'date', maxLength: 10, description: 'first day (YYYY-MM-DD, São Paulo time)' }),
    to: Type.String({ format: 'date', maxLength: 10, description: 'last day, included' }),
    campaignId: Type.Optional(Id),
    tenantId: Type.Optional(Id),
  },
  closed,
);
const ReportRowView = Type.Composite([Type.Object({ campaignId: Type.Integer(), campaignName: Type.String(), date: Type.String() }), Figures]);

/** What the dialer pushes on the events socket, as the OpenAPI document shows it. */
export const dialerEventSchemas = [
  { type: 'dialer.preview', topic: 'agents', data: Type.Object({ userId: Type.Integer({ description: 'the agent whose preview offer changed: read GET /dialer/preview' }) }) },
  { type: 'dialer.campaign', topic: 'dialer', data: Type.Object({ monitor: MonitorView }) },
];

/** The dialer's REST resources: contact groups, strategies, campaigns and their controls. */
export function dialerRoutes(svc: DialerService): FastifyPluginAsync[] {
  const read = { access: { module: 'dialer', action: 'read' } } as const;
  const write = { access: { module: 'dialer', action: 'write' } } as const;
  const tags = ['dialer'];
  const extra: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/dialer/lists/active',
      {
        config: write,
        schema: {
          tags,
          summary: 'Activate or deactivate several contact groups at once (all or none)',
          querystring: TenantQuery,
          body: Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }), active: Type.Boolean() }, closed),
          response: { 200: Type.Object({ items: Type.Array(ListView) }) },
        },
      },
      async (req) => ({ items: svc.setListsActive(changeContextOf(req), tenantScope(req, req.query.tenantId), req.body.ids, req.body.active) }),
    );

    app.post(
      '/dialer/lists/:id/fill',
      {
        config: write,
        schema: {
          tags,
          summary: "Add the tenant's contacts that match a filter (the contacts list's filters) to a contact group",
          description: 'Refused (409 list_locked) once a campaign uses the group. Contacts already in it are counted, not repeated.',
          params: IdParams,
          querystring: TenantQuery,
          body: Type.Object({ filter: Type.Object(contactFilters, closed) }, closed),
          response: { 200: Type.Object({ matched: Type.Integer(), added: Type.Integer(), already: Type.Integer() }) },
        },
      },
      async (req) => svc.addFromContacts(changeContextOf(req), tenantScope(req, req.query.tenantId), req.params.id, req.body.filter),
    );

    app.get(
      '/dialer/lists/:id/members',
      {
        config: read,
        schema: { tags, summary: 'The contacts of a group, in dialing order, with where the dialer stands with each', params: IdParams, querystring: PageQuery, response: { 200: PageOf(MemberView) } },
      },
      async (req) => {
        const page = pageOf(req.query);
        return svc.members(tenantScope(req, req.query.tenantId), req.params.id, page.limit, page.offset);
      },
    );

    app.post(
      '/dialer/campaigns/:id/:command',
      {
        config: write,
        schema: {
          tags,
          summary: 'Start, pause, resume or stop a campaign',
          description: 'A running campaign that can dial nothing now says why in `idle` (no_lists, lists_inactive, exhausted, outside_window, no_agents). 409 for a command its state does not allow.',
          params: Type.Object({ id: Id, command: Type.Union(CAMPAIGN_COMMANDS.map((c) => Type.Literal(c))) }, closed),
          response: { 200: Type.Object({ campaign: CampaignView, idle: Type.Array(Type.String()) }) },
        },
      },
      async (req) => svc.command(changeContextOf(req), req.params.id, req.params.command),
    );

    const own = { access: { module: 'agent', action: 'read' } } as const;
    const ownWrite = { access: { module: 'agent', action: 'write' } } as const;
    const PreviewNow = Type.Object({ offer: Nullable(PreviewView) });

    app.get(
      '/dialer/preview',
      { config: own, schema: { tags, summary: 'The contact I am shown in a preview campaign (null when none)', response: { 200: PreviewNow } } },
      async (req) => {
        const { tenantId, userId } = principalOf(req);
        return { offer: svc.preview(tenantId, userId) };
      },
    );
    app.post(
      '/dialer/preview/accept',
      {
        config: ownWrite,
        schema: { tags, summary: 'Accept the contact I am shown: it is dialled now and connected to me', description: '409 when no contact is shown to me or no line is free.', response: { 200: Type.Object({ dialling: Type.Boolean() }) } },
      },
      async (req) => {
        const { tenantId, userId } = principalOf(req);
        return svc.acceptPreview(tenantId, userId);
      },
    );
    app.post(
      '/dialer/preview/skip',
      {
        config: ownWrite,
        schema: {
          tags,
          summary: 'Skip the contact I am shown, saying why; it goes back to the list (tried again after the strategy’s no-answer delay) and the next one is shown',
          body: Type.Object({ reason: RequiredText({ maxLength: 200 }) }, closed),
          response: { 200: PreviewNow },
        },
      },
      async (req) => ({ offer: svc.skipShownPreview(changeContextOf(req), principalOf(req).tenantId, req.body.reason) }),
    );

    app.get(
      '/dialer/campaigns/:id/monitor',
      {
        config: read,
        schema: {
          tags,
          summary: 'A campaign’s live monitor: calls dialling, ringing, waiting and connected, agents, rates today and overall, outcomes over the last hour',
          description: 'Pushed every 2 s while the campaign runs as `dialer.campaign` on the `dialer` topic of the events socket.',
          params: IdParams,
          querystring: TenantQuery,
          response: { 200: MonitorView },
        },
      },
      async (req) => svc.monitor(tenantScope(req, req.query.tenantId), req.params.id),
    );
    app.get(
      '/dialer/report',
      {
        config: read,
        schema: { tags, summary: 'The dialer report: per campaign and day, attempts by outcome, % connect, % human, abandon rate, TMO, short calls', querystring: ReportQuery, response: { 200: Type.Object({ items: Type.Array(ReportRowView) }) } },
      },
      async (req) => ({ items: svc.report(tenantScope(req, req.query.tenantId), req.query.from, req.query.to, req.query.campaignId) }),
    );
    app.get(
      '/dialer/report.csv',
      { config: read, schema: { tags, summary: 'The dialer report (CSV, ; separated, UTF-8)', querystring: ReportQuery, response: { 200: Type.String({ description: 'text/csv' }) } } },
      async (req, reply) => {
        const body = svc.reportCsv(tenantScope(req, req.query.tenantId), req.query.from, req.query.to, req.query.campaignId);
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', 'attachment; filename="relatorio-discador.csv"');
        return body;
      },
    );

    app.get(
      '/dialer/short-calls',
      {
        config: read,
        schema: {
          tags,
          summary: "Short calls per day (not completed, or ≤ 6 s): Anatel's measure, with a warning from 80 % and the 85 % limit",
          querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })), tenantId: Type.Optional(Id) }, closed),
          response: { 200: Type.Object({ items: Type.Array(ShortCallDayView) }) },
        },
      },
      async (req) => ({ items: svc.shortCalls(tenantScope(req, req.query.tenantId), req.query.days ?? 7) }),
    );
  };
  return [
    extra,
    resourceRoutes(svc.lists, { path: '/dialer/lists', module: 'dialer', tag: 'dialer', body: ListBody, view: ListView, filters: listFilters }),
    resourceRoutes(svc.strategies, { path: '/dialer/strategies', module: 'dialer', tag: 'dialer', body: StrategyBody, view: StrategyView }),
    resourceRoutes(svc.campaigns, {
      path: '/dialer/campaigns',
      module: 'dialer',
      tag: 'dialer',
      body: CampaignBody,
      view: CampaignView,
      filters: { state: Type.Optional(Type.Union(CAMPAIGN_STATES.map((s) => Type.Literal(s)))) },
    }),
  ];
}

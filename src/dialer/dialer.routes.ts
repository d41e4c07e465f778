import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { changeContextOf, tenantScope } from '../auth/index.js';
import { contactFilters } from '../contacts/index.js';
import { DateTime, Id, IdParams, Nullable, PageOf, PageQuery, TenantQuery, closed, pageOf } from '../http/schemas.js';
import { resourceRoutes } from '../resources/index.js';
import { CAMPAIGN_COMMANDS } from './campaign.logic.js';
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
const ShortCallDayView = Type.Object({
  date: Type.String(),
  calls: Type.Integer(),
  short: Type.Integer(),
  share: Type.Number(),
  level: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('limit')]),
});

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

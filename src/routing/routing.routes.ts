/**
 * The routing API: queues (resource routes), an agent's own state (log in, pause, ready),
 * supervisors' view and actions on agents, agents' settings and services, live queue state and
 * metrics. Handlers are thin: validate (schemas), scope the tenant, call the service.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOf, changeContextOf, principalOf, tenantScope } from '../auth/index.js';
import { Id, IdParams, TenantQuery, closed } from '../http/schemas.js';
import { resourceRoutes } from '../resources/index.js';
import { QueueBody, QueueView } from './queues.resource.js';
import {
  ActivityQuery,
  ActivityReportView,
  CallsReportView,
  AgentState,
  AgentTodayView,
  Csv,
  ExportQuery,
  MyServicesView,
  PauseBody,
  PeriodQuery,
  QueueLive,
  QueueMetricsView,
  ServicesBody,
  ServicesView,
  SettingsBody,
  SettingsView,
  UserParams,
  InteractionParams,
  MonitorBody,
  SupervisionView,
  OnBody,
  DialBody,
  DialView,
  TalkStateView,
  TransferBody,
  TransferTargetsView,
} from './routing.schemas.js';
import type { SlVariant } from './metrics.logic.js';
import type { RoutingService } from './routing.service.js';

const tags = ['routing'];

export function routingRoutes(routing: RoutingService): FastifyPluginAsync[] {
  const queues = resourceRoutes(routing.queues, {
    path: '/queues',
    module: 'queues',
    tag: 'routing',
    body: QueueBody,
    view: QueueView,
    filters: { active: Type.Optional(Type.Boolean()) },
  });
  const rest: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const own = { access: { module: 'agent', action: 'read' as const } };
    const ownWrite = { access: { module: 'agent', action: 'write' as const } };
    const me = (req: Parameters<typeof principalOf>[0]) => {
      const p = principalOf(req);
      return { tenantId: p.tenantId, userId: p.userId };
    };

    app.get('/agent', { config: own, schema: { tags, summary: 'My state as an agent', response: { 200: AgentState } } }, async (req) => {
      const { tenantId, userId } = me(req);
      return routing.agent(tenantId, userId);
    });
    app.get(
      '/agent/services',
      { config: own, schema: { tags, summary: 'The queues (services) I work, with my priority in each: what logging in takes me into', response: { 200: MyServicesView } } },
      async (req) => {
        const { tenantId, userId } = me(req);
        return { items: routing.servicesOfAgent(tenantId, userId) };
      },
    );
    app.get(
      '/agent/today',
      {
        config: own,
        schema: { tags, summary: 'My day so far: calls answered and placed, talk, pauses by reason, logged time; my services now (waiting, agents available)', response: { 200: AgentTodayView } },
      },
      async (req) => {
        const { tenantId, userId } = me(req);
        return routing.today(tenantId, userId);
      },
    );
    for (const action of ['login', 'logout', 'unpause', 'ready'] as const) {
      const summary = {
        login: 'Log in to my queues (within my working hours)',
        logout: 'Log out of my queues',
        unpause: 'Come back from a pause (or cancel one asked for while busy)',
        ready: 'End my wrap-up now',
      }[action];
      app.post(`/agent/${action}`, { config: ownWrite, schema: { tags, summary, response: { 200: AgentState } } }, async (req) => {
        const { tenantId, userId } = me(req);
        return routing[action](tenantId, userId);
      });
    }
    app.post(
      '/agent/pause',
      { config: ownWrite, schema: { tags, summary: 'Pause (starts when I am free, if I am busy)', body: PauseBody, response: { 200: AgentState } } },
      async (req) => {
        const { tenantId, userId } = me(req);
        return routing.pause(tenantId, userId, req.body.pauseTypeId);
      },
    );

    app.post(
      '/agent/dial',
      {
        config: { access: { module: 'dialout', action: 'write' } },
        schema: {
          tags,
          summary: 'Call a number outside from my desk: my phone rings, and once I answer the number is dialled through the outbound routes',
          body: DialBody,
          response: { 202: DialView },
        },
      },
      async (req, reply) => {
        const { tenantId, userId } = me(req);
        reply.code(202);
        return routing.dial(tenantId, userId, { number: req.body.number, contactId: req.body.contactId ?? null });
      },
    );

    app.get(
      '/agent/calls/:interactionId',
      { config: own, schema: { tags, summary: 'My call in conversation: on hold, muted', params: InteractionParams, response: { 200: TalkStateView } } },
      async (req) => {
        const { tenantId, userId } = me(req);
        return routing.callState(tenantId, userId, req.params.interactionId);
      },
    );
    const controls = {
      hold: { summary: 'Hold my customer (music on hold), or take them off hold', run: routing.holdCall.bind(routing) },
      mute: { summary: 'Mute myself on my call, or unmute', run: routing.muteCall.bind(routing) },
    };
    for (const [action, { summary, run }] of Object.entries(controls)) {
      app.post(
        `/agent/calls/:interactionId/${action}`,
        { config: ownWrite, schema: { tags, summary, params: InteractionParams, body: OnBody, response: { 200: TalkStateView } } },
        async (req) => {
          const { tenantId, userId } = me(req);
          return run(tenantId, userId, req.params.interactionId, req.body.on);
        },
      );
    }
    app.post(
      '/agent/calls/:interactionId/hangup',
      { config: ownWrite, schema: { tags, summary: 'Hang up my call (my leg; the customer hears the survey of its path, if any)', params: InteractionParams, response: { 204: Type.Null() } } },
      async (req, reply) => {
        const { tenantId, userId } = me(req);
        await routing.hangUpCall(tenantId, userId, req.params.interactionId);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/agent/transfer-targets',
      { config: own, schema: { tags, summary: 'Where I may transfer a call: the active queues my desk shows (#) and the agents logged in (@)', response: { 200: TransferTargetsView } } },
      async (req) => {
        const { tenantId, userId } = me(req);
        return routing.transferTargets(tenantId, userId);
      },
    );
    app.post(
      '/agent/calls/:interactionId/transfer',
      {
        config: ownWrite,
        schema: {
          tags,
          summary: 'Blind transfer of my call to a queue (#), another agent (@) or a number outside; my leg is hung up',
          params: InteractionParams,
          body: TransferBody,
          response: { 204: Type.Null() },
        },
      },
      async (req, reply) => {
        const { tenantId, userId } = me(req);
        await routing.transferCall(tenantId, userId, req.params.interactionId, req.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/agent/calls/:interactionId/consult',
      {
        config: ownWrite,
        schema: {
          tags,
          summary: 'Attended transfer: hold my customer and ring a queue (#), another agent (@) or a number outside to talk with first',
          params: InteractionParams,
          body: TransferBody,
          response: { 200: TalkStateView },
        },
      },
      async (req) => {
        const { tenantId, userId } = me(req);
        return routing.consultCall(tenantId, userId, req.params.interactionId, req.body);
      },
    );
    const consultActions = {
      'consult/cancel': { action: 'cancel', summary: 'Cancel my consult: the target is hung up, I am back with my customer' },
      conference: { action: 'conference', summary: 'Three-way conference: my customer, me and the consulted target together' },
    } as const;
    for (const [path, { action, summary }] of Object.entries(consultActions)) {
      app.post(
        `/agent/calls/:interactionId/${path}`,
        { config: ownWrite, schema: { tags, summary, params: InteractionParams, response: { 200: TalkStateView } } },
        async (req) => {
          const { tenantId, userId } = me(req);
          return routing.consultAction(tenantId, userId, req.params.interactionId, action);
        },
      );
    }
    const endings = {
      'consult/complete': { action: 'complete', summary: 'Complete my attended transfer (or leave the conference): the customer and the target talk on, my leg is hung up' },
      'conference/end': { action: 'end', summary: 'End the conference for everyone: the customer, the target and me are hung up' },
    } as const;
    for (const [path, { action, summary }] of Object.entries(endings)) {
      app.post(
        `/agent/calls/:interactionId/${path}`,
        { config: ownWrite, schema: { tags, summary, params: InteractionParams, response: { 204: Type.Null() } } },
        async (req, reply) => {
          const { tenantId, userId } = me(req);
          await routing.consultAction(tenantId, userId, req.params.interactionId, action);
          return reply.status(204).send(null);
        },
      );
    }

    const sup = { access: { module: 'supervision', action: 'read' as const } };
    const supWrite = { access: { module: 'supervision', action: 'write' as const } };
    app.get(
      '/agents',
      { config: sup, schema: { tags, summary: 'Agents and their live state (a supervisor sees its teams)', querystring: TenantQuery, response: { 200: Type.Object({ items: Type.Array(AgentState) }) } } },
      async (req) => ({ items: routing.agents(actorOf(req), tenantScope(req, req.query.tenantId)) }),
    );
    app.get(
      '/agents/:userId',
      { config: sup, schema: { tags, summary: "One agent's live state", params: UserParams, querystring: TenantQuery, response: { 200: AgentState } } },
      async (req) => {
        const tenantId = tenantScope(req, req.query.tenantId);
        routing.checkSupervises(actorOf(req), tenantId, req.params.userId);
        return routing.agent(tenantId, req.params.userId);
      },
    );
    app.post(
      '/agents/:userId/pause',
      { config: supWrite, schema: { tags, summary: 'Force an agent into a pause (audited)', params: UserParams, querystring: TenantQuery, body: PauseBody, response: { 200: AgentState } } },
      async (req) => routing.supervise(changeContextOf(req), tenantScope(req, req.query.tenantId), req.params.userId, 'pause', req.body.pauseTypeId),
    );
    for (const action of ['unpause', 'logout'] as const) {
      app.post(
        `/agents/:userId/${action}`,
        {
          config: supWrite,
          schema: { tags, summary: action === 'logout' ? 'Force an agent out of its queues (audited)' : 'End an agent’s pause (audited)', params: UserParams, querystring: TenantQuery, response: { 200: AgentState } },
        },
        async (req) => routing.supervise(changeContextOf(req), tenantScope(req, req.query.tenantId), req.params.userId, action),
      );
    }

    app.post(
      '/agents/:userId/monitor',
      {
        config: supWrite,
        schema: {
          tags,
          summary: "Listen to, whisper to or barge into an agent's call: rings my own extension (audited)",
          params: UserParams,
          querystring: TenantQuery,
          body: MonitorBody,
          response: { 200: SupervisionView },
        },
      },
      async (req) => routing.superviseCall(changeContextOf(req), tenantScope(req, req.query.tenantId), req.params.userId, req.body.mode),
    );
    app.delete(
      '/agents/:userId/monitor',
      {
        config: supWrite,
        schema: { tags, summary: "Stop listening to (whispering to, barging into) an agent's call: my leg and its snoop are hung up (audited)", params: UserParams, querystring: TenantQuery, response: { 204: Type.Null() } },
      },
      async (req, reply) => {
        await routing.stopSupervising(changeContextOf(req), tenantScope(req, req.query.tenantId), req.params.userId);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/agents/:userId/take-over',
      {
        config: supWrite,
        schema: {
          tags,
          summary: "Take an agent's call over: rings my own extension; on answer I talk with the customer and the agent's leg is hung up (audited)",
          params: UserParams,
          querystring: TenantQuery,
          response: { 200: SupervisionView },
        },
      },
      async (req) => routing.superviseCall(changeContextOf(req), tenantScope(req, req.query.tenantId), req.params.userId, 'takeover'),
    );

    const qRead = { access: { module: 'queues', action: 'read' as const } };
    const qWrite = { access: { module: 'queues', action: 'write' as const } };
    app.get(
      '/agents/settings',
      {
        config: qRead,
        schema: {
          tags,
          summary: "Several agents' skills, working hours and services (a page of the agents list)",
          querystring: Type.Object({ userId: Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'repeat the parameter' }), tenantId: Type.Optional(Id) }, closed),
          response: { 200: Type.Object({ items: Type.Array(SettingsView) }) },
        },
      },
      async (req) => ({ items: routing.settingsOfUsers(tenantScope(req, req.query.tenantId), req.query.userId) }),
    );
    app.get(
      '/agents/:userId/settings',
      { config: qRead, schema: { tags, summary: "An agent's skills, working hours and services", params: UserParams, querystring: TenantQuery, response: { 200: SettingsView } } },
      async (req) => routing.settings(tenantScope(req, req.query.tenantId), req.params.userId),
    );
    app.put(
      '/agents/:userId/settings',
      { config: qWrite, schema: { tags, summary: "Set an agent's skills and working hours", params: UserParams, querystring: TenantQuery, body: SettingsBody, response: { 200: SettingsView } } },
      async (req) => routing.saveSettings(changeContextOf(req), tenantScope(req, req.query.tenantId), req.params.userId, req.body),
    );
    app.put(
      '/agents/services',
      {
        config: qWrite,
        schema: { tags, summary: 'Add several users to queues and take them out of others, at once (all or nothing)', querystring: TenantQuery, body: ServicesBody, response: { 200: ServicesView } },
      },
      async (req) => ({
        items: routing.changeServices(
          changeContextOf(req),
          tenantScope(req, req.query.tenantId),
          req.body.userIds,
          (req.body.add ?? []).map((a) => ({ queueId: a.queueId, priority: a.priority ?? 1 })),
          req.body.remove ?? [],
        ),
      }),
    );

    app.get(
      '/queues/live',
      { config: sup, schema: { tags, summary: "Every queue now: waiting interactions and agents by state (a supervisor's: the queues its teams' agents are members of)", querystring: TenantQuery, response: { 200: Type.Object({ items: Type.Array(QueueLive) }) } } },
      async (req) => ({ items: routing.queuesLive(actorOf(req), tenantScope(req, req.query.tenantId)) }),
    );
    app.get(
      '/queues/:id/live',
      { config: sup, schema: { tags, summary: "One queue now (a supervisor's: 403 unless its teams' agents are members)", params: IdParams, querystring: TenantQuery, response: { 200: QueueLive } } },
      async (req) => {
        const tenantId = tenantScope(req, req.query.tenantId);
        const live = routing.queueLive(tenantId, req.params.id);
        routing.checkSeesQueue(actorOf(req), tenantId, live);
        return live;
      },
    );
    app.get(
      '/queues/metrics',
      {
        config: { access: { module: 'reports', action: 'read' } },
        schema: { tags, summary: 'Queue metrics over a period (recomputed from every interaction)', querystring: PeriodQuery, response: { 200: Type.Object({ items: Type.Array(QueueMetricsView) }) } },
      },
      async (req) => {
        const q = req.query;
        // The schema has checked it; the type provider types an optional Literals as unknown.
        const slVariant = q.slVariant as SlVariant | undefined;
        return { items: routing.metrics(tenantScope(req, q.tenantId), Date.parse(q.from), Date.parse(q.to), { queueId: q.queueId, slVariant }) };
      },
    );

    const reports = { access: { module: 'reports', action: 'read' as const } };
    const csv = (reply: { header(k: string, v: string): unknown }, name: string) => {
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${name}"`);
    };
    app.get(
      '/reports/calls',
      { config: reports, schema: { tags, summary: 'Calls per date or hour and queue', querystring: ExportQuery, response: { 200: CallsReportView } } },
      async (req) => {
        const q = req.query;
        return { items: routing.callsReport(tenantScope(req, q.tenantId), Date.parse(q.from), Date.parse(q.to), (q.by as 'date' | 'hour' | undefined) ?? 'date', q.queueId) };
      },
    );
    app.get(
      '/reports/agent-activity',
      { config: reports, schema: { tags, summary: "Agents' activity: every state and pause with its times", querystring: ActivityQuery, response: { 200: ActivityReportView } } },
      async (req) => ({ items: routing.activityReport(tenantScope(req, req.query.tenantId), Date.parse(req.query.from), Date.parse(req.query.to), req.query.userId) }),
    );
    app.get(
      '/queues/export/calls.csv',
      { config: reports, schema: { tags, summary: 'Calls per date or hour and queue (CSV)', querystring: ExportQuery, response: { 200: Csv } } },
      async (req, reply) => {
        const q = req.query;
        const by = (q.by as 'date' | 'hour' | undefined) ?? 'date';
        const body = routing.exportCalls(tenantScope(req, q.tenantId), Date.parse(q.from), Date.parse(q.to), by, q.queueId);
        csv(reply, `chamadas-por-${by === 'hour' ? 'hora' : 'data'}.csv`);
        return body;
      },
    );
    app.get(
      '/agents/export/activity.csv',
      { config: reports, schema: { tags, summary: "Agents' activity: every state and pause with its times (CSV)", querystring: ActivityQuery, response: { 200: Csv } } },
      async (req, reply) => {
        const q = req.query;
        const body = routing.exportActivity(tenantScope(req, q.tenantId), Date.parse(q.from), Date.parse(q.to), q.userId);
        csv(reply, 'atividade-dos-agentes.csv');
        return body;
      },
    );
  };
  return [queues, rest];
}

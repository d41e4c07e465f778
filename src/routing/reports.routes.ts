/**
 * The users report and the interaction map, as JSON for the screens and as CSV
 * (`;`-separated UTF-8 with BOM), under the reports permission.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantScope } from '../auth/index.js';
import { contactInteractions } from '../db/schema/index.js';
import { DateTime, Id, Literals, Nullable, closed } from '../http/schemas.js';
import type { CrmChannel } from './reports.repo.js';
import { ActivityQuery } from './routing.schemas.js';
import type { RoutingReports } from './reports.service.js';
import { CHANNELS } from './users-report.logic.js';

const tags = ['reports'];
const Seconds = Type.Integer({ description: 'seconds' });
const CRM_CHANNELS = contactInteractions.channel.enumValues;

export const UsersReportQuery = Type.Object({ ...ActivityQuery.properties, teamId: Type.Optional(Id), queueId: Type.Optional(Id) }, closed);

export const UsersReportView = Type.Object({
  from: DateTime(),
  to: DateTime(),
  items: Type.Array(
    Type.Object({
      userId: Type.Integer(),
      name: Type.String(),
      team: Nullable(Type.String()),
      loggedSeconds: Seconds,
      availableSeconds: Seconds,
      ringingSeconds: Seconds,
      busySeconds: Type.Integer({ description: 'seconds in attendance' }),
      wrapUpSeconds: Seconds,
      pausedSeconds: Seconds,
      pauses: Type.Array(Type.Object({ reason: Type.String(), seconds: Seconds, count: Type.Integer() })),
      channels: Type.Array(Type.Object({ channel: Literals(CHANNELS), attendances: Type.Integer(), talkSeconds: Seconds })),
      holdSeconds: Seconds,
      inbound: Type.Integer({ description: 'queue calls, chats and e-mails answered' }),
      outbound: Type.Integer({ description: 'dialer calls answered and calls placed' }),
      answered: Type.Integer(),
      offers: Type.Integer(),
      notAnswered: Type.Integer({ description: 'offers the agent did not answer' }),
      ahtSeconds: Nullable(Type.Number({ description: 'mean handle time (talk + hold + wrap-up), one decimal' })),
    }),
  ),
});

/** `queueId`: the service the interaction was in; `from`/`to`: when it started. */
export const InteractionMapQuery = Type.Object({ ...ActivityQuery.properties, queueId: Type.Optional(Id), channel: Type.Optional(Literals(CRM_CHANNELS)) }, closed);

const MapFigures = {
  count: Type.Integer(),
  share: Type.Number({ description: 'percent of every interaction of the report, one decimal' }),
  timed: Type.Integer({ description: 'interactions that ended, whose times are known' }),
  totalSeconds: Seconds,
  averageSeconds: Nullable(Type.Number({ description: 'seconds, one decimal' })),
};

export const InteractionMapView = Type.Object({
  from: DateTime(),
  to: DateTime(),
  total: Type.Integer(),
  groups: Type.Array(Type.Object({ group: Nullable(Type.String({ description: 'null: not tabulated' })), ...MapFigures })),
  lines: Type.Array(Type.Object({ group: Nullable(Type.String()), status: Nullable(Type.String({ description: 'null: not tabulated' })), statusId: Nullable(Type.Integer()), ...MapFigures })),
});

const iso = (at: number) => new Date(at).toISOString();

export function reportsRoutes(reports: RoutingReports): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const config = { access: { module: 'reports', action: 'read' as const } };
    const csv = <R extends { header(k: string, v: string): R }>(reply: R, name: string, from: number, to: number) =>
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}-${iso(from).slice(0, 10)}-${iso(to).slice(0, 10)}.csv"`);
    const period = (q: { from: string; to: string }) => [Date.parse(q.from), Date.parse(q.to)] as const;
    const mapFilter = (q: { queueId?: number; userId?: number; channel?: unknown }) => ({ queueId: q.queueId, userId: q.userId, channel: q.channel as CrmChannel | undefined });

    app.get(
      '/reports/users',
      { config, schema: { tags, summary: 'Users report: per agent, time logged in, available, in attendance, paused (per reason), talk per channel, inbound and outbound, offers, mean handle time', querystring: UsersReportQuery, response: { 200: UsersReportView } } },
      async (req) => {
        const [from, to] = period(req.query);
        return { from: iso(from), to: iso(to), items: reports.users(tenantScope(req, req.query.tenantId), from, to, req.query) };
      },
    );
    app.get(
      '/reports/users.csv',
      { config, schema: { tags, summary: 'The users report as CSV: one line per agent, a column per pause reason', querystring: UsersReportQuery, response: { 200: Type.String() } } },
      async (req, reply) => {
        const [from, to] = period(req.query);
        const body = reports.usersCsv(tenantScope(req, req.query.tenantId), from, to, req.query);
        return csv(reply, 'usuarios', from, to).send(body);
      },
    );
    app.get(
      '/reports/interaction-map',
      { config, schema: { tags, summary: 'Interaction map: interactions per tabulation status (by status group), share and times; the untabulated apart', querystring: InteractionMapQuery, response: { 200: InteractionMapView } } },
      async (req) => {
        const [from, to] = period(req.query);
        return { from: iso(from), to: iso(to), ...reports.interactionMap(tenantScope(req, req.query.tenantId), from, to, mapFilter(req.query)) };
      },
    );
    app.get(
      '/reports/interaction-map.csv',
      { config, schema: { tags, summary: 'The interaction map as CSV: one line per status with its group', querystring: InteractionMapQuery, response: { 200: Type.String() } } },
      async (req, reply) => {
        const [from, to] = period(req.query);
        const body = reports.interactionMapCsv(tenantScope(req, req.query.tenantId), from, to, mapFilter(req.query));
        return csv(reply, 'mapa-de-interacoes', from, to).send(body);
      },
    );
  };
}

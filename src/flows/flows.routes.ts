import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { actorOf, changeContextOf, tenantScope } from '../auth/index.js';
import { IdParams, NoContent, PageOf, PageQuery, TenantQuery, closed, pageOf } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import { resourceRoutes } from '../resources/index.js';
import { iso } from './flows-context.js';
import type { FlowsModule } from './flows.service.js';
import { SOUND_NAMES } from './catalogs.js';
import { ivrReportCsv } from './report.logic.js';
import {
  CallFlowParams,
  CallFlowView,
  CatalogQuery,
  IvrReportQuery,
  SurveyReportQuery,
  SurveyReportView,
  MessageParams,
  MessagePatch,
  VoicemailMessageView,
  IvrReportView,
  CatalogView,
  HolidayCalendarBody,
  HolidayCalendarView,
  HolidayDayView,
  IvrBody,
  IvrVersionView,
  IvrView,
  StatusQuery,
  SurveyBody,
  SurveyView,
  TimeConditionBody,
  TimeConditionStatusView,
  TimeConditionView,
  VersionParams,
  VoicemailBoxBody,
  VoicemailBoxView,
} from './flows.schemas.js';
import { holidayCatalog, holidayCities, holidayStates } from './holidays.logic.js';

const read = { access: { module: 'flows' as const, action: 'read' as const } };
const write = { access: { module: 'flows' as const, action: 'write' as const } };
const tags = ['flows'];

const MessagesQuery = Type.Object(
  { unheard: Type.Optional(Type.Boolean({ description: 'only messages nobody has heard' })), limit: PageQuery.properties.limit, offset: PageQuery.properties.offset },
  closed,
);
const YearQuery = Type.Object({ year: Type.Integer({ minimum: 1970, maximum: 2200 }) }, closed);

/** Parses an optional ISO instant from a query (the schema checked its format). */
export function instantOf(value: string | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidField(field, `${field}: not a date-time`);
  return ms;
}

/** The call-flow API: the five routes of each resource, and what they cannot express. */
export function flowsRoutes(flows: FlowsModule, now: () => number): FastifyPluginAsync {
  return async (app) => {
    for (const plugin of [
      resourceRoutes(flows.calendars, { path: '/flows/holiday-calendars', module: 'flows', tag: 'flows', body: HolidayCalendarBody, view: HolidayCalendarView }),
      resourceRoutes(flows.timeConditions, { path: '/flows/time-conditions', module: 'flows', tag: 'flows', body: TimeConditionBody, view: TimeConditionView }),
      resourceRoutes(flows.ivrs, { path: '/flows/ivrs', module: 'flows', tag: 'flows', body: IvrBody, view: IvrView }),
      resourceRoutes(flows.surveys, { path: '/flows/surveys', module: 'flows', tag: 'flows', body: SurveyBody, view: SurveyView }),
      resourceRoutes(flows.voicemailBoxes, { path: '/flows/voicemail-boxes', module: 'flows', tag: 'flows', body: VoicemailBoxBody, view: VoicemailBoxView }),
    ]) {
      await app.register(plugin);
    }

    app.get(
      '/flows/sounds',
      {
        config: read,
        schema: {
          tags,
          summary: "Atende's own prompts a flow may play (`{kind:'sound', name}`), by name",
          response: { 200: Type.Object({ names: Type.Array(Type.String({ maxLength: 64 })) }) },
        },
      },
      async () => ({ names: [...SOUND_NAMES].sort() }),
    );

    app.get(
      '/flows/holidays/catalog',
      {
        config: read,
        schema: { tags, summary: 'The holiday library’s days for a region and year, and the states and cities it knows', querystring: CatalogQuery, response: { 200: CatalogView } },
      },
      async (req: FastifyRequest<{ Querystring: { year: number; state?: string; city?: string } }>) => {
        const { year, state, city } = req.query;
        const states = holidayStates();
        if (state && !Object.hasOwn(states, state)) throw invalidField('state', `state: ${state} is not a Brazilian state`);
        const cities = state ? holidayCities(state) : {};
        if (city && !Object.hasOwn(cities, city)) {
          throw invalidField('city', state ? `city: the holiday library knows no city ${city} in ${state}` : `city: the holiday library knows no city ${city}`);
        }
        return { states, cities, holidays: holidayCatalog({ state: state ?? null, city: city ?? null }, year) };
      },
    );

    app.get(
      '/flows/holiday-calendars/:id/days',
      { config: read, schema: { tags, summary: 'The days a calendar keeps closed in a year', params: IdParams, querystring: YearQuery, response: { 200: Type.Array(HolidayDayView) } } },
      async (req: FastifyRequest<{ Params: { id: number }; Querystring: { year: number } }>) => flows.calendarDays(actorOf(req), req.params.id, req.query.year),
    );

    app.get(
      '/flows/time-conditions/:id/status',
      {
        config: read,
        schema: { tags, summary: 'Open or closed now (or at `at`), the rule that decided and where a call goes', params: IdParams, querystring: StatusQuery, response: { 200: TimeConditionStatusView } },
      },
      async (req: FastifyRequest<{ Params: { id: number }; Querystring: { at?: string } }>) =>
        flows.status(actorOf(req), req.params.id, instantOf(req.query.at, 'at', now())),
    );

    app.get(
      '/flows/ivrs/:id/versions',
      { config: read, schema: { tags, summary: 'Every version of an IVR, newest first', params: IdParams, response: { 200: Type.Array(IvrVersionView) } } },
      async (req: FastifyRequest<{ Params: { id: number } }>) => flows.versions(actorOf(req), req.params.id),
    );
    app.get(
      '/flows/ivrs/:id/versions/:version',
      { config: read, schema: { tags, summary: 'One version of an IVR', params: VersionParams, response: { 200: IvrVersionView } } },
      async (req: FastifyRequest<{ Params: { id: number; version: number } }>) => flows.version(actorOf(req), req.params.id, req.params.version),
    );
    app.post(
      '/flows/ivrs/:id/versions/:version/restore',
      {
        config: write,
        schema: { tags, summary: 'Make an old version current again (as a new version that copies it)', params: VersionParams, response: { 200: IvrView } },
      },
      async (req: FastifyRequest<{ Params: { id: number; version: number } }>) => flows.restore(changeContextOf(req), req.params.id, req.params.version),
    );

    type MessageReq = FastifyRequest<{ Params: { id: number; messageId: number }; Body: { heard: boolean } }>;
    app.get(
      '/flows/voicemail-boxes/:id/messages',
      { config: read, schema: { tags, summary: "A box's messages, newest first", params: IdParams, querystring: MessagesQuery, response: { 200: PageOf(VoicemailMessageView) } } },
      async (req: FastifyRequest<{ Params: { id: number }; Querystring: { unheard?: boolean; limit?: number; offset?: number } }>) =>
        flows.messages(actorOf(req), req.params.id, { unheard: req.query.unheard, ...pageOf(req.query) }),
    );
    app.get(
      '/flows/voicemail-boxes/:id/messages/:messageId/audio',
      { config: read, schema: { tags, summary: 'A message as 8 kHz WAV, for the browser to play', params: MessageParams } },
      async (req: MessageReq, reply) => {
        const { stream, size } = flows.messageAudio(actorOf(req), req.params.id, req.params.messageId);
        return reply.header('content-type', 'audio/wav').header('content-length', String(size)).header('cache-control', 'private, no-store').send(stream);
      },
    );
    app.patch(
      '/flows/voicemail-boxes/:id/messages/:messageId',
      { config: write, schema: { tags, summary: 'Mark a message heard or unheard', params: MessageParams, body: MessagePatch, response: { 200: VoicemailMessageView } } },
      async (req: MessageReq) => flows.setHeard(changeContextOf(req), req.params.id, req.params.messageId, req.body.heard),
    );
    app.delete(
      '/flows/voicemail-boxes/:id/messages/:messageId',
      { config: write, schema: { tags, summary: 'Delete a message and its audio', params: MessageParams, response: NoContent } },
      async (req: MessageReq, reply) => {
        flows.deleteMessage(changeContextOf(req), req.params.id, req.params.messageId);
        return reply.status(204).send(null);
      },
    );

    const reports = { access: { module: 'reports' as const, action: 'read' as const } };
    type ReportReq = FastifyRequest<{ Querystring: { from: string; to: string; ivrId?: number[]; tenantId?: number } }>;
    const report = (req: ReportReq) => {
      const from = instantOf(req.query.from, 'from', 0);
      const to = instantOf(req.query.to, 'to', 0);
      if (to <= from) throw invalidField('to', 'to: must be after from');
      if (to - from > MAX_REPORT_DAYS * 86_400_000) throw invalidField('to', `to: at most ${MAX_REPORT_DAYS} days after from`);
      return { from, to, lines: flows.ivrReport(tenantScope(req, req.query.tenantId), from, to, req.query.ivrId) };
    };
    app.get(
      '/reports/ivr',
      { config: reports, schema: { tags: ['reports'], summary: 'IVR report: per IVR and node, entries, options, timeouts, invalids, exits, abandons', querystring: IvrReportQuery, response: { 200: IvrReportView } } },
      async (req: ReportReq) => {
        const r = report(req);
        return { from: iso(r.from), to: iso(r.to), lines: r.lines };
      },
    );
    app.get(
      '/reports/ivr.csv',
      { config: reports, schema: { tags: ['reports'], summary: 'The IVR report as CSV (semicolon-separated, UTF-8)', querystring: IvrReportQuery, response: { 200: Type.String() } } },
      async (req: ReportReq, reply) => {
        const r = report(req);
        const name = `ivr-report-${iso(r.from).slice(0, 10)}-${iso(r.to).slice(0, 10)}.csv`;
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(ivrReportCsv(r.lines));
      },
    );

    type SurveyReq = FastifyRequest<{ Querystring: { surveyId: number; from: string; to: string; queueId?: number; tenantId?: number } }>;
    const survey = (req: SurveyReq) => {
      const from = instantOf(req.query.from, 'from', 0);
      const to = instantOf(req.query.to, 'to', 0);
      if (to <= from) throw invalidField('to', 'to: must be after from');
      if (to - from > MAX_REPORT_DAYS * 86_400_000) throw invalidField('to', `to: at most ${MAX_REPORT_DAYS} days after from`);
      return { from, to, ...flows.surveyReport(tenantScope(req, req.query.tenantId), req.query.surveyId, from, to, req.query.queueId) };
    };
    app.get(
      '/reports/survey',
      {
        config: reports,
        schema: {
          tags: ['reports'],
          summary: 'Satisfaction survey: per question (answers, average, marks), weighted average, per service and agent, one line per call',
          querystring: SurveyReportQuery,
          response: { 200: SurveyReportView },
        },
      },
      async (req: SurveyReq) => {
        const { from, to, report } = survey(req);
        return { from: iso(from), to: iso(to), ...report, calls: report.calls.map((c) => ({ ...c, answeredAt: iso(c.answeredAt) })) };
      },
    );
    app.get(
      '/reports/survey.csv',
      { config: reports, schema: { tags: ['reports'], summary: 'The survey report as CSV: one line per call, one column per question (its alias)', querystring: SurveyReportQuery, response: { 200: Type.String() } } },
      async (req: SurveyReq, reply) => {
        const r = survey(req);
        const name = `pesquisa-${req.query.surveyId}-${iso(r.from).slice(0, 10)}-${iso(r.to).slice(0, 10)}.csv`;
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(r.csv());
      },
    );

    app.get(
      '/flows/calls/:callId',
      { config: reports, schema: { tags, summary: "A call's IVR steps, collected values and survey answers (supervisors and admins)", params: CallFlowParams, querystring: TenantQuery, response: { 200: CallFlowView } } },
      async (req: FastifyRequest<{ Params: { callId: string }; Querystring: { tenantId?: number } }>) => flows.callFlow(tenantScope(req, req.query.tenantId), req.params.callId),
    );
  };
}

const MAX_REPORT_DAYS = 366;

/**
 * The call-flow module: its resources on the generic mechanism, what it tells other modules
 * about its destinations, who points at what, and the operations beyond create/read/update/
 * delete (time-condition status, IVR versions, voicemail messages, the IVR report).
 */
import { eq } from 'drizzle-orm';
import { ivrs, surveys, timeConditions, voicemailBoxes } from '../db/schema/index.js';
import { API_PREFIX } from '../http/deps.js';
import type { Actor, ChangeContext } from '../http/principal.js';
import { invalidField, localDate, localTime as wallClock, notFound } from '../kernel/index.js';
import { ResourceService, type Referrer, type ResourceContext } from '../resources/index.js';
import type { DestinationCatalog, PromptCatalog } from './catalogs.js';
import { ENTITY_OF_KIND, type Destination, type RowDestinationKind } from '../calls/index.js';
import { iso } from './flows-context.js';
import { FlowsRepo } from './flows.repo.js';
import { calendarRules, holidayCalendarDef } from './holiday-calendar.resource.js';
import { holidayDays } from './holidays.logic.js';
import { ivrReferences, silentExits } from './ivr-check.logic.js';
import type { IvrDefinition, PromptRef } from './ivr.model.js';
import { currentIvrDefinition, ivrDef, ivrVersion, ivrVersionList, type IvrVersion } from './ivr.resource.js';
import { surveyDef, surveyScript } from './survey.resource.js';
import { surveyReport, surveyReportCsv, type SurveyReport } from './survey-report.logic.js';
import { destinationOf, evaluate, localTime } from './time-condition.logic.js';
import type { Decision, ExceptionDay, TimeConditionRules } from './time-condition.model.js';
import { timeConditionDef, timeConditionTargets, type TimeConditionRow } from './time-condition.resource.js';
import { voicemailBoxDef } from './voicemail.resource.js';
import type { IvrReportLine } from './report.logic.js';
import { VoicemailStore } from './voicemail-store.js';
import type { VoicemailMessageRow } from './flows.repo.js';

export const voicemailAudioUrl = (boxId: number, messageId: number) => `${API_PREFIX}/flows/voicemail-boxes/${boxId}/messages/${messageId}/audio`;

const messageView = (m: VoicemailMessageRow) => ({
  id: m.id,
  boxId: m.boxId,
  callId: m.callId,
  from: m.fromNumber,
  fromName: m.fromName,
  durationMs: m.durationMs,
  recordedAt: iso(m.recordedAt),
  heardAt: m.heardAt === null ? null : iso(m.heardAt),
  heardBy: m.heardBy,
  audioUrl: voicemailAudioUrl(m.boxId, m.id),
});

const visible = (actor: Actor, tenantId: number) => actor.superUser || actor.tenantId === tenantId;

export class FlowsModule {
  readonly destinations: DestinationCatalog;
  readonly repo: FlowsRepo;
  readonly calendars;
  readonly timeConditions;
  readonly ivrs;
  readonly surveys;
  readonly voicemailBoxes;
  readonly voicemail: VoicemailStore;
  private prompts: PromptCatalog | undefined;
  private readonly holidayCache = new Map<string, ExceptionDay[]>();

  constructor(
    private readonly ctx: ResourceContext,
    private readonly opts: { dataDir: string; destinations: DestinationCatalog; timeZone: string },
  ) {
    this.destinations = opts.destinations;
    this.voicemail = new VoicemailStore(opts.dataDir);
    const flows = { destinations: this.destinations, prompts: () => this.prompts };
    this.repo = new FlowsRepo(ctx.database.db);
    this.calendars = new ResourceService(holidayCalendarDef, ctx);
    this.timeConditions = new ResourceService(timeConditionDef(flows), ctx);
    this.ivrs = new ResourceService(ivrDef(flows), ctx);
    this.surveys = new ResourceService(surveyDef(flows), ctx);
    this.voicemailBoxes = new ResourceService(voicemailBoxDef(flows), ctx);
    this.registerExits();
    this.registerReferences();
    // A deleted box takes its messages' files with it, once the delete has committed.
    ctx.changes.subscribe((c) => {
      if (c.entity === 'voicemail_box' && c.action === 'delete') this.voicemail.removeBox({ tenantId: c.tenantId, boxId: c.id });
    });
  }

  /** The prompts module, once it exists: IVRs, surveys and greetings may then use the tenant's prompts. */
  usePrompts(prompts: PromptCatalog): void {
    this.prompts = prompts;
  }

  promptCatalog(): PromptCatalog | undefined {
    return this.prompts;
  }

  private registerExits(): void {
    this.destinations.registerSilentExits('ivr', (t, id) => {
      const row = this.ivrs.row(t, id);
      return row ? silentExits(this.currentDefinition(row)) : [];
    });
    this.destinations.registerSilentExits('time_condition', (t, id) => {
      const row = this.timeConditions.row(t, id);
      return row ? timeConditionTargets(row).map((x) => x.destination) : [];
    });
  }

  /** What points at a row of another entity, so that deleting it is refused with the list. */
  private registerReferences(): void {
    const refs = this.ctx.references;
    const db = this.ctx.database.db;
    refs.add('holiday_calendar', (tenantId, id) =>
      this.timeConditions
        .rows(tenantId)
        .filter((r) => r.calendarId === id)
        .map((r) => ({ entity: 'time_condition', id: r.id, name: r.name })),
    );
    refs.add('survey', (tenantId, id) =>
      this.ivrs
        .rows(tenantId)
        .filter((r) => r.surveyId === id)
        .map((r) => ({ entity: 'ivr', id: r.id, name: r.name })),
    );
    const usesPrompt = (list: PromptRef[], id: number) => list.some((p) => p.kind === 'prompt' && p.id === id);
    refs.add('prompt', (tenantId, id): Referrer[] => [
      ...this.ivrs
        .rows(tenantId)
        .filter((r) => ivrReferences(this.currentDefinition(r)).prompts.some((p) => p.ref.kind === 'prompt' && p.ref.id === id))
        .map((r) => ({ entity: 'ivr', id: r.id, name: r.name })),
      ...db
        .select()
        .from(surveys)
        .where(eq(surveys.tenantId, tenantId))
        .all()
        .filter((s) => [s.intro, s.invalidPrompt, s.thanks, ...s.questions.map((q) => q.prompt)].some((l) => usesPrompt(l, id)))
        .map((s) => ({ entity: 'survey', id: s.id, name: s.name })),
      ...db
        .select()
        .from(voicemailBoxes)
        .where(eq(voicemailBoxes.tenantId, tenantId))
        .all()
        .filter((b) => usesPrompt(b.greeting, id))
        .map((b) => ({ entity: 'voicemail_box', id: b.id, name: b.name })),
    ]);
    for (const [kind, entity] of Object.entries(ENTITY_OF_KIND) as [RowDestinationKind, string][]) {
      const pointsHere = (d: Destination, id: number) => d.kind === kind && 'id' in d && d.id === id;
      refs.add(entity, (tenantId, id): Referrer[] => [
        ...db
          .select()
          .from(timeConditions)
          .where(eq(timeConditions.tenantId, tenantId))
          .all()
          .filter((r) => timeConditionTargets(r).some((t) => pointsHere(t.destination, id)))
          .map((r) => ({ entity: 'time_condition', id: r.id, name: r.name })),
        ...db
          .select()
          .from(ivrs)
          .where(eq(ivrs.tenantId, tenantId))
          .all()
          .filter((r) => ivrReferences(this.currentDefinition(r)).destinations.some((d) => pointsHere(d.destination, id)))
          .map((r) => ({ entity: 'ivr', id: r.id, name: r.name })),
      ]);
    }
  }

  currentDefinition(row: { id: number; version: number }): IvrDefinition {
    return currentIvrDefinition(this.ctx.database.db, row);
  }

  // ---- time conditions

  /** The rules of a condition for the local day of `instant`: its own exceptions, then its calendar's holidays. */
  rulesAt(row: TimeConditionRow, instant: number): TimeConditionRules {
    const own: ExceptionDay[] = row.exceptions.map((e) => ({
      date: e.date,
      name: e.name,
      source: 'exception',
      openHours: e.openHours,
      ...(e.destination ? { destination: e.destination } : {}),
    }));
    const override = row.overrideState ? { state: row.overrideState, until: row.overrideUntil } : null;
    return { timeZone: row.timeZone, periods: row.periods, exceptions: [...own, ...this.holidaysOf(row, localTime(instant, row.timeZone).year)], override };
  }

  private holidaysOf(row: TimeConditionRow, year: number): ExceptionDay[] {
    if (row.calendarId === null) return [];
    const calendar = this.calendars.row(row.tenantId, row.calendarId);
    if (!calendar) return [];
    const key = `${calendar.id}:${calendar.updatedAt}:${year}`;
    let days = this.holidayCache.get(key);
    if (!days) {
      days = holidayDays(calendarRules(calendar), year);
      if (this.holidayCache.size > 1000) this.holidayCache.clear();
      this.holidayCache.set(key, days);
    }
    return days;
  }

  /** Open or closed at `instant`, the rule that said so and where a call goes. */
  decide(row: TimeConditionRow, instant: number): { decision: Decision; destination: Destination; rules: TimeConditionRules } {
    const rules = this.rulesAt(row, instant);
    const decision = evaluate(rules, instant);
    const destination = destinationOf(decision, rules, { open: row.openDestination, closed: row.closedDestination, holiday: row.holidayDestination });
    return { decision, destination, rules };
  }

  status(actor: Actor, id: number, at: number) {
    const row = this.visible(this.timeConditions, actor, id, 'time condition');
    const { decision, destination } = this.decide(row, at);
    const t = localTime(at, row.timeZone);
    const rule = decision.rule.kind === 'override' ? { kind: 'override' as const, until: decision.rule.until === null ? null : iso(decision.rule.until) } : decision.rule;
    const hh = String(Math.floor(t.minute / 60)).padStart(2, '0');
    const mm = String(t.minute % 60).padStart(2, '0');
    return { at: iso(at), localTime: `${t.date} ${hh}:${mm}`, state: decision.state, rule, destination };
  }

  calendarDays(actor: Actor, id: number, year: number) {
    const row = this.visible(this.calendars, actor, id, 'holiday calendar');
    return holidayDays(calendarRules(row), year).map((d) => ({ date: d.date, name: d.name, openHours: d.openHours }));
  }

  // ---- IVR versions

  versions(actor: Actor, id: number) {
    const row = this.visible(this.ivrs, actor, id, 'IVR');
    return ivrVersionList(this.ctx.database.db, id).map((v) => this.versionView(v, row.version));
  }

  version(actor: Actor, id: number, version: number) {
    const row = this.visible(this.ivrs, actor, id, 'IVR');
    const v = ivrVersion(this.ctx.database.db, id, version);
    if (!v) throw notFound('IVR version');
    return this.versionView(v, row.version);
  }

  /** Makes an old version current again, as a new version that copies it (the history only grows). */
  restore(change: ChangeContext, id: number, version: number) {
    const row = this.visible(this.ivrs, change.actor, id, 'IVR');
    const v = ivrVersion(this.ctx.database.db, row.id, version);
    if (!v) throw notFound('IVR version');
    if (version === row.version) throw invalidField('version', `version: ${version} is already the current version`);
    return this.ivrs.update(change, id, { definition: v.definition, restoredFrom: version });
  }

  // ---- voicemail messages

  private box(actor: Actor, boxId: number) {
    return this.visible(this.voicemailBoxes, actor, boxId, 'voicemail box');
  }

  private message(actor: Actor, boxId: number, messageId: number) {
    const box = this.box(actor, boxId);
    const m = this.repo.message(box.id, messageId);
    if (!m) throw notFound('voicemail message');
    return { box, message: m };
  }

  messages(actor: Actor, boxId: number, q: { unheard?: boolean | undefined; limit: number; offset: number }) {
    const box = this.box(actor, boxId);
    const { rows, total } = this.repo.messages(box.id, { unheardOnly: q.unheard === true, limit: q.limit, offset: q.offset });
    return { items: rows.map(messageView), total, limit: q.limit, offset: q.offset };
  }

  /** Marks a message heard (by whom, when) or unheard again. */
  setHeard(change: ChangeContext, boxId: number, messageId: number, heard: boolean) {
    const { message } = this.message(change.actor, boxId, messageId);
    return messageView(this.repo.markHeard(message.id, heard, change.actor.userId > 0 ? change.actor.userId : null, this.ctx.clock.now()));
  }

  deleteMessage(change: ChangeContext, boxId: number, messageId: number): void {
    const { box, message } = this.message(change.actor, boxId, messageId);
    this.ctx.database.sqlite.transaction(() => {
      this.repo.deleteMessage(message.id);
      this.ctx.audit.record({
        tenantId: box.tenantId,
        actor: change.actor.userId > 0 ? { userId: change.actor.userId, login: change.actor.login } : null,
        entity: 'voicemail_message',
        entityId: message.id,
        action: 'delete',
        before: messageView(message),
        after: null,
        ip: change.ip,
        requestId: change.requestId,
      });
    })();
    this.voicemail.remove({ tenantId: box.tenantId, boxId: box.id }, message.file);
  }

  messageAudio(actor: Actor, boxId: number, messageId: number) {
    const { box, message } = this.message(actor, boxId, messageId);
    const file = this.voicemail.open({ tenantId: box.tenantId, boxId: box.id }, message.file);
    if (!file) throw notFound('voicemail audio');
    return file;
  }

  // ---- traces and the IVR report

  /** Per IVR and node in `[from, to)`: entries, each option (those configured now, and any chosen), timeouts, invalids, exits, abandons. */
  /** The satisfaction survey report of one survey over [from, to), optionally of one service. */
  surveyReport(tenantId: number, surveyId: number, from: number, to: number, queueId?: number): { report: SurveyReport; csv: () => string } {
    const row = this.surveys.row(tenantId, surveyId);
    if (!row) throw notFound('survey');
    const questions = surveyScript(row).questions.map(({ alias, min, max }) => ({ alias, min, max }));
    const report = surveyReport(questions, this.repo.surveyFacts(tenantId, surveyId, from, to, queueId));
    const tz = this.opts.timeZone;
    const timeOf = (at: number) => {
      const t = wallClock(at, tz);
      const two = (n: number) => String(n).padStart(2, '0');
      return { date: localDate(at, tz), time: `${two(Math.floor(t.minutes / 60))}:${two(t.minutes % 60)}:${two(t.seconds)}` };
    };
    return { report, csv: () => surveyReportCsv(report, questions, timeOf) };
  }

  ivrReport(tenantId: number, from: number, to: number, ivrIds?: number[]): IvrReportLine[] {
    const definitions = new Map<number, IvrDefinition>();
    const definition = (id: number) => {
      if (!definitions.has(id)) {
        const row = this.ivrs.row(tenantId, id);
        if (row) definitions.set(id, this.currentDefinition(row));
      }
      return definitions.get(id);
    };
    return this.repo.ivrReport(tenantId, from, to, ivrIds).map((r) => {
      const node = definition(r.ivrId)?.nodes.find((n) => n.id === r.node);
      const configured = node?.kind === 'menu' ? node.options : [];
      const digits = [...new Set([...configured.map((o) => o.digit as string), ...Object.keys(r.options)])];
      return {
        ivrId: r.ivrId,
        ivr: r.ivrName,
        node: r.node,
        nodeName: node?.name ?? r.node,
        entries: r.entries,
        options: digits.map((d) => ({ digit: d, label: configured.find((o) => o.digit === d)?.label ?? null, count: r.options[d] ?? 0 })),
        directDials: r.directDials,
        collected: r.collected,
        timeouts: r.timeouts,
        invalids: r.invalids,
        exhausted: r.exhausted,
        exits: r.exits,
        abandons: r.abandons,
      };
    });
  }

  /** What a call went through in the flows: IVR steps, values collected, survey answers. */
  callFlow(tenantId: number, callId: string) {
    return {
      callId,
      traces: this.repo.tracesOf(tenantId, callId).map((t) => ({
        ivrId: t.ivrId,
        version: t.version,
        node: t.node,
        event: t.event,
        digits: t.digits,
        destination: t.destination,
        at: iso(t.at),
      })),
      data: this.repo.callDataOf(tenantId, callId),
      answers: this.repo.answersOf(tenantId, callId).map((a) => ({ surveyId: a.surveyId, alias: a.alias, value: a.value, answeredAt: iso(a.answeredAt) })),
    };
  }

  private versionView(v: IvrVersion, current: number) {
    return { version: v.version, createdAt: iso(v.createdAt), restoredFrom: v.restoredFrom, current: v.version === current, definition: v.definition };
  }

  private visible<R extends { tenantId: number }>(service: { repo: { get(id: number): R | undefined } }, actor: Actor, id: number, label: string): R {
    const row = service.repo.get(id);
    if (!row || !visible(actor, row.tenantId)) throw notFound(label);
    return row;
  }
}

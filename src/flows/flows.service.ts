/**
 * The call-flow module: its resources on the generic mechanism, what it tells other modules
 * about its destinations, who points at what, and the operations beyond create/read/update/
 * delete (time-condition status, IVR versions, voicemail messages, the IVR report).
 */
import { eq } from 'drizzle-orm';
import { ivrs, surveys, timeConditions, voicemailBoxes } from '../db/schema/index.js';
import type { Actor, ChangeContext } from '../http/principal.js';
import { invalidField, notFound } from '../kernel/index.js';
import { ResourceService, type Referrer, type ResourceContext } from '../resources/index.js';
import { DestinationCatalog, type PromptCatalog } from './catalogs.js';
import type { Destination, RowDestinationKind } from './destination.js';
import { iso } from './flows-context.js';
import { FlowsRepo } from './flows.repo.js';
import { calendarRules, holidayCalendarDef } from './holiday-calendar.resource.js';
import { holidayDays } from './holidays.logic.js';
import { ivrReferences, silentExits } from './ivr-check.logic.js';
import type { IvrDefinition, PromptRef } from './ivr.model.js';
import { currentIvrDefinition, ivrDef, ivrVersion, ivrVersionList, type IvrVersion } from './ivr.resource.js';
import { surveyDef } from './survey.resource.js';
import { destinationOf, evaluate, localTime } from './time-condition.logic.js';
import type { Decision, ExceptionDay, TimeConditionRules } from './time-condition.model.js';
import { timeConditionDef, timeConditionTargets, type TimeConditionRow } from './time-condition.resource.js';
import { voicemailBoxDef } from './voicemail.resource.js';

/** The entity name under which the owner of a kind of destination registers and deletes its rows. */
const ENTITY_OF: Record<RowDestinationKind, string> = {
  ivr: 'ivr',
  queue: 'queue',
  extension: 'extension',
  time_condition: 'time_condition',
  announcement: 'announcement',
  conference: 'conference',
  voicemail: 'voicemail_box',
};

const visible = (actor: Actor, tenantId: number) => actor.superUser || actor.tenantId === tenantId;

export class FlowsModule {
  readonly destinations = new DestinationCatalog();
  readonly repo: FlowsRepo;
  readonly calendars;
  readonly timeConditions;
  readonly ivrs;
  readonly surveys;
  readonly voicemailBoxes;
  private prompts: PromptCatalog | undefined;
  private readonly holidayCache = new Map<string, ExceptionDay[]>();

  constructor(private readonly ctx: ResourceContext) {
    const flows = { destinations: this.destinations, prompts: () => this.prompts };
    this.repo = new FlowsRepo(ctx.database.db);
    this.calendars = new ResourceService(holidayCalendarDef, ctx);
    this.timeConditions = new ResourceService(timeConditionDef(flows), ctx);
    this.ivrs = new ResourceService(ivrDef(flows), ctx);
    this.surveys = new ResourceService(surveyDef(flows), ctx);
    this.voicemailBoxes = new ResourceService(voicemailBoxDef(flows), ctx);
    this.registerKinds();
    this.registerReferences();
  }

  /** The prompts module, once it exists: IVRs, surveys and greetings may then use the tenant's prompts. */
  usePrompts(prompts: PromptCatalog): void {
    this.prompts = prompts;
  }

  promptCatalog(): PromptCatalog | undefined {
    return this.prompts;
  }

  private registerKinds(): void {
    this.destinations.register('ivr', {
      label: 'IVR',
      nameOf: (t, id) => this.ivrs.row(t, id)?.name,
      silentExits: (t, id) => {
        const row = this.ivrs.row(t, id);
        return row ? silentExits(this.currentDefinition(row)) : [];
      },
    });
    this.destinations.register('time_condition', {
      label: 'time condition',
      nameOf: (t, id) => this.timeConditions.row(t, id)?.name,
      silentExits: (t, id) => {
        const row = this.timeConditions.row(t, id);
        return row ? timeConditionTargets(row).map((x) => x.destination) : [];
      },
    });
    this.destinations.register('voicemail', { label: 'voicemail box', nameOf: (t, id) => this.voicemailBoxes.row(t, id)?.name });
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
    for (const [kind, entity] of Object.entries(ENTITY_OF) as [RowDestinationKind, string][]) {
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

  private versionView(v: IvrVersion, current: number) {
    return { version: v.version, createdAt: iso(v.createdAt), restoredFrom: v.restoredFrom, current: v.version === current, definition: v.definition };
  }

  private visible<R extends { tenantId: number }>(service: { repo: { get(id: number): R | undefined } }, actor: Actor, id: number, label: string): R {
    const row = service.repo.get(id);
    if (!row || !visible(actor, row.tenantId)) throw notFound(label);
    return row;
  }
}

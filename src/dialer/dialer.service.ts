import { and, eq, inArray } from 'drizzle-orm';
import type { ContactsService } from '../contacts/index.js';
import { checkPhone } from '../contacts/index.js';
import { contactPhones, contacts, dialerCampaigns, dialerLists, statuses, timeConditions, users, type DialOutcome } from '../db/schema/index.js';
import type { FlowsModule } from '../flows/index.js';
import { conflict, invalidField, noEvents, notFound, toCsv, turnMemo, type EventPublisher, type Logger } from '../kernel/index.js';
import { ResourceService, type ChangeContext, type ResourceContext } from '../resources/index.js';
import { campaignTransition, idleReasons, type CampaignCommand, type IdleReason } from './campaign.logic.js';
import { amdFalsePositiveRate, campaignDef, type CampaignRefs, type CampaignView } from './campaigns.resource.js';
import { localDate, rememberingWindow, zonedTime, type CallingWindow } from './calling-window.logic.js';
import { checkDial, DEFAULT_TIME_ZONE, legalHours, openInSomeZone, shortCallsByDay, timeZoneOfPhone, type DialVerdict, type ShortCallDay } from './compliance.logic.js';
import { applyDisposition, dueNow, nextDialsOf, spent, type DialStrategy, type ListContact } from './contacts.logic.js';
import { DialerRepo, MEMBER_TIERS, type CampaignRow, type MemberRow, type MemberTier } from './dialer.repo.js';
import { dispositionActions } from './disposition.logic.js';
import { addAttempt, agentFigures, dialFigures, DIAL_OUTCOMES, figuresOf, newTally, outcomeSeries, reportRows, type AgentFigures, type DialFigures, type DialTally, type ReportRow } from './report.logic.js';
import { ListImportTarget } from './list-import.target.js';
import { listDef, listLocked } from './lists.resource.js';
import { strategyDef } from './strategies.resource.js';
import { timeConditionWindow } from './time-window.js';

export interface DialerDeps {
  resources: ResourceContext;
  contacts: ContactsService;
  flows: FlowsModule;
  logger: Logger;
  refs?: CampaignRefs;
  /** Where the agents' preview offers and the campaigns' live figures are pushed; default: nowhere. */
  events?: EventPublisher;
  /** The site's zone (`ATENDE_TIMEZONE`): the report's and the monitor's days, the campaigns' hours. Default São Paulo. */
  timeZone?: string;
}

/** Contacts one "fill from the contacts" request may add (a larger group is imported from CSV). */
export const FILL_LIMIT = 100_000;

/** A list member the live dialer may dial now, and on which phone. */
export interface NextMember {
  memberId: number;
  contactId: number;
  phone: string;
}

/** What the live dialer (running where the calls run) answers the API about. */
export interface LiveDialer {
  previewOf(tenantId: number, userId: number): { campaignId: number; offer: { pick: NextMember | null; since: number } } | undefined;
  liveFigures(campaignId: number): LiveFigures | undefined;
  acceptPreview(tenantId: number, userId: number): boolean;
  skipPreview(change: ChangeContext, tenantId: number, reason: string): boolean;
}

/** A contact shown to an agent in preview, as the agent's screen shows it. */
export interface PreviewView {
  campaignId: number;
  campaignName: string;
  /** False while the agent waits for the next contact of the list. */
  ready: boolean;
  contact: { id: number; name: string; phone: string; phones: string[]; doNotCall: boolean } | null;
  /** Attempts already made on this list member, and the last one's outcome. */
  attempts: number;
  lastOutcome: string | null;
  since: string;
}

/** A live campaign as the dialer holds it now: its calls by state and its agents. */
export interface LiveFigures {
  /** Originated, not ringing yet / ringing at the far end. */
  dialing: number;
  ringing: number;
  /** Answered, in answering-machine detection. */
  screening: number;
  /** Answered by a person, waiting for an agent (at most the 2 s grace). */
  waiting: number;
  connected: number;
  agents: { waiting: number; talking: number; wrapping: number; paused: number; previewing: number };
  /** Calls in progress per agent logged in and not paused; null with none. */
  dialLevel: number | null;
  lines: number;
  /** Dial level and the abandon rate since the campaign's core started, sampled over the last hour. */
  samples: { at: number; dialLevel: number | null; abandonRate: number | null }[];
}

/** The live monitor of one campaign. */
export interface MonitorView {
  campaignId: number;
  name: string;
  mode: string;
  state: string;
  stateReason: string | null;
  abandonTargetPercent: number;
  abandonMaxPercent: number;
  at: string;
  live: LiveFigures | null;
  today: DialFigures;
  overall: DialFigures;
  agents: (AgentFigures & { name: string })[];
  /** Outcomes per 5 minutes over the last hour. */
  outcomes: { at: number; byOutcome: Record<DialOutcome, number> }[];
}

export interface CommandResult {
  campaign: CampaignView;
  /** Why the campaign, though running, dials nothing now (empty: it dials). */
  idle: IdleReason[];
}

/**
 * The dialer's resources and the rules around them: contact groups (filled by the CRM's
 * importer or from a filter over the tenant's contacts, locked once a campaign uses them),
 * strategies, campaigns and their controls, the checks made before each dial, what a
 * tabulation does to the list, the attempts record and the short-call count.
 */
export class DialerService {
  readonly lists;
  readonly strategies;
  readonly campaigns;
  readonly repo: DialerRepo;
  private readonly refs: CampaignRefs;

  constructor(private readonly deps: DialerDeps) {
    const { resources, contacts } = deps;
    const defaultBook = (db: Parameters<ContactsService['defaultBook']>[1], tenantId: number) => contacts.defaultBook(tenantId, db);
    this.refs = deps.refs ?? {};
    this.lists = new ResourceService(listDef(defaultBook), resources);
    this.strategies = new ResourceService(strategyDef, resources);
    this.campaigns = new ResourceService(campaignDef(this.refs), resources);
    this.repo = new DialerRepo(resources.database.db);
    resources.references.add('time_condition', (tenantId, id) =>
      this.strategies.rows(tenantId).filter((s) => s.timeConditionId === id).map((s) => ({ entity: 'dialer_strategy', id: s.id, name: s.name })),
    );
    // What a campaign names cannot be deleted while the campaign exists (409 listing it).
    const named = [
      ['dialer_strategy', 'strategyId'],
      ['status_group', 'statusGroupId'],
      ['queue', 'queueId'],
      ['outbound_route', 'outboundRouteId'],
      ['prompt', 'dropPromptId'],
    ] as const;
    for (const [entity, column] of named) {
      resources.references.add(entity, (tenantId, id) =>
        this.campaigns.rows(tenantId).filter((c) => c[column] === id).map((c) => ({ entity: 'dialer_campaign', id: c.id, name: c.name })),
      );
    }
    contacts.importer.register(new ListImportTarget(contacts.contactsImportTarget));
  }

  private liveDialer: LiveDialer | null = null;

  /** The live dialer attaches itself once calls run (the API's preview controls go to it). */
  attachLive(live: LiveDialer): void {
    this.liveDialer = live;
  }

  /**
   * Per campaign, the tally of its attempts and the last one counted: the monitor, pushed every
   * 2 s, reads only the attempts made since (attempts are never changed once recorded).
   */
  private readonly tallies = new Map<number, { lastId: number; tally: DialTally }>();

  private campaignTally(campaignId: number): DialTally {
    const kept = this.tallies.get(campaignId) ?? { lastId: 0, tally: newTally() };
    for (const a of this.repo.campaignAttemptsAfter(campaignId, kept.lastId)) {
      addAttempt(kept.tally, a);
      kept.lastId = a.id;
    }
    this.tallies.set(campaignId, kept);
    return kept.tally;
  }

  /** A campaign's live monitor: the dialer's calls and agents now, and its figures today and overall. */
  monitor(tenantId: number, campaignId: number): MonitorView {
    const c = this.campaigns.row(tenantId, campaignId);
    if (!c) throw notFound('campaign');
    const now = this.now();
    const today = localDate(now, this.zone);
    const bucketMs = 5 * 60_000;
    const hourFrom = now - 55 * 60_000 - (now % bucketMs);
    // Today's attempts and those that ended within the hour; a little before midnight too (a clock change moves it).
    const recent = this.repo.campaignAttemptsSince(c.id, dayStart(today, 'date', this.zone) - 2 * 3_600_000, hourFrom);
    const overall = this.campaignTally(c.id);
    const agents = agentFigures(overall);
    const names = new Map(
      agents.length ? this.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, agents.map((a) => a.agentUserId))).all().map((u) => [u.id, u.name]) : [],
    );
    return {
      campaignId: c.id,
      name: c.name,
      mode: c.mode,
      state: c.state,
      stateReason: c.stateReason,
      abandonTargetPercent: c.abandonTargetPercent,
      abandonMaxPercent: c.abandonMaxPercent,
      at: new Date(now).toISOString(),
      live: this.liveDialer?.liveFigures(c.id) ?? null,
      today: dialFigures(
        recent.filter((a) => localDate(a.startedAt, this.zone) === today),
        amdFalsePositiveRate(c),
      ),
      overall: figuresOf(overall, amdFalsePositiveRate(c)),
      agents: agents.map((a) => ({ ...a, name: names.get(a.agentUserId) ?? '' })),
      outcomes: outcomeSeries(recent, hourFrom, now + 1, bucketMs),
    };
  }

  /** Pushes a campaign's monitor to those watching the dialer. */
  publishMonitor(tenantId: number, campaignId: number): void {
    (this.deps.events ?? noEvents).publish('dialer', tenantId, { type: 'dialer.campaign', data: { monitor: this.monitor(tenantId, campaignId) } });
  }

  /** The dialer report: per campaign and local day, attempts by outcome and the rates, over [from, to] (dates). */
  report(tenantId: number, from: string, to: string, campaignId?: number): (ReportRow & { campaignName: string })[] {
    const start = dayStart(from, 'from', this.zone);
    const last = dayStart(to, 'to', this.zone);
    if (last < start) throw invalidField('to', 'to: on or after from');
    if (last - start > 366 * 86_400_000) throw invalidField('to', 'to: at most a year after from');
    // A little wider than the days (a clock change moves midnight): the rows are cut by local date.
    const attempts = this.repo.attemptsBetween(tenantId, start - 2 * 3_600_000, last + 26 * 3_600_000).filter((a) => campaignId === undefined || a.campaignId === campaignId);
    const rows = new Map(this.campaigns.rows(tenantId).map((c) => [c.id, c]));
    const names = new Map([...rows.values()].map((c) => [c.id, c.name]));
    return reportRows(attempts, this.zone, (id) => {
      const c = rows.get(id);
      return c ? amdFalsePositiveRate(c) : 0;
    })
      .filter((r) => r.date >= from && r.date <= to)
      .map((r) => ({ ...r, campaignName: names.get(r.campaignId) ?? '' }));
  }

  /** The report as CSV (pt-BR headers; shares in percent). */
  reportCsv(tenantId: number, from: string, to: string, campaignId?: number): string {
    const pct = (v: number | null) => (v === null ? '' : Math.round(v * 1000) / 10);
    const header = ['data', 'campanha', 'tentativas', ...DIAL_OUTCOMES.map((o) => OUTCOME_CSV[o]), '% conexão', '% humano', '% abandono', '% abandono estimado', 'TMO (s)', 'chamadas curtas', '% curtas'];
    const rows = this.report(tenantId, from, to, campaignId).map((r) => [
      r.date,
      r.campaignName,
      r.attempts,
      ...DIAL_OUTCOMES.map((o) => r.byOutcome[o]),
      pct(r.connectRate),
      pct(r.humanRate),
      pct(r.abandonRate),
      pct(r.estimatedAbandonRate),
      r.tmoSeconds === null ? '' : Math.round(r.tmoSeconds),
      r.short,
      pct(r.shortShare),
    ]);
    return toCsv(header, rows);
  }

  /** The contact shown to an agent changed (shown, taken, skipped, gone): its desk reads it again. */
  previewChanged(tenantId: number, userId: number): void {
    const extension = this.refs.agentExtension?.(tenantId, userId) ?? null;
    (this.deps.events ?? noEvents).publish('agents', tenantId, { type: 'dialer.preview', data: { userId }, parties: extension ? [extension] : [] });
  }

  /** The contact this agent is shown in a running preview campaign; null when none. */
  preview(tenantId: number, userId: number): PreviewView | null {
    const hit = this.liveDialer?.previewOf(tenantId, userId);
    const campaign = hit && this.campaigns.row(tenantId, hit.campaignId);
    if (!hit || !campaign) return null;
    const base = { campaignId: campaign.id, campaignName: campaign.name, since: new Date(hit.offer.since).toISOString() };
    const pick = hit.offer.pick;
    const member = pick && this.repo.member(pick.memberId);
    if (!pick || !member) return { ...base, ready: false, contact: null, attempts: 0, lastOutcome: null };
    const contact = this.db.select().from(contacts).where(and(eq(contacts.id, pick.contactId), eq(contacts.tenantId, tenantId))).get();
    const phones = this.db.select({ number: contactPhones.number }).from(contactPhones).where(eq(contactPhones.contactId, pick.contactId)).all();
    return {
      ...base,
      ready: true,
      contact: { id: pick.contactId, name: contact?.name ?? '', phone: pick.phone, phones: phones.map((p) => p.number), doNotCall: contact?.doNotCall ?? false },
      attempts: member.attemptTimes.length,
      lastOutcome: member.lastOutcome,
    };
  }

  /** The agent accepts the contact shown: dialled now, and connected to the agent when answered. */
  acceptPreview(tenantId: number, userId: number): { dialling: true } {
    if (!this.liveDialer?.acceptPreview(tenantId, userId)) throw conflict('no contact is shown to you in a running preview campaign, or no line is free', { field: 'preview' });
    return { dialling: true };
  }

  /** The agent skips the contact shown; the next one is shown (null while none is ready). */
  skipShownPreview(change: ChangeContext, tenantId: number, reason: string): PreviewView | null {
    if (!this.liveDialer?.skipPreview(change, tenantId, reason)) throw conflict('no contact is shown to you in a running preview campaign', { field: 'preview' });
    return this.preview(tenantId, change.actor.userId);
  }

  private get db() {
    return this.deps.resources.database.db;
  }

  /** The site's zone. */
  private get zone(): string {
    return this.deps.timeZone ?? DEFAULT_TIME_ZONE;
  }

  private tx<R>(fn: () => R): R {
    return this.deps.resources.database.sqlite.transaction(fn)();
  }

  private now(): number {
    return this.deps.resources.clock.now();
  }

  private audit(change: ChangeContext, tenantId: number, entity: string, id: number, action: string, before: unknown, after: unknown): void {
    this.deps.resources.audit.record({
      tenantId,
      actor: change.actor.userId > 0 ? { userId: change.actor.userId, login: change.actor.login } : null,
      entity,
      entityId: id,
      action,
      before,
      after,
      ip: change.ip,
      requestId: change.requestId,
    });
  }

  /** Activates or deactivates several contact groups at once (all or none). */
  setListsActive(change: ChangeContext, tenantId: number, ids: readonly number[], active: boolean) {
    return this.lists.bulk(change, tenantId, { update: ids.map((id) => ({ id, patch: { active } })) });
  }

  private unlockedList(tenantId: number, listId: number) {
    const list = this.lists.row(tenantId, listId);
    if (!list) throw notFound('contact group');
    if (list.campaignId !== null) throw listLocked(list.name, this.repo.campaignName(list.campaignId));
    return list;
  }

  /**
   * Adds the tenant's contacts that match the contacts screen's filter (the same keys) to the
   * group, after those it has; contacts already in it are counted, not repeated.
   */
  addFromContacts(change: ChangeContext, tenantId: number, listId: number, filter: Record<string, unknown>): { matched: number; added: number; already: number } {
    return this.tx(() => {
      const list = this.unlockedList(tenantId, listId);
      const where = this.deps.contacts.contacts.def.filter?.(filter, tenantId) ?? [];
      const ids = this.repo.contactIdsWhere(tenantId, where, FILL_LIMIT + 1);
      if (ids.length > FILL_LIMIT) throw invalidField('filter', `filter: more than ${FILL_LIMIT} contacts match; narrow the filter or import the group from CSV`);
      const { added, already } = this.repo.addMembers(tenantId, list.id, ids, null, this.now());
      const result = { matched: ids.length, added, already: already.size };
      this.audit(change, tenantId, 'dialer_list', list.id, 'fill', null, { filter, ...result });
      return result;
    });
  }

  members(tenantId: number, listId: number, limit: number, offset: number) {
    if (!this.lists.row(tenantId, listId)) throw notFound('contact group');
    const { rows, total } = this.repo.members(listId, limit, offset);
    const phones = this.repo.phonesOf(rows.map((r) => r.member.contactId));
    return {
      total,
      limit,
      offset,
      items: rows.map(({ member: m, name, doNotCall }) => ({
        id: m.id,
        contactId: m.contactId,
        name,
        doNotCall,
        phones: (phones.get(m.contactId) ?? []).map((p) => ({ number: p.number, valid: p.valid, attempts: m.phoneAttempts[p.number] ?? 0 })),
        attempts: m.attemptTimes.length,
        lastOutcome: m.lastOutcome,
        retryAt: m.retryAt === null ? null : new Date(m.retryAt).toISOString(),
        callbackAt: m.callbackAt === null ? null : new Date(m.callbackAt).toISOString(),
        finished: m.finished,
      })),
    };
  }

  /** The strategy's calling window: its time condition, else the legal hours. */
  windowOf(tenantId: number, strategyId: number): CallingWindow {
    const strategy = this.strategies.row(tenantId, strategyId);
    if (!strategy || strategy.timeConditionId === null) return legalHours;
    const row = this.db.select().from(timeConditions).where(eq(timeConditions.id, strategy.timeConditionId)).get();
    if (!row) return legalHours;
    return timeConditionWindow((instant) => this.deps.flows.rulesAt(row, instant));
  }

  private idleOf(tenantId: number, campaignId: number, strategyId: number, now: number): IdleReason[] {
    const lists = this.db.select().from(dialerLists).where(eq(dialerLists.campaignId, campaignId)).all();
    const active = lists.filter((l) => l.active);
    const pending = active.reduce((n, l) => n + this.repo.counts(l.id).pending, 0);
    return idleReasons({
      lists: lists.length,
      activeLists: active.length,
      pending,
      windowOpen: openInSomeZone(this.windowOf(tenantId, strategyId), now),
      agentsLoggedIn: this.refs.agentsLoggedIn?.(tenantId, this.campaigns.row(tenantId, campaignId)!.queueId) ?? null,
    });
  }

  /**
   * Start, pause, resume or stop. Starting a campaign that can dial nothing now (no contacts
   * left, outside its hours, no agent logged in) is allowed: it runs and says why it waits.
   */
  command(change: ChangeContext, campaignId: number, command: CampaignCommand): CommandResult {
    return this.tx(() => {
      this.campaigns.get(change.actor, campaignId);
      const row = this.campaigns.repo.get(campaignId)!;
      const next = campaignTransition(row.state, command);
      if (!next.ok) throw conflict(next.message, { field: 'state', state: row.state });
      const now = this.now();
      if (next.state === 'running' && row.stopAt !== null && row.stopAt <= now) {
        throw conflict(`the campaign's stop time (${new Date(row.stopAt).toISOString()}) has passed; change or clear it first`, { field: 'stopAt' });
      }
      const idle = next.state === 'running' ? this.idleOf(row.tenantId, row.id, row.strategyId, now) : [];
      const before = this.campaigns.def.toView(row, { db: this.db });
      this.db
        .update(dialerCampaigns)
        .set({
          state: next.state,
          stateReason: idle[0] ?? (command === 'start' || command === 'resume' ? null : command === 'pause' ? 'paused' : 'stopped'),
          startedAt: row.startedAt ?? (command === 'start' ? now : null),
          endedAt: next.state === 'stopped' ? now : null,
          updatedAt: now,
        })
        .where(eq(dialerCampaigns.id, row.id))
        .run();
      const after = this.campaigns.def.toView(this.campaigns.repo.get(row.id)!, { db: this.db });
      this.audit(change, row.tenantId, 'dialer_campaign', row.id, command, before, after);
      return { campaign: after, idle };
    });
  }

  /**
   * The last check before an originate, on what the database says now: outbound blacklist,
   * do-not-call (contact and phone), the number still valid, the contact's hours.
   */
  checkBeforeDial(tenantId: number, campaignId: number, contactId: number, number: string, now: number): DialVerdict {
    // The dials of one step share the campaign, its window and the blacklist, read at that moment.
    const shared = this.dialTimeRules(`${tenantId}:${campaignId}:${now}`, () => {
      const campaign = this.campaigns.row(tenantId, campaignId);
      if (!campaign) throw notFound('campaign');
      return { campaign, window: this.windowOf(tenantId, campaign.strategyId), blacklisted: this.outboundBlacklist(tenantId, now) };
    });
    const { campaign } = shared;
    const contact = this.repo.contactDoNotCall(tenantId, contactId);
    if (contact === undefined) throw notFound('contact');
    const phone = this.repo.phoneFlags(contactId, number);
    return checkDial(
      {
        number,
        phoneValid: phone !== undefined && phone.valid && checkPhone(number).ok,
        phoneDoNotCall: phone?.doNotCall ?? false,
        contactDoNotCall: contact,
        blacklisted: shared.blacklisted(number),
      },
      { window: shared.window, prefix0303: campaign.prefix0303, callerId: campaign.callerId },
      now,
    );
  }

  private readonly dialTimeRules = turnMemo<string, { campaign: CampaignRow; window: CallingWindow; blacklisted: (number: string) => boolean }>();

  /**
   * The tenant's outbound blacklist at `now`, read once for a step: the step's read of the list
   * (`nextDials`) and the checks of its dials share it, each number matched once.
   */
  private outboundBlacklist(tenantId: number, now: number): (number: string) => boolean {
    return this.blacklists(`${tenantId}:${now}`, () => {
      const matches = this.deps.contacts.blacklistMatcher(tenantId, 'outbound', now);
      const seen = new Map<string, boolean>();
      return (number) => {
        let b = seen.get(number);
        if (b === undefined) seen.set(number, (b = matches(number)));
        return b;
      };
    });
  }

  private readonly blacklists = turnMemo<string, (number: string) => boolean>();

  /** One dial ended: its record (every originate has one) and the member's attempt counts. */
  recordAttempt(
    tenantId: number,
    a: { campaignId: number; memberId: number; phone: string; outcome: DialOutcome; cause: number | null; startedAt: number; answeredAt: number | null; endedAt: number; agentUserId: number | null },
  ) {
    return this.tx(() => {
      const campaign = this.campaigns.row(tenantId, a.campaignId);
      const member = this.repo.member(a.memberId);
      if (!campaign || member?.tenantId !== tenantId) throw notFound('list member');
      const strategy = this.strategies.row(tenantId, campaign.strategyId)!;
      const retryMs = a.outcome === 'connected' ? 0 : strategy.retryMinutes[a.outcome] * 60_000;
      this.repo.updateMember(member.id, {
        phoneAttempts: { ...member.phoneAttempts, [a.phone]: (member.phoneAttempts[a.phone] ?? 0) + 1 },
        attemptTimes: [...member.attemptTimes, a.startedAt],
        lastOutcome: a.outcome,
        finished: a.outcome === 'connected',
        retryAt: a.outcome === 'connected' ? null : a.endedAt + retryMs,
        callbackAt: null,
        callbackUserId: null,
        updatedAt: a.endedAt,
      });
      return this.repo.insertAttempt({ tenantId, ...a, contactId: member.contactId });
    });
  }

  /**
   * An agent tabulated a dialer call: the status's actions take effect on the list (redial,
   * callback to the owner, wrong number, do-not-call, finish) and on the contact.
   */
  dispose(change: ChangeContext, tenantId: number, memberId: number, d: { statusId: number; phone: string; agentUserId: number; callbackAt: number | null }): MemberRow {
    return this.tx(() => {
      const member = this.repo.member(memberId);
      if (member?.tenantId !== tenantId) throw notFound('list member');
      const status = this.db.select().from(statuses).where(and(eq(statuses.id, d.statusId), eq(statuses.tenantId, tenantId))).get();
      if (!status) throw invalidField('statusId', 'statusId: no such status');
      if (status.schedulesCallback && d.callbackAt === null) throw invalidField('callbackAt', `callbackAt: the status "${status.name}" schedules a callback; say when`);
      const contact = this.db.select().from(contacts).where(eq(contacts.id, member.contactId)).get()!;
      const phones = this.db.select().from(contactPhones).where(eq(contactPhones.contactId, member.contactId)).all();
      if (!phones.some((p) => p.number === d.phone)) throw invalidField('phone', 'phone: not a phone of this contact');
      const now = this.now();
      const actions = dispositionActions(
        { ...status.actions, schedulesCallback: status.schedulesCallback, setsOwner: status.actions.owner === 'set' },
        { phone: d.phone, agentId: String(d.agentUserId), ownerId: contact.ownerUserId === null ? null : String(contact.ownerUserId), callbackAt: d.callbackAt },
      );
      const before = toListContact(member, contact.doNotCall, phones);
      const after = actions.reduce((c, a) => applyDisposition(c, a, now), before);
      this.repo.updateMember(member.id, {
        finished: after.finished,
        retryAt: after.retryAt,
        callbackAt: after.callbackAt,
        callbackUserId: after.callbackAgentId === null ? null : Number(after.callbackAgentId),
        updatedAt: now,
      });
      if (after.doNotCall && !contact.doNotCall) this.db.update(contacts).set({ doNotCall: true, updatedAt: now }).where(eq(contacts.id, contact.id)).run();
      const invalid = after.phones.filter((p) => p.invalid && phones.find((q) => q.number === p.number)?.valid).map((p) => p.number);
      if (invalid.length) {
        this.db
          .update(contactPhones)
          .set({ valid: false, invalidReason: status.name })
          .where(and(eq(contactPhones.contactId, contact.id), inArray(contactPhones.number, invalid)))
          .run();
      }
      this.audit(change, tenantId, 'dialer_list_member', member.id, 'dispose', { statusId: null }, { statusId: status.id, actions });
      return this.repo.member(member.id)!;
    });
  }

  /** The strategy as the contact selection applies it. */
  private dialStrategy(tenantId: number, strategyId: number): DialStrategy {
    const s = this.strategies.row(tenantId, strategyId);
    if (!s) throw notFound('strategy');
    const retryDelayMs = Object.fromEntries(Object.entries(s.retryMinutes).map(([outcome, minutes]) => [outcome, minutes * 60_000])) as DialStrategy['retryDelayMs'];
    return {
      maxAttemptsPerPhone: s.maxAttemptsPerPhone,
      maxAttemptsPerContact: s.maxAttemptsPerContact,
      maxAttemptsPerDay: s.maxAttemptsPerDay,
      retryDelayMs,
      phoneOrder: s.phoneOrder,
      window: this.windowOf(tenantId, strategyId),
      timeZone: this.zone,
    };
  }

  /**
   * Up to `max` list members to dial now under the campaign's strategy (callbacks due, then
   * retries due, then the untried, in list order), skipping those being dialled; `exhausted`
   * when no member of its active lists can ever be dialled again.
   *
   * The list is not read whole: each tier of each active list is read from its own index, page
   * by page, until it has given `max` members dialable now (or has no more), and the pure
   * `nextDialsOf` orders what was read. That holds the first `max` of the whole list (each
   * source's first `max` dialable members are among them), so a read costs what the step
   * dials, whatever the size of the list.
   */
  nextDials(tenantId: number, campaignId: number, dialling: ReadonlySet<number>, max: number, now: number): { dials: NextMember[]; exhausted: boolean } {
    const campaign = this.campaigns.row(tenantId, campaignId);
    if (!campaign) throw notFound('campaign');
    const own = this.dialStrategy(tenantId, campaign.strategyId);
    // One instant for the whole read: the calling window is worked out once per zone.
    const strategy = { ...own, window: rememberingWindow(own.window) };
    const blocked = this.outboundBlacklist(tenantId, now);
    const lists = this.repo.activeListIds(campaignId);
    const except = [...dialling];
    const page = Math.min(500, max + 32);
    const read = new Map<string, { member: MemberRow; contact: ListContact }>();
    /** Reads a source page by page until `enough` says stop or it has no more. */
    const walk = (listId: number, tier: MemberTier, dueBy: number | null, enough: (c: ListContact) => boolean): boolean => {
      for (let offset = 0; ; offset += page) {
        const rows = this.repo.tierMembers(listId, tier, { dueBy, maxAttempts: strategy.maxAttemptsPerContact, except, limit: page, offset });
        const phones = this.repo.phonesOf(rows.map((r) => r.member.contactId));
        for (const r of rows) {
          const contact = toListContact(r.member, r.doNotCall, phones.get(r.member.contactId) ?? []);
          read.set(contact.id, { member: r.member, contact });
          if (enough(contact)) return true;
        }
        if (rows.length < page) return false;
      }
    };
    // Outside the window everywhere nobody is due; inside it somewhere, each member is due by the
    // zone of its phones' DDD (`toListContact`), as the check at dial time holds it.
    if (max > 0 && openInSomeZone(strategy.window, now)) {
      for (const listId of lists) {
        for (const tier of MEMBER_TIERS) {
          let found = 0;
          walk(listId, tier, now, (c) => dueNow(c, strategy, now, blocked) && ++found >= max);
        }
      }
    }
    const next = nextDialsOf([...read.values()].map((r) => r.contact), strategy, now, blocked, max);
    const dials = next.dials.map((d) => {
      const { member } = read.get(d.contactId)!;
      return { memberId: member.id, contactId: member.contactId, phone: d.phone };
    });
    if (dials.length > 0 || dialling.size > 0) return { dials, exhausted: false };
    // Nothing to dial now and nothing in flight: is anyone left at all (a retry or callback later on)?
    const left = lists.some((listId) => MEMBER_TIERS.some((tier) => walk(listId, tier, null, (c) => !spent(c, strategy, blocked))));
    return { dials, exhausted: !left };
  }

  /**
   * An agent skipped a contact shown in preview: it stays in the list, offered again after the
   * strategy's retry delay for an unanswered call (nobody was reached), and the reason is kept
   * in the audit log. No attempt is counted: nothing was dialled.
   */
  skipPreview(change: ChangeContext, tenantId: number, campaignId: number, memberId: number, reason: string): void {
    this.tx(() => {
      const campaign = this.campaigns.row(tenantId, campaignId);
      const member = this.repo.member(memberId);
      if (!campaign || member?.tenantId !== tenantId) throw notFound('list member');
      const strategy = this.strategies.row(tenantId, campaign.strategyId)!;
      const now = this.now();
      const retryAt = now + strategy.retryMinutes.no_answer * 60_000;
      this.repo.updateMember(member.id, { retryAt, updatedAt: now });
      this.audit(change, tenantId, 'dialer_list_member', member.id, 'preview_skip', { retryAt: member.retryAt }, { retryAt, reason, campaignId });
    });
  }

  /** The campaign has nothing left to dial: finished when it stops by itself then, else it runs and says why it waits. */
  exhausted(tenantId: number, campaignId: number): void {
    this.endByItself(tenantId, campaignId, 'exhausted', (row) => (row.state !== 'running' || (row.stateReason === 'exhausted' && !row.stopWhenExhausted) ? null : row.stopWhenExhausted));
  }

  /** The campaign's stop time came: it finishes (the calls under way end normally). */
  reachedStopTime(tenantId: number, campaignId: number): void {
    this.endByItself(tenantId, campaignId, 'stop_at', (row) => (row.state === 'running' || row.state === 'paused' ? true : null));
  }

  /**
   * A running campaign's calling window opened or closed, or its service's agents logged in or
   * all out: its reason says so (the dialling itself already follows both). `row`: the campaign
   * as the live dialer has just read it.
   */
  followConditions(row: CampaignRow, now: number): void {
    if (row.state !== 'running') return;
    // A reason about the list (none, inactive, exhausted) says more: it is kept.
    if (!passingReason(row.stateReason)) return;
    const open = openInSomeZone(this.windowOf(row.tenantId, row.strategyId), now);
    const reason = !open ? 'outside_window' : this.refs.agentsLoggedIn?.(row.tenantId, row.queueId) === 0 ? 'no_agents' : null;
    if (reason === row.stateReason) return;
    this.db.update(dialerCampaigns).set({ stateReason: reason, updatedAt: now }).where(eq(dialerCampaigns.id, row.id)).run();
  }

  /**
   * The PBX refuses a running campaign's dials (`refusing`), or takes them again: its reason says
   * so. A reason about the list says more and is kept.
   */
  pbxRefusing(tenantId: number, campaignId: number, refusing: boolean): void {
    const row = this.campaigns.row(tenantId, campaignId);
    if (!row || row.state !== 'running') return;
    const replaces = refusing ? passingReason(row.stateReason) : row.stateReason === 'pbx_refused';
    if (!replaces) return;
    this.db.update(dialerCampaigns).set({ stateReason: refusing ? 'pbx_refused' : null, updatedAt: this.now() }).where(eq(dialerCampaigns.id, row.id)).run();
  }

  /**
   * Ends (finished) or marks a campaign by itself, `finished` deciding from the row read in the
   * same transaction (null: nothing to do, e.g. a user paused or stopped it meanwhile).
   */
  private endByItself(tenantId: number, campaignId: number, reason: 'exhausted' | 'stop_at', finishedOf: (row: CampaignRow) => boolean | null): void {
    this.tx(() => {
      const row = this.campaigns.repo.get(campaignId);
      const finished = row?.tenantId === tenantId ? finishedOf(row) : null;
      if (!row || finished === null) return;
      const now = this.now();
      const before = this.campaigns.def.toView(row, { db: this.db });
      this.db
        .update(dialerCampaigns)
        .set({ state: finished ? 'finished' : 'running', stateReason: reason, endedAt: finished ? now : null, updatedAt: now })
        .where(eq(dialerCampaigns.id, row.id))
        .run();
      const after = this.campaigns.def.toView(this.campaigns.repo.get(row.id)!, { db: this.db });
      this.deps.resources.audit.record({ tenantId: row.tenantId, actor: null, entity: 'dialer_campaign', entityId: row.id, action: finished ? 'finish' : reason, before, after });
    });
  }

  /** The tenant's short-call share per day over the last `days` days (in the site's zone). */
  shortCalls(tenantId: number, days: number): ShortCallDay[] {
    const now = this.now();
    return shortCallsByDay(this.repo.attemptsBetween(tenantId, now - days * 86_400_000, now + 1), this.zone);
  }
}

/** Reasons that say why a running campaign waits for now (none, the hours, the agents): a reason about the list or the PBX says more and is kept over them. */
const passingReason = (reason: string | null): boolean => reason === null || reason === 'outside_window' || reason === 'no_agents';

const OUTCOME_CSV: Record<DialOutcome, string> = { connected: 'atendidas', dropped: 'descartadas', machine: 'secretária', busy: 'ocupado', no_answer: 'não atende', failed: 'falha' };

/** Local midnight of a `YYYY-MM-DD` date in `zone`. */
function dayStart(date: string, field: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const at = m ? zonedTime(Number(m[1]), Number(m[2]), Number(m[3]), 0, zone) : NaN;
  if (!Number.isFinite(at)) throw invalidField(field, `${field}: a date YYYY-MM-DD`);
  return at;
}

const zoneOfPhones = (phones: readonly { number: string; valid: boolean }[]): string | null => {
  const phone = phones.find((p) => p.valid) ?? phones[0];
  return phone ? timeZoneOfPhone(phone.number) : null;
};

/** A list member as the selection sees it; its id is the member's (a contact may be in two lists). */
export function toListContact(m: MemberRow, doNotCall: boolean, phones: readonly { number: string; kind: 'mobile' | 'landline'; valid: boolean }[]): ListContact {
  return {
    id: String(m.id),
    position: m.position,
    // The zone of its first valid phone: the window is checked there (each dial at its own number's).
    timeZone: zoneOfPhones(phones),
    phones: phones.map((p) => ({ number: p.number, kind: p.kind, invalid: !p.valid, attempts: m.phoneAttempts[p.number] ?? 0 })),
    attemptTimes: m.attemptTimes,
    doNotCall,
    finished: m.finished,
    retryAt: m.retryAt,
    callbackAt: m.callbackAt,
    callbackAgentId: m.callbackUserId === null ? null : String(m.callbackUserId),
    inFlight: false,
  };
}

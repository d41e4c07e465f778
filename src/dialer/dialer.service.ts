import { and, eq, inArray } from 'drizzle-orm';
import type { ContactsService } from '../contacts/index.js';
import { checkPhone } from '../contacts/index.js';
import { contactPhones, contacts, dialerCampaigns, dialerLists, statuses, timeConditions, type DialOutcome } from '../db/schema/index.js';
import type { FlowsModule } from '../flows/index.js';
import { conflict, invalidField, notFound, type Logger } from '../kernel/index.js';
import { ResourceService, type ChangeContext, type ResourceContext } from '../resources/index.js';
import { campaignTransition, idleReasons, type CampaignCommand, type IdleReason } from './campaign.logic.js';
import { campaignDef, type CampaignRefs, type CampaignView } from './campaigns.resource.js';
import type { CallingWindow } from './calling-window.logic.js';
import { checkDial, DEFAULT_TIME_ZONE, legalHours, shortCallsByDay, type DialVerdict, type ShortCallDay } from './compliance.logic.js';
import { applyDisposition, nextToDial, type DialStrategy, type ListContact } from './contacts.logic.js';
import { DialerRepo, type MemberRow } from './dialer.repo.js';
import { dispositionActions } from './disposition.logic.js';
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
}

/** Contacts one "fill from the contacts" request may add (a larger group is imported from CSV). */
export const FILL_LIMIT = 100_000;

/** A list member the live dialer may dial now, and on which phone. */
export interface NextMember {
  memberId: number;
  contactId: number;
  phone: string;
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
    ] as const;
    for (const [entity, column] of named) {
      resources.references.add(entity, (tenantId, id) =>
        this.campaigns.rows(tenantId).filter((c) => c[column] === id).map((c) => ({ entity: 'dialer_campaign', id: c.id, name: c.name })),
      );
    }
    contacts.importer.register(new ListImportTarget(contacts.contactsImportTarget));
  }

  private get db() {
    return this.deps.resources.database.db;
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
      const where = this.deps.contacts.contacts.def.filter?.(filter) ?? [];
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
      windowOpen: this.windowOf(tenantId, strategyId).isOpen(now, DEFAULT_TIME_ZONE),
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
    const campaign = this.campaigns.row(tenantId, campaignId);
    if (!campaign) throw notFound('campaign');
    const contact = this.db.select({ doNotCall: contacts.doNotCall }).from(contacts).where(and(eq(contacts.id, contactId), eq(contacts.tenantId, tenantId))).get();
    if (!contact) throw notFound('contact');
    const phone = this.db
      .select({ valid: contactPhones.valid, doNotCall: contactPhones.doNotCall })
      .from(contactPhones)
      .where(and(eq(contactPhones.contactId, contactId), eq(contactPhones.number, number)))
      .get();
    return checkDial(
      {
        number,
        phoneValid: phone !== undefined && phone.valid && checkPhone(number).ok,
        phoneDoNotCall: phone?.doNotCall ?? false,
        contactDoNotCall: contact.doNotCall,
        blacklisted: this.deps.contacts.blacklisted(tenantId, 'outbound', number, now) !== null,
      },
      { window: this.windowOf(tenantId, campaign.strategyId), prefix0303: campaign.prefix0303, callerId: campaign.callerId },
      now,
    );
  }

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
      if (status.schedulesCallback && d.callbackAt === null) throw invalidField('callbackAt', `callbackAt: the status ${status.name} schedules a callback; say when`);
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
      timeZone: DEFAULT_TIME_ZONE,
    };
  }

  /**
   * Up to `max` list members to dial now under the campaign's strategy (callbacks due, then
   * retries due, then the untried, in list order), skipping those being dialled; `exhausted`
   * when no member of its active lists can ever be dialled again.
   */
  nextDials(tenantId: number, campaignId: number, dialling: ReadonlySet<number>, max: number, now: number): { dials: NextMember[]; exhausted: boolean } {
    const campaign = this.campaigns.row(tenantId, campaignId);
    if (!campaign) throw notFound('campaign');
    const strategy = this.dialStrategy(tenantId, campaign.strategyId);
    const rows = this.repo.campaignMembers(campaignId);
    const phones = this.repo.phonesOf(rows.map((r) => r.member.contactId));
    const list = rows.map((r) => toListContact(r.member, r.doNotCall, phones.get(r.member.contactId) ?? [], dialling.has(r.member.id)));
    const byId = new Map(rows.map((r, i) => [String(r.member.id), { member: r.member, contact: list[i]! }]));
    const blocked = (number: string) => this.deps.contacts.blacklisted(tenantId, 'outbound', number, now) !== null;
    const dials: NextMember[] = [];
    while (dials.length < max) {
      const next = nextToDial(list, strategy, now, blocked);
      if (next.kind === 'exhausted') return { dials, exhausted: dials.length === 0 && dialling.size === 0 };
      if (next.kind === 'wait') break;
      const { member, contact } = byId.get(next.contactId)!;
      dials.push({ memberId: member.id, contactId: member.contactId, phone: next.phone });
      contact.inFlight = true;
    }
    return { dials, exhausted: false };
  }

  /** The campaign has nothing left to dial: finished when it stops by itself then, else it runs and says why it waits. */
  exhausted(tenantId: number, campaignId: number): void {
    this.tx(() => {
      const row = this.campaigns.repo.get(campaignId);
      if (row?.tenantId !== tenantId || row.state !== 'running' || (row.stateReason === 'exhausted' && !row.stopWhenExhausted)) return;
      const now = this.now();
      const before = this.campaigns.def.toView(row, { db: this.db });
      const finished = row.stopWhenExhausted;
      this.db
        .update(dialerCampaigns)
        .set({ state: finished ? 'finished' : 'running', stateReason: 'exhausted', endedAt: finished ? now : null, updatedAt: now })
        .where(eq(dialerCampaigns.id, row.id))
        .run();
      const after = this.campaigns.def.toView(this.campaigns.repo.get(row.id)!, { db: this.db });
      this.deps.resources.audit.record({ tenantId, actor: null, entity: 'dialer_campaign', entityId: row.id, action: finished ? 'finish' : 'exhausted', before, after });
    });
  }

  /** The tenant's short-call share per day over the last `days` days (in the default zone). */
  shortCalls(tenantId: number, days: number): ShortCallDay[] {
    const now = this.now();
    return shortCallsByDay(this.repo.attemptsBetween(tenantId, now - days * 86_400_000, now + 1), DEFAULT_TIME_ZONE);
  }
}

/** A list member as the selection sees it; its id is the member's (a contact may be in two lists). */
function toListContact(m: MemberRow, doNotCall: boolean, phones: readonly { number: string; kind: 'mobile' | 'landline'; valid: boolean }[], inFlight = false): ListContact {
  return {
    id: String(m.id),
    position: m.position,
    timeZone: null,
    phones: phones.map((p) => ({ number: p.number, kind: p.kind, invalid: !p.valid, attempts: m.phoneAttempts[p.number] ?? 0 })),
    attemptTimes: m.attemptTimes,
    doNotCall,
    finished: m.finished,
    retryAt: m.retryAt,
    callbackAt: m.callbackAt,
    callbackAgentId: m.callbackUserId === null ? null : String(m.callbackUserId),
    inFlight,
  };
}

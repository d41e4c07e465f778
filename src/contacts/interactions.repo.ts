import { and, asc, count, desc, eq, gte, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Database_, Db } from '../db/client.js';
import {
  callbacks,
  calls,
  contactEmails,
  contactForms,
  contactInteractions,
  contactPhones,
  contacts,
  crmSettings,
  ivrTraces,
  ivrVersions,
  queues,
  recordings,
  shortcuts,
  statusGroupTeams,
  statusGroups,
  statuses,
  tags,
  ticketEvents,
  tickets,
  users,
  type InteractionKind,
} from '../db/schema/index.js';
import { containsText } from '../db/search.js';

export type InteractionRow = typeof contactInteractions.$inferSelect;
export type NewInteraction = typeof contactInteractions.$inferInsert;
export type Channel = InteractionRow['channel'];
export type TicketRow = typeof tickets.$inferSelect;
export type TicketStatus = TicketRow['status'];
export type ContactRow = typeof contacts.$inferSelect;
export type CallbackRow = typeof callbacks.$inferSelect;
type CallbackState = CallbackRow['state'];
type SettingsRow = Pick<typeof crmSettings.$inferSelect, 'requireProtocol' | 'ticketMode'>;

export interface HistoryQuery {
  kind?: InteractionKind | undefined;
  channel?: Channel | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  offset: number;
}

/** A call's recordings and the IVR nodes it went through, for the contact's history. */
export interface CallMedia {
  recordings: { id: number; startedAt: number; durationSeconds: number }[];
  ivrPath: string[];
}

export interface OpenQuery {
  agentUserId?: number | undefined;
  states: readonly InteractionRow['state'][];
  /** Part of the contact's name, the service's name or the protocol. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

export interface TicketQuery {
  status?: TicketStatus | undefined;
  contactId?: number | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

export interface CallbackQuery {
  agentUserId?: number | undefined;
  state?: CallbackState | undefined;
  dueBefore?: number | undefined;
  limit: number;
  offset: number;
}

/**
 * The SQL of interactions, tickets and callbacks. A row fetched by id takes the tenant it must
 * belong to, or null for a super user who may see every tenant's.
 */
export class InteractionsRepo {
  private readonly db: Db;

  constructor(private readonly database: Database_) {
    this.db = database.db;
  }

  /** Runs `fn` in one transaction (synchronous: no await inside). */
  transaction<T>(fn: () => T): T {
    return this.database.sqlite.transaction(fn)();
  }

  settings(tenantId: number): SettingsRow | undefined {
    return this.db.select({ requireProtocol: crmSettings.requireProtocol, ticketMode: crmSettings.ticketMode }).from(crmSettings).where(eq(crmSettings.tenantId, tenantId)).get();
  }

  saveSettings(tenantId: number, s: SettingsRow, now: number): void {
    this.db
      .insert(crmSettings)
      .values({ tenantId, ...s, updatedAt: now })
      .onConflictDoUpdate({ target: crmSettings.tenantId, set: { ...s, updatedAt: now } })
      .run();
  }

  interaction(tenantId: number | null, id: number): InteractionRow | undefined {
    return this.db
      .select()
      .from(contactInteractions)
      .where(and(eq(contactInteractions.id, id), tenantId === null ? undefined : eq(contactInteractions.tenantId, tenantId)))
      .get();
  }

  /** The service (queue) an interaction belongs to: its name and whether it demands a tabulation. */
  service(tenantId: number, id: number): { name: string; requireTabulation: boolean } | undefined {
    return this.db
      .select({ name: queues.name, requireTabulation: queues.requireTabulation })
      .from(queues)
      .where(and(eq(queues.id, id), eq(queues.tenantId, tenantId)))
      .get();
  }

  contact(tenantId: number, id: number): ContactRow | undefined {
    return this.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.id, id), eq(contacts.tenantId, tenantId)))
      .get();
  }

  insertInteraction(values: NewInteraction): InteractionRow {
    return this.db.insert(contactInteractions).values(values).returning().get();
  }

  updateInteraction(tenantId: number, id: number, set: Partial<NewInteraction>): void {
    this.db
      .update(contactInteractions)
      .set(set)
      .where(and(eq(contactInteractions.id, id), eq(contactInteractions.tenantId, tenantId)))
      .run();
  }

  hasTicket(tenantId: number, interactionId: number): boolean {
    return (
      this.db
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(eq(tickets.interactionId, interactionId), eq(tickets.tenantId, tenantId)))
        .get() !== undefined
    );
  }

  /** A new ticket with the first event of its history. */
  insertTicket(values: typeof tickets.$inferInsert, userId: number | null): TicketRow {
    const row = this.db.insert(tickets).values(values).returning().get();
    this.db
      .insert(ticketEvents)
      .values({ ticketId: row.id, at: row.createdAt, userId, interactionId: row.interactionId, changes: { status: { from: null, to: row.status } } })
      .run();
    return row;
  }

  /** Changes a ticket and records what changed in its history. */
  updateTicket(
    tenantId: number,
    id: number,
    set: Pick<TicketRow, 'subject' | 'status' | 'custom' | 'updatedAt'>,
    event: { userId: number | null; interactionId: number | null; changes: Record<string, { from: unknown; to: unknown }> },
  ): void {
    this.db
      .update(tickets)
      .set(set)
      .where(and(eq(tickets.id, id), eq(tickets.tenantId, tenantId)))
      .run();
    this.db
      .insert(ticketEvents)
      .values({ ticketId: id, at: set.updatedAt, ...event })
      .run();
  }

  status(tenantId: number, id: number) {
    return this.db
      .select()
      .from(statuses)
      .where(and(eq(statuses.id, id), eq(statuses.tenantId, tenantId)))
      .get();
  }

  statusGroup(tenantId: number, id: number) {
    return this.db
      .select()
      .from(statusGroups)
      .where(and(eq(statusGroups.id, id), eq(statusGroups.tenantId, tenantId)))
      .get();
  }

  tags(tenantId: number, ids: readonly number[]) {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(tags)
      .where(and(eq(tags.tenantId, tenantId), inArray(tags.id, [...ids])))
      .all();
  }

  updateContact(tenantId: number, id: number, set: Partial<typeof contacts.$inferInsert>): void {
    this.db
      .update(contacts)
      .set(set)
      .where(and(eq(contacts.id, id), eq(contacts.tenantId, tenantId)))
      .run();
  }

  markPhoneInvalid(tenantId: number, contactId: number, number: string, reason: string): void {
    this.db
      .update(contactPhones)
      .set({ valid: false, invalidReason: reason })
      .where(and(eq(contactPhones.tenantId, tenantId), eq(contactPhones.contactId, contactId), eq(contactPhones.number, number)))
      .run();
  }

  insertCallback(values: typeof callbacks.$inferInsert): number {
    return this.db.insert(callbacks).values(values).returning({ id: callbacks.id }).get().id;
  }

  /** A user is found by id alone: a super user of the system tenant may act in any tenant. */
  teamOf(userId: number): number | null {
    return (
      this.db
        .select({ teamId: users.teamId })
        .from(users)
        .where(eq(users.id, userId))
        .get()?.teamId ?? null
    );
  }

  userName(userId: number): string | null {
    return (
      this.db
        .select({ name: users.name })
        .from(users)
        .where(eq(users.id, userId))
        .get()?.name ?? null
    );
  }

  groupOfferedTo(groupId: number, teamId: number): boolean {
    return (
      this.db
        .select({ g: statusGroupTeams.groupId })
        .from(statusGroupTeams)
        .where(and(eq(statusGroupTeams.groupId, groupId), eq(statusGroupTeams.teamId, teamId)))
        .get() !== undefined
    );
  }

  activeGroups(tenantId: number) {
    return this.db
      .select()
      .from(statusGroups)
      .where(and(eq(statusGroups.tenantId, tenantId), eq(statusGroups.active, true)))
      .orderBy(asc(statusGroups.name))
      .all();
  }

  activeStatuses(tenantId: number, groupIds: readonly number[]) {
    if (groupIds.length === 0) return [];
    return this.db
      .select()
      .from(statuses)
      .where(and(eq(statuses.tenantId, tenantId), inArray(statuses.groupId, [...groupIds]), eq(statuses.active, true)))
      .orderBy(asc(statuses.name))
      .all();
  }

  activeTags(tenantId: number) {
    return this.db
      .select()
      .from(tags)
      .where(and(eq(tags.tenantId, tenantId), eq(tags.active, true)))
      .orderBy(asc(tags.title))
      .all();
  }

  /** The active shortcuts of a service and those of every service. */
  shortcutsFor(tenantId: number, serviceId: number | null) {
    return this.db
      .select()
      .from(shortcuts)
      .where(
        and(
          eq(shortcuts.tenantId, tenantId),
          eq(shortcuts.active, true),
          serviceId === null ? isNull(shortcuts.serviceId) : or(isNull(shortcuts.serviceId), eq(shortcuts.serviceId, serviceId)),
        ),
      )
      .orderBy(asc(shortcuts.prefix))
      .all();
  }

  form(tenantId: number, id: number) {
    return this.db
      .select()
      .from(contactForms)
      .where(and(eq(contactForms.id, id), eq(contactForms.tenantId, tenantId)))
      .get();
  }

  /** Whether the contact has any phone and any e-mail (a form may require them). */
  reachability(tenantId: number, contactId: number): { phones: boolean; emails: boolean } {
    const phone = this.db
      .select({ id: contactPhones.id })
      .from(contactPhones)
      .where(and(eq(contactPhones.tenantId, tenantId), eq(contactPhones.contactId, contactId)))
      .get();
    const email = this.db
      .select({ id: contactEmails.id })
      .from(contactEmails)
      .where(and(eq(contactEmails.tenantId, tenantId), eq(contactEmails.contactId, contactId)))
      .get();
    return { phones: phone !== undefined, emails: email !== undefined };
  }

  /** The interaction of a call not finished yet (a transfer hands it on). */
  unfinishedOfCall(tenantId: number, callId: string): InteractionRow | undefined {
    return this.db
      .select()
      .from(contactInteractions)
      .where(and(eq(contactInteractions.tenantId, tenantId), eq(contactInteractions.callId, callId), inArray(contactInteractions.state, ['open', 'pending'])))
      .orderBy(desc(contactInteractions.id))
      .get();
  }

  /** Interactions in some states (an agent's open work), oldest first, with the contact's name. */
  listOpen(tenantId: number, q: OpenQuery) {
    const text = q.q?.trim();
    const where = and(
      eq(contactInteractions.tenantId, tenantId),
      inArray(contactInteractions.state, [...q.states]),
      q.agentUserId === undefined ? undefined : eq(contactInteractions.agentUserId, q.agentUserId),
      text ? containsText([contacts.name, contactInteractions.serviceName, contactInteractions.protocol], text) : undefined,
    );
    const rows = this.db
      .select({ i: contactInteractions, contactName: contacts.name })
      .from(contactInteractions)
      .leftJoin(contacts, eq(contacts.id, contactInteractions.contactId))
      .where(where)
      .orderBy(asc(contactInteractions.startedAt), asc(contactInteractions.id))
      .limit(q.limit)
      .offset(q.offset)
      .all();
    const total = this.db.select({ n: count() }).from(contactInteractions).leftJoin(contacts, eq(contacts.id, contactInteractions.contactId)).where(where).get()?.n ?? 0;
    return { rows, total };
  }

  /** The contact's interactions on every channel, newest first, with the agent and the call. */
  history(tenantId: number, contactId: number, q: HistoryQuery) {
    const where = and(
      eq(contactInteractions.tenantId, tenantId),
      eq(contactInteractions.contactId, contactId),
      q.kind ? eq(contactInteractions.kind, q.kind) : undefined,
      q.channel ? eq(contactInteractions.channel, q.channel) : undefined,
      q.from === undefined ? undefined : gte(contactInteractions.startedAt, q.from),
      q.to === undefined ? undefined : lt(contactInteractions.startedAt, q.to),
    );
    const rows = this.db
      .select({
        i: contactInteractions,
        agent: users.name,
        call: {
          direction: calls.direction,
          from: calls.fromNumber,
          to: calls.toNumber,
          answeredAt: calls.answeredAt,
          endedAt: calls.endedAt,
          cause: calls.causeText,
          hangupBy: calls.hangupBy,
        },
      })
      .from(contactInteractions)
      .leftJoin(users, eq(users.id, contactInteractions.agentUserId))
      .leftJoin(calls, eq(calls.callId, contactInteractions.callId))
      .where(where)
      .orderBy(desc(contactInteractions.startedAt), desc(contactInteractions.id))
      .limit(q.limit)
      .offset(q.offset)
      .all();
    return { rows, total: this.db.select({ n: count() }).from(contactInteractions).where(where).get()?.n ?? 0 };
  }

  /**
   * What the calls of a history page went through: their recordings (oldest first) and the
   * IVR nodes each entered, named as in the IVR version the call ran.
   */
  callMedia(tenantId: number, callIds: readonly string[]): Map<string, CallMedia> {
    const out = new Map<string, CallMedia>(callIds.map((id) => [id, { recordings: [], ivrPath: [] }]));
    if (callIds.length === 0) return out;
    const kept = this.db
      .select({ id: recordings.id, callId: recordings.callId, startedAt: recordings.startedAt, durationSeconds: recordings.durationSeconds })
      .from(recordings)
      .where(and(eq(recordings.tenantId, tenantId), inArray(recordings.callId, [...callIds])))
      .orderBy(asc(recordings.startedAt), asc(recordings.id))
      .all();
    for (const r of kept) out.get(r.callId)?.recordings.push({ id: r.id, startedAt: r.startedAt, durationSeconds: r.durationSeconds });
    const entered = this.db
      .select({ callId: ivrTraces.callId, ivrId: ivrTraces.ivrId, version: ivrTraces.version, node: ivrTraces.node })
      .from(ivrTraces)
      .where(and(eq(ivrTraces.tenantId, tenantId), inArray(ivrTraces.callId, [...callIds]), eq(ivrTraces.event, 'entered')))
      .orderBy(asc(ivrTraces.id))
      .all();
    const names = new Map<string, string>();
    for (const v of new Set(entered.map((e) => `${e.ivrId}:${e.version}`))) {
      const [ivrId, version] = v.split(':').map(Number) as [number, number];
      const definition = this.db
        .select({ definition: ivrVersions.definition })
        .from(ivrVersions)
        .where(and(eq(ivrVersions.tenantId, tenantId), eq(ivrVersions.ivrId, ivrId), eq(ivrVersions.version, version)))
        .get()?.definition;
      for (const n of definition?.nodes ?? []) names.set(`${v}:${n.id}`, n.name);
    }
    for (const e of entered) out.get(e.callId)?.ivrPath.push(names.get(`${e.ivrId}:${e.version}:${e.node}`) ?? e.node);
    return out;
  }

  /** The tenant's tickets, most recently changed first, with their contact's name. */
  tickets(tenantId: number, q: TicketQuery) {
    const where = and(
      eq(tickets.tenantId, tenantId),
      q.status === undefined ? undefined : eq(tickets.status, q.status),
      q.contactId === undefined ? undefined : eq(tickets.contactId, q.contactId),
      q.q ? containsText([tickets.subject], q.q) : undefined,
    );
    const rows = this.db
      .select({ t: tickets, contactName: contacts.name })
      .from(tickets)
      .innerJoin(contacts, eq(contacts.id, tickets.contactId))
      .where(where)
      .orderBy(desc(tickets.updatedAt), desc(tickets.id))
      .limit(q.limit)
      .offset(q.offset)
      .all();
    return { rows, total: this.db.select({ n: count() }).from(tickets).where(where).get()?.n ?? 0 };
  }

  ticketsOf(tenantId: number, contactId: number): TicketRow[] {
    return this.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.tenantId, tenantId), eq(tickets.contactId, contactId)))
      .orderBy(desc(tickets.updatedAt), desc(tickets.id))
      .all();
  }

  ticket(tenantId: number | null, id: number): TicketRow | undefined {
    return this.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, id), tenantId === null ? undefined : eq(tickets.tenantId, tenantId)))
      .get();
  }

  /** The history of a ticket (already checked to be visible), oldest first, with who changed it. */
  ticketEvents(ticketId: number) {
    return this.db
      .select({ e: ticketEvents, login: users.login })
      .from(ticketEvents)
      .leftJoin(users, eq(users.id, ticketEvents.userId))
      .where(eq(ticketEvents.ticketId, ticketId))
      .orderBy(ticketEvents.id)
      .all();
  }

  callbacks(tenantId: number, q: CallbackQuery) {
    const where = and(
      eq(callbacks.tenantId, tenantId),
      q.agentUserId === undefined ? undefined : eq(callbacks.agentUserId, q.agentUserId),
      q.state === undefined ? undefined : eq(callbacks.state, q.state),
      q.dueBefore === undefined ? undefined : lt(callbacks.dueAt, q.dueBefore),
    );
    const rows = this.db
      .select({ c: callbacks, contactName: contacts.name })
      .from(callbacks)
      .leftJoin(contacts, eq(contacts.id, callbacks.contactId))
      .where(where)
      .orderBy(callbacks.dueAt, callbacks.id)
      .limit(q.limit)
      .offset(q.offset)
      .all()
      .map((r) => ({ ...r.c, contactName: r.contactName }));
    return { rows, total: this.db.select({ n: count() }).from(callbacks).where(where).get()?.n ?? 0 };
  }

  callback(tenantId: number | null, id: number): CallbackRow | undefined {
    return this.db
      .select()
      .from(callbacks)
      .where(and(eq(callbacks.id, id), tenantId === null ? undefined : eq(callbacks.tenantId, tenantId)))
      .get();
  }

  setCallbackState(tenantId: number, id: number, state: CallbackState): void {
    this.db
      .update(callbacks)
      .set({ state })
      .where(and(eq(callbacks.id, id), eq(callbacks.tenantId, tenantId)))
      .run();
  }
}

/**
 * Every query of the routing module: the engine's facts (interactions, offers, agent state
 * intervals), what the engine is loaded from (queues, members, agents, pause types), agents'
 * settings and memberships, metrics and exports, recordings.
 */
import { and, asc, eq, gte, inArray, isNull, lt, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database_, Db } from '../db/client.js';
import {
  agentActivity,
  agentSettings,
  agentStates,
  calls,
  pauseTypes,
  pauseTypeTeams,
  queueMembers,
  queues,
  recordings,
  routedInteractions,
  routedOffers,
  teamSupervisors,
  users,
} from '../db/schema/index.js';
import type { PauseTypeRules } from './agent.logic.js';
import type { InteractionRecord, OfferRecord } from './acd.model.js';
import type { WeeklyPeriod } from '../kernel/index.js';

export type QueueRow = typeof queues.$inferSelect;
export type MemberRow = typeof queueMembers.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type AgentStateRow = typeof agentStates.$inferSelect;
export type RecordingRow = typeof recordings.$inferSelect;
export type InteractionRow = typeof routedInteractions.$inferSelect;

export type TenantPauseType = PauseTypeRules & { tenantId: number };

export interface AgentSettings {
  skills: string[];
  workingHours: WeeklyPeriod[];
}

export interface NewStateRow {
  tenantId: number;
  userId: number;
  state: AgentStateRow['state'];
  pauseTypeId: number | null;
  pauseReason: string | null;
  pauseCause: AgentStateRow['pauseCause'];
  startedAt: number;
}

export class RoutingRepo {
  private readonly db: Db;
  private readonly upsert;

  constructor(readonly database: Database_) {
    this.db = database.db;
    // One statement for every change of an interaction (several per call): prepared once.
    this.upsert = database.sqlite.prepare(`
      INSERT INTO routed_interactions (id, tenant_id, queue_id, kind, call_id, contact_address, contact_name, contact_id, priority,
        entered_at, joined, outcome, first_offer_at, answered_at, left_at, agent, agent_user_id, agent_extension, ended_at,
        talk_ms, hold_ms, wrap_ms, handled, offers, unanswered_offers, transferred_from, end_reason)
      VALUES (@id, @tenantId, @queueId, @kind, @callId, @contactAddress, @contactName, @contactId, @priority,
        @enteredAt, @joined, @outcome, @firstOfferAt, @answeredAt, @leftAt, @agent, @agentUserId, @agentExtension, @endedAt,
        @talkMs, @holdMs, @wrapMs, @handled, @offers, @unansweredOffers, @transferredFrom, @endReason)
      ON CONFLICT(id) DO UPDATE SET outcome = excluded.outcome, first_offer_at = excluded.first_offer_at,
        answered_at = excluded.answered_at, left_at = excluded.left_at, agent = excluded.agent,
        agent_user_id = excluded.agent_user_id, agent_extension = excluded.agent_extension, ended_at = excluded.ended_at,
        talk_ms = excluded.talk_ms, hold_ms = excluded.hold_ms, wrap_ms = excluded.wrap_ms, handled = excluded.handled,
        offers = excluded.offers, unanswered_offers = excluded.unanswered_offers, end_reason = excluded.end_reason`);
  }

  // ───────────────────────── engine facts

  saveInteraction(r: InteractionRecord): void {
    this.upsert.run({ ...r, joined: r.joined ? 1 : 0, handled: r.handled ? 1 : 0 });
  }

  saveOffer(o: OfferRecord): void {
    this.db.insert(routedOffers).values(o).run();
  }

  /** Closes the user's open state row at `at` and opens the next one (none when it goes offline). */
  moveAgent(tenantId: number, userId: number, at: number, next: NewStateRow | null): void {
    this.db
      .update(agentStates)
      .set({ endedAt: at })
      .where(and(eq(agentStates.tenantId, tenantId), eq(agentStates.userId, userId), isNull(agentStates.endedAt)))
      .run();
    if (next) this.db.insert(agentStates).values(next).run();
  }

  markOverrun(tenantId: number, userId: number): void {
    this.db
      .update(agentStates)
      .set({ overrun: true })
      .where(and(eq(agentStates.tenantId, tenantId), eq(agentStates.userId, userId), isNull(agentStates.endedAt)))
      .run();
  }

  /** Login/logout/pause/return, in the activity table the organisation module keeps. */
  recordActivity(tenantId: number, userId: number, kind: 'pause' | 'return' | 'logout', pauseTypeId: number | null, at: number, reason: string | null = null): void {
    this.db.insert(agentActivity).values({ tenantId, userId, kind, pauseTypeId, at, reason }).run();
  }

  /** The open state row of every agent (what the engine is restored from after a restart). */
  openStates(): AgentStateRow[] {
    return this.db.select().from(agentStates).where(isNull(agentStates.endedAt)).all();
  }

  /** Interactions not yet handled (waiting or with an agent when the daemon stopped). */
  openInteractions(): InteractionRow[] {
    return this.db.select().from(routedInteractions).where(eq(routedInteractions.handled, false)).orderBy(asc(routedInteractions.enteredAt)).all();
  }

  /**
   * Closes interactions a stopped daemon left open, but those in `keep`: `lost` for those still
   * waiting, and the talk closed for those with an agent. Returns how many of each.
   */
  closeOrphans(at: number, reason: string, keep: readonly string[] = []): { lost: number; closed: number } {
    const open = keep.length > 0 ? and(eq(routedInteractions.handled, false), notInArray(routedInteractions.id, [...keep])) : eq(routedInteractions.handled, false);
    const lost = this.closeLost(at, reason, and(open, isNull(routedInteractions.outcome)));
    const closed = this.db
      .update(routedInteractions)
      .set({ endedAt: sql`coalesce(${routedInteractions.endedAt}, ${at})`, handled: true, endReason: sql`coalesce(${routedInteractions.endReason}, ${reason})` })
      .where(open)
      .run().changes;
    return { lost, closed };
  }

  /** Counts as lost the waiting interactions of `ids` still open (their callers never came back). */
  closeLostWaiting(ids: readonly string[], at: number, reason: string): number {
    if (ids.length === 0) return 0;
    return this.closeLost(at, reason, and(inArray(routedInteractions.id, [...ids]), eq(routedInteractions.handled, false), isNull(routedInteractions.outcome)));
  }

  private closeLost(at: number, reason: string, where: SQL | undefined): number {
    return this.db.update(routedInteractions).set({ outcome: 'lost', leftAt: at, handled: true, endReason: reason }).where(where).run().changes;
  }

  interaction(tenantId: number, id: string): InteractionRow | undefined {
    return this.db.select().from(routedInteractions).where(and(eq(routedInteractions.tenantId, tenantId), eq(routedInteractions.id, id))).get();
  }

  /** The last interaction (per queue visit) of a call. */
  interactionOfCall(tenantId: number, callId: string): InteractionRow | undefined {
    return this.db
      .select()
      .from(routedInteractions)
      .where(and(eq(routedInteractions.tenantId, tenantId), eq(routedInteractions.callId, callId)))
      .orderBy(sql`${routedInteractions.enteredAt} desc`)
      .limit(1)
      .get();
  }

  // ───────────────────────── what the engine is loaded from

  allQueues(): QueueRow[] {
    return this.db.select().from(queues).orderBy(asc(queues.id)).all();
  }

  queue(tenantId: number, id: number): QueueRow | undefined {
    return this.db.select().from(queues).where(and(eq(queues.tenantId, tenantId), eq(queues.id, id))).get();
  }

  /** The tenant's active queues the agent desktop shows (its transfer list), by name. */
  desktopQueues(tenantId: number): QueueRow[] {
    return this.db
      .select()
      .from(queues)
      .where(and(eq(queues.tenantId, tenantId), eq(queues.active, true), eq(queues.showOnDesktop, true)))
      .orderBy(asc(queues.name))
      .all();
  }

  /** Which of these queue ids are queues of the tenant. */
  queueIdsAmong(tenantId: number, ids: readonly number[]): number[] {
    if (ids.length === 0) return [];
    return this.db
      .select({ id: queues.id })
      .from(queues)
      .where(and(eq(queues.tenantId, tenantId), inArray(queues.id, [...ids])))
      .all()
      .map((q) => q.id);
  }

  members(queueId?: number): MemberRow[] {
    const q = this.db.select().from(queueMembers);
    return (queueId === undefined ? q : q.where(eq(queueMembers.queueId, queueId))).orderBy(asc(queueMembers.position)).all();
  }

  /** The teams of each queue's members (users with a team), by queue: whose supervisors see the queue. */
  memberTeams(tenantId: number, queueId?: number): Map<number, Set<number>> {
    const rows = this.db
      .selectDistinct({ queueId: queueMembers.queueId, teamId: users.teamId })
      .from(queueMembers)
      .innerJoin(users, eq(users.id, queueMembers.userId))
      .where(and(eq(queueMembers.tenantId, tenantId), eq(users.tenantId, tenantId), queueId === undefined ? undefined : eq(queueMembers.queueId, queueId)))
      .all();
    const out = new Map<number, Set<number>>();
    for (const r of rows) if (r.teamId !== null) out.set(r.queueId, (out.get(r.queueId) ?? new Set()).add(r.teamId));
    return out;
  }

  user(tenantId: number, id: number): UserRow | undefined {
    return this.db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))).get();
  }

  usersByIds(tenantId: number, ids: readonly number[]): UserRow[] {
    return ids.length === 0 ? [] : this.db.select().from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, [...ids]))).all();
  }

  pauseTypes(tenantId?: number): TenantPauseType[] {
    const rows = (tenantId === undefined ? this.db.select().from(pauseTypes) : this.db.select().from(pauseTypes).where(eq(pauseTypes.tenantId, tenantId))).all();
    const teams = this.db.select().from(pauseTypeTeams).all();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenantId,
      reason: r.reason,
      active: r.active,
      wrapUp: r.wrapUp,
      maxAgents: r.maxAgents,
      maxDurationMinutes: r.maxDurationMinutes,
      overrunAllowed: r.overrunAllowed,
      transferWhilePaused: r.transferWhilePaused,
      teamIds: teams.filter((t) => t.pauseTypeId === r.id).map((t) => t.teamId),
    }));
  }

  pauseType(tenantId: number, id: number): TenantPauseType | undefined {
    return this.pauseTypes(tenantId).find((p) => p.id === id);
  }

  /** The teams of a tenant a user supervises. */
  teamsSupervisedBy(tenantId: number, userId: number): number[] {
    return this.db
      .select({ teamId: teamSupervisors.teamId })
      .from(teamSupervisors)
      .where(and(eq(teamSupervisors.tenantId, tenantId), eq(teamSupervisors.userId, userId)))
      .all()
      .map((r) => r.teamId);
  }

  // ───────────────────────── agents' settings and memberships

  settings(tenantId: number, userId: number): AgentSettings {
    return this.settingsOfUsers(tenantId, [userId]).get(userId) ?? { skills: [], workingHours: [] };
  }

  /** Several users' settings at once; a user who never had any is left out. */
  settingsOfUsers(tenantId: number, userIds: readonly number[]): Map<number, AgentSettings> {
    const rows = this.db.select().from(agentSettings).where(and(eq(agentSettings.tenantId, tenantId), inArray(agentSettings.userId, [...userIds]))).all();
    return new Map(rows.map((r) => [r.userId, { skills: r.skills, workingHours: r.workingHours }]));
  }

  allSettings(): Map<number, AgentSettings> {
    return new Map(this.db.select().from(agentSettings).all().map((r) => [r.userId, { skills: r.skills, workingHours: r.workingHours }]));
  }

  saveSettings(tenantId: number, userId: number, s: AgentSettings, now: number): void {
    this.db
      .insert(agentSettings)
      .values({ tenantId, userId, skills: s.skills, workingHours: s.workingHours, updatedAt: now })
      .onConflictDoUpdate({ target: agentSettings.userId, set: { skills: s.skills, workingHours: s.workingHours, updatedAt: now } })
      .run();
  }

  /** The queues a user works, with its priority in each. */
  servicesOf(tenantId: number, userId: number): { queueId: number; priority: number }[] {
    return this.servicesOfUsers(tenantId, [userId]).get(userId) ?? [];
  }

  /** Several users' services at once, by user. */
  servicesOfUsers(tenantId: number, userIds: readonly number[]): Map<number, { queueId: number; priority: number }[]> {
    const rows = this.db
      .select({ userId: queueMembers.userId, queueId: queueMembers.queueId, priority: queueMembers.priority })
      .from(queueMembers)
      .where(and(eq(queueMembers.tenantId, tenantId), inArray(queueMembers.userId, [...userIds])))
      .orderBy(asc(queueMembers.queueId))
      .all();
    const by = new Map<number, { queueId: number; priority: number }[]>();
    for (const r of rows) {
      const list = by.get(r.userId!) ?? [];
      list.push({ queueId: r.queueId, priority: r.priority });
      by.set(r.userId!, list);
    }
    return by;
  }

  /** Adds the user to a queue (last in its list) or changes its priority there. */
  putMember(tenantId: number, queueId: number, userId: number, priority: number): void {
    const existing = this.db
      .select()
      .from(queueMembers)
      .where(and(eq(queueMembers.tenantId, tenantId), eq(queueMembers.queueId, queueId), eq(queueMembers.userId, userId)))
      .get();
    if (existing) {
      this.db.update(queueMembers).set({ priority }).where(eq(queueMembers.id, existing.id)).run();
      return;
    }
    const last = this.db.select({ n: sql<number>`coalesce(max(${queueMembers.position}), -1)` }).from(queueMembers).where(eq(queueMembers.queueId, queueId)).get();
    this.db.insert(queueMembers).values({ tenantId, queueId, userId, priority, position: (last?.n ?? -1) + 1 }).run();
  }

  removeMember(tenantId: number, queueId: number, userId: number): void {
    this.db
      .delete(queueMembers)
      .where(and(eq(queueMembers.tenantId, tenantId), eq(queueMembers.queueId, queueId), eq(queueMembers.userId, userId)))
      .run();
  }

  // ───────────────────────── metrics and exports

  interactionsBetween(tenantId: number, from: number, to: number, queueId?: number): InteractionRow[] {
    return this.db
      .select()
      .from(routedInteractions)
      .where(
        and(
          eq(routedInteractions.tenantId, tenantId),
          gte(routedInteractions.enteredAt, from),
          lt(routedInteractions.enteredAt, to),
          queueId === undefined ? undefined : eq(routedInteractions.queueId, queueId),
        ),
      )
      .orderBy(asc(routedInteractions.enteredAt))
      .all();
  }

  /** The queue visits an agent answered in [from, to). */
  answeredBy(tenantId: number, userId: number, from: number, to: number): { answeredAt: number; endedAt: number | null; talkMs: number; holdMs: number }[] {
    return this.db
      .select({ answeredAt: routedInteractions.answeredAt, endedAt: routedInteractions.endedAt, talkMs: routedInteractions.talkMs, holdMs: routedInteractions.holdMs })
      .from(routedInteractions)
      .where(and(eq(routedInteractions.tenantId, tenantId), eq(routedInteractions.agentUserId, userId), gte(routedInteractions.answeredAt, from), lt(routedInteractions.answeredAt, to)))
      .all()
      .map((r) => ({ ...r, answeredAt: r.answeredAt ?? from }));
  }

  /** The calls placed from an extension in [from, to): its own legs, to another extension or outside. */
  callsPlacedFrom(tenantId: number, extension: string, from: number, to: number): { answeredAt: number | null; endedAt: number | null }[] {
    return this.db
      .select({ answeredAt: calls.answeredAt, endedAt: calls.endedAt })
      .from(calls)
      .where(
        and(
          eq(calls.tenantId, tenantId),
          eq(calls.fromNumber, extension),
          isNull(calls.parentCallId),
          inArray(calls.kind, ['internal', 'outbound']),
          gte(calls.startedAt, new Date(from)),
          lt(calls.startedAt, new Date(to)),
        ),
      )
      .all()
      .map((r) => ({ answeredAt: r.answeredAt?.getTime() ?? null, endedAt: r.endedAt?.getTime() ?? null }));
  }

  /** State rows that overlap [from, to), of one user or all. */
  statesBetween(tenantId: number, from: number, to: number, userId?: number): (AgentStateRow & { userName: string })[] {
    return this.db
      .select({ row: agentStates, userName: users.name })
      .from(agentStates)
      .innerJoin(users, eq(users.id, agentStates.userId))
      .where(
        and(
          eq(agentStates.tenantId, tenantId),
          lt(agentStates.startedAt, to),
          or(isNull(agentStates.endedAt), gte(agentStates.endedAt, from)),
          userId === undefined ? undefined : eq(agentStates.userId, userId),
        ),
      )
      .orderBy(asc(agentStates.startedAt), asc(agentStates.id))
      .all()
      .map((r) => ({ ...r.row, userName: r.userName }));
  }

  // ───────────────────────── recordings

  addRecording(r: typeof recordings.$inferInsert): RecordingRow {
    return this.db.insert(recordings).values(r).returning().get();
  }

  recording(tenantId: number, id: number): RecordingRow | undefined {
    return this.db.select().from(recordings).where(and(eq(recordings.tenantId, tenantId), eq(recordings.id, id))).get();
  }

  /**
   * The recordings of a call, and of the call it is a leg of: a queue records the customer's
   * call, and the agent's leg (its own row in the calls list) hears the same conversation.
   */
  recordingsOfCall(tenantId: number, callId: string): RecordingRow[] {
    const parent = this.db
      .select({ id: calls.parentCallId })
      .from(calls)
      .where(and(eq(calls.tenantId, tenantId), eq(calls.callId, callId)))
      .get()?.id;
    return this.db
      .select()
      .from(recordings)
      .where(and(eq(recordings.tenantId, tenantId), inArray(recordings.callId, parent ? [callId, parent] : [callId])))
      .orderBy(asc(recordings.startedAt))
      .all();
  }

  expiredRecordings(now: number, limit: number): RecordingRow[] {
    return this.db
      .select()
      .from(recordings)
      .where(and(ne(recordings.expiresAt, 0), lte(recordings.expiresAt, now)))
      .orderBy(asc(recordings.expiresAt))
      .limit(limit)
      .all();
  }

  deleteRecording(id: number): void {
    this.db.delete(recordings).where(eq(recordings.id, id)).run();
  }
}

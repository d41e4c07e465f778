/**
 * The queries of the users report and the interaction map: agents with their team, the queue
 * visits they answered, the offers they got, and the CRM's interactions
 * with the status they were tabulated with. (The agents' state stretches and
 * the calls they placed come from `RoutingRepo`.)
 */
import { and, asc, eq, gte, isNotNull, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Database_, Db } from '../db/client.js';
import { contactInteractions, routedInteractions, routedOffers, teams, users } from '../db/schema/index.js';

export type CrmChannel = (typeof contactInteractions.$inferSelect)['channel'];

/** The tenant's rows whose instant `at` is in [from, to), with the further conditions given. */
const inPeriod = (tenant: SQLiteColumn, at: SQLiteColumn, tenantId: number, from: number, to: number, ...more: (SQL | undefined)[]) =>
  and(eq(tenant, tenantId), gte(at, from), lt(at, to), ...more);

export class ReportsRepo {
  private readonly db: Db;

  constructor(database: Database_) {
    this.db = database.db;
  }

  team(tenantId: number, id: number): { id: number } | undefined {
    return this.db.select({ id: teams.id }).from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, id))).get();
  }

  /** The tenant's users (of one team, or one user) with their team's name. */
  agents(tenantId: number, f: { teamId?: number | undefined; userId?: number | undefined }) {
    return this.db
      .select({ id: users.id, name: users.name, extension: users.extension, team: teams.name })
      .from(users)
      .leftJoin(teams, eq(teams.id, users.teamId))
      .where(and(eq(users.tenantId, tenantId), f.teamId === undefined ? undefined : eq(users.teamId, f.teamId), f.userId === undefined ? undefined : eq(users.id, f.userId)))
      .orderBy(asc(users.name))
      .all();
  }

  /** The queue visits answered in [from, to), with the agent who answered. */
  answeredVisits(tenantId: number, from: number, to: number, queueId?: number) {
    return this.db
      .select({
        userId: routedInteractions.agentUserId,
        queueId: routedInteractions.queueId,
        kind: routedInteractions.kind,
        answeredAt: routedInteractions.answeredAt,
        endedAt: routedInteractions.endedAt,
        talkMs: routedInteractions.talkMs,
        holdMs: routedInteractions.holdMs,
        wrapMs: routedInteractions.wrapMs,
        handled: routedInteractions.handled,
      })
      .from(routedInteractions)
      .where(
        inPeriod(routedInteractions.tenantId, routedInteractions.answeredAt, tenantId, from, to, isNotNull(routedInteractions.agentUserId), queueId === undefined ? undefined : eq(routedInteractions.queueId, queueId)),
      )
      .all()
      .map((r) => ({ ...r, userId: r.userId!, answeredAt: r.answeredAt! }));
  }

  /** Offers to agents made in [from, to). */
  offers(tenantId: number, from: number, to: number, queueId?: number) {
    return this.db
      .select({ userId: routedOffers.agentUserId, queueId: routedOffers.queueId, outcome: routedOffers.outcome })
      .from(routedOffers)
      .where(inPeriod(routedOffers.tenantId, routedOffers.offeredAt, tenantId, from, to, isNotNull(routedOffers.agentUserId), queueId === undefined ? undefined : eq(routedOffers.queueId, queueId)))
      .all()
      .map((r) => ({ ...r, userId: r.userId! }));
  }

  /** The CRM's interactions started in [from, to), of one service (queue), channel or agent. */
  tabulated(tenantId: number, from: number, to: number, f: { queueId?: number | undefined; channel?: CrmChannel | undefined; userId?: number | undefined }) {
    return this.db
      .select({
        statusId: contactInteractions.statusId,
        statusName: contactInteractions.statusName,
        groupName: contactInteractions.groupName,
        startedAt: contactInteractions.startedAt,
        endedAt: contactInteractions.endedAt,
      })
      .from(contactInteractions)
      .where(
        inPeriod(
          contactInteractions.tenantId,
          contactInteractions.startedAt,
          tenantId,
          from,
          to,
          f.queueId === undefined ? undefined : eq(contactInteractions.serviceId, f.queueId),
          f.channel === undefined ? undefined : eq(contactInteractions.channel, f.channel),
          f.userId === undefined ? undefined : eq(contactInteractions.agentUserId, f.userId),
        ),
      )
      .all();
  }
}

/**
 * A queue's day so far for the supervisor's charts (`queue-day.logic.ts`): today from local
 * midnight in the configured time zone, read again from the stored facts at each request — the
 * same facts the metrics and the calls report read, so the charts and the reports never
 * disagree. A supervisor sees the queues its teams' agents work; admins every queue.
 */
import type { Actor } from '../http/principal.js';
import { forbidden, localDate, localDayStart, notFound, type Clock } from '../kernel/index.js';
import { queueDay } from './queue-day.logic.js';
import type { RoutingService } from './routing.service.js';

export class QueueDayService {
  constructor(private readonly deps: { routing: Pick<RoutingService, 'repo' | 'supervisedTeams'>; clock: Clock; timeZone: string }) {}

  today(actor: Actor, tenantId: number, queueId: number) {
    const { repo } = this.deps.routing;
    const q = repo.queue(tenantId, queueId);
    if (!q) throw notFound('queue');
    this.checkSees(actor, tenantId, queueId, q.name);
    const tz = this.deps.timeZone;
    const now = this.deps.clock.now();
    const from = localDayStart(now, tz);
    const day = queueDay({
      facts: repo.interactionsBetween(tenantId, from, now + 1, queueId),
      settings: { slSeconds: q.slaSeconds, shortAbandonSeconds: q.shortAbandonSeconds, slVariant: 'ignore_short_abandons' },
      timeZone: tz,
      now,
    });
    return { queueId: q.id, name: q.name, date: localDate(now, tz), timeZone: tz, from: new Date(from).toISOString(), slSeconds: q.slaSeconds, slTargetPercent: q.slaPercent, ...day };
  }

  /** A supervisor sees a queue one of its teams' agents works (a member of it). */
  private checkSees(actor: Actor, tenantId: number, queueId: number, name: string): void {
    const teams = this.deps.routing.supervisedTeams(actor, tenantId);
    if (teams === 'all') return;
    const { repo } = this.deps.routing;
    const userIds = repo.members(queueId).flatMap((m) => (m.userId === null ? [] : [m.userId]));
    if (!repo.usersByIds(tenantId, userIds).some((u) => u.teamId !== null && teams.has(u.teamId))) throw forbidden(`the queue ${name} is not worked by a team you supervise`);
  }
}

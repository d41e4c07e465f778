/**
 * A queue's day so far for the supervisor's charts (`queue-day.logic.ts`): today from local
 * midnight in the configured time zone, read again from the stored facts at each request — the
 * same facts the metrics and the calls report read, so the charts and the reports never
 * disagree. A supervisor sees the queues its teams' agents work; admins every queue.
 */
import type { Actor } from '../http/principal.js';
import { localDate, localDayStart, notFound, type Clock } from '../kernel/index.js';
import { queueDay } from './queue-day.logic.js';
import type { RoutingService } from './routing.service.js';

export class QueueDayService {
  constructor(private readonly deps: { routing: Pick<RoutingService, 'repo' | 'checkSeesQueue'>; clock: Clock; timeZone: string }) {}

  today(actor: Actor, tenantId: number, queueId: number) {
    const { repo } = this.deps.routing;
    const q = repo.queue(tenantId, queueId);
    if (!q) throw notFound('queue');
    this.deps.routing.checkSeesQueue(actor, tenantId, { queueId, name: q.name });
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
}

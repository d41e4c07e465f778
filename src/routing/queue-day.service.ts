/**
 * A queue's day so far for the supervisor's charts (`queue-day.logic.ts`), and every queue's
 * metrics for the day for the panels' figures: today from local midnight in the configured time
 * zone (never the browser's), read again from the stored facts at each request — the same facts
 * the metrics and the calls report read, so the charts and the reports never disagree. A
 * supervisor sees the queues its teams' agents work; admins every queue.
 */
import type { Actor } from '../http/principal.js';
import { localDate, localDayStart, notFound, type Clock } from '../kernel/index.js';
import { queueDay } from './queue-day.logic.js';
import type { RoutingService } from './routing.service.js';

export class QueueDayService {
  constructor(private readonly deps: { routing: Pick<RoutingService, 'repo' | 'checkSeesQueue' | 'seesQueue' | 'metrics'>; clock: Clock; timeZone: string }) {}

  /** Today so far: the local date, and the instant it began. */
  private day() {
    const now = this.deps.clock.now();
    const from = localDayStart(now, this.deps.timeZone);
    return { now, from, day: { date: localDate(now, this.deps.timeZone), timeZone: this.deps.timeZone, from: new Date(from).toISOString() } };
  }

  /** The metrics of every queue the actor sees, over today so far. */
  allToday(actor: Actor, tenantId: number) {
    const { now, from, day } = this.day();
    const sees = this.deps.routing.seesQueue(actor, tenantId);
    return { ...day, items: this.deps.routing.metrics(tenantId, from, now + 1).filter((m) => sees(m.queueId)) };
  }

  today(actor: Actor, tenantId: number, queueId: number) {
    const { repo } = this.deps.routing;
    const q = repo.queue(tenantId, queueId);
    if (!q) throw notFound('queue');
    this.deps.routing.checkSeesQueue(actor, tenantId, { queueId, name: q.name });
    const { now, from, day } = this.day();
    const figures = queueDay({
      facts: repo.interactionsBetween(tenantId, from, now + 1, queueId),
      settings: { slSeconds: q.slaSeconds, shortAbandonSeconds: q.shortAbandonSeconds, slVariant: 'ignore_short_abandons' },
      timeZone: this.deps.timeZone,
      now,
    });
    return { queueId: q.id, name: q.name, ...day, slSeconds: q.slaSeconds, slTargetPercent: q.slaPercent, ...figures };
  }
}

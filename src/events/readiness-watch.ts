import type { Clock, LiveEvent, Readiness, Timer } from '../kernel/index.js';
import type { EventHub } from './events.hub.js';

/** How often the probes that have no events of their own (the database) are looked at. */
export const READINESS_SWEEP_MS = 500;

/**
 * `system.readiness`: whether the daemon is ready and which component is up. Reasons and
 * details are left out (they name hosts and paths); admins read them in `GET /api/v1/system`.
 */
export function readinessEvent(readiness: Readiness): LiveEvent {
  const { ready, checks } = readiness.check();
  const components = Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, { ok: c.ok }]));
  return { type: 'system.readiness', data: { ready, components } };
}

/**
 * Pushes readiness changes to the `system` topic: at once when a component says it changed
 * (ARI and AMI connection events), and within `sweepMs` for the others, looked at only while
 * someone subscribes.
 */
export function watchReadiness(o: { readiness: Readiness; hub: EventHub; clock: Clock; sweepMs?: number }): { stop(): void } {
  const sweepMs = o.sweepMs ?? READINESS_SWEEP_MS;
  let last: string | undefined;
  let timer: Timer | undefined;
  let stopped = false;

  o.hub.setSnapshot('system', () => readinessEvent(o.readiness));

  const look = () => {
    if (o.hub.subscribers('system') === 0) {
      last = undefined;
      return;
    }
    const event = readinessEvent(o.readiness);
    const key = JSON.stringify(event.data);
    if (key === last) return;
    // The first look after a quiet time publishes what new subscribers already got as a snapshot: harmless.
    last = key;
    o.hub.publish('system', null, event);
  };
  const sweep = () => {
    if (stopped) return;
    look();
    timer = o.clock.setTimeout(sweep, sweepMs);
  };
  const off = o.readiness.onChange(look);
  timer = o.clock.setTimeout(sweep, sweepMs);
  return {
    stop() {
      stopped = true;
      off();
      timer?.cancel();
    },
  };
}

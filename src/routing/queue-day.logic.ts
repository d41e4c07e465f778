/**
 * A queue's day so far, for the supervisor's charts, from the stored facts of its interactions:
 * per local hour (in the tenant's time zone, as the calls report cuts them) the calls offered,
 * answered and abandoned and the service level — each hour's figures by `queueMetrics`, the one
 * definition of them — and the day's abandoned and answered calls by how long they waited.
 * Pure: facts, settings and instants in, figures out.
 */
import { localTime } from '../kernel/weekly.js';
import { queueMetrics, waitOf, type InteractionFacts, type MetricSettings } from './metrics.logic.js';

/**
 * Upper bounds of the wait buckets, in seconds; one more bucket holds the longer waits. A bucket
 * holds waits over the previous bound up to its own, bound included, as "answered within T"
 * counts them: the answered calls of the buckets up to T are the service level's "within T".
 */
export const WAIT_BOUNDS_SECONDS: readonly number[] = [10, 20, 30, 60, 120, 300];

export interface HourFigures {
  /** The local hour, "09:00". */
  hour: string;
  offered: number;
  answered: number;
  abandoned: number;
  /** Percent, null when nothing counts toward it that hour. */
  serviceLevel: number | null;
}

export interface WaitBucket {
  /** Waits over this (0: from none at all)… */
  overSeconds: number;
  /** …up to this, included; null: no upper bound. */
  upToSeconds: number | null;
  abandoned: number;
  answered: number;
}

export interface QueueDay {
  offered: number;
  answered: number;
  abandoned: number;
  serviceLevel: number | null;
  /** Every local hour from midnight to the hour of `now`, the quiet ones with zeros. */
  hours: HourFigures[];
  waits: WaitBucket[];
}

/** The index in `WAIT_BOUNDS_SECONDS` of the bucket a wait falls in (its length: the last one). */
export function waitBucketOf(waitMs: number): number {
  const i = WAIT_BOUNDS_SECONDS.findIndex((bound) => waitMs <= bound * 1000);
  return i === -1 ? WAIT_BOUNDS_SECONDS.length : i;
}

const hourOf = (at: number, timeZone: string) => Math.floor(localTime(at, timeZone).minutes / 60);
const label = (h: number) => `${String(h).padStart(2, '0')}:00`;

/**
 * The day's figures from the facts of the interactions that entered the queue since local
 * midnight. An interaction counts in the hour it entered; a repeated hour (clocks put back) is
 * one hour of the clock, as the calls report shows it.
 */
export function queueDay(input: { facts: readonly InteractionFacts[]; settings: MetricSettings; timeZone: string; now: number }): QueueDay {
  const { facts, settings, timeZone, now } = input;
  const lastHour = hourOf(now, timeZone);
  const byHour: InteractionFacts[][] = Array.from({ length: 24 }, () => []);
  const waits: WaitBucket[] = [0, ...WAIT_BOUNDS_SECONDS].map((over, i) => ({ overSeconds: over, upToSeconds: WAIT_BOUNDS_SECONDS[i] ?? null, abandoned: 0, answered: 0 }));
  for (const f of facts) {
    byHour[hourOf(f.enteredAt, timeZone)]!.push(f);
    if (!f.joined) continue;
    if (f.answeredAt !== null) waits[waitBucketOf(waitOf(f, now))]!.answered++;
    else if (f.outcome === 'abandoned') waits[waitBucketOf(waitOf(f, now))]!.abandoned++;
  }
  const hours = byHour.slice(0, lastHour + 1).map((list, h) => {
    const m = queueMetrics(list, settings, now);
    return { hour: label(h), offered: m.offered, answered: m.answered, abandoned: m.abandoned, serviceLevel: m.serviceLevel };
  });
  const day = queueMetrics(facts, settings, now);
  return { offered: day.offered, answered: day.answered, abandoned: day.abandoned, serviceLevel: day.serviceLevel, hours, waits };
}

/**
 * A call centre in virtual time, two ways, on the same random numbers:
 *
 * - `simulateEngine` drives the real routing engine (FakeClock): Poisson arrivals, exponential
 *   handle times, optional exponential patience (Erlang A), agents that answer every offer at
 *   once. Its facts go to a sink like the production one.
 * - `simulateReference` is the textbook FIFO multi-server recursion (Lindley's, with
 *   reneging): call n starts at max(its arrival, the earliest time a server is free), or
 *   abandons at arrival + patience if that is earlier; an abandoning call takes no server.
 *
 * Every random quantity of call n (inter-arrival time, handle time, patience) comes from its
 * own seeded stream, drawn when the call arrives, so both meet the same callers; the
 * antithetic run (every uniform u replaced by 1 − u) meets their mirror image. Figures come from
 * the product's own metric formulas (`queueMetrics`).
 */
import { AcdEngine } from '../../src/routing/acd.service.js';
import type { AcdSink, InteractionHandle, Offer } from '../../src/routing/acd.model.js';
import { queueMetrics, type InteractionFacts, type QueueMetrics, type SlVariant } from '../../src/routing/metrics.logic.js';
import type { Interaction, QueueSettings, Strategy } from '../../src/routing/routing.model.js';
import { FakeClock, seededRandom, silentLogger, type Random, type Timer } from '../../src/kernel/index.js';

export interface SimSpec {
  agents: number;
  /** Calls per hour. */
  arrivalsPerHour: number;
  ahtSeconds: number;
  /** Mean patience (Erlang A); undefined: callers never hang up. */
  patienceSeconds?: number;
  calls: number;
  seed: number;
  antithetic?: boolean;
  strategy?: Strategy;
}

/** What happened to each call, in ms: NaN where it did not happen. */
export interface CallTimes {
  entered: Float64Array;
  answered: Float64Array;
  abandoned: Float64Array;
}

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const exp = (r: Random, mean: number): number => -Math.log(1 - r.next()) * mean;
const mirror = (r: Random): Random => ({ next: () => 1 - r.next() });

function streams(spec: SimSpec): [Random, Random, Random] {
  const [a, h, p] = [1, 2, 3].map((k) => {
    const r = seededRandom(spec.seed * 7919 + k);
    return spec.antithetic ? mirror(r) : r;
  });
  return [a!, h!, p!];
}

const times = (n: number): CallTimes => ({
  entered: new Float64Array(n).fill(NaN),
  answered: new Float64Array(n).fill(NaN),
  abandoned: new Float64Array(n).fill(NaN),
});

export function queueSettings(over: Partial<QueueSettings> = {}): QueueSettings {
  return {
    id: 1,
    tenantId: 1,
    name: 'sim',
    active: true,
    strategy: 'longest_idle',
    priority: 0,
    maxWaiting: 0,
    maxWaitSeconds: 0,
    ringSeconds: 15,
    autoPauseAfter: 0,
    autoPauseTypeId: null,
    wrapUpSeconds: 0,
    stickySeconds: 0,
    stickyMode: 'owner',
    priorityRules: [],
    joinRule: 'always',
    leaveRule: 'never',
    ...over,
  };
}

/** A voice interaction for queue 1 of tenant 1, entering now (`enteredAt`). */
export function interaction(over: Partial<Interaction> & Pick<Interaction, 'id' | 'enteredAt'>): Interaction {
  return {
    tenantId: 1,
    kind: 'voice_in',
    queueId: 1,
    priority: 0,
    contact: { address: over.id, name: null, contactId: null },
    requiredSkills: [],
    ownerAgent: null,
    lastAgent: null,
    callId: null,
    transferredFrom: null,
    targetAgent: null,
    ...over,
  };
}

/** The routing engine, driven by the callers of `spec`. */
export function simulateEngine(spec: SimSpec): CallTimes {
  const clock = new FakeClock(T0);
  const [arrivals, handling, patience] = streams(spec);
  const out = times(spec.calls);
  const sink: AcdSink = {
    interaction: (r) => {
      if (!r.handled) return;
      const n = Number(r.id);
      out.entered[n] = r.enteredAt;
      if (r.answeredAt !== null) out.answered[n] = r.answeredAt;
      else if (r.outcome === 'abandoned') out.abandoned[n] = r.leftAt!;
    },
  };
  const engine = new AcdEngine({ clock, random: seededRandom(spec.seed), logger: silentLogger, sink });
  for (let i = 0; i < spec.agents; i++) {
    engine.setAgent({ key: `a${i}`, tenantId: 1, userId: i + 1, name: `a${i}`, extension: null, teamId: null, capacity: { voice: 1, chat: 0, email: 0 }, skills: [] });
  }
  engine.setQueue(
    queueSettings({ strategy: spec.strategy ?? 'longest_idle' }),
    Array.from({ length: spec.agents }, (_, i) => ({ agent: `a${i}`, priority: 1, order: i })),
  );
  for (let i = 0; i < spec.agents; i++) engine.login(`a${i}`);

  const meanArrivalMs = 3_600_000 / spec.arrivalsPerHour;
  const handleMs = new Map<string, number>();
  const impatience = new Map<string, Timer>();
  const handle: InteractionHandle = {
    offer: (offer: Offer) => {
      // The agent answers at once; the call lasts its drawn handle time, and patience no longer matters.
      const id = offer.interaction.id;
      if (engine.offerAnswered(offer.id)) clock.setTimeout(() => engine.ended(id), handleMs.get(id)!);
      handleMs.delete(id);
      impatience.get(id)?.cancel();
      impatience.delete(id);
    },
    withdraw: () => undefined,
    leave: () => undefined,
  };
  let arrived = 0;
  const arrive = () => {
    const id = String(arrived++);
    handleMs.set(id, exp(handling, spec.ahtSeconds * 1000));
    const patienceMs = spec.patienceSeconds === undefined ? undefined : exp(patience, spec.patienceSeconds * 1000);
    engine.enqueue(interaction({ id, enteredAt: clock.now() }), handle);
    if (patienceMs !== undefined && handleMs.has(id)) {
      impatience.set(
        id,
        clock.setTimeout(() => {
          impatience.delete(id);
          engine.abandoned(id);
        }, patienceMs),
      );
    }
    if (arrived < spec.calls) clock.setTimeout(arrive, exp(arrivals, meanArrivalMs));
  };
  clock.setTimeout(arrive, exp(arrivals, meanArrivalMs));
  for (let next = clock.nextAt(); next !== undefined; next = clock.nextAt()) clock.advance(next - clock.now());
  return out;
}

/** One call's times in ms (NaN where it did not happen). */
export interface CallTime {
  entered: number;
  answered: number;
  abandoned: number;
}

/** The FIFO multi-server queue with reneging, computed directly, call by call (no memory kept). */
export function* referenceCalls(spec: SimSpec): Generator<CallTime> {
  const [arrivals, handling, patience] = streams(spec);
  const free = new Float64Array(spec.agents).fill(T0);
  const meanArrivalMs = 3_600_000 / spec.arrivalsPerHour;
  let t = T0;
  for (let n = 0; n < spec.calls; n++) {
    t += exp(arrivals, meanArrivalMs);
    const h = exp(handling, spec.ahtSeconds * 1000);
    const p = spec.patienceSeconds === undefined ? Infinity : exp(patience, spec.patienceSeconds * 1000);
    let k = 0;
    for (let j = 1; j < spec.agents; j++) if (free[j]! < free[k]!) k = j;
    const start = Math.max(t, free[k]!);
    if (start - t > p) yield { entered: t, answered: NaN, abandoned: t + p };
    else {
      free[k] = start + h;
      yield { entered: t, answered: start, abandoned: NaN };
    }
  }
}

/** The reference queue's timeline as arrays (to compare with the engine's). */
export function simulateReference(spec: SimSpec): CallTimes {
  const out = times(spec.calls);
  let n = 0;
  for (const c of referenceCalls(spec)) {
    out.entered[n] = c.entered;
    out.answered[n] = c.answered;
    out.abandoned[n] = c.abandoned;
    n++;
  }
  return out;
}

export function* callsOf(r: CallTimes): Generator<CallTime> {
  for (let n = 0; n < r.entered.length; n++) yield { entered: r.entered[n]!, answered: r.answered[n]!, abandoned: r.abandoned[n]! };
}

export interface Figures {
  metrics: QueueMetrics;
  /** Share of answered calls that waited at all. */
  waitedShare: number;
}

/** The figures of each run's calls after the first `warmup` (they meet an empty centre), with the product's formulas. */
export function figures(runs: readonly Iterable<CallTime>[], warmup: number, slSeconds: number, slVariant: SlVariant): Figures {
  let answered = 0;
  let waited = 0;
  function* facts(): Generator<InteractionFacts> {
    for (const run of runs) {
      let n = 0;
      for (const c of run) {
        if (n++ < warmup) continue;
        const a = Number.isNaN(c.answered) ? null : c.answered;
        const gone = Number.isNaN(c.abandoned) ? null : c.abandoned;
        if (a === null && gone === null) throw new Error(`call ${n - 1} never finished`);
        if (a !== null) {
          answered++;
          if (a > c.entered) waited++;
        }
        yield {
          kind: 'voice_in',
          enteredAt: c.entered,
          joined: true,
          outcome: a !== null ? 'answered' : 'abandoned',
          answeredAt: a,
          leftAt: gone,
          talkMs: 0,
          holdMs: 0,
          wrapMs: 0,
          handled: true,
          offers: a === null ? 0 : 1,
          unansweredOffers: 0,
        };
      }
    }
  }
  const metrics = queueMetrics(facts(), { slSeconds, shortAbandonSeconds: 0, slVariant }, T0);
  return { metrics, waitedShare: waited / answered };
}

/** Erlang C: probability of waiting with `agents` servers and `erlangs` of offered load. */
export function erlangC(erlangs: number, agents: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < agents; k++) {
    if (k > 0) term = (term * erlangs) / k;
    sum += term;
  }
  const top = ((term * erlangs) / agents) * (agents / (agents - erlangs));
  return top / (sum + top);
}

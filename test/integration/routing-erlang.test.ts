/**
 * The routing engine against queueing theory (Erlang C, Erlang A), in virtual time.
 *
 * 100 calls per 30 minutes, exponential handle times of mean 180 s, 20 s service-level target:
 * - Erlang C, 12 agents: P(wait) 0.449, service level 64.0 %, ASA 40.4 s; 13 agents: 79.6 %, 17.1 s.
 * - Erlang A (exponential patience, mean 120 s), 12 agents: P(abandon) 6.16 %, ASA of the
 *   answered 6.33 s, service level over answered + abandoned 82.6 %.
 *
 * Two steps, both on the same seeded callers:
 * 1. The engine serves every caller exactly as the FIFO multi-server queue does — the same
 *    answer or abandon time for every call, to the millisecond — over 30 000 calls and their
 *    antithetic mirror. (For identical agents, FIFO fixes each call's start time whichever agent
 *    takes it, so any difference is a routing fault: an agent idle while a call waits, a call
 *    served out of turn, a caller lost, a leg left ringing.)
 * 2. That queue, run over 4 million calls and their antithetic mirror (the standard error of ASA
 *    at 12 agents is then about 0.25 s), gives the theory's figures within ±0.5 percentage points
 *    and ±1 s, computed with the product's own metric formulas.
 * Driving the engine itself through the long runs takes minutes of CPU; set
 * ATENDE_ERLANG_ENGINE_CALLS (e.g. 1000000) to do it (README: figures of such a run).
 */
import { describe, expect, it } from 'vitest';
import { callsOf, erlangC, figures, referenceCalls, simulateEngine, simulateReference, type CallTime, type CallTimes, type SimSpec } from '../helpers/acd-sim.js';

const LONG_RUN = 4_000_000;
const EQUALITY_RUN = 30_000;
/** The first calls meet an empty centre; they are left out of the figures. */
const WARMUP = 2_000;
const SEED = 1;

interface Scenario {
  name: string;
  spec: Omit<SimSpec, 'calls' | 'seed' | 'antithetic'>;
  theory: { serviceLevel: number; asaSeconds: number; pWait?: number; abandonPercent?: number };
}

const base = { arrivalsPerHour: 200, ahtSeconds: 180 };
const scenarios: Scenario[] = [
  { name: 'Erlang C, 12 agents', spec: { ...base, agents: 12 }, theory: { pWait: 0.449, serviceLevel: 64.0, asaSeconds: 40.4 } },
  { name: 'Erlang C, 13 agents', spec: { ...base, agents: 13 }, theory: { serviceLevel: 79.6, asaSeconds: 17.1 } },
  { name: 'Erlang A, 12 agents, patience 120 s', spec: { ...base, agents: 12, patienceSeconds: 120 }, theory: { abandonPercent: 6.16, serviceLevel: 82.6, asaSeconds: 6.33 } },
];

/** Byte-for-byte equal timelines (NaN where a call was not answered / did not abandon). */
function expectSameTimeline(engine: CallTimes, reference: CallTimes): void {
  for (const k of ['entered', 'answered', 'abandoned'] as const) {
    const a = Buffer.from(engine[k].buffer);
    const b = Buffer.from(reference[k].buffer);
    if (!a.equals(b)) {
      const n = engine[k].findIndex((v, i) => !Object.is(v, reference[k][i]));
      expect.fail(`call ${n}: ${k} at ${engine[k][n]} by the engine, ${reference[k][n]} by the FIFO queue`);
    }
  }
}

function expectTheory(runs: Iterable<CallTime>[], s: Scenario): void {
  // Service level over every call offered (answered within 20 s ÷ answered + abandoned).
  const { metrics: m, waitedShare } = figures(runs, WARMUP, 20, 'all_offered');
  expect(Math.abs(m.serviceLevel! - s.theory.serviceLevel), `service level ${m.serviceLevel}`).toBeLessThanOrEqual(0.5);
  expect(Math.abs(m.asaMs! / 1000 - s.theory.asaSeconds), `ASA ${m.asaMs! / 1000}`).toBeLessThanOrEqual(1);
  if (s.theory.pWait !== undefined) expect(Math.abs(waitedShare - s.theory.pWait), `P(wait) ${waitedShare}`).toBeLessThanOrEqual(0.005);
  if (s.theory.abandonPercent !== undefined) {
    expect(Math.abs((100 * m.abandoned) / m.offered - s.theory.abandonPercent), `abandoned ${(100 * m.abandoned) / m.offered} %`).toBeLessThanOrEqual(0.5);
  } else expect(m.abandoned).toBe(0);
}

describe('routing engine against Erlang C and Erlang A', () => {
  it('the theory figures themselves (Erlang C formula)', () => {
    const A = (200 * 180) / 3600;
    for (const [agents, pw, sl, asa] of [
      [12, 0.449, 64.0, 40.4],
      [13, undefined, 79.6, 17.1],
    ] as const) {
      const c = erlangC(A, agents);
      if (pw !== undefined) expect(c).toBeCloseTo(pw, 3);
      expect(100 * (1 - c * Math.exp((-(agents - A) * 20) / 180))).toBeCloseTo(sl, 1);
      expect((c * 180) / (agents - A)).toBeCloseTo(asa, 1);
    }
  });

  describe.each(scenarios)('$name', (s) => {
    it('the engine answers (or loses) every caller exactly when the FIFO queue does', { timeout: 120_000 }, () => {
      for (const antithetic of [false, true]) {
        const spec = { ...s.spec, calls: EQUALITY_RUN, seed: SEED, antithetic };
        expectSameTimeline(simulateEngine(spec), simulateReference(spec));
      }
    });

    it('the figures sit within ±0.5 points and ±1 s of the theory', { timeout: 180_000 }, () => {
      expectTheory([false, true].map((antithetic) => referenceCalls({ ...s.spec, calls: LONG_RUN, seed: SEED, antithetic })), s);
    });

    const engineCalls = Number(process.env.ATENDE_ERLANG_ENGINE_CALLS ?? 0);
    it.runIf(engineCalls > 0)('the engine itself, over ATENDE_ERLANG_ENGINE_CALLS calls and their mirror', { timeout: 3_600_000 }, () => {
      expectTheory([false, true].map((antithetic) => callsOf(simulateEngine({ ...s.spec, calls: engineCalls, seed: SEED, antithetic }))), s);
    });
  });
});

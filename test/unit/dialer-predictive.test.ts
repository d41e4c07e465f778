import { describe, expect, it } from 'vitest';
import { ofcomRule, recordAnswered } from '../../src/dialer/abandon.logic.js';
import { createDialer, stepDialer, type DialerState } from '../../src/dialer/dialer.logic.js';
import type { DialerEvent, DialerSettings, Pacer } from '../../src/dialer/dialer.model.js';
import { PredictivePacer, type PredictiveOptions } from '../../src/dialer/predictive.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const NOW = T0 + 3_600_000;

const settings: DialerSettings = {
  mode: 'predictive',
  maxLines: 200,
  connectGraceMs: 2000,
  ringTimeoutMs: 25_000,
  amd: false,
  abandon: ofcomRule(0),
  maxLinesPerAgent: 3,
};

interface Spec {
  idle?: number;
  /** Seconds each talking agent has been talking. */
  talking?: number[];
  /** Seconds each agent has been in wrap-up. */
  wrapping?: number[];
  /** Seconds each unanswered call has been ringing. */
  ringing?: number[];
  /** Lines of the campaign (default the settings'). */
  lines?: number;
}

/** A campaign in the given state at NOW, built by stepping the real core. */
function world(spec: Spec): DialerState {
  let want = 0;
  const driver: Pacer = {
    name: 'driver',
    observe() {},
    decide() {
      const n = want;
      want = 0;
      return n;
    },
  };
  const s = createDialer(spec.lines ? { ...settings, maxLines: spec.lines } : settings, driver);
  const talking = spec.talking ?? [];
  const wrapping = spec.wrapping ?? [];
  const agents = (spec.idle ?? 0) + talking.length + wrapping.length;
  for (let i = 0; i < agents; i++) stepDialer(s, { type: 'AgentLoggedIn', agentId: `a${i}` }, T0);
  const timeline: { at: number; event: DialerEvent | 'dial' }[] = [];
  let seq = 1;
  for (const e of talking) {
    const id = `dial-${seq++}`;
    timeline.push({ at: T0, event: 'dial' }, { at: NOW - e * 1000, event: { type: 'CallAnswered', callId: id } });
  }
  for (const e of wrapping) {
    const id = `dial-${seq++}`;
    timeline.push(
      { at: T0, event: 'dial' },
      { at: NOW - (e + 60) * 1000, event: { type: 'CallAnswered', callId: id } },
      { at: NOW - e * 1000, event: { type: 'CallEnded', callId: id } },
    );
  }
  for (const e of spec.ringing ?? []) timeline.push({ at: NOW - e * 1000, event: 'dial' });
  timeline.sort((a, b) => a.at - b.at);
  for (const { at, event } of timeline) {
    if (event === 'dial') {
      want = 1;
      stepDialer(s, { type: 'Tick' }, at);
    } else stepDialer(s, event, at);
  }
  return s;
}

const pacer = (over: Partial<PredictiveOptions> = {}) =>
  new PredictivePacer(settings, { targetAbandonRate: 0.025, maxAbandonRate: 0.03, warmupConnects: 0, ...over });

/** A pacer that has seen a list where a quarter of the calls reach a person after ~8 s, and 2-minute talks. */
function trained(): PredictivePacer {
  const p = pacer();
  const s = world({});
  for (let i = 0; i < 800; i++) {
    const callId = `t${i}`;
    if (i % 4 === 0) p.observe({ type: 'Screened', callId, ringMs: 5000 + (i % 7) * 1000, screenMs: 0, toAgent: true }, s, T0);
    else p.observe({ type: 'NotAnswered', callId, outcome: 'no_answer', ringMs: 25_000 }, s, T0);
    if (i % 4 === 0) p.observe({ type: 'TalkEnded', callId, talkMs: 60_000 + (i % 13) * 10_000, machine: false }, s, T0);
    if (i % 4 === 0) p.observe({ type: 'WrapEnded', agentId: 'a', wrapMs: 15_000 }, s, T0);
  }
  return p;
}

describe('predictive pacing decisions', () => {
  it('cold start: progressive until enough calls have reached agents', () => {
    const s = world({ idle: 5, talking: [30, 60, 90] });
    expect(pacer({ warmupConnects: 20 }).decide(s, NOW)).toBe(5);
  });

  it('never fewer calls than one per uncovered idle agent', () => {
    const s = world({ idle: 6, ringing: [3, 5] });
    expect(pacer().decide(s, NOW)).toBeGreaterThanOrEqual(4);
  });

  it('dials beyond one call per idle agent when the risk allows', () => {
    const s = world({ idle: 4, talking: [100, 110, 120, 130, 140, 150] });
    expect(trained().decide(s, NOW)).toBeGreaterThan(4);
  });

  it('the more calls already ringing, the fewer new ones', () => {
    const few = pacer().decide(world({ idle: 3, talking: [60, 60, 60, 60, 60, 60, 60], ringing: [2] }), NOW);
    const many = pacer().decide(world({ idle: 3, talking: [60, 60, 60, 60, 60, 60, 60], ringing: [2, 2, 3, 4, 5, 6, 8] }), NOW);
    expect(few).toBeGreaterThan(many);
  });

  it('agents about to finish wrap-up invite more calls than agents just starting a call', () => {
    const finishing = pacer({ priorWrapSeconds: 20 }).decide(world({ idle: 1, wrapping: [25, 25, 25, 25, 25, 25] }), NOW);
    const starting = pacer({ priorWrapSeconds: 20 }).decide(world({ idle: 1, talking: [1, 1, 1, 1, 1, 1] }), NOW);
    expect(finishing).toBeGreaterThan(starting);
  });

  it('every agent busy for minutes to come and calls in flight: nothing more is dialled', () => {
    const s = world({ talking: [1, 2, 3, 4, 5], ringing: [1, 2, 3, 4, 5] });
    expect(pacer().decide(s, NOW)).toBe(0);
  });

  it('at the hard maximum over the window it falls back to progressive', () => {
    const s = world({ idle: 4, talking: [100, 110, 120, 130, 140, 150] });
    const free = trained().decide(s, NOW);
    for (let i = 0; i < 400; i++) recordAnswered(s.ledger, i < 20 ? 'dropped' : 'connected', NOW - 60_000);
    const p = trained();
    expect(free).toBeGreaterThan(4);
    expect(p.decide(s, NOW)).toBe(4);
    expect(p.diagnostics().guard).toBe(0);
  });

  it('no agents counted: nothing to pace', () => {
    expect(pacer().decide(world({}), NOW)).toBe(0);
  });

  it('learns the answer share: a list where few calls need an agent is dialled harder', () => {
    const s = world({ idle: 2, talking: [100, 100, 100, 100, 100, 100, 100, 100] });
    const learn = (needsEvery: number) => {
      const p = pacer();
      for (let i = 0; i < 600; i++) {
        const callId = `x${i}`;
        if (i % needsEvery === 0) p.observe({ type: 'Screened', callId, ringMs: 8000, screenMs: 0, toAgent: true }, s, T0);
        else p.observe({ type: 'NotAnswered', callId, outcome: 'no_answer', ringMs: 25_000 }, s, T0);
      }
      return p;
    };
    const rare = learn(10).decide(s, NOW);
    const common = learn(2).decide(s, NOW);
    expect(rare).toBeGreaterThan(common);
  });
});

describe('steering the risk threshold', () => {
  /** Run decisions and outcomes on one world: every launched call needs an agent and is then connected or abandoned. */
  function steer(abandonEvery: number): number {
    const s = world({ idle: 3, talking: [200, 200, 200, 200, 200, 200, 200, 200, 200] });
    const p = pacer();
    let id = 0;
    for (let round = 0; round < 200; round++) {
      const n = p.decide(s, NOW);
      for (let i = 0; i < n; i++) {
        const callId = `c${id++}`;
        p.observe({ type: 'Dialled', callId }, s, NOW);
        p.observe({ type: 'Screened', callId, ringMs: 8000, screenMs: 0, toAgent: true }, s, NOW);
        if (id % abandonEvery === 0) p.observe({ type: 'Abandoned', callId, waitedMs: 2000, dropped: true }, s, NOW);
        else p.observe({ type: 'Connected', callId, waitedMs: 0 }, s, NOW);
      }
    }
    return p.diagnostics().calibration;
  }

  it('realised abandons above the prediction raise the calibration factor, none lower it', () => {
    expect(steer(5)).toBeGreaterThan(1);
    expect(steer(1_000_000)).toBeLessThan(1);
  });
});

describe('cold start of a large floor', () => {
  /** A default pacer (warm-up on) that has seen `connects` calls reach agents and `ended` of their talks and wrap-ups end. */
  function seen(connects: number, ended: number, over: Partial<PredictiveOptions> = {}): PredictivePacer {
    const p = new PredictivePacer(settings, { targetAbandonRate: 0.025, maxAbandonRate: 0.03, ...over });
    const s = world({});
    for (let i = 0; i < 4 * connects; i++) {
      const callId = `w${i}`;
      if (i % 4 === 0) p.observe({ type: 'Screened', callId, ringMs: 5000 + (i % 7) * 1000, screenMs: 0, toAgent: true }, s, T0);
      else p.observe({ type: 'NotAnswered', callId, outcome: 'no_answer', ringMs: 25_000 }, s, T0);
    }
    for (let i = 0; i < connects; i++) p.observe({ type: 'Connected', callId: `w${4 * i}`, waitedMs: 0 }, s, T0);
    for (let i = 0; i < ended; i++) {
      p.observe({ type: 'TalkEnded', callId: `w${4 * i}`, talkMs: 60_000 + (i % 13) * 10_000, machine: false }, s, T0);
      p.observe({ type: 'WrapEnded', agentId: 'a', wrapMs: 15_000 }, s, T0);
    }
    return p;
  }

  const talkingFor = (agents: number) => Array.from({ length: agents }, (_, i) => 100 + (i % 6) * 10);

  it('the warm-up grows with the floor: 30 calls with agents are enough for 10 agents, not for 200', () => {
    const small = world({ idle: 4, talking: talkingFor(6) });
    const large = world({ idle: 4, talking: talkingFor(196), lines: 600 });
    expect(seen(30, 30).decide(small, NOW)).toBeGreaterThan(4);
    expect(seen(30, 30).decide(large, NOW)).toBe(4);
    expect(seen(250, 250).decide(large, NOW)).toBeGreaterThan(4);
  });

  it('the warm-up waits for talks and wrap-ups to end, not only for calls to reach agents', () => {
    const large = world({ idle: 4, talking: talkingFor(196), lines: 600 });
    // A whole floor connected at once: the talks that ended first are the short ones.
    expect(seen(300, 40).decide(large, NOW)).toBe(4);
    expect(seen(300, 150).decide(large, NOW)).toBeGreaterThan(4);
  });

  it('after the warm-up, calls in flight per agent rise from one towards the maximum as calls reach agents', () => {
    const idle = world({ idle: 20 });
    const p = seen(20, 20);
    // Warm, but nothing has reached an agent since: one call per agent at most.
    expect(p.decide(idle, NOW)).toBe(20);
    const s = world({});
    for (let i = 0; i < 20; i++) p.observe({ type: 'Connected', callId: `r${i}`, waitedMs: 0 }, s, NOW);
    // As many connects again as agents: the full three lines per agent are allowed.
    expect(p.decide(idle, NOW)).toBeGreaterThan(40);
  });

  it('a burst of calls reaching agents at one moment does not wind the risk threshold up; the same calls spread over minutes do', () => {
    const s = world({ idle: 3, talking: [200, 200, 200, 200, 200, 200, 200, 200, 200] });
    const run = (spacingMs: number) => {
      const p = pacer();
      const start = p.threshold;
      let id = 0;
      for (let round = 0; round < 60; round++) {
        const at = NOW + round * spacingMs;
        const n = p.decide(s, at);
        for (let i = 0; i < n; i++) {
          const callId = `b${id++}`;
          p.observe({ type: 'Dialled', callId }, s, at);
          p.observe({ type: 'Screened', callId, ringMs: 8000, screenMs: 0, toAgent: true }, s, at);
          p.observe({ type: 'Connected', callId, waitedMs: 0 }, s, at);
        }
      }
      return p.threshold / start;
    };
    expect(run(0)).toBeLessThan(1.1);
    expect(run(60_000)).toBeGreaterThan(2);
  });
});

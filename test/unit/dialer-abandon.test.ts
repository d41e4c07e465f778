import { describe, expect, it } from 'vitest';
import {
  createLedger,
  ftcRule,
  lifetimeFigures,
  ofcomRule,
  reclassifyAsMachine,
  recordAnswered,
  windowFigures,
  type AnsweredOutcome,
} from '../../src/dialer/abandon.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ledgerWith(counts: Partial<Record<AnsweredOutcome, number>>, fp = 0) {
  const l = createLedger(ofcomRule(fp));
  for (const [outcome, n] of Object.entries(counts)) for (let i = 0; i < (n ?? 0); i++) recordAnswered(l, outcome as AnsweredOutcome, T0);
  return l;
}

describe('true abandon rate (persons abandoned ÷ persons who answered)', () => {
  it.each<[string, Partial<Record<AnsweredOutcome, number>>, number, { persons: number; abandoned: number; rate: number }]>([
    ['no calls', {}, 0, { persons: 0, abandoned: 0, rate: 0 }],
    ['3 drops in 100 answered persons', { connected: 97, dropped: 3 }, 0, { persons: 100, abandoned: 3, rate: 0.03 }],
    // 10 % of calls put through were machines: 10 % of drops are taken as machines, not persons.
    ['drops adjusted for machines', { connected: 90, connected_machine: 10, dropped: 10 }, 0, { persons: 99, abandoned: 9, rate: 9 / 99 }],
    ['hang-ups while waiting count', { connected: 98, hung_up_waiting: 2 }, 0, { persons: 100, abandoned: 2, rate: 0.02 }],
    // 1 % of persons are rejected by detection: 99 reached → 1 estimated false positive.
    ['detection false positives estimated', { connected: 99, amd_hangup: 40 }, 0.01, { persons: 100, abandoned: 1, rate: 0.01 }],
    ['false positives never exceed the detection hang-ups', { connected: 990, amd_hangup: 2 }, 0.01, { persons: 992, abandoned: 2, rate: 2 / 992 }],
    ['detection off: its hang-ups do not count', { connected: 100, amd_hangup: 40 }, 0, { persons: 100, abandoned: 0, rate: 0 }],
  ])('%s', (_name, counts, fp, want) => {
    const f = lifetimeFigures(ledgerWith(counts, fp));
    expect(f.persons).toBeCloseTo(want.persons, 6);
    expect(f.abandoned).toBeCloseTo(want.abandoned, 6);
    expect(f.rate).toBeCloseTo(want.rate, 6);
  });

  it('the measured drop rate leaves out the persons detection hung up; the true rate does not', () => {
    const f = lifetimeFigures(ledgerWith({ connected: 97, dropped: 2, amd_hangup: 30 }, 0.01));
    expect(f.dropRate).toBeCloseTo(2 / 99, 10);
    expect(f.rate).toBeCloseTo(3 / 100, 3);
  });

  it('a 95 % interval around the rate', () => {
    const f = lifetimeFigures(ledgerWith({ connected: 970, dropped: 30 }));
    expect(f.low).toBeLessThan(0.03);
    expect(f.high).toBeGreaterThan(0.03);
    expect(f.high - f.low).toBeLessThan(0.025);
  });

  it('a connected call the agent marks as a machine leaves the persons', () => {
    const l = ledgerWith({ connected: 10, dropped: 1 });
    reclassifyAsMachine(l, T0, T0 + 1000);
    const f = windowFigures(l, T0 + 1000);
    expect(f.connected).toBe(9);
    expect(f.machinesConnected).toBe(1);
    expect(f.abandoned).toBeCloseTo(0.9, 6);
  });
});

describe('windows', () => {
  it('Ofcom: any 24 hours — abandons older than a day leave the window, not the campaign', () => {
    const l = createLedger(ofcomRule(0));
    for (let i = 0; i < 10; i++) recordAnswered(l, 'dropped', T0);
    for (let i = 0; i < 90; i++) recordAnswered(l, 'connected', T0);
    for (let i = 0; i < 100; i++) recordAnswered(l, 'connected', T0 + 20 * HOUR);
    expect(windowFigures(l, T0 + 20 * HOUR).rate).toBeCloseTo(0.05, 6);
    expect(windowFigures(l, T0 + DAY + HOUR).rate).toBe(0);
    expect(windowFigures(l, T0 + DAY + HOUR).persons).toBe(100);
    expect(lifetimeFigures(l).rate).toBeCloseTo(0.05, 6);
  });
  it('FTC: successive 30-day periods from the campaign start', () => {
    const l = createLedger(ftcRule(T0, 0));
    for (let i = 0; i < 5; i++) recordAnswered(l, 'dropped', T0 + 29 * DAY);
    for (let i = 0; i < 95; i++) recordAnswered(l, 'connected', T0 + 29 * DAY);
    expect(windowFigures(l, T0 + 29.5 * DAY).rate).toBeCloseTo(0.05, 6);
    recordAnswered(l, 'connected', T0 + 30 * DAY + HOUR);
    // A new period starts clean even though the drops were a day ago.
    expect(windowFigures(l, T0 + 30 * DAY + 2 * HOUR)).toMatchObject({ persons: 1, rate: 0 });
  });
  it('campaign window: everything since the start', () => {
    const l = createLedger({ window: { kind: 'campaign' }, amdFalsePositiveRate: 0 });
    recordAnswered(l, 'dropped', T0);
    recordAnswered(l, 'connected', T0 + 300 * DAY);
    expect(windowFigures(l, T0 + 300 * DAY).rate).toBeCloseTo(0.5, 6);
  });
});

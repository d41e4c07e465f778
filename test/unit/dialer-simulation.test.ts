import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { progressivePacer } from '../../src/dialer/pacing.logic.js';
import { PredictivePacer } from '../../src/dialer/predictive.logic.js';
import { parseScenario, progressiveUtilisation, type Scenario } from '../../src/dialer/scenario.logic.js';
import { simulate, type SimPolicy } from '../../src/dialer/simulation.logic.js';

const base = (): Scenario =>
  parseScenario(JSON.parse(readFileSync(new URL('../bench/dialer-base.json', import.meta.url), 'utf8')) as unknown);

const progressive: SimPolicy = { name: 'progressive', mode: 'progressive', create: () => progressivePacer(1) };
const fixedRatio = (r: number): SimPolicy => ({ name: `fixed-ratio-${r}`, mode: 'progressive', create: () => progressivePacer(r) });
const predictive: SimPolicy = {
  name: 'predictive',
  mode: 'predictive',
  create: (settings, s) => new PredictivePacer(settings, { targetAbandonRate: s.abandon_target, maxAbandonRate: s.abandon_max }),
};
const preview: SimPolicy = { name: 'preview', mode: 'preview', create: () => null };

// Whole simulated shifts: seconds of CPU each, far more under a loaded machine. Nothing here is timed.
const LONG = 600_000;

describe('simulation against renewal reasoning', () => {
  it('progressive dialing matches its closed-form utilisation within ±0.01 (base scenario)', () => {
    const s = base();
    const r = simulate(s, progressive, { seed: 1 });
    expect(Math.abs(r.utilisation - progressiveUtilisation(s))).toBeLessThan(0.01);
    // One call per idle agent never abandons anyone: only detection's false positives remain.
    expect(r.counts.personsDropped).toBe(0);
    expect(r.trueAbandonRate).toBeCloseTo(0.01, 2);
  }, LONG);

  it('preview (each agent dials its own call, no detection) matches the closed form without detection', () => {
    const s = base();
    const r = simulate(s, preview, { seed: 2 });
    expect(Math.abs(r.utilisation - progressiveUtilisation({ ...s, amd: false }))).toBeLessThan(0.01);
    expect(r.trueAbandonRate).toBe(0);
  }, LONG);

  it('is deterministic: the same seed gives the same shift', () => {
    const s = { ...base(), hours: 1 };
    expect(simulate(s, fixedRatio(2), { seed: 9 })).toEqual(simulate(s, fixedRatio(2), { seed: 9 }));
    expect(simulate(s, fixedRatio(2), { seed: 9 }).counts).not.toEqual(simulate(s, fixedRatio(2), { seed: 10 }).counts);
  }, LONG);
});

describe('predictive pacing on a simulated shift', () => {
  it('keeps the true abandon rate under the maximum and keeps agents busier than a fixed ratio that also meets it', () => {
    const s = base();
    const baseline = simulate(s, fixedRatio(2.75), { seed: 4 });
    const ours = simulate(s, predictive, { seed: 4 });
    expect(baseline.trueAbandonRate).toBeLessThanOrEqual(s.abandon_max);
    expect(ours.trueAbandonRate).toBeLessThanOrEqual(s.abandon_max);
    expect(ours.utilisation).toBeGreaterThan(baseline.utilisation + 0.01);
    // The dialer's own running estimate agrees with the truth the simulation knows.
    expect(Math.abs(ours.dialerAbandonEstimate - ours.trueAbandonRate)).toBeLessThan(0.005);
  }, LONG);

  it('stays under the maximum when the list suddenly answers more mid-shift', () => {
    const s: Scenario = { ...base(), hours: 4, changes: [{ at_hour: 2, p_human: 0.4, p_noanswer: 0.35 }] };
    const r = simulate(s, predictive, { seed: 6 });
    expect(r.trueAbandonRate).toBeLessThanOrEqual(s.abandon_max);
    expect(r.utilisation).toBeGreaterThan(simulate(s, progressive, { seed: 6 }).utilisation);
  }, LONG);
});

describe('predictive pacing at a cold start of a large floor', () => {
  const coldStart = (): Scenario =>
    parseScenario(JSON.parse(readFileSync(new URL('../bench/dialer-scenarios/cold-start-200.json', import.meta.url), 'utf8')) as unknown);

  it('200 agents logging in at once: the true abandon rate of the first 4 minutes stays under the maximum, with agents far busier than progressive', () => {
    const s = coldStart();
    expect(s.agents).toBe(200);
    expect(s.login_stagger).toBe(0);
    const seeds = [1, 2, 3, 4, 5];
    const ours = seeds.map((seed) => simulate(s, predictive, { seed }));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(ours.map((r) => r.trueAbandonRate))).toBeLessThanOrEqual(s.abandon_max);
    const progressiveUtilisation = simulate(s, progressive, { seed: 1 }).utilisation;
    expect(mean(ours.map((r) => r.utilisation))).toBeGreaterThan(progressiveUtilisation + 0.2);
  }, LONG);
});

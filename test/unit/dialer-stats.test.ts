import { describe, expect, it } from 'vitest';
import {
  addToCounts,
  addToHistogram,
  conditionalCdf,
  createCounts,
  createHistogram,
  edgesFrom,
  effectiveCount,
  fillCdfTable,
  histogramCdf,
  histogramMean,
  histogramQuantile,
  normalCdf,
  seedHistogram,
  shareOf,
  tailAtLeast,
  uniformCdf,
  wilsonInterval,
} from '../../src/dialer/stats.logic.js';

/** Exact P(Σ Bernoulli(p_i) ≥ n) by convolution. */
function exactTail(ps: number[], n: number): number {
  let dist = [1];
  for (const p of ps) {
    const next = new Array(dist.length + 1).fill(0);
    dist.forEach((w, k) => {
      next[k] += w * (1 - p);
      next[k + 1] += w * p;
    });
    dist = next;
  }
  return dist.slice(n).reduce((a, b) => a + b, 0);
}

function moments(ps: number[]) {
  return {
    mean: ps.reduce((a, p) => a + p, 0),
    variance: ps.reduce((a, p) => a + p * (1 - p), 0),
    third: ps.reduce((a, p) => a + p * (1 - p) * (1 - 2 * p), 0),
  };
}

describe('normal CDF', () => {
  it.each([
    [0, 0.5],
    [1.96, 0.975],
    [-1.96, 0.025],
    [1, 0.841345],
    [-3, 0.00135],
  ])('Φ(%d) ≈ %d', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 4);
  });
});

describe('tail of a sum of Bernoulli variables (what the pacer decides on)', () => {
  const cases: [string, number[], number][] = [
    ['20 busy agents, 5 ringing calls, 20 needed', [...Array(20).fill(0.7), ...Array(5).fill(0.25)], 20],
    ['a few calls and agents', [0.9, 0.8, 0.3, 0.25, 0.25, 0.1], 4],
    ['50 agents mostly busy', [...Array(50).fill(0.92), ...Array(12).fill(0.2)], 50],
    ['skewed: many unlikely calls', Array(40).fill(0.05), 5],
  ];
  it.each(cases)('%s: within 0.02 of the exact value', (_name, ps, n) => {
    const m = moments(ps);
    expect(Math.abs(tailAtLeast(n, m.mean, m.variance, m.third) - exactTail(ps, n))).toBeLessThan(0.02);
  });
  it('certain sums: 0 below, 1 at or above', () => {
    expect(tailAtLeast(3, 2, 0, 0)).toBe(0);
    expect(tailAtLeast(3, 3, 0, 0)).toBe(1);
  });
});

describe('Wilson interval', () => {
  it.each([
    [30, 1000, 0.021, 0.0425],
    [0, 100, 0, 0.037],
    [50, 50, 0.929, 1],
  ])('%d of %d → [%d, %d]', (k, n, low, high) => {
    const ci = wilsonInterval(k, n);
    expect(ci.low).toBeCloseTo(low, 3);
    expect(ci.high).toBeCloseTo(high, 3);
  });
  it('no trials: the whole range', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('category counts with forgetting', () => {
  it('a half-life of 10 samples: the old regime fades, the new one takes over', () => {
    const c = createCounts([0, 0], 10);
    for (let i = 0; i < 100; i++) addToCounts(c, 0);
    for (let i = 0; i < 10; i++) addToCounts(c, 1);
    // 10 new samples weigh as much as all the (halved) old ones.
    expect(shareOf(c, 1)).toBeCloseTo(0.5, 1);
    for (let i = 0; i < 60; i++) addToCounts(c, 1);
    expect(shareOf(c, 1)).toBeGreaterThan(0.98);
  });
  it('without forgetting, shares are plain frequencies and the count is the sample size', () => {
    const c = createCounts([1, 1], 0);
    for (let i = 0; i < 8; i++) addToCounts(c, i % 4 === 0 ? 1 : 0);
    expect(shareOf(c, 1)).toBeCloseTo(3 / 10, 10);
    expect(effectiveCount(c)).toBeCloseTo(10, 10);
  });
  it('survives a very long run (weights renormalised)', () => {
    const c = createCounts([0, 0], 50);
    for (let i = 0; i < 200_000; i++) addToCounts(c, i % 4 === 0 ? 1 : 0);
    expect(shareOf(c, 1)).toBeCloseTo(0.25, 1);
    expect(Number.isFinite(c.total)).toBe(true);
  });
});

describe('histograms', () => {
  it('edges from steps', () => {
    expect([...edgesFrom([[1, 3], [5, 13]])]).toEqual([0, 1, 2, 3, 8, 13]);
  });
  it('learns a uniform sample: CDF, mean, quantiles, conditional', () => {
    const h = createHistogram(edgesFrom([[1, 100]]), 0);
    for (let i = 0; i < 1000; i++) addToHistogram(h, 10 + ((i * 7919) % 1000) / 50);
    expect(histogramCdf(h, 10)).toBeCloseTo(0, 2);
    expect(histogramCdf(h, 20)).toBeCloseTo(0.5, 1);
    expect(histogramCdf(h, 30)).toBeCloseTo(1, 2);
    expect(histogramMean(h)).toBeCloseTo(20, 0);
    expect(histogramQuantile(h, 0.5)).toBeCloseTo(20, 0);
    // Already 20 s in: half of what is left ends within 5 s.
    expect(conditionalCdf(h, 20, 5)).toBeCloseTo(0.5, 1);
  });
  it('a seeded prior is overruled by enough samples', () => {
    const h = createHistogram(edgesFrom([[1, 60]]), 0);
    seedHistogram(h, uniformCdf(40, 50), 5);
    for (let i = 0; i < 500; i++) addToHistogram(h, 10);
    expect(histogramCdf(h, 11)).toBeGreaterThan(0.98);
  });
  it('the per-second table agrees with the CDF', () => {
    const h = createHistogram(edgesFrom([[2, 60], [5, 300]]), 0);
    seedHistogram(h, uniformCdf(0, 200), 10);
    const t = new Float64Array(400);
    fillCdfTable(h, t);
    for (const x of [0, 1, 7, 61, 150, 299, 350]) expect(t[x]).toBeCloseTo(histogramCdf(h, x), 10);
  });
});

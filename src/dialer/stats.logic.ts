/**
 * Small statistics the dialer learns with and reports with: online histograms and category
 * counts that forget old samples, the normal distribution, Bernoulli-sum tails and binomial
 * confidence intervals. Pure and deterministic; no I/O.
 */

/** Φ(x), the standard normal CDF (Zelen & Severo 26.2.17, error < 7.5e-8). */
export function normalCdf(x: number): number {
  if (x < -12) return 0;
  if (x > 12) return 1;
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = normalPdf(x) * poly;
  return x >= 0 ? 1 - upper : upper;
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * P(X ≥ n) for X a sum of independent Bernoulli variables given its mean, variance and third
 * central moment: the refined normal approximation (normal plus a skewness term, with a
 * continuity correction), which stays usable for the small counts a dialer decides on.
 */
export function tailAtLeast(n: number, mean: number, variance: number, third: number): number {
  if (variance <= 1e-12) return mean >= n - 0.5 ? 1 : 0;
  const sd = Math.sqrt(variance);
  const x = (n - 0.5 - mean) / sd;
  const skew = third / (variance * sd);
  const below = normalCdf(x) + (skew * (1 - x * x) * normalPdf(x)) / 6;
  return Math.min(1, Math.max(0, 1 - below));
}

/** Wilson score interval of a binomial proportion (z = 1.96 for 95 %). */
export function wilsonInterval(successes: number, trials: number, z = 1.96): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Weights that fade: every new sample counts `1/decay` times the one before, so a sample seen
 * `h` samples ago weighs `decay^h`. Stored as growing weights (renormalised now and then) so an
 * update touches one cell, not all of them.
 */
interface Fading {
  /** Weight the next sample gets. */
  scale: number;
  readonly decay: number;
}

const RENORMALISE_AT = 1e12;

/** Decay factor for a half-life counted in samples (0 = never forget). */
export function decayForHalfLife(halfLife: number): number {
  return halfLife > 0 ? Math.pow(0.5, 1 / halfLife) : 1;
}

/** Counts over a fixed set of categories, with prior pseudo-counts and forgetting. */
export interface CategoryCounts extends Fading {
  readonly weights: Float64Array;
  total: number;
}

export function createCounts(prior: readonly number[], halfLife: number): CategoryCounts {
  const weights = Float64Array.from(prior);
  return { weights, total: weights.reduce((a, b) => a + b, 0), scale: 1, decay: decayForHalfLife(halfLife) };
}

export function addToCounts(c: CategoryCounts, category: number): void {
  c.weights[category] = (c.weights[category] ?? 0) + c.scale;
  c.total += c.scale;
  c.scale /= c.decay;
  if (c.scale > RENORMALISE_AT) {
    for (let i = 0; i < c.weights.length; i++) c.weights[i] = (c.weights[i] ?? 0) / c.scale;
    c.total /= c.scale;
    c.scale = 1;
  }
}

/** Posterior mean share of one category. */
export function shareOf(c: CategoryCounts, category: number): number {
  return c.total > 0 ? (c.weights[category] ?? 0) / c.total : 0;
}

/** How many samples the counts are worth now (old ones count less). */
export function effectiveCount(c: CategoryCounts): number {
  return c.total / c.scale;
}

/** Posterior variance of one category's share (Dirichlet with the effective count). */
export function shareVariance(c: CategoryCounts, category: number): number {
  const p = shareOf(c, category);
  return (p * (1 - p)) / (effectiveCount(c) + 1);
}

/**
 * A histogram over fixed bin edges (last bin open-ended up to its edge), with forgetting.
 * Density is uniform within a bin. `cdf` is rebuilt lazily after changes.
 */
export interface Histogram extends Fading {
  /** Bin edges, ascending; bin i is [edges[i], edges[i+1]). */
  readonly edges: Float64Array;
  readonly weights: Float64Array;
  total: number;
  /** Cumulative share at each edge (length = edges.length); stale while `dirty`. */
  readonly cumulative: Float64Array;
  dirty: boolean;
  /** Weighted sum of samples, for the mean. */
  sum: number;
}

/** Edges from `[width, upTo]` steps: `[[1, 60], [5, 300]]` → 0,1,…,60,65,…,300. */
export function edgesFrom(steps: readonly (readonly [width: number, upTo: number])[]): Float64Array {
  const edges = [0];
  for (const [width, upTo] of steps) {
    let last = edges[edges.length - 1] ?? 0;
    while (last + width <= upTo + 1e-9) {
      last += width;
      edges.push(last);
    }
  }
  return Float64Array.from(edges);
}

export function createHistogram(edges: Float64Array, halfLife: number): Histogram {
  return {
    edges,
    weights: new Float64Array(edges.length - 1),
    total: 0,
    cumulative: new Float64Array(edges.length),
    dirty: true,
    scale: 1,
    decay: decayForHalfLife(halfLife),
    sum: 0,
  };
}

/** Spreads `weight` pseudo-samples over the bins by a CDF (a prior shape). */
export function seedHistogram(h: Histogram, cdf: (x: number) => number, weight: number): void {
  const n = h.weights.length;
  for (let i = 0; i < n; i++) {
    const lo = h.edges[i] ?? 0;
    const hi = h.edges[i + 1] ?? lo;
    const share = i === n - 1 ? 1 - cdf(lo) : cdf(hi) - cdf(lo);
    const w = Math.max(0, share) * weight;
    h.weights[i] = (h.weights[i] ?? 0) + w;
    h.total += w;
    h.sum += w * ((lo + hi) / 2);
  }
  h.dirty = true;
}

function binOf(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  if (x >= (edges[hi] ?? 0)) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((edges[mid] ?? 0) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function addToHistogram(h: Histogram, x: number): void {
  const v = Math.max(0, x);
  const i = binOf(h.edges, v);
  h.weights[i] = (h.weights[i] ?? 0) + h.scale;
  h.total += h.scale;
  h.sum += h.scale * v;
  h.scale /= h.decay;
  h.dirty = true;
  if (h.scale > RENORMALISE_AT) {
    for (let j = 0; j < h.weights.length; j++) h.weights[j] = (h.weights[j] ?? 0) / h.scale;
    h.total /= h.scale;
    h.sum /= h.scale;
    h.scale = 1;
  }
}

function refresh(h: Histogram): void {
  if (!h.dirty) return;
  let acc = 0;
  h.cumulative[0] = 0;
  for (let i = 0; i < h.weights.length; i++) {
    acc += h.weights[i] ?? 0;
    h.cumulative[i + 1] = h.total > 0 ? acc / h.total : 0;
  }
  h.dirty = false;
}

/** P(X ≤ x). Beyond the last edge everything has happened. */
export function histogramCdf(h: Histogram, x: number): number {
  if (x <= 0) return 0;
  refresh(h);
  const last = h.edges.length - 1;
  if (x >= (h.edges[last] ?? 0)) return 1;
  const i = binOf(h.edges, x);
  const lo = h.edges[i] ?? 0;
  const hi = h.edges[i + 1] ?? lo;
  const c0 = h.cumulative[i] ?? 0;
  const c1 = h.cumulative[i + 1] ?? c0;
  return hi > lo ? c0 + ((c1 - c0) * (x - lo)) / (hi - lo) : c1;
}

/** Fills `table[i]` with P(X ≤ i) for i = 0, 1, … (one pass over the bins). */
export function fillCdfTable(h: Histogram, table: Float64Array): void {
  refresh(h);
  const last = h.edges.length - 1;
  let bin = 0;
  for (let i = 0; i < table.length; i++) {
    if (i <= 0) {
      table[i] = 0;
      continue;
    }
    if (i >= (h.edges[last] ?? 0)) {
      table[i] = 1;
      continue;
    }
    while (bin < last - 1 && (h.edges[bin + 1] ?? 0) <= i) bin++;
    const lo = h.edges[bin] ?? 0;
    const hi = h.edges[bin + 1] ?? lo;
    const c0 = h.cumulative[bin] ?? 0;
    const c1 = h.cumulative[bin + 1] ?? c0;
    table[i] = hi > lo ? c0 + ((c1 - c0) * (i - lo)) / (hi - lo) : c1;
  }
}

/** P(X ≤ elapsed + x | X > elapsed); memoryless with the mean when nothing is left above `elapsed`. */
export function conditionalCdf(h: Histogram, elapsed: number, x: number): number {
  if (x <= 0) return 0;
  const before = histogramCdf(h, elapsed);
  const survive = 1 - before;
  if (survive < 1e-9) return 1 - Math.exp(-x / Math.max(1, histogramMean(h)));
  return Math.min(1, Math.max(0, (histogramCdf(h, elapsed + x) - before) / survive));
}

/** Density per unit at x (share of the bin holding x ÷ its width). */
export function histogramDensity(h: Histogram, x: number): number {
  refresh(h);
  const i = binOf(h.edges, Math.max(0, x));
  const width = (h.edges[i + 1] ?? 0) - (h.edges[i] ?? 0);
  return width > 0 ? ((h.cumulative[i + 1] ?? 0) - (h.cumulative[i] ?? 0)) / width : 0;
}

export function histogramMean(h: Histogram): number {
  return h.total > 0 ? h.sum / h.total : 0;
}

/** The value below which a share `q` of the weight lies. */
export function histogramQuantile(h: Histogram, q: number): number {
  refresh(h);
  const n = h.weights.length;
  for (let i = 0; i < n; i++) {
    const c1 = h.cumulative[i + 1] ?? 1;
    if (c1 >= q) {
      const c0 = h.cumulative[i] ?? 0;
      const lo = h.edges[i] ?? 0;
      const hi = h.edges[i + 1] ?? lo;
      return c1 > c0 ? lo + ((hi - lo) * (q - c0)) / (c1 - c0) : lo;
    }
  }
  return h.edges[n] ?? 0;
}

/** How many samples the histogram is worth now. */
export function histogramCount(h: Histogram): number {
  return h.total / h.scale;
}

/** CDF of a log-normal with the given mean and standard deviation (for prior shapes). */
export function lognormalCdf(mean: number, sd: number): (x: number) => number {
  const s2 = Math.log(1 + (sd * sd) / (mean * mean));
  const mu = Math.log(mean) - s2 / 2;
  const s = Math.sqrt(s2);
  return (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / s));
}

/** CDF of a uniform distribution on [a, b]. */
export function uniformCdf(a: number, b: number): (x: number) => number {
  return (x) => (x <= a ? 0 : x >= b ? 1 : b > a ? (x - a) / (b - a) : 1);
}

/**
 * Predictive pacing: dial the next call only while the chance that it reaches a person with
 * no agent free within the connect grace stays under a threshold, and steer that threshold
 * so the campaign's abandon rate lands on its target.
 *
 * The model, rebuilt from what the campaign has seen (old outcomes fade):
 * - every dialled call ends in one of four ways: it needs an agent (a person, or detection was
 *   unsure), detection hung it up, it failed early (busy, congestion), or nobody answered;
 *   ring times to each, and the detection time, are learned as histograms;
 * - agents free up when talk and then wrap-up end; both durations are learned as histograms,
 *   and an agent's elapsed time in its state conditions when it will be free.
 *
 * For a new call ready for an agent τ seconds after dialling, it is abandoned when the calls
 * ready before it have taken every agent free by τ + grace. With U(t) = (calls needing an agent
 * by t) + (busy agents not free by t + grace), a sum of independent Bernoulli variables, that
 * is U(τ) ≥ N (N agents counted); and if agents run short later in the ring window, the agent
 * it took is missed by a call ready after it. So the abandons one more call adds are
 * Σ_τ P(ready at τ) · max_{t ≥ τ} P(U(t) + earlier new calls ≥ N) ÷ P(ever ready). The
 * probabilities come from the refined normal approximation; the spread of U also carries the
 * uncertainty of the learned answer share (calls in flight share that unknown, so their
 * demands move together). The n-th new call is dialled while that risk is ≤ θ.
 *
 * θ is steered on two time scales: each call that comes to need an agent moves log θ by how its
 * predicted abandon chance compares with the target (upwards at most a doubling per horizon, so
 * that hundreds of agents' calls do not wind it up before any outcome is known); a slower
 * calibration factor (realised abandons ÷ predicted, shrunk towards 1) corrects the model's
 * bias. A guard lowers θ as the abandon rate over the regulatory window nears the hard maximum,
 * and at the maximum the dialer falls back to progressive. It never dials fewer calls than
 * progressive would: a call per idle agent not already covered cannot be abandoned.
 *
 * Cold start (priors assume half the calls need an agent): progressive until as many calls
 * have reached agents as there are agents (at least 20) and half as many talks and wrap-ups
 * have ended — with a whole floor logging in at once, the first talks to end are the short
 * ones; then the calls in flight per agent rise from one to the maximum over as many connects
 * again.
 */
import { callsInFlight, countedAgents } from './dialer.logic.js';
import type { DialerSettings, DialerView, Pacer, PacingObservation } from './dialer.model.js';
import { windowFigures } from './abandon.logic.js';
import {
  addToCounts,
  addToHistogram,
  createCounts,
  createHistogram,
  decayForHalfLife,
  edgesFrom,
  fillCdfTable,
  histogramCdf,
  histogramDensity,
  histogramMean,
  histogramQuantile,
  lognormalCdf,
  seedHistogram,
  shareOf,
  shareVariance,
  tailAtLeast,
  uniformCdf,
  type CategoryCounts,
  type Histogram,
} from './stats.logic.js';

export interface PredictiveOptions {
  /** The abandon rate to aim at (≤ `maxAbandonRate`). */
  targetAbandonRate: number;
  /** The hard maximum: at it the dialer falls back to progressive. */
  maxAbandonRate: number;
  /** Half-life, in dialled calls, of what is learned about outcomes and ring times. */
  outcomeHalfLife?: number;
  /** Half-life, in calls, of talk and wrap-up durations. */
  durationHalfLife?: number;
  /**
   * Pace progressively until this many calls have reached agents (at least), and as many talks
   * and wrap-ups have ended; 0: no warm-up at all.
   */
  warmupConnects?: number;
  /** The warm-up grows with the floor: this many connects per counted agent (and half as many ended talks and wrap-ups). */
  warmupPerAgent?: number;
  /**
   * After the warm-up, the calls in flight per counted agent rise from one to `maxLinesPerAgent`
   * over this many connects per counted agent (0: at once, as with no warm-up).
   */
  rampPerAgent?: number;
  /** Talk and wrap-up time assumed before any is seen (seconds). */
  priorTalkSeconds?: number;
  priorWrapSeconds?: number;
  /** Step of log θ per call that needs an agent. */
  learningRate?: number;
  /** Pseudo-abandons behind the calibration factor (how slowly it leaves 1). */
  calibrationPrior?: number;
  /** Half-life, in calls that needed an agent, of the calibration factor. */
  calibrationHalfLife?: number;
}

const NEEDS_AGENT = 0;
const SCREENED_OUT = 1;
const FAILED = 2;
const NOT_ANSWERED = 3;

/** Rebuild the ring/screen tables at most this often (ms of campaign time). */
const TABLE_REFRESH_MS = 10_000;
/** Re-read the abandon rate over the regulatory window at most this often. */
const GUARD_REFRESH_MS = 1_000;
/** Talk and wrap-up CDFs are tabulated per second up to these. */
const TALK_TABLE_S = 3_600;
const WRAP_TABLE_S = 900;
const WRAP_POINTS = [0.125, 0.375, 0.625, 0.875];

interface LaunchRecord {
  /** Predicted abandon chance given it needs an agent, at launch. */
  risk: number;
  /** Launched by a decision that stopped at the threshold (θ mattered). */
  riskLimited: boolean;
}

export interface PredictiveDiagnostics {
  threshold: number;
  calibration: number;
  guard: number;
  needsAgentShare: number;
  connects: number;
  warm: boolean;
}

export class PredictivePacer implements Pacer {
  readonly name = 'predictive';
  private readonly target: number;
  private readonly max: number;
  private readonly dropAim: number;
  private readonly warmupConnects: number;
  private readonly warmupPerAgent: number;
  /** Talks and wrap-ups seen to their end (not faded): the warm-up waits for them. */
  private talksEnded = 0;
  private wrapsEnded = 0;
  private warm = false;
  /** Connects when the warm-up ended. */
  private warmAt = 0;
  private readonly rampPerAgent: number;
  /** When log θ last rose, for its rate limit. */
  private raisedAt = Number.NEGATIVE_INFINITY;
  private readonly maxRisePerMs: number;
  private readonly learningRate: number;
  private readonly ringS: number;
  private readonly graceS: number;
  private readonly horizon: number;
  private readonly outcomes: CategoryCounts;
  private readonly ringNeeds: Histogram;
  private readonly ringOut: Histogram;
  private readonly ringFailed: Histogram;
  private readonly screenNeeds: Histogram;
  private readonly screenOut: Histogram;
  private readonly talk: Histogram;
  private readonly wrap: Histogram;
  /** Fading sums over settled calls that needed an agent: realised abandons, predicted ones. */
  private realised = 0;
  private predicted = 0;
  private readonly calibrationDecay: number;
  private readonly calibrationPrior: number;
  private logThreshold: number;
  private connects = 0;
  private tablesAt = Number.NEGATIVE_INFINITY;
  private tablesDirty = true;
  /** pending[e][k]: P(needs an agent by e + k s | still ringing e s after dialling). */
  private pending: Float64Array[] = [];
  private talkTable = new Float64Array(TALK_TABLE_S + 2);
  private wrapTable = new Float64Array(WRAP_TABLE_S + 2);
  private wrapPoints: number[] = [];
  private talkMean = 0;
  private wrapMean = 0;
  private readonly launched = new Map<string, LaunchRecord>();
  private guardFactor = 1;
  private guardAt = Number.NEGATIVE_INFINITY;
  private mean: Float64Array;
  private variance: Float64Array;
  private third: Float64Array;
  private ringingDemand: Float64Array;
  /** P(U(t) ≥ N) per horizon second, for the call being weighed. */
  private shortfall: Float64Array;

  constructor(
    private readonly settings: DialerSettings,
    options: PredictiveOptions,
  ) {
    if (!(options.targetAbandonRate > 0) || options.targetAbandonRate > options.maxAbandonRate)
      throw new Error('targetAbandonRate must be > 0 and ≤ maxAbandonRate');
    this.target = options.targetAbandonRate;
    this.max = options.maxAbandonRate;
    const fp = settings.amd ? settings.abandon.amdFalsePositiveRate : 0;
    // Detection's false positives are abandons pacing cannot avoid: drops get what is left.
    this.dropAim = Math.max(this.target * 0.05, (this.target - fp) / (1 - fp));
    this.warmupConnects = options.warmupConnects ?? 20;
    this.warmupPerAgent = options.warmupPerAgent ?? 1;
    this.rampPerAgent = this.warmupConnects > 0 ? (options.rampPerAgent ?? 1) : 0;
    this.learningRate = options.learningRate ?? 0.05;
    const outcomeHalfLife = options.outcomeHalfLife ?? 400;
    const durationHalfLife = options.durationHalfLife ?? 300;
    this.ringS = settings.ringTimeoutMs / 1000;
    this.graceS = settings.connectGraceMs / 1000;
    this.horizon = Math.ceil(this.ringS) + (settings.amd ? 12 : 2);
    // θ may at most double in the time a call's fate takes to be known.
    this.maxRisePerMs = Math.LN2 / (this.horizon * 1000);

    // Cold start leans to caution: half the calls assumed to need an agent.
    this.outcomes = createCounts([10, 2, 2, 6], outcomeHalfLife);
    const ringEdges = edgesFrom([[1, Math.ceil(this.ringS) + 1]]);
    this.ringNeeds = createHistogram(ringEdges, outcomeHalfLife / 3);
    this.ringOut = createHistogram(ringEdges, outcomeHalfLife / 3);
    this.ringFailed = createHistogram(ringEdges, outcomeHalfLife / 3);
    seedHistogram(this.ringNeeds, uniformCdf(1, Math.min(15, this.ringS)), 3);
    seedHistogram(this.ringOut, uniformCdf(1, this.ringS), 3);
    seedHistogram(this.ringFailed, uniformCdf(0, 8), 3);
    const screenEdges = edgesFrom([
      [0.25, 8],
      [1, 30],
    ]);
    this.screenNeeds = createHistogram(screenEdges, outcomeHalfLife / 3);
    this.screenOut = createHistogram(screenEdges, outcomeHalfLife / 3);
    if (settings.amd) {
      seedHistogram(this.screenNeeds, uniformCdf(1, 4), 3);
      seedHistogram(this.screenOut, uniformCdf(1, 5), 3);
    }
    this.talk = createHistogram(
      edgesFrom([
        [2, 60],
        [5, 300],
        [20, 1200],
        [120, 7200],
      ]),
      durationHalfLife,
    );
    const priorTalk = options.priorTalkSeconds ?? 180;
    seedHistogram(this.talk, lognormalCdf(priorTalk, priorTalk), 5);
    this.wrap = createHistogram(
      edgesFrom([
        [1, 120],
        [10, 900],
      ]),
      durationHalfLife,
    );
    const priorWrap = options.priorWrapSeconds ?? 30;
    seedHistogram(this.wrap, uniformCdf(priorWrap * 0.5, priorWrap * 1.5), 5);

    this.calibrationPrior = options.calibrationPrior ?? 20;
    this.calibrationDecay = decayForHalfLife(options.calibrationHalfLife ?? 2000);
    this.logThreshold = Math.log(this.dropAim);
    const n = this.horizon + 1;
    this.mean = new Float64Array(n);
    this.variance = new Float64Array(n);
    this.third = new Float64Array(n);
    this.ringingDemand = new Float64Array(n);
    this.shortfall = new Float64Array(n);
  }

  get threshold(): number {
    return Math.exp(this.logThreshold);
  }

  diagnostics(): PredictiveDiagnostics {
    return {
      threshold: this.threshold,
      calibration: this.calibrationFactor(),
      guard: this.guardFactor,
      needsAgentShare: shareOf(this.outcomes, NEEDS_AGENT),
      connects: this.connects,
      warm: this.warm,
    };
  }

  private calibrationFactor(): number {
    const k = this.calibrationPrior * this.dropAim;
    return (this.realised + k) / (this.predicted + k);
  }

  observe(o: PacingObservation, _view: DialerView, now: number): void {
    const ringS = 'ringMs' in o ? o.ringMs / 1000 : 0;
    switch (o.type) {
      case 'Dialled': {
        const risk = this.launchRisks[this.launchIndex++];
        this.launched.set(o.callId, { risk: risk ?? 0, riskLimited: this.launchLimited });
        return;
      }
      case 'NotAnswered':
        this.launched.delete(o.callId);
        if (o.outcome === 'no_answer') addToCounts(this.outcomes, NOT_ANSWERED);
        else {
          addToCounts(this.outcomes, FAILED);
          addToHistogram(this.ringFailed, ringS);
        }
        this.tablesDirty = true;
        return;
      case 'Answered':
        return;
      case 'Withdrawn':
        this.launched.delete(o.callId);
        return;
      case 'Screened':
        if (o.toAgent) {
          addToCounts(this.outcomes, NEEDS_AGENT);
          addToHistogram(this.ringNeeds, ringS);
          if (this.settings.amd) addToHistogram(this.screenNeeds, o.screenMs / 1000);
          this.steer(o.callId, now);
        } else {
          this.launched.delete(o.callId);
          addToCounts(this.outcomes, SCREENED_OUT);
          addToHistogram(this.ringOut, ringS);
          if (this.settings.amd) addToHistogram(this.screenOut, o.screenMs / 1000);
        }
        this.tablesDirty = true;
        return;
      case 'Connected':
        this.connects += 1;
        this.settle(o.callId, false);
        return;
      case 'Abandoned':
        this.settle(o.callId, true);
        return;
      case 'TalkEnded':
        addToHistogram(this.talk, o.talkMs / 1000);
        this.talksEnded += 1;
        this.tablesDirty = true;
        return;
      case 'WrapEnded':
        addToHistogram(this.wrap, o.wrapMs / 1000);
        this.wrapsEnded += 1;
        this.tablesDirty = true;
        return;
    }
  }

  /**
   * A call came to need an agent: move log θ by how its predicted risk compares with the aim.
   * Only calls of decisions that θ limited may raise it, and not while the guard holds the
   * dialer back (θ would wind up against a limit it does not set).
   */
  private steer(callId: string, now: number): void {
    const rec = this.launched.get(callId);
    if (!rec || !this.warm) return;
    const error = Math.max(-5, (this.dropAim - this.calibrationFactor() * rec.risk) / this.dropAim);
    if (error < 0) this.logThreshold += this.learningRate * error;
    else if (rec.riskLimited && this.guardFactor >= 1) {
      const step = Math.min(this.learningRate * Math.min(1, error), (now - this.raisedAt) * this.maxRisePerMs);
      this.raisedAt = now;
      this.logThreshold += step;
    }
    this.logThreshold = Math.min(Math.log(0.6), Math.max(Math.log(this.dropAim / 20), this.logThreshold));
  }

  /**
   * Warm once enough calls reached agents for a floor of `n`, and enough of their talks and
   * wrap-ups ended to say how long they last: with a whole floor logging in at once, the first
   * talks to end are the short ones, and pacing on them would expect agents back too soon.
   */
  private warmFor(n: number): boolean {
    if (this.warm) return true;
    if (this.warmupConnects <= 0) return (this.warm = true);
    const want = Math.max(this.warmupConnects, Math.ceil(this.warmupPerAgent * n));
    this.warm = this.connects >= want && this.talksEnded >= want / 2 && this.wrapsEnded >= want / 2;
    this.warmAt = this.connects;
    return this.warm;
  }

  private settle(callId: string, abandoned: boolean): void {
    const rec = this.launched.get(callId);
    this.launched.delete(callId);
    if (!rec) return;
    this.realised = this.realised * this.calibrationDecay + (abandoned ? 1 : 0);
    this.predicted = this.predicted * this.calibrationDecay + rec.risk;
  }

  decide(view: DialerView, now: number): number {
    this.launchRisks.length = 0;
    this.launchIndex = 0;
    this.launchLimited = false;
    const n = countedAgents(view);
    if (n === 0) return 0;
    const progressive = Math.max(0, view.agentCount.idle - callsInFlight(view));
    if (!this.warmFor(n)) return progressive;
    const cap = Math.min(view.linesFree, Math.floor(this.linesPerAgent(n) * n) - view.callCount.dialing - view.callCount.screening);
    if (cap <= progressive) return progressive;
    if (now - this.guardAt >= GUARD_REFRESH_MS) {
      this.guardAt = now;
      this.guardFactor = this.guard(view, now);
    }
    const threshold = this.threshold * this.guardFactor;
    if (threshold <= 0) return progressive;
    if (this.tablesDirty && now - this.tablesAt >= TABLE_REFRESH_MS) this.rebuildTables(now);
    this.loadState(view, now);

    const fresh = this.pending[0];
    const everReady = fresh?.[this.horizon] ?? 0;
    if (!fresh || everReady <= 1e-9) return cap;
    const relVar = this.needsAgentRelativeVariance();
    while (this.launchRisks.length < cap) {
      const risk = this.marginalRisk(n, this.launchRisks.length, fresh, relVar) / everReady;
      if (risk > threshold) {
        this.launchLimited = true;
        break;
      }
      this.launchRisks.push(risk);
    }
    return Math.max(this.launchRisks.length, progressive);
  }

  /** Calls in flight allowed per counted agent: from one at the end of the warm-up up to the setting. */
  private linesPerAgent(n: number): number {
    const most = this.settings.maxLinesPerAgent;
    if (this.rampPerAgent <= 0) return most;
    const done = Math.min(1, (this.connects - this.warmAt) / (this.rampPerAgent * n));
    return Math.min(most, 1 + (most - 1) * done);
  }

  /** Predicted risks of the calls the last decision launched, in order (the core reports each as `Dialled`). */
  private readonly launchRisks: number[] = [];
  private launchIndex = 0;
  private launchLimited = false;

  private needsAgentRelativeVariance(): number {
    const p = shareOf(this.outcomes, NEEDS_AGENT);
    return p > 0 ? shareVariance(this.outcomes, NEEDS_AGENT) / (p * p) : 0;
  }

  /**
   * How many more abandons one more call (after `before` new ones) adds, in expectation:
   * Σ_τ P(ready at τ) · max_{t ≥ τ} P(U(t) ≥ N). Ready at τ, it takes an agent that it, or a
   * call ready after it, needed whenever agents run short at some later t in the horizon —
   * not only when they are short at τ itself.
   */
  private marginalRisk(n: number, before: number, fresh: Float64Array, relVar: number): number {
    const short = this.shortfall;
    for (let k = 1; k <= this.horizon; k++) {
      const c = fresh[k] ?? 0;
      const ringing = (this.ringingDemand[k] ?? 0) + before * c;
      const m = (this.mean[k] ?? 0) + before * c;
      const v = (this.variance[k] ?? 0) + before * c * (1 - c) + relVar * ringing * ringing;
      const t = (this.third[k] ?? 0) + before * c * (1 - c) * (1 - 2 * c);
      short[k] = tailAtLeast(n, m, v, t);
    }
    let risk = 0;
    let worst = 0;
    for (let k = this.horizon; k >= 1; k--) {
      worst = Math.max(worst, short[k] ?? 0);
      const dc = (fresh[k] ?? 0) - (fresh[k - 1] ?? 0);
      if (dc > 0) risk += dc * worst;
    }
    return risk;
  }

  /**
   * The window's abandon rate against the hard maximum: 1 up to halfway between the target
   * and the maximum, then falling to 0 at the maximum. Early in a window the estimate leans on
   * the target (a prior worth 50 persons), so a few early abandons do not stop the dialer.
   */
  private guard(view: DialerView, now: number): number {
    const f = windowFigures(view.ledger, now);
    const prior = 50;
    const estimate = (f.abandoned + this.target * prior) / (f.persons + prior);
    const from = (this.target + this.max) / 2;
    if (estimate <= from) return 1;
    if (estimate >= this.max) return 0;
    return (this.max - estimate) / (this.max - from);
  }

  /** Per-state sums over agents and calls of the Bernoulli moments at every horizon second. */
  private loadState(view: DialerView, now: number): void {
    const h = this.horizon;
    const mean = this.mean;
    const variance = this.variance;
    const third = this.third;
    const ringing = this.ringingDemand;
    mean.fill(0);
    variance.fill(0);
    third.fill(0);
    ringing.fill(0);
    for (const agent of view.agents.values()) {
      const elapsed = (now - agent.since) / 1000;
      if (agent.state === 'talking') {
        const before = tableAt(this.talkTable, TALK_TABLE_S, elapsed);
        const left = 1 - before;
        for (let k = 1; k <= h; k++) addBernoulli(mean, variance, third, k, 1 - this.freeAfterTalk(elapsed, k + this.graceS, before, left));
      } else if (agent.state === 'wrapping') {
        for (let k = 1; k <= h; k++)
          addBernoulli(mean, variance, third, k, 1 - conditionalFromTable(this.wrapTable, WRAP_TABLE_S, this.wrapMean, elapsed, k + this.graceS));
      }
    }
    for (const call of view.calls.values()) {
      if (call.state === 'dialing') {
        const age = (now - call.dialledAt) / 1000;
        const e = Math.floor(age);
        const f = age - e;
        const row = this.pending[e];
        if (!row) continue;
        for (let k = 1; k <= h; k++) {
          // Ready by now + k: by age e + f + k, read between the row's columns k and k + 1.
          const c = (1 - f) * (row[k] ?? 0) + f * (row[k + 1] ?? 0);
          if (c <= 0) continue;
          addBernoulli(mean, variance, third, k, c);
          ringing[k] = (ringing[k] ?? 0) + c;
        }
      } else if (call.state === 'screening' && call.answeredAt !== null) {
        const ringS = (call.answeredAt - call.dialledAt) / 1000;
        const screenedS = (now - call.answeredAt) / 1000;
        const needs = this.needsGivenAnswered(ringS, screenedS);
        if (needs <= 0) continue;
        const before = histogramCdf(this.screenNeeds, screenedS);
        const left = Math.max(1e-9, 1 - before);
        for (let k = 1; k <= h; k++)
          addBernoulli(mean, variance, third, k, (needs * (histogramCdf(this.screenNeeds, screenedS + k) - before)) / left);
      } else if (call.state === 'waiting') {
        for (let k = 1; k <= h; k++) addBernoulli(mean, variance, third, k, 1);
      }
    }
  }

  /** P(the call will need an agent | answered after `ringS`, detection still running after `screenedS`). */
  private needsGivenAnswered(ringS: number, screenedS: number): number {
    const a = shareOf(this.outcomes, NEEDS_AGENT) * histogramDensity(this.ringNeeds, ringS) * (1 - histogramCdf(this.screenNeeds, screenedS));
    const b = shareOf(this.outcomes, SCREENED_OUT) * histogramDensity(this.ringOut, ringS) * (1 - histogramCdf(this.screenOut, screenedS));
    return a + b > 0 ? a / (a + b) : 0;
  }

  /** P(an agent `elapsed` s into its talk is free within `t` s: talk ends, then wrap-up). */
  private freeAfterTalk(elapsed: number, t: number, before: number, left: number): number {
    let sum = 0;
    for (const w of this.wrapPoints) {
      const x = t - w;
      if (x <= 0) continue;
      sum += left < 1e-6 ? 1 - Math.exp(-x / Math.max(1, this.talkMean)) : (tableAt(this.talkTable, TALK_TABLE_S, elapsed + x) - before) / left;
    }
    return Math.min(1, Math.max(0, sum / this.wrapPoints.length));
  }

  private rebuildTables(now: number): void {
    this.tablesAt = now;
    this.tablesDirty = false;
    fillCdfTable(this.talk, this.talkTable);
    fillCdfTable(this.wrap, this.wrapTable);
    this.talkMean = histogramMean(this.talk);
    this.wrapMean = histogramMean(this.wrap);
    this.wrapPoints = WRAP_POINTS.map((q) => histogramQuantile(this.wrap, q));

    const pNeeds = shareOf(this.outcomes, NEEDS_AGENT);
    const pOut = shareOf(this.outcomes, SCREENED_OUT);
    const pFailed = shareOf(this.outcomes, FAILED);
    const pNone = shareOf(this.outcomes, NOT_ANSWERED);
    const h = this.horizon;
    const ringBins = Math.ceil(this.ringS) + 1;
    // Screening-delay CDF per eighth of a second; an answer is spread over its one-second bin
    // (at its four eighths 1, 3, 5, 7), not put at the bin's middle: a call answered at 2.1 s
    // and screened in 1.8 s is ready by 4 s.
    const screen = new Float64Array(8 * (ringBins + h + 2) + 1);
    for (let j = 0; j < screen.length; j++) screen[j] = this.settings.amd ? histogramCdf(this.screenNeeds, j / 8) : 1;
    const massNeeds = new Float64Array(ringBins);
    for (let a = 0; a < ringBins; a++) massNeeds[a] = histogramCdf(this.ringNeeds, a + 1) - histogramCdf(this.ringNeeds, a);
    const rows: Float64Array[] = [];
    for (let e = 0; e < Math.ceil(this.ringS); e++) {
      const stillRinging =
        pNeeds * (1 - histogramCdf(this.ringNeeds, e)) +
        pOut * (1 - histogramCdf(this.ringOut, e)) +
        pFailed * (1 - histogramCdf(this.ringFailed, e)) +
        pNone;
      // One more column than the horizon: a call partway through its second reads between two.
      const row = new Float64Array(h + 2);
      if (stillRinging > 1e-12) {
        for (let k = 1; k <= h + 1; k++) {
          let sum = 0;
          for (let a = e; a < ringBins; a++) {
            const mass = massNeeds[a] ?? 0;
            if (mass <= 0) continue;
            // Answered at a + u (u = 1/8, 3/8, 5/8, 7/8); ready by e + k when screening ≤ e + k − a − u.
            const eighths = 8 * (e + k - a);
            let ready = 0;
            for (let u = 1; u < 8; u += 2) {
              const j = eighths - u;
              if (j >= 0) ready += screen[Math.min(j, screen.length - 1)] ?? 1;
            }
            sum += (mass * ready) / 4;
          }
          row[k] = Math.min(1, (pNeeds * sum) / stillRinging);
        }
      }
      rows.push(row);
    }
    this.pending = rows;
  }
}

/** Adds one Bernoulli(b) to the running mean, variance and third central moment at index k. */
function addBernoulli(mean: Float64Array, variance: Float64Array, third: Float64Array, k: number, b: number): void {
  const q = b * (1 - b);
  mean[k] = (mean[k] ?? 0) + b;
  variance[k] = (variance[k] ?? 0) + q;
  third[k] = (third[k] ?? 0) + q * (1 - 2 * b);
}

/** A per-second CDF table read at a fractional point; everything has happened past its end. */
function tableAt(table: Float64Array, size: number, v: number): number {
  if (v >= size) return 1;
  const i = Math.floor(v);
  const lo = table[i] ?? 0;
  return lo + (v - i) * ((table[i + 1] ?? lo) - lo);
}

/** P(X ≤ e + x | X > e) from a per-second CDF table; memoryless with the mean past the table. */
function conditionalFromTable(table: Float64Array, size: number, mean: number, e: number, x: number): number {
  const before = tableAt(table, size, e);
  const left = 1 - before;
  if (left < 1e-6) return 1 - Math.exp(-x / Math.max(1, mean));
  return Math.min(1, Math.max(0, (tableAt(table, size, e + x) - before) / left));
}

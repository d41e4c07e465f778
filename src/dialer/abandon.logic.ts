/**
 * The abandon rate, as regulators define it, counted over the window they define.
 *
 * One definition serves everywhere (pacing, monitoring, reports): the *true abandon rate* =
 * persons abandoned ÷ persons who answered, where
 * - a person is abandoned when they answered and were not connected to an agent within the
 *   connect grace (2 s): dropped calls, and calls the person hung up while waiting;
 * - dropped calls that were answering machines do not count: their estimated share is taken
 *   from the calls agents marked as machines among those put through (Ofcom's "reasoned
 *   estimate of calls abandoned to answer machines");
 * - persons hung up by answering-machine detection do count, estimated from the detector's
 *   measured false-positive rate (Ofcom requires that estimate; the FTC counts such calls as
 *   abandoned too).
 *
 * Windows: Ofcom (UK) — 3 % of live calls per campaign over any 24 hours (rolling);
 * FTC/FCC (US, 16 CFR 310.4(b)(4)) — 3 % of calls answered by a person per campaign, over
 * each successive 30-day period from its start; or the campaign's whole life.
 */
import { wilsonInterval } from './stats.logic.js';

export type AbandonWindow =
  | { kind: 'rolling'; ms: number }
  | { kind: 'periods'; ms: number; from: number }
  | { kind: 'campaign' };

export interface AbandonRule {
  window: AbandonWindow;
  /** Share of answering persons that answering-machine detection takes for machines (measured by sampling). */
  amdFalsePositiveRate: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Ofcom's 24-hour rolling window. */
export const ofcomRule = (amdFalsePositiveRate: number): AbandonRule => ({
  window: { kind: 'rolling', ms: DAY },
  amdFalsePositiveRate,
});

/** The FTC's successive 30-day periods from the campaign's start. */
export const ftcRule = (campaignStart: number, amdFalsePositiveRate: number): AbandonRule => ({
  window: { kind: 'periods', ms: 30 * DAY, from: campaignStart },
  amdFalsePositiveRate,
});

/** What happened to one answered call, as the ledger counts it. */
export type AnsweredOutcome =
  /** Put through to an agent (not yet known whether a person or a machine). */
  | 'connected'
  /** Put through, and the agent marked it an answering machine. */
  | 'connected_machine'
  /** No agent within the grace: drop message and hang-up. */
  | 'dropped'
  /** The far end hung up while waiting for an agent. */
  | 'hung_up_waiting'
  /** Answering-machine detection hung up (machine or silence verdict). */
  | 'amd_hangup';

/** What the answered calls came to: the counts every abandon figure is made of. */
export interface AbandonCounts {
  connected: number;
  machines: number;
  dropped: number;
  hungUpWaiting: number;
  amdHangups: number;
}

const emptyTally = (): AbandonCounts => ({ connected: 0, machines: 0, dropped: 0, hungUpWaiting: 0, amdHangups: 0 });

const FIELD: Record<AnsweredOutcome, keyof AbandonCounts> = {
  connected: 'connected',
  connected_machine: 'machines',
  dropped: 'dropped',
  hung_up_waiting: 'hungUpWaiting',
  amd_hangup: 'amdHangups',
};

function addTo(t: AbandonCounts, outcome: AnsweredOutcome): void {
  t[FIELD[outcome]] += 1;
}

/** Buckets per rolling window: the window is resolved to 1/48 of its length (30 min of 24 h). */
const BUCKETS = 48;

export interface AbandonLedger {
  readonly rule: AbandonRule;
  /** Rolling: tallies per bucket start; periods: the current period; campaign: one tally. */
  buckets: { start: number; tally: AbandonCounts }[];
  /** Since the campaign started, whatever the window. */
  readonly lifetime: AbandonCounts;
}

export function createLedger(rule: AbandonRule): AbandonLedger {
  return { rule, buckets: [], lifetime: emptyTally() };
}

function bucketStart(rule: AbandonRule, at: number): number {
  const w = rule.window;
  if (w.kind === 'rolling') {
    const size = w.ms / BUCKETS;
    return Math.floor(at / size) * size;
  }
  if (w.kind === 'periods') return w.from + Math.floor((at - w.from) / w.ms) * w.ms;
  return 0;
}

function prune(ledger: AbandonLedger, now: number): void {
  const w = ledger.rule.window;
  if (w.kind === 'rolling') {
    const size = w.ms / BUCKETS;
    const oldest = bucketStart(ledger.rule, now) - (BUCKETS - 1) * size;
    while (ledger.buckets.length > 0 && (ledger.buckets[0]?.start ?? 0) < oldest) ledger.buckets.shift();
  } else if (w.kind === 'periods') {
    const current = bucketStart(ledger.rule, now);
    ledger.buckets = ledger.buckets.filter((b) => b.start === current);
  }
}

export function recordAnswered(ledger: AbandonLedger, outcome: AnsweredOutcome, at: number): void {
  addTo(ledger.lifetime, outcome);
  const start = bucketStart(ledger.rule, at);
  prune(ledger, at);
  let last = ledger.buckets[ledger.buckets.length - 1];
  if (!last || last.start !== start) {
    last = { start, tally: emptyTally() };
    ledger.buckets.push(last);
  }
  addTo(last.tally, outcome);
}

/**
 * A connected call turned out to be a machine after it was counted as `connected` (the
 * agent's disposition comes after the connection).
 */
export function reclassifyAsMachine(ledger: AbandonLedger, connectedAt: number, now: number): void {
  const move = (t: AbandonCounts) => {
    if (t.connected > 0) {
      t.connected -= 1;
      t.machines += 1;
    }
  };
  move(ledger.lifetime);
  prune(ledger, now);
  const start = bucketStart(ledger.rule, connectedAt);
  const bucket = ledger.buckets.find((b) => b.start === start);
  if (bucket) move(bucket.tally);
}

export interface AbandonFigures {
  /** Estimated persons who answered. */
  persons: number;
  /** Estimated persons abandoned (drops that were persons + hang-ups while waiting + AMD false positives). */
  abandoned: number;
  /** abandoned ÷ persons (0 with no persons yet). */
  rate: number;
  /** 95 % Wilson interval of the rate. */
  low: number;
  high: number;
  /** Raw counts behind the estimate. */
  connected: number;
  machinesConnected: number;
  dropped: number;
  hungUpWaiting: number;
  amdHangups: number;
  /** Drops ÷ (drops + calls put through): what a dialer that ignores machines would report. */
  dropRate: number;
}

/**
 * The estimate itself, the one definition the pacing (through the ledger), the live monitor and
 * the report use: persons abandoned ÷ persons who answered, with the persons that detection hung
 * up (machine and silence verdicts alike) estimated from `amdFalsePositiveRate`, the share of
 * answering persons detection takes for machines.
 */
export function abandonFigures(t: AbandonCounts, amdFalsePositiveRate: number): AbandonFigures {
  const putThrough = t.connected + t.machines;
  const machineShare = putThrough > 0 ? t.machines / putThrough : 0;
  const droppedPersons = t.dropped * (1 - machineShare);
  const reached = t.connected + droppedPersons + t.hungUpWaiting;
  const fp = amdFalsePositiveRate;
  const falsePositives = t.amdHangups > 0 && fp > 0 ? Math.min(t.amdHangups, (reached * fp) / (1 - fp)) : 0;
  const persons = reached + falsePositives;
  const abandoned = droppedPersons + t.hungUpWaiting + falsePositives;
  const ci = wilsonInterval(abandoned, persons);
  const answeredToAgent = putThrough + t.dropped;
  return {
    persons,
    abandoned,
    rate: persons > 0 ? abandoned / persons : 0,
    low: persons > 0 ? ci.low : 0,
    high: persons > 0 ? ci.high : 1,
    connected: t.connected,
    machinesConnected: t.machines,
    dropped: t.dropped,
    hungUpWaiting: t.hungUpWaiting,
    amdHangups: t.amdHangups,
    dropRate: answeredToAgent > 0 ? t.dropped / answeredToAgent : 0,
  };
}

/** The figures over the rule's window ending now. */
export function windowFigures(ledger: AbandonLedger, now: number): AbandonFigures {
  prune(ledger, now);
  const sum = emptyTally();
  for (const b of ledger.buckets) for (const k of Object.values(FIELD)) sum[k] += b.tally[k];
  return abandonFigures(sum, ledger.rule.amdFalsePositiveRate);
}

/** The figures since the campaign started. */
export function lifetimeFigures(ledger: AbandonLedger): AbandonFigures {
  return abandonFigures(ledger.lifetime, ledger.rule.amdFalsePositiveRate);
}

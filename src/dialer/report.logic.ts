/**
 * The dialer's figures from its attempts, defined once for the live monitor and the report.
 * Pure: attempts in, figures out.
 *
 * - % connect = calls the network completed (answered by anyone, machines included) ÷ dialled;
 * - % human = calls that reached a person (with an agent, or dropped) ÷ dialled;
 * - abandon rate = persons dropped ÷ persons reached (connected + dropped): the measured drop rate;
 * - estimated abandon rate = the true-abandon estimate of `abandonFigures` (abandon.logic.ts), which
 *   adds the persons detection hung up (its machine and silence hang-ups × the campaign's
 *   false-positive share) to those abandoned and to those who answered;
 * - TMO (tempo médio de operação) = mean talk of the calls an agent took, answer to hang-up;
 * - short calls = not completed, or ending ≤ 6 s after the answer (Anatel's measure).
 */
import type { DialOutcome } from '../db/schema/index.js';
import { localDate } from './calling-window.logic.js';
import { abandonFigures } from './abandon.logic.js';
import { isShortCall } from './compliance.logic.js';

export const DIAL_OUTCOMES = ['connected', 'dropped', 'machine', 'busy', 'no_answer', 'failed'] as const satisfies readonly DialOutcome[];

export interface AttemptFacts {
  campaignId: number;
  outcome: DialOutcome;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  agentUserId: number | null;
}

export interface DialFigures {
  attempts: number;
  byOutcome: Record<DialOutcome, number>;
  /** Shares 0–1; null when nothing was dialled (or no person reached, for the abandon rate). */
  connectRate: number | null;
  humanRate: number | null;
  abandonRate: number | null;
  estimatedAbandonRate: number | null;
  tmoSeconds: number | null;
  short: number;
  shortShare: number | null;
}

const share = (n: number, of: number): number | null => (of === 0 ? null : n / of);
const noOutcomes = () => Object.fromEntries(DIAL_OUTCOMES.map((o) => [o, 0])) as Record<DialOutcome, number>;

/**
 * The running sums the figures come from. Attempts are added one at a time, so that the live
 * monitor keeps one per campaign and adds only the attempts made since it last looked.
 */
export interface DialTally {
  attempts: number;
  byOutcome: Record<DialOutcome, number>;
  answered: number;
  short: number;
  /** Talk of the connected calls, answer to hang-up. */
  talkMs: number;
  /** Per agent who took calls: how many, and their talk. */
  readonly agents: Map<number, { connected: number; talkMs: number }>;
}

export const newTally = (): DialTally => ({ attempts: 0, byOutcome: noOutcomes(), answered: 0, short: 0, talkMs: 0, agents: new Map() });

export function addAttempt(t: DialTally, a: AttemptFacts): void {
  t.attempts++;
  t.byOutcome[a.outcome]++;
  if (a.answeredAt !== null) t.answered++;
  if (isShortCall(a)) t.short++;
  if (a.outcome !== 'connected' || a.answeredAt === null) return;
  const talkMs = a.endedAt - a.answeredAt;
  t.talkMs += talkMs;
  if (a.agentUserId === null) return;
  const agent = t.agents.get(a.agentUserId) ?? { connected: 0, talkMs: 0 };
  agent.connected++;
  agent.talkMs += talkMs;
  t.agents.set(a.agentUserId, agent);
}

export function tallyOf(attempts: Iterable<AttemptFacts>): DialTally {
  const t = newTally();
  for (const a of attempts) addAttempt(t, a);
  return t;
}

/** The true-abandon estimate from attempts: a `machine` attempt is one detection hung up (machine or silence). */
export function estimatedAbandonRate(byOutcome: Readonly<Record<DialOutcome, number>>, amdFalsePositiveRate: number): number | null {
  const f = abandonFigures({ connected: byOutcome.connected, machines: 0, dropped: byOutcome.dropped, hungUpWaiting: 0, amdHangups: byOutcome.machine }, amdFalsePositiveRate);
  return f.persons > 0 ? f.rate : null;
}

/** `amdFalsePositiveRate`: the campaign's (0 with detection off), for the estimated abandon rate. */
export function figuresOf(t: DialTally, amdFalsePositiveRate = 0): DialFigures {
  const { byOutcome } = t;
  const persons = byOutcome.connected + byOutcome.dropped;
  return {
    attempts: t.attempts,
    byOutcome: { ...byOutcome },
    connectRate: share(t.answered, t.attempts),
    humanRate: share(persons, t.attempts),
    abandonRate: share(byOutcome.dropped, persons),
    estimatedAbandonRate: estimatedAbandonRate(byOutcome, amdFalsePositiveRate),
    tmoSeconds: byOutcome.connected === 0 ? null : t.talkMs / byOutcome.connected / 1000,
    short: t.short,
    shortShare: share(t.short, t.attempts),
  };
}

export const dialFigures = (attempts: Iterable<AttemptFacts>, amdFalsePositiveRate = 0): DialFigures => figuresOf(tallyOf(attempts), amdFalsePositiveRate);

export interface AgentFigures {
  agentUserId: number;
  /** Calls of the campaign this agent took. */
  connected: number;
  /** The agent's share of the campaign's connected calls (0–1). */
  connectShare: number;
  tmoSeconds: number;
}

/** Per agent who took calls of the campaign: how many, their share, their mean talk. */
export function agentFigures(t: DialTally): AgentFigures[] {
  let connected = 0;
  for (const a of t.agents.values()) connected += a.connected;
  return [...t.agents.entries()]
    .map(([agentUserId, a]) => ({ agentUserId, connected: a.connected, connectShare: a.connected / connected, tmoSeconds: a.talkMs / a.connected / 1000 }))
    .sort((a, b) => b.connected - a.connected || a.agentUserId - b.agentUserId);
}

/** Outcomes per time bucket (by the attempt's end), oldest first; empty buckets included from `from`. */
export function outcomeSeries(attempts: Iterable<AttemptFacts>, from: number, to: number, bucketMs: number): { at: number; byOutcome: Record<DialOutcome, number> }[] {
  const n = Math.max(0, Math.ceil((to - from) / bucketMs));
  const buckets = Array.from({ length: n }, (_, i) => ({ at: from + i * bucketMs, byOutcome: noOutcomes() }));
  for (const a of attempts) {
    const i = Math.floor((a.endedAt - from) / bucketMs);
    if (i >= 0 && i < n) buckets[i]!.byOutcome[a.outcome]++;
  }
  return buckets;
}

export interface ReportRow extends DialFigures {
  campaignId: number;
  /** Local date, `YYYY-MM-DD`. */
  date: string;
}

/** The dialer report: one row per campaign and local day (by the attempt's start), by date then campaign. */
export function reportRows(attempts: Iterable<AttemptFacts>, timeZone: string, amdFalsePositiveRate: (campaignId: number) => number = () => 0): ReportRow[] {
  const groups = new Map<string, { campaignId: number; date: string; rows: AttemptFacts[] }>();
  for (const a of attempts) {
    const date = localDate(a.startedAt, timeZone);
    const key = `${date}|${a.campaignId}`;
    const g = groups.get(key) ?? { campaignId: a.campaignId, date, rows: [] };
    g.rows.push(a);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.campaignId - b.campaignId))
    .map((g) => ({ campaignId: g.campaignId, date: g.date, ...dialFigures(g.rows, amdFalsePositiveRate(g.campaignId)) }));
}

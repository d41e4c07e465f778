/**
 * Queue metrics, computed from the facts stored per interaction (and per agent state
 * interval), so that any period can be recomputed. Definitions (PRODUCT.md glossary):
 *
 * - offered: interactions that joined the queue (refused entries are counted apart);
 * - answered: taken by an agent; ASA: mean wait of those; MSA: the longest of those waits;
 * - abandoned (in queue): the customer left while waiting; short abandons: within the
 *   queue's short-abandon threshold;
 * - offered and not answered by an agent: interactions that rang at one or more agents and
 *   were never answered — what the reference platform calls "abandonadas" — beside the count
 *   of unanswered offers themselves;
 * - AHT (TMA): mean talk + hold + wrap-up of answered interactions that ended; MHT: the longest;
 * - longest wait: the longest wait of any interaction, answered or not;
 * - service level, in one of the `SlVariant`s below (default: answered within T ÷ (offered −
 *   short abandons));
 * - occupancy: time handling interactions (talk, hold, wrap-up) ÷ time logged in and not paused.
 */
import type { InteractionKind, InteractionOutcome } from './routing.model.js';

export interface InteractionFacts {
  kind: InteractionKind;
  enteredAt: number;
  /** False for an interaction refused on entry (queue full or empty). */
  joined: boolean;
  /** Null while still waiting or with its agent. */
  outcome: InteractionOutcome | null;
  answeredAt: number | null;
  /** When it left the queue without an agent (abandon, timeout, transfer, leave rule). */
  leftAt: number | null;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  /** Handling finished (talk and wrap-up over). */
  handled: boolean;
  offers: number;
  unansweredOffers: number;
}

export type SlVariant =
  /** Answered within T ÷ (offered − abandoned within the short-abandon threshold). The default. */
  | 'ignore_short_abandons'
  /** Answered within T ÷ answered. */
  | 'answered_only'
  /** Answered within T ÷ offered. */
  | 'all_offered'
  /** (Answered within T + abandoned within T) ÷ offered: an abandon before T counts as met. */
  | 'abandons_within_target_met';
export const SL_VARIANTS: readonly SlVariant[] = ['ignore_short_abandons', 'answered_only', 'all_offered', 'abandons_within_target_met'];

export interface MetricSettings {
  slSeconds: number;
  shortAbandonSeconds: number;
  slVariant: SlVariant;
}

export interface QueueMetrics {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandons: number;
  offeredNotAnswered: number;
  unansweredOffers: number;
  timeouts: number;
  /** Sent away while waiting because nobody could serve them (leave rule). */
  leftEmpty: number;
  transferred: number;
  /** Refused on entry (full or empty). */
  refused: number;
  lost: number;
  waiting: number;
  answeredWithinTarget: number;
  /** Percent (0–100), null when the denominator is 0. */
  serviceLevel: number | null;
  slVariant: SlVariant;
  slSeconds: number;
  /** Percent of offered that abandoned, null when none offered. */
  abandonRate: number | null;
  asaMs: number | null;
  msaMs: number | null;
  ahtMs: number | null;
  mhtMs: number | null;
  longestWaitMs: number | null;
}

export function waitOf(f: Pick<InteractionFacts, 'enteredAt' | 'answeredAt' | 'leftAt'>, now: number): number {
  return (f.answeredAt ?? f.leftAt ?? now) - f.enteredAt;
}

const mean = (sum: number, n: number): number | null => (n === 0 ? null : sum / n);
const pct = (num: number, den: number): number | null => (den <= 0 ? null : (100 * num) / den);

export function queueMetrics(facts: Iterable<InteractionFacts>, s: MetricSettings, now: number): QueueMetrics {
  const target = s.slSeconds * 1000;
  const short = s.shortAbandonSeconds * 1000;
  let offered = 0, answered = 0, abandoned = 0, shortAbandons = 0, offeredNotAnswered = 0, unansweredOffers = 0;
  let timeouts = 0, leftEmpty = 0, transferred = 0, refused = 0, lost = 0, waiting = 0;
  let within = 0, abandonedWithin = 0, waitSum = 0, msa: number | null = null, longest: number | null = null;
  let handleSum = 0, handled = 0, mht: number | null = null;
  for (const f of facts) {
    if (!f.joined) {
      refused++;
      continue;
    }
    offered++;
    unansweredOffers += f.unansweredOffers;
    const wait = waitOf(f, now);
    longest = longest === null ? wait : Math.max(longest, wait);
    if (f.answeredAt !== null) {
      answered++;
      waitSum += wait;
      msa = msa === null ? wait : Math.max(msa, wait);
      if (wait <= target) within++;
      if (f.handled) {
        const h = f.talkMs + f.holdMs + f.wrapMs;
        handleSum += h;
        handled++;
        mht = mht === null ? h : Math.max(mht, h);
      }
      continue;
    }
    if (f.offers > 0 && f.outcome !== null) offeredNotAnswered++;
    switch (f.outcome) {
      case 'abandoned':
        abandoned++;
        if (wait <= short) shortAbandons++;
        if (wait <= target) abandonedWithin++;
        break;
      case 'timeout':
        timeouts++;
        break;
      case 'empty':
        leftEmpty++;
        break;
      case 'transferred':
        transferred++;
        break;
      case 'lost':
        lost++;
        break;
      case null:
        waiting++;
        break;
      default:
        break;
    }
  }
  const serviceLevel =
    s.slVariant === 'answered_only'
      ? pct(within, answered)
      : s.slVariant === 'all_offered'
        ? pct(within, offered - waiting)
        : s.slVariant === 'abandons_within_target_met'
          ? pct(within + abandonedWithin, offered - waiting)
          : pct(within, offered - waiting - shortAbandons);
  return {
    offered,
    answered,
    abandoned,
    shortAbandons,
    offeredNotAnswered,
    unansweredOffers,
    timeouts,
    leftEmpty,
    transferred,
    refused,
    lost,
    waiting,
    answeredWithinTarget: within,
    serviceLevel,
    slVariant: s.slVariant,
    slSeconds: s.slSeconds,
    abandonRate: pct(abandoned, offered - waiting),
    asaMs: mean(waitSum, answered),
    msaMs: msa,
    ahtMs: mean(handleSum, handled),
    mhtMs: mht,
    longestWaitMs: longest,
  };
}

/** One stretch of an agent's time in one state. `end` null: still in it. */
export interface StateInterval {
  state: 'available' | 'offered' | 'busy' | 'wrap_up' | 'paused' | 'offline';
  start: number;
  end: number | null;
}

export interface Occupancy {
  loggedInMs: number;
  pausedMs: number;
  handlingMs: number;
  /** Percent, null when the agents were never logged in and unpaused in the period. */
  occupancy: number | null;
}

/** Occupancy over [from, to): handling (offered, busy, wrap-up) ÷ (logged in − paused). */
export function occupancy(intervals: Iterable<StateInterval>, from: number, to: number, now: number): Occupancy {
  let loggedInMs = 0, pausedMs = 0, handlingMs = 0;
  for (const iv of intervals) {
    if (iv.state === 'offline') continue;
    const len = Math.max(0, Math.min(iv.end ?? now, to) - Math.max(iv.start, from));
    if (len === 0) continue;
    loggedInMs += len;
    if (iv.state === 'paused') pausedMs += len;
    else if (iv.state !== 'available') handlingMs += len;
  }
  return { loggedInMs, pausedMs, handlingMs, occupancy: pct(handlingMs, loggedInMs - pausedMs) };
}

/**
 * Which contact, and which of its phones, to dial next — and what an attempt or a disposition
 * does to a contact — under a campaign's dialing strategy. Pure: the list state comes in, a
 * decision or a new contact state goes out.
 *
 * Order: scheduled callbacks that are due (earliest first), then retries that are due (the one
 * waiting longest first), then contacts never tried (in list order). A contact is dialled only
 * inside its calling window (in its own time zone), below its attempt limits (per phone, per
 * contact, per local day), never when marked do-not-call, and never on a phone that is marked
 * invalid or that the outbound blacklist blocks at dial time.
 */
import { localDate, zonedTime, localTime, type CallingWindow } from './calling-window.logic.js';

/** What one attempt came to. `failed` covers congestion and other network failures. */
export type AttemptOutcome = 'busy' | 'no_answer' | 'failed' | 'machine' | 'dropped' | 'connected';

export type RetryOutcome = Exclude<AttemptOutcome, 'connected'>;

export type PhoneOrder = 'as_listed' | 'mobile_first' | 'landline_first';

export interface DialStrategy {
  maxAttemptsPerPhone: number;
  maxAttemptsPerContact: number;
  /** Attempts per contact per local calendar day. */
  maxAttemptsPerDay: number;
  /** How long to wait before trying a contact again after each outcome. */
  retryDelayMs: Readonly<Record<RetryOutcome, number>>;
  /** Among a contact's phones with the fewest attempts, which goes first. */
  phoneOrder: PhoneOrder;
  window: CallingWindow;
  /** For contacts with no time zone of their own. */
  timeZone: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Sensible delays: a busy line is tried again soon, an unanswered one later. After a dropped
 * call the person is not called again for 72 hours (Ofcom's rule for abandoned calls).
 */
export const DEFAULT_RETRY_DELAYS_MS: Readonly<Record<RetryOutcome, number>> = {
  busy: 15 * MINUTE,
  no_answer: 2 * HOUR,
  failed: 30 * MINUTE,
  machine: 4 * HOUR,
  dropped: 72 * HOUR,
};

export interface ListPhone {
  readonly number: string;
  readonly kind: 'mobile' | 'landline';
  invalid: boolean;
  attempts: number;
}

export interface ListContact {
  readonly id: string;
  /** Place in the list (import order). */
  readonly position: number;
  readonly timeZone: string | null;
  readonly phones: readonly ListPhone[];
  /** When each attempt was made (epoch ms), oldest first. */
  readonly attemptTimes: readonly number[];
  doNotCall: boolean;
  /** Nothing more to do with this contact. */
  finished: boolean;
  /** Not before this (retry delay, redial). */
  retryAt: number | null;
  /** A scheduled callback, first in line when due; to this agent when set. */
  callbackAt: number | null;
  callbackAgentId: string | null;
  /** Being dialled right now. */
  inFlight: boolean;
}

export type NextDial =
  | { kind: 'dial'; contactId: string; phone: string; callbackAgentId: string | null }
  /** Nothing to dial now; `until` is when something may become dialable (null: only when calls in flight end). */
  | { kind: 'wait'; until: number | null }
  /** No contact can ever be dialled again. */
  | { kind: 'exhausted' };

export type Blocked = (phone: string) => boolean;

function phoneRank(order: PhoneOrder, kind: ListPhone['kind']): number {
  if (order === 'mobile_first') return kind === 'mobile' ? 0 : 1;
  if (order === 'landline_first') return kind === 'landline' ? 0 : 1;
  return 0;
}

/**
 * The phone to try: dialable, fewest attempts so far, then by the strategy's order, then as
 * listed. A scheduled callback is an agent's promise to the person: attempt limits do not
 * stop it (the calling window and the daily limit still do).
 */
export function phoneToDial(contact: ListContact, strategy: DialStrategy, blocked: Blocked): ListPhone | null {
  const limited = contact.callbackAt === null;
  let best: ListPhone | null = null;
  for (const p of contact.phones) {
    if (p.invalid || (limited && p.attempts >= strategy.maxAttemptsPerPhone) || blocked(p.number)) continue;
    if (
      !best ||
      p.attempts < best.attempts ||
      (p.attempts === best.attempts && phoneRank(strategy.phoneOrder, p.kind) < phoneRank(strategy.phoneOrder, best.kind))
    )
      best = p;
  }
  return best;
}

/** Can never be dialled again (whatever the time). */
export function spent(c: ListContact, strategy: DialStrategy, blocked: Blocked): boolean {
  if (c.finished || c.doNotCall) return true;
  if (c.callbackAt === null && c.attemptTimes.length >= strategy.maxAttemptsPerContact) return true;
  return !phoneToDial(c, strategy, blocked);
}

function attemptsOnDay(c: ListContact, day: string, timeZone: string): number {
  let n = 0;
  for (const t of c.attemptTimes) if (localDate(t, timeZone) === day) n++;
  return n;
}

/** The next local midnight after `at` in `timeZone`. */
function nextLocalMidnight(at: number, timeZone: string): number {
  const t = localTime(at, timeZone);
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + 1));
  return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, timeZone);
}

/** When the contact may next be dialled (≤ now: now), or null if the window never opens. */
export function dueAt(c: ListContact, strategy: DialStrategy, now: number): number | null {
  const tz = c.timeZone ?? strategy.timeZone;
  let at = Math.max(now, c.callbackAt ?? c.retryAt ?? now);
  for (let i = 0; i < 16; i++) {
    const open = strategy.window.nextOpen(at, tz);
    if (open === null) return null;
    at = open;
    if ((c.attemptTimes.length === 0 ? 0 : attemptsOnDay(c, localDate(at, tz), tz)) < strategy.maxAttemptsPerDay) return at;
    at = nextLocalMidnight(at, tz);
  }
  return null;
}

/** Dialable now: not spent, not being dialled, and due (its delays, the window, the daily limit). */
export function dueNow(c: ListContact, strategy: DialStrategy, now: number, blocked: Blocked): boolean {
  if (c.inFlight || spent(c, strategy, blocked)) return false;
  const at = dueAt(c, strategy, now);
  return at !== null && at <= now;
}

type Tier = 0 | 1 | 2;

function tierOf(c: ListContact): Tier {
  if (c.callbackAt !== null) return 0;
  return c.attemptTimes.length > 0 || c.retryAt !== null ? 1 : 2;
}

interface Candidate {
  c: ListContact;
  tier: Tier;
  /** Callback time, retry time or list position: the earlier waits longer. */
  since: number;
}

/** Who waited longest goes first: by tier, then how long, then list order. */
const before = (a: Candidate, b: Candidate): number => a.tier - b.tier || a.since - b.since || a.c.position - b.c.position;

/** One pass over the list: the contacts dialable now, when the next one becomes due, whether any is left at all. */
function scan(contacts: readonly ListContact[], strategy: DialStrategy, now: number, blocked: Blocked): { due: Candidate[]; soonest: number | null; anyLeft: boolean } {
  const due: Candidate[] = [];
  let soonest: number | null = null;
  let anyLeft = false;
  for (const c of contacts) {
    if (spent(c, strategy, blocked)) continue;
    anyLeft = true;
    if (c.inFlight) continue;
    const at = dueAt(c, strategy, now);
    if (at === null) continue;
    if (at > now) {
      if (soonest === null || at < soonest) soonest = at;
      continue;
    }
    const tier = tierOf(c);
    due.push({ c, tier, since: tier === 0 ? (c.callbackAt ?? 0) : tier === 1 ? (c.retryAt ?? 0) : c.position });
  }
  return { due, soonest, anyLeft };
}

function dialOf(c: ListContact, strategy: DialStrategy, blocked: Blocked): Extract<NextDial, { kind: 'dial' }> | null {
  const phone = phoneToDial(c, strategy, blocked);
  return phone ? { kind: 'dial', contactId: c.id, phone: phone.number, callbackAgentId: c.callbackAgentId } : null;
}

/** The next contact and phone to dial now, or why there is none. */
export function nextToDial(contacts: readonly ListContact[], strategy: DialStrategy, now: number, blocked: Blocked): NextDial {
  const { due, soonest, anyLeft } = scan(contacts, strategy, now, blocked);
  let pick: Candidate | null = null;
  for (const d of due) if (!pick || before(d, pick) < 0) pick = d;
  const dial = pick && dialOf(pick.c, strategy, blocked);
  if (dial) return dial;
  if (!anyLeft) return { kind: 'exhausted' };
  return { kind: 'wait', until: soonest };
}

/**
 * The next `max` contacts to dial now, in the order `nextToDial` would give them one after the
 * other (each taken out before the next), from one pass over the list; `exhausted` when no
 * contact can ever be dialled again.
 */
export function nextDialsOf(contacts: readonly ListContact[], strategy: DialStrategy, now: number, blocked: Blocked, max: number): { dials: Extract<NextDial, { kind: 'dial' }>[]; exhausted: boolean } {
  const { due, anyLeft } = scan(contacts, strategy, now, blocked);
  due.sort(before);
  const dials: Extract<NextDial, { kind: 'dial' }>[] = [];
  for (const d of due) {
    if (dials.length >= max) break;
    const dial = dialOf(d.c, strategy, blocked);
    if (dial) dials.push(dial);
  }
  return { dials, exhausted: !anyLeft };
}

function withPhone(c: ListContact, number: string, change: (p: ListPhone) => ListPhone): ListContact {
  return { ...c, phones: c.phones.map((p) => (p.number === number ? change(p) : p)) };
}

/** A contact after one attempt on `phone` ended with `outcome` at `now`. */
export function recordAttempt(c: ListContact, phone: string, outcome: AttemptOutcome, now: number, strategy: DialStrategy): ListContact {
  return {
    ...withPhone(c, phone, (p) => ({ ...p, attempts: p.attempts + 1 })),
    attemptTimes: [...c.attemptTimes, now],
    inFlight: false,
    callbackAt: null,
    callbackAgentId: null,
    finished: outcome === 'connected',
    retryAt: outcome === 'connected' ? null : now + strategy.retryDelayMs[outcome],
  };
}

/** What an agent's tabulation does to the contact (PRODUCT.md §5 actions). */
export type DispositionAction =
  | { kind: 'redial'; afterMs: number }
  | { kind: 'callback'; at: number; agentId: string | null }
  | { kind: 'phone_invalid'; phone: string }
  | { kind: 'do_not_call' }
  | { kind: 'finish' };

export function applyDisposition(c: ListContact, action: DispositionAction, now: number): ListContact {
  switch (action.kind) {
    case 'redial':
      return { ...c, finished: false, retryAt: now + action.afterMs };
    case 'callback':
      return { ...c, finished: false, callbackAt: action.at, callbackAgentId: action.agentId };
    case 'phone_invalid':
      return withPhone(c, action.phone, (p) => ({ ...p, invalid: true }));
    case 'do_not_call':
      return { ...c, doNotCall: true, callbackAt: null, callbackAgentId: null };
    case 'finish':
      return { ...c, finished: true, callbackAt: null, callbackAgentId: null, retryAt: null };
  }
}

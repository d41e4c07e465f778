/**
 * The checks made at the moment of dialling, and the short-call share Brazil's regulator
 * watches. Pure: what is known about the contact, the phone and the clock comes in, a verdict
 * goes out; the dialer loop reads the facts from the database just before each originate, so
 * that a number blacklisted or a contact marked do-not-call a second ago is not dialled.
 */
import type { CallingWindow, WeeklyPeriod } from './calling-window.logic.js';
import { localDate, weeklyWindow } from './calling-window.logic.js';

export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

/**
 * Brazil spans four time zones and the area code (DDD) tells which: a call at 08:30 in São
 * Paulo is 06:30 in Acre. The IANA zone of each DDD whose state is not on Brasília time's
 * zone entry; every other DDD is `America/Sao_Paulo`.
 */
const ZONE_BY_DDD: Readonly<Record<string, string>> = {
  '63': 'America/Araguaina',
  '65': 'America/Cuiaba',
  '66': 'America/Cuiaba',
  '67': 'America/Campo_Grande',
  '68': 'America/Rio_Branco',
  '69': 'America/Porto_Velho',
  '71': 'America/Bahia',
  '73': 'America/Bahia',
  '74': 'America/Bahia',
  '75': 'America/Bahia',
  '77': 'America/Bahia',
  '79': 'America/Maceio',
  '81': 'America/Recife',
  '82': 'America/Maceio',
  '83': 'America/Fortaleza',
  '84': 'America/Fortaleza',
  '85': 'America/Fortaleza',
  '86': 'America/Fortaleza',
  '87': 'America/Recife',
  '88': 'America/Fortaleza',
  '89': 'America/Fortaleza',
  '91': 'America/Belem',
  '92': 'America/Manaus',
  '93': 'America/Santarem',
  '94': 'America/Belem',
  '95': 'America/Boa_Vista',
  '96': 'America/Belem',
  '97': 'America/Manaus',
  '98': 'America/Fortaleza',
  '99': 'America/Fortaleza',
};

/** Every zone a number may be called in (`timeZoneOfPhone`'s answers). */
const DIALLING_ZONES: readonly string[] = [...new Set([DEFAULT_TIME_ZONE, ...Object.values(ZONE_BY_DDD)])];

/**
 * The window is open for some number now: in the zone of some DDD. Each number is still held to
 * its own zone (`checkDial`); a campaign is outside its window only once it is closed everywhere
 * (at 20:30 in São Paulo, Acre's numbers are at 18:30).
 */
export function openInSomeZone(window: CallingWindow, now: number): boolean {
  return DIALLING_ZONES.some((zone) => window.isOpen(now, zone));
}

/** The time zone of a Brazilian number `55DDD…`; the default for anything else. */
export function timeZoneOfPhone(number: string): string {
  if (!/^55\d{10,11}$/.test(number)) return DEFAULT_TIME_ZONE;
  return ZONE_BY_DDD[number.slice(2, 4)] ?? DEFAULT_TIME_ZONE;
}

/**
 * The hours of the telemarketing self-regulation code followed in Brazil (weekdays 09:00–21:00,
 * Saturdays 10:00–16:00, never on Sundays), used when a strategy names no time condition.
 */
export const LEGAL_HOURS: readonly WeeklyPeriod[] = [
  { days: [1, 2, 3, 4, 5], from: '09:00', to: '21:00' },
  { days: [6], from: '10:00', to: '16:00' },
];
export const legalHours: CallingWindow = weeklyWindow(LEGAL_HOURS);

export interface DialFacts {
  /** The number as stored (55 + DDD + number). */
  number: string;
  /** Still a valid Brazilian number by the numbering rules, and not marked invalid by a tabulation. */
  phoneValid: boolean;
  phoneDoNotCall: boolean;
  contactDoNotCall: boolean;
  /** The outbound blacklist holds the number (or a prefix of it) now. */
  blacklisted: boolean;
}

export interface DialPolicy {
  window: CallingWindow;
  /** Present Anatel's 0303 telemarketing number as the caller id. */
  prefix0303: boolean;
  /** The campaign's caller id (a 0303 number when `prefix0303`). */
  callerId: string | null;
}

export type DialRefusal = 'blacklisted' | 'do_not_call' | 'phone_do_not_call' | 'invalid_phone' | 'outside_window' | 'no_0303_caller_id';

export type DialVerdict =
  | { ok: true; number: string; callerId: string | null; timeZone: string }
  /** `retryAt`: when the contact's window opens again (only for `outside_window`; null: not within 8 days). */
  | { ok: false; reason: DialRefusal; retryAt: number | null };

/** The order says which reason a refusal names when several apply: the permanent ones first. */
export function checkDial(facts: DialFacts, policy: DialPolicy, now: number): DialVerdict {
  if (facts.blacklisted) return { ok: false, reason: 'blacklisted', retryAt: null };
  if (facts.contactDoNotCall) return { ok: false, reason: 'do_not_call', retryAt: null };
  if (facts.phoneDoNotCall) return { ok: false, reason: 'phone_do_not_call', retryAt: null };
  if (!facts.phoneValid) return { ok: false, reason: 'invalid_phone', retryAt: null };
  if (policy.prefix0303 && !isNumber0303(policy.callerId)) return { ok: false, reason: 'no_0303_caller_id', retryAt: null };
  const timeZone = timeZoneOfPhone(facts.number);
  if (!policy.window.isOpen(now, timeZone)) return { ok: false, reason: 'outside_window', retryAt: policy.window.nextOpen(now, timeZone) };
  return { ok: true, number: facts.number, callerId: policy.callerId, timeZone };
}

/** A 0303 number as Anatel assigns them to telemarketing: 0303 and the subscriber's digits. */
export function isNumber0303(callerId: string | null): boolean {
  return callerId !== null && /^0303\d{7,8}$/.test(callerId);
}

/** A call that ended: `answeredAt` null when the network never completed it. */
export interface EndedCall {
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
}

/** Anatel counts calls not completed or lasting 6 s or less after the answer. */
export const SHORT_CALL_MS = 6000;
/** The share at which Anatel acts. */
export const SHORT_CALL_LIMIT = 0.85;
/** Warn this far below the limit, while the day can still be turned around. */
export const SHORT_CALL_WARNING = 0.8;

export function isShortCall(call: EndedCall): boolean {
  return call.answeredAt === null || call.endedAt - call.answeredAt <= SHORT_CALL_MS;
}

export interface ShortCallDay {
  /** Local date `YYYY-MM-DD` in the tenant's zone. */
  date: string;
  calls: number;
  short: number;
  /** short ÷ calls (0 with no calls). */
  share: number;
  level: 'ok' | 'warning' | 'limit';
}

export function shortCallLevel(calls: number, short: number): Pick<ShortCallDay, 'share' | 'level'> {
  const share = calls === 0 ? 0 : short / calls;
  return { share, level: share >= SHORT_CALL_LIMIT ? 'limit' : share >= SHORT_CALL_WARNING ? 'warning' : 'ok' };
}

/** The short-call share per local day (the regulator's unit), oldest day first. */
export function shortCallsByDay(calls: Iterable<EndedCall>, timeZone: string): ShortCallDay[] {
  const days = new Map<string, { calls: number; short: number }>();
  for (const c of calls) {
    const date = localDate(c.startedAt, timeZone);
    const d = days.get(date) ?? { calls: 0, short: 0 };
    d.calls++;
    if (isShortCall(c)) d.short++;
    days.set(date, d);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, d]) => ({ date, calls: d.calls, short: d.short, ...shortCallLevel(d.calls, d.short) }));
}

/**
 * Time conditions, pure: is a condition open at an instant, and which rule said so. Wall-clock
 * times are read in the condition's IANA zone through `Intl` (the zone database of the runtime),
 * so daylight-saving changes are the runtime's business, never a hand-written offset.
 * Also used by outbound routes and campaigns.
 */
import type { Destination } from '../calls/destination.model.js';
// The file, not the kernel's index: the browser shares this logic and must not load the kernel's adapters.
import { isValidTimeZone, localTime as wallClock } from '../kernel/weekly.js';
import type {
  Decision,
  ExceptionDay,
  LocalTime,
  Period,
  TimeConditionDestinations,
  TimeConditionRules,
  TimeRange,
  Weekday,
} from './time-condition.model.js';

export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

/** Is `zone` an IANA time zone this runtime knows? */
export function isTimeZone(zone: string): boolean {
  return zone.length > 0 && zone.length <= 64 && isValidTimeZone(zone);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Weekday of a calendar date (no zone involved: it is a date, not an instant). */
const weekdayOf = (year: number, month: number, day: number): Weekday => new Date(Date.UTC(year, month - 1, day)).getUTCDay() as Weekday;

function calendarDay(year: number, month: number, day: number, minute: number): LocalTime {
  return { date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, year, month, day, weekday: weekdayOf(year, month, day), minute };
}

/** The wall clock of `instant` (epoch ms) in `timeZone` (the kernel's one reading of a zone's clock), as a calendar day. */
export function localTime(instant: number, timeZone: string): LocalTime {
  const t = wallClock(instant, timeZone);
  return calendarDay(t.year, t.month, t.day, t.minutes);
}

/** The calendar day before `t` (minute kept). */
function dayBefore(t: LocalTime): LocalTime {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day - 1));
  return calendarDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), t.minute);
}

/** `HH:MM` → minutes since midnight; `24:00` → 1440. Undefined if malformed. */
export function parseClock(hhmm: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 1440 ? undefined : minutes;
}

const minutesOf = (hhmm: string): number => parseClock(hhmm) ?? 0;

const selects = <T>(list: readonly T[] | undefined, value: T): boolean => !list || list.length === 0 || list.includes(value);

/** Do the period's day selectors pick this calendar day? */
const dayMatches = (p: Period, t: LocalTime): boolean =>
  selects(p.weekdays, t.weekday) && selects(p.monthDays, t.day) && selects(p.months, t.month);

export const crossesMidnight = (r: TimeRange): boolean => minutesOf(r.end) <= minutesOf(r.start);

/** Is the wall-clock moment `t` inside the period (which may have started the day before)? */
export function inPeriod(p: Period, t: LocalTime): boolean {
  const start = minutesOf(p.start);
  const end = minutesOf(p.end);
  if (end > start) return dayMatches(p, t) && t.minute >= start && t.minute < end;
  return (dayMatches(p, t) && t.minute >= start) || (t.minute < end && dayMatches(p, dayBefore(t)));
}

const inRange = (r: TimeRange, minute: number): boolean => minute >= minutesOf(r.start) && minute < minutesOf(r.end);

/** Open or closed at `instant`, and which rule decided: override, then exception days, then periods. */
export function evaluate(rules: TimeConditionRules, instant: number): Decision {
  const o = rules.override;
  if (o && (o.until === null || instant < o.until)) return { state: o.state, rule: { kind: 'override', until: o.until } };
  const t = localTime(instant, rules.timeZone);
  const index = rules.exceptions.findIndex((e) => e.date === t.date);
  if (index >= 0) {
    const e = rules.exceptions[index]!;
    return {
      state: e.openHours.some((r) => inRange(r, t.minute)) ? 'open' : 'closed',
      rule: { kind: 'exception', source: e.source, date: e.date, name: e.name, index },
    };
  }
  const period = rules.periods.findIndex((p) => inPeriod(p, t));
  return period >= 0 ? { state: 'open', rule: { kind: 'period', index: period } } : { state: 'closed', rule: { kind: 'no_period' } };
}

/** Where a call goes after a decision: an exception day's own destination, the holiday one, or open/closed. */
export function destinationOf(decision: Decision, rules: Pick<TimeConditionRules, 'exceptions'>, to: TimeConditionDestinations): Destination {
  if (decision.state === 'open') return to.open;
  if (decision.rule.kind === 'exception') {
    const day: ExceptionDay | undefined = rules.exceptions[decision.rule.index];
    if (day?.destination) return day.destination;
    if (day?.source === 'holiday' && to.holiday) return to.holiday;
  }
  return to.closed;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface Problem {
  field: string;
  message: string;
}

/** The first thing wrong with a time range (`at` names it in the message and the field). */
export function rangeProblem(r: TimeRange & { crossesMidnight?: boolean }, at: string, allowCrossing: boolean): Problem | undefined {
  const start = parseClock(r.start);
  const end = parseClock(r.end);
  if (start === undefined || start >= 1440) return { field: `${at}.start`, message: `${at}.start: ${r.start} is not a time of day (HH:MM, 00:00–23:59)` };
  if (end === undefined) return { field: `${at}.end`, message: `${at}.end: ${r.end} is not a time of day (HH:MM, 00:00–24:00)` };
  if (end <= start && !(allowCrossing && r.crossesMidnight)) {
    return allowCrossing
      ? { field: `${at}.end`, message: `${at}.end: ${r.end} is not after the start ${r.start}; set crossesMidnight to run past midnight` }
      : { field: `${at}.end`, message: `${at}.end: ${r.end} is not after the start ${r.start}` };
  }
  if (end > start && r.crossesMidnight) {
    return { field: `${at}.crossesMidnight`, message: `${at}.crossesMidnight: ${r.start}–${r.end} does not cross midnight` };
  }
  return undefined;
}

/** The first thing wrong with a set of periods, naming the field (`periods.1.end`). */
export function periodsProblem(periods: readonly Period[]): Problem | undefined {
  for (const [i, p] of periods.entries()) {
    const at = `periods.${i}`;
    const range = rangeProblem(p, at, true);
    if (range) return range;
    const months = p.months && p.months.length > 0 ? p.months : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    for (const d of p.monthDays ?? []) {
      if (!months.some((m) => MONTH_DAYS[m - 1]! >= d)) {
        // One month by its name; several by their length (a list of names would not translate).
        const message =
          months.length === 1 ? `day ${d} never occurs in ${MONTH_NAMES[months[0]! - 1]}` : `day ${d} never occurs in the months chosen (${Math.max(...months.map((m) => MONTH_DAYS[m - 1]!))} days at most)`;
        return { field: `${at}.monthDays`, message: `${at}.monthDays: ${message}` };
      }
    }
  }
  return undefined;
}

/** The first thing wrong with a day's open hours. */
export function openHoursProblem(hours: readonly TimeRange[], at: string): Problem | undefined {
  for (const [i, r] of hours.entries()) {
    const p = rangeProblem(r, `${at}.openHours.${i}`, false);
    if (p) return p;
  }
  return undefined;
}

/** Is `date` a real calendar date `YYYY-MM-DD`? */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
}

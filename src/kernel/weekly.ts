/**
 * Local time in any IANA zone (Intl, no library) and weekly schedules of days and hours: the
 * dialer's calling windows and agents' working hours. Pure: instants are passed in.
 */

/** Days 0 = Sunday … 6 = Saturday; `from`/`to` as "HH:MM" local time; `to` ≤ `from` runs past midnight. */
export interface WeeklyPeriod {
  days: readonly number[];
  from: string;
  to: string;
}

export interface LocalTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (an unknown one throws RangeError). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time at `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): LocalTime & { seconds: number } {
  const parts = formatFor(timeZone).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: WEEKDAYS[get('weekday')] ?? 0,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
    seconds: Number(get('second')),
  };
}

/** "2026-01-05": the contact's calendar day, for per-day limits. */
export function localDate(at: number, timeZone: string): string {
  const t = localTime(at, timeZone);
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

/**
 * The instant a local wall-clock time happens in `timeZone` (the later one in a repeated hour;
 * a time skipped by a clock change moves forward by the change).
 */
export function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const t = localTime(guess, timeZone);
    const seen = Date.UTC(t.year, t.month - 1, t.day, 0, t.minutes, t.seconds);
    const next = guess + (wall - seen);
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/**
 * The first instant of the local day that `at` falls in ("today" since midnight in the tenant's
 * zone): midnight, or the first minute after it where a clock change skips midnight.
 */
export function localDayStart(at: number, timeZone: string): number {
  const t = localTime(at, timeZone);
  return zonedTime(t.year, t.month, t.day, 0, timeZone);
}

export function parseClock(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`"${hhmm}" is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

interface Period {
  days: Set<number>;
  from: number;
  to: number;
}

function openIn(periods: readonly Period[], weekday: number, minutes: number): boolean {
  return periods.some((p) => covers(p, weekday, minutes));
}

/** A schedule of weekly periods in a zone: open now, next opening, next closing. */
export interface WeeklySchedule {
  isOpen(at: number, timeZone: string): boolean;
  /** The first instant ≥ `at` when the schedule is open (`at` itself when open); null if never within 8 days. */
  nextOpen(at: number, timeZone: string): number | null;
  /** When the open stretch that contains `at` ends (adjoining periods run on); null when closed at `at` or open for the next 14 days. */
  nextClose(at: number, timeZone: string): number | null;
}

/** The end instant of period `p` for a local time inside it. */
function endOf(p: Period, t: LocalTime, timeZone: string): number {
  const dayOffset = p.to > p.from || t.minutes < p.to ? 0 : 1;
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + dayOffset));
  return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), p.to, timeZone);
}

function covers(p: Period, weekday: number, minutes: number): boolean {
  if (p.to > p.from) return p.days.has(weekday) && minutes >= p.from && minutes < p.to;
  return (p.days.has(weekday) && minutes >= p.from) || (p.days.has((weekday + 6) % 7) && minutes < p.to);
}

/** Days of the week and hours. No periods: never open. */
export function weeklySchedule(periods: readonly WeeklyPeriod[]): WeeklySchedule {
  const parsed: Period[] = periods.map((p) => ({ days: new Set(p.days), from: parseClock(p.from), to: parseClock(p.to) }));
  const schedule: WeeklySchedule = {
    isOpen(at, timeZone) {
      const t = localTime(at, timeZone);
      return openIn(parsed, t.weekday, t.minutes);
    },
    nextOpen(at, timeZone) {
      const now = localTime(at, timeZone);
      if (openIn(parsed, now.weekday, now.minutes)) return at;
      let best: number | null = null;
      for (let offset = 0; offset <= 8; offset++) {
        const date = new Date(Date.UTC(now.year, now.month - 1, now.day + offset));
        const weekday = date.getUTCDay();
        for (const p of parsed) {
          if (!p.days.has(weekday)) continue;
          const start = zonedTime(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), p.from, timeZone);
          if (start >= at && (best === null || start < best)) best = start;
        }
        if (best !== null) return best;
      }
      return best;
    },
    nextClose(at, timeZone) {
      let t = at;
      for (let i = 0; i < 14 * Math.max(1, parsed.length); i++) {
        const local = localTime(t, timeZone);
        let end: number | null = null;
        for (const p of parsed) if (covers(p, local.weekday, local.minutes)) end = Math.max(end ?? 0, endOf(p, local, timeZone));
        if (end === null) return i === 0 ? null : t;
        t = end;
        if (t - at > 14 * 86_400_000) return null;
      }
      return null;
    },
  };
  return schedule;
}

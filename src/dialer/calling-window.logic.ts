/**
 * When a contact may be called, in the contact's own time zone. The dialer asks only through
 * `CallingWindow`; a time condition from call flows can stand behind it. The implementation
 * here is the everyday one: days of the week and hours, evaluated with Intl in any IANA zone.
 */

export interface CallingWindow {
  /** Calls are allowed at `at` (epoch ms) for a contact in `timeZone`. */
  isOpen(at: number, timeZone: string): boolean;
  /** The first instant ≥ `at` when calls are allowed (`at` itself when open); null if never within 8 days. */
  nextOpen(at: number, timeZone: string): number | null;
}

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
  for (const p of periods) {
    if (p.to > p.from) {
      if (p.days.has(weekday) && minutes >= p.from && minutes < p.to) return true;
    } else {
      if (p.days.has(weekday) && minutes >= p.from) return true;
      if (p.days.has((weekday + 6) % 7) && minutes < p.to) return true;
    }
  }
  return false;
}

/** Days of the week and hours, in the contact's zone. No periods: never open. */
export function weeklyWindow(periods: readonly WeeklyPeriod[]): CallingWindow {
  const parsed: Period[] = periods.map((p) => ({ days: new Set(p.days), from: parseClock(p.from), to: parseClock(p.to) }));
  return {
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
  };
}

/** Always open (a campaign with no calling-hours restriction). */
export const alwaysOpen: CallingWindow = { isOpen: () => true, nextOpen: (at) => at };

import { weeklySchedule, type WeeklyPeriod } from '../kernel/weekly.js';

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

/** The same window, each answer remembered: for one pass over a list, where most contacts ask about the same instant and zone. */
export function rememberingWindow(window: CallingWindow): CallingWindow {
  const open = new Map<string, boolean>();
  const next = new Map<string, number | null>();
  return {
    isOpen(at, timeZone) {
      const key = `${at}|${timeZone}`;
      let v = open.get(key);
      if (v === undefined) open.set(key, (v = window.isOpen(at, timeZone)));
      return v;
    },
    nextOpen(at, timeZone) {
      const key = `${at}|${timeZone}`;
      let v = next.get(key);
      if (v === undefined) next.set(key, (v = window.nextOpen(at, timeZone)));
      return v;
    },
  };
}

export { isValidTimeZone, localDate, localTime, parseClock, zonedTime, type LocalTime, type WeeklyPeriod } from '../kernel/weekly.js';

/** Days of the week and hours, in the contact's zone. No periods: never open. */
export function weeklyWindow(periods: readonly WeeklyPeriod[]): CallingWindow {
  const schedule = weeklySchedule(periods);
  return { isOpen: (at, timeZone) => schedule.isOpen(at, timeZone), nextOpen: (at, timeZone) => schedule.nextOpen(at, timeZone) };
}

/** Always open (a campaign with no calling-hours restriction). */
export const alwaysOpen: CallingWindow = { isOpen: () => true, nextOpen: (at) => at };

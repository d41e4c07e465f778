/**
 * Holidays from the `date-holidays` library (national, state and municipal, moveable ones such
 * as Carnaval, Good Friday and Corpus Christi computed from Easter), and a tenant's calendar
 * built on them: which of the library's days it observes, which it does not, and its own days.
 * Deterministic: the same calendar and year always give the same days.
 */
import Holidays from 'date-holidays';
import type { ExceptionDay, TimeRange } from './time-condition.model.js';

export const HOLIDAY_COUNTRY = 'BR';

/** The library's kinds of day: `public` = a legal holiday; `bank` = banks close (Carnaval Monday/Tuesday, Corpus Christi); `optional` = ponto facultativo. */
export const HOLIDAY_TYPES = ['public', 'bank', 'optional', 'observance'] as const;
export type HolidayType = (typeof HOLIDAY_TYPES)[number];

export type HolidayScope = 'national' | 'state' | 'city';

export interface HolidayRegion {
  /** ISO 3166-2 subdivision code without the country, e.g. `SP`. */
  state?: string | null;
  /** The library's city code within the state, e.g. `SP` (São Paulo) or `RJ` (Rio de Janeiro). */
  city?: string | null;
}

/** One day the library knows for a region and year. */
export interface CatalogHoliday {
  date: string;
  name: string;
  /** The library's rule (`12-25`, `easter -47`, `1st sunday in October in even years`), the day's stable key. */
  rule: string;
  type: HolidayType;
  scope: HolidayScope;
}

/** A tenant's own day: yearly `MM-DD`, once `YYYY-MM-DD`, or relative to Easter `easter -2`. */
export interface OwnHoliday {
  name: string;
  rule: string;
  /** Hours the condition stays open on that day (default: closed all day). */
  openHours?: TimeRange[];
}

export interface HolidayCalendarRules extends HolidayRegion {
  /** Which of the library's kinds of day are observed. */
  types: HolidayType[];
  /** Library days (by rule) this tenant does not observe. */
  excluded: string[];
  own: OwnHoliday[];
}

const instances = new Map<string, Holidays>();

function libraryFor(region: HolidayRegion): Holidays {
  const key = `${region.state ?? ''}/${region.city ?? ''}`;
  let h = instances.get(key);
  if (!h) {
    const where = { country: HOLIDAY_COUNTRY, ...(region.state ? { state: region.state } : {}), ...(region.city ? { region: region.city } : {}) };
    h = new Holidays(where, { languages: 'pt', types: [...HOLIDAY_TYPES] });
    instances.set(key, h);
  }
  return h;
}

const dateOf = (libraryDate: string): string => libraryDate.slice(0, 10);
const isType = (t: string): t is HolidayType => (HOLIDAY_TYPES as readonly string[]).includes(t);

/** States the library knows (code → name). */
export function holidayStates(): Record<string, string> {
  return new Holidays().getStates(HOLIDAY_COUNTRY) ?? {};
}

/** Cities the library knows in a state (code → name); most states have none. */
export function holidayCities(state: string): Record<string, string> {
  return new Holidays().getRegions(HOLIDAY_COUNTRY, state) ?? {};
}

export function isKnownRegion(region: HolidayRegion): boolean {
  if (!region.state) return !region.city;
  if (!Object.hasOwn(holidayStates(), region.state)) return false;
  return !region.city || Object.hasOwn(holidayCities(region.state), region.city);
}

/** Every day the library knows for the region in `year`, with the level it comes from. */
export function holidayCatalog(region: HolidayRegion, year: number): CatalogHoliday[] {
  const key = (h: { rule: string; name: string }) => `${h.rule}|${h.name}`;
  const national = new Set(libraryFor({}).getHolidays(year).map(key));
  const state = region.state ? new Set(libraryFor({ state: region.state }).getHolidays(year).map(key)) : national;
  return libraryFor(region)
    .getHolidays(year)
    .filter((h) => isType(h.type))
    .map((h) => ({
      date: dateOf(h.date),
      name: h.name,
      rule: h.rule,
      type: h.type as HolidayType,
      scope: national.has(key(h)) ? 'national' : state.has(key(h)) ? 'state' : 'city',
    }));
}

const OWN_RULE = /^(?:(\d{4})-)?(\d{2})-(\d{2})$|^easter ([+-]\d{1,3})$/;

/** The first thing wrong with an own day's rule, or undefined. */
export function ownRuleProblem(rule: string): string | undefined {
  const m = OWN_RULE.exec(rule);
  if (!m) return `${rule} is not a day: use MM-DD (every year), YYYY-MM-DD (once) or "easter -2" (days from Easter)`;
  if (m[4] !== undefined) return Math.abs(Number(m[4])) > 120 ? `${rule}: at most 120 days from Easter` : undefined;
  const year = m[1] === undefined ? 2024 : Number(m[1]);
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) return `${rule} is not a calendar date`;
  return undefined;
}

/** Western Easter Sunday of `year` (anonymous Gregorian algorithm), as [month, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return [month, ((h + l - 7 * m + 114) % 31) + 1];
}

const iso = (d: Date): string => d.toISOString().slice(0, 10);

/** The date of an own day in `year`, or undefined when it does not fall in that year (a one-off of another year, 29 February). */
export function ownDate(rule: string, year: number): string | undefined {
  const m = OWN_RULE.exec(rule);
  if (!m) return undefined;
  if (m[4] !== undefined) {
    const [month, day] = easterSunday(year);
    return iso(new Date(Date.UTC(year, month - 1, day + Number(m[4]))));
  }
  if (m[1] !== undefined && Number(m[1]) !== year) return undefined;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() + 1 === Number(m[2]) ? iso(d) : undefined;
}

/**
 * The days a calendar keeps closed (or partly open) in `year`: its own days first (so that an
 * own day with open hours replaces the library's day on the same date), then the library's
 * observed ones, one entry per date.
 */
export function holidayDays(calendar: HolidayCalendarRules, year: number): ExceptionDay[] {
  const days: ExceptionDay[] = [];
  const seen = new Set<string>();
  const add = (date: string, name: string, openHours: TimeRange[]) => {
    if (seen.has(date)) return;
    seen.add(date);
    days.push({ date, name, source: 'holiday', openHours });
  };
  for (const own of calendar.own) {
    const date = ownDate(own.rule, year);
    if (date) add(date, own.name, own.openHours ?? []);
  }
  const excluded = new Set(calendar.excluded);
  for (const h of holidayCatalog(calendar, year)) {
    if (calendar.types.includes(h.type) && !excluded.has(h.rule)) add(h.date, h.name, []);
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

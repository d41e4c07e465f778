import type { Destination } from './destination.js';

/** 0 = Sunday … 6 = Saturday, as `Date.getUTCDay` counts. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Wall-clock times `HH:MM`; `end` may be `24:00` (end of the day). Start inclusive, end exclusive. */
export interface TimeRange {
  start: string;
  end: string;
}

/**
 * When the condition is open. Empty or absent selectors match every day. The day selectors
 * apply to the day the period starts: Friday 22:00–06:00 (crossing midnight) is open until
 * Saturday 06:00 and says nothing about Saturday night.
 */
export interface Period extends TimeRange {
  /** 0 = Sunday … 6 = Saturday. */
  weekdays?: number[];
  /** 1–31. */
  monthDays?: number[];
  /** 1–12. */
  months?: number[];
  /** Must be set for a period whose end is at or before its start (so that a typo is not read as a night shift). */
  crossesMidnight?: boolean;
}

/**
 * A day that does not follow the periods: a holiday from the tenant's calendar or a one-off
 * exception of this condition. Closed all day unless `openHours` says otherwise.
 */
export interface ExceptionDay {
  /** Local date `YYYY-MM-DD`. */
  date: string;
  name: string;
  source: 'exception' | 'holiday';
  openHours: TimeRange[];
  /** Where callers go while this day keeps the condition closed (default: the condition's holiday or closed destination). */
  destination?: Destination;
}

/** An admin forced the condition open or closed, until an instant or until cleared. */
export interface Override {
  state: TimeConditionState;
  /** Epoch ms; null = until cleared. */
  until: number | null;
}

export interface TimeConditionRules {
  /** IANA zone, e.g. `America/Sao_Paulo`. */
  timeZone: string;
  periods: Period[];
  /** The condition's own exceptions first, then the calendar's holidays: the first match wins. */
  exceptions: ExceptionDay[];
  override?: Override | null;
}

export type TimeConditionState = 'open' | 'closed';

/** Which rule decided. */
export type DecisionRule =
  | { kind: 'override'; until: number | null }
  | { kind: 'exception'; source: ExceptionDay['source']; date: string; name: string; index: number }
  | { kind: 'period'; index: number }
  /** No period covers the instant. */
  | { kind: 'no_period' };

export interface Decision {
  state: TimeConditionState;
  rule: DecisionRule;
}

/** The wall clock of an instant in a time zone. */
export interface LocalTime {
  /** `YYYY-MM-DD`. */
  date: string;
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  minute: number;
}

export interface TimeConditionDestinations {
  open: Destination;
  closed: Destination;
  /** While a holiday keeps it closed (default: `closed`). */
  holiday?: Destination | null;
}

import { evaluate, parseClock, type TimeConditionRules } from '../flows/index.js';
import { localTime, zonedTime, type CallingWindow } from './calling-window.logic.js';

const DAY = 86_400_000;

/**
 * A call-flows time condition as a strategy's calling window. Its periods, exceptions and
 * holidays are read in the contact's time zone, not the condition's: "09:00–20:00" means nine
 * in the morning where the phone rings. A window can only open where a period or an
 * exception's hours start, at a local midnight, or when an override ends; those instants are
 * the only candidates `nextOpen` checks.
 */
export function timeConditionWindow(rulesAt: (instant: number) => TimeConditionRules): CallingWindow {
  const isOpen = (at: number, timeZone: string) => evaluate({ ...rulesAt(at), timeZone }, at).state === 'open';
  return {
    isOpen,
    nextOpen(at, timeZone) {
      if (isOpen(at, timeZone)) return at;
      const rules = rulesAt(at);
      const starts = new Set<number>([0]);
      for (const p of rules.periods) starts.add(parseClock(p.start) ?? 0);
      for (const e of rules.exceptions) for (const r of e.openHours) starts.add(parseClock(r.start) ?? 0);
      const candidates: number[] = [];
      if (rules.override?.until != null && rules.override.until > at) candidates.push(rules.override.until);
      for (let d = 0; d <= 8; d++) {
        const t = localTime(at + d * DAY, timeZone);
        for (const minutes of starts) {
          const instant = zonedTime(t.year, t.month, t.day, minutes, timeZone);
          if (instant > at) candidates.push(instant);
        }
      }
      candidates.sort((a, b) => a - b);
      return candidates.find((c) => c - at <= 8 * DAY && isOpen(c, timeZone)) ?? null;
    },
  };
}

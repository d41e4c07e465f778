import type { CollectDigitsOptions, CollectDigitsResult } from './call-control.js';

/**
 * DTMF collection as a pure state machine: the runner (`digits.ts`) feeds it digits, hangups
 * and timer wake-ups with the current time, and arms one timer at `wakeAt`.
 *
 * Rules: the entry ends when `maxDigits` digits are in (`complete`), when the terminator is
 * pressed (`terminated`, terminator not included), when the total time counted from the start
 * runs out or, once a digit has arrived, when the gap since the last digit exceeds the
 * inter-digit timeout (`timeout`), or when the channel goes away (`hangup`). A timeout of 0 or
 * less disables that timeout; `maxDigits` of 0 or less means no limit.
 */
export interface DigitsState {
  readonly options: CollectDigitsOptions;
  readonly digits: string;
  readonly startedAt: number;
  readonly lastDigitAt: number | undefined;
  readonly result: CollectDigitsResult | undefined;
}

export type DigitsEvent =
  | { type: 'digit'; digit: string }
  | { type: 'hangup' }
  /** A timer armed at an earlier `wakeAt` fired (or any other reason to re-check deadlines). */
  | { type: 'tick' };

export interface DigitsStep {
  state: DigitsState;
  /** Set once, on the step that ends the entry. */
  result?: CollectDigitsResult;
  /** When to deliver the next `tick`; undefined when no timer is needed (ended or no timeouts). */
  wakeAt: number | undefined;
}

export function startDigits(options: CollectDigitsOptions, now: number): DigitsStep {
  const state: DigitsState = { options, digits: '', startedAt: now, lastDigitAt: undefined, result: undefined };
  return { state, wakeAt: nextDeadline(state) };
}

export function stepDigits(state: DigitsState, event: DigitsEvent, now: number): DigitsStep {
  if (state.result) return { state, wakeAt: undefined };

  // A deadline that passed before this event arrived wins over the event.
  const late = expired(state, now);
  if (late) return finish(state, late);

  switch (event.type) {
    case 'hangup':
      return finish(state, { outcome: 'hangup', digits: state.digits });
    case 'tick':
      return { state, wakeAt: nextDeadline(state) };
    case 'digit': {
      const { terminator, maxDigits } = state.options;
      if (terminator !== undefined && terminator !== '' && event.digit === terminator) {
        return finish(state, { outcome: 'terminated', digits: state.digits });
      }
      const next: DigitsState = { ...state, digits: state.digits + event.digit, lastDigitAt: now };
      if (maxDigits > 0 && next.digits.length >= maxDigits) {
        return finish(next, { outcome: 'complete', digits: next.digits });
      }
      return { state: next, wakeAt: nextDeadline(next) };
    }
  }
}

function finish(state: DigitsState, result: CollectDigitsResult): DigitsStep {
  return { state: { ...state, result }, result, wakeAt: undefined };
}

function deadlines(state: DigitsState): number[] {
  const { totalTimeoutMs, interDigitTimeoutMs } = state.options;
  const out: number[] = [];
  if (totalTimeoutMs > 0) out.push(state.startedAt + totalTimeoutMs);
  if (interDigitTimeoutMs > 0 && state.lastDigitAt !== undefined) out.push(state.lastDigitAt + interDigitTimeoutMs);
  return out;
}

function nextDeadline(state: DigitsState): number | undefined {
  const all = deadlines(state);
  return all.length ? Math.min(...all) : undefined;
}

function expired(state: DigitsState, now: number): CollectDigitsResult | undefined {
  const due = nextDeadline(state);
  return due !== undefined && now >= due ? { outcome: 'timeout', digits: state.digits } : undefined;
}

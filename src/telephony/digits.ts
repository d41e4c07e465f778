import type { Clock, Timer } from '../kernel/index.js';
import type {
  ChannelId,
  CollectDigitsOptions,
  CollectDigitsResult,
  TelephonyEvent,
} from './call-control.js';
import { startDigits, stepDigits, type DigitsEvent, type DigitsState } from './digits.logic.js';

export interface DigitsRunnerDeps {
  /** The event stream of a CallControl (its `onEvent`). */
  onEvent(listener: (event: TelephonyEvent) => void): () => void;
  clock: Clock;
  /** True when the channel is already known to be gone: the entry ends at once with `hangup`. */
  isGone?(channelId: ChannelId): boolean;
}

/**
 * `CallControl.collectDigits` for any implementation that has an event stream and a Clock:
 * DtmfReceived of the channel are digits; CallEnded (or OriginateFailed) of it is a hangup.
 * Resolves once, never rejects; unsubscribes and cancels its timer when done.
 */
export function collectDigitsFromEvents(
  deps: DigitsRunnerDeps,
  channelId: ChannelId,
  options: CollectDigitsOptions,
): Promise<CollectDigitsResult> {
  if (deps.isGone?.(channelId)) return Promise.resolve({ outcome: 'hangup', digits: '' });
  return new Promise((resolve) => {
    const { clock } = deps;
    let timer: Timer | undefined;
    let done = false;
    const first = startDigits(options, clock.now());
    let state: DigitsState = first.state;

    const unsubscribe = deps.onEvent((event) => {
      if (event.type === 'DtmfReceived' && event.channelId === channelId) feed({ type: 'digit', digit: event.digit });
      else if ((event.type === 'CallEnded' || event.type === 'OriginateFailed') && event.channelId === channelId) {
        feed({ type: 'hangup' });
      }
    });

    function settle(result: CollectDigitsResult): void {
      done = true;
      timer?.cancel();
      timer = undefined;
      unsubscribe();
      resolve(result);
    }

    function arm(wakeAt: number | undefined): void {
      timer?.cancel();
      timer = wakeAt === undefined ? undefined : clock.setTimeout(() => feed({ type: 'tick' }), wakeAt - clock.now());
    }

    function feed(event: DigitsEvent): void {
      if (done) return;
      const step = stepDigits(state, event, clock.now());
      state = step.state;
      if (step.result) settle(step.result);
      else arm(step.wakeAt);
    }

    arm(first.wakeAt);
  });
}

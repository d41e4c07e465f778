/**
 * Two legs talking in a bridge until the end, with the transfers a desk phone keys in
 * (features.logic.ts): blind (`##<number>#`: the other party goes to <number>, this phone
 * leaves) and attended (`*2<number>#`: the other party waits on music on hold while this phone
 * consults <number>; hanging up completes, `*0` or the consulted party hanging up goes back).
 */
import type { Timer } from '../kernel/index.js';
import { TelephonyError, type ChannelId, type TelephonyEvent } from '../telephony/call-control.js';
import type { CallContext } from './calls.model.js';
import type { PhoneExtension } from './directory.js';
import { INTER_DIGIT_SECONDS, IN_CALL_IDLE, stepInCall, timeoutInCall, type InCallAction, type InCallState } from './features.logic.js';
import { dial, hangupQuietly, type DialOutcome, type EarlyEvents } from './legs.js';

/** A channel that is no more: ARI answers an addChannel for it "400 Channel not found". */
const legGone = (err: unknown): boolean => err instanceof TelephonyError && (err.code === 'not_found' || /channel not found/i.test(err.message));

/** How a leg of the conversation is replaced by another (a supervisor taking the call over). */
export interface ReplaceLeg {
  /** Could `leg` be replaced now? Not while a transfer is being dialled or consulted. */
  possible(leg: ChannelId): boolean;
  /**
   * Puts `by` (already in the bridge) in `leg`'s place: `leg` may then hang up without ending
   * the call, and `by` hanging up ends it. False when it is not possible now.
   */
  replace(leg: ChannelId, by: ChannelId): boolean;
}

/** How a transfer target is reached: the caller of the dial is the transferring phone. */
export type TransferDialer = (by: PhoneExtension, number: string, cancelWhen: Promise<unknown>) => Promise<TransferTarget | { refused: string }>;
export interface TransferTarget {
  endpoint: string;
  leg: 'agent' | 'outbound';
  timeoutSeconds: number;
}

interface Consultation {
  by: ChannelId;
  held: ChannelId;
  target: ChannelId;
}

/**
 * Runs the conversation of `a` and `b` (either may be `call`'s own leg) until every leg is
 * gone. `phones` are the legs that are extensions and may key in transfers; `early` holds
 * what happened since the second leg answered; `onBridged` hears of the bridge once both legs
 * are in it (a supervisor barging in joins it) and of how a leg is replaced (a supervisor
 * taking the call over).
 */
export async function talk(
  call: CallContext,
  a: ChannelId,
  b: ChannelId,
  phones: Map<ChannelId, PhoneExtension>,
  transferTo: TransferDialer,
  early?: EarlyEvents,
  onBridged?: (bridgeId: string, replace: ReplaceLeg) => void,
): Promise<void> {
  const control = call.control;
  let bridgeId = '';
  const live = new Set<ChannelId>([a, b]);
  let pair: [ChannelId, ChannelId] = [a, b];
  let consult: Consultation | undefined;
  /** An attended transfer's target is being dialled (the other party waits on music). */
  let dialling = false;
  const dtmf = new Map<ChannelId, { state: InCallState; timer?: Timer }>();
  let busy = Promise.resolve();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const partner = (leg: ChannelId): ChannelId => (pair[0] === leg ? pair[1] : pair[0]);
  const ended = (leg: ChannelId): Promise<void> =>
    new Promise((resolve) => {
      if (!live.has(leg)) return resolve();
      const off = control.onEvent((e) => {
        if ((e.type === 'CallEnded' || e.type === 'OriginateFailed') && e.channelId === leg) {
          off();
          resolve();
        }
      });
    });
  /**
   * Puts a leg in the bridge. A leg that hung up meanwhile is treated as if its end had just
   * arrived: it may have come before the leg was live (a transfer target hanging up as it
   * answers), and the conversation would otherwise wait for it forever.
   */
  const intoBridge = (leg: ChannelId): Promise<void> =>
    control.addToBridge(bridgeId, leg).catch((err: unknown) => {
      if (legGone(err)) onEnded(leg);
      else throw err;
    });
  /** Serialises actions so that a hangup and a transfer never interleave. */
  const act = (fn: () => Promise<void>) => {
    busy = busy.then(fn).catch((err: unknown) => call.log.warn({ err }, 'in-call action failed'));
  };

  const blind = async (by: ChannelId, number: string) => {
    const other = partner(by);
    const phone = phones.get(by)!;
    const target = await transferTo(phone, number, ended(other));
    if ('refused' in target) {
      call.log.info({ by: phone.number, number, why: target.refused }, 'blind transfer refused');
      return;
    }
    call.log.info({ by: phone.number, number }, 'blind transfer');
    await control.removeFromBridge(bridgeId, other).catch(() => undefined);
    await control.startMoh({ channelId: other }).catch(() => undefined);
    await hangupQuietly(call, by);
    const outcome = await dial(call, { ...target, cancelWhen: ended(other) });
    if (outcome.kind === 'answered') outcome.early?.stop();
    await control.stopMoh({ channelId: other }).catch(() => undefined);
    if (outcome.kind !== 'answered') {
      if (outcome.kind === 'failed') await hangupQuietly(call, other, outcome.cause);
      return;
    }
    live.add(outcome.channelId);
    pair = [other, outcome.channelId];
    await intoBridge(other);
    await intoBridge(outcome.channelId);
  };

  const attended = async (by: ChannelId, number: string) => {
    if (consult) return;
    const held = partner(by);
    const phone = phones.get(by)!;
    const target = await transferTo(phone, number, ended(by));
    if ('refused' in target) {
      call.log.info({ by: phone.number, number, why: target.refused }, 'attended transfer refused');
      return;
    }
    call.log.info({ by: phone.number, number }, 'attended transfer: consulting');
    await control.removeFromBridge(bridgeId, held).catch(() => undefined);
    await control.startMoh({ channelId: held }).catch(() => undefined);
    dialling = true;
    const outcome: DialOutcome = await dial(call, { ...target, cancelWhen: Promise.race([ended(by), ended(held)]) }).finally(() => (dialling = false));
    if (outcome.kind === 'answered') outcome.early?.stop();
    if (outcome.kind !== 'answered') {
      await backTo(by, held);
      return;
    }
    live.add(outcome.channelId);
    consult = { by, held, target: outcome.channelId };
    pair = [by, outcome.channelId];
    await intoBridge(outcome.channelId);
  };

  const backTo = async (by: ChannelId, held: ChannelId) => {
    consult = undefined;
    await control.stopMoh({ channelId: held }).catch(() => undefined);
    if (!live.has(by)) {
      await hangupQuietly(call, held);
      return;
    }
    pair = [by, held];
    await intoBridge(held);
  };

  const replace: ReplaceLeg = {
    possible: (leg) => !consult && !dialling && pair.includes(leg) && live.has(leg),
    replace: (leg, by) => {
      if (!replace.possible(leg)) return false;
      live.add(by);
      pair = pair[0] === leg ? [by, pair[1]] : [pair[0], by];
      return true;
    },
  };

  const onAction = (leg: ChannelId, action: InCallAction) => {
    if (!action) return;
    if (action.kind === 'cancel') {
      if (consult && consult.by === leg) act(() => hangupQuietly(call, consult!.target));
      return;
    }
    if (!phones.has(leg) || !pair.includes(leg)) return;
    act(() => (action.transfer === 'blind' ? blind(leg, action.number) : attended(leg, action.number)));
  };

  const onDigit = (leg: ChannelId, digit: string) => {
    const entry = dtmf.get(leg) ?? { state: IN_CALL_IDLE };
    entry.timer?.cancel();
    const step = stepInCall(entry.state, digit);
    entry.state = step.state;
    if (step.state.mode === 'number') {
      entry.timer = call.clock.setTimeout(() => {
        const t = timeoutInCall(entry.state);
        entry.state = t.state;
        onAction(leg, t.action);
      }, INTER_DIGIT_SECONDS * 1000);
    }
    dtmf.set(leg, entry);
    onAction(leg, step.action);
  };

  const onEnded = (leg: ChannelId) => {
    if (!live.delete(leg)) return;
    dtmf.get(leg)?.timer?.cancel();
    act(async () => {
      if (consult) {
        const c = consult;
        if (leg === c.by) {
          // The transferring phone hung up during the consultation: the transfer completes.
          call.log.info('attended transfer completed');
          consult = undefined;
          await control.stopMoh({ channelId: c.held }).catch(() => undefined);
          pair = [c.held, c.target];
          await control.addToBridge(bridgeId, c.held).catch(() => undefined);
        } else if (leg === c.target) {
          await backTo(c.by, c.held);
        } else if (leg === c.held) {
          consult = undefined;
          pair = [c.by, c.target];
        }
      } else if (pair.includes(leg)) {
        const other = partner(leg);
        if (live.has(other)) await hangupQuietly(call, other);
      }
      if (live.size === 0) finish();
    });
  };

  // Listening starts before the first await: a phone keys in digits as soon as it is answered.
  const onEvent = (e: TelephonyEvent) => {
    if (e.type === 'DtmfReceived' && live.has(e.channelId)) onDigit(e.channelId, e.digit);
    else if ((e.type === 'CallEnded' || e.type === 'OriginateFailed') && live.has(e.channelId)) onEnded(e.channelId);
  };
  const off = control.onEvent(onEvent);
  if (early) {
    early.stop();
    for (const e of early.events) onEvent(e);
  }
  let bridged!: () => void;
  // Actions wait until the legs are in the bridge.
  busy = new Promise<void>((resolve) => (bridged = resolve));
  try {
    bridgeId = await control.createBridge({ name: `call-${call.callId}` });
    for (const leg of [a, b]) {
      // A leg that hung up in the meantime is treated as if its end had just arrived.
      await intoBridge(leg);
    }
    bridged();
    onBridged?.(bridgeId, replace);
    await done;
  } finally {
    bridged();
    off();
    for (const { timer } of dtmf.values()) timer?.cancel();
    if (bridgeId) await control.destroyBridge(bridgeId).catch(() => undefined);
  }
}

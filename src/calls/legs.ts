/**
 * Calling a second party for a leg and joining the two: originate into the app (the new leg
 * enters as `agent,<callId>` or `outbound,<callId>` and is left alone by its own session),
 * wait for its answer or failure, bridge, and end both when one ends.
 */
import { newId } from '../kernel/index.js';
import { TelephonyError, type ChannelId, type OriginateFailure, type TelephonyEvent } from '../telephony/call-control.js';
import type { CallContext } from './calls.model.js';

/** Events kept from the start of a dial until the conversation takes over (answering the caller takes a round trip). */
export interface EarlyEvents {
  events: TelephonyEvent[];
  stop(): void;
}

/** Keeps the events that matter to a conversation (digits, ends) until `stop()`. */
export function keepEvents(call: CallContext): EarlyEvents {
  const events: TelephonyEvent[] = [];
  const stop = call.control.onEvent((e) => {
    if (e.type === 'DtmfReceived' || e.type === 'CallEnded' || e.type === 'OriginateFailed') events.push(e);
  });
  return { events, stop };
}

export type DialOutcome =
  /** `early` keeps the digits and ends seen since the dial started: hand it to the conversation, or stop it. */
  | { kind: 'answered'; channelId: ChannelId; early?: EarlyEvents }
  /** The far end did not answer: busy, no answer, congestion, unallocated…, or Asterisk could not even place it. */
  | { kind: 'failed'; cause: number; reason: OriginateFailure | 'unavailable' }
  /** The leg that asked hung up meanwhile (the new leg was hung up too). */
  | { kind: 'caller_gone' };

export interface DialRequest {
  endpoint: string;
  /** What the new leg is for: a phone of the tenant (`agent`) or the outside (`outbound`). */
  leg: 'agent' | 'outbound';
  callerId?: { number: string; name?: string };
  timeoutSeconds: number;
  /** Told the new leg's channel id as soon as it exists (to cancel it from elsewhere). */
  onChannel?: (channelId: ChannelId) => void;
  /** Gives up (and hangs the new leg up) when this settles; default: when the call's own leg ends. */
  cancelWhen?: Promise<unknown>;
  /** Settles the dial from outside, e.g. a pickup by another phone. */
  claim?: Promise<DialOutcome>;
}

/**
 * Originates `request` for `call` and waits. Asterisk refusing to create the channel (an
 * unregistered phone, no free E1 channel, an unknown trunk: ARI's 500 "Allocation failed") is
 * `failed` with reason `unavailable` and cause 20 (subscriber absent).
 */
export async function dial(call: CallContext, request: DialRequest): Promise<DialOutcome> {
  const id = newId();
  // Kept from now: several events may arrive in one message, ahead of whoever awaits this dial.
  const early = keepEvents(call);
  let settle!: (o: DialOutcome) => void;
  const outcome = new Promise<DialOutcome>((resolve) => (settle = resolve));
  const off = call.control.onEvent((e: TelephonyEvent) => {
    if (e.type === 'CallEntered' && e.channel.id === id) settle({ kind: 'answered', channelId: id });
    else if (e.type === 'OriginateFailed' && e.channelId === id) settle({ kind: 'failed', cause: e.cause, reason: e.reason });
    else if (e.type === 'CallEnded' && e.channelId === id) settle({ kind: 'failed', cause: e.hangup.cause, reason: 'failed' });
  });
  void (request.cancelWhen ?? call.whenEnded).then(() => settle({ kind: 'caller_gone' }));
  void request.claim?.then(settle);
  try {
    await call.control.originate({
      endpoint: request.endpoint,
      appArgs: [request.leg, call.callId],
      ...(request.callerId ? { callerId: request.callerId } : {}),
      timeoutSeconds: request.timeoutSeconds,
      id,
      originatorId: call.channel.id,
    });
    request.onChannel?.(id);
  } catch (err) {
    off();
    early.stop();
    if (err instanceof TelephonyError && (err.code === 'failed' || err.code === 'bad_request')) {
      call.log.info({ endpoint: request.endpoint, err: err.message }, 'Asterisk could not place the call');
      return { kind: 'failed', cause: 20, reason: 'unavailable' };
    }
    throw err;
  }
  const result = await outcome;
  off();
  if (result.kind === 'caller_gone' || (result.kind === 'answered' && result.channelId !== id)) await hangupQuietly(call, id);
  if (result.kind !== 'answered') {
    early.stop();
    return result;
  }
  return { ...result, early };
}

export async function hangupQuietly(call: CallContext, channelId: ChannelId, cause = 16): Promise<void> {
  await call.control.hangup(channelId, cause).catch((err: unknown) => call.log.debug({ err, channelId }, 'hangup of the other leg failed'));
}

/** Resolves when `channelId` (not this call's own leg) ends. */
export function whenLegEnds(call: CallContext, channelId: ChannelId): { ended: Promise<void>; cancel: () => void } {
  let off = () => {};
  const ended = new Promise<void>((resolve) => {
    off = call.control.onEvent((e) => {
      if ((e.type === 'CallEnded' || e.type === 'OriginateFailed') && e.channelId === channelId) resolve();
    });
  });
  return { ended, cancel: () => off() };
}

/** A mixing bridge with both legs in it. */
export async function bridgeLegs(call: CallContext, a: ChannelId, b: ChannelId): Promise<string> {
  const bridgeId = await call.control.createBridge({ name: `call-${call.callId}` });
  await call.control.addToBridge(bridgeId, a);
  await call.control.addToBridge(bridgeId, b);
  return bridgeId;
}

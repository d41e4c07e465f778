/**
 * Calls in queues: the voice channel of the routing engine. A caller handed to a queue waits
 * in its own bridge with music on hold; each offer the engine makes rings the agent's phone
 * (`PJSIP/<extension>`, originated with the `agent,<callId>` entry so that the answered leg
 * comes back into Stasis); the first agent leg the engine accepts joins the caller's bridge, the
 * music stops and the recording (when the queue records) starts. A withdrawn offer hangs its
 * leg up while the caller keeps hearing the music, so the next agent rings with no gap heard.
 *
 * Talks to Asterisk only through the `CallControl` port; the engine decides everything.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { destinationFromColumns, dial, whenLegEnds, type CallContext, type CallHandler, type Destination, type DestinationStep } from '../calls/index.js';
import { AppError, conflict, invalidField, localDate, newId, type Clock, type Logger } from '../kernel/index.js';
import type { CallControl, OriginateFailure, TelephonyEvent } from '../telephony/call-control.js';
import type { InteractionHandle, Offer, OfferFailure, WithdrawReason } from './acd.model.js';
import type { AcdEngine } from './acd.service.js';
import { ownerAgentOf, type CallerDirectory } from './routing.model.js';
import type { QueueRow, RoutingRepo } from './routing.repo.js';
import { queueAnnouncement } from './announce.logic.js';

/** How a call's stay in queues ended, for the flow that handed it over. */
export type QueueCallOutcome =
  /**
   * An agent answered; the conversation is over: the caller hung up, or the agent did and the
   * caller is still on the line (`callerOnLine`, for the flow's survey; hung up when none).
   */
  | { result: 'answered'; interactionId: string; callerOnLine?: true }
  /** The caller hung up while waiting or ringing. */
  | { result: 'abandoned'; interactionId: string }
  /** The queue's destination takes it (maximum wait, nobody to serve it, the queue full or empty): the flow goes on there. */
  | { result: 'destination'; interactionId: string | null; destination: Destination }
  /** The queue does not exist in the call's tenant, or is inactive: the flow decides. */
  | { result: 'unavailable'; reason: 'unknown' | 'inactive' };

/** A customer who called in, or one the dialer called (`voice_out`). */
export type VoiceKind = 'voice_in' | 'voice_out';

export interface QueueVoiceDeps {
  engine: AcdEngine;
  repo: RoutingRepo;
  control: CallControl;
  clock: Clock;
  logger: Logger;
  /** Recordings are moved under `<dataDir>/recordings/<tenant>/<local date>/`. */
  dataDir: string;
  timeZone: string;
  /** Who the caller is, in the queue's contact book; absent: callers are not looked up. */
  callers?: CallerDirectory | undefined;
  /** How a number outside is dialled (the outbound routes); absent: consults to numbers outside are refused. */
  outside?: OutsideDialler | undefined;
  /** Told whenever the controls' state of a call in conversation changes (the phone's own hold, a consult…). */
  onTalk?: ((interactionId: string, state: TalkState) => void) | undefined;
}

/** The outbound route's way to a number outside: the dial string of its first trunk and the caller id it sets. */
export type OutsideDialler = (tenantId: number, number: string, now: number) => { ok: true; endpoint: string; callerId: string | null } | { ok: false; reason: string };

interface LegRt {
  offer: Offer;
  channelId: string;
  call: WaitingCall;
  /** Set for a leg that rings the target of the agent's consult rather than for the customer. */
  consult?: Consult;
}

/** Where an agent's blind transfer sends the customer. */
export type TransferTarget =
  /** Another queue (`#`): a new visit, linked to this one. */
  | { kind: 'queue'; queueId: number }
  /** One agent (`@`), through the engine: the interaction waits in `queueId` for that agent alone. */
  | { kind: 'agent'; queueId: number; agentKey: string }
  /** A number outside, dialled through the outbound routes. */
  | { kind: 'external'; number: string };

/** Where an agent's consult stands: the target rings, talks with the agent alone, or the three are in conference. */
export type ConsultPhase = 'ringing' | 'talking' | 'conference';

/** What the agent's controls show about a call in conversation. */
export interface TalkState {
  held: boolean;
  muted: boolean;
  /** The agent's consult in progress, with whom. */
  consult: { kind: TransferTarget['kind']; name: string; phase: ConsultPhase } | null;
}

/**
 * An attended transfer in progress: the customer waits with music in the call's bridge while
 * the agent, in a bridge of its own, rings and talks with the target. For an agent or a queue
 * the target is reached through the engine, as the customer's next visit (an interaction
 * linked to the agent's); a number outside is dialled through the outbound routes.
 */
interface Consult {
  target: TransferTarget;
  /** The target as the desk shows it: the agent's or queue's name, the number. */
  name: string;
  phase: ConsultPhase;
  /** The agent and the target; gone once the three are in the call's bridge. */
  bridgeId: string;
  /** The ringback the agent hears while the target rings. */
  toneId: string | null;
  /** The next visit in the engine (agent, queue) and its queue; null for a number outside. */
  interactionId: string | null;
  queueId: number | null;
  /** The target's answered leg and its end. */
  channelId: string | null;
  gone: Promise<unknown> | null;
  /** Stops dialling a number outside. */
  stopDialling: () => void;
  /** Settles once the consult's audio is set up (or failed to be): what undoes or changes it waits for this. */
  ready: Promise<void>;
}

interface WaitingCall {
  call: CallContext;
  interactionId: string;
  queueId: number;
  bridgeId: string;
  /** The leg that answered, once the engine accepted it, and its end. */
  agentChannel: string | null;
  agentGone: Promise<unknown> | null;
  recording: { name: string; startedAt: number; finished: RecordingEnd } | null;
  left: (outcome: 'timeout' | 'empty') => void;
  /** Set when the agent transferred the call: the agent's leg is hung up and the customer goes there. */
  transfer: TransferTarget | null;
  /** The customer on hold: since when (null: not now) and for how long before. */
  hold: { since: number | null; totalMs: number };
  muted: boolean;
  /** Set when a supervisor took the call over: their leg is in the bridge and the agent's is hung up. */
  takeover: { by: string; channelId: string; gone: Promise<unknown> } | null;
  consult: Consult | null;
  /** Why the talk ended, when the agent said so (e.g. ended a conference for everyone). */
  endReason: string | null;
}

const TAKE_OVER_CONSULTING = () => conflict('the call cannot be taken over while its agent consults a transfer', { reason: 'consult' });

/** What a supervisor does on a call in conversation. */
export type SupervisionMode = 'listen' | 'whisper' | 'barge' | 'takeover';

/** Who supervises, and where they are rung. */
export interface Supervisor {
  userId: number;
  name: string;
  extension: string;
  /**
   * Told when the supervisor's phone was rung for nothing: the conversation ended before it
   * was answered (`ended`), or, answered, the mode could not be applied (`consult`: a take
   * over while the agent consults a transfer; `ended`: the call is over or its agent gone).
   */
  refused?: ((reason: SupervisionRefusal) => void) | undefined;
}

export type SupervisionRefusal = 'ended' | 'consult';

/**
 * A call in conversation that a supervisor may join: a queue call, or an agent's own call
 * outside (a manual call, `manual-calls.ts`). Read when the supervisor's phone answers.
 */
export interface SupervisedCall {
  interactionId: string;
  callId: string;
  /** What the supervisor's phone shows. */
  caller: { number: string; name: string };
  /** The leg the supervisor's ring is originated from (its call in Asterisk's records). */
  originatorId: string;
  /** The agent's leg now (listen and whisper snoop on it); null once the agent is not on the call. */
  agentChannel(): string | null;
  /** The bridge the customer and the agent talk in (barge joins it); null until they are in it. */
  bridgeId(): string | null;
  /** Is the agent still talking with the customer? */
  inConversation(): boolean;
  /** Settles when the conversation is over: the supervisor's leg goes then (unless it took the call over). */
  over: Promise<unknown>;
  /**
   * A call that is not a queue's is taken over through this: the supervisor's leg, in the bridge,
   * takes the agent's place; false when it cannot now (a transfer being consulted).
   */
  handOver?: (supervisorLeg: string) => boolean;
  /** Could it be taken over now? */
  mayHandOver?: () => boolean;
}

/** A supervisor's leg on a call: rung, then bridged with a snoop channel or the call's own bridge. */
interface Supervision {
  id: string;
  target: SupervisedCall;
  /** The queue call, when it is one (taken over its own way: the interaction goes on with the supervisor). */
  w: WaitingCall | null;
  supervisor: Supervisor;
  mode: SupervisionMode;
  channelId: string;
  /** The answered leg, once it came into the app. */
  leg: CallContext | null;
  /** Listen and whisper: the supervisor's own bridge with the snoop channel on the agent's leg. */
  bridgeId: string | null;
  snoopId: string | null;
}

/**
 * The snoop on the agent's leg for each mode. `spy` is what the snoop channel hears of the
 * agent's channel (`both`: what the agent says and what it hears, i.e. the customer too);
 * `whisper` is where the snoop channel's audio goes: `out` is the audio sent out to the agent's
 * phone, so the agent hears the supervisor and the customer (on the bridge side) does not.
 */
const SNOOP_DIRECTIONS = {
  listen: { spy: 'both', whisper: 'none' },
  whisper: { spy: 'both', whisper: 'out' },
} as const;

/** A bridge recording's end, listened for from its start. */
interface RecordingEnd {
  within(ms: number): Promise<boolean>;
  /** Stops listening (the recording never started). */
  cancel(): void;
}

/** How long a stopped recording may take to be written before the file is given up. */
const RECORDING_FINISH_MS = 30_000;

const talkStateOf = (w: WaitingCall): TalkState => ({
  held: w.hold.since !== null,
  muted: w.muted,
  consult: w.consult && { kind: w.consult.target.kind, name: w.consult.name, phase: w.consult.phase },
});

/** A call's bridge and agent leg in conversation, with nothing else going on yet. */
function inConversation(call: CallContext, interactionId: string, queueId: number, bridgeId: string, agentChannel: string | null, agentGone: Promise<unknown> | null): WaitingCall {
  return {
    call,
    interactionId,
    queueId,
    bridgeId,
    agentChannel,
    agentGone,
    recording: null,
    left: () => undefined,
    transfer: null,
    hold: { since: null, totalMs: 0 },
    muted: false,
    takeover: null,
    consult: null,
    endReason: null,
  };
}

/** How long a number outside rings for a consult before the agent is back with the customer. */
const OUTSIDE_RING_SECONDS = 60;

const describeTransfer = (t: TransferTarget): string =>
  t.kind === 'queue' ? `queue ${t.queueId}` : t.kind === 'agent' ? `agent ${t.agentKey} (queue ${t.queueId})` : `number ${t.number}`;

/** How long a supervisor's phone rings before the request is given up. */
const SUPERVISOR_RING_SECONDS = 30;

const failureOf = (r: OriginateFailure): OfferFailure => (r === 'busy' || r === 'rejected' ? 'rejected' : r === 'no_answer' ? 'no_answer' : 'failed');

/** A waiting caller of the daemon's previous run, carried on under its interaction (see `resumeAs`). */
export interface ResumedVisit {
  interactionId: string;
  queueId: number;
  /** When it entered the queue; null for a new visit (entering now). */
  enteredAt: number | null;
  transferredFrom: string | null;
  kind: VoiceKind;
}

/** The holding bridge of one visit to a queue: known by its interaction, also after a restart. */
const queueBridgeId = (interactionId: string): string => `queue-${interactionId}`;

export class QueueVoice {
  private readonly legsByOffer = new Map<string, LegRt>();
  /** Calls whose next visit to a queue carries on a previous run's interaction, by call. */
  private readonly resuming = new Map<string, ResumedVisit>();
  private readonly legsByChannel = new Map<string, LegRt>();
  private readonly log: Logger;

  constructor(private readonly deps: QueueVoiceDeps) {
    this.log = deps.logger.child({ component: 'queue-voice' });
    deps.control.onEvent((e) => this.onEvent(e));
  }

  /**
   * Puts a call in a queue and resolves when its stay there is over. The flow that called this
   * hangs up or goes on (e.g. dials the destination's external number) from the outcome.
   */
  async enqueue(
    call: CallContext,
    queueId: number,
    opts: { transferredFrom?: string; targetAgent?: string; targetGraceMs?: number; kind?: VoiceKind } = {},
  ): Promise<QueueCallOutcome> {
    const resumed = this.resuming.get(call.callId);
    if (resumed?.queueId === queueId) this.resuming.delete(call.callId);
    const visit =
      resumed?.queueId === queueId
        ? resumed
        : { interactionId: newId(), queueId, enteredAt: null, transferredFrom: opts.transferredFrom ?? null, kind: opts.kind ?? 'voice_in' };
    // A caller of the previous run who does not get back into its queue is lost, as one gone at the restart.
    const notBack = <T extends QueueCallOutcome>(outcome: T, why: string): T => {
      if (visit === resumed) this.deps.repo.closeLostWaiting([visit.interactionId], this.deps.clock.now(), `the daemon restarted: ${why}`);
      return outcome;
    };
    const q = this.deps.repo.queue(call.tenantId, queueId);
    if (!q) return notBack({ result: 'unavailable', reason: 'unknown' }, 'the queue is gone');
    if (!q.active) return notBack({ result: 'unavailable', reason: 'inactive' }, 'the queue is inactive');
    if ((await call.answer()) === 'gone') return notBack({ result: 'abandoned', interactionId: '' }, 'the caller was gone when it came back');
    const { control } = this.deps;
    const bridgeId = queueBridgeId(visit.interactionId);
    // The previous run's holding bridge of a resumed caller is still in Asterisk: replaced.
    if (visit === resumed) await control.destroyBridge(bridgeId).catch(() => undefined);
    await control.createBridge({ id: bridgeId, name: `queue-${call.callId}` });
    try {
      await control.addToBridge(bridgeId, call.channel.id);
      await control.startMoh({ bridgeId }, q.mohClass ?? undefined);
      return await this.wait(call, q, bridgeId, visit, opts.targetAgent ?? null, opts.targetGraceMs);
    } finally {
      await control.destroyBridge(bridgeId).catch(() => undefined);
    }
  }

  /** Destroys the holding bridge of a visit of the daemon's previous run whose call did not carry on. */
  async discardBridge(interactionId: string): Promise<void> {
    await this.deps.control.destroyBridge(queueBridgeId(interactionId)).catch(() => undefined);
  }

  /** The next visit of `callId` to `visit.queueId` carries on `visit` (a caller waiting when the daemon stopped). */
  resumeAs(callId: string, visit: ResumedVisit): void {
    this.resuming.set(callId, visit);
  }

  private async wait(
    call: CallContext,
    q: QueueRow,
    bridgeId: string,
    visit: ResumedVisit,
    targetAgent: string | null,
    targetGraceMs?: number,
  ): Promise<QueueCallOutcome> {
    const { interactionId, transferredFrom, kind } = visit;
    let resolveLeft: (o: 'timeout' | 'empty' | 'full' | 'inactive') => void = () => undefined;
    const left = new Promise<'timeout' | 'empty' | 'full' | 'inactive'>((r) => (resolveLeft = r));
    const w: WaitingCall = { ...inConversation(call, interactionId, q.id, bridgeId, null, null), left: resolveLeft };
    const answered = new Promise<void>((resolve) => (this.answeredWaiters.set(interactionId, resolve)));
    const handle: InteractionHandle = {
      offer: (o) => this.ring(w, o, q.ringSeconds),
      withdraw: (o, reason) => this.withdraw(o, reason),
      leave: (outcome) => w.left(outcome),
    };
    const now = this.deps.clock.now();
    const caller = this.deps.callers?.find(call.tenantId, call.channel.caller.number, q.contactBookId) ?? null;
    const joined = this.deps.engine.enqueue(
      {
        id: interactionId,
        tenantId: call.tenantId,
        kind,
        queueId: q.id,
        priority: q.priority,
        enteredAt: visit.enteredAt ?? now,
        contact: { address: call.channel.caller.number, name: caller?.name ?? (call.channel.caller.name || null), contactId: caller?.contactId ?? null },
        requiredSkills: [],
        ownerAgent: ownerAgentOf(caller, now),
        lastAgent: null,
        callId: call.callId,
        targetAgent,
        ...(targetAgent !== null && targetGraceMs !== undefined ? { targetGraceMs } : {}),
        transferredFrom,
      },
      handle,
    );
    if (!joined.joined) resolveLeft(joined.outcome);

    const stopAnnouncing = joined.joined ? this.announce(w, q) : () => undefined;
    const first = await Promise.race([
      left.then((o) => ({ kind: 'left' as const, o })),
      answered.then(() => ({ kind: 'answered' as const })),
      call.whenEnded.then(() => ({ kind: 'ended' as const })),
    ]);
    stopAnnouncing();
    this.answeredWaiters.delete(interactionId);
    if (first.kind === 'ended') {
      if (w.agentChannel === null) {
        this.deps.engine.abandoned(interactionId);
        return { result: 'abandoned', interactionId };
      }
    }
    if (first.kind === 'left') {
      await this.deps.control.stopMoh({ bridgeId }).catch(() => undefined);
      const next = destinationFromColumns(q);
      // Queue to queue stays in the engine: each visit is an interaction linked to the previous one.
      if (next.kind === 'queue') return this.enqueueNext(call, next.id, interactionId);
      return { result: 'destination', interactionId, destination: next };
    }
    return this.converse(w, q);
  }

  /**
   * Talk until either side hangs up — or the agent transfers the call (blind, or by completing
   * a consult: the target talks on with the customer as the next visit), or a supervisor takes
   * it over.
   */
  private async converse(w: WaitingCall, q: QueueRow): Promise<QueueCallOutcome> {
    const { call, interactionId } = w;
    const agentChannel = w.agentChannel!;
    this.talking.set(interactionId, w);
    // The desk learns its controls work now (after an attended transfer, the target's desk only now).
    this.talkChanged(w);
    let who = await Promise.race([call.whenEnded.then(() => 'caller' as const), w.agentGone!.then(() => 'agent' as const)]);
    this.talking.delete(interactionId);
    const consult = w.consult;
    w.consult = null;
    // The agent leaving an answered consult completes it (as hanging up does in Asterisk's own attended transfer).
    const attended = consult && who === 'agent' && !call.ended && consult.phase !== 'ringing' ? consult : null;
    if (consult && !attended) {
      await this.dropConsult(consult, w.endReason ?? (who === 'caller' ? 'the customer hung up' : 'the consulting agent hung up before the target answered'));
      // Hanging up while the target still rings sends the customer there blind.
      if (who === 'agent' && !call.ended) w.transfer = consult.target;
    }
    if (attended) await this.joinTarget(w, attended);
    const transfer = who === 'agent' && !call.ended ? w.transfer : null;
    const takeover = who === 'agent' && !call.ended && !transfer && !attended ? w.takeover : null;
    const holdMs = w.hold.totalMs + (w.hold.since === null ? 0 : this.deps.clock.now() - w.hold.since);
    const reason =
      w.endReason ??
      (attended
        ? `transferred (attended) to ${describeTransfer(attended.target)}`
        : transfer
          ? `transferred to ${describeTransfer(transfer)}`
          : takeover
            ? `taken over by ${takeover.by}`
            : who === 'caller'
              ? 'the customer hung up'
              : 'the agent hung up');
    if (takeover) {
      // The agent is free at once; the customer talks on with the supervisor, still recorded
      // under this interaction, until either of them hangs up.
      this.deps.engine.ended(interactionId, { holdMs, reason });
      who = await Promise.race([call.whenEnded.then(() => 'caller' as const), takeover.gone.then(() => 'agent' as const)]);
    }
    const recording = w.recording;
    w.recording = null;
    // The file is complete only when Asterisk says the recording finished (it may have already:
    // a bridge recording can end with the leg that left the bridge).
    const finished = recording?.finished.within(RECORDING_FINISH_MS);
    if (recording) await this.deps.control.stopRecording(recording.name).catch(() => undefined);
    if (who === 'caller') await this.deps.control.hangup(takeover?.channelId ?? agentChannel).catch(() => undefined);
    if (recording && (await finished)) await this.keepRecording(w, recording, q);
    if (!takeover) this.deps.engine.ended(interactionId, { holdMs, reason });
    if (attended) return this.afterAttended(w, attended, q);
    // The agent (or the supervisor who took the call over) hung up first: the caller leaves the
    // queue's bridge still on the line, for the survey of the call's path; the flow hangs up after it.
    if (!transfer) return who === 'agent' && !call.ended ? { result: 'answered', interactionId, callerOnLine: true } : { result: 'answered', interactionId };
    if (transfer.kind === 'external') return { result: 'destination', interactionId, destination: { kind: 'external', number: transfer.number } };
    return this.enqueueNext(call, transfer.queueId, interactionId, transfer.kind === 'agent' ? transfer.agentKey : undefined);
  }

  /**
   * After an attended transfer the customer talks on in the same bridge: with an agent as the
   * next visit (recorded if its queue records), or with the number outside until either hangs up.
   */
  private async afterAttended(w: WaitingCall, c: Consult, q: QueueRow): Promise<QueueCallOutcome> {
    const { call } = w;
    if (c.interactionId === null || c.queueId === null) {
      const who = await Promise.race([call.whenEnded.then(() => 'caller' as const), c.gone!.then(() => 'far' as const)]);
      if (who === 'caller') {
        await this.deps.control.hangup(c.channelId!).catch(() => undefined);
        return { result: 'answered', interactionId: w.interactionId };
      }
      // As when an agent hangs up first: the caller stays on the line for the survey of its path.
      return call.ended ? { result: 'answered', interactionId: w.interactionId } : { result: 'answered', interactionId: w.interactionId, callerOnLine: true };
    }
    const next = inConversation(call, c.interactionId, c.queueId, w.bridgeId, c.channelId, c.gone);
    const nq = this.deps.repo.queue(call.tenantId, c.queueId) ?? q;
    await this.startRecording(next, nq).catch((err: unknown) => {
      if (!call.ended) this.log.error({ err, interactionId: next.interactionId }, 'could not record the transferred call');
    });
    return this.converse(next, nq);
  }

  /** Calls in conversation with an agent, by interaction: what the agent's controls act on. */
  private readonly talking = new Map<string, WaitingCall>();

  private talk(interactionId: string): WaitingCall & { agentChannel: string } {
    const w = this.talking.get(interactionId);
    if (!w || w.agentChannel === null || w.transfer || w.takeover) throw conflict('the call is not in conversation with its agent');
    return w as WaitingCall & { agentChannel: string };
  }

  /** The controls' state of a call in conversation; undefined when it is not. */
  talkState(interactionId: string): TalkState | undefined {
    const w = this.talking.get(interactionId);
    return w ? talkStateOf(w) : undefined;
  }

  /**
   * Holds the customer (music from their own channel, as when the agent's phone holds) or takes
   * them off hold. The time on hold counts in the interaction's handle time, apart from talk.
   */
  async setHold(interactionId: string, on: boolean): Promise<TalkState> {
    const w = this.talk(interactionId);
    this.noConsult(w);
    if ((w.hold.since !== null) !== on) {
      await (on ? this.deps.control.hold(w.agentChannel) : this.deps.control.unhold(w.agentChannel));
      this.heldChanged(w, on);
      this.talkChanged(w);
    }
    return talkStateOf(w);
  }

  private noConsult(w: WaitingCall): void {
    if (w.consult) throw conflict(`a consult with "${w.consult.name}" is in progress: complete or cancel it first`, { reason: 'consult' });
  }

  private talkChanged(w: WaitingCall): void {
    this.deps.onTalk?.(w.interactionId, talkStateOf(w));
  }

  /**
   * Hangs the agent's leg up, as if the agent had hung up its phone: the customer goes on to
   * the survey of its path, if any. Refused during a consult (its own controls end it).
   */
  async hangUp(interactionId: string): Promise<void> {
    const w = this.talk(interactionId);
    this.noConsult(w);
    await this.deps.control.hangup(w.agentChannel, 16);
  }

  /** Mutes the agent: the customer stops hearing them (and the recording too). */
  async setMute(interactionId: string, on: boolean): Promise<TalkState> {
    const w = this.talk(interactionId);
    if (w.muted !== on) {
      await (on ? this.deps.control.mute(w.agentChannel, 'in') : this.deps.control.unmute(w.agentChannel, 'in'));
      w.muted = on;
      this.talkChanged(w);
    }
    return talkStateOf(w);
  }

  /**
   * A blind transfer: the agent's leg is hung up and the customer goes on to `to` at once (the
   * agent's interaction ends, `transferredFrom` links the next visit to it). The target was
   * checked by the caller of this.
   */
  async transfer(interactionId: string, to: TransferTarget): Promise<void> {
    const w = this.talk(interactionId);
    this.noConsult(w);
    w.transfer = to;
    if (w.hold.since !== null) await this.deps.control.unhold(w.agentChannel).catch(() => undefined);
    await this.deps.control.hangup(w.agentChannel, 16).catch(() => undefined);
  }

  /**
   * Starts an attended transfer: the customer is held (music in the call's bridge, counted as
   * hold), the agent moves to a bridge of its own and hears ringback while the target rings —
   * an agent or a queue through the engine (the customer's next visit, linked to this one; an
   * agent who does not answer ends the consult), a number outside through the outbound route.
   * `name` is what the desk shows. The target was checked by the caller of this.
   */
  async consult(interactionId: string, to: TransferTarget, name: string): Promise<TalkState> {
    const w = this.talk(interactionId);
    this.noConsult(w);
    const { control, engine, clock, repo } = this.deps;
    const now = clock.now();
    const q = repo.queue(w.call.tenantId, w.queueId);
    let outside: { number: string; route: { endpoint: string; callerId: string | null } } | undefined;
    if (to.kind === 'external') {
      const plan = this.deps.outside?.(w.call.tenantId, to.number, now) ?? { ok: false, reason: 'numbers outside cannot be dialled from here' };
      if (!plan.ok) throw invalidField('number', `number: ${plan.reason}`);
      outside = { number: to.number, route: plan };
    }
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let setUp: () => void = () => undefined;
    const c: Consult = {
      ready: new Promise<void>((resolve) => (setUp = resolve)),
      target: to,
      name,
      phase: 'ringing',
      bridgeId: await control.createBridge({ name: `consult-${interactionId}` }),
      toneId: null,
      interactionId: null,
      queueId: null,
      channelId: null,
      gone: null,
      stopDialling: stop,
    };
    if (to.kind !== 'external') {
      const rec = engine.interaction(interactionId);
      const tq = repo.queue(w.call.tenantId, to.queueId);
      const id = newId();
      const handle: InteractionHandle = {
        offer: (o) => this.ring(w, o, tq?.ringSeconds ?? 20, c),
        withdraw: (o, reason) => this.withdraw(o, reason),
        leave: (outcome) => void this.consultOver(w, c, outcome === 'timeout' ? `nobody in ${name} answered in time` : `${name} did not answer`),
      };
      const joined = engine.enqueue(
        {
          id,
          tenantId: w.call.tenantId,
          kind: rec?.kind ?? 'voice_in',
          queueId: to.queueId,
          priority: tq?.priority ?? 0,
          enteredAt: now,
          contact: { address: rec?.contactAddress ?? w.call.channel.caller.number, name: rec?.contactName ?? null, contactId: rec?.contactId ?? null },
          requiredSkills: [],
          ownerAgent: null,
          lastAgent: null,
          callId: w.call.callId,
          targetAgent: to.kind === 'agent' ? to.agentKey : null,
          ...(to.kind === 'agent' ? { targetOnly: true } : {}),
          transferredFrom: interactionId,
        },
        handle,
      );
      if (!joined.joined) {
        await control.destroyBridge(c.bridgeId).catch(() => undefined);
        throw conflict(`"${name}" takes no calls now (${joined.outcome})`, { reason: joined.outcome });
      }
      c.interactionId = id;
      c.queueId = to.queueId;
    }
    w.consult = c;
    // The hold time runs on from a hold the agent had already put the customer on.
    const held = w.hold.since !== null;
    this.heldChanged(w, true);
    try {
      if (held) await control.unhold(w.agentChannel);
      await control.addToBridge(c.bridgeId, w.agentChannel);
      await control.startMoh({ bridgeId: w.bridgeId }, q?.mohClass ?? undefined);
      if (c.phase === 'ringing') {
        c.toneId = `atende-ringback-${c.bridgeId}`;
        await control.play({ bridgeId: c.bridgeId }, [{ kind: 'tone', tone: 'ring' }], { id: c.toneId });
      }
    } catch (err) {
      setUp();
      if (w.consult !== c) return talkStateOf(w);
      await this.consultOver(w, c, 'the consult could not be set up');
      throw err;
    }
    setUp();
    if (outside) void this.dialConsult(w, c, outside.number, outside.route, stopped);
    this.talkChanged(w);
    return talkStateOf(w);
  }

  /** Dials the number outside of a consult and waits for its answer and end. */
  private async dialConsult(w: WaitingCall, c: Consult, number: string, route: { endpoint: string; callerId: string | null }, stopped: Promise<void>): Promise<void> {
    const outcome = await dial(w.call, {
      endpoint: route.endpoint,
      leg: 'outbound',
      callerId: route.callerId ? { number: route.callerId } : { number: w.call.channel.caller.number },
      timeoutSeconds: OUTSIDE_RING_SECONDS,
      cancelWhen: Promise.race([stopped, w.call.whenEnded]),
    }).catch((err: unknown) => {
      this.log.warn({ err, number }, 'the consult could not dial the number');
      return { kind: 'failed', reason: 'failed', cause: 41 } as const;
    });
    if (outcome.kind === 'caller_gone') return;
    if (outcome.kind === 'failed') {
      await this.consultOver(w, c, `${number} was not reached (${outcome.reason}, cause ${outcome.cause})`);
      return;
    }
    outcome.early?.stop();
    const end = whenLegEnds(w.call, outcome.channelId);
    await this.consultAnswered(w, c, outcome.channelId, end.ended);
    await end.ended;
    end.cancel();
    await this.consultOver(w, c, `${number} hung up`);
  }

  /** The target answered the consult: the agent stops hearing ringback and talks with it. */
  private async consultAnswered(w: WaitingCall, c: Consult, channelId: string, gone: Promise<unknown>): Promise<void> {
    c.channelId = channelId;
    c.gone = gone;
    if (w.consult !== c) {
      // Cancelled (or the call ended) as it answered.
      await this.deps.control.hangup(channelId, 16).catch(() => undefined);
      return;
    }
    await c.ready;
    await this.stopTone(c);
    await this.deps.control.addToBridge(c.bridgeId, channelId).catch((err: unknown) => this.log.warn({ err, interactionId: w.interactionId }, 'the consulted party could not be bridged with the agent'));
    // Dropped meanwhile: its end hangs this leg up.
    if (w.consult !== c) return;
    c.phase = 'talking';
    this.talkChanged(w);
  }

  private async stopTone(c: Consult): Promise<void> {
    const id = c.toneId;
    c.toneId = null;
    if (id !== null) await this.deps.control.stopPlayback(id).catch(() => undefined);
  }

  /**
   * The consult is over while the agent stays with the customer: the target did not answer or
   * hung up, or the agent cancelled. The target's leg and visit end with `reason`; the agent is
   * back in the call's bridge and the customer's hold ends.
   */
  private async consultOver(w: WaitingCall, c: Consult, reason: string): Promise<void> {
    if (w.consult !== c) return;
    await c.ready;
    if (w.consult !== c) return;
    w.consult = null;
    this.heldChanged(w, false);
    this.log.info({ interactionId: w.interactionId, target: describeTransfer(c.target), reason }, 'consult over; the agent is back with the customer');
    await this.dropConsult(c, reason);
    const { control } = this.deps;
    if (c.phase !== 'conference' && !w.call.ended && w.agentChannel !== null) {
      await control.addToBridge(w.bridgeId, w.agentChannel).catch((err: unknown) => this.log.warn({ err, interactionId: w.interactionId }, 'the agent could not be put back with the customer'));
      await control.stopMoh({ bridgeId: w.bridgeId }).catch(() => undefined);
    }
    this.talkChanged(w);
  }

  /** Ends the target's side of a consult: its ringing or its leg, its visit (with `reason`), the agent's bridge. */
  private async dropConsult(c: Consult, reason: string): Promise<void> {
    const { control, engine } = this.deps;
    await c.ready;
    // Still waiting in the engine, or answered there (possibly a moment before the leg was bridged).
    if (c.interactionId !== null && !engine.removeWaiting(c.interactionId, reason)) engine.ended(c.interactionId, { reason });
    c.stopDialling();
    if (c.channelId !== null) await control.hangup(c.channelId, 16).catch(() => undefined);
    await this.stopTone(c);
    await control.destroyBridge(c.bridgeId).catch(() => undefined);
  }

  /** The target of an answered consult (and the agent too, for a conference) joins the customer in the call's bridge; the music stops. */
  private async joinTarget(w: WaitingCall, c: Consult, withAgent = false): Promise<void> {
    await c.ready;
    if (c.phase === 'conference' || c.channelId === null) return;
    const { control } = this.deps;
    c.phase = 'conference';
    this.heldChanged(w, false);
    await control.addToBridge(w.bridgeId, c.channelId);
    if (withAgent && w.agentChannel !== null) await control.addToBridge(w.bridgeId, w.agentChannel);
    await control.stopMoh({ bridgeId: w.bridgeId }).catch(() => undefined);
    await control.destroyBridge(c.bridgeId).catch(() => undefined);
  }

  private answeredConsult(interactionId: string): WaitingCall & { agentChannel: string; consult: Consult } {
    const w = this.talk(interactionId);
    if (!w.consult) throw conflict('there is no consult in progress', { reason: 'no_consult' });
    if (w.consult.phase === 'ringing') throw conflict(`"${w.consult.name}" has not answered yet: wait, or cancel the consult`, { reason: 'ringing' });
    return w as WaitingCall & { agentChannel: string; consult: Consult };
  }

  /** Completes the consult: the customer and the target talk on, the agent's leg is hung up (its interaction ends there). */
  async completeConsult(interactionId: string): Promise<void> {
    const w = this.answeredConsult(interactionId);
    await this.joinTarget(w, w.consult);
    await this.deps.control.hangup(w.agentChannel, 16).catch(() => undefined);
  }

  /** Cancels the consult: the target's ringing or leg is hung up, the agent is back with the customer. */
  async cancelConsult(interactionId: string): Promise<TalkState> {
    const w = this.talk(interactionId);
    if (!w.consult) throw conflict('there is no consult in progress', { reason: 'no_consult' });
    await this.consultOver(w, w.consult, 'the consulting agent cancelled the consult');
    return talkStateOf(w);
  }

  /** Three-way conference: the customer, the agent and the consult's target in the call's bridge. */
  async conference(interactionId: string): Promise<TalkState> {
    const w = this.answeredConsult(interactionId);
    await this.joinTarget(w, w.consult, true);
    this.talkChanged(w);
    return talkStateOf(w);
  }

  /** Ends a conference for everyone: the customer's and the target's legs are hung up with the agent's. */
  async endConference(interactionId: string): Promise<void> {
    const w = this.answeredConsult(interactionId);
    if (w.consult.phase !== 'conference') throw conflict('the call is not in conference', { reason: 'no_conference' });
    w.endReason = 'the agent ended the conference';
    await w.call.hangup(16);
  }

  private readonly supervisions = new Map<string, Supervision>();
  /** Snoop channels asked for, until they enter the app: only then can they join a bridge. */
  private readonly snoopsEntering = new Map<string, () => void>();

  /**
   * A supervisor on a call in conversation. When the supervisor already has a live leg on this
   * call, it changes to the new mode at once; otherwise the supervisor's phone is rung and the
   * mode is applied when it answers (`supervisionHandler`, or `agentHandler` for a take over).
   * Resolves once Asterisk accepted the ring; rejects with the reason the phone cannot ring.
   */
  async supervise(interactionId: string, supervisor: Supervisor, mode: SupervisionMode): Promise<{ rung: boolean }> {
    const w = this.talk(interactionId);
    if (mode === 'takeover') this.noConsult(w);
    const target: SupervisedCall = {
      interactionId,
      callId: w.call.callId,
      caller: { number: w.call.channel.caller.number, name: w.call.channel.caller.name },
      originatorId: w.call.channel.id,
      agentChannel: () => w.agentChannel,
      bridgeId: () => w.bridgeId,
      inConversation: () => !w.call.ended && this.talking.has(w.interactionId) && w.agentChannel !== null,
      over: Promise.race([w.call.whenEnded, w.agentGone]),
    };
    return this.join(target, w, supervisor, mode);
  }

  /** A supervisor on an agent's own call outside (a manual call): listen, whisper, barge or take over. */
  async superviseOwnCall(target: SupervisedCall, supervisor: Supervisor, mode: SupervisionMode): Promise<{ rung: boolean }> {
    return this.join(target, null, supervisor, mode);
  }

  private async join(target: SupervisedCall, w: WaitingCall | null, supervisor: Supervisor, mode: SupervisionMode): Promise<{ rung: boolean }> {
    if (mode === 'takeover' && !w && !target.mayHandOver?.()) throw TAKE_OVER_CONSULTING();
    const live = [...this.supervisions.values()].find((s) => s.target.interactionId === target.interactionId && s.supervisor.userId === supervisor.userId && s.leg !== null && !s.leg.ended);
    if (live) {
      const was = live.mode;
      await this.undoMode(live);
      live.mode = mode;
      try {
        await this.applyMode(live);
      } catch (err) {
        // Refused (a take over while a transfer is consulted): the supervisor stays as it was.
        live.mode = was;
        await this.applyMode(live);
        throw err;
      }
      return { rung: false };
    }
    const id = newId();
    const s: Supervision = { id, target, w, supervisor, mode, channelId: `atende-supervisor-${id}`, leg: null, bridgeId: null, snoopId: null };
    this.supervisions.set(s.channelId, s);
    try {
      await this.deps.control.originate({
        endpoint: `PJSIP/${supervisor.extension}`,
        // A take over makes the supervisor a queue call's other party: it comes back as an agent leg.
        // Another call's take over starts as a barge.
        appArgs: mode === 'takeover' ? (w ? ['agent', target.callId] : ['snoop', target.callId, 'barge']) : ['snoop', target.callId, mode],
        id: s.channelId,
        callerId: target.caller,
        timeoutSeconds: SUPERVISOR_RING_SECONDS,
        originatorId: target.originatorId,
      });
    } catch (err) {
      this.supervisions.delete(s.channelId);
      throw err;
    }
    // The conversation ending while the supervisor's phone still rings stops the ringing.
    void target.over.then(() => {
      if (s.leg !== null || !this.supervisions.delete(s.channelId)) return;
      void this.deps.control.hangup(s.channelId).catch(() => undefined);
      supervisor.refused?.('ended');
    });
    return { rung: true };
  }

  /**
   * The supervisor stops listening (whispering, barging) on the call: its leg is hung up, or
   * its ringing stopped; the snoop and its bridge go with it. Resolves with the mode it was in,
   * undefined when the supervisor was on no such leg of this call.
   */
  async stopSupervising(interactionId: string, supervisorUserId: number): Promise<SupervisionMode | undefined> {
    const s = [...this.supervisions.values()].find((x) => x.target.interactionId === interactionId && x.supervisor.userId === supervisorUserId && x.mode !== 'takeover');
    if (!s) return undefined;
    if (s.leg === null) this.supervisions.delete(s.channelId);
    // An answered leg's end runs `supervisorLeg` on: the mode is undone there.
    await this.deps.control.hangup(s.channelId, 16).catch(() => undefined);
    return s.mode;
  }

  /** The supervisor's answered leg: the mode is applied, and the leg lasts as long as the conversation. */
  private async supervisorLeg(leg: CallContext, s: Supervision): Promise<void> {
    s.leg = leg;
    const { target } = s;
    try {
      if (!target.inConversation()) throw conflict('the call is no longer in conversation');
      await this.applyMode(s);
    } catch (err) {
      if (!leg.ended) {
        this.log.warn({ err, interactionId: target.interactionId, mode: s.mode }, 'the supervisor could not be put on the call');
        s.supervisor.refused?.(err instanceof AppError && err.details?.reason === 'consult' ? 'consult' : 'ended');
      }
      this.supervisions.delete(s.channelId);
      await this.undoMode(s);
      await leg.hangup(16);
      return;
    }
    // After a take over the supervisor's leg is the call's: it ends with the customer (`wait`
    // hangs it up for a queue call, the conversation for another).
    await Promise.race([leg.whenEnded, target.over.then(() => (s.mode === 'takeover' ? leg.whenEnded : undefined))]);
    this.supervisions.delete(s.channelId);
    await this.undoMode(s);
    if (s.mode !== 'takeover') await leg.hangup(16);
  }

  private async applyMode(s: Supervision): Promise<void> {
    const { control } = this.deps;
    const { target, w, leg } = s;
    if (!leg) return;
    const agentChannel = target.agentChannel();
    if (agentChannel === null) throw conflict('the agent is no longer on the call');
    if (s.mode === 'barge' || s.mode === 'takeover') {
      // Both the customer and the agent hear the supervisor: a third party in the call's own bridge.
      const bridgeId = target.bridgeId();
      if (bridgeId === null) throw conflict('the call is not in conversation yet');
      await control.addToBridge(bridgeId, leg.channel.id);
      if (s.mode === 'takeover' && w) {
        w.takeover = { by: s.supervisor.name, channelId: leg.channel.id, gone: leg.whenEnded };
        if (w.hold.since !== null) await control.unhold(agentChannel).catch(() => undefined);
        await control.hangup(agentChannel, 16).catch(() => undefined);
      } else if (s.mode === 'takeover') {
        if (!target.handOver?.(leg.channel.id)) {
          await control.removeFromBridge(bridgeId, leg.channel.id).catch(() => undefined);
          throw TAKE_OVER_CONSULTING();
        }
        await control.hangup(agentChannel, 16).catch(() => undefined);
      }
      return;
    }
    s.bridgeId = await control.createBridge({ name: `supervision-${s.id}` });
    const snoopId = `atende-snoop-${s.id}-${s.mode}`;
    const entered = new Promise<void>((resolve) => this.snoopsEntering.set(snoopId, resolve));
    s.snoopId = snoopId;
    try {
      await control.snoop(agentChannel, { ...SNOOP_DIRECTIONS[s.mode], appArgs: ['snoop', target.callId, s.mode], id: snoopId });
      // A channel joins a bridge only once it is in the app (ARI answers 422 before StasisStart).
      const first = await Promise.race([entered.then(() => 'entered' as const), leg.whenEnded.then(() => 'gone' as const)]);
      if (first === 'gone') throw conflict('the supervisor hung up');
    } finally {
      this.snoopsEntering.delete(snoopId);
    }
    await control.addToBridge(s.bridgeId, snoopId);
    await control.addToBridge(s.bridgeId, leg.channel.id);
  }

  /** Takes the supervisor's leg out of its mode: the snoop channel and its bridge go, or it leaves the call's bridge. */
  private async undoMode(s: Supervision): Promise<void> {
    const { control } = this.deps;
    if (s.snoopId !== null) await control.hangup(s.snoopId, 16).catch(() => undefined);
    if (s.bridgeId !== null) await control.destroyBridge(s.bridgeId).catch(() => undefined);
    s.snoopId = null;
    s.bridgeId = null;
    const callBridge = s.target.bridgeId();
    if (s.mode === 'barge' && s.leg && !s.leg.ended && callBridge !== null) await control.removeFromBridge(callBridge, s.leg.channel.id).catch(() => undefined);
  }

  /**
   * The flow of `snoop` entries: a supervisor's answered phone (listen, whisper, barge), or the
   * snoop channel made for it, which only has to be in the app until it is hung up.
   */
  readonly supervisionHandler: CallHandler = {
    name: 'queue-supervision-leg',
    run: async (leg: CallContext) => {
      const entering = this.snoopsEntering.get(leg.channel.id);
      if (entering) {
        entering();
        await leg.whenEnded;
        return;
      }
      const s = this.supervisions.get(leg.channel.id);
      if (s) return this.supervisorLeg(leg, s);
      await leg.hangup(16);
    },
  };

  private heldChanged(w: WaitingCall, held: boolean): void {
    const now = this.deps.clock.now();
    if (held && w.hold.since === null) w.hold.since = now;
    else if (!held && w.hold.since !== null) {
      w.hold.totalMs += now - w.hold.since;
      w.hold.since = null;
    }
  }

  private readonly answeredWaiters = new Map<string, () => void>();

  private async enqueueNext(call: CallContext, queueId: number, from: string, targetAgent?: string): Promise<QueueCallOutcome> {
    const next = await this.enqueue(call, queueId, { transferredFrom: from, ...(targetAgent ? { targetAgent } : {}) });
    return next.result === 'unavailable' ? { result: 'destination', interactionId: from, destination: { kind: 'hangup', cause: 16 } } : next;
  }

  /**
   * The `queue` destination of the destination runner: the call waits in the queue; when the
   * queue gives it up, the call goes on to the queue's destination.
   */
  async queueStep(call: CallContext, d: Destination): Promise<DestinationStep> {
    if (d.kind !== 'queue') return { done: true };
    const outcome = await this.enqueue(call, d.id);
    if (outcome.result === 'destination') return { next: outcome.destination };
    if (outcome.result === 'answered' && outcome.callerOnLine) return { afterAgent: true };
    if (outcome.result === 'unavailable') {
      this.log.warn({ queueId: d.id, reason: outcome.reason, callId: call.callId }, 'queue unavailable for this call; hanging up');
      await call.hangup(41);
    }
    return { done: true };
  }

  /** Rings the agent's phone; the answered leg comes back through `agentHandler`. */
  private ring(w: WaitingCall, offer: Offer, ringSeconds: number, consult?: Consult): void {
    const extension = offer.agent.extension;
    if (extension === null) {
      queueMicrotask(() => this.deps.engine.offerFailed(offer.id, 'unreachable'));
      return;
    }
    const channelId = `atende-agent-${offer.id}`;
    const leg: LegRt = { offer, channelId, call: w, ...(consult ? { consult } : {}) };
    this.legsByOffer.set(offer.id, leg);
    this.legsByChannel.set(channelId, leg);
    this.deps.control
      .originate({
        endpoint: `PJSIP/${extension}`,
        appArgs: ['agent', w.call.callId],
        id: channelId,
        callerId: { number: w.call.channel.caller.number, name: w.call.channel.caller.name },
        // The engine's ring timer decides; Asterisk's own timeout is only a backstop.
        timeoutSeconds: ringSeconds + 5,
        originatorId: w.call.channel.id,
      })
      .catch((err: unknown) => {
        // A phone that is not registered cannot be dialled at all (ARI 500 "Allocation failed").
        this.log.warn({ err, extension, interactionId: w.interactionId }, 'could not ring the agent’s phone');
        this.forget(leg);
        this.deps.engine.offerFailed(offer.id, 'unreachable');
      });
  }

  private withdraw(offer: Offer, reason: WithdrawReason): void {
    const leg = this.legsByOffer.get(offer.id);
    if (!leg) return;
    this.forget(leg);
    this.log.debug({ offerId: offer.id, reason }, 'offer withdrawn: the agent leg is hung up');
    void this.deps.control.hangup(leg.channelId).catch(() => undefined);
  }

  private forget(leg: LegRt): void {
    this.legsByOffer.delete(leg.offer.id);
    this.legsByChannel.delete(leg.channelId);
  }

  /**
   * Ends waited for by id (announcement playbacks, bridge recordings): one lookup per event in
   * this service's own listener, not one listener per waiting call.
   */
  private readonly playbackEnds = new Map<string, () => void>();
  private readonly recordingEnds = new Map<string, (ok: boolean) => void>();

  private onEvent(e: TelephonyEvent): void {
    if (e.type === 'PlaybackFinished') {
      this.playbackEnds.get(e.playbackId)?.();
    } else if (e.type === 'RecordingFinished') {
      this.recordingEnds.get(e.name)?.(!e.failed);
    } else if (e.type === 'OriginateFailed') {
      if (this.supervisions.delete(e.channelId)) this.log.info({ channelId: e.channelId, reason: e.reason }, 'the supervisor did not answer');
      const leg = this.legsByChannel.get(e.channelId);
      if (!leg) return;
      this.forget(leg);
      this.deps.engine.offerFailed(leg.offer.id, failureOf(e.reason));
    } else if (e.type === 'CallHeld') {
      // The agent's phone held (a re-INVITE), or `setHold` did through ARI; a consult holds the customer its own way.
      for (const w of this.talking.values()) {
        if (w.agentChannel !== e.channelId || w.consult) continue;
        const was = w.hold.since !== null;
        this.heldChanged(w, e.held);
        if (was !== e.held) this.talkChanged(w);
      }
    } else if (e.type === 'CallEnded') {
      const leg = this.legsByChannel.get(e.channelId);
      if (leg) {
        // Hung up after answering but before the engine took it (or while ringing on a real PBX).
        this.forget(leg);
        this.deps.engine.offerFailed(leg.offer.id, 'rejected');
      }
    }
  }

  /** Is this channel a leg this engine originated for an offer, or a supervisor's take over? */
  owns(channelId: string): boolean {
    return this.legsByChannel.has(channelId) || this.supervisions.has(channelId);
  }

  /** The flow of an answered agent leg (`agent,<callId>` entries): joins the caller or hangs up. */
  readonly agentHandler: CallHandler = {
    name: 'queue-agent-leg',
    run: async (leg: CallContext) => {
      const supervision = this.supervisions.get(leg.channel.id);
      if (supervision) return this.supervisorLeg(leg, supervision);
      const rt = this.legsByChannel.get(leg.channel.id);
      if (!rt) return;
      this.forget(rt);
      const w = rt.call;
      if (!this.deps.engine.offerAnswered(rt.offer.id)) return;
      if (rt.consult) {
        const c = rt.consult;
        await this.consultAnswered(w, c, leg.channel.id, leg.whenEnded);
        await leg.whenEnded;
        await this.consultOver(w, c, 'the consulted agent hung up');
        return;
      }
      w.agentChannel = leg.channel.id;
      w.agentGone = leg.whenEnded;
      // The caller's side moves on to the talk at once: a leg that hangs up while being bridged ends it.
      this.answeredWaiters.get(w.interactionId)?.();
      const { control } = this.deps;
      try {
        await control.stopMoh({ bridgeId: w.bridgeId }).catch(() => undefined);
        await control.addToBridge(w.bridgeId, leg.channel.id);
        if (!leg.ended) await this.startRecording(w, this.deps.repo.queue(w.call.tenantId, w.queueId));
      } catch (err) {
        if (!leg.ended && !w.call.ended) this.log.error({ err, interactionId: w.interactionId }, 'could not bridge or record the answered call');
      }
      await leg.whenEnded;
    },
  };

  /** Starts the bridge recording of the interaction in conversation, when its queue records. */
  private async startRecording(w: WaitingCall, q: QueueRow | undefined): Promise<void> {
    if (!q?.record || w.call.ended) return;
    const name = `atende-${w.interactionId}`;
    // Known before Asterisk answers, so that an end racing the answer still stops and keeps it.
    w.recording = { name, startedAt: this.deps.clock.now(), finished: this.recordingEnd(name) };
    await this.deps.control.record({ bridgeId: w.bridgeId }, { name, format: 'wav', ifExists: 'overwrite' }).catch((err: unknown) => {
      w.recording?.finished.cancel();
      w.recording = null;
      throw err;
    });
  }

  /**
   * Listens for the recording's end from the moment it starts, so that an end Asterisk reports
   * before the call's side asks is not missed. `within(ms)` resolves true when it finished with a
   * file, false when it failed or was not heard of within `ms` from then.
   */
  private recordingEnd(name: string): RecordingEnd {
    let settle: (ok: boolean) => void = () => undefined;
    const ended = new Promise<boolean>((resolve) => (settle = resolve));
    let timer: { cancel(): void } | undefined;
    const done = (ok: boolean) => {
      this.recordingEnds.delete(name);
      timer?.cancel();
      settle(ok);
    };
    this.recordingEnds.set(name, done);
    return {
      within: (ms) => {
        timer ??= this.deps.clock.setTimeout(() => {
          this.log.error({ recording: name }, 'the recording did not finish in time; its file is left where Asterisk wrote it');
          done(false);
        }, ms);
        return ended;
      },
      cancel: () => done(false),
    };
  }

  /**
   * The queue's periodic announcements to a waiting caller — its position, the expected wait —
   * every `announceEverySeconds` (the first after as long), counted from the end of the last
   * one. Played to the caller's channel over the bridge's music, which resumes after each; an
   * agent answering stops one being played. Returns the stop.
   */
  private announce(w: WaitingCall, q: QueueRow): () => void {
    const everyMs = q.announceEverySeconds * 1000;
    if (everyMs <= 0 || (!q.announcePosition && !q.announceWait)) return () => undefined;
    const { control, clock, engine } = this.deps;
    let stopped = false;
    let timer: { cancel(): void } | undefined;
    let playing: string | undefined;
    let n = 0;
    const next = () => {
      if (!stopped) timer = clock.setTimeout(say, everyMs);
    };
    const say = () => {
      if (stopped || w.agentChannel !== null || w.call.ended) return;
      const names = queueAnnouncement(q, engine.position(w.interactionId), engine.expectedWait(w.interactionId));
      if (names.length === 0) return next();
      // Our own id: the end may be reported before Asterisk's answer to the request arrives.
      const id = `atende-announce-${w.interactionId}-${++n}`;
      playing = id;
      this.playbackEnds.set(id, () => {
        this.playbackEnds.delete(id);
        playing = undefined;
        next();
      });
      control.play({ channelId: w.call.channel.id }, names.map((name) => w.call.prompt(name)), { id }).catch((err: unknown) => {
        if (w.call.ended) return;
        this.log.warn({ err, interactionId: w.interactionId }, 'the queue announcement could not be played');
        this.playbackEnds.get(id)?.();
      });
    };
    next();
    return () => {
      stopped = true;
      timer?.cancel();
      if (playing === undefined) return;
      this.playbackEnds.delete(playing);
      void control.stopPlayback(playing).catch(() => undefined);
    };
  }

  /** Moves the stopped bridge recording's WAV into the data dir and links it to the call. */
  private async keepRecording(w: WaitingCall, { name, startedAt }: { name: string; startedAt: number }, q: { retentionDays: number }): Promise<void> {
    const { control, clock, repo } = this.deps;
    try {
      const audio = await control.getRecording(name);
      const rel = join('recordings', String(w.call.tenantId), localDate(startedAt, this.deps.timeZone), `${w.interactionId}.wav`);
      const abs = join(this.deps.dataDir, rel);
      mkdirSync(dirname(abs), { recursive: true, mode: 0o750 });
      writeFileSync(abs, audio, { mode: 0o640 });
      const now = clock.now();
      repo.addRecording({
        tenantId: w.call.tenantId,
        callId: w.call.callId,
        interactionId: w.interactionId,
        queueId: w.queueId,
        path: rel,
        format: 'wav',
        startedAt,
        durationSeconds: Math.max(0, Math.round((now - startedAt) / 1000)),
        sizeBytes: audio.length,
        expiresAt: q.retentionDays > 0 ? startedAt + q.retentionDays * 86_400_000 : null,
      });
    } catch (err) {
      this.log.error({ err, interactionId: w.interactionId }, 'the call recording could not be kept');
    }
  }
}

import type { CallId, Clock, Logger, TenantId } from '../kernel/index.js';
import type { CallControl, ChannelSnapshot, HangupInfo, Media, TelephonyEvent } from '../telephony/call-control.js';
import type { KnownEntry, StasisEntry } from './stasis-args.js';

export type CallDirection = 'inbound' | 'outbound' | 'internal';
export const callDirections: readonly CallDirection[] = ['inbound', 'outbound', 'internal'];

export type CallState = 'ringing' | 'in_progress' | 'ended';
export const callStates: readonly CallState[] = ['ringing', 'in_progress', 'ended'];

/** Who ended a leg: the party that called in, Atende, or the party Atende called. */
export type HangupBy = 'caller' | 'atende' | 'far_end';
export const hangupParties: readonly HangupBy[] = ['caller', 'atende', 'far_end'];

/** Why a record was closed. Free text in the database; these are the ones Atende writes. */
export const EndReason = {
  normal: 'normal',
  channelGone: 'reconciled: channel gone; ended_at is the last moment it was known alive',
  daemonRestart: 'reconciled: daemon restart; ended_at is the last moment it was known alive',
  unknownChannel: 'reconciled: unknown channel',
  shutdown: 'shutdown',
  notAccepting: 'shutdown: not accepting calls',
} as const;

/** One leg as stored (`calls` table). Times are epoch milliseconds. */
export interface CallRecord {
  callId: CallId;
  tenantId: TenantId;
  /** The call this leg was created for (agent, outbound, snoop legs). */
  parentCallId: string | null;
  channelId: string;
  channelName: string | null;
  /** The entry kind the leg came in with (see stasis-args.ts). */
  kind: string;
  direction: CallDirection;
  from: string;
  fromName: string | null;
  to: string;
  trunkRef: string | null;
  state: CallState;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  cause: number | null;
  causeText: string | null;
  hangupBy: HangupBy | null;
  endReason: string | null;
  /** Outbound calls: each trunk tried, in failover order, with what happened. */
  trunkAttempts: TrunkAttempt[] | null;
}

/** One trunk an outbound call tried: the one that carried it, or why it was passed over. */
export interface TrunkAttempt {
  /** `trunk:<name>` or `group:<n>` (an E1 channel group). */
  trunk: string;
  /** `answered`, `busy`, `no_answer`, `congestion`, `unavailable`, `at_limit`, … */
  outcome: string;
  cause?: number;
}

/** A leg as the API shows it (`GET /api/v1/calls`) and the events socket pushes it (`call.*`). */
export type CallView = Omit<CallRecord, 'callId' | 'tenantId' | 'startedAt' | 'answeredAt' | 'endedAt'> & {
  callId: string;
  /** ISO 8601. */
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  /** From start to end. */
  durationSeconds: number | null;
  /** From answer to end. */
  talkSeconds: number | null;
};

export interface CallFilters {
  /** Started at or after (epoch ms). */
  from?: number;
  /** Started before (epoch ms). */
  to?: number;
  direction?: CallDirection;
  /** Digit strings, any of which found in the from or to number matches (see `numberVariants`). */
  numbers?: readonly string[];
  state?: CallState;
  /** Exactly this number as from or to (an agent's own extension). */
  party?: string;
  /** Default: newest first. */
  sort?: CallSort;
  limit: number;
  offset: number;
}

export const callSortKeys = ['startedAt', 'answeredAt', 'endedAt', 'duration', 'from', 'to'] as const;
export type CallSortKey = (typeof callSortKeys)[number];
export interface CallSort {
  key: CallSortKey;
  descending: boolean;
}

/** A live leg, as `activeCalls()` reports it. */
export interface ActiveCall {
  callId: CallId;
  tenantId: TenantId | undefined;
  channelId: string;
  kind: string;
  state: CallState;
  startedAt: number;
}

export type PlayOutcome =
  /** Played to the end. */
  | 'done'
  /** Stopped by request. */
  | 'stopped'
  /** Could not be played (file missing, Asterisk refused it, no answer about it in time). */
  | 'failed'
  /** The leg ended before or while playing. */
  | 'hangup';

/**
 * What a flow sees of one leg. Expected outcomes (the caller hung up, the channel is gone, a
 * prompt failed) are results; methods throw only when Asterisk cannot be reached at all.
 */
export interface CallContext {
  readonly callId: CallId;
  readonly tenantId: TenantId;
  readonly entry: KnownEntry;
  readonly channel: ChannelSnapshot;
  readonly log: Logger;
  readonly clock: Clock;
  /** The port, for operations the helpers below do not cover (bridges, originate…). */
  readonly control: CallControl;
  /** True once the leg is over. */
  readonly ended: boolean;
  /** Resolves when the leg is over (never rejects). */
  readonly whenEnded: Promise<HangupInfo | undefined>;
  /** Answers the channel: 'gone' when it no longer exists. */
  answer(): Promise<'ok' | 'gone'>;
  /** Plays media on the channel and waits until it finished. */
  play(media: Media[]): Promise<PlayOutcome>;
  /** Hangs up with a Q.850 cause (default 16). A channel already gone is not an error. */
  hangup(cause?: number): Promise<void>;
  /** One of Atende's own prompts, e.g. `prompt('atende-welcome')` → `{kind:'file', path}`. */
  prompt(name: string, lang?: string): Media;
  /** Events about this leg's channel (DTMF, state…), until it ends; returns the unsubscribe function. */
  onEvent(listener: (event: TelephonyEvent) => void): () => void;
  /** Keeps in the leg's record which trunk carried the call and what every trunk tried did. */
  recordRouting(trunkRef: string | null, attempts: TrunkAttempt[]): void;
}

/**
 * The flow that runs one leg, chosen by entry kind. When `run` returns (or throws) the session
 * hangs up whatever is still up. A later IVR / queue / dialer engine registers its own.
 */
export interface CallHandler {
  readonly name: string;
  run(call: CallContext): Promise<void>;
}

export type CallHandlers = Partial<Record<KnownEntry['kind'], CallHandler>>;

/**
 * Legs a previous run of the daemon left in the app that may carry on instead of being hung up
 * (a queue's waiting callers after a restart): asked by reconciliation for each such leg.
 */
export interface CallResumer {
  /** The flow that carries on the leg of `callId`, or undefined to hang it up. */
  resume(callId: string, tenantId: TenantId): CallHandler | undefined;
  /** A reconciliation is over: whatever was not resumed by now never will be. */
  settled(): void;
}

/** Which tenant owns a leg: for an inbound call the DID decides (inbound routes), for a phone its extension. */
export interface TenantResolver {
  forInbound(did: string, trunkRef: string): TenantId | undefined | Promise<TenantId | undefined>;
  /** Entries that are not inbound and do not belong to a known call (internal, dialer, e2e), with the channel they came on. */
  forEntry(entry: StasisEntry, channel: ChannelSnapshot): TenantId | undefined | Promise<TenantId | undefined>;
  /** The Q.850 cause a leg no tenant owns is refused with (an unknown DID); default 1. */
  rejectCause?(entry: KnownEntry): number;
}

/** Pure rules of call legs: direction, parties, state transitions, reconciliation. No I/O. */
import type { LiveEvent } from '../kernel/index.js';
import type { ChannelSnapshot, HangupInfo, TelephonyEvent } from '../telephony/call-control.js';
import { callSortKeys, type CallDirection, type CallRecord, type CallSort, type CallSortKey, type CallState, type CallView, type HangupBy } from './calls.model.js';
import { baseEntry, stasisArgsOf, type KnownEntry, type PlainEntry } from './stasis-args.js';

const directions: Record<PlainEntry['kind'], CallDirection> = {
  inbound: 'inbound',
  internal: 'internal',
  dialer: 'outbound',
  agent: 'internal',
  outbound: 'outbound',
  snoop: 'internal',
  e2e: 'internal',
};

export const directionOf = (entry: KnownEntry): CallDirection => directions[baseEntry(entry).kind];

/** Legs Atende itself created (originate, snoop); the rest came in through the dialplan. */
export function isOriginatedLeg(entry: KnownEntry, originatedFlag: boolean): boolean {
  if (originatedFlag) return true;
  const k = baseEntry(entry).kind;
  return k === 'dialer' || k === 'agent' || k === 'outbound' || k === 'snoop';
}

/** `PJSIP/1001-0000002a` → `1001`; `DAHDI/i1/011999-1` → `011999`. */
export function peerOfChannelName(name: string): string {
  const m = /^[A-Za-z0-9]+\/(?:[a-z]\d+\/|g\d+\/)?([^-@/]+)/.exec(name);
  return m?.[1] ?? '';
}

export interface Parties {
  from: string;
  fromName: string | null;
  to: string;
  trunkRef: string | null;
}

/**
 * Who called whom. For legs that came in, the caller id and what was dialled; for legs Atende
 * originated, the caller id it presented and the party it reached (connected line, else the
 * peer named in the channel).
 */
export function partiesOf(entry: KnownEntry, channel: ChannelSnapshot, originated: boolean): Parties {
  const base = baseEntry(entry);
  const callerName = channel.caller.name.trim() || null;
  if (base.kind === 'inbound') {
    return { from: channel.caller.number, fromName: callerName, to: base.did, trunkRef: base.trunkRef };
  }
  if (base.kind === 'internal') {
    // A phone Atende rang for a call it places from the desk (click-to-call) shows the number
    // it calls as its caller id: the call is still the phone's own.
    if (originated) return { from: peerOfChannelName(channel.name), fromName: null, to: base.exten, trunkRef: null };
    return {
      from: channel.caller.number || peerOfChannelName(channel.name),
      fromName: callerName,
      to: base.exten,
      trunkRef: null,
    };
  }
  if (isOriginatedLeg(entry, originated)) {
    return {
      from: channel.caller.number,
      fromName: callerName,
      to: channel.connected.number || peerOfChannelName(channel.name),
      trunkRef: null,
    };
  }
  return { from: channel.caller.number, fromName: callerName, to: channel.dialplan.exten, trunkRef: null };
}

export function hangupByOf(info: Pick<HangupInfo, 'by'>, originated: boolean): HangupBy {
  if (info.by === 'atende') return 'atende';
  return originated ? 'far_end' : 'caller';
}

/** The state a leg starts in, from the channel state when it entered the app. */
export const initialStateOf = (channel: Pick<ChannelSnapshot, 'state'>): Exclude<CallState, 'ended'> =>
  channel.state === 'Up' ? 'in_progress' : 'ringing';

export interface LegStatus {
  state: CallState;
  answeredAt: number | null;
  endedAt: number | null;
  hangup: HangupInfo | null;
}

/** What to write when an event moves a leg. */
export type LegChange = { kind: 'answered'; at: number } | { kind: 'ended'; at: number; hangup: HangupInfo } | undefined;

/** One step of a leg's state machine: ringing → in_progress → ended; `ended` is final. */
export function stepLeg(leg: LegStatus, event: TelephonyEvent): { leg: LegStatus; change: LegChange } {
  if (leg.state === 'ended') return { leg, change: undefined };
  switch (event.type) {
    case 'CallAnswered':
      if (leg.state === 'in_progress') return { leg, change: undefined };
      return { leg: { ...leg, state: 'in_progress', answeredAt: event.at }, change: { kind: 'answered', at: event.at } };
    case 'CallStateChanged':
      if (event.state !== 'Up' || leg.state === 'in_progress') return { leg, change: undefined };
      return { leg: { ...leg, state: 'in_progress', answeredAt: event.at }, change: { kind: 'answered', at: event.at } };
    case 'CallEnded':
      return {
        leg: { ...leg, state: 'ended', endedAt: event.at, hangup: event.hangup },
        change: { kind: 'ended', at: event.at, hangup: event.hangup },
      };
    default:
      return { leg, change: undefined };
  }
}

/**
 * When a leg that ended unseen (a crash, an outage) was last known alive: its heartbeat, or
 * failing that its answer or its start. The real end lies between that and the moment it was
 * found gone; the record keeps the moment that is known.
 */
export function lastKnownAlive(row: { startedAt: number; answeredAt: number | null; aliveAt: number | null }): number {
  return Math.max(row.startedAt, row.answeredAt ?? 0, row.aliveAt ?? 0);
}

export interface ReconcileInput {
  app: string;
  /** Sessions that existed before the channel list was taken. */
  sessions: readonly { callId: string; channelId: string }[];
  channels: readonly ChannelSnapshot[];
  /** Records still open in the database that no session owns. */
  openRows: readonly { callId: string; channelId: string }[];
}

export interface ReconcilePlan {
  /** Sessions whose channel no longer exists: close them. */
  gone: string[];
  /** Sessions whose channel is alive: keep them. */
  adopt: string[];
  /** Channels in the app that no session owns: hang up and record (with the open row's callId, if any). */
  strangers: { channel: ChannelSnapshot; args: string[]; callId: string | undefined }[];
  /** Open rows with no session and no channel of ours: close them. */
  staleRows: string[];
}

/** Decides what to do after a reconnect or at start, from what Asterisk says it has. */
export function planReconciliation(input: ReconcileInput): ReconcilePlan {
  const live = new Map(input.channels.map((c) => [c.id, c]));
  const owned = new Set(input.sessions.map((s) => s.channelId));
  const rowByChannel = new Map(input.openRows.map((r) => [r.channelId, r.callId]));
  const plan: ReconcilePlan = { gone: [], adopt: [], strangers: [], staleRows: [] };
  for (const s of input.sessions) (live.has(s.channelId) ? plan.adopt : plan.gone).push(s.callId);
  const strangerRows = new Set<string>();
  for (const channel of input.channels) {
    if (owned.has(channel.id)) continue;
    const args = stasisArgsOf(channel.dialplan, input.app);
    if (!args) continue;
    const callId = rowByChannel.get(channel.id);
    if (callId) strangerRows.add(callId);
    plan.strangers.push({ channel, args, callId });
  }
  for (const r of input.openRows) if (!strangerRows.has(r.callId)) plan.staleRows.push(r.callId);
  return plan;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const seconds = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : Math.round((to - from) / 1000);

/** The API's view of a stored leg. */
export function callView(c: CallRecord): CallView {
  return {
    callId: c.callId,
    parentCallId: c.parentCallId,
    channelId: c.channelId,
    channelName: c.channelName,
    kind: c.kind,
    direction: c.direction,
    from: c.from,
    fromName: c.fromName,
    to: c.to,
    trunkRef: c.trunkRef,
    state: c.state,
    startedAt: new Date(c.startedAt).toISOString(),
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    durationSeconds: seconds(c.startedAt, c.endedAt),
    talkSeconds: seconds(c.answeredAt, c.endedAt),
    cause: c.cause,
    causeText: c.causeText,
    hangupBy: c.hangupBy,
    endReason: c.endReason,
    trunkAttempts: c.trunkAttempts,
  };
}

/** What the events socket pushes on the `calls` topic when a leg starts, is answered or ends. */
export function callEvent(kind: 'started' | 'answered' | 'ended', c: CallRecord): LiveEvent {
  return { type: `call.${kind}`, data: { call: callView(c) }, parties: [c.from, c.to] };
}

/**
 * What to look for when someone searches calls by a number typed in any format
 * (`+55 (11) 98765-4321`, `011 98765 4321`, `98765-4321`): its digits, and the same without
 * Brazil's country code or a leading trunk zero, since stored numbers may carry either or
 * neither. Empty when the text has no digit.
 */
export function numberVariants(typed: string): string[] {
  const digits = typed.replace(/\D/g, '');
  if (digits === '') return [];
  const out = new Set([digits]);
  if (digits.startsWith('55') && digits.length >= 12) out.add(digits.slice(2));
  const noZero = digits.replace(/^0+/, '');
  if (noZero.length >= 8 && noZero !== digits) out.add(noZero);
  return [...out];
}

/** `-startedAt` → newest first; `duration` → shortest first. */
export function parseCallSort(sort: string | undefined): CallSort | undefined {
  if (sort === undefined) return undefined;
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as CallSortKey;
  return (callSortKeys as readonly string[]).includes(key) ? { key, descending } : undefined;
}

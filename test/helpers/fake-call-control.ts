/**
 * An in-memory `CallControl` for engine tests (calls, IVR, queues, dialer): no sockets, no
 * Asterisk, time from the test's clock.
 *
 * It behaves like Asterisk where an engine would notice:
 * - it keeps live channels (`listChannels`), bridges, variables, playbacks;
 * - `answer` emits `CallAnswered`; `hangup` removes the channel and emits `CallEnded`
 *   (by 'atende'); operations on a channel that is gone reject with `TelephonyError('not_found')`,
 *   except `hangup`/`stopPlayback`, for which "already gone" is not an error (as the port says);
 * - while the connection is not 'up' every operation rejects with `TelephonyError('unavailable')`;
 * - `play` emits `PlaybackStarted`; it finishes after `mediaDurationMs` on the clock, at once as
 *   'failed' for media reported 'missing', or when the test calls `finishPlayback`;
 * - `collectDigits` uses the same event-driven runner as the adapters (`src/telephony/digits.ts`).
 *
 * Every operation is recorded in `commands` (`ops('hangup')` filters them); `failNext` makes the
 * next call of an operation reject. The test drives the world with `placeInbound`, `enterCall`,
 * `remoteHangup`, `pressDigits`, `answerOriginated`, `failOriginated`, `setConnection`, `emit`.
 * Events are delivered synchronously; `flush()` lets the engine's pending promises run.
 */
import { FakeClock, type Clock } from '../../src/kernel/index.js';
import {
  TelephonyError,
  type BridgeId,
  type CallControl,
  type ChannelId,
  type ChannelSnapshot,
  type CollectDigitsOptions,
  type CollectDigitsResult,
  type ConnectionState,
  type Media,
  type MuteDirection,
  type OriginateRequest,
  type PlaybackId,
  type PlaybackTarget,
  type PlayOptions,
  type RecordOptions,
  type RecordTarget,
  type SnoopRequest,
  type TelephonyEvent,
} from '../../src/telephony/call-control.js';
import { causeText, classifyCause } from '../../src/telephony/causes.js';
import { collectDigitsFromEvents } from '../../src/telephony/digits.js';

export type Operation = Exclude<keyof CallControl, 'onEvent' | 'connectionState'>;

export interface Command {
  op: Operation;
  args: unknown[];
  at: number;
}

export interface FakeCallControlOptions {
  /** The clock events are stamped with and timers run on (default: a new FakeClock). */
  clock?: Clock;
  /** The Stasis app name written into channels' dialplan appData (default 'atende'). */
  app?: string;
  /**
   * How long a medium plays: a number of ms, 'missing' (the playback fails at once, like a
   * missing file), or undefined (the playback runs until `finishPlayback`). Default: undefined.
   */
  mediaDurationMs?: (media: Media) => number | 'missing' | undefined;
  /** `hangup` emits `CallEnded` at once (default true). False: the test ends the leg itself. */
  endOnHangup?: boolean;
}

interface Playback {
  id: PlaybackId;
  target: PlaybackTarget;
  media: Media[];
  cancel?: () => void;
}

let seq = 0;

export class FakeCallControl implements CallControl {
  readonly clock: Clock;
  readonly app: string;
  readonly commands: Command[] = [];
  readonly channels = new Map<ChannelId, ChannelSnapshot>();
  readonly playbacks = new Map<PlaybackId, Playback>();
  readonly bridges = new Map<BridgeId, Set<ChannelId>>();
  readonly variables = new Map<ChannelId, Map<string, string>>();
  readonly recordings = new Map<string, Buffer>();
  private listeners = new Set<(e: TelephonyEvent) => void>();
  private connection: ConnectionState = 'up';
  private failures: { op: Operation; error: Error }[] = [];
  private readonly opts: FakeCallControlOptions;

  constructor(opts: FakeCallControlOptions = {}) {
    this.opts = opts;
    this.clock = opts.clock ?? new FakeClock();
    this.app = opts.app ?? 'atende';
  }

  // ---------------------------------------------------------------- test controls

  /** The recorded calls of one operation. */
  ops(op: Operation): Command[] {
    return this.commands.filter((c) => c.op === op);
  }

  /** The next call of `op` rejects with `error` (default: not_found, as for a vanished channel). */
  failNext(op: Operation, error: Error = new TelephonyError('not_found', `${op}: channel not found`, 404, op)): void {
    this.failures.push({ op, error });
  }

  emit(event: TelephonyEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  /** A channel snapshot with sensible defaults, in the app with `args`. */
  snapshot(args: string[], over: Partial<ChannelSnapshot> = {}): ChannelSnapshot {
    const id = over.id ?? `fake-${++seq}`;
    return {
      name: `PJSIP/trunk-${String(seq).padStart(8, '0')}`,
      state: 'Ring',
      caller: { number: '', name: '' },
      connected: { number: '', name: '' },
      dialplan: { context: 'atende-test', exten: 's', priority: 1, appName: 'Stasis', appData: [this.app, ...args].join(',') },
      createdAt: this.clock.now(),
      ...over,
      id,
    };
  }

  /** A channel enters the app with `args` (CallEntered). */
  enterCall(args: string[], over: Partial<ChannelSnapshot> = {}, originated = false): ChannelSnapshot {
    const channel = this.snapshot(args, over);
    this.channels.set(channel.id, channel);
    this.emit({ type: 'CallEntered', at: this.clock.now(), channel, args, originated });
    return channel;
  }

  /** An inbound call from the public network: `inbound,<did>,<trunkRef>`. */
  placeInbound(did: string, from: string, trunkRef = 'span:1', over: Partial<ChannelSnapshot> = {}): ChannelSnapshot {
    return this.enterCall(['inbound', did, trunkRef], {
      caller: { number: from, name: '' },
      name: trunkRef.startsWith('span:') ? `DAHDI/i${trunkRef.slice(5)}/${did}-1` : `PJSIP/${trunkRef.slice(6)}-0000001`,
      dialplan: { context: 'atende-inbound', exten: did, priority: 1, appName: 'Stasis', appData: [this.app, 'inbound', did, trunkRef].join(',') },
      ...over,
    });
  }

  /** A channel Asterisk has without having told us (e.g. it entered while the daemon was down). */
  addChannel(channel: ChannelSnapshot): void {
    this.channels.set(channel.id, channel);
  }

  /** A channel vanishes without any event reaching us (as during an ARI outage). */
  dropChannel(channelId: ChannelId): void {
    this.stopPlaybacksOf(channelId, false);
    this.channels.delete(channelId);
  }

  /** The far side hangs up. */
  remoteHangup(channelId: ChannelId, cause = 16): void {
    this.end(channelId, cause, 'remote');
  }

  /** Ends a leg with the given party (for `endOnHangup: false`). */
  end(channelId: ChannelId, cause: number, by: 'atende' | 'remote'): void {
    this.stopPlaybacksOf(channelId, true);
    this.channels.delete(channelId);
    this.emit({ type: 'CallEnded', at: this.clock.now(), channelId, hangup: { cause, causeText: causeText(cause), by } });
  }

  pressDigits(channelId: ChannelId, digits: string): void {
    for (const digit of digits) this.emit({ type: 'DtmfReceived', at: this.clock.now(), channelId, digit, durationMs: 100 });
  }

  finishPlayback(playbackId: PlaybackId, reason: 'done' | 'stopped' | 'failed' = 'done'): void {
    const p = this.playbacks.get(playbackId);
    if (!p) return;
    p.cancel?.();
    this.playbacks.delete(playbackId);
    this.emit({ type: 'PlaybackFinished', at: this.clock.now(), playbackId, target: p.target, reason });
  }

  /** Playbacks running on a channel. */
  playingOn(channelId: ChannelId): Playback[] {
    return [...this.playbacks.values()].filter((p) => 'channelId' in p.target && p.target.channelId === channelId);
  }

  /** An originated channel answers: it enters the app (`originated: true`, state Up). */
  answerOriginated(channelId: ChannelId, over: Partial<ChannelSnapshot> = {}): ChannelSnapshot {
    const c = this.channels.get(channelId);
    if (!c) throw new Error(`no originated channel ${channelId}`);
    const channel = { ...c, state: 'Up' as const, ...over };
    this.channels.set(channelId, channel);
    const args = channel.dialplan.appData.split(',').slice(1);
    this.emit({ type: 'CallEntered', at: this.clock.now(), channel, args, originated: true });
    return channel;
  }

  /** An originated channel never answers (busy 17, no answer 19, congestion 34, unallocated 1…). */
  failOriginated(channelId: ChannelId, cause: number): void {
    this.channels.delete(channelId);
    this.emit({ type: 'OriginateFailed', at: this.clock.now(), channelId, cause, reason: classifyCause(cause) });
  }

  setConnection(state: ConnectionState, reason?: string): void {
    this.connection = state;
    this.emit({ type: 'ConnectionChanged', at: this.clock.now(), link: 'ari', state, ...(reason ? { reason } : {}) });
  }

  /** Lets pending promise chains run (no time passes). */
  async flush(rounds = 5): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
  }

  // ---------------------------------------------------------------- CallControl

  private begin(op: Operation, args: unknown[]): void {
    this.commands.push({ op, args, at: this.clock.now() });
    if (this.connection !== 'up') throw new TelephonyError('unavailable', 'not connected to Asterisk', undefined, op);
    const i = this.failures.findIndex((f) => f.op === op);
    if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
  }

  private live(op: Operation, channelId: ChannelId): ChannelSnapshot {
    const c = this.channels.get(channelId);
    if (!c) throw new TelephonyError('not_found', `Channel not found: ${channelId}`, 404, op);
    return c;
  }

  private stopPlaybacksOf(channelId: ChannelId, notify: boolean): void {
    for (const p of this.playingOn(channelId)) {
      if (notify) this.finishPlayback(p.id, 'stopped');
      else {
        p.cancel?.();
        this.playbacks.delete(p.id);
      }
    }
  }

  async answer(channelId: ChannelId): Promise<void> {
    this.begin('answer', [channelId]);
    const c = this.live('answer', channelId);
    if (c.state === 'Up') return;
    this.channels.set(channelId, { ...c, state: 'Up' });
    this.emit({ type: 'CallAnswered', at: this.clock.now(), channelId });
  }

  async hangup(channelId: ChannelId, cause = 16): Promise<void> {
    this.begin('hangup', [channelId, cause]);
    if (!this.channels.has(channelId)) return;
    if (this.opts.endOnHangup === false) return;
    this.end(channelId, cause, 'atende');
  }

  async ring(channelId: ChannelId): Promise<void> {
    this.begin('ring', [channelId]);
    this.live('ring', channelId);
  }

  async stopRinging(channelId: ChannelId): Promise<void> {
    this.begin('stopRinging', [channelId]);
    this.live('stopRinging', channelId);
  }

  async play(target: PlaybackTarget, media: Media[], options: PlayOptions = {}): Promise<PlaybackId> {
    this.begin('play', [target, media, options]);
    if ('channelId' in target) this.live('play', target.channelId);
    else if (!this.bridges.has(target.bridgeId)) throw new TelephonyError('not_found', 'Bridge not found', 404, 'play');
    const id = options.id ?? `playback-${++seq}`;
    const playback: Playback = { id, target, media };
    this.playbacks.set(id, playback);
    this.emit({ type: 'PlaybackStarted', at: this.clock.now(), playbackId: id, target });
    const durations = media.map((m) => this.opts.mediaDurationMs?.(m));
    if (durations.includes('missing')) this.finishPlayback(id, 'failed');
    else if (durations.every((d) => typeof d === 'number')) {
      const total = (durations as number[]).reduce((a, b) => a + b, 0);
      const timer = this.clock.setTimeout(() => this.finishPlayback(id, 'done'), total);
      playback.cancel = () => timer.cancel();
    }
    return id;
  }

  async stopPlayback(playbackId: PlaybackId): Promise<void> {
    this.begin('stopPlayback', [playbackId]);
    this.finishPlayback(playbackId, 'stopped');
  }

  collectDigits(channelId: ChannelId, options: CollectDigitsOptions): Promise<CollectDigitsResult> {
    this.commands.push({ op: 'collectDigits', args: [channelId, options], at: this.clock.now() });
    return collectDigitsFromEvents(
      { onEvent: (l) => this.onEvent(l), clock: this.clock, isGone: (id) => !this.channels.has(id) },
      channelId,
      options,
    );
  }

  async sendDtmf(channelId: ChannelId, digits: string): Promise<void> {
    this.begin('sendDtmf', [channelId, digits]);
    this.live('sendDtmf', channelId);
  }

  async record(target: RecordTarget, options: RecordOptions): Promise<void> {
    this.begin('record', [target, options]);
    if ('channelId' in target) this.live('record', target.channelId);
    this.emit({ type: 'RecordingStarted', at: this.clock.now(), name: options.name, target });
  }

  async stopRecording(name: string): Promise<void> {
    this.begin('stopRecording', [name]);
    const started = this.ops('record').find((c) => (c.args[1] as RecordOptions).name === name);
    if (!started) throw new TelephonyError('not_found', `Recording not found: ${name}`, 404, 'stopRecording');
    const durationSeconds = Math.round((this.clock.now() - started.at) / 1000);
    this.recordings.set(name, Buffer.alloc(0));
    this.emit({ type: 'RecordingFinished', at: this.clock.now(), name, target: started.args[0] as RecordTarget, durationSeconds, failed: false });
  }

  async getRecording(name: string): Promise<Buffer> {
    this.begin('getRecording', [name]);
    const r = this.recordings.get(name);
    if (!r) throw new TelephonyError('not_found', `Recording not found: ${name}`, 404, 'getRecording');
    return r;
  }

  async hold(channelId: ChannelId): Promise<void> {
    this.begin('hold', [channelId]);
    this.live('hold', channelId);
  }

  async unhold(channelId: ChannelId): Promise<void> {
    this.begin('unhold', [channelId]);
    this.live('unhold', channelId);
  }

  async mute(channelId: ChannelId, direction: MuteDirection): Promise<void> {
    this.begin('mute', [channelId, direction]);
    this.live('mute', channelId);
  }

  async unmute(channelId: ChannelId, direction: MuteDirection): Promise<void> {
    this.begin('unmute', [channelId, direction]);
    this.live('unmute', channelId);
  }

  async startMoh(target: PlaybackTarget, mohClass?: string): Promise<void> {
    this.begin('startMoh', [target, mohClass]);
    if ('channelId' in target) this.live('startMoh', target.channelId);
  }

  async stopMoh(target: PlaybackTarget): Promise<void> {
    this.begin('stopMoh', [target]);
    if ('channelId' in target) this.live('stopMoh', target.channelId);
  }

  /** Creates the channel (state Down) and returns its id; the test decides the outcome. */
  async originate(request: OriginateRequest): Promise<ChannelId> {
    this.begin('originate', [request]);
    const channel = this.snapshot(request.appArgs, {
      id: request.id,
      name: `${request.endpoint.split('@')[0]}-${String(seq).padStart(8, '0')}`,
      state: 'Down',
      caller: { number: request.callerId?.number ?? '', name: request.callerId?.name ?? '' },
    });
    this.channels.set(channel.id, channel);
    return channel.id;
  }

  async createBridge(options: { id?: BridgeId; name?: string } = {}): Promise<BridgeId> {
    this.begin('createBridge', [options]);
    const id = options.id ?? `bridge-${++seq}`;
    if (this.bridges.has(id)) throw new TelephonyError('conflict', 'Bridge with given unique ID already exists', 409, 'createBridge');
    this.bridges.set(id, new Set());
    return id;
  }

  async destroyBridge(bridgeId: BridgeId): Promise<void> {
    this.begin('destroyBridge', [bridgeId]);
    const members = this.bridges.get(bridgeId);
    if (!members) throw new TelephonyError('not_found', 'Bridge not found', 404, 'destroyBridge');
    for (const channelId of members) this.emit({ type: 'BridgeLeft', at: this.clock.now(), bridgeId, channelId });
    this.bridges.delete(bridgeId);
  }

  async addToBridge(bridgeId: BridgeId, channelId: ChannelId): Promise<void> {
    this.begin('addToBridge', [bridgeId, channelId]);
    this.live('addToBridge', channelId);
    const members = this.bridges.get(bridgeId);
    if (!members) throw new TelephonyError('not_found', 'Bridge not found', 404, 'addToBridge');
    members.add(channelId);
    this.emit({ type: 'BridgeEntered', at: this.clock.now(), bridgeId, channelId });
  }

  async removeFromBridge(bridgeId: BridgeId, channelId: ChannelId): Promise<void> {
    this.begin('removeFromBridge', [bridgeId, channelId]);
    const members = this.bridges.get(bridgeId);
    if (!members?.delete(channelId)) throw new TelephonyError('not_found', 'Channel not in bridge', 404, 'removeFromBridge');
    this.emit({ type: 'BridgeLeft', at: this.clock.now(), bridgeId, channelId });
  }

  /** Creates the snoop channel and lets it enter the app at once (as Asterisk does). */
  async snoop(channelId: ChannelId, request: SnoopRequest): Promise<ChannelId> {
    this.begin('snoop', [channelId, request]);
    const target = this.live('snoop', channelId);
    const channel = this.enterCall(request.appArgs, { id: request.id, name: `Snoop/${target.id}-${seq}`, state: 'Up' }, true);
    return channel.id;
  }

  async setVariable(channelId: ChannelId, name: string, value: string): Promise<void> {
    this.begin('setVariable', [channelId, name, value]);
    this.live('setVariable', channelId);
    if (!this.variables.has(channelId)) this.variables.set(channelId, new Map());
    this.variables.get(channelId)!.set(name, value);
    this.emit({ type: 'VariableSet', at: this.clock.now(), channelId, name, value });
  }

  async getVariable(channelId: ChannelId, name: string): Promise<string | undefined> {
    this.begin('getVariable', [channelId, name]);
    this.live('getVariable', channelId);
    return this.variables.get(channelId)?.get(name);
  }

  async continueInDialplan(channelId: ChannelId, to: { context: string; extension: string; priority?: number }): Promise<void> {
    this.begin('continueInDialplan', [channelId, to]);
    const c = this.live('continueInDialplan', channelId);
    this.channels.set(channelId, {
      ...c,
      dialplan: { context: to.context, exten: to.extension, priority: to.priority ?? 1, appName: '', appData: '' },
    });
  }

  async listChannels(): Promise<ChannelSnapshot[]> {
    this.begin('listChannels', []);
    return [...this.channels.values()].map((c) => structuredClone(c));
  }

  onEvent(listener: (event: TelephonyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connectionState(): ConnectionState {
    return this.connection;
  }
}

/**
 * The Stasis application's engine: one `CallSession` per leg that enters the app, each running
 * the `CallHandler` of its entry kind against the `CallControl` port, and writing the leg's call
 * record as it moves (entered → answered → ended, exactly once).
 */
import { newCallId, newId, type CallId, type Clock, type EventPublisher, type Logger, type TenantId, type Timer } from '../kernel/index.js';
import {
  TelephonyError,
  type CallControl,
  type ChannelId,
  type ChannelSnapshot,
  type EventOf,
  type HangupInfo,
  type Media,
  type PlaybackId,
  type TelephonyEvent,
} from '../telephony/call-control.js';
import { causeText } from '../telephony/causes.js';
import {
  callEvent,
  directionOf,
  hangupByOf,
  initialStateOf,
  isOriginatedLeg,
  partiesOf,
  stepLeg,
  type LegStatus,
} from './calls.logic.js';
import {
  EndReason,
  type ActiveCall,
  type CallRecord,
  type CallContext,
  type CallHandler,
  type CallHandlers,
  type CallResumer,
  type PlayOutcome,
  type TenantResolver,
  type TrunkAttempt,
} from './calls.model.js';
import type { CallClosing, CallsRepo, NewCall } from './calls.repo.js';
import { runReconciliation } from './calls.reconcile.js';
import { hangupWith, noFlowYet } from './handlers.js';
import { promptMedia } from './sounds.js';
import { parentCallIdOf, parseStasisArgs, type KnownEntry } from './stasis-args.js';

export interface CallsEngineDeps {
  control: CallControl;
  repo: CallsRepo;
  logger: Logger;
  clock: Clock;
  /** The Stasis application name (config.asterisk.ari.app). */
  app: string;
  /** Absolute directory of Atende's prompts, as Asterisk can read it. */
  soundsDir: string;
  tenantResolver: TenantResolver;
  handlers: CallHandlers;
  /** A playback with no news for this long counts as failed (an event lost in a reconnect). */
  playbackGuardMs?: number;
  /** After hanging up at shutdown, how long to wait for Asterisk to confirm before closing records anyway. */
  hangupConfirmMs?: number;
  /** How often live legs are marked alive in their records (default 30 s). */
  heartbeatMs?: number;
  /** Where call started / answered / ended are published (the events socket's `calls` topic). */
  events?: EventPublisher;
  /** Legs of a previous run that carry on (a queue's callers); the others found in the app are hung up. */
  resumer?: CallResumer;
}

/** A crash loses at most this much of a call's recorded length. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

const isGone = (e: unknown): boolean => e instanceof TelephonyError && e.code === 'not_found';

/** The channel an event is about, if any. */
function channelOfEvent(e: TelephonyEvent): ChannelId | undefined {
  switch (e.type) {
    case 'PlaybackStarted':
    case 'PlaybackFinished':
    case 'RecordingStarted':
    case 'RecordingFinished':
      return 'channelId' in e.target ? e.target.channelId : undefined;
    case 'CallEntered':
      return e.channel.id;
    case 'ConnectionChanged':
      return undefined;
    default:
      return e.channelId;
  }
}

interface SessionInit {
  callId: CallId;
  entry: KnownEntry;
  channel: ChannelSnapshot;
  originated: boolean;
  startedAt: number;
  handler: CallHandler;
  endReason: string;
  /** The record already exists (a row left open by a previous run). */
  existingTenant?: TenantId;
}

/** One leg in the app. Implements the `CallContext` that its handler sees. */
export class CallSession implements CallContext {
  readonly callId: CallId;
  readonly entry: KnownEntry;
  readonly channel: ChannelSnapshot;
  log: Logger;
  readonly clock: Clock;
  readonly control: CallControl;
  readonly whenEnded: Promise<HangupInfo | undefined>;
  readonly startedAt: number;
  /** Creation order, so reconciliation leaves alone sessions newer than its channel list. */
  readonly seq: number;
  /** Written as the record's end reason when the leg ends; shutdown/reconciliation change it. */
  endReason: string;

  private tenant: TenantId | undefined;
  private status: LegStatus;
  private persisted = false;
  private closed = false;
  /** A close that happened before the record could be written (tenant still being resolved). */
  private pendingClosing: CallClosing | undefined;
  /** The stored record as this session last wrote it (what the events socket is told). */
  private record: CallRecord | undefined;
  private flowDone = false;
  private requestedCause: number | undefined;
  /** Asterisk accepted our hangup: the leg's end event is on its way, no second request. */
  private hangupAccepted = false;
  private readonly originated: boolean;
  private readonly handler: CallHandler;
  private readonly listeners = new Set<(e: TelephonyEvent) => void>();
  private readonly playWaiters = new Map<PlaybackId, (o: PlayOutcome) => void>();
  private resolveEnded!: (h: HangupInfo | undefined) => void;

  constructor(
    private readonly engine: CallsEngine,
    init: SessionInit,
    seq: number,
  ) {
    this.callId = init.callId;
    this.entry = init.entry;
    this.channel = init.channel;
    this.originated = init.originated;
    this.handler = init.handler;
    this.endReason = init.endReason;
    this.startedAt = init.startedAt;
    this.seq = seq;
    this.clock = engine.deps.clock;
    this.control = engine.deps.control;
    this.tenant = init.existingTenant;
    this.persisted = init.existingTenant !== undefined;
    const state = initialStateOf(init.channel);
    this.status = { state, answeredAt: state === 'in_progress' ? init.startedAt : null, endedAt: null, hangup: null };
    this.log = engine.deps.logger.child({ callId: this.callId, channelId: init.channel.id });
    this.whenEnded = new Promise((r) => (this.resolveEnded = r));
  }

  get tenantId(): TenantId {
    if (this.tenant === undefined) throw new Error('tenant not resolved yet');
    return this.tenant;
  }

  /** Its record exists and is still open. */
  get recorded(): boolean {
    return this.persisted && !this.closed;
  }

  get ended(): boolean {
    return this.closed;
  }

  get channelId(): ChannelId {
    return this.channel.id;
  }

  summary(): ActiveCall {
    return {
      callId: this.callId,
      tenantId: this.tenant,
      channelId: this.channel.id,
      kind: this.entry.kind,
      state: this.status.state,
      startedAt: this.startedAt,
    };
  }

  /** Resolves the tenant, opens the record and runs the flow. Never rejects. */
  async start(): Promise<void> {
    if (this.tenant === undefined) {
      let tenant: TenantId | undefined;
      try {
        tenant = await this.engine.tenantFor(this.entry, this.channel);
      } catch (err) {
        this.log.error({ err }, 'tenant resolution failed');
      }
      if (tenant === undefined) {
        const cause = this.engine.rejectCause(this.entry);
        this.log.warn({ entry: this.entry, caller: this.channel.caller.number, cause }, `no tenant owns this call; refusing it (cause ${cause})`);
        this.engine.forget(this);
        this.closed = true;
        this.resolveEnded(undefined);
        await this.control.hangup(this.channel.id, cause).catch((err: unknown) => {
          if (!isGone(err)) this.log.warn({ err }, 'hangup failed');
        });
        return;
      }
      this.tenant = tenant;
      this.log = this.log.child({ tenantId: tenant });
      this.persist();
    }
    if (this.closed) return;
    this.log.info({ kind: this.entry.kind, handler: this.handler.name, caller: this.channel.caller.number }, 'call entered');
    try {
      await this.handler.run(this);
    } catch (err) {
      if (isGone(err)) this.log.debug('channel gone during the flow');
      else this.log.warn({ err }, 'call flow failed');
    }
    this.flowDone = true;
    await this.finishFlow();
  }

  /** After the flow: whatever is still up is hung up. */
  private async finishFlow(): Promise<void> {
    if (this.closed || this.hangupAccepted) return;
    if (this.control.connectionState() !== 'up') {
      this.log.warn('Asterisk unreachable after the flow; the hangup is left to reconciliation');
      return;
    }
    try {
      await this.hangup(this.requestedCause ?? 16);
    } catch (err) {
      // Asterisk unreachable: the next reconciliation hangs it up or closes it.
      this.log.warn({ err }, 'hangup after the flow failed; left to reconciliation');
    }
  }

  private persist(): void {
    if (this.persisted || this.tenant === undefined) return;
    const parties = partiesOf(this.entry, this.channel, this.originated);
    const opened: NewCall = {
      callId: this.callId,
      tenantId: this.tenant,
      parentCallId: parentCallIdOf(this.entry) ?? null,
      channelId: this.channel.id,
      channelName: this.channel.name || null,
      kind: this.entry.kind === 'amd' ? this.entry.original.kind : this.entry.kind,
      direction: directionOf(this.entry),
      ...parties,
      state: this.status.state === 'in_progress' ? 'in_progress' : 'ringing',
      startedAt: this.startedAt,
      answeredAt: this.status.answeredAt,
    };
    try {
      this.engine.deps.repo.insert(opened);
      this.persisted = true;
    } catch (err) {
      this.log.error({ err }, 'could not write the call record');
      return;
    }
    this.record = { ...opened, endedAt: null, cause: null, causeText: null, hangupBy: null, endReason: null, trunkAttempts: null };
    this.engine.notify('started', this.record);
    if (this.pendingClosing) this.writeClosing(this.pendingClosing);
  }

  /** Closes the stored record and tells the browsers; once. */
  private writeClosing(closing: CallClosing): void {
    try {
      if (!this.engine.deps.repo.close(this.callId, closing)) {
        this.log.warn('call record was already closed');
        return;
      }
    } catch (err) {
      this.log.error({ err }, 'could not close the call record');
      return;
    }
    if (!this.record) {
      // A previous run's record this session took over: what it holds is only in the database.
      this.engine.announceEnded(this.callId);
      return;
    }
    this.record = { ...this.record, ...closing, state: 'ended' };
    this.engine.notify('ended', this.record);
  }

  /** An event about this leg's channel. */
  handle(event: TelephonyEvent): void {
    const prev = this.status.state;
    const { leg, change } = stepLeg(this.status, event);
    this.status = leg;
    if (change) this.log.debug(`${prev} —${event.type}→ ${leg.state}`);
    if (change?.kind === 'answered' && this.persisted) {
      try {
        this.engine.deps.repo.markAnswered(this.callId, change.at);
        if (this.record?.state === 'ringing') {
          this.record = { ...this.record, state: 'in_progress', answeredAt: change.at };
          this.engine.notify('answered', this.record);
        }
      } catch (err) {
        this.log.error({ err }, 'could not write the answer time');
      }
    }
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.log.error({ err }, 'call event listener failed');
      }
    }
    if (change?.kind === 'ended') {
      this.close({
        endedAt: change.at,
        cause: change.hangup.cause,
        causeText: change.hangup.causeText,
        hangupBy: hangupByOf(change.hangup, this.originated),
        endReason: this.endReason,
      }, change.hangup);
    }
  }

  /**
   * Closes the leg without a hangup event (channel gone, shutdown), with the last cause known;
   * `endedAt` when it ended unseen (the last moment it was known alive), else now.
   */
  closeWithoutEvent(reason: string, endedAt = this.clock.now()): void {
    const cause = this.requestedCause ?? null;
    const end = Math.max(endedAt, this.status.answeredAt ?? this.startedAt, this.startedAt);
    this.status = { ...this.status, state: 'ended', endedAt: end };
    this.close({
      endedAt: end,
      cause,
      causeText: cause === null ? null : causeText(cause),
      hangupBy: cause === null ? null : 'atende',
      endReason: reason,
    });
  }

  private close(closing: CallClosing, hangup?: HangupInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.forget(this);
    if (this.persisted) this.writeClosing(closing);
    else this.pendingClosing = closing;
    for (const settle of this.playWaiters.values()) settle('hangup');
    this.playWaiters.clear();
    this.listeners.clear();
    this.log.info(
      { cause: closing.cause, hangupBy: closing.hangupBy, reason: closing.endReason, durationMs: closing.endedAt - this.startedAt },
      'call ended',
    );
    this.resolveEnded(hangup);
  }

  /** Reconciliation found the channel alive: keep going; if the flow is already over, hang up again. */
  adopted(): void {
    this.log.info('channel still alive after reconciliation; session adopted');
    if (this.flowDone) {
      // Alive after Asterisk had accepted our hangup: that hangup was lost, ask again.
      this.hangupAccepted = false;
      void this.finishFlow();
    }
  }

  // ---- CallContext ----

  async answer(): Promise<'ok' | 'gone'> {
    if (this.closed) return 'gone';
    try {
      await this.control.answer(this.channel.id);
      return 'ok';
    } catch (err) {
      if (isGone(err)) return 'gone';
      throw err;
    }
  }

  async hangup(cause = 16): Promise<void> {
    if (this.closed) return;
    this.requestedCause = cause;
    try {
      await this.control.hangup(this.channel.id, cause);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    this.hangupAccepted = true;
  }

  prompt(name: string, lang?: string): Media {
    return promptMedia(this.engine.deps.soundsDir, name, lang);
  }

  recordRouting(trunkRef: string | null, attempts: TrunkAttempt[]): void {
    if (!this.persisted) return;
    try {
      this.engine.deps.repo.setRouting(this.callId, trunkRef, attempts);
      if (this.record) this.record = { ...this.record, trunkRef, trunkAttempts: attempts };
    } catch (err) {
      this.log.error({ err }, 'could not write the trunks the call tried');
    }
  }

  onEvent(listener: (event: TelephonyEvent) => void): () => void {
    if (this.closed) return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async play(media: Media[]): Promise<PlayOutcome> {
    if (this.closed) return 'hangup';
    const id = newId();
    const guard: Timer = this.clock.setTimeout(() => {
      this.log.warn({ playbackId: id }, 'no news of the playback; counting it as failed');
      this.settlePlayback(id, 'failed');
    }, this.engine.deps.playbackGuardMs ?? 10 * 60_000);
    const outcome = new Promise<PlayOutcome>((resolve) => {
      this.playWaiters.set(id, (o) => {
        guard.cancel();
        this.playWaiters.delete(id);
        this.engine.playbackDone(id);
        resolve(o);
      });
    });
    this.engine.playbackStarted(id, this);
    try {
      await this.control.play({ channelId: this.channel.id }, media, { id });
    } catch (err) {
      if (isGone(err)) this.settlePlayback(id, 'hangup');
      else {
        this.log.warn({ err, media }, 'playback refused');
        this.settlePlayback(id, 'failed');
      }
    }
    return outcome;
  }

  settlePlayback(id: PlaybackId, outcome: PlayOutcome): void {
    this.playWaiters.get(id)?.(outcome);
  }
}

/** Routes port events to sessions and owns their lifecycle; see `createCallsApp` for the public face. */
export class CallsEngine {
  private readonly byChannel = new Map<ChannelId, CallSession>();
  private readonly playbacks = new Map<PlaybackId, CallSession>();
  private readonly starting = new Set<Promise<void>>();
  private accepting = false;
  private seq = 0;
  private unsubscribe: (() => void) | undefined;
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private stopping: Promise<void> | undefined;
  private heartbeat: Timer | undefined;
  /** When the ARI link went down, until a reconciliation after its return has judged the sessions. */
  linkLostAt: number | undefined;
  readonly log: Logger;

  constructor(readonly deps: CallsEngineDeps) {
    this.log = deps.logger.child({ component: 'calls' });
  }

  /** Subscribes to the port and, if Asterisk is reachable, reconciles at once (else on the first `up`). */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    this.accepting = true;
    this.unsubscribe = this.deps.control.onEvent((e) => this.dispatch(e));
    this.beat();
    if (this.deps.control.connectionState() === 'up') await this.reconcile('start');
    else this.log.info('ARI not connected yet; reconciling when it comes up');
  }

  /** Stops taking calls, lets live ones finish for up to `graceMs`, then hangs up the rest. */
  stop(graceMs: number): Promise<void> {
    return (this.stopping ??= this.shutdown(graceMs));
  }

  /** Every `heartbeatMs`, while Asterisk is reachable, the live legs' records learn they are alive. */
  private beat(): void {
    this.heartbeat = this.deps.clock.setTimeout(() => {
      if (this.deps.control.connectionState() === 'up') {
        const live = [...this.byChannel.values()].filter((s) => s.recorded).map((s) => s.callId);
        try {
          if (live.length > 0) this.deps.repo.markAlive(live, this.deps.clock.now());
        } catch (err) {
          this.log.warn({ err }, 'could not mark live calls alive');
        }
      }
      this.beat();
    }, this.deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    this.heartbeat?.cancel();
    const live = this.byChannel.size;
    this.log.info({ live, graceMs }, 'calls: not taking new calls; letting live calls finish');
    await this.allEndedWithin(graceMs);
    const rest = [...this.byChannel.values()];
    if (rest.length > 0) {
      this.log.info({ count: rest.length }, 'grace period over; hanging up the remaining calls');
      await Promise.allSettled(
        rest.map(async (s) => {
          s.endReason = EndReason.shutdown;
          try {
            await s.hangup(16);
          } catch (err) {
            s.log.warn({ err }, 'hangup at shutdown failed');
          }
        }),
      );
      await this.allEndedWithin(this.deps.hangupConfirmMs ?? 2000);
      for (const s of [...this.byChannel.values()]) s.closeWithoutEvent(EndReason.shutdown);
    }
    await Promise.allSettled([...this.starting]);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.log.info('calls: stopped');
  }

  private allEndedWithin(ms: number): Promise<void> {
    const sessions = [...this.byChannel.values()];
    if (sessions.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimeout(resolve, ms);
      void Promise.all(sessions.map((s) => s.whenEnded)).then(() => {
        timer.cancel();
        resolve();
      });
    });
  }

  /** Publishes a leg's change on the `calls` topic of its tenant. */
  notify(kind: 'started' | 'answered' | 'ended', record: CallRecord): void {
    try {
      this.deps.events?.publish('calls', record.tenantId, callEvent(kind, record));
    } catch (err) {
      this.log.error({ err, callId: record.callId }, 'could not publish a call event');
    }
  }

  /** Publishes `call.ended` for a record as stored (closed outside a session's own bookkeeping). */
  announceEnded(callId: string): void {
    const tenantId = this.deps.repo.tenantOf(callId);
    const record = tenantId === undefined ? undefined : this.deps.repo.get(tenantId, callId);
    if (record) this.notify('ended', record);
  }

  activeCalls(): ActiveCall[] {
    return [...this.byChannel.values()].map((s) => s.summary());
  }

  sessions(): CallSession[] {
    return [...this.byChannel.values()];
  }

  sessionByCallId(callId: string): CallSession | undefined {
    return [...this.byChannel.values()].find((s) => s.callId === callId);
  }

  hasChannel(channelId: ChannelId): boolean {
    return this.byChannel.has(channelId);
  }

  nextSeq(): number {
    return this.seq;
  }

  /** Reconciles against the channels Asterisk has; concurrent requests coalesce into one more run. */
  reconcile(why: string): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.reconcileAgain = false;
        try {
          const done = await runReconciliation(this, why);
          if (done && this.deps.control.connectionState() === 'up') this.linkLostAt = undefined;
          if (done) this.deps.resumer?.settled();
        } catch (err) {
          this.log.error({ err }, 'reconciliation failed');
        }
      } while (this.reconcileAgain);
    })().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private dispatch(e: TelephonyEvent): void {
    try {
      if (e.type === 'CallEntered') return this.entered(e);
      if (e.type === 'ConnectionChanged') {
        if (e.link !== 'ari') return;
        this.log.info({ state: e.state, reason: e.reason }, 'ARI connection changed');
        if (e.state !== 'up') this.linkLostAt ??= e.at;
        if (e.state === 'up' && this.unsubscribe) void this.reconcile('ari reconnected');
        return;
      }
      if (e.type === 'PlaybackFinished') {
        const owner = this.playbacks.get(e.playbackId);
        owner?.settlePlayback(e.playbackId, e.reason);
      }
      const channelId = channelOfEvent(e);
      const session =
        (channelId !== undefined ? this.byChannel.get(channelId) : undefined) ??
        ('playbackId' in e ? this.playbacks.get(e.playbackId) : undefined);
      session?.handle(e);
    } catch (err) {
      this.log.error({ err, event: e.type }, 'event handling failed');
    }
  }

  private entered(e: EventOf<'CallEntered'>): void {
    const existing = this.byChannel.get(e.channel.id);
    if (existing) {
      // Back from the AMD context, or a repeated StasisStart after a reconnect: same leg.
      existing.handle(e);
      return;
    }
    this.admit(e.channel, e.args, { originated: e.originated, startedAt: e.at });
  }

  /**
   * Starts a session for a channel in the app. `stranger` legs (found by reconciliation, no
   * session) carry on when the resumer takes them (under the previous run's record), and are
   * otherwise hung up and recorded, reusing the open record of a previous run when there is one.
   */
  admit(
    channel: ChannelSnapshot,
    args: string[],
    opts: { originated: boolean; startedAt: number; stranger?: { callId?: string; tenantId?: TenantId } },
  ): void {
    const entry = parseStasisArgs(args);
    if (entry.kind === 'unknown') {
      this.log.warn({ channelId: channel.id, channel: channel.name, args, problem: entry.problem }, 'unknown Stasis args; hanging up');
      void this.deps.control.hangup(channel.id, 16).catch((err: unknown) => {
        if (!isGone(err)) this.log.warn({ err, channelId: channel.id }, 'hangup failed');
      });
      return;
    }
    let handler: CallHandler;
    let endReason: string = EndReason.normal;
    const resumed = opts.stranger?.callId !== undefined && opts.stranger.tenantId !== undefined ? this.deps.resumer?.resume(opts.stranger.callId, opts.stranger.tenantId) : undefined;
    if (resumed) {
      handler = resumed;
      this.log.info({ callId: opts.stranger?.callId, channelId: channel.id, handler: resumed.name }, 'a leg of the previous run carries on');
    } else if (opts.stranger) {
      handler = hangupWith(16, 'channel in the app that no session owns');
      endReason = EndReason.unknownChannel;
    } else if (!this.accepting) {
      handler = hangupWith(41, 'shutting down: not taking new calls');
      endReason = EndReason.notAccepting;
    } else {
      handler = this.deps.handlers[entry.kind] ?? noFlowYet;
    }
    const session = new CallSession(
      this,
      {
        callId: (opts.stranger?.callId as CallId | undefined) ?? newCallId(),
        entry,
        channel,
        originated: isOriginatedLeg(entry, opts.originated),
        startedAt: opts.startedAt,
        handler,
        endReason,
        existingTenant: opts.stranger?.tenantId,
      },
      this.seq++,
    );
    this.byChannel.set(channel.id, session);
    const task = session.start();
    this.starting.add(task);
    void task.finally(() => this.starting.delete(task));
  }

  async tenantFor(entry: KnownEntry, channel: ChannelSnapshot): Promise<TenantId | undefined> {
    const parent = parentCallIdOf(entry);
    if (parent !== undefined) return this.deps.repo.tenantOf(parent);
    const base = entry.kind === 'amd' ? entry.original : entry;
    if (base.kind === 'inbound') return this.deps.tenantResolver.forInbound(base.did, base.trunkRef);
    return this.deps.tenantResolver.forEntry(entry, channel);
  }

  rejectCause(entry: KnownEntry): number {
    try {
      return this.deps.tenantResolver.rejectCause?.(entry) ?? 1;
    } catch (err) {
      this.log.error({ err }, 'reject cause lookup failed');
      return 1;
    }
  }

  forget(session: CallSession): void {
    if (this.byChannel.get(session.channelId) === session) this.byChannel.delete(session.channelId);
    for (const [id, s] of this.playbacks) if (s === session) this.playbacks.delete(id);
  }

  playbackStarted(id: PlaybackId, session: CallSession): void {
    this.playbacks.set(id, session);
  }

  playbackDone(id: PlaybackId): void {
    this.playbacks.delete(id);
  }
}

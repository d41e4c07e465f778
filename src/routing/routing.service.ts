/**
 * The routing module's service: loads the engine from the database and keeps it in step with
 * the queues resource, runs agents' own requests and supervisors' (with their rules: working
 * hours, pause types, teams supervised), and is the engine's sink — every fact persisted, every
 * change pushed on the events socket (`queues`, `agents`).
 */
import type { Static } from '@sinclair/typebox';
import type { queues as queuesTable } from '../db/schema/index.js';
import type { Actor, ChangeContext } from '../http/principal.js';
import {
  type AppError,
  conflict,
  forbidden,
  groupBy,
  invalidField,
  localDate,
  localDayStart,
  localTime,
  notFound,
  toCsv,
  weeklySchedule,
  type Clock,
  type EventPublisher,
  type Logger,
  type Random,
  ScopedClock,
  type Timer,
} from '../kernel/index.js';
import { ResourceService, type ResourceContext } from '../resources/index.js';
import type { DisplayState } from './agent.logic.js';
import { occupancy, queueMetrics, type SlVariant } from './metrics.logic.js';
import { agentDay } from './today.logic.js';
import type { AcdSink, AgentCall, AgentNoticeCode, AgentSnapshot, InteractionRecord, OfferRecord, OwnCall } from './acd.model.js';
import { AcdEngine, type AgentResult, type QueueSnapshot } from './acd.service.js';
import type { Destinations } from '../provisioning/index.js';
import type { OrgChange } from '../org/index.js';
import { queueDef, registerQueueReferences, type QueueInput, type QueueViewT } from './queues.resource.js';
import { RoutingRepo, type AgentSettings, type InteractionRow, type QueueRow, type UserRow } from './routing.repo.js';
import { agentKey, contactRegistered, type AgentProfile, type CallerDirectory, type CrmInteractions, type QueueSettings } from './routing.model.js';
import type { SettingsView, SupervisionView as SupervisionViewSchema, TransferInput } from './routing.schemas.js';
import { ManualCalls, diallable, type DialRequest, type ManualCallDeps } from './manual-calls.js';
import { QueueVoice, type OutsideDialler, type QueueCallOutcome, type SupervisionMode, type SupervisionRefusal, type TalkState, type TransferTarget, type VoiceKind } from './voice.service.js';
import type { CallContext } from '../calls/index.js';
import { TelephonyError, type CallControl } from '../telephony/call-control.js';
import type { AmiClient } from '../telephony/ami/index.js';

type SettingsViewT = Static<typeof SettingsView>;
type SupervisionView = Static<typeof SupervisionViewSchema>;

export interface RoutingDeps {
  resources: ResourceContext;
  logger: Logger;
  random: Random;
  events: EventPublisher;
  /** Time zone of working hours (config.timezone). */
  timeZone: string;
  /** How long queue changes are gathered before one `queue.changed` is pushed. */
  queueEventDelayMs?: number;
  /** The CRM's screen pop, in the contact book each queue names. */
  callers?: CallerDirectory;
  /** Where answered calls open (or hand on) the interaction the agent tabulates. */
  crm?: CrmInteractions;
  /** Destinations of every kind, for the loop check of a queue's overflow (shared with call flows). */
  destinations: Destinations;
}

export const queueSettingsOf = (r: QueueRow): QueueSettings => ({
  id: r.id,
  tenantId: r.tenantId,
  name: r.name,
  active: r.active,
  strategy: r.strategy,
  priority: r.priority,
  maxWaiting: r.maxWaiting,
  maxWaitSeconds: r.maxWaitSeconds,
  ringSeconds: r.ringSeconds,
  autoPauseAfter: r.autoPauseTypeId === null ? 0 : r.autoPauseAfter,
  autoPauseTypeId: r.autoPauseTypeId,
  wrapUpSeconds: r.wrapUpSeconds,
  stickySeconds: r.stickySeconds,
  stickyMode: r.stickyMode,
  priorityRules: r.priorityRules,
  joinRule: r.joinRule,
  leaveRule: r.leaveRule,
  requireTabulation: r.requireTabulation,
});

/** An agent as the API shows it (times in ISO 8601). */
export interface AgentView {
  userId: number | null;
  extension: string | null;
  name: string;
  teamId: number | null;
  state: DisplayState;
  since: string;
  pause: { pauseTypeId: number; reason: string; startedAt: string; maxSeconds: number | null; overrun: boolean; cause: string } | null;
  pendingPause: { pauseTypeId: number; reason: string } | null;
  wrapUntil: string | null;
  registered: boolean;
  active: { voice: number; chat: number; email: number };
  offers: { voice: number; chat: number; email: number };
  taken: number;
  queueIds: number[];
  interactionIds: string[];
  calls: AgentCall[];
  ownCalls: OwnCall[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function agentView(a: AgentSnapshot): AgentView {
  return {
    userId: a.userId,
    extension: a.extension,
    name: a.name,
    teamId: a.teamId,
    state: a.state,
    since: iso(a.since),
    pause: a.pause
      ? { pauseTypeId: a.pause.pauseTypeId, reason: a.pause.reason, startedAt: iso(a.pause.startedAt), maxSeconds: a.pause.maxMs === null ? null : a.pause.maxMs / 1000, overrun: a.pause.overrun, cause: a.pause.cause }
      : null,
    pendingPause: a.pendingPause,
    wrapUntil: a.wrapUntil === null ? null : iso(a.wrapUntil),
    registered: a.registered,
    active: a.active,
    offers: a.offers,
    taken: a.taken,
    queueIds: a.queueIds,
    interactionIds: a.interactionIds,
    calls: a.calls,
    ownCalls: a.ownCalls,
  };
}

export function queueLiveView(s: QueueSnapshot, now: number) {
  return {
    queueId: s.queueId,
    name: s.name,
    active: s.active,
    waiting: s.waiting.map((w) => ({ ...w, enteredAt: iso(w.enteredAt), waitingSeconds: Math.round((now - w.enteredAt) / 1000) })),
    longestWaitSeconds: s.longestWaitMs === null ? null : Math.round(s.longestWaitMs / 1000),
    agents: s.agents,
    ahtSeconds: Math.round(s.ahtMs / 1000),
  };
}

/** What an engine refusal becomes over HTTP: a 4xx naming the field. */
function refusal(r: Extract<AgentResult, { ok: false }>): AppError {
  switch (r.code) {
    case 'unknown_agent':
      return notFound('agent');
    case 'pause_disabled':
    case 'pause_automatic':
      return invalidField('pauseTypeId', `pauseTypeId: ${r.message}`);
    case 'pause_not_for_team':
    case 'pause_full':
      return conflict(r.message, { field: 'pauseTypeId', reason: r.code });
    default:
      return conflict(r.message, { reason: r.code });
  }
}

export interface CallsReportRow {
  date: string;
  hour: string | null;
  queueId: number;
  queueNumber: string;
  queueName: string;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandons: number;
  offeredNotAnswered: number;
  timeouts: number;
  transferred: number;
  serviceLevel: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  longestWaitSeconds: number | null;
}

export interface ActivityReportRow {
  agent: string;
  userId: number;
  state: string;
  pauseReason: string | null;
  pauseCause: string | null;
  overrun: boolean;
  start: string;
  end: string | null;
  seconds: number;
}

/** The one field each kind of transfer names. */
const TRANSFER_FIELDS = { queue: 'queueId', agent: 'userId', external: 'number' } as const;
const TRANSFER_KIND_NAMES = { queue: 'a queue', agent: 'an agent', external: 'a number outside' } as const;

/** A transfer names the one field of its kind: another kind's field is refused, naming it. */
function onlyTheTargetsField(to: TransferInput): void {
  const field = TRANSFER_FIELDS[to.kind];
  for (const other of Object.values(TRANSFER_FIELDS)) {
    if (other !== field && to[other] !== undefined) throw invalidField(other, `${other}: a transfer to ${TRANSFER_KIND_NAMES[to.kind]} names only ${field}`);
  }
}

/** The longest period a report or export covers: every interaction of it is read into memory. */
const MAX_REPORT_DAYS = 366;

export function checkPeriod(from: number, to: number): void {
  if (to <= from) throw invalidField('to', 'to: the period must end after it begins');
  if (to - from > MAX_REPORT_DAYS * 86_400_000) throw invalidField('to', `to: at most ${MAX_REPORT_DAYS} days after from`);
}

/**
 * A report's filter naming a queue or a user the tenant does not have is bad input: 400 naming
 * the field (a path's id that does not exist stays 404).
 */
export function checkFilterIds(repo: Pick<RoutingRepo, 'queue' | 'user'>, tenantId: number, f: { queueId?: number | undefined; userId?: number | undefined }): void {
  if (f.queueId !== undefined && !repo.queue(tenantId, f.queueId)) throw invalidField('queueId', `queueId: there is no queue ${f.queueId}`);
  if (f.userId !== undefined && !repo.user(tenantId, f.userId)) throw invalidField('userId', `userId: there is no user ${f.userId}`);
}

export class RoutingService {
  readonly engine: AcdEngine;
  readonly repo: RoutingRepo;
  readonly queues: ResourceService<typeof queuesTable, QueueInput, QueueViewT>;
  /** Every timer of the routing (engine, pushes, voice) is armed here: `close` stops them all. */
  private readonly clock: ScopedClock;
  private readonly log: Logger;
  private readonly hoursTimers = new Map<number, Timer>();
  private voice: QueueVoice | undefined;
  /** The agents' manual calls; made with the voice channel when the telephony directory is given. */
  manualCalls: ManualCalls | undefined;
  private readonly sink: RoutingSink;
  /** Waiting callers of the previous run, by call, until reconciliation settles (see `load`). */
  private readonly resumable = new Map<string, InteractionRow>();
  /** Interactions of the previous run whose calls did not survive it: their bridges go at the next settle. */
  private readonly staleBridges: string[] = [];

  constructor(private readonly deps: RoutingDeps) {
    const { resources } = deps;
    this.clock = new ScopedClock(resources.clock);
    this.log = deps.logger.child({ component: 'routing' });
    this.repo = new RoutingRepo(resources.database);
    this.queues = new ResourceService(queueDef(deps.destinations), resources);
    registerQueueReferences(resources.references, resources.database.db);
    const sink = new RoutingSink(this.repo, deps.events, this.clock, this.log, deps.queueEventDelayMs ?? 250, (id) => this.engine.queueSnapshot(id), (r) => this.answered(r));
    this.sink = sink;
    this.engine = new AcdEngine({ clock: this.clock, random: deps.random, logger: deps.logger, sink });
    resources.changes.subscribe((c) => {
      if (c.entity === 'queue') this.reloadQueue(c.tenantId, c.id);
    });
  }

  /** A visit was answered: the CRM opens or hands on the call's interaction (a wrap-up held for the visit it left ends). */
  private answered(r: InteractionRecord): void {
    const crm = this.deps.crm;
    if (!crm || r.agentUserId === null) return;
    const { movedFrom } = crm.answered({
      tenantId: r.tenantId,
      visitId: r.id,
      kind: r.kind,
      callId: r.callId,
      address: r.contactAddress,
      contactId: r.contactId,
      queueId: r.queueId,
      agentUserId: r.agentUserId,
      firstEnteredAt: this.firstEntered(r),
    });
    // Not from inside the engine's own step that reported the answer.
    if (movedFrom !== null) queueMicrotask(() => this.engine.tabulated(movedFrom));
  }

  /** When the call entered its first queue: the visits it was transferred through, back to the first. */
  private firstEntered(r: InteractionRecord): number {
    let at = r.enteredAt;
    let from = r.transferredFrom;
    for (let hops = 0; from !== null && hops < 50; hops++) {
      const prev = this.engine.interaction(from) ?? this.repo.interaction(r.tenantId, from);
      if (!prev) break;
      at = prev.enteredAt;
      from = prev.transferredFrom;
    }
    return at;
  }

  /** The CRM interaction of a visit was tabulated, left pending or handed on: a wrap-up held for it may end. */
  tabulated(tenantId: number, visitId: string): void {
    if ((this.engine.interaction(visitId)?.tenantId ?? this.engine.ownCallTenant(visitId)) === tenantId) this.engine.tabulated(visitId);
  }

  /**
   * Logs out of the queues an agent whose desk stayed closed for `graceMs` (no socket of its
   * user left: the tab closed, the browser or the network went away), so that it is not offered
   * calls that nobody sees; a tab that comes back in time keeps it logged in. An agent in a
   * call (a softphone's) is left until the call is over. Answers the unsubscribe.
   */
  followDesks(presence: { onPresence(listener: (p: { userId: number; tenantId: number; sockets: number }) => void): () => void }, graceMs: number): () => void {
    if (graceMs <= 0) return () => undefined;
    const timers = new Map<number, Timer>();
    const check = (tenantId: number, userId: number) => {
      timers.delete(userId);
      const key = agentKey({ kind: 'agent', userId });
      const snap = this.engine.agentSnapshot(key);
      if (!snap || snap.tenantId !== tenantId || snap.state === 'offline') return;
      if (snap.state === 'busy' || snap.state === 'offered') {
        timers.set(userId, this.clock.setTimeout(() => check(tenantId, userId), graceMs));
        return;
      }
      this.log.info({ userId, tenantId }, 'desk closed; agent logged out of its queues');
      this.stopHoursTimer(userId);
      this.engine.logout(key, 'desk_closed');
    };
    const stop = presence.onPresence(({ userId, tenantId, sockets }) => {
      if (sockets > 0) {
        timers.get(userId)?.cancel();
        timers.delete(userId);
      } else if (!timers.has(userId)) timers.set(userId, this.clock.setTimeout(() => check(tenantId, userId), graceMs));
    });
    return () => {
      stop();
      for (const t of timers.values()) t.cancel();
      timers.clear();
    };
  }

  /**
   * The daemon stops: no timer of the routing fires any more (a wrap-up ending, a ring timing
   * out, a queue push) — they would write into a closed database. What was in progress is
   * reconciled by the next start (`load`).
   */
  close(): void {
    this.clock.close();
  }

  // ───────────────────────── loading the engine

  /** Loads every queue, its agents and the agents' last known state (after a start or restart). */
  load(): void {
    // Callers still waiting when the daemon stopped are kept for reconciliation: those Asterisk
    // still has are re-queued in their order (`resumeCaller`), the others counted as lost
    // (`settleResumed`). A conversation with an agent does not survive the restart: closed.
    const calls = this.repo.openInteractions().filter((r) => r.callId !== null && (r.kind === 'voice_in' || r.kind === 'voice_out'));
    const waiting = calls.filter((r) => r.outcome === null);
    for (const r of waiting) this.resumable.set(r.callId!, r);
    this.staleBridges.push(...calls.filter((r) => r.outcome !== null).map((r) => r.id));
    const orphans = this.repo.closeOrphans(this.clock.now(), 'the daemon restarted', waiting.map((r) => r.id));
    if (orphans.lost + orphans.closed > 0) this.log.warn(orphans, 'interactions left open by the previous run: waiting ones counted as lost, handled ones closed');
    if (waiting.length > 0) this.log.info({ waiting: waiting.length }, 'callers waiting when the daemon stopped: re-queued in their order if Asterisk still has them, otherwise counted as lost');
    for (const t of this.repo.pauseTypes()) this.engine.setPauseType(t);
    for (const tenantId of new Set(this.repo.pauseTypes().map((p) => p.tenantId))) this.refreshWrapUpPause(tenantId);
    const settings = this.repo.allSettings();
    const members = this.repo.members();
    const open = this.repo.openStates();
    // Loaded per tenant: every lookup of the repository takes the tenant.
    const userIds = new Map<number, Set<number>>();
    for (const m of members) if (m.userId !== null) userIds.set(m.tenantId, (userIds.get(m.tenantId) ?? new Set()).add(m.userId));
    for (const s of open) userIds.set(s.tenantId, (userIds.get(s.tenantId) ?? new Set()).add(s.userId));
    for (const [tenantId, ids] of userIds) for (const u of this.repo.usersByIds(tenantId, [...ids])) if (u.active) this.engine.setAgent(profileOf(u, settings.get(u.id)));
    for (const q of this.repo.allQueues()) this.loadQueue(q, members.filter((m) => m.queueId === q.id));
    const now = this.clock.now();
    for (const s of open) {
      const key = agentKey({ kind: 'agent', userId: s.userId });
      if (!this.engine.agentSnapshot(key)) continue;
      const pause =
        s.state === 'paused' && s.pauseTypeId !== null
          ? (() => {
              const t = this.repo.pauseType(s.tenantId, s.pauseTypeId);
              return {
                pauseTypeId: s.pauseTypeId,
                reason: s.pauseReason ?? t?.reason ?? '',
                maxMs: t?.maxDurationMinutes ? t.maxDurationMinutes * 60_000 : null,
                overrunAllowed: t?.overrunAllowed ?? true,
                transfersAllowed: t?.transferWhilePaused ?? false,
                startedAt: s.startedAt,
                cause: s.pauseCause ?? 'requested',
                overrun: s.overrun,
              };
            })()
          : null;
      this.engine.restoreAgent(key, { status: pause ? 'paused' : 'available', since: s.startedAt, pause, idleSince: now });
      this.enforceHours(s.tenantId, s.userId);
    }
  }

  private loadQueue(q: QueueRow, members: { userId: number | null; extension: string | null; priority: number; position: number }[]): void {
    for (const m of members) {
      if (m.extension !== null) {
        const key = agentKey({ kind: 'extension', tenantId: q.tenantId, extension: m.extension });
        if (!this.engine.agentSnapshot(key)) {
          this.engine.setAgent({ key, tenantId: q.tenantId, userId: null, name: `Ramal ${m.extension}`, extension: m.extension, teamId: null, capacity: { voice: 1, chat: 0, email: 0 }, skills: [] });
          // A plain extension needs no login: it takes calls while its phone is registered.
          this.engine.login(key);
        }
      } else if (m.userId !== null && !this.engine.agentSnapshot(agentKey({ kind: 'agent', userId: m.userId }))) {
        const u = this.repo.user(q.tenantId, m.userId);
        if (u?.active) this.engine.setAgent(profileOf(u, this.repo.settings(q.tenantId, u.id)));
      }
    }
    this.engine.setQueue(
      queueSettingsOf(q),
      members.map((m) => ({
        agent: m.userId !== null ? agentKey({ kind: 'agent', userId: m.userId }) : agentKey({ kind: 'extension', tenantId: q.tenantId, extension: m.extension! }),
        priority: m.priority,
        order: m.position,
      })),
    );
  }

  /** A queue changed (resource change feed, or members changed here): the engine follows. */
  reloadQueue(tenantId: number, queueId: number): void {
    const q = this.repo.queue(tenantId, queueId);
    if (!q) this.engine.removeQueue(queueId);
    else this.loadQueue(q, this.repo.members(queueId));
  }

  /**
   * A user or pause type changed in the organisation module: the engine's copies follow at once
   * (a new automatic wrap-up or unanswered-offers pause, a user's new team or capacity, a user
   * deactivated: logged out and out of its queues). A user the engine does not know yet is read
   * when it first acts.
   */
  orgChanged(c: OrgChange): void {
    if (c.entity === 'pause_type') return this.refreshPauseTypes(c.tenantId);
    const key = agentKey({ kind: 'agent', userId: c.id });
    const known = this.engine.agentSnapshot(key);
    if (!known) return;
    const user = this.repo.user(c.tenantId, c.id);
    if (!user?.active) return this.engine.removeAgent(key);
    this.engine.setAgent(profileOf(user, this.repo.settings(c.tenantId, c.id)));
    // Its queues' panels go to the supervisors of its team: a new team changes who sees them.
    for (const queueId of known.queueIds) this.sink.queueChanged(c.tenantId, queueId);
  }

  /** Pause types changed (organisation module): the engine's copies follow. */
  private refreshPauseTypes(tenantId: number): void {
    for (const t of this.repo.pauseTypes(tenantId)) this.engine.setPauseType(t);
    this.refreshWrapUpPause(tenantId);
  }

  private refreshWrapUpPause(tenantId: number): void {
    const wrap = this.repo.pauseTypes(tenantId).find((p) => p.wrapUp && p.active);
    this.engine.setWrapUpPause(tenantId, wrap ? { pauseTypeId: wrap.id, reason: wrap.reason } : null);
  }

  /** The user as an agent (refreshed from the database: capacity, extension, team may have changed). */
  private agentOf(tenantId: number, userId: number): { key: string; user: UserRow } {
    const user = this.repo.user(tenantId, userId);
    if (!user) throw notFound('agent');
    const key = agentKey({ kind: 'agent', userId });
    if (!user.active) {
      this.engine.removeAgent(key);
      throw conflict(`"${user.name}" is deactivated`, { field: 'userId' });
    }
    this.engine.setAgent(profileOf(user, this.repo.settings(tenantId, userId)));
    for (const s of this.repo.servicesOf(tenantId, userId)) if (!this.engine.agentSnapshot(key)?.queueIds.includes(s.queueId)) this.reloadQueue(tenantId, s.queueId);
    return { key, user };
  }

  // ───────────────────────── telephony

  /**
   * Connects the engine to calls: returns the voice channel (queue a call, the agent-leg flow).
   * Made once, by the composition root, when the telephony adapters are up.
   */
  attachVoice(deps: { control: CallControl; dataDir: string; outside?: OutsideDialler; manual?: Pick<ManualCallDeps, 'directory' | 'blocked' | 'contactName'> }): QueueVoice {
    if (deps.manual && !this.manualCalls) {
      this.manualCalls = new ManualCalls({ ...deps.manual, control: deps.control, engine: this.engine, clock: this.clock, logger: this.deps.logger, callers: this.deps.callers, crm: this.deps.crm });
    }
    this.voice ??= new QueueVoice({
      engine: this.engine,
      repo: this.repo,
      control: deps.control,
      clock: this.clock,
      logger: this.deps.logger,
      dataDir: deps.dataDir,
      timeZone: this.deps.timeZone,
      callers: this.deps.callers,
      outside: deps.outside,
      onTalk: (interactionId, state) => this.talkChanged(interactionId, state),
    });
    return this.voice;
  }

  /** A manual call from the agent's desk: its phone rings, then the number is dialled (see manual-calls.ts). */
  dial(tenantId: number, userId: number, req: DialRequest): Promise<{ number: string; route: string }> {
    if (!this.manualCalls) {
      diallable(req.number);
      throw conflict('calls cannot be placed: Atende is not connected to the phone system', { field: 'agent' });
    }
    return this.manualCalls.dial(tenantId, userId, req);
  }

  /** The controls' state of a call changed (the phone held, a consult answered…): pushed to its agent's desk. */
  private talkChanged(interactionId: string, state: TalkState): void {
    const rec = this.engine.interaction(interactionId);
    const snap = rec?.agent ? this.engine.agentSnapshot(rec.agent) : undefined;
    if (snap) this.sink.callChanged(snap, { interactionId, ...state });
  }

  /**
   * A caller the previous run left waiting, found alive by reconciliation: its interaction
   * carries on (same id, original entry time, so the same place in the queue) the next time
   * this call enters that queue. Answers the queue, or undefined when it is not such a caller.
   */
  resumeCaller(callId: string, tenantId: number): { queueId: number } | undefined {
    const row = this.resumable.get(callId);
    if (!row || row.tenantId !== tenantId || !this.voice) return undefined;
    this.resumable.delete(callId);
    this.voice.resumeAs(callId, { interactionId: row.id, queueId: row.queueId, enteredAt: row.enteredAt, transferredFrom: row.transferredFrom, kind: row.kind as VoiceKind });
    return { queueId: row.queueId };
  }

  /** Reconciliation is over: the waiting callers it did not find hung up meanwhile, and are lost. */
  settleResumed(): void {
    const rows = [...this.resumable.values()];
    this.resumable.clear();
    // The previous run's holding bridges of the calls that did not carry on stay in Asterisk until destroyed.
    for (const id of this.staleBridges.splice(0).concat(rows.map((r) => r.id))) void this.voice?.discardBridge(id);
    if (rows.length === 0) return;
    const lost = this.repo.closeLostWaiting(rows.map((r) => r.id), this.clock.now(), 'the daemon restarted: the caller was gone when it came back');
    if (lost > 0) this.log.warn({ lost, queues: [...new Set(rows.map((r) => r.queueId))] }, 'callers waiting when the daemon stopped were gone when it came back: counted as lost');
  }

  /**
   * Puts a call in a queue (the destination other flows hand calls to) and resolves when its stay
   * there is over. Needs `attachVoice` first.
   */
  enqueue(call: CallContext, queueId: number, opts: { kind?: VoiceKind } = {}): Promise<QueueCallOutcome> {
    if (!this.voice) throw new Error('routing: enqueue before the telephony was attached');
    return this.voice.enqueue(call, queueId, opts);
  }

  /** The agent's own call in conversation: 404 for an interaction that is not theirs. */
  private ownCall(tenantId: number, userId: number, interactionId: string): { voice: QueueVoice; rec: InteractionRecord } {
    const rec = this.engine.interaction(interactionId);
    if (!rec || rec.tenantId !== tenantId || rec.agentUserId !== userId || !this.voice) throw notFound('interaction');
    return { voice: this.voice, rec };
  }

  /** Ends the agent's call from the desk (a softphone or desk phone hangs up through here too). */
  async hangUpCall(tenantId: number, userId: number, interactionId: string): Promise<void> {
    await this.ownCall(tenantId, userId, interactionId).voice.hangUp(interactionId);
  }

  /** Holds the customer of the agent's call, or takes them off hold. */
  async holdCall(tenantId: number, userId: number, interactionId: string, on: boolean): Promise<TalkState> {
    return this.ownCall(tenantId, userId, interactionId).voice.setHold(interactionId, on);
  }

  /** Mutes the agent on their call, or unmutes. */
  async muteCall(tenantId: number, userId: number, interactionId: string, on: boolean): Promise<TalkState> {
    return this.ownCall(tenantId, userId, interactionId).voice.setMute(interactionId, on);
  }

  /** The controls' state of the agent's call: on hold, muted. */
  callState(tenantId: number, userId: number, interactionId: string): TalkState {
    const state = this.ownCall(tenantId, userId, interactionId).voice.talkState(interactionId);
    if (!state) throw conflict('the call is not in conversation with its agent');
    return state;
  }

  /**
   * Where an agent may transfer a call: the tenant's active queues its desktop shows (`#`) and
   * the other agents logged in now (`@`). Agents do not read the queues' configuration nor
   * every agent's state; this is the little of both a transfer needs.
   */
  transferTargets(tenantId: number, userId: number): { queues: { id: number; name: string; number: string }[]; agents: { userId: number; name: string; state: DisplayState }[] } {
    if (!this.repo.user(tenantId, userId)) throw notFound('agent');
    const agents = this.engine
      .agentsOf(tenantId)
      .flatMap((a) => (a.userId !== null && a.userId !== userId && a.state !== 'offline' ? [{ userId: a.userId, name: a.name, state: a.state }] : []))
      .sort((a, b) => a.name.localeCompare(b.name, 'pt-BR'));
    return { queues: this.repo.desktopQueues(tenantId).map((q) => ({ id: q.id, name: q.name, number: q.number })), agents };
  }

  /**
   * The agent's blind transfer of their call: to a queue of the tenant (`#`), to another agent
   * who is logged in (`@`, offered through the engine in the call's queue), or to a number
   * outside (through the outbound routes).
   */
  async transferCall(tenantId: number, userId: number, interactionId: string, to: TransferInput): Promise<void> {
    onlyTheTargetsField(to);
    const { voice, rec } = this.ownCall(tenantId, userId, interactionId);
    await voice.transfer(interactionId, this.transferTarget(tenantId, userId, rec, to, false).target);
  }

  /**
   * The agent's attended transfer starts: the customer is held and the target rung for the
   * agent to talk with first (an agent must be free to take it now; a queue's call waits there
   * for its next agent, as the customer's would). Complete, cancel or conference follow.
   */
  async consultCall(tenantId: number, userId: number, interactionId: string, to: TransferInput): Promise<TalkState> {
    onlyTheTargetsField(to);
    const { voice, rec } = this.ownCall(tenantId, userId, interactionId);
    const { target, name } = this.transferTarget(tenantId, userId, rec, to, true);
    return voice.consult(interactionId, target, name);
  }

  /** What the agent does with its consult: complete the transfer, cancel it, join the three, or end the conference for all. */
  async consultAction(tenantId: number, userId: number, interactionId: string, action: 'cancel' | 'conference'): Promise<TalkState>;
  async consultAction(tenantId: number, userId: number, interactionId: string, action: 'complete' | 'end'): Promise<null>;
  async consultAction(tenantId: number, userId: number, interactionId: string, action: 'complete' | 'cancel' | 'conference' | 'end'): Promise<TalkState | null> {
    const { voice } = this.ownCall(tenantId, userId, interactionId);
    if (action === 'cancel') return voice.cancelConsult(interactionId);
    if (action === 'conference') return voice.conference(interactionId);
    await (action === 'complete' ? voice.completeConsult(interactionId) : voice.endConference(interactionId));
    return null;
  }

  /**
   * A transfer's target, checked: the field its kind names must be there; the queue active;
   * the agent logged in (and, for a consult, free to take it now).
   */
  private transferTarget(tenantId: number, userId: number, rec: InteractionRecord, to: TransferInput, consult: boolean): { target: TransferTarget; name: string } {
    if (to.kind === 'queue') {
      if (to.queueId === undefined) throw invalidField('queueId', 'queueId: the queue to transfer to is required');
      const q = this.repo.queue(tenantId, to.queueId);
      if (!q) throw invalidField('queueId', `queueId: there is no queue ${to.queueId} in this tenant`);
      if (!q.active) throw conflict(`queue "${q.name}" is inactive and takes no calls`, { field: 'queueId' });
      return { target: { kind: 'queue', queueId: q.id }, name: q.name };
    }
    if (to.kind === 'agent') {
      if (to.userId === undefined) throw invalidField('userId', 'userId: the agent to transfer to is required');
      if (to.userId === userId) throw invalidField('userId', 'userId: the call is already yours');
      if (!this.repo.user(tenantId, to.userId)) throw invalidField('userId', `userId: there is no user ${to.userId} in this tenant`);
      const key = agentKey({ kind: 'agent', userId: to.userId });
      const snap = this.engine.agentSnapshot(key);
      if (!snap || snap.state === 'offline') throw conflict(snap ? `"${snap.name}" is not logged in` : 'the agent is not logged in', { field: 'userId' });
      if (consult && !this.engine.mayOfferTransfer(key, rec.kind)) throw conflict(`"${snap.name}" cannot take a call now (${snap.state})`, { field: 'userId' });
      return { target: { kind: 'agent', queueId: rec.queueId, agentKey: key }, name: snap.name };
    }
    if (to.number === undefined) throw invalidField('number', 'number: the number to transfer to is required');
    return { target: { kind: 'external', number: to.number }, name: to.number };
  }

  /**
   * An agent phone's registration (AMI ContactStatus): a phone that is not registered is never
   * rung, and its ringing offers go to the next agent at once.
   */
  phoneStatus(extension: string, registered: boolean): void {
    for (const key of this.engine.keysOfExtension(extension)) this.engine.setRegistered(key, registered);
  }

  /**
   * Agents are rung only while their phone is registered: the PJSIP contact status (AMI) is
   * followed live, and read in full whenever the AMI link comes up.
   */
  followPhones(ami: Pick<AmiClient, 'onEvent' | 'endpoints'>): () => void {
    const reload = () =>
      ami.endpoints().then(
        (list) => {
          for (const e of list) this.phoneStatus(e.name, e.contacts.length > 0 && e.deviceState !== 'Unavailable');
        },
        (err: unknown) => this.log.warn({ err }, 'could not read the phones’ registrations'),
      );
    return ami.onEvent((e) => {
      if (e.type === 'ConnectionChanged' && e.state === 'up') void reload();
      else if (e.type === 'ContactStatus') {
        const registered = contactRegistered(e.status);
        if (registered !== undefined) this.phoneStatus(e.endpoint, registered);
      }
    });
  }

  // ───────────────────────── agents: own requests and supervisors'

  agent(tenantId: number, userId: number): AgentView {
    const user = this.repo.user(tenantId, userId);
    if (!user) throw notFound('agent');
    const snap = this.engine.agentSnapshot(agentKey({ kind: 'agent', userId }));
    return snap ? agentView(snap) : agentView(offlineSnapshot(user));
  }

  /** Agents of a tenant with their live state; a supervisor sees the teams it supervises. */
  agents(actor: Actor, tenantId: number): AgentView[] {
    const teams = this.supervisedTeams(actor, tenantId);
    return this.engine
      .agentsOf(tenantId)
      .filter((a) => a.userId !== null && (teams === 'all' || (a.teamId !== null && teams.has(a.teamId))))
      .map(agentView);
  }

  /** The queues an agent works, by name, for its own desk (agents do not read the queues' configuration). */
  servicesOfAgent(tenantId: number, userId: number): { queueId: number; name: string; priority: number; active: boolean }[] {
    if (!this.repo.user(tenantId, userId)) throw notFound('agent');
    return this.repo.servicesOf(tenantId, userId).flatMap((s) => {
      const q = this.repo.queue(tenantId, s.queueId);
      return q ? [{ queueId: q.id, name: q.name, priority: s.priority, active: q.active }] : [];
    });
  }

  /**
   * The agent's own day so far (from local midnight in the configured time zone): its figures
   * from the stored facts, and each of its services now (waiting, agents available).
   */
  today(tenantId: number, userId: number) {
    const user = this.repo.user(tenantId, userId);
    if (!user) throw notFound('agent');
    const now = this.clock.now();
    const from = localDayStart(now, this.deps.timeZone);
    const figures = agentDay({
      visits: this.repo.answeredBy(tenantId, userId, from, now + 1),
      placed: user.extension ? this.repo.callsPlacedFrom(tenantId, user.extension, from, now + 1) : [],
      states: this.repo.statesBetween(tenantId, from, now + 1, userId),
      from,
      now,
    });
    const services = this.servicesOfAgent(tenantId, userId).map((s) => {
      const snap = this.engine.queueSnapshot(s.queueId);
      return {
        queueId: s.queueId,
        name: s.name,
        waiting: snap?.waiting.length ?? 0,
        longestWaitSeconds: snap?.longestWaitMs == null ? null : Math.round(snap.longestWaitMs / 1000),
        agentsAvailable: snap?.agents.available ?? 0,
        agentsLoggedIn: snap?.agents.loggedIn ?? 0,
      };
    });
    return { date: localDate(now, this.deps.timeZone), from: iso(from), ...figures, services };
  }

  login(tenantId: number, userId: number): AgentView {
    const { key } = this.agentOf(tenantId, userId);
    const hours = this.repo.settings(tenantId, userId).workingHours;
    const now = this.clock.now();
    if (hours.length > 0 && !weeklySchedule(hours).isOpen(now, this.deps.timeZone)) {
      const opens = weeklySchedule(hours).nextOpen(now, this.deps.timeZone);
      throw conflict(opens === null ? "outside the agent's working hours" : `outside the agent's working hours; they begin at ${iso(opens)}`, {
        field: 'workingHours',
        ...(opens === null ? {} : { opensAt: iso(opens) }),
      });
    }
    const r = this.engine.login(key);
    if (!r.ok) throw refusal(r);
    this.enforceHours(tenantId, userId);
    return agentView(r.agent);
  }

  logout(tenantId: number, userId: number): AgentView {
    const { key } = this.agentOf(tenantId, userId);
    this.stopHoursTimer(userId);
    const r = this.engine.logout(key);
    if (!r.ok) throw refusal(r);
    return agentView(r.agent);
  }

  pause(tenantId: number, userId: number, pauseTypeId: number, forced = false): AgentView {
    const { key } = this.agentOf(tenantId, userId);
    const type = this.repo.pauseType(tenantId, pauseTypeId);
    if (!type) throw invalidField('pauseTypeId', `pauseTypeId: there is no pause type ${pauseTypeId} in this tenant`);
    this.engine.setPauseType(type);
    const r = this.engine.pause(key, type, forced);
    if (!r.ok) throw refusal(r);
    return agentView(r.agent);
  }

  unpause(tenantId: number, userId: number): AgentView {
    const { key } = this.agentOf(tenantId, userId);
    const r = this.engine.unpause(key);
    if (!r.ok) throw refusal(r);
    return agentView(r.agent);
  }

  ready(tenantId: number, userId: number): AgentView {
    const { key } = this.agentOf(tenantId, userId);
    const r = this.engine.ready(key);
    if (!r.ok) throw refusal(r);
    return agentView(r.agent);
  }

  /** A supervisor's (or admin's) action on an agent: team checked, and audited. */
  supervise(change: ChangeContext, tenantId: number, userId: number, action: 'pause' | 'unpause' | 'logout', pauseTypeId?: number): AgentView {
    this.checkSupervises(change.actor, tenantId, userId);
    const before = this.agent(tenantId, userId);
    const after =
      action === 'pause'
        ? this.pause(tenantId, userId, pauseTypeId!, true)
        : action === 'unpause'
          ? this.unpause(tenantId, userId)
          : this.logout(tenantId, userId);
    this.audit(change, tenantId, 'agent', userId, `supervisor_${action}`, { state: before.state, pause: before.pause?.reason ?? null }, {
      state: after.state,
      pause: after.pause?.reason ?? after.pendingPause?.reason ?? null,
    });
    return after;
  }

  /**
   * A supervisor on an agent's call in conversation (a queue's, or the agent's own call outside)
   * — listen, whisper, barge or take over: the supervisor's own phone is rung (or its leg already
   * on the call changes mode). Team checked, and audited as `supervisor_<mode>` on the agent.
   */
  async superviseCall(change: ChangeContext, tenantId: number, userId: number, mode: SupervisionMode): Promise<SupervisionView> {
    const { actor } = change;
    this.checkSupervises(actor, tenantId, userId);
    const agent = this.agent(tenantId, userId);
    const voice = this.voice;
    const queued = voice ? agent.interactionIds.find((id) => voice.talkState(id) !== undefined) : undefined;
    // Else the agent's own call outside (a manual call).
    const own = queued === undefined ? agent.interactionIds.map((id) => this.manualCalls?.supervisable(id)).find((c) => c !== undefined) : undefined;
    const interactionId = queued ?? own?.interactionId;
    if (!voice || interactionId === undefined) throw conflict(`"${agent.name}" has no call in conversation`, { reason: 'no_call' });
    const me = this.repo.user(actor.tenantId, actor.userId);
    if (!me?.extension) throw conflict('you have no extension to be rung on: ask an administrator to give you one', { field: 'extension' });
    // The panel hears why a phone rung for this stopped without putting the supervisor on the call.
    const refused = (reason: SupervisionRefusal) =>
      this.sink.supervisionRefused(tenantId, agent.teamId, { supervisorUserId: actor.userId, agentUserId: userId, agentName: agent.name, interactionId, mode, reason });
    const supervisor = { userId: actor.userId, name: me.name, extension: me.extension, refused };
    let rung: boolean;
    try {
      ({ rung } = own ? await voice.superviseOwnCall(own, supervisor, mode) : await voice.supervise(interactionId, supervisor, mode));
    } catch (err) {
      if (err instanceof TelephonyError) throw conflict(`your phone (extension ${me.extension}) could not be rung: ${err.message}`, { field: 'extension' });
      throw err;
    }
    this.audit(change, tenantId, 'agent', userId, `supervisor_${mode === 'takeover' ? 'take_over' : mode}`, { state: agent.state, interactionId }, { mode, extension: me.extension });
    return { interactionId, mode, extension: me.extension, rung };
  }

  /**
   * The supervisor stops listening to (whispering to, barging into) an agent's call: its own
   * leg and the snoop are hung up. Audited as `supervisor_stop`.
   */
  async stopSupervising(change: ChangeContext, tenantId: number, userId: number): Promise<void> {
    const { actor } = change;
    this.checkSupervises(actor, tenantId, userId);
    const agent = this.agent(tenantId, userId);
    let stopped: { interactionId: string; mode: SupervisionMode } | undefined;
    for (const interactionId of this.voice ? agent.interactionIds : []) {
      const mode = await this.voice?.stopSupervising(interactionId, actor.userId);
      if (mode) stopped = { interactionId, mode };
    }
    if (!stopped) throw conflict(`you are not on the call of "${agent.name}"`, { reason: 'not_monitoring' });
    this.audit(change, tenantId, 'agent', userId, 'supervisor_stop', { mode: stopped.mode, interactionId: stopped.interactionId }, null);
  }

  /**
   * Which queues the actor sees: a supervisor those with a member of a team it supervises (the
   * queues its teams' agents work); admins and super users every queue.
   */
  seesQueue(actor: Actor, tenantId: number): (queueId: number) => boolean {
    const teams = this.supervisedTeams(actor, tenantId);
    if (teams === 'all') return () => true;
    const byQueue = this.repo.memberTeams(tenantId);
    return (queueId) => [...(byQueue.get(queueId) ?? [])].some((t) => teams.has(t));
  }

  /** 403 for a queue that the actor does not see (`seesQueue`). */
  checkSeesQueue(actor: Actor, tenantId: number, queue: { queueId: number; name: string }): void {
    if (!this.seesQueue(actor, tenantId)(queue.queueId)) throw forbidden(`the queue "${queue.name}" is not worked by a team you supervise`);
  }

  /** Teams a supervisor may see and act on; admins and super users: all. */
  supervisedTeams(actor: Actor, tenantId: number): Set<number> | 'all' {
    if (actor.superUser || actor.level === 'admin') return 'all';
    return new Set(this.repo.teamsSupervisedBy(tenantId, actor.userId));
  }


  /** Records a change on an agent (its state, settings, services, a supervisor on its call) in the audit log. */
  private audit(change: ChangeContext, tenantId: number, entity: 'agent' | 'agent_settings' | 'agent_services', userId: number, action: string, before: unknown, after: unknown): void {
    this.deps.resources.audit.record({
      tenantId,
      actor: { userId: change.actor.userId, login: change.actor.login },
      entity,
      entityId: userId,
      action,
      before,
      after,
      ip: change.ip,
      requestId: change.requestId,
    });
  }

  checkSupervises(actor: Actor, tenantId: number, userId: number): void {
    const user = this.repo.user(tenantId, userId);
    if (!user || (!actor.superUser && actor.tenantId !== tenantId)) throw notFound('agent');
    const teams = this.supervisedTeams(actor, tenantId);
    if (teams !== 'all' && (user.teamId === null || !teams.has(user.teamId))) throw forbidden(`"${user.name}" is not in a team you supervise`);
  }

  private stopHoursTimer(userId: number): void {
    this.hoursTimers.get(userId)?.cancel();
    this.hoursTimers.delete(userId);
  }

  /** Logs the agent out when its working hours end (and schedules that from now on). */
  private enforceHours(tenantId: number, userId: number): void {
    this.stopHoursTimer(userId);
    const hours = this.repo.settings(tenantId, userId).workingHours;
    if (hours.length === 0) return;
    const key = agentKey({ kind: 'agent', userId });
    const now = this.clock.now();
    const schedule = weeklySchedule(hours);
    const close = schedule.isOpen(now, this.deps.timeZone) ? schedule.nextClose(now, this.deps.timeZone) : now;
    if (close === null) return;
    this.hoursTimers.set(
      userId,
      this.clock.setTimeout(() => {
        this.hoursTimers.delete(userId);
        const snap = this.engine.agentSnapshot(key);
        if (!snap || snap.state === 'offline') return;
        this.log.info({ userId }, 'working hours ended; agent logged out');
        this.engine.logout(key, 'working_hours_ended');
      }, close - now),
    );
  }

  // ───────────────────────── settings and services

  settings(tenantId: number, userId: number): SettingsViewT {
    if (!this.repo.user(tenantId, userId)) throw notFound('user');
    return this.settingsOf(tenantId, [userId])[0]!;
  }

  /** Several users' settings in two queries (a list of agents); every id must be a user of the tenant. */
  settingsOfUsers(tenantId: number, userIds: readonly number[]): SettingsViewT[] {
    const found = new Set(this.repo.usersByIds(tenantId, userIds).map((u) => u.id));
    const missing = userIds.findIndex((id) => !found.has(id));
    if (missing >= 0) throw invalidField(`userId.${missing}`, `userId.${missing}: there is no user ${userIds[missing]} in this tenant`);
    return this.settingsOf(tenantId, userIds);
  }

  private settingsOf(tenantId: number, userIds: readonly number[]): SettingsViewT[] {
    const settings = this.repo.settingsOfUsers(tenantId, userIds);
    const services = this.repo.servicesOfUsers(tenantId, userIds);
    return userIds.map((userId) => {
      const { skills, workingHours } = settings.get(userId) ?? { skills: [], workingHours: [] };
      return { userId, skills, workingHours: workingHours.map((p) => ({ ...p, days: [...p.days] })), services: services.get(userId) ?? [] };
    });
  }

  saveSettings(change: ChangeContext, tenantId: number, userId: number, s: AgentSettings): SettingsViewT {
    const user = this.repo.user(tenantId, userId);
    if (!user) throw notFound('user');
    s.workingHours.forEach((p, i) => {
      if (p.from === p.to) throw invalidField(`workingHours.${i}.to`, `workingHours.${i}.to: a period must not start and end at the same time`);
    });
    const before = this.repo.settings(tenantId, userId);
    const skills = [...new Set(s.skills)];
    this.deps.resources.database.sqlite.transaction(() => {
      this.repo.saveSettings(tenantId, userId, { skills, workingHours: s.workingHours }, this.clock.now());
      this.audit(change, tenantId, 'agent_settings', userId, 'update', before, { skills, workingHours: s.workingHours });
    })();
    this.engine.setAgent(profileOf(user, { skills, workingHours: s.workingHours }));
    if (this.engine.agentSnapshot(agentKey({ kind: 'agent', userId }))?.state !== 'offline') this.enforceHours(tenantId, userId);
    return this.settings(tenantId, userId);
  }

  /**
   * Changes the services (queues) of several users at once: adds them to `add` (with the
   * priority given; an existing membership takes it) and removes them from `remove`. All or
   * nothing; audited per user; the engine follows.
   */
  changeServices(change: ChangeContext, tenantId: number, userIds: readonly number[], add: readonly { queueId: number; priority: number }[], remove: readonly number[]) {
    const found = this.repo.usersByIds(tenantId, userIds);
    const missing = userIds.findIndex((id) => !found.some((u) => u.id === id));
    if (missing >= 0) throw invalidField(`userIds.${missing}`, `userIds.${missing}: there is no user ${userIds[missing]} in this tenant`);
    const queueIds = [...add.map((a) => a.queueId), ...remove];
    const known = new Set(this.repo.queueIdsAmong(tenantId, queueIds));
    add.forEach((a, i) => {
      if (!known.has(a.queueId)) throw invalidField(`add.${i}.queueId`, `add.${i}.queueId: there is no queue ${a.queueId} in this tenant`);
      if (remove.includes(a.queueId)) throw invalidField(`add.${i}.queueId`, `add.${i}.queueId: queue ${a.queueId} is both added and removed`);
    });
    remove.forEach((id, i) => {
      if (!known.has(id)) throw invalidField(`remove.${i}`, `remove.${i}: there is no queue ${id} in this tenant`);
    });
    const touched = new Set(queueIds);
    this.deps.resources.database.sqlite.transaction(() => {
      for (const userId of userIds) {
        const before = this.repo.servicesOf(tenantId, userId);
        for (const a of add) this.repo.putMember(tenantId, a.queueId, userId, a.priority);
        for (const q of remove) this.repo.removeMember(tenantId, q, userId);
        this.audit(change, tenantId, 'agent_services', userId, 'update', before, this.repo.servicesOf(tenantId, userId));
      }
    })();
    for (const q of touched) {
      this.reloadQueue(tenantId, q);
      this.deps.resources.changes.publish({ tenantId, entity: 'queue', id: q, action: 'update' });
    }
    return userIds.map((userId) => ({ userId, services: this.repo.servicesOf(tenantId, userId) }));
  }


  // ───────────────────────── metrics

  /** Metrics of each queue (or one) over [from, to), recomputed from the stored facts. */
  metrics(tenantId: number, from: number, to: number, opts: { queueId?: number | undefined; slVariant?: SlVariant | undefined } = {}) {
    checkPeriod(from, to);
    checkFilterIds(this.repo, tenantId, { queueId: opts.queueId });
    const queues = this.repo.allQueues().filter((q) => q.tenantId === tenantId && (opts.queueId === undefined || q.id === opts.queueId));
    const facts = this.repo.interactionsBetween(tenantId, from, to, opts.queueId);
    const states = this.repo.statesBetween(tenantId, from, to);
    const members = this.repo.members();
    const now = this.clock.now();
    return queues.map((q) => {
      const m = queueMetrics(
        facts.filter((f) => f.queueId === q.id),
        { slSeconds: q.slaSeconds, shortAbandonSeconds: q.shortAbandonSeconds, slVariant: opts.slVariant ?? 'ignore_short_abandons' },
        Math.min(now, to),
      );
      const agentsOfQueue = new Set(members.filter((x) => x.queueId === q.id && x.userId !== null).map((x) => x.userId!));
      const occ = occupancy(
        states.filter((s) => agentsOfQueue.has(s.userId)).map((s) => ({ state: s.state, start: s.startedAt, end: s.endedAt })),
        from,
        to,
        now,
      );
      const sec = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);
      return {
        queueId: q.id,
        name: q.name,
        offered: m.offered,
        answered: m.answered,
        abandoned: m.abandoned,
        shortAbandons: m.shortAbandons,
        offeredNotAnswered: m.offeredNotAnswered,
        unansweredOffers: m.unansweredOffers,
        timeouts: m.timeouts,
        leftEmpty: m.leftEmpty,
        transferred: m.transferred,
        refused: m.refused,
        lost: m.lost,
        waiting: m.waiting,
        answeredWithinTarget: m.answeredWithinTarget,
        serviceLevel: m.serviceLevel,
        slVariant: m.slVariant,
        slSeconds: m.slSeconds,
        slTargetPercent: q.slaPercent,
        abandonRate: m.abandonRate,
        asaSeconds: sec(m.asaMs),
        msaSeconds: sec(m.msaMs),
        ahtSeconds: sec(m.ahtMs),
        mhtSeconds: sec(m.mhtMs),
        longestWaitSeconds: sec(m.longestWaitMs),
        occupancy: occ.occupancy,
      };
    });
  }

  /**
   * Calls per local date or hour and queue over [from, to), as CSV: the same figures as the
   * metrics, one row per bucket that had interactions.
   */
  /** Calls per local date (or hour) and queue over [from, to): the calls report, as rows. */
  callsReport(tenantId: number, from: number, to: number, by: 'date' | 'hour', queueId?: number): CallsReportRow[] {
    checkPeriod(from, to);
    checkFilterIds(this.repo, tenantId, { queueId });
    const queues = this.repo.allQueues().filter((q) => q.tenantId === tenantId && (queueId === undefined || q.id === queueId));
    const facts = this.repo.interactionsBetween(tenantId, from, to, queueId);
    const now = Math.min(this.clock.now(), to);
    const tz = this.deps.timeZone;
    const buckets = groupBy(facts, (f) => {
      const t = localTime(f.enteredAt, tz);
      return `${localDate(f.enteredAt, tz)}\t${by === 'hour' ? `${String(Math.floor(t.minutes / 60)).padStart(2, '0')}:00` : ''}\t${f.queueId}`;
    });
    const byId = new Map(queues.map((q) => [q.id, q]));
    const sec = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);
    return [...buckets.entries()].flatMap(([key, list]) => {
      const [date, hour, qid] = key.split('\t') as [string, string, string];
      const q = byId.get(Number(qid));
      if (!q) return [];
      const m = queueMetrics(list, { slSeconds: q.slaSeconds, shortAbandonSeconds: q.shortAbandonSeconds, slVariant: 'ignore_short_abandons' }, now);
      return [
        {
          date,
          hour: by === 'hour' ? hour : null,
          queueId: q.id,
          queueNumber: q.number,
          queueName: q.name,
          offered: m.offered,
          answered: m.answered,
          abandoned: m.abandoned,
          shortAbandons: m.shortAbandons,
          offeredNotAnswered: m.offeredNotAnswered,
          timeouts: m.timeouts,
          transferred: m.transferred,
          serviceLevel: m.serviceLevel,
          asaSeconds: sec(m.asaMs),
          ahtSeconds: sec(m.ahtMs),
          longestWaitSeconds: sec(m.longestWaitMs),
        },
      ];
    });
  }

  exportCalls(tenantId: number, from: number, to: number, by: 'date' | 'hour', queueId?: number): string {
    const rows = this.callsReport(tenantId, from, to, by, queueId).map((r) => [
      ...(by === 'hour' ? [r.date, r.hour] : [r.date]),
      r.queueNumber,
      r.queueName,
      r.offered,
      r.answered,
      r.abandoned,
      r.shortAbandons,
      r.offeredNotAnswered,
      r.timeouts,
      r.transferred,
      r.serviceLevel,
      r.asaSeconds,
      r.ahtSeconds,
      r.longestWaitSeconds,
    ]);
    const header = [
      ...(by === 'hour' ? ['data', 'hora'] : ['data']),
      'fila',
      'nome da fila',
      'oferecidas',
      'atendidas',
      'abandonadas na fila',
      'abandonos curtos',
      'oferecidas e não atendidas',
      'tempo máximo esgotado',
      'transferidas',
      'nível de serviço (%)',
      'TME (s)',
      'TMA (s)',
      'maior espera (s)',
    ];
    return toCsv(header, rows);
  }

  /** Every state and pause of the agents over [from, to) (cut to the period), with local times: the activity report. */
  activityReport(tenantId: number, from: number, to: number, userId?: number): ActivityReportRow[] {
    checkPeriod(from, to);
    checkFilterIds(this.repo, tenantId, { userId });
    const now = this.clock.now();
    const tz = this.deps.timeZone;
    const stamp = (at: number) => {
      const t = localTime(at, tz);
      const hh = String(Math.floor(t.minutes / 60)).padStart(2, '0');
      const mm = String(t.minutes % 60).padStart(2, '0');
      return `${localDate(at, tz)} ${hh}:${mm}:${String(t.seconds).padStart(2, '0')}`;
    };
    return this.repo.statesBetween(tenantId, from, to, userId).map((r) => {
      const start = Math.max(r.startedAt, from);
      const end = Math.min(r.endedAt ?? now, to);
      return {
        agent: r.userName,
        userId: r.userId,
        state: r.state,
        pauseReason: r.pauseReason,
        pauseCause: r.pauseCause,
        overrun: r.overrun,
        start: stamp(start),
        end: r.endedAt === null && end === now ? null : stamp(end),
        seconds: Math.max(0, Math.round((end - start) / 1000)),
      };
    });
  }

  exportActivity(tenantId: number, from: number, to: number, userId?: number): string {
    const rows = this.activityReport(tenantId, from, to, userId).map((r) => [r.agent, r.userId, r.state, r.pauseReason, r.pauseCause, r.overrun, r.start, r.end, r.seconds]);
    return toCsv(['agente', 'id do usuário', 'estado', 'motivo da pausa', 'origem da pausa', 'pausa excedida', 'início', 'fim', 'duração (s)'], rows);
  }

  // ───────────────────────── live state

  queueLive(tenantId: number, queueId: number) {
    const snap = this.engine.queueSnapshot(queueId);
    if (!snap || snap.tenantId !== tenantId) throw notFound('queue');
    return queueLiveView(snap, this.clock.now());
  }

  /** Every queue the actor sees (`seesQueue`) now. */
  queuesLive(actor: Actor, tenantId: number) {
    const sees = this.seesQueue(actor, tenantId);
    return this.repo
      .allQueues()
      .filter((q) => q.tenantId === tenantId && sees(q.id))
      .flatMap((q) => {
        const snap = this.engine.queueSnapshot(q.id);
        return snap ? [queueLiveView(snap, this.clock.now())] : [];
      });
  }
}

/** What the engine knows of a user whatever its state. */
const identityOf = (u: UserRow) => ({
  key: agentKey({ kind: 'agent', userId: u.id }),
  tenantId: u.tenantId,
  userId: u.id,
  name: u.name,
  extension: u.extension,
  teamId: u.teamId,
});

function profileOf(u: UserRow, settings: AgentSettings | undefined): AgentProfile {
  return {
    ...identityOf(u),
    capacity: {
      voice: u.callCenter ? Math.min(1, u.maxVoice) : 0,
      chat: u.chat ? u.maxChat : 0,
      email: u.emailChannel ? u.maxEmail : 0,
    },
    skills: settings?.skills ?? [],
  };
}

function offlineSnapshot(u: UserRow): AgentSnapshot {
  return {
    ...identityOf(u),
    state: 'offline',
    since: u.updatedAt,
    pause: null,
    pendingPause: null,
    wrapUntil: null,
    registered: false,
    active: { voice: 0, chat: 0, email: 0 },
    offers: { voice: 0, chat: 0, email: 0 },
    taken: 0,
    queueIds: [],
    interactionIds: [],
    calls: [],
    ownCalls: [],
  };
}

/**
 * The engine's sink: facts into the database, changes onto the events socket. A failure here
 * is logged and never stops the engine (the call goes on; the record may lag).
 */
class RoutingSink implements AcdSink {
  private readonly pendingQueues = new Map<number, number>();
  /** The teams each queue's last push went to: a team that drops out is told the queue is gone. */
  private readonly pushedTeams = new Map<number, Set<number>>();
  private readonly lastPause = new Map<number, number | null>();

  constructor(
    private readonly repo: RoutingRepo,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly queueDelayMs: number,
    private readonly snapshot: (queueId: number) => QueueSnapshot | undefined,
    private readonly onAnswered: (r: InteractionRecord) => void,
  ) {}

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, `routing: could not ${what}`);
    }
  }

  interaction(r: InteractionRecord): void {
    this.safely('store an interaction', () => this.repo.saveInteraction(r));
  }

  answered(r: InteractionRecord): void {
    this.safely('open the interaction in the CRM', () => this.onAnswered(r));
  }

  offer(o: OfferRecord): void {
    this.safely('store an offer', () => this.repo.saveOffer(o));
  }

  agentState(a: AgentSnapshot, from: DisplayState, at: number): void {
    this.safely('store an agent state', () => {
      if (a.userId === null) return;
      const pauseId = a.state === 'paused' ? (a.pause?.pauseTypeId ?? null) : null;
      const last = this.lastPause.get(a.userId) ?? null;
      if (from !== a.state || pauseId !== last) {
        this.repo.moveAgent(
          a.tenantId,
          a.userId,
          at,
          a.state === 'offline'
            ? null
            : { tenantId: a.tenantId, userId: a.userId, state: a.state, pauseTypeId: pauseId, pauseReason: pauseId === null ? null : a.pause!.reason, pauseCause: pauseId === null ? null : a.pause!.cause, startedAt: at },
        );
        if (last !== null && pauseId !== last) this.repo.recordActivity(a.tenantId, a.userId, 'return', last, at);
        if (pauseId !== null && pauseId !== last) this.repo.recordActivity(a.tenantId, a.userId, 'pause', pauseId, at);
        this.lastPause.set(a.userId, pauseId);
      }
    });
    this.publishAgent(a, 'agent.changed', {});
  }

  agentNotice(a: AgentSnapshot, code: AgentNoticeCode, detail: { pauseTypeId?: number; reason?: string }): void {
    if (code === 'pause_overrun' && a.userId !== null) this.safely('flag an overrun', () => this.repo.markOverrun(a.tenantId, a.userId!));
    if (code === 'desk_closed' && a.userId !== null) this.safely('record a logout', () => this.repo.recordActivity(a.tenantId, a.userId!, 'logout', null, this.clock.now(), code));
    this.publishAgent(a, 'agent.notice', { code, ...detail });
  }

  /** A supervisor's phone rung for nothing (`queues` topic, to the agent's team's supervisors: the panel of the one it rang says why). */
  supervisionRefused(tenantId: number, teamId: number | null, data: Record<string, unknown>): void {
    this.safely('push a supervision refusal', () => this.events.publish('queues', tenantId, { type: 'supervision.refused', data, teams: teamId === null ? [] : [teamId] }));
  }

  /** The controls' state of the agent's call, for its desk (`agents` topic, `agent.call`). */
  callChanged(a: AgentSnapshot, call: Record<string, unknown>): void {
    this.publishAgent(a, 'agent.call', { call });
  }

  private publishAgent(a: AgentSnapshot, type: string, extra: Record<string, unknown>): void {
    this.safely('push an agent event', () =>
      this.events.publish('agents', a.tenantId, { type, data: { agent: agentView(a), ...extra } as Record<string, unknown>, parties: a.extension ? [a.extension] : [],
        teams: a.teamId === null ? [] : [a.teamId],
      }),
    );
  }

  /** Queue changes come in bursts (one call moves several agents): one push per queue per delay. */
  queueChanged(tenantId: number, queueId: number): void {
    if (this.pendingQueues.has(queueId)) return;
    this.pendingQueues.set(queueId, tenantId);
    this.clock.setTimeout(() => {
      this.pendingQueues.delete(queueId);
      const snap = this.snapshot(queueId);
      const before = this.pushedTeams.get(queueId) ?? new Set<number>();
      // Supervisors see the queues their teams' agents are members of.
      this.safely('push a queue event', () => {
        const teams = snap ? (this.repo.memberTeams(tenantId, queueId).get(queueId) ?? new Set<number>()) : new Set<number>();
        if (snap) {
          this.pushedTeams.set(queueId, teams);
          this.events.publish('queues', tenantId, { type: 'queue.changed', data: { queue: queueLiveView(snap, this.clock.now()) }, teams: [...teams] });
        } else this.pushedTeams.delete(queueId);
        // A queue deleted, or no longer worked by a team: the panels that showed it read the
        // queues again (an admin's still lists it; that team's supervisors' no longer do).
        const gone = [...before].filter((t) => !teams.has(t));
        if (!snap || gone.length > 0) this.events.publish('queues', tenantId, { type: 'queue.hidden', data: { queueId }, teams: gone });
      });
    }, this.queueDelayMs);
  }
}

/**
 * The routing engine (ACD): queues, agents and the interactions waiting for them, driven by
 * events (an interaction enqueued, an offer answered or not, an agent pausing…) and by timers
 * on the `Clock`. It decides with the pure core (strategy, queue rules, agent state machine)
 * and acts through each interaction's `InteractionHandle`; it never touches Asterisk.
 *
 * Dispatch: an agent that can take more work looks for the best interaction across its queues
 * (higher interaction priority, then its own better priority in that queue, then the longest
 * waiting); a queue with new work offers its waiting interactions in order to the agents its
 * strategy picks. Calls to handles are queued and made once the state is consistent, so a
 * handle may call back into the engine at once.
 */
import { newId, type Clock, type Logger, type Random, type Timer } from '../kernel/index.js';
import {
  canTake,
  checkPause,
  displayState,
  offlineAgent,
  pauseSpecOf,
  stepAgent,
  type AgentEvent,
  type AgentState,
  type PauseRefusal,
  type PauseTypeRules,
} from './agent.logic.js';
import {
  type AcdSink,
  type AgentCall,
  type AgentNoticeCode,
  type AgentSnapshot,
  type InteractionHandle,
  type InteractionRecord,
  type Offer,
  type OfferFailure,
  type OfferOutcome,
  type WithdrawReason,
} from './acd.model.js';
import {
  compareWaiting,
  expectedWaitMs,
  hasSkills,
  joinDecision,
  maxPriorityAfter,
  mustLeave,
  nextWidening,
  normaliseRules,
  stickyRestriction,
  type Staffing,
} from './queue.logic.js';
import { channelOf, type AgentProfile, type Channel, type Interaction, type InteractionKind, type InteractionOutcome, type QueueSettings } from './routing.model.js';
import { emptyMemory, pickAgents, type Candidate, type StrategyMemory } from './strategy.logic.js';

interface MemberRt {
  priority: number;
  order: number;
}

interface QueueRt {
  s: QueueSettings;
  members: Map<string, MemberRt>;
  waiting: WaitingRt[];
  memory: StrategyMemory;
  /** Mean handle time (talk + hold + wrap), smoothed, for the expected wait. */
  ahtMs: number;
  dirty: boolean;
}

interface AgentRt {
  profile: AgentProfile;
  state: AgentState;
  /** When the displayed state began. */
  since: number;
  registered: boolean;
  queues: Map<number, MemberRt>;
  offers: Set<OfferRt>;
  interactions: Set<WaitingRt>;
  /** Interactions whose wrap-up is running now. */
  wrapping: Set<WaitingRt>;
  /** The agent's own calls (manual calls) now, by id; `answered` once the far end took it. */
  ownCalls: Map<string, { answered: boolean; address: string }>;
  /** Own calls over whose wrap-up waits for their tabulation (the route requires one). */
  ownUntabulated: Set<string>;
  wrapTimer?: Timer;
  pauseTimer?: Timer;
  dirty: boolean;
}

interface WaitingRt {
  i: Interaction;
  q: QueueRt;
  seq: number;
  handle: InteractionHandle;
  rec: InteractionRecord;
  phase: 'waiting' | 'connected' | 'wrap_up';
  offers: Set<OfferRt>;
  /** Agents that let it ring out (or could not be reached) in this round. */
  tried: Set<string>;
  agent: AgentRt | null;
  /** Its wrap-up waits for the tabulation (the queue requires one). */
  untabulated?: boolean;
  maxWaitTimer?: Timer;
  revisitTimer?: Timer;
  /** When its target's grace runs out (`targetGraceMs`). */
  targetTimer?: Timer;
}

interface OfferRt {
  offer: Offer;
  w: WaitingRt;
  a: AgentRt;
  timer: Timer;
}

/** The agent's wrap-up is held until one of its interactions is tabulated. */
const awaitsTabulation = (a: AgentRt): boolean => a.ownUntabulated.size > 0 || [...a.wrapping].some((w) => w.untabulated === true);

export type JoinResult = { joined: true; position: number } | { joined: false; outcome: 'full' | 'empty' | 'inactive' };

export type AgentResult = { ok: true; agent: AgentSnapshot } | { ok: false; code: 'unknown_agent' | PauseRefusal['code'] | 'not_paused' | 'not_in_wrap_up' | 'untabulated'; message: string };

export interface WaitingView {
  id: string;
  kind: Interaction['kind'];
  contact: Interaction['contact'];
  priority: number;
  enteredAt: number;
  position: number;
  offeredTo: string[];
}

export interface QueueSnapshot {
  queueId: number;
  tenantId: number;
  name: string;
  active: boolean;
  waiting: WaitingView[];
  longestWaitMs: number | null;
  agents: Record<'loggedIn' | 'available' | 'offered' | 'busy' | 'wrapUp' | 'paused', number>;
  ahtMs: number;
}

export interface AcdEngineDeps {
  clock: Clock;
  random: Random;
  logger: Logger;
  sink?: AcdSink;
  /** Mean handle time a queue is assumed to have before it has handled anything (expected wait). */
  defaultAhtMs?: number;
}

/** Weight of the newest handle time in a queue's smoothed mean. */
const AHT_SMOOTHING = 0.05;

export class AcdEngine {
  private readonly queues = new Map<number, QueueRt>();
  private readonly agents = new Map<string, AgentRt>();
  private readonly live = new Map<string, WaitingRt>();
  /** Waiting transfers addressed to one agent. */
  private readonly targeted = new Set<WaitingRt>();
  private readonly offers = new Map<string, OfferRt>();
  /** The agents' own calls (manual calls), by id, with their agent. */
  private readonly ownCalls = new Map<string, AgentRt>();
  /** Own calls over whose agent's wrap-up waits for their tabulation, by id. */
  private readonly ownHeld = new Map<string, AgentRt>();
  private readonly wrapPauses = new Map<number, { pauseTypeId: number; reason: string } | null>();
  private readonly autoPauses = new Map<number, PauseTypeRules>();
  private readonly dirtyAgents: AgentRt[] = [];
  private readonly dirtyQueues: QueueRt[] = [];
  private readonly outbox: (() => void)[] = [];
  private running = false;
  private seq = 0;
  /** Offer ids: unique in this process (a random prefix per engine, then a counter). */
  private readonly offerPrefix = newId().slice(0, 8);
  private offerSeq = 0;
  private readonly sink: AcdSink;
  private readonly log: Logger;

  constructor(private readonly deps: AcdEngineDeps) {
    this.sink = deps.sink ?? {};
    this.log = deps.logger.child({ component: 'acd' });
  }

  private get now(): number {
    return this.deps.clock.now();
  }

  // ───────────────────────────────────────────── configuration

  /** Adds or changes a queue and its members (agents must be known: `setAgent`). */
  setQueue(settings: QueueSettings, members: readonly { agent: string; priority: number; order: number }[]): void {
    let q = this.queues.get(settings.id);
    const s = { ...settings, priorityRules: normaliseRules(settings.priorityRules) };
    if (!q) {
      q = { s, members: new Map(), waiting: [], memory: emptyMemory(), ahtMs: this.deps.defaultAhtMs ?? 180_000, dirty: false };
      this.queues.set(s.id, q);
    } else q.s = s;
    for (const key of q.members.keys()) this.agents.get(key)?.queues.delete(s.id);
    q.members.clear();
    for (const m of members) {
      const a = this.agents.get(m.agent);
      if (!a) {
        this.log.warn({ queueId: s.id, agent: m.agent }, 'queue member unknown to the engine; left out');
        continue;
      }
      const member = { priority: m.priority, order: m.order };
      q.members.set(m.agent, member);
      a.queues.set(s.id, member);
    }
    for (const w of q.waiting) this.scheduleRevisit(w);
    this.markQueue(q);
    this.sink.queueChanged?.(s.tenantId, s.id);
    this.run();
  }

  /** Removes a queue; interactions still waiting in it leave as `empty`. */
  removeQueue(queueId: number): void {
    const q = this.queues.get(queueId);
    if (!q) return;
    for (const w of [...q.waiting]) this.leaveQueue(w, 'empty', 'queue removed');
    for (const key of q.members.keys()) this.agents.get(key)?.queues.delete(queueId);
    this.queues.delete(queueId);
    this.sink.queueChanged?.(q.s.tenantId, queueId);
    this.run();
  }

  /** Adds or updates an agent's profile (capacity, extension, skills); its state is kept. */
  setAgent(profile: AgentProfile): void {
    const a = this.agents.get(profile.key);
    if (a) {
      a.profile = profile;
      this.markAgent(a);
    } else {
      this.agents.set(profile.key, {
        profile,
        state: offlineAgent(this.now),
        since: this.now,
        registered: profile.extension === null,
        queues: new Map(),
        offers: new Set(),
        interactions: new Set(),
        wrapping: new Set(),
        ownCalls: new Map(),
        ownUntabulated: new Set(),
        dirty: false,
      });
    }
    this.run();
  }

  /** Forgets an agent (user deleted or deactivated): logged out, out of every queue. */
  removeAgent(key: string): void {
    const a = this.agents.get(key);
    if (!a) return;
    this.logout(key);
    for (const [queueId] of a.queues) this.queues.get(queueId)?.members.delete(key);
    this.agents.delete(key);
    this.run();
  }

  /** The tenant's automatic wrap-up pause (its reason names the wrap-up on panels), or none. */
  setWrapUpPause(tenantId: number, pause: { pauseTypeId: number; reason: string } | null): void {
    this.wrapPauses.set(tenantId, pause);
  }

  /** Pause types a queue's unanswered-offers rule may put agents in. */
  setPauseType(type: PauseTypeRules): void {
    this.autoPauses.set(type.id, type);
  }

  // ───────────────────────────────────────────── agents

  /** Restores an agent's state as stored before a restart (logged in, paused since…). */
  restoreAgent(key: string, state: Partial<Pick<AgentState, 'status' | 'since' | 'pause' | 'idleSince' | 'taken'>>): void {
    const a = this.agents.get(key);
    if (!a) return;
    const restored: AgentState = { ...a.state, ...state, status: state.status === 'wrap_up' ? 'available' : (state.status ?? a.state.status) };
    a.state = restored;
    a.since = state.since ?? this.now;
    const p = restored.pause;
    if (restored.status === 'paused' && p && p.maxMs !== null) this.wake(a, 'pause_limit', p.startedAt + p.maxMs);
    this.markAgent(a);
    this.run();
  }

  login(key: string): AgentResult {
    return this.agentOp(key, (a) => this.stepAgentRt(a, { type: 'LogIn' }));
  }

  logout(key: string, notice?: AgentNoticeCode): AgentResult {
    return this.agentOp(key, (a) => {
      this.stepAgentRt(a, { type: 'LogOut' });
      if (notice) this.sink.agentNotice?.(this.snapshotOf(a), notice, {});
    });
  }

  /** Pauses an agent (forced: by a supervisor, past the team and maximum-agents rules). */
  pause(key: string, type: PauseTypeRules, forced = false): AgentResult {
    const a = this.agents.get(key);
    if (!a) return unknownAgent(key);
    const others = this.inPause(type.id, key);
    const refusal = checkPause(type, { status: a.state.status, teamId: a.profile.teamId, currentPauseTypeId: a.state.pause?.pauseTypeId ?? null }, others, forced);
    if (refusal) return { ok: false, ...refusal };
    this.stepAgentRt(a, { type: 'Pause', pause: pauseSpecOf(type), cause: forced ? 'forced' : 'requested' });
    this.run();
    return { ok: true, agent: this.snapshotOf(a) };
  }

  unpause(key: string): AgentResult {
    const a = this.agents.get(key);
    if (!a) return unknownAgent(key);
    if (a.state.status !== 'paused' && !a.state.pendingPause) return { ok: false, code: 'not_paused', message: 'the agent is not paused' };
    this.stepAgentRt(a, { type: 'Unpause' });
    this.run();
    return { ok: true, agent: this.snapshotOf(a) };
  }

  /** The agent ends its wrap-up early. */
  ready(key: string): AgentResult {
    const a = this.agents.get(key);
    if (!a) return unknownAgent(key);
    if (a.state.status !== 'wrap_up') return { ok: false, code: 'not_in_wrap_up', message: 'the agent is not in wrap-up' };
    if (awaitsTabulation(a)) return { ok: false, code: 'untabulated', message: 'the service requires a tabulation: finish the interaction (or leave it pending) first' };
    this.stepAgentRt(a, { type: 'Ready' });
    this.run();
    return { ok: true, agent: this.snapshotOf(a) };
  }

  /** The agent's phone registered or went away (AMI contact status). */
  setRegistered(key: string, registered: boolean): void {
    const a = this.agents.get(key);
    if (!a || a.registered === registered) return;
    a.registered = registered;
    if (!registered) for (const o of [...a.offers]) if (channelOf(o.w.i.kind) === 'voice') this.endOffer(o, 'agent_unavailable', { withdraw: true });
    if (this.sink.agentState) this.sink.agentState(this.snapshotOf(a), displayState(a.state), this.now);
    this.touchQueuesOf(a);
    this.markAgent(a);
    this.run();
  }

  /** The agents (and plain extensions) whose phone is this extension. */
  keysOfExtension(extension: string): string[] {
    const keys: string[] = [];
    for (const [key, a] of this.agents) if (a.profile.extension === extension) keys.push(key);
    return keys;
  }

  private agentOp(key: string, fn: (a: AgentRt) => void): AgentResult {
    const a = this.agents.get(key);
    if (!a) return unknownAgent(key);
    fn(a);
    this.run();
    return { ok: true, agent: this.snapshotOf(a) };
  }

  private inPause(pauseTypeId: number, except: string): number {
    let n = 0;
    for (const [key, a] of this.agents) if (key !== except && a.state.status === 'paused' && a.state.pause?.pauseTypeId === pauseTypeId) n++;
    return n;
  }

  // ───────────────────────────────────────────── interactions

  /** An interaction asks to join its queue. Refused ones are recorded (offered: no). */
  enqueue(i: Interaction, handle: InteractionHandle): JoinResult {
    const q = this.queues.get(i.queueId);
    const rec = recordOf(i);
    // Staffing is counted only when the join rule needs it (it walks the members).
    const staffing = q && q.s.joinRule !== 'always' ? this.staffing(q) : { loggedIn: 0, unpaused: 0 };
    const decision = q ? joinDecision(q.s, q.waiting.length, staffing) : ({ join: false, outcome: 'inactive' } as const);
    if (!decision.join) {
      this.sink.interaction?.({ ...rec, joined: false, outcome: decision.outcome === 'inactive' ? 'empty' : decision.outcome, leftAt: i.enteredAt, endReason: `refused: ${decision.outcome}` });
      this.log.debug({ interactionId: i.id, queueId: i.queueId, outcome: decision.outcome }, 'interaction refused by the queue');
      return { joined: false, outcome: decision.outcome };
    }
    const queue = q!;
    const w: WaitingRt = { i, q: queue, seq: this.seq++, handle, rec, phase: 'waiting', offers: new Set(), tried: new Set(), agent: null };
    this.live.set(i.id, w);
    if (i.targetAgent !== null) this.targeted.add(w);
    if (i.targetAgent !== null && i.targetGraceMs !== undefined)
      w.targetTimer = this.deps.clock.setTimeout(() => this.targetGraceOver(w), Math.max(0, i.targetGraceMs));
    insertSorted(queue.waiting, w);
    if (queue.s.maxWaitSeconds > 0) {
      const at = i.enteredAt + queue.s.maxWaitSeconds * 1000;
      w.maxWaitTimer = this.deps.clock.setTimeout(() => this.timedOut(w), Math.max(0, at - this.now));
    }
    this.scheduleRevisit(w);
    this.sink.interaction?.(rec);
    this.sink.queueChanged?.(queue.s.tenantId, queue.s.id);
    this.markQueue(queue);
    this.run();
    return { joined: true, position: this.position(i.id) ?? queue.waiting.length };
  }

  /** The customer left (hung up) before an agent took it; after that, see `ended`. */
  abandoned(interactionId: string): void {
    const w = this.live.get(interactionId);
    if (!w) return;
    if (w.phase !== 'waiting') return this.ended(interactionId);
    this.leaveQueue(w, 'abandoned', 'the customer left while waiting');
    this.run();
  }

  /** Takes a waiting interaction out of its queue (moved elsewhere: a transfer, an IVR, a supervisor). */
  removeWaiting(interactionId: string, reason: string): boolean {
    const w = this.live.get(interactionId);
    if (!w || w.phase !== 'waiting') return false;
    this.leaveQueue(w, 'transferred', reason);
    this.run();
    return true;
  }

  /** The agent answered: true if the interaction is its (connect them); false if too late (hang up its leg). */
  offerAnswered(offerId: string): boolean {
    const o = this.offers.get(offerId);
    if (!o || o.w.phase !== 'waiting') return false;
    const { w, a } = o;
    this.dropOffer(o);
    this.sink.offer?.(this.offerRecord(o, 'answered'));
    w.phase = 'connected';
    w.agent = a;
    removeFrom(w.q.waiting, w);
    this.targeted.delete(w);
    this.clearTimers(w);
    const rec = w.rec;
    rec.outcome = 'answered';
    rec.answeredAt = this.now;
    rec.agent = a.profile.key;
    rec.agentUserId = a.profile.userId;
    rec.agentExtension = a.profile.extension;
    if (w.offers.size > 0) for (const other of [...w.offers]) this.endOffer(other, 'answered_elsewhere', { withdraw: true });
    a.interactions.add(w);
    this.stepAgentRt(a, { type: 'OfferAnswered', channel: channelOf(w.i.kind) });
    this.sink.interaction?.(w.rec);
    this.sink.answered?.(w.rec);
    this.sink.queueChanged?.(w.q.s.tenantId, w.q.s.id);
    this.log.debug({ interactionId: w.i.id, agent: a.profile.key }, 'waiting —answered→ connected');
    this.run();
    return true;
  }

  /** The offer did not reach or was not taken by the agent (the channel's word). */
  offerFailed(offerId: string, failure: OfferFailure): void {
    const o = this.offers.get(offerId);
    if (!o) return;
    if (failure === 'unreachable') {
      o.a.registered = false;
      this.sink.agentNotice?.(this.snapshotOf(o.a), 'phone_unreachable', {});
    }
    this.endOffer(o, failure, { withdraw: false });
    this.run();
  }

  /**
   * The interaction's talk is over (hung up, or transferred away by its agent): the agent
   * goes to wrap-up if the queue has one. `holdMs`: time the customer spent on hold.
   */
  ended(interactionId: string, opts: { holdMs?: number; reason?: string } = {}): void {
    const w = this.live.get(interactionId);
    if (!w) return;
    if (w.phase === 'waiting') return this.abandoned(interactionId);
    if (w.phase !== 'connected' || !w.agent) return;
    const a = w.agent;
    const now = this.now;
    w.rec.endedAt = now;
    w.rec.holdMs = opts.holdMs ?? 0;
    w.rec.talkMs = Math.max(0, now - (w.rec.answeredAt ?? now) - w.rec.holdMs);
    w.rec.endReason = opts.reason ?? 'ended';
    a.interactions.delete(w);
    const wrapUpMs = w.q.s.wrapUpSeconds * 1000;
    const free = a.state.status !== 'offline' && a.state.status !== 'paused';
    // A wrap-up held for the tabulation needs one, even when the queue's wrap-up time is nil;
    // its timer (1 ms then) changes nothing until the tabulation comes.
    const holdForTabulation = free && w.q.s.requireTabulation === true;
    if (free && (wrapUpMs > 0 || holdForTabulation)) {
      w.phase = 'wrap_up';
      w.untabulated = holdForTabulation;
      a.wrapping.add(w);
    } else this.handled(w);
    this.stepAgentRt(a, { type: 'InteractionEnded', channel: channelOf(w.i.kind), wrapUpMs: w.untabulated ? Math.max(wrapUpMs, 1) : wrapUpMs, wrapPause: this.wrapPauses.get(a.profile.tenantId) ?? null });
    this.sink.interaction?.(w.rec);
    this.run();
  }

  /**
   * The agent places a call of its own (a manual call, id of its choosing): busy until
   * `ownCallEnded`, offered nothing on voice meanwhile (a voice offer ringing is withdrawn).
   * False when the agent is unknown or logged out: such a call is not the desk's.
   */
  ownCallStarted(key: string, id: string, address: string): boolean {
    const a = this.agents.get(key);
    if (!a || a.state.status === 'offline' || this.ownCalls.has(id)) return false;
    for (const o of [...a.offers]) if (channelOf(o.w.i.kind) === 'voice') this.endOffer(o, 'agent_unavailable', { withdraw: true });
    a.ownCalls.set(id, { answered: false, address });
    this.ownCalls.set(id, a);
    this.stepAgentRt(a, { type: 'OwnCallStarted', channel: 'voice' });
    this.run();
    return true;
  }

  /** The far end answered the agent's own call: it is listed among the agent's interactions. */
  ownCallAnswered(id: string): void {
    const a = this.ownCalls.get(id);
    const call = a?.ownCalls.get(id);
    if (!a || !call || call.answered) return;
    call.answered = true;
    if (this.sink.agentState) this.sink.agentState(this.snapshotOf(a), displayState(a.state), this.now);
  }

  /** The tenant of a live own call (or one whose wrap-up waits for its tabulation). */
  ownCallTenant(id: string): number | undefined {
    return (this.ownCalls.get(id) ?? this.ownHeld.get(id))?.profile.tenantId;
  }

  /**
   * The agent's own call is over. With `holdForTabulation` (it was answered and its route
   * requires a tabulation) the agent's wrap-up lasts until it is tabulated (`tabulated(id)`).
   */
  ownCallEnded(id: string, opts: { holdForTabulation: boolean }): void {
    const a = this.ownCalls.get(id);
    if (!a) return;
    this.ownCalls.delete(id);
    a.ownCalls.delete(id);
    const hold = opts.holdForTabulation && a.state.status !== 'offline' && a.state.status !== 'paused';
    if (hold) {
      a.ownUntabulated.add(id);
      this.ownHeld.set(id, a);
    }
    this.stepAgentRt(a, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: hold ? 1 : 0, wrapPause: this.wrapPauses.get(a.profile.tenantId) ?? null });
    this.run();
  }

  /**
   * The interaction was tabulated (or left pending, or went on to another agent): a wrap-up
   * held for it ends when its time is over. Unknown or already released: nothing happens.
   */
  tabulated(interactionId: string): void {
    const own = this.ownHeld.get(interactionId);
    if (own) {
      this.ownHeld.delete(interactionId);
      own.ownUntabulated.delete(interactionId);
      if (own.state.status === 'wrap_up' && !awaitsTabulation(own)) {
        this.stepAgentRt(own, { type: 'WrapUpTimer' });
        this.run();
      }
      return;
    }
    const w = this.live.get(interactionId);
    if (!w?.untabulated) return;
    w.untabulated = false;
    const a = w.agent;
    if (!a || a.state.status !== 'wrap_up' || awaitsTabulation(a)) return;
    this.stepAgentRt(a, { type: 'WrapUpTimer' });
    this.run();
  }

  // ───────────────────────────────────────────── queries

  position(interactionId: string): number | undefined {
    const w = this.live.get(interactionId);
    if (!w || w.phase !== 'waiting') return undefined;
    return w.q.waiting.indexOf(w) + 1;
  }

  /** Expected wait of a waiting interaction (undefined when nobody serves its queue). */
  expectedWait(interactionId: string): number | undefined {
    const w = this.live.get(interactionId);
    const position = this.position(interactionId);
    if (!w || position === undefined) return undefined;
    return expectedWaitMs(position, w.q.ahtMs, this.staffing(w.q).unpaused);
  }

  interaction(interactionId: string): InteractionRecord | undefined {
    const w = this.live.get(interactionId);
    return w ? { ...w.rec } : undefined;
  }

  /** Could `key` be offered a transfer of this kind now (registered, free for it, or in a pause that takes transfers)? */
  mayOfferTransfer(key: string, kind: InteractionKind): boolean {
    const a = this.agents.get(key);
    return a !== undefined && this.canOffer(a, channelOf(kind), true);
  }

  agentSnapshot(key: string): AgentSnapshot | undefined {
    const a = this.agents.get(key);
    return a ? this.snapshotOf(a) : undefined;
  }

  agentsOf(tenantId: number): AgentSnapshot[] {
    const out: AgentSnapshot[] = [];
    for (const a of this.agents.values()) if (a.profile.tenantId === tenantId) out.push(this.snapshotOf(a));
    return out;
  }

  hasQueue(queueId: number): boolean {
    return this.queues.has(queueId);
  }

  queueSnapshot(queueId: number): QueueSnapshot | undefined {
    const q = this.queues.get(queueId);
    if (!q) return undefined;
    const now = this.now;
    const agents = { loggedIn: 0, available: 0, offered: 0, busy: 0, wrapUp: 0, paused: 0 };
    for (const key of q.members.keys()) {
      const a = this.agents.get(key);
      if (!a || a.state.status === 'offline') continue;
      agents.loggedIn++;
      const d = displayState(a.state);
      if (d === 'available') agents.available++;
      else if (d === 'offered') agents.offered++;
      else if (d === 'busy') agents.busy++;
      else if (d === 'wrap_up') agents.wrapUp++;
      else if (d === 'paused') agents.paused++;
    }
    const waiting = q.waiting.map((w, idx) => ({
      id: w.i.id,
      kind: w.i.kind,
      contact: w.i.contact,
      priority: w.i.priority,
      enteredAt: w.i.enteredAt,
      position: idx + 1,
      offeredTo: [...w.offers].map((o) => o.a.profile.key),
    }));
    const longest = q.waiting.reduce<number | null>((m, w) => Math.max(m ?? 0, now - w.i.enteredAt), null);
    return { queueId, tenantId: q.s.tenantId, name: q.s.name, active: q.s.active, waiting, longestWaitMs: longest, agents, ahtMs: Math.round(q.ahtMs) };
  }

  // ───────────────────────────────────────────── dispatch

  private markAgent(a: AgentRt): void {
    if (a.dirty) return;
    a.dirty = true;
    this.dirtyAgents.push(a);
  }

  private markQueue(q: QueueRt): void {
    if (q.dirty) return;
    q.dirty = true;
    this.dirtyQueues.push(q);
  }

  /** Processes dirty agents and queues, then the handle calls they produced, until all is quiet. */
  private run(): void {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const a = this.dirtyAgents.shift();
        if (a) {
          a.dirty = false;
          if (this.agents.get(a.profile.key) === a) this.serveAgent(a);
          continue;
        }
        const q = this.dirtyQueues.shift();
        if (q) {
          q.dirty = false;
          if (this.queues.get(q.s.id) === q) this.serveQueue(q);
          continue;
        }
        const call = this.outbox.shift();
        if (call) {
          try {
            call();
          } catch (err) {
            this.log.error({ err }, 'interaction handle failed');
          }
          continue;
        }
        break;
      }
    } finally {
      this.running = false;
    }
  }

  private canOffer(a: AgentRt, channel: Channel, transfer: boolean): boolean {
    return (channel !== 'voice' || a.registered) && canTake(a.state, channel, a.profile.capacity, transfer);
  }

  /** Does the interaction want another offer now? One at a time, except ring-all. */
  private wantsOffer(w: WaitingRt): boolean {
    return w.phase === 'waiting' && (w.offers.size === 0 || w.q.s.strategy === 'ring_all');
  }

  private offeredTo(w: WaitingRt, a: AgentRt): boolean {
    for (const o of w.offers) if (o.a === a) return true;
    return false;
  }

  /** May `a`, a member with `member`'s priority (or the addressee of a transfer), be offered `w` now? */
  private eligible(w: WaitingRt, a: AgentRt, member: MemberRt | undefined, sticky: string | undefined, now: number): boolean {
    if (w.i.targetAgent !== null) return w.i.targetAgent === a.profile.key;
    if (!member) return false;
    if (sticky !== undefined && sticky !== a.profile.key) return false;
    if (member.priority > maxPriorityAfter(w.q.s.priorityRules, now - w.i.enteredAt)) return false;
    return w.i.requiredSkills.length === 0 || hasSkills(a.profile.skills, w.i.requiredSkills);
  }

  private stickyOf(w: WaitingRt, now: number): string | undefined {
    const q = w.q;
    if (q.s.stickySeconds <= 0) return undefined;
    return stickyRestriction(q.s, w.i, now, (key) => q.members.has(key) && this.agents.get(key)?.state.status !== 'offline');
  }

  /** An agent with room for more work takes the best interaction it may across its queues. */
  private serveAgent(a: AgentRt): void {
    const now = this.now;
    const key = a.profile.key;
    for (;;) {
      const voice = this.canOffer(a, 'voice', false);
      const chat = this.canOffer(a, 'chat', false);
      const email = this.canOffer(a, 'email', false);
      let best: { w: WaitingRt; member: MemberRt } | undefined;
      let skippedTried = false;
      if (voice || chat || email) {
        for (const [queueId, member] of a.queues) {
          const q = this.queues.get(queueId)!;
          for (const w of q.waiting) {
            const channel = channelOf(w.i.kind);
            if (!(channel === 'voice' ? voice : channel === 'chat' ? chat : email) || !this.wantsOffer(w) || this.offeredTo(w, a)) continue;
            if (!this.eligible(w, a, member, this.stickyOf(w, now), now)) continue;
            if (w.tried.has(key)) {
              skippedTried = true;
              continue;
            }
            if (!best || better(w, member, best.w, best.member)) best = { w, member };
            break;
          }
        }
      }
      for (const w of this.targeted) {
        if (w.i.targetAgent !== key || !this.wantsOffer(w) || this.offeredTo(w, a) || !this.canOffer(a, channelOf(w.i.kind), true)) continue;
        if (!best || better(w, undefined, best.w, best.member)) best = { w, member: { priority: 0, order: 0 } };
      }
      if (!best) {
        // It was tried for all it could take: its queues decide whether a new round begins.
        if (skippedTried) this.touchQueuesOf(a, true);
        return;
      }
      this.makeOffer(best.w, a);
    }
  }

  /** A queue offers its waiting interactions, in order, to the agents its strategy picks. */
  private serveQueue(q: QueueRt): void {
    const now = this.now;
    if (q.s.leaveRule !== 'never' && q.waiting.length > 0 && mustLeave(q.s.leaveRule, this.staffing(q))) {
      for (const w of [...q.waiting]) this.leaveQueue(w, 'empty', `no agents (${q.s.leaveRule})`);
      return;
    }
    const exhausted = new Set<Channel>();
    for (let idx = 0; idx < q.waiting.length; idx++) {
      const w = q.waiting[idx]!;
      const channel = channelOf(w.i.kind);
      if (!this.wantsOffer(w) || exhausted.has(channel)) continue;
      if (w.i.targetAgent !== null) {
        const target = this.agents.get(w.i.targetAgent);
        if (target && !this.offeredTo(w, target) && this.canOffer(target, channel, true)) this.makeOffer(w, target);
        continue;
      }
      const sticky = this.stickyOf(w, now);
      const fresh: Candidate[] = [];
      const tried: Candidate[] = [];
      let anyone = false;
      for (const [key, member] of q.members) {
        const a = this.agents.get(key)!;
        if (!this.canOffer(a, channel, false)) continue;
        anyone = true;
        if (this.offeredTo(w, a) || !this.eligible(w, a, member, sticky, now)) continue;
        const c: Candidate = { agent: key, priority: member.priority, order: member.order, idleSince: a.state.idleSince, taken: a.state.taken };
        (w.tried.has(key) ? tried : fresh).push(c);
      }
      if (!anyone) {
        exhausted.add(channel);
        continue;
      }
      let candidates = fresh;
      if (candidates.length === 0 && tried.length > 0 && w.offers.size === 0) {
        // Everyone it could go to has been tried: a new round.
        w.tried.clear();
        candidates = tried;
      }
      if (candidates.length === 0) continue;
      const pick = pickAgents(q.s.strategy, candidates, q.memory, this.deps.random);
      q.memory = pick.memory;
      for (const c of pick.agents) this.makeOffer(w, this.agents.get(c.agent)!);
    }
  }

  private makeOffer(w: WaitingRt, a: AgentRt): void {
    const now = this.now;
    const offer: Offer = { id: `${this.offerPrefix}-${++this.offerSeq}`, interaction: w.i, agent: a.profile, ringMs: w.q.s.ringSeconds * 1000, at: now };
    const o: OfferRt = { offer, w, a, timer: this.deps.clock.setTimeout(() => this.ringTimeout(offer.id), offer.ringMs) };
    this.offers.set(offer.id, o);
    w.offers.add(o);
    a.offers.add(o);
    w.rec.offers++;
    w.rec.firstOfferAt ??= now;
    this.stepAgentRt(a, { type: 'Offered', channel: channelOf(w.i.kind) });
    this.outbox.push(() => w.handle.offer(offer));
    this.sink.interaction?.(w.rec);
  }

  private ringTimeout(offerId: string): void {
    const o = this.offers.get(offerId);
    if (!o) return;
    this.endOffer(o, 'ring_timeout', { withdraw: true });
    this.run();
  }

  /** Removes an offer from the books (no side effects on agent or handle). */
  private dropOffer(o: OfferRt): void {
    o.timer.cancel();
    this.offers.delete(o.offer.id);
    o.w.offers.delete(o);
    o.a.offers.delete(o);
  }

  /** Ends an offer that the agent did not take; `withdraw` tells the channel to stop it. */
  private endOffer(o: OfferRt, outcome: Exclude<OfferOutcome, 'answered'>, opts: { withdraw: boolean }): void {
    if (!this.offers.has(o.offer.id)) return;
    this.dropOffer(o);
    const missed = outcome === 'ring_timeout' || outcome === 'no_answer' || outcome === 'rejected';
    const notReached = outcome === 'unreachable' || outcome === 'failed';
    if (missed || notReached) {
      o.w.tried.add(o.a.profile.key);
      o.w.rec.unansweredOffers++;
      this.sink.interaction?.(o.w.rec);
      // A transfer to an agent who does not take it goes to the queue's own agents, not to them again.
      if (o.w.i.targetAgent === o.a.profile.key && !o.w.i.targetOnly) {
        o.w.i.targetAgent = null;
        this.targeted.delete(o.w);
      }
    }
    this.sink.offer?.(this.offerRecord(o, outcome));
    const q = o.w.q;
    const autoType = q.s.autoPauseTypeId !== null ? this.autoPauses.get(q.s.autoPauseTypeId) : undefined;
    const event: AgentEvent = {
      type: 'OfferEnded',
      channel: channelOf(o.w.i.kind),
      missed,
      ...(autoType && q.s.autoPauseAfter > 0 ? { autoPause: { after: q.s.autoPauseAfter, pause: pauseSpecOf(autoType) } } : {}),
    };
    if (opts.withdraw) this.outbox.push(() => o.w.handle.withdraw(o.offer, outcome as WithdrawReason));
    this.stepAgentRt(o.a, event);
    if (o.w.phase !== 'waiting') return;
    if ((missed || notReached) && o.w.i.targetOnly) this.leaveQueue(o.w, 'empty', `${o.a.profile.name} did not take it (${outcome})`);
    else this.markQueue(q);
  }

  private offerRecord(o: OfferRt, outcome: OfferOutcome) {
    return {
      id: o.offer.id,
      tenantId: o.w.i.tenantId,
      interactionId: o.w.i.id,
      queueId: o.w.q.s.id,
      agent: o.a.profile.key,
      agentUserId: o.a.profile.userId,
      offeredAt: o.offer.at,
      endedAt: this.now,
      outcome,
    };
  }

  /** Its target has not taken it within the grace: the queue's own agents may, unless the target's phone rings now. */
  private targetGraceOver(w: WaitingRt): void {
    w.targetTimer = undefined;
    if (w.phase !== 'waiting' || w.i.targetAgent === null) return;
    for (const o of w.offers) if (o.a.profile.key === w.i.targetAgent) return;
    w.i.targetAgent = null;
    this.targeted.delete(w);
    this.markQueue(w.q);
    this.run();
  }

  private timedOut(w: WaitingRt): void {
    if (w.phase !== 'waiting') return;
    this.leaveQueue(w, 'timeout', `waited the queue's maximum of ${w.q.s.maxWaitSeconds} s`);
    this.run();
  }

  /** The interaction leaves its queue without an agent. */
  private leaveQueue(w: WaitingRt, outcome: InteractionOutcome, reason: string): void {
    for (const o of [...w.offers]) this.endOffer(o, 'interaction_left', { withdraw: true });
    removeFrom(w.q.waiting, w);
    this.targeted.delete(w);
    this.clearTimers(w);
    this.live.delete(w.i.id);
    w.phase = 'wrap_up';
    Object.assign(w.rec, { outcome, leftAt: this.now, endReason: reason, handled: true } satisfies Partial<InteractionRecord>);
    this.sink.interaction?.(w.rec);
    this.sink.queueChanged?.(w.q.s.tenantId, w.q.s.id);
    this.log.debug({ interactionId: w.i.id, outcome, reason }, `waiting —${outcome}→ left`);
    if (outcome === 'timeout' || outcome === 'empty') {
      const leave = outcome;
      this.outbox.push(() => w.handle.leave(leave));
    }
  }

  private handled(w: WaitingRt): void {
    w.rec.handled = true;
    this.live.delete(w.i.id);
    const h = w.rec.talkMs + w.rec.holdMs + w.rec.wrapMs;
    w.q.ahtMs += AHT_SMOOTHING * (h - w.q.ahtMs);
  }

  private clearTimers(w: WaitingRt): void {
    w.maxWaitTimer?.cancel();
    w.revisitTimer?.cancel();
    w.targetTimer?.cancel();
    w.maxWaitTimer = undefined;
    w.revisitTimer = undefined;
    w.targetTimer = undefined;
  }

  /** Wakes the queue when the interaction's priority rules widen or its sticky window closes. */
  private scheduleRevisit(w: WaitingRt): void {
    w.revisitTimer?.cancel();
    w.revisitTimer = undefined;
    const now = this.now;
    const times = [nextWidening(w.q.s.priorityRules, w.i.enteredAt, now)];
    if (w.q.s.stickySeconds > 0) {
      const end = w.i.enteredAt + w.q.s.stickySeconds * 1000;
      if (end > now) times.push(end);
    }
    const at = Math.min(...times.filter((t): t is number => t !== undefined));
    if (!Number.isFinite(at)) return;
    w.revisitTimer = this.deps.clock.setTimeout(() => {
      w.revisitTimer = undefined;
      if (w.phase !== 'waiting') return;
      this.scheduleRevisit(w);
      this.markQueue(w.q);
      this.run();
    }, at - now);
  }

  /** Members logged in, and logged in and not paused (plain extensions: while registered). */
  private staffing(q: QueueRt): Staffing {
    let loggedIn = 0;
    let unpaused = 0;
    for (const key of q.members.keys()) {
      const a = this.agents.get(key)!;
      if (a.state.status === 'offline' || !a.registered) continue;
      loggedIn++;
      if (a.state.status !== 'paused') unpaused++;
    }
    return { loggedIn, unpaused };
  }

  private touchQueuesOf(a: AgentRt, onlyWaiting = false): void {
    for (const queueId of a.queues.keys()) {
      const q = this.queues.get(queueId)!;
      if (onlyWaiting && q.waiting.length === 0) continue;
      this.markQueue(q);
      if (!onlyWaiting) this.sink.queueChanged?.(q.s.tenantId, q.s.id);
    }
  }

  /** An agent's state changed: its queues' panels change, and queues with a leave rule check it. */
  private staffingChanged(a: AgentRt): void {
    for (const queueId of a.queues.keys()) {
      const q = this.queues.get(queueId)!;
      this.sink.queueChanged?.(q.s.tenantId, q.s.id);
      if (q.s.leaveRule !== 'never' && q.waiting.length > 0) this.markQueue(q);
    }
  }

  // ───────────────────────────────────────────── agent state

  private stepAgentRt(a: AgentRt, event: AgentEvent): void {
    const now = this.now;
    const before = a.state;
    const { state, effects } = stepAgent(before, event, now);
    a.state = state;
    if (before.status === 'wrap_up' && state.status !== 'wrap_up') this.wrapUpOver(a);
    for (const e of effects) {
      switch (e.type) {
        case 'StateChanged':
          if (e.from !== e.to) a.since = now;
          if (this.log.isLevelEnabled('debug')) this.log.debug({ agent: a.profile.key }, `${e.from} —${event.type}→ ${e.to}`);
          if (this.sink.agentState) this.sink.agentState(this.snapshotOf(a), e.from, now);
          this.staffingChanged(a);
          this.markAgent(a);
          break;
        case 'WakeAt':
          this.wake(a, e.reason, e.at);
          break;
        case 'WithdrawOffers':
          for (const o of [...a.offers]) this.endOffer(o, 'agent_unavailable', { withdraw: true });
          break;
        case 'Notice':
          this.sink.agentNotice?.(this.snapshotOf(a), e.code, { pauseTypeId: e.pauseTypeId, reason: e.reason });
          break;
      }
    }
    if (state.status === 'offline' || state.status === 'paused') {
      a.wrapTimer?.cancel();
      if (state.status === 'offline') a.pauseTimer?.cancel();
    }
  }

  private wake(a: AgentRt, reason: 'wrap_up' | 'pause_limit', at: number): void {
    const fire = () => {
      // A held wrap-up ends with the tabulation (`tabulated`), not with its timer.
      if (reason === 'wrap_up' && awaitsTabulation(a)) return;
      this.stepAgentRt(a, reason === 'wrap_up' ? { type: 'WrapUpTimer' } : { type: 'PauseLimitReached' });
      this.run();
    };
    const timer = this.deps.clock.setTimeout(fire, Math.max(0, at - this.now));
    if (reason === 'wrap_up') {
      a.wrapTimer?.cancel();
      a.wrapTimer = timer;
    } else {
      a.pauseTimer?.cancel();
      a.pauseTimer = timer;
    }
  }

  private wrapUpOver(a: AgentRt): void {
    const now = this.now;
    for (const w of a.wrapping) {
      w.rec.wrapMs = Math.max(0, now - (w.rec.endedAt ?? now));
      this.handled(w);
      this.sink.interaction?.(w.rec);
    }
    a.wrapping.clear();
    for (const id of a.ownUntabulated) this.ownHeld.delete(id);
    a.ownUntabulated.clear();
  }

  private snapshotOf(a: AgentRt): AgentSnapshot {
    const s = a.state;
    return {
      key: a.profile.key,
      tenantId: a.profile.tenantId,
      userId: a.profile.userId,
      name: a.profile.name,
      extension: a.profile.extension,
      teamId: a.profile.teamId,
      state: displayState(s),
      since: a.since,
      pause: s.pause,
      pendingPause: s.pendingPause ? { pauseTypeId: s.pendingPause.pauseTypeId, reason: s.pendingPause.reason } : null,
      wrapUntil: s.status === 'wrap_up' ? s.wrapUntil : null,
      registered: a.registered,
      active: { ...s.active },
      offers: { ...s.offers },
      taken: s.taken,
      queueIds: [...a.queues.keys()],
      interactionIds: [...[...a.interactions].map((w) => w.i.id), ...[...a.ownCalls].filter(([, c]) => c.answered).map(([id]) => id)],
      calls: [...[...a.offers].map((o) => callOf(o.w, true)), ...[...a.interactions].map((w) => callOf(w, false))],
      ownCalls: [...a.ownCalls].map(([id, c]) => ({ id, address: c.address, answered: c.answered })),
    };
  }
}

const callOf = (w: WaitingRt, ringing: boolean): AgentCall => ({ interactionId: w.i.id, queueId: w.i.queueId, address: w.i.contact.address, ringing });

const unknownAgent = (key: string): AgentResult => ({ ok: false, code: 'unknown_agent', message: `agent ${key} is not known to the routing engine` });

/** Is `w` (as seen by an agent with `member`) a better next interaction than `b`? */
function better(w: WaitingRt, member: MemberRt | undefined, b: WaitingRt, bMember: MemberRt | undefined): boolean {
  if (w.i.priority !== b.i.priority) return w.i.priority > b.i.priority;
  const p = member?.priority ?? 0;
  const bp = bMember?.priority ?? 0;
  if (p !== bp) return p < bp;
  return w.i.enteredAt < b.i.enteredAt || (w.i.enteredAt === b.i.enteredAt && w.seq < b.seq);
}

function insertSorted(list: WaitingRt[], w: WaitingRt): void {
  const key = { priority: w.i.priority, enteredAt: w.i.enteredAt, seq: w.seq };
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = list[mid]!;
    if (compareWaiting({ priority: m.i.priority, enteredAt: m.i.enteredAt, seq: m.seq }, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, w);
}

function removeFrom(list: WaitingRt[], w: WaitingRt): void {
  const idx = list.indexOf(w);
  if (idx >= 0) list.splice(idx, 1);
}

function recordOf(i: Interaction): InteractionRecord {
  return {
    id: i.id,
    tenantId: i.tenantId,
    kind: i.kind,
    queueId: i.queueId,
    callId: i.callId,
    contactAddress: i.contact.address,
    contactName: i.contact.name,
    contactId: i.contact.contactId,
    priority: i.priority,
    enteredAt: i.enteredAt,
    joined: true,
    outcome: null,
    firstOfferAt: null,
    answeredAt: null,
    leftAt: null,
    agent: null,
    agentUserId: null,
    agentExtension: null,
    endedAt: null,
    talkMs: 0,
    holdMs: 0,
    wrapMs: 0,
    handled: false,
    offers: 0,
    unansweredOffers: 0,
    transferredFrom: i.transferredFrom,
    endReason: null,
  };
}

/**
 * The agent state machine, pure: `stepAgent(state, event, now) → { state, effects }`.
 *
 *   offline ─login→ available ─offer→ offered ─answer→ busy ─end→ wrap_up ─timer/ready→ available
 *                      │  ↑                 └─no answer→ available (paused after N in a row)
 *                      └pause→ paused(reason) ─unpause / limit without overrun→ available
 *   (an agent's own call — a manual call — makes it busy from any status but offline, until it ends)
 *
 * `status` is what the agent chose or the rules put it in (offline, available, paused,
 * wrap_up); offers and interactions are counted per channel, so an agent may take a call while
 * it has chats open. What panels show (`displayState`) puts busy and offered over the status.
 * A pause asked for while busy starts when the agent is free (after its wrap-up).
 */
import type { Channel } from './routing.model.js';

export type AgentStatus = 'offline' | 'available' | 'paused' | 'wrap_up';
export type DisplayState = 'offline' | 'available' | 'offered' | 'busy' | 'wrap_up' | 'paused';
export const DISPLAY_STATES: readonly DisplayState[] = ['offline', 'available', 'offered', 'busy', 'wrap_up', 'paused'];

/** A pause as the agent is in it. */
export interface PauseSpec {
  pauseTypeId: number;
  reason: string;
  /** Null: no limit. */
  maxMs: number | null;
  overrunAllowed: boolean;
  /** Transfers to the agent (`@`) still reach it in this pause. */
  transfersAllowed: boolean;
}

/** Who put the agent in a pause: itself, a supervisor, or the queue's unanswered-offers rule. */
export type PauseCause = 'requested' | 'forced' | 'no_answer';

export interface ActivePause extends PauseSpec {
  startedAt: number;
  cause: PauseCause;
  /** The maximum duration passed with overrun allowed: panels flag it. */
  overrun: boolean;
}

export interface AgentState {
  status: AgentStatus;
  /** When `status` (or the pause) last changed. */
  since: number;
  pause: ActivePause | null;
  /** A pause asked for while the agent was busy; it starts when the agent is free. */
  pendingPause: (PauseSpec & { cause: PauseCause }) | null;
  /** End of the current wrap-up. */
  wrapUntil: number | null;
  /** The automatic wrap-up pause type (its reason names the wrap-up on panels), if the tenant has one. */
  wrapPause: { pauseTypeId: number; reason: string } | null;
  offers: Record<Channel, number>;
  active: Record<Channel, number>;
  /** End of its last interaction, or its login or return from a pause (longest idle). */
  idleSince: number;
  /** Interactions taken since login (fewest calls). */
  taken: number;
  /** Offers left unanswered in a row. */
  missedInARow: number;
}

const zero = (): Record<Channel, number> => ({ voice: 0, chat: 0, email: 0 });

export const offlineAgent = (now: number): AgentState => ({
  status: 'offline',
  since: now,
  pause: null,
  pendingPause: null,
  wrapUntil: null,
  wrapPause: null,
  offers: zero(),
  active: zero(),
  idleSince: now,
  taken: 0,
  missedInARow: 0,
});

export type AgentEvent =
  | { type: 'LogIn' }
  | { type: 'LogOut' }
  | { type: 'Pause'; pause: PauseSpec; cause: PauseCause }
  | { type: 'Unpause' }
  | { type: 'Offered'; channel: Channel }
  | { type: 'OfferAnswered'; channel: Channel }
  /** The agent placed a call of its own (a manual call): busy on the channel until it ends (`InteractionEnded`). */
  | { type: 'OwnCallStarted'; channel: Channel }
  /**
   * An offer that did not become the agent's. `missed` when the agent let it ring out or
   * refused it (counts towards the automatic pause), not when it was withdrawn (another agent
   * answered, the customer left) or could not reach the phone.
   */
  | { type: 'OfferEnded'; channel: Channel; missed: boolean; autoPause?: { after: number; pause: PauseSpec } }
  /** An interaction the agent handled ended; `wrapUpMs` of after-call work follow. */
  | { type: 'InteractionEnded'; channel: Channel; wrapUpMs: number; wrapPause?: { pauseTypeId: number; reason: string } | null }
  /** The wrap-up timer ran out (ignored when the wrap-up was extended past it). */
  | { type: 'WrapUpTimer' }
  /** The agent says it is ready before its wrap-up timer ran out. */
  | { type: 'Ready' }
  /** The pause's maximum duration has passed. */
  | { type: 'PauseLimitReached' };

export type AgentEffect =
  /** What panels show, or the pause, changed: persist as activity and push. */
  | { type: 'StateChanged'; from: DisplayState; to: DisplayState; pause: ActivePause | null }
  /** Step the agent again at this time (wrap-up end, pause limit). */
  | { type: 'WakeAt'; at: number; reason: 'wrap_up' | 'pause_limit' }
  /** Offers still ringing must be withdrawn (the agent paused or logged out). */
  | { type: 'WithdrawOffers' }
  /** Tell the agent (and its supervisors). */
  | { type: 'Notice'; code: 'pause_limit_returned' | 'pause_overrun' | 'auto_paused'; pauseTypeId: number; reason: string };

export interface AgentStep {
  state: AgentState;
  effects: AgentEffect[];
}

const total = (r: Record<Channel, number>): number => r.voice + r.chat + r.email;

export function displayState(s: AgentState): DisplayState {
  if (total(s.active) > 0) return 'busy';
  if (total(s.offers) > 0) return 'offered';
  return s.status;
}

/** Is the agent handling or being offered anything? */
export const isHandling = (s: AgentState): boolean => total(s.active) + total(s.offers) > 0;

/**
 * May the agent be offered an interaction of `channel` now, given its capacity? Voice excludes
 * voice. A transfer addressed to the agent also reaches it in a pause that allows transfers.
 */
export function canTake(s: AgentState, channel: Channel, capacity: Record<Channel, number>, transfer = false): boolean {
  const open = s.status === 'available' && s.pendingPause === null;
  if (!open && !(transfer && s.status === 'paused' && s.pause?.transfersAllowed === true)) return false;
  const limit = channel === 'voice' ? Math.min(1, capacity.voice) : capacity[channel];
  return s.active[channel] + s.offers[channel] < limit;
}

function startPause(s: AgentState, spec: PauseSpec, cause: PauseCause, now: number, effects: AgentEffect[]): AgentState {
  const pause: ActivePause = { ...spec, startedAt: now, cause, overrun: false };
  if (spec.maxMs !== null) effects.push({ type: 'WakeAt', at: now + spec.maxMs, reason: 'pause_limit' });
  return { ...s, status: 'paused', since: now, pause, pendingPause: null, wrapUntil: null };
}

/** The agent is free of work: a pending pause starts, else it becomes available. */
function becomeFree(s: AgentState, now: number, effects: AgentEffect[]): AgentState {
  if (s.pendingPause) {
    const { cause, ...spec } = s.pendingPause;
    return startPause(s, spec, cause, now, effects);
  }
  return { ...s, status: 'available', since: now, pause: null, wrapUntil: null, idleSince: now };
}

const dec = (r: Record<Channel, number>, c: Channel): Record<Channel, number> => ({ ...r, [c]: Math.max(0, r[c] - 1) });
const inc = (r: Record<Channel, number>, c: Channel): Record<Channel, number> => ({ ...r, [c]: r[c] + 1 });

export function stepAgent(s: AgentState, e: AgentEvent, now: number): AgentStep {
  const effects: AgentEffect[] = [];
  const next = transition(s, e, now, effects);
  const from = displayState(s);
  const to = displayState(next);
  if (from !== to || s.pause !== next.pause || s.status !== next.status) {
    effects.unshift({ type: 'StateChanged', from, to, pause: next.pause });
  }
  return { state: next, effects };
}

function transition(s: AgentState, e: AgentEvent, now: number, effects: AgentEffect[]): AgentState {
  switch (e.type) {
    case 'LogIn':
      if (s.status !== 'offline') return s;
      return { ...s, status: 'available', since: now, pause: null, pendingPause: null, wrapUntil: null, idleSince: now, taken: 0, missedInARow: 0 };
    case 'LogOut':
      if (s.status === 'offline') return s;
      if (total(s.offers) > 0) effects.push({ type: 'WithdrawOffers' });
      return { ...s, status: 'offline', since: now, pause: null, pendingPause: null, wrapUntil: null };
    case 'Pause': {
      if (s.status === 'offline') return s;
      if (total(s.offers) > 0) effects.push({ type: 'WithdrawOffers' });
      if (s.status === 'paused' || total(s.active) === 0) return startPause(s, e.pause, e.cause, now, effects);
      return { ...s, pendingPause: { ...e.pause, cause: e.cause } };
    }
    case 'Unpause':
      if (s.status === 'paused') return { ...s, status: 'available', since: now, pause: null, pendingPause: null, idleSince: now };
      return s.pendingPause ? { ...s, pendingPause: null } : s;
    case 'Offered':
      return { ...s, offers: inc(s.offers, e.channel) };
    case 'OfferAnswered':
      return { ...s, offers: dec(s.offers, e.channel), active: inc(s.active, e.channel), taken: s.taken + 1, missedInARow: 0 };
    case 'OwnCallStarted':
      return { ...s, active: inc(s.active, e.channel) };
    case 'OfferEnded': {
      const after = { ...s, offers: dec(s.offers, e.channel), missedInARow: e.missed ? s.missedInARow + 1 : s.missedInARow };
      if (e.missed && e.autoPause && e.autoPause.after > 0 && after.missedInARow >= e.autoPause.after && after.status === 'available') {
        effects.push({ type: 'Notice', code: 'auto_paused', pauseTypeId: e.autoPause.pause.pauseTypeId, reason: e.autoPause.pause.reason });
        if (total(after.offers) > 0) effects.push({ type: 'WithdrawOffers' });
        const paused = total(after.active) > 0 ? { ...after, pendingPause: { ...e.autoPause.pause, cause: 'no_answer' as const } } : startPause(after, e.autoPause.pause, 'no_answer', now, effects);
        return { ...paused, missedInARow: 0 };
      }
      return after;
    }
    case 'InteractionEnded': {
      const after: AgentState = { ...s, active: dec(s.active, e.channel), idleSince: now };
      if (after.status === 'offline' || after.status === 'paused') return after;
      if (total(after.active) > 0 && e.wrapUpMs <= 0) return after;
      if (e.wrapUpMs > 0) {
        const until = Math.max(after.wrapUntil ?? 0, now + e.wrapUpMs);
        effects.push({ type: 'WakeAt', at: until, reason: 'wrap_up' });
        return { ...after, status: 'wrap_up', since: after.status === 'wrap_up' ? after.since : now, wrapUntil: until, wrapPause: e.wrapPause ?? null };
      }
      if (after.status === 'wrap_up') return after;
      return after.pendingPause ? becomeFree(after, now, effects) : after;
    }
    case 'WrapUpTimer':
      if (s.status !== 'wrap_up' || (s.wrapUntil !== null && now < s.wrapUntil)) return s;
      return becomeFree({ ...s, wrapPause: null }, now, effects);
    case 'Ready':
      if (s.status !== 'wrap_up') return s;
      return becomeFree({ ...s, wrapPause: null }, now, effects);
    case 'PauseLimitReached': {
      const p = s.pause;
      if (s.status !== 'paused' || !p || p.maxMs === null || now < p.startedAt + p.maxMs || p.overrun) return s;
      if (p.overrunAllowed) {
        effects.push({ type: 'Notice', code: 'pause_overrun', pauseTypeId: p.pauseTypeId, reason: p.reason });
        return { ...s, pause: { ...p, overrun: true } };
      }
      effects.push({ type: 'Notice', code: 'pause_limit_returned', pauseTypeId: p.pauseTypeId, reason: p.reason });
      return { ...s, status: 'available', since: now, pause: null, idleSince: now };
    }
  }
}

/** A pause type as the rules need it. */
export interface PauseTypeRules {
  id: number;
  reason: string;
  active: boolean;
  wrapUp: boolean;
  maxAgents: number | null;
  maxDurationMinutes: number | null;
  overrunAllowed: boolean;
  transferWhilePaused: boolean;
  /** Empty: every team. */
  teamIds: readonly number[];
}

export type PauseRefusal =
  | { code: 'not_logged_in'; message: string }
  | { code: 'pause_disabled'; message: string }
  | { code: 'pause_automatic'; message: string }
  | { code: 'pause_not_for_team'; message: string }
  | { code: 'pause_full'; message: string };

/**
 * May this agent enter this pause now? `othersInPause`: agents other than this one in it now.
 * A supervisor's forced pause passes the team and maximum-agents rules.
 */
export function checkPause(
  type: PauseTypeRules,
  agent: { status: AgentStatus; teamId: number | null; currentPauseTypeId: number | null },
  othersInPause: number,
  forced: boolean,
): PauseRefusal | undefined {
  if (agent.status === 'offline') return { code: 'not_logged_in', message: 'the agent is not logged in' };
  if (!type.active) return { code: 'pause_disabled', message: `the pause "${type.reason}" is disabled` };
  if (type.wrapUp) return { code: 'pause_automatic', message: `"${type.reason}" is the automatic wrap-up pause; agents enter it only after an interaction` };
  if (forced) return undefined;
  if (type.teamIds.length > 0 && (agent.teamId === null || !type.teamIds.includes(agent.teamId))) {
    return { code: 'pause_not_for_team', message: `the pause "${type.reason}" is not offered to the agent's team` };
  }
  if (type.maxAgents !== null && agent.currentPauseTypeId !== type.id && othersInPause >= type.maxAgents) {
    return { code: 'pause_full', message: `${othersInPause} of ${type.maxAgents} agents are already in the pause "${type.reason}"; try again later` };
  }
  return undefined;
}

export const pauseSpecOf = (t: Pick<PauseTypeRules, 'id' | 'reason' | 'maxDurationMinutes' | 'overrunAllowed' | 'transferWhilePaused'>): PauseSpec => ({
  pauseTypeId: t.id,
  reason: t.reason,
  maxMs: t.maxDurationMinutes === null ? null : t.maxDurationMinutes * 60_000,
  overrunAllowed: t.overrunAllowed,
  transfersAllowed: t.transferWhilePaused,
});

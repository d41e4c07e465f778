/**
 * The engine's ports: what a channel (voice now; chat and e-mail later) gives the engine for
 * each interaction it enqueues, what the engine tells it back, and where the engine's facts
 * and state changes go (storage, live events).
 */
import type { ActivePause, DisplayState } from './agent.logic.js';
import type { InteractionFacts } from './metrics.logic.js';
import type { AgentProfile, Interaction, InteractionOutcome } from './routing.model.js';

/** An offer of one interaction to one agent. */
export interface Offer {
  id: string;
  interaction: Interaction;
  agent: AgentProfile;
  /** How long it may ring before the engine withdraws it. */
  ringMs: number;
  at: number;
}

export type WithdrawReason =
  /** Rang for the queue's ring time. */
  | 'ring_timeout'
  /** Another agent answered (ring-all). */
  | 'answered_elsewhere'
  /** The agent paused, logged out or lost its phone. */
  | 'agent_unavailable'
  /** The interaction left (the customer hung up, timeout, transfer). */
  | 'interaction_left';

/** Why an offer ended without the agent taking it, as the channel saw it. */
export type OfferFailure = 'no_answer' | 'rejected' | 'unreachable' | 'failed';

/** How an offer ended, as stored. */
export type OfferOutcome = 'answered' | OfferFailure | WithdrawReason;

/**
 * What the channel that owns an interaction does for the engine: ring an agent, stop ringing,
 * send the interaction to the queue's destination. Calls happen after the engine's state is
 * consistent; the channel reports back through the engine's methods (offerAnswered,
 * offerFailed, abandoned, ended).
 */
export interface InteractionHandle {
  offer(offer: Offer): void;
  withdraw(offer: Offer, reason: WithdrawReason): void;
  /** The interaction leaves the queue without an agent: its maximum wait or the leave rule. */
  leave(outcome: Extract<InteractionOutcome, 'timeout' | 'empty'>): void;
}

/** One interaction's stored facts (per queue visit): what the metrics need, and who and why. */
export interface InteractionRecord extends InteractionFacts {
  id: string;
  tenantId: number;
  queueId: number;
  callId: string | null;
  contactAddress: string;
  contactName: string | null;
  contactId: number | null;
  priority: number;
  firstOfferAt: number | null;
  /** The agent that answered (engine key), its user id (null for a plain extension) and extension. */
  agent: string | null;
  agentUserId: number | null;
  agentExtension: string | null;
  /** Talk ended (the customer or the agent hung up, or the agent transferred it away). */
  endedAt: number | null;
  transferredFrom: string | null;
  /** How the interaction ended, in words for reports (e.g. "transferred to queue 7"). */
  endReason: string | null;
}

export interface OfferRecord {
  id: string;
  tenantId: number;
  interactionId: string;
  queueId: number;
  agent: string;
  agentUserId: number | null;
  offeredAt: number;
  endedAt: number;
  outcome: OfferOutcome;
}

/** An agent as panels and the desktop see it. */
export interface AgentSnapshot extends Omit<AgentProfile, 'capacity' | 'skills'> {
  state: DisplayState;
  /** When the displayed state began. */
  since: number;
  pause: ActivePause | null;
  pendingPause: { pauseTypeId: number; reason: string } | null;
  wrapUntil: number | null;
  registered: boolean;
  /** Interactions in progress and offers ringing, by channel. */
  active: Record<'voice' | 'chat' | 'email', number>;
  offers: Record<'voice' | 'chat' | 'email', number>;
  /** Interactions handled since login. */
  taken: number;
  queueIds: number[];
  interactionIds: string[];
  /** The queue interactions ringing at the agent (`ringing`) or in its hands: the desk pops their caller from the queue's contact book. */
  calls: AgentCall[];
  /** The agent's own calls outside (manual calls) now: the number called, and whether it answered (its id is then among `interactionIds`). */
  ownCalls: OwnCall[];
}

export interface OwnCall {
  id: string;
  address: string;
  answered: boolean;
}

export interface AgentCall {
  interactionId: string;
  queueId: number;
  /** The customer's number or address. */
  address: string;
  ringing: boolean;
}

export const AGENT_NOTICES = ['pause_limit_returned', 'pause_overrun', 'auto_paused', 'working_hours_ended', 'phone_unreachable', 'desk_closed'] as const;
export type AgentNoticeCode = (typeof AGENT_NOTICES)[number];

/**
 * Where the engine's facts and changes go: the store and the events socket. Every method is
 * optional (a simulation listens only to interactions), and the engine builds nothing for a
 * method that is absent.
 */
export interface AcdSink {
  /** Upsert of an interaction's facts (by id), on every change. The record is the engine's own: copy what is kept. */
  interaction?(record: InteractionRecord): void;
  /** An agent answered the interaction (once, right after the record says so). */
  answered?(record: InteractionRecord): void;
  /** An offer that ended. */
  offer?(record: OfferRecord): void;
  /** An agent's displayed state or pause changed (activity). */
  agentState?(agent: AgentSnapshot, from: DisplayState, at: number): void;
  /** Something to tell an agent and its supervisors. */
  agentNotice?(agent: AgentSnapshot, code: AgentNoticeCode, detail: { pauseTypeId?: number; reason?: string }): void;
  /** A queue's waiting list or staffing changed. */
  queueChanged?(tenantId: number, queueId: number): void;
}

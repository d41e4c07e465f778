/**
 * Types of the campaign dialer core: what it is told (events), what it asks for (commands),
 * and what a pacing policy sees. Times are epoch milliseconds, passed in.
 */
import type { AbandonLedger, AbandonRule } from './abandon.logic.js';

export type PacingMode = 'preview' | 'progressive' | 'predictive';

/**
 * - `idle`: logged in, waiting for a dialer call.
 * - `previewing`: reading the contact it was offered (preview mode).
 * - `dialing`: waiting for the call it accepted in preview to be answered.
 * - `talking`: on a call. `wrapping`: after-call work. `paused`: not taking calls.
 */
export type AgentState = 'idle' | 'previewing' | 'dialing' | 'talking' | 'wrapping' | 'paused';

/**
 * - `dialing`: originated, not answered yet.
 * - `screening`: answered, answering-machine detection deciding.
 * - `waiting`: answered by a person (or detection unsure), waiting for an agent.
 * - `connected`: with an agent.
 * - `ending`: being hung up (drop message, detection hang-up); still holds a line.
 */
export type CallState = 'dialing' | 'screening' | 'waiting' | 'connected' | 'ending';

/** Why an originate did not reach anyone (from the Q.850 cause or the ring timeout). */
export type DialFailure = 'busy' | 'no_answer' | 'congestion' | 'failed';

/** app_amd's verdicts: INITIALSILENCE is `silence`; TOOLONG and other unsure ones are `notsure`. */
export type AmdVerdict = 'human' | 'machine' | 'silence' | 'notsure';

export interface DialerSettings {
  mode: PacingMode;
  /** Lines (trunk channels) the campaign may hold at once. */
  maxLines: number;
  /** An answered person with no free agent is connected within this or dropped (2 s). */
  connectGraceMs: number;
  /** How long a call rings before it counts as not answered. */
  ringTimeoutMs: number;
  /** Answering-machine detection on answered calls. */
  amd: boolean;
  /** Which calls count as abandoned, over which window. */
  abandon: AbandonRule;
  /** Never more calls ringing or being screened than this many per counted agent. */
  maxLinesPerAgent: number;
}

export type DialerEvent =
  | { type: 'Tick' }
  | { type: 'AgentLoggedIn'; agentId: string }
  | { type: 'AgentLoggedOut'; agentId: string }
  | { type: 'AgentPaused'; agentId: string }
  /** Back from a pause, or wrap-up finished: ready for the next call. */
  | { type: 'AgentAvailable'; agentId: string }
  | { type: 'PreviewAccepted'; agentId: string }
  | { type: 'PreviewSkipped'; agentId: string }
  /** The engine could not dial the originate (no contact left, blocked at dial time, no route): nothing was dialled. */
  | { type: 'DialAborted'; callId: string }
  | { type: 'CallNotAnswered'; callId: string; outcome: DialFailure }
  | { type: 'CallAnswered'; callId: string }
  | { type: 'AmdResult'; callId: string; verdict: AmdVerdict }
  /** The leg is gone. For a call with an agent, `machine` is the agent's word that it was an answering machine. */
  | { type: 'CallEnded'; callId: string; machine?: boolean }
  | { type: 'ContactsAvailable'; count: number }
  | { type: 'CampaignPaused' }
  | { type: 'CampaignResumed' }
  | { type: 'CampaignStopped' };

export type DialerCommand =
  /** Dial the next contact; `agentId` when the call belongs to that agent (preview). */
  | { type: 'Originate'; callId: string; agentId?: string }
  | { type: 'Connect'; callId: string; agentId: string }
  /** Play the drop message, then hang up: no agent within the grace. */
  | { type: 'DropCall'; callId: string }
  /** Hang up an answered call that detection judged a machine or silence. */
  | { type: 'HangUp'; callId: string; reason: 'amd_machine' | 'amd_silence' }
  /** Show this agent the next contact to accept or skip (preview). */
  | { type: 'OfferPreview'; agentId: string }
  /** Step the dialer with a Tick at this time (a connect grace runs out). */
  | { type: 'WakeAt'; at: number };

export interface AgentEntry {
  readonly id: string;
  state: AgentState;
  /** When it entered its state. */
  since: number;
  /** The call it is on, or waits for in preview. */
  callId: string | null;
}

export interface CallEntry {
  readonly id: string;
  state: CallState;
  readonly dialledAt: number;
  answeredAt: number | null;
  /** When it started waiting for an agent. */
  readyAt: number | null;
  connectedAt: number | null;
  agentId: string | null;
  /** Preview calls belong to the agent who accepted them. */
  readonly forAgent: string | null;
}

/** What a pacing policy may look at. */
export interface DialerView {
  readonly settings: DialerSettings;
  readonly agents: ReadonlyMap<string, Readonly<AgentEntry>>;
  readonly calls: ReadonlyMap<string, Readonly<CallEntry>>;
  readonly agentCount: Readonly<Record<AgentState, number>>;
  readonly callCount: Readonly<Record<CallState, number>>;
  /** Lines not held by any call. */
  readonly linesFree: number;
  readonly contactsAvailable: number;
  readonly ledger: AbandonLedger;
}

/** What a pacing policy learns from: outcomes with their durations, as the core measured them. */
export type PacingObservation =
  | { type: 'Dialled'; callId: string }
  /** The engine could not dial it after all (`DialAborted`): nothing to learn from it. */
  | { type: 'Withdrawn'; callId: string }
  | { type: 'NotAnswered'; callId: string; outcome: DialFailure; ringMs: number }
  | { type: 'Answered'; callId: string; ringMs: number }
  /** Detection finished (or was off: `screenMs` 0): `toAgent` when the call now needs an agent. */
  | { type: 'Screened'; callId: string; ringMs: number; screenMs: number; toAgent: boolean }
  | { type: 'Connected'; callId: string; waitedMs: number }
  /** Abandoned: dropped after the grace, or the far end hung up while waiting. */
  | { type: 'Abandoned'; callId: string; waitedMs: number; dropped: boolean }
  | { type: 'TalkEnded'; callId: string; talkMs: number; machine: boolean }
  | { type: 'WrapEnded'; agentId: string; wrapMs: number };

/**
 * A pacing policy decides how many calls to originate now. It keeps what it learns inside
 * itself; it never performs I/O and takes time only from its arguments.
 */
export interface Pacer {
  readonly name: string;
  observe(observation: PacingObservation, view: DialerView, now: number): void;
  /** New calls to originate now (the core caps it by free lines and available contacts). */
  decide(view: DialerView, now: number): number;
}

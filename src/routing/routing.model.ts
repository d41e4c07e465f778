/**
 * Types of the routing engine (ACD): the interaction it routes, the services (queues) it
 * routes them through, the agents it offers them to. Times are epoch milliseconds, passed in.
 *
 * One engine serves every channel: a call, a chat or an e-mail is an `Interaction` of some
 * `kind`, waits in a queue and is offered to an agent with free capacity for its channel.
 */

/** What an interaction is. Voice in/out share the `voice` capacity of an agent. */
export type InteractionKind = 'voice_in' | 'voice_out' | 'chat' | 'email';
export const INTERACTION_KINDS: readonly InteractionKind[] = ['voice_in', 'voice_out', 'chat', 'email'];

/** The capacity an interaction takes from its agent. */
export type Channel = 'voice' | 'chat' | 'email';
export const CHANNELS: readonly Channel[] = ['voice', 'chat', 'email'];
export const channelOf = (kind: InteractionKind): Channel => (kind === 'voice_in' || kind === 'voice_out' ? 'voice' : kind);

/** How many interactions of each channel an agent handles at once (the user's concurrency). */
export type Capacity = Record<Channel, number>;

/**
 * The reference platform's strategies: ring every available agent at once, the agent idle
 * longest ("mais ocioso"), the one with fewest interactions taken, a random one, random with
 * memory ("aleatório com memória": no agent offered twice until every available one has
 * been), round robin with memory (the next one after the last offered), linear (the order of
 * the members list, from the first, every time).
 */
export type Strategy = 'ring_all' | 'longest_idle' | 'fewest_calls' | 'random' | 'random_memory' | 'round_robin_memory' | 'linear';
export const STRATEGIES: readonly Strategy[] = ['ring_all', 'longest_idle', 'fewest_calls', 'random', 'random_memory', 'round_robin_memory', 'linear'];

/**
 * Member priority widening with wait time: from `afterSeconds` of waiting on, members up to
 * `maxPriority` may be offered the interaction ("only priority 1 for 30 s, then 1–2").
 */
export interface PriorityRule {
  afterSeconds: number;
  maxPriority: number;
}

/**
 * When an interaction may join a queue / must leave it, judged by the queue's members: any
 * logged in (a plain extension counts while its phone is registered), or any logged in and
 * not paused. Busy agents count: a queue whose agents are all on calls is not empty.
 */
export type JoinRule = 'always' | 'agents_logged_in' | 'agents_unpaused';
export const JOIN_RULES: readonly JoinRule[] = ['always', 'agents_logged_in', 'agents_unpaused'];
export type LeaveRule = 'never' | 'no_agents_logged_in' | 'no_agents_unpaused';
export const LEAVE_RULES: readonly LeaveRule[] = ['never', 'no_agents_logged_in', 'no_agents_unpaused'];

/** Who the sticky agent ("carteirização") is: the contact's owner, its last agent, or either. */
export type StickyMode = 'owner' | 'last_agent' | 'owner_or_last';
export const STICKY_MODES: readonly StickyMode[] = ['owner', 'last_agent', 'owner_or_last'];

/** A queue's settings as the engine needs them (the stored service has more: names, prompts…). */
export interface QueueSettings {
  id: number;
  tenantId: number;
  name: string;
  active: boolean;
  strategy: Strategy;
  /** Priority given to interactions that enter this queue (higher is served first). */
  priority: number;
  /** Waiting interactions allowed at once; 0: no limit. */
  maxWaiting: number;
  /** Longest wait before the interaction leaves for the queue's destination; 0: no limit. */
  maxWaitSeconds: number;
  /** How long an offer rings at one agent before the next is tried. */
  ringSeconds: number;
  /** Offers in a row an agent may leave unanswered before being paused automatically; 0: never. */
  autoPauseAfter: number;
  /** The pause type given to an agent paused for unanswered offers. */
  autoPauseTypeId: number | null;
  /** After-call work: the agent is not offered anything for this long; 0: none. */
  wrapUpSeconds: number;
  /** The sticky agent is the only one offered the interaction for this long; 0: off. */
  stickySeconds: number;
  stickyMode: StickyMode;
  /** Empty list: every member, lower priority numbers first. */
  priorityRules: PriorityRule[];
  joinRule: JoinRule;
  leaveRule: LeaveRule;
  /**
   * Its interactions are finished only with a tabulation: the agent's wrap-up lasts until the
   * interaction is tabulated (or left pending), however short the queue's wrap-up time.
   */
  requireTabulation?: boolean;
}

/** A member of a queue: a logged-in agent (user) or a plain extension that rings without login. */
export type MemberRef = { kind: 'agent'; userId: number } | { kind: 'extension'; tenantId: number; extension: string };

export interface Member {
  /** The agent's key in the engine (`agentKey(ref)`). */
  agent: string;
  /** 1 is offered first; higher numbers wait (a penalty). */
  priority: number;
  /** Position in the members list (linear and round robin follow it). */
  order: number;
}

export const agentKey = (m: MemberRef): string => (m.kind === 'agent' ? `u:${m.userId}` : `x:${m.tenantId}:${m.extension}`);

/** What the engine knows of an agent besides its state: who it is and what it can take. */
export interface AgentProfile {
  key: string;
  tenantId: number;
  /** Null for a plain extension member. */
  userId: number | null;
  name: string;
  /** The phone the agent is offered calls on (extension number). */
  extension: string | null;
  teamId: number | null;
  capacity: Capacity;
  skills: readonly string[];
}

/** A caller the CRM knows: the contact, and its owner agent (carteirização) until when. */
export interface KnownCaller {
  contactId: number;
  name: string;
  ownerUserId: number | null;
  ownerUntil: number | null;
}

/**
 * The CRM's screen pop as the queues use it: who calls from `number`, looked up in the contact
 * book the queue names (null: the tenant's default book).
 */
export interface CallerDirectory {
  find(tenantId: number, number: string, bookId: number | null): KnownCaller | null;
}

/** A queue visit an agent answered, as the CRM is told of it. */
export interface AnsweredVisit {
  tenantId: number;
  visitId: string;
  kind: InteractionKind;
  callId: string | null;
  address: string;
  contactId: number | null;
  queueId: number;
  agentUserId: number;
  /** When the call entered its first queue (before any transfer or overflow). */
  firstEnteredAt: number;
}

/**
 * The CRM's interaction of each answered call (the one the agent tabulates): opened at the
 * first answer, handed on to whoever answers after a transfer. Answers the visit it was handed
 * on from, whose held wrap-up may then end.
 */
export interface CrmInteractions {
  answered(visit: AnsweredVisit): { movedFrom: string | null };
  /** An agent's own (manual) call was answered: its interaction opens, to be finished by the agent. */
  manual?(call: ManualCallAnswered): void;
}

/** An agent's manual call the far end answered, as the CRM is told of it. */
export interface ManualCallAnswered {
  tenantId: number;
  /** The own call's id in the engine: a held wrap-up ends when the interaction carrying it is tabulated. */
  visitId: string;
  callId: string;
  /** The number called. */
  address: string;
  contactId: number | null;
  agentUserId: number;
  /** The outbound route that carried it requires a tabulation. */
  requiresTabulation: boolean;
  startedAt: number;
}

/** The sticky agent a known caller brings: its owner while the ownership lasts. */
export function ownerAgentOf(caller: KnownCaller | null, now: number): string | null {
  if (!caller || caller.ownerUserId === null) return null;
  if (caller.ownerUntil !== null && caller.ownerUntil <= now) return null;
  return agentKey({ kind: 'agent', userId: caller.ownerUserId });
}

export interface Interaction {
  id: string;
  tenantId: number;
  kind: InteractionKind;
  queueId: number;
  /** Higher is served first; default the queue's priority. */
  priority: number;
  /** When it entered this queue (a transfer into another queue starts again). */
  enteredAt: number;
  /** The customer: phone number or address, name, the contact's id when known. */
  contact: { address: string; name: string | null; contactId: number | null };
  /** Skills an agent must have all of. */
  requiredSkills: readonly string[];
  /** The contact's owner (carteirização) and its last agent, for the sticky rule. */
  ownerAgent: string | null;
  lastAgent: string | null;
  /** The call this interaction is (voice), for records and recordings. */
  callId: string | null;
  /** Only this agent may be offered it (a transfer to an agent); it need not be a member. */
  targetAgent: string | null;
  /**
   * With `targetAgent`: when that agent has not been offered it within this many ms (busy, paused),
   * the queue's own agents may take it. Without it the interaction waits for that agent.
   */
  targetGraceMs?: number;
  /**
   * An agent's consult of `targetAgent`: when that agent does not take it, it leaves (`empty`)
   * instead of going on to the queue's own agents, and the consulting agent is back with the customer.
   */
  targetOnly?: boolean;
  /** The interaction this one was transferred from. */
  transferredFrom: string | null;
}

/** Why an interaction left its queue without an agent, or how it ended. */
export type InteractionOutcome =
  /** Answered by an agent. */
  | 'answered'
  /** The customer hung up (left) while waiting. */
  | 'abandoned'
  /** Waited the queue's maximum and was sent to its destination. */
  | 'timeout'
  /** Refused on entry: the queue held its maximum. */
  | 'full'
  /** Refused on entry, or sent away while waiting, for want of agents (join/leave rules). */
  | 'empty'
  /** Taken out of the queue by a transfer before an agent answered. */
  | 'transferred'
  /** Lost with the daemon (restart) and not re-queued. */
  | 'lost';

/**
 * Whether a PJSIP contact status (AMI `ContactStatus`) means the phone can be rung: registered
 * (Created, Updated), or reachable by qualify; Removed and Unreachable mean it cannot; Unknown
 * says nothing new.
 */
export function contactRegistered(status: string): boolean | undefined {
  if (status === 'Created' || status === 'Updated' || status === 'Reachable' || status === 'NonQualified') return true;
  if (status === 'Removed' || status === 'Unreachable') return false;
  return undefined;
}

/**
 * Queue rules as pure functions: the order interactions are served in, which member
 * priorities an interaction may be offered to after waiting so long, the sticky agent,
 * whether an interaction may join or must leave a queue, and the expected wait announced.
 */
import type { Interaction, JoinRule, LeaveRule, PriorityRule, QueueSettings, StickyMode } from './routing.model.js';

/** Higher priority first; then the one waiting longest; `seq` breaks ties in arrival order. */
export function compareWaiting(a: Pick<Interaction, 'priority' | 'enteredAt'> & { seq: number }, b: Pick<Interaction, 'priority' | 'enteredAt'> & { seq: number }): number {
  return b.priority - a.priority || a.enteredAt - b.enteredAt || a.seq - b.seq;
}

/** Rules sorted by time, checked: times and priorities never go down. */
export function normaliseRules(rules: readonly PriorityRule[]): PriorityRule[] {
  return [...rules].sort((a, b) => a.afterSeconds - b.afterSeconds);
}

/** Problems of a rule list, as `{ index, message }` (times unique, priorities widening). */
export function checkPriorityRules(rules: readonly PriorityRule[]): { index: number; field: 'afterSeconds' | 'maxPriority'; message: string } | undefined {
  for (let i = 1; i < rules.length; i++) {
    const prev = rules[i - 1]!;
    const cur = rules[i]!;
    if (cur.afterSeconds <= prev.afterSeconds) return { index: i, field: 'afterSeconds', message: 'each rule must start later than the one before' };
    if (cur.maxPriority <= prev.maxPriority) return { index: i, field: 'maxPriority', message: 'each rule must widen to a higher priority number than the one before' };
  }
  return undefined;
}

/**
 * The highest member priority number an interaction may be offered to after waiting
 * `waitedMs`. No rules: every member. Before the first rule starts: only priority 1.
 */
export function maxPriorityAfter(rules: readonly PriorityRule[], waitedMs: number): number {
  if (rules.length === 0) return Infinity;
  let max = 1;
  for (const r of rules) if (waitedMs >= r.afterSeconds * 1000) max = r.maxPriority;
  return max;
}

/** When (epoch ms) the rules next widen for an interaction that entered at `enteredAt`; undefined when they never will again. */
export function nextWidening(rules: readonly PriorityRule[], enteredAt: number, now: number): number | undefined {
  for (const r of rules) {
    const at = enteredAt + r.afterSeconds * 1000;
    if (at > now) return at;
  }
  return undefined;
}

/** The sticky agent of an interaction under a queue's mode, if any. */
export function stickyAgentOf(mode: StickyMode, i: Pick<Interaction, 'ownerAgent' | 'lastAgent'>): string | null {
  if (mode === 'owner') return i.ownerAgent;
  if (mode === 'last_agent') return i.lastAgent;
  return i.ownerAgent ?? i.lastAgent;
}

/**
 * While the sticky window is open and the sticky agent is logged in and a member, only that
 * agent may be offered the interaction. Returns the agent the offer is restricted to, if any.
 */
export function stickyRestriction(
  q: Pick<QueueSettings, 'stickySeconds' | 'stickyMode'>,
  i: Pick<Interaction, 'ownerAgent' | 'lastAgent' | 'enteredAt'>,
  now: number,
  loggedInMember: (agent: string) => boolean,
): string | undefined {
  if (q.stickySeconds <= 0) return undefined;
  if (now >= i.enteredAt + q.stickySeconds * 1000) return undefined;
  const agent = stickyAgentOf(q.stickyMode, i);
  return agent !== null && loggedInMember(agent) ? agent : undefined;
}

export const hasSkills = (agentSkills: readonly string[], required: readonly string[]): boolean =>
  required.every((s) => agentSkills.includes(s));

/** How many members are logged in, and how many of those are not paused. */
export interface Staffing {
  loggedIn: number;
  unpaused: number;
}

export type JoinDecision = { join: true } | { join: false; outcome: 'full' | 'empty' | 'inactive' };

/** May a new interaction join? Full (maximum waiting), empty (join rule), inactive. */
export function joinDecision(q: Pick<QueueSettings, 'active' | 'maxWaiting' | 'joinRule'>, waiting: number, staffing: Staffing): JoinDecision {
  if (!q.active) return { join: false, outcome: 'inactive' };
  if (q.maxWaiting > 0 && waiting >= q.maxWaiting) return { join: false, outcome: 'full' };
  if (!meetsJoinRule(q.joinRule, staffing)) return { join: false, outcome: 'empty' };
  return { join: true };
}

function meetsJoinRule(rule: JoinRule, s: Staffing): boolean {
  if (rule === 'agents_logged_in') return s.loggedIn > 0;
  if (rule === 'agents_unpaused') return s.unpaused > 0;
  return true;
}

/** Must the waiting interactions leave (for the queue's destination) because nobody can serve them? */
export function mustLeave(rule: LeaveRule, s: Staffing): boolean {
  if (rule === 'no_agents_logged_in') return s.loggedIn === 0;
  if (rule === 'no_agents_unpaused') return s.unpaused === 0;
  return false;
}

/**
 * Expected wait of the interaction at `position` (1 = next), announced to callers: the
 * interactions to be served before it and itself, each taking the queue's mean handle time,
 * shared by the agents serving the queue. Undefined when nobody serves it (nothing honest to
 * announce). `ahtMs` is the queue's recent mean handle time (or a default before any).
 */
export function expectedWaitMs(position: number, ahtMs: number, serving: number): number | undefined {
  if (serving <= 0 || position <= 0) return undefined;
  return Math.round((position * ahtMs) / serving);
}

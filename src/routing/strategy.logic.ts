/**
 * The choice of agent, as a pure function: given the agents that could take an interaction
 * now, the queue's strategy and its memory, which agent (or, for ring-all, which agents) to
 * offer it to. Eligibility (state, capacity, registration, priority rules, skills, sticky
 * agent) is decided before; this only orders and picks.
 */
import type { Random } from '../kernel/index.js';
import type { Strategy } from './routing.model.js';

export interface Candidate {
  agent: string;
  /** The member's priority in this queue (1 first). */
  priority: number;
  /** Position in the queue's members list. */
  order: number;
  /** Since when the agent has been idle (end of its last interaction, or its login). */
  idleSince: number;
  /** Interactions it took since it logged in. */
  taken: number;
}

/**
 * What a queue remembers between choices: the last agent offered (round robin) and the agents
 * offered since every available one last was (random with memory).
 */
export interface StrategyMemory {
  lastOrder: number | null;
  offered: ReadonlySet<string>;
}

export const emptyMemory = (): StrategyMemory => ({ lastOrder: null, offered: new Set() });

export interface Pick {
  agents: Candidate[];
  memory: StrategyMemory;
}

const byOrder = (a: Candidate, b: Candidate) => a.order - b.order;

/** The candidates of the best (lowest) priority present: higher numbers are tried only when none of a lower one is free. */
export function bestTier(candidates: readonly Candidate[]): Candidate[] {
  let best = Infinity;
  for (const c of candidates) if (c.priority < best) best = c.priority;
  return candidates.filter((c) => c.priority === best);
}

/**
 * Picks among `candidates` (all able to take the interaction now). Ring-all offers every one
 * of the best tier; the others one agent. Empty candidates → no agent, memory unchanged.
 */
export function pickAgents(strategy: Strategy, candidates: readonly Candidate[], memory: StrategyMemory, random: Random): Pick {
  if (candidates.length === 0) return { agents: [], memory };
  const tier = bestTier(candidates);
  switch (strategy) {
    case 'ring_all':
      return { agents: [...tier].sort(byOrder), memory };
    case 'linear':
      return one(tier.reduce((a, b) => (b.order < a.order ? b : a)), memory);
    case 'longest_idle':
      return one(tier.reduce((a, b) => (b.idleSince < a.idleSince || (b.idleSince === a.idleSince && b.order < a.order) ? b : a)), memory);
    case 'fewest_calls':
      return one(
        tier.reduce((a, b) =>
          b.taken < a.taken || (b.taken === a.taken && (b.idleSince < a.idleSince || (b.idleSince === a.idleSince && b.order < a.order))) ? b : a,
        ),
        memory,
      );
    case 'random':
      return one(tier[Math.floor(random.next() * tier.length)]!, memory);
    case 'random_memory': {
      // Not offered twice until every agent that could be offered now has been.
      let fresh = tier.filter((c) => !memory.offered.has(c.agent));
      let offered = new Set(memory.offered);
      if (fresh.length === 0) {
        fresh = tier;
        offered = new Set();
      }
      const chosen = fresh[Math.floor(random.next() * fresh.length)]!;
      offered.add(chosen.agent);
      return { agents: [chosen], memory: { ...memory, offered } };
    }
    case 'round_robin_memory': {
      const sorted = [...tier].sort(byOrder);
      const last = memory.lastOrder;
      const chosen = (last === null ? undefined : sorted.find((c) => c.order > last)) ?? sorted[0]!;
      return { agents: [chosen], memory: { ...memory, lastOrder: chosen.order } };
    }
  }
}

function one(c: Candidate, memory: StrategyMemory): Pick {
  return { agents: [c], memory: { ...memory, lastOrder: c.order } };
}

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/kernel/index.js';
import type { Strategy } from '../../src/routing/routing.model.js';
import { emptyMemory, pickAgents, type Candidate, type StrategyMemory } from '../../src/routing/strategy.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const agents = (n: number, over: (i: number) => Partial<Candidate> = () => ({})): Candidate[] =>
  Array.from({ length: n }, (_, i) => ({ agent: `a${i + 1}`, priority: 1, order: i, idleSince: T0, taken: 0, ...over(i) }));

/** Picks `rounds` times with every candidate always available; returns the agents picked in order. */
function run(strategy: Strategy, cands: Candidate[], rounds: number, seed = 1): string[] {
  const random = seededRandom(seed);
  let memory: StrategyMemory = emptyMemory();
  const out: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const pick = pickAgents(strategy, cands, memory, random);
    memory = pick.memory;
    out.push(...pick.agents.map((a) => a.agent));
  }
  return out;
}

const counts = (picks: string[]) => picks.reduce<Record<string, number>>((m, a) => ({ ...m, [a]: (m[a] ?? 0) + 1 }), {});

describe('pickAgents per strategy', () => {
  it.each<[Strategy, Partial<Candidate>[], string[]]>([
    ['ring_all', [{}, {}, {}], ['a1', 'a2', 'a3']],
    ['linear', [{ order: 2 }, { order: 0 }, { order: 1 }], ['a2']],
    ['longest_idle', [{ idleSince: T0 - 10 }, { idleSince: T0 - 90_000 }, { idleSince: T0 - 5_000 }], ['a2']],
    ['fewest_calls', [{ taken: 4 }, { taken: 2 }, { taken: 2, idleSince: T0 - 1 }], ['a3']],
    // Lower priority numbers first: the priority-2 agent idle for ages is not picked.
    ['longest_idle', [{ priority: 2, idleSince: T0 - 999_999 }, { priority: 1, idleSince: T0 }], ['a2']],
    ['ring_all', [{ priority: 1 }, { priority: 2 }, { priority: 1 }], ['a1', 'a3']],
  ])('%s picks %j → %j', (strategy, over, expected) => {
    const cands = agents(over.length, (i) => over[i]!);
    const pick = pickAgents(strategy, cands, emptyMemory(), seededRandom(7));
    expect(pick.agents.map((a) => a.agent)).toEqual(expected);
  });

  it('no candidates: nobody, memory unchanged', () => {
    const memory = { lastOrder: 3, offered: new Set(['a1']) };
    for (const s of ['ring_all', 'random', 'random_memory', 'round_robin_memory'] as Strategy[]) {
      expect(pickAgents(s, [], memory, seededRandom(1))).toEqual({ agents: [], memory });
    }
  });
});

describe('fairness', () => {
  it('round robin with memory visits everyone in turn, starting after the last one offered', () => {
    const picks = run('round_robin_memory', agents(5), 50);
    expect(picks.slice(0, 7)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a1', 'a2']);
    expect(Object.values(counts(picks))).toEqual([10, 10, 10, 10, 10]);
  });

  it('round robin continues after the last one offered even when that one is not free now', () => {
    const all = agents(4);
    const first = pickAgents('round_robin_memory', all, emptyMemory(), seededRandom(1));
    expect(first.agents[0]!.agent).toBe('a1');
    // a2 is busy: the turn passes to a3, then wraps around to a1.
    const second = pickAgents('round_robin_memory', all.filter((a) => a.agent !== 'a2'), first.memory, seededRandom(1));
    expect(second.agents[0]!.agent).toBe('a3');
    const third = pickAgents('round_robin_memory', [all[0]!, all[1]!], second.memory, seededRandom(1));
    expect(third.agents[0]!.agent).toBe('a1');
  });

  it('random with memory offers nobody twice until everyone available has been offered', () => {
    const picks = run('random_memory', agents(6), 60, 11);
    for (let round = 0; round < 10; round++) {
      expect(new Set(picks.slice(round * 6, round * 6 + 6)).size).toBe(6);
    }
    // Random, not a fixed rotation: the rounds do not all come in the same order.
    const orders = new Set(Array.from({ length: 10 }, (_, r) => picks.slice(r * 6, r * 6 + 6).join()));
    expect(orders.size).toBeGreaterThan(5);
  });

  it('random with memory starts a new round when nobody fresh is available', () => {
    const cands = agents(3);
    let m = emptyMemory();
    const r = seededRandom(3);
    const first = pickAgents('random_memory', cands, m, r);
    m = first.memory;
    // Only the agent already offered is free: it is offered again, and a new round begins.
    const again = pickAgents('random_memory', first.agents, m, r);
    expect(again.agents[0]!.agent).toBe(first.agents[0]!.agent);
    expect([...again.memory.offered]).toEqual([first.agents[0]!.agent]);
  });

  it('random spreads offers evenly (chi-square, 5 agents, 10 000 picks)', () => {
    const c = counts(run('random', agents(5), 10_000, 5));
    const chi = Object.values(c).reduce((s, n) => s + (n - 2000) ** 2 / 2000, 0);
    expect(Object.keys(c)).toHaveLength(5);
    expect(chi).toBeLessThan(18.47); // p = 0.001 with 4 degrees of freedom
  });

  it('longest idle: the agent that just finished goes to the back', () => {
    const cands = agents(4, (i) => ({ idleSince: T0 + i * 1000 }));
    const seen: string[] = [];
    let now = T0 + 10_000;
    for (let i = 0; i < 8; i++) {
      const chosen = pickAgents('longest_idle', cands, emptyMemory(), seededRandom(1)).agents[0]!;
      seen.push(chosen.agent);
      chosen.idleSince = now++; // handled one and is idle again from now
    }
    expect(seen).toEqual(['a1', 'a2', 'a3', 'a4', 'a1', 'a2', 'a3', 'a4']);
  });

  it('fewest calls keeps the counts level', () => {
    const cands = agents(5, (i) => ({ taken: i }));
    for (let i = 0; i < 100; i++) pickAgents('fewest_calls', cands, emptyMemory(), seededRandom(1)).agents[0]!.taken++;
    const taken = cands.map((c) => c.taken);
    expect(Math.max(...taken) - Math.min(...taken)).toBeLessThanOrEqual(1);
    expect(taken.reduce((a, b) => a + b)).toBe(110);
  });

  it('linear always offers the first of the list that is free', () => {
    expect(new Set(run('linear', agents(4), 20))).toEqual(new Set(['a1']));
  });
});

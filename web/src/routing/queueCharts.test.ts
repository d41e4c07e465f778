import { describe, expect, it } from 'vitest';
import { agentSlices, waitBucketLabel } from './queueCharts';

const agent = (state: string, queueIds: number[], reason?: string) => ({ state, queueIds, pause: reason === undefined ? null : { reason } });

describe('agents of a queue by state', () => {
  it('counts the queue’s agents in every working state, zeros too, and each pause reason apart; others and offline ones not', () => {
    const agents = [
      agent('available', [1]),
      agent('available', [1, 2]),
      agent('busy', [1]),
      agent('offered', [2]),
      agent('paused', [1], 'Café'),
      agent('paused', [1], 'Almoço'),
      agent('paused', [1], 'Café'),
      agent('offline', [1]),
    ];
    expect(agentSlices(agents, 1)).toEqual([
      { state: 'available', count: 2 },
      { state: 'offered', count: 0 },
      { state: 'busy', count: 1 },
      { state: 'wrap_up', count: 0 },
      { state: 'paused', reason: 'Almoço', count: 1 },
      { state: 'paused', reason: 'Café', count: 2 },
    ]);
    expect(agentSlices(agents, 2).filter((s) => s.count > 0)).toEqual([
      { state: 'available', count: 1 },
      { state: 'offered', count: 1 },
    ]);
  });
});

describe('wait bucket names', () => {
  it('says seconds and minutes as a person would', () => {
    const over = (a: string) => `> ${a}`;
    const names = [
      [0, 10],
      [10, 20],
      [30, 60],
      [60, 120],
      [120, 300],
      [300, null],
    ].map(([o, u]) => waitBucketLabel({ overSeconds: o!, upToSeconds: u ?? null }, over));
    expect(names).toEqual(['0–10 s', '10–20 s', '30 s–1 min', '1–2 min', '2–5 min', '> 5 min']);
  });
});

import { describe, expect, it } from 'vitest';
import { occupancy, queueMetrics, type InteractionFacts, type SlVariant } from '../../src/routing/metrics.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const s = (x: number) => x * 1000;

/** An interaction that entered at T0 and waited `wait` s; answered (with talk/wrap) or ended as `outcome`. */
function fact(wait: number, outcome: InteractionFacts['outcome'], over: Partial<InteractionFacts> = {}): InteractionFacts {
  const answered = outcome === 'answered';
  return {
    kind: 'voice_in',
    enteredAt: T0,
    joined: true,
    outcome,
    answeredAt: answered ? T0 + s(wait) : null,
    leftAt: answered || outcome === null ? null : T0 + s(wait),
    talkMs: answered ? s(100) : 0,
    holdMs: 0,
    wrapMs: answered ? s(20) : 0,
    handled: answered,
    offers: answered ? 1 : 0,
    unansweredOffers: 0,
    ...over,
  };
}

// 10 offered: 6 answered (4 within 20 s), 3 abandoned (1 within the 3 s threshold), 1 timed out.
const day: InteractionFacts[] = [
  fact(5, 'answered'),
  fact(10, 'answered', { talkMs: s(300), holdMs: s(30), wrapMs: s(30) }),
  fact(15, 'answered'),
  fact(20, 'answered'),
  fact(40, 'answered', { offers: 3, unansweredOffers: 2 }),
  fact(70, 'answered'),
  fact(2, 'abandoned'),
  fact(12, 'abandoned', { offers: 1, unansweredOffers: 1 }),
  fact(50, 'abandoned'),
  fact(300, 'timeout', { offers: 2, unansweredOffers: 2 }),
  fact(0, 'full', { joined: false }),
];

describe('queue metrics', () => {
  const m = queueMetrics(day, { slSeconds: 20, shortAbandonSeconds: 3, slVariant: 'ignore_short_abandons' }, T0 + s(1000));

  it('counts', () => {
    expect(m).toMatchObject({
      offered: 10,
      answered: 6,
      abandoned: 3,
      shortAbandons: 1,
      timeouts: 1,
      refused: 1,
      answeredWithinTarget: 4,
      // rang at agents and never answered: the abandon at 12 s and the timeout
      offeredNotAnswered: 2,
      unansweredOffers: 5,
    });
  });

  it('times: ASA, MSA, AHT (talk + hold + wrap), MHT, longest wait', () => {
    expect(m.asaMs).toBe(s((5 + 10 + 15 + 20 + 40 + 70) / 6));
    expect(m.msaMs).toBe(s(70));
    expect(m.ahtMs).toBe(s((5 * 120 + 360) / 6));
    expect(m.mhtMs).toBe(s(360));
    expect(m.longestWaitMs).toBe(s(300));
    expect(m.abandonRate).toBe(30);
  });

  it.each<[SlVariant, number]>([
    ['ignore_short_abandons', (100 * 4) / 9],
    ['answered_only', (100 * 4) / 6],
    ['all_offered', (100 * 4) / 10],
    ['abandons_within_target_met', (100 * 6) / 10],
  ])('service level %s', (variant, expected) => {
    expect(queueMetrics(day, { slSeconds: 20, shortAbandonSeconds: 3, slVariant: variant }, T0 + s(1000)).serviceLevel).toBeCloseTo(expected, 10);
  });

  it('interactions still waiting count as offered but not in the service level yet', () => {
    const live = queueMetrics([...day, fact(0, null)], { slSeconds: 20, shortAbandonSeconds: 3, slVariant: 'ignore_short_abandons' }, T0 + s(1000));
    expect(live.offered).toBe(11);
    expect(live.waiting).toBe(1);
    expect(live.serviceLevel).toBeCloseTo((100 * 4) / 9, 10);
    expect(live.longestWaitMs).toBe(s(1000));
  });

  it('nothing offered: no rates', () => {
    const none = queueMetrics([], { slSeconds: 20, shortAbandonSeconds: 3, slVariant: 'all_offered' }, T0);
    expect(none).toMatchObject({ offered: 0, serviceLevel: null, asaMs: null, ahtMs: null, abandonRate: null, longestWaitMs: null });
  });
});

describe('occupancy', () => {
  it('handling time over logged-in time less pauses, clipped to the period', () => {
    const o = occupancy(
      [
        { state: 'available', start: T0, end: T0 + s(100) },
        { state: 'busy', start: T0 + s(100), end: T0 + s(400) },
        { state: 'wrap_up', start: T0 + s(400), end: T0 + s(500) },
        { state: 'paused', start: T0 + s(500), end: T0 + s(800) },
        { state: 'offline', start: T0 + s(800), end: T0 + s(900) },
        { state: 'available', start: T0 + s(900), end: null },
      ],
      T0 + s(50),
      T0 + s(1000),
      T0 + s(950),
    );
    expect(o).toEqual({ loggedInMs: s(50 + 300 + 100 + 300 + 50), pausedMs: s(300), handlingMs: s(400), occupancy: (100 * 400) / 500 });
  });
});

import { describe, expect, it } from 'vitest';
import { queueDay, waitBucketOf } from '../../src/routing/queue-day.logic.js';
import type { InteractionFacts, MetricSettings } from '../../src/routing/metrics.logic.js';

const s = (x: number) => x * 1000;
const SL: MetricSettings = { slSeconds: 20, shortAbandonSeconds: 3, slVariant: 'ignore_short_abandons' };

/** An interaction entered at `at` that waited `wait` s, then was answered or ended as `outcome` (null: still waiting). */
function fact(at: string, wait: number, outcome: InteractionFacts['outcome'], over: Partial<InteractionFacts> = {}): InteractionFacts {
  const enteredAt = Date.parse(at);
  const answered = outcome === 'answered';
  return {
    kind: 'voice_in',
    enteredAt,
    joined: true,
    outcome,
    answeredAt: answered ? enteredAt + s(wait) : null,
    leftAt: answered || outcome === null ? null : enteredAt + s(wait),
    talkMs: answered ? s(60) : 0,
    holdMs: 0,
    wrapMs: 0,
    handled: answered,
    offers: answered ? 1 : 0,
    unansweredOffers: 0,
    ...over,
  };
}

// 10 March 2026 in São Paulo (UTC−3): local 08:59:50 is 11:59:50 UTC, local 09:00 is 12:00 UTC.
const saoPaulo = [
  fact('2026-03-10T11:59:50Z', 15, 'answered'), // 08:59:50 local: hour 08, within 20 s
  fact('2026-03-10T12:00:00Z', 2, 'abandoned'), // 09:00 local: a short abandon (≤ 3 s)
  fact('2026-03-10T12:10:00Z', 25, 'answered'), // over 20 s
  fact('2026-03-10T12:20:00Z', 20, 'answered'), // exactly 20 s: within
  fact('2026-03-10T12:30:00Z', 45, 'abandoned'),
  fact('2026-03-10T12:40:00Z', 400, 'abandoned'),
  fact('2026-03-10T12:50:00Z', 0, null), // still waiting at "now"
  fact('2026-03-10T13:01:00Z', 0, 'full', { joined: false }), // refused on entry at 10:01 local
];
const NOW = Date.parse('2026-03-10T13:05:00Z'); // 10:05 local

describe('a queue’s day by hour, in the tenant’s time zone', () => {
  const day = queueDay({ facts: saoPaulo, settings: SL, timeZone: 'America/Sao_Paulo', now: NOW });

  it('cuts hours at local midnight and on the local clock, from 00:00 to the hour of now, quiet hours with zeros', () => {
    expect(day.hours.map((h) => h.hour)).toEqual(['00:00', '01:00', '02:00', '03:00', '04:00', '05:00', '06:00', '07:00', '08:00', '09:00', '10:00']);
    expect(day.hours.slice(0, 8).every((h) => h.offered === 0 && h.serviceLevel === null)).toBe(true);
    // The call at 08:59:50 local counts at 08, the one at 09:00:00 at 09 (UTC would say 11 and 12).
    expect(day.hours[8]).toEqual({ hour: '08:00', offered: 1, answered: 1, abandoned: 0, serviceLevel: 100 });
    // 09: 6 offered, 1 still waiting and 1 short abandon out of the base; 1 of the 2 answered within 20 s: 1 ÷ 4.
    expect(day.hours[9]).toEqual({ hour: '09:00', offered: 6, answered: 2, abandoned: 3, serviceLevel: 25 });
    // A refusal on entry is not offered.
    expect(day.hours[10]).toEqual({ hour: '10:00', offered: 0, answered: 0, abandoned: 0, serviceLevel: null });
  });

  it('gives the day’s totals, service level by the metrics’ definition: 2 within 20 s ÷ (7 − 1 waiting − 1 short abandon)', () => {
    expect(day).toMatchObject({ offered: 7, answered: 3, abandoned: 3, serviceLevel: 40 });
  });

  it('follows the service-level variant asked for (answered within T ÷ answered)', () => {
    const d = queueDay({ facts: saoPaulo, settings: { ...SL, slVariant: 'answered_only' }, timeZone: 'America/Sao_Paulo', now: NOW });
    expect(d.hours[9]!.serviceLevel).toBe(50);
    expect(d.serviceLevel).toBeCloseTo(200 / 3, 9);
  });

  it('puts abandoned and answered calls in wait buckets, bound included; one still waiting in neither', () => {
    expect(day.waits.map((w) => [w.overSeconds, w.upToSeconds])).toEqual([
      [0, 10],
      [10, 20],
      [20, 30],
      [30, 60],
      [60, 120],
      [120, 300],
      [300, null],
    ]);
    // Abandoned after 2 s, 45 s and 400 s; answered after 15 s, 20 s and 25 s.
    expect(day.waits.map((w) => w.abandoned)).toEqual([1, 0, 0, 1, 0, 0, 1]);
    expect(day.waits.map((w) => w.answered)).toEqual([0, 2, 1, 0, 0, 0, 0]);
  });

  it('cuts a zone half an hour off UTC on its own clock', () => {
    // Kolkata is UTC+5:30: 03:29 UTC is 08:59 there, 03:30 UTC is 09:00.
    const d = queueDay({
      facts: [fact('2026-03-10T03:29:00Z', 5, 'answered'), fact('2026-03-10T03:30:00Z', 30, 'answered')],
      settings: SL,
      timeZone: 'Asia/Kolkata',
      now: Date.parse('2026-03-10T04:00:00Z'),
    });
    expect(d.hours.map((h) => [h.hour, h.offered, h.serviceLevel]).slice(8)).toEqual([
      ['08:00', 1, 100],
      ['09:00', 1, 0],
    ]);
  });

  it('counts both passes of an hour repeated when the clocks go back in the one hour of the clock', () => {
    // Lisbon, 25 October 2026: 01:30 local happens at 00:30 UTC (summer time) and again at 01:30 UTC.
    const d = queueDay({
      facts: [fact('2026-10-25T00:30:00Z', 5, 'answered'), fact('2026-10-25T01:30:00Z', 5, 'abandoned')],
      settings: SL,
      timeZone: 'Europe/Lisbon',
      now: Date.parse('2026-10-25T02:10:00Z'), // 02:10 local
    });
    expect(d.hours.map((h) => h.hour)).toEqual(['00:00', '01:00', '02:00']);
    expect(d.hours[1]).toEqual({ hour: '01:00', offered: 2, answered: 1, abandoned: 1, serviceLevel: 50 });
  });
});

describe('wait buckets', () => {
  it('holds each wait in the first bucket whose bound is not below it', () => {
    expect([0, s(10), s(10) + 1, s(20), s(59), s(60), s(120), s(300), s(300) + 1, s(3600)].map(waitBucketOf)).toEqual([0, 0, 1, 1, 3, 3, 4, 5, 6, 6]);
  });
});

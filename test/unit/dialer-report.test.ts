import { describe, expect, it } from 'vitest';
import { AMD_FALSE_POSITIVE_DEFAULT, amdFalsePositiveRate, AMD_DEFAULTS } from '../../src/dialer/campaigns.resource.js';
import { createLedger, lifetimeFigures, recordAnswered } from '../../src/dialer/abandon.logic.js';
import { dialFigures, reportRows, type AttemptFacts } from '../../src/dialer/report.logic.js';
import type { DialOutcome } from '../../src/db/schema/index.js';

const T = Date.UTC(2026, 0, 5, 13, 0);
const attempts = (counts: Partial<Record<DialOutcome, number>>, campaignId = 1): AttemptFacts[] =>
  Object.entries(counts).flatMap(([outcome, n]) =>
    Array.from({ length: n }, () => ({ campaignId, outcome: outcome as DialOutcome, startedAt: T, answeredAt: outcome === 'connected' || outcome === 'dropped' || outcome === 'machine' ? T + 5000 : null, endedAt: T + 60_000, agentUserId: null })),
  );

describe('the estimated abandon rate (detection’s false positives included)', () => {
  it('adds the persons detection hung up, estimated from the false-positive share, worked by hand', () => {
    // 18 put through, 1 dropped: 19 persons reached. A 5 % share of persons taken for machines:
    // 19 × 0.05 / 0.95 = 1 of the 10 hang-ups was a person. Persons 20, abandoned 1 + 1 = 2: 10 %.
    const f = dialFigures(attempts({ connected: 18, dropped: 1, machine: 10, no_answer: 5 }), 0.05);
    expect(f.abandonRate).toBeCloseTo(1 / 19, 10);
    expect(f.estimatedAbandonRate).toBeCloseTo(0.1, 10);
  });

  it('never counts more persons than detection hung up', () => {
    // 2 reached, share 50 %: 2 × 0.5 / 0.5 = 2 estimated, but only 1 hang-up: 1 person abandoned of 3.
    expect(dialFigures(attempts({ connected: 2, machine: 1 }), 0.5).estimatedAbandonRate).toBeCloseTo(1 / 3, 10);
  });

  it('is the measured drop rate with detection off, and null before anyone answered', () => {
    const f = dialFigures(attempts({ connected: 3, dropped: 1, machine: 4 }), 0);
    expect(f.estimatedAbandonRate).toBe(0.25);
    expect(f.abandonRate).toBe(0.25);
    expect(dialFigures(attempts({ machine: 3, busy: 2 }), 0.05).estimatedAbandonRate).toBeNull();
  });

  it('is the same figure the pacing’s ledger gives for the same calls', () => {
    const ledger = createLedger({ window: { kind: 'campaign' }, amdFalsePositiveRate: 0.05 });
    for (let i = 0; i < 18; i++) recordAnswered(ledger, 'connected', T);
    recordAnswered(ledger, 'dropped', T);
    for (let i = 0; i < 10; i++) recordAnswered(ledger, 'amd_hangup', T);
    expect(lifetimeFigures(ledger).rate).toBeCloseTo(dialFigures(attempts({ connected: 18, dropped: 1, machine: 10 }), 0.05).estimatedAbandonRate!, 10);
  });

  it('takes each campaign’s own share in the report', () => {
    const rows = reportRows([...attempts({ connected: 18, dropped: 1, machine: 10 }, 1), ...attempts({ connected: 18, dropped: 1, machine: 10 }, 2)], 'America/Sao_Paulo', (id) => (id === 1 ? 0.05 : 0));
    expect(rows.map((r) => [r.campaignId, r.estimatedAbandonRate])).toEqual([
      [1, expect.closeTo(0.1, 10)],
      [2, expect.closeTo(1 / 19, 10)],
    ]);
  });

  it('a campaign’s share: its measured one, the default until it sets one, none with detection off', () => {
    expect(amdFalsePositiveRate({ amdEnabled: true, amd: { ...AMD_DEFAULTS, falsePositivePercent: 4 } })).toBe(0.04);
    expect(amdFalsePositiveRate({ amdEnabled: true, amd: AMD_DEFAULTS })).toBe(AMD_FALSE_POSITIVE_DEFAULT / 100);
    expect(amdFalsePositiveRate({ amdEnabled: false, amd: { ...AMD_DEFAULTS, falsePositivePercent: 4 } })).toBe(0);
  });
});

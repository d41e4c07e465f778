import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productSoundsDir } from '../../src/calls/index.js';
import { ANNOUNCEMENT_PROMPTS, expectedWaitAnnouncement, positionAnnouncement, queueAnnouncement } from '../../src/routing/announce.logic.js';
import { NUMBER_PROMPTS, numberPrompts } from '../../src/calls/number-prompts.logic.js';
import { ownerAgentOf, type JoinRule } from '../../src/routing/routing.model.js';
import {
  checkPriorityRules,
  compareWaiting,
  expectedWaitMs,
  joinDecision,
  maxPriorityAfter,
  type JoinDecision,
  type Staffing,
  mustLeave,
  nextWidening,
  stickyRestriction,
} from '../../src/routing/queue.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

describe('waiting order', () => {
  it('higher priority first, then the one waiting longest, then arrival order', () => {
    const list = [
      { id: 'a', priority: 0, enteredAt: T0 + 5, seq: 1 },
      { id: 'b', priority: 5, enteredAt: T0 + 9, seq: 2 },
      { id: 'c', priority: 0, enteredAt: T0 + 1, seq: 3 },
      { id: 'd', priority: 0, enteredAt: T0 + 1, seq: 0 },
    ];
    expect(list.sort(compareWaiting).map((x) => x.id)).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('member priority widening with wait time', () => {
  const rules = [
    { afterSeconds: 0, maxPriority: 1 },
    { afterSeconds: 30, maxPriority: 2 },
    { afterSeconds: 90, maxPriority: 5 },
  ];
  it.each([
    [0, 1],
    [29_999, 1],
    [30_000, 2],
    [89_000, 2],
    [90_000, 5],
    [3_600_000, 5],
  ])('after %i ms waiting: up to priority %i', (waited, max) => {
    expect(maxPriorityAfter(rules, waited)).toBe(max);
  });

  it('no rules: every member; a first rule later than 0 s means only priority 1 before it', () => {
    expect(maxPriorityAfter([], 0)).toBe(Infinity);
    expect(maxPriorityAfter([{ afterSeconds: 20, maxPriority: 3 }], 5000)).toBe(1);
  });

  it('the next widening is the next rule start after now', () => {
    expect(nextWidening(rules, T0, T0)).toBe(T0 + 30_000);
    expect(nextWidening(rules, T0, T0 + 30_000)).toBe(T0 + 90_000);
    expect(nextWidening(rules, T0, T0 + 90_000)).toBeUndefined();
  });

  it.each([
    [[{ afterSeconds: 0, maxPriority: 1 }, { afterSeconds: 0, maxPriority: 2 }], 1, 'afterSeconds'],
    [[{ afterSeconds: 0, maxPriority: 2 }, { afterSeconds: 10, maxPriority: 2 }], 1, 'maxPriority'],
  ])('refuses rules that do not widen (%j)', (bad, index, field) => {
    expect(checkPriorityRules(bad)).toMatchObject({ index, field });
  });
});

describe('sticky agent', () => {
  const q = { stickySeconds: 20, stickyMode: 'owner_or_last' as const };
  const i = { ownerAgent: 'u:5', lastAgent: 'u:6', enteredAt: T0 };
  it('restricts to the owner while the window is open and the owner is logged in', () => {
    expect(stickyRestriction(q, i, T0 + 19_000, () => true)).toBe('u:5');
    expect(stickyRestriction(q, i, T0 + 20_000, () => true)).toBeUndefined();
    expect(stickyRestriction(q, i, T0, (a) => a !== 'u:5')).toBeUndefined();
    expect(stickyRestriction({ ...q, stickyMode: 'last_agent' }, i, T0, () => true)).toBe('u:6');
    expect(stickyRestriction({ ...q, stickySeconds: 0 }, i, T0, () => true)).toBeUndefined();
    expect(stickyRestriction(q, { ...i, ownerAgent: null }, T0, () => true)).toBe('u:6');
  });
});

describe('join and leave rules', () => {
  const q = { active: true, maxWaiting: 3, joinRule: 'agents_logged_in' as JoinRule };
  it.each<[Partial<typeof q>, number, Staffing, JoinDecision]>([
    [{}, 0, { loggedIn: 1, unpaused: 0 }, { join: true }],
    [{}, 3, { loggedIn: 1, unpaused: 1 }, { join: false, outcome: 'full' }],
    [{ maxWaiting: 0 }, 500, { loggedIn: 1, unpaused: 0 }, { join: true }],
    [{}, 0, { loggedIn: 0, unpaused: 0 }, { join: false, outcome: 'empty' }],
    [{ joinRule: 'agents_unpaused' }, 0, { loggedIn: 4, unpaused: 0 }, { join: false, outcome: 'empty' }],
    [{ joinRule: 'always' }, 0, { loggedIn: 0, unpaused: 0 }, { join: true }],
    [{ active: false }, 0, { loggedIn: 3, unpaused: 3 }, { join: false, outcome: 'inactive' }],
  ])('%j with %i waiting and %j', (over, waiting, staffing, expected) => {
    expect(joinDecision({ ...q, ...over }, waiting, staffing)).toEqual(expected);
  });

  it('leave rules', () => {
    expect(mustLeave('never', { loggedIn: 0, unpaused: 0 })).toBe(false);
    expect(mustLeave('no_agents_logged_in', { loggedIn: 0, unpaused: 0 })).toBe(true);
    expect(mustLeave('no_agents_logged_in', { loggedIn: 1, unpaused: 0 })).toBe(false);
    expect(mustLeave('no_agents_unpaused', { loggedIn: 1, unpaused: 0 })).toBe(true);
  });
});

describe('announcements', () => {
  it('expected wait: position × mean handle time ÷ agents serving', () => {
    expect(expectedWaitMs(3, 180_000, 12)).toBe(45_000);
    expect(expectedWaitMs(1, 180_000, 0)).toBeUndefined();
  });

  it.each([
    [0, ['atende-num-0']],
    [7, ['atende-num-7']],
    [19, ['atende-num-19']],
    [20, ['atende-num-20']],
    [21, ['atende-num-20', 'atende-num-and', 'atende-num-1']],
    [100, ['atende-num-100']],
    [101, ['atende-num-cento', 'atende-num-and', 'atende-num-1']],
    [120, ['atende-num-cento', 'atende-num-and', 'atende-num-20']],
    [345, ['atende-num-300', 'atende-num-and', 'atende-num-40', 'atende-num-and', 'atende-num-5']],
    [999, ['atende-num-900', 'atende-num-and', 'atende-num-90', 'atende-num-and', 'atende-num-9']],
  ])('%i is spoken %j', (n, prompts) => {
    expect(numberPrompts(n)).toEqual(prompts);
  });

  it('position and expected wait sentences', () => {
    expect(positionAnnouncement(2)).toEqual(['atende-queue-position', 'atende-num-2', 'atende-queue-position-end']);
    expect(positionAnnouncement(1000)).toBeUndefined();
    expect(expectedWaitAnnouncement(30_000)).toEqual(['atende-queue-wait', 'atende-queue-less-than-a-minute']);
    expect(expectedWaitAnnouncement(60_000)).toEqual(['atende-queue-wait', 'atende-num-1', 'atende-minute']);
    expect(expectedWaitAnnouncement(61_000)).toEqual(['atende-queue-wait', 'atende-num-2', 'atende-minutes']);
    expect(expectedWaitAnnouncement(undefined)).toBeUndefined();
    expect(expectedWaitAnnouncement(100 * 60_000)).toBeUndefined();
  });

  it('a queue says what it was set to say: the position, then the expected wait, or nothing', () => {
    const both = { announcePosition: true, announceWait: true };
    expect(queueAnnouncement(both, 3, 90_000)).toEqual(['atende-queue-position', 'atende-num-3', 'atende-queue-position-end', 'atende-queue-wait', 'atende-num-2', 'atende-minutes']);
    expect(queueAnnouncement({ announcePosition: false, announceWait: true }, 3, 20_000)).toEqual(['atende-queue-wait', 'atende-queue-less-than-a-minute']);
    expect(queueAnnouncement({ announcePosition: true, announceWait: false }, 1, 20_000)).toEqual(['atende-queue-position', 'atende-num-1', 'atende-queue-position-end']);
    // Nobody serves the queue: no estimate to promise; no longer waiting: no position.
    expect(queueAnnouncement(both, 1, undefined)).toEqual(['atende-queue-position', 'atende-num-1', 'atende-queue-position-end']);
    expect(queueAnnouncement(both, undefined, undefined)).toEqual([]);
  });

  it('every prompt the announcements name is a recording shipped in sounds/pt-BR', () => {
    const names = new Set([...NUMBER_PROMPTS, ...Object.values(ANNOUNCEMENT_PROMPTS)]);
    const known = new Set(NUMBER_PROMPTS);
    for (let n = 0; n <= 999; n++) for (const p of numberPrompts(n)) expect(known.has(p), p).toBe(true);
    for (const name of names) expect(existsSync(join(productSoundsDir, 'pt-BR', `${name}.wav`)), name).toBe(true);
  });
});

describe('the sticky agent a known caller brings', () => {
  const caller = (ownerUserId: number | null, ownerUntil: number | null) => ({ contactId: 1, name: 'Débora', ownerUserId, ownerUntil });
  it('is the owner while the ownership lasts, nobody after it or without one', () => {
    expect(ownerAgentOf(caller(7, null), 1_000)).toBe('u:7');
    expect(ownerAgentOf(caller(7, 2_000), 1_000)).toBe('u:7');
    expect(ownerAgentOf(caller(7, 1_000), 1_000)).toBeNull();
    expect(ownerAgentOf(caller(null, null), 1_000)).toBeNull();
    expect(ownerAgentOf(null, 1_000)).toBeNull();
  });
});

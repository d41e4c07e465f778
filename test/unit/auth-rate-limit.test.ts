import { describe, expect, it } from 'vitest';
import { FailureCounter } from '../../src/auth/rate-limit.js';
import { FakeClock } from '../../src/kernel/index.js';

describe('FailureCounter', () => {
  it('blocks a key after the maximum failures within the window, with the seconds to wait', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, 5, 60_000);
    for (let i = 0; i < 4; i++) {
      c.fail('login:ana');
      clock.advance(1000);
    }
    expect(c.retryAfterSeconds('login:ana')).toBe(0);
    c.fail('login:ana');
    // The first failure happened 4 s ago; it leaves the window in 56 s.
    expect(c.retryAfterSeconds('login:ana')).toBe(56);
    expect(c.retryAfterSeconds('login:bob')).toBe(0);
  });

  it('forgives failures once they leave the window', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, 2, 10_000);
    c.fail('k');
    c.fail('k');
    expect(c.retryAfterSeconds('k')).toBe(10);
    clock.advance(10_000);
    expect(c.retryAfterSeconds('k')).toBe(0);
  });

  it('forgets a key on reset', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, 1, 10_000);
    c.fail('k');
    expect(c.retryAfterSeconds('k')).toBeGreaterThan(0);
    c.reset('k');
    expect(c.retryAfterSeconds('k')).toBe(0);
  });

  it('keeps tracking within a memory bound when flooded with distinct keys', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, 1, 10_000, 3);
    for (const k of ['a', 'b', 'c', 'd', 'e']) c.fail(k);
    expect(c.retryAfterSeconds('e')).toBeGreaterThan(0);
    expect(['a', 'b', 'c', 'd', 'e'].filter((k) => c.retryAfterSeconds(k) > 0).length).toBeLessThanOrEqual(3);
  });
});

import { describe, expect, it } from 'vitest';
import { FailureCounter, LoginLimits } from '../../src/auth/rate-limit.js';
import { FakeClock } from '../../src/kernel/index.js';

const fail = (c: FailureCounter, key: string, times = 1) => {
  for (let i = 0; i < times; i++) c.reserve(key);
};

describe('FailureCounter', () => {
  it('locks a key for the window after the maximum failures within it, with the seconds to wait', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, { maxFailures: 5, windowMs: 60_000 });
    for (let i = 0; i < 4; i++) {
      fail(c, 'ana');
      clock.advance(1000);
    }
    expect(c.retryAfterSeconds('ana')).toBe(0);
    fail(c, 'ana');
    expect(c.retryAfterSeconds('ana')).toBe(60);
    expect(c.retryAfterSeconds('bob')).toBe(0);
    clock.advance(60_000);
    expect(c.retryAfterSeconds('ana')).toBe(0);
  });

  it('forgives failures once they leave the window', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, { maxFailures: 2, windowMs: 10_000 });
    fail(c, 'k');
    clock.advance(10_000);
    fail(c, 'k');
    expect(c.retryAfterSeconds('k')).toBe(0);
  });

  it('counts an attempt when it is reserved, and takes it back when released', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, { maxFailures: 3, windowMs: 60_000 });
    const a = c.reserve('k');
    const b = c.reserve('k');
    c.release(a);
    fail(c, 'k');
    expect(c.retryAfterSeconds('k')).toBe(0);
    fail(c, 'k');
    expect(c.retryAfterSeconds('k')).toBe(60);
    // b stays counted: it failed.
    expect(b.key).toBe('k');
  });

  it('lifts the lockout an attempt caused when that attempt turns out right', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, { maxFailures: 2, windowMs: 60_000, maxLockoutMs: 3_600_000 });
    fail(c, 'k');
    const right = c.reserve('k');
    expect(c.retryAfterSeconds('k')).toBe(60);
    c.release(right);
    expect(c.retryAfterSeconds('k')).toBe(0);
    // And the back-off did not advance: the next lockout is still one window.
    fail(c, 'k');
    expect(c.retryAfterSeconds('k')).toBe(60);
  });

  it('doubles each further lockout of the same key up to the maximum, and starts afresh after a quiet period', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, { maxFailures: 3, windowMs: 60_000, maxLockoutMs: 300_000 });
    const lockouts: number[] = [];
    for (let i = 0; i < 5; i++) {
      fail(c, 'k', 3);
      const wait = c.retryAfterSeconds('k');
      lockouts.push(wait);
      clock.advance(wait * 1000);
    }
    expect(lockouts).toEqual([60, 120, 240, 300, 300]);
    clock.advance(300_000);
    fail(c, 'k', 3);
    expect(c.retryAfterSeconds('k')).toBe(60);
  });

  it('forgets a key on reset', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, { maxFailures: 1, windowMs: 10_000, maxLockoutMs: 60_000 });
    fail(c, 'k');
    expect(c.retryAfterSeconds('k')).toBeGreaterThan(0);
    c.reset('k');
    expect(c.retryAfterSeconds('k')).toBe(0);
  });

  it('keeps tracking within a memory bound when flooded with distinct keys', () => {
    const clock = new FakeClock();
    const c = new FailureCounter(clock, { maxFailures: 1, windowMs: 10_000 }, 3);
    for (const k of ['a', 'b', 'c', 'd', 'e']) fail(c, k);
    expect(c.retryAfterSeconds('e')).toBeGreaterThan(0);
    expect(['a', 'b', 'c', 'd', 'e'].filter((k) => c.retryAfterSeconds(k) > 0).length).toBeLessThanOrEqual(3);
  });
});

describe('LoginLimits', () => {
  const settings = { perLogin: 5, perAddress: 100, windowMs: 60_000, maxLockoutMs: 3_600_000 };

  it('one agent behind a shared address locks only its own login', () => {
    const clock = new FakeClock();
    const l = new LoginLimits(clock, settings);
    for (let i = 0; i < 5; i++) l.attempt('ana', '10.0.0.1');
    expect(l.retryAfterSeconds('ana', '10.0.0.1')).toBe(60);
    expect(l.retryAfterSeconds('bia', '10.0.0.1')).toBe(0);
  });

  it('an address that fails for many logins is stopped at its own, higher limit', () => {
    const clock = new FakeClock();
    const l = new LoginLimits(clock, settings);
    for (let i = 0; i < 99; i++) l.attempt(`guess.${i}`, '10.0.0.2');
    expect(l.retryAfterSeconds('someone', '10.0.0.2')).toBe(0);
    l.attempt('guess.99', '10.0.0.2');
    expect(l.retryAfterSeconds('someone', '10.0.0.2')).toBe(60);
    expect(l.retryAfterSeconds('someone', '10.0.0.3')).toBe(0);
  });

  it('a successful attempt counts against neither, and forgive clears the back-off', () => {
    const clock = new FakeClock();
    const l = new LoginLimits(clock, { ...settings, perLogin: 2, perAddress: 2 });
    l.attempt('ana', '10.0.0.4');
    l.attempt('ana', '10.0.0.4').succeeded();
    expect(l.retryAfterSeconds('ana', '10.0.0.4')).toBe(0);
    l.forgive('ana');
    l.attempt('ana', '10.0.0.5');
    expect(l.retryAfterSeconds('ana', '10.0.0.5')).toBe(0);
  });
});

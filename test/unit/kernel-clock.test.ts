import { describe, expect, it } from 'vitest';
import { FakeClock, ScopedClock, wallClock } from '../../src/kernel/clock.js';

describe('ScopedClock', () => {
  it('fires its timers through the clock it wraps, and forgets them once fired or cancelled', () => {
    const fake = new FakeClock();
    const scoped = new ScopedClock(fake);
    const fired: string[] = [];
    scoped.setTimeout(() => fired.push('a'), 100);
    const b = scoped.setTimeout(() => fired.push('b'), 200);
    expect(scoped.pending()).toBe(2);
    fake.advance(150);
    b.cancel();
    fake.advance(100);
    expect(fired).toEqual(['a']);
    expect(scoped.pending()).toBe(0);
    expect(scoped.now()).toBe(fake.now());
  });

  it('cancels every timer on close, and never fires one armed afterwards', () => {
    const fake = new FakeClock();
    const scoped = new ScopedClock(fake);
    const fired: string[] = [];
    // A timer re-arming itself (as a timer woken early does) stops too.
    const again = () => scoped.setTimeout(() => { fired.push('tick'); again(); }, 10);
    again();
    scoped.setTimeout(() => fired.push('late'), 1000);
    fake.advance(35);
    scoped.close();
    scoped.setTimeout(() => fired.push('after close'), 1);
    fake.advance(5000);
    expect(fired).toEqual(['tick', 'tick', 'tick']);
    expect(fake.pending()).toBe(0);
  });
});

describe('wallClock', () => {
  // Timers that fire 2 ms before they are due (when longer than that), as Node’s may by its event loop’s clock.
  const early = (fake: FakeClock) => wallClock(() => fake.now(), (fn, ms) => fake.setTimeout(fn, ms > 2 ? ms - 2 : ms));

  it('runs a timer that fired early only once the wall clock reaches its time', () => {
    const fake = new FakeClock();
    const clock = early(fake);
    const start = fake.now();
    let firedAt: number | undefined;
    clock.setTimeout(() => (firedAt = fake.now()), 1000);
    fake.advance(999);
    expect(firedAt).toBeUndefined();
    fake.advance(1);
    expect(firedAt).toBe(start + 1000);
  });

  it('cancels a timer that is waiting for the rest of its time', () => {
    const fake = new FakeClock();
    const clock = early(fake);
    let fired = false;
    const timer = clock.setTimeout(() => (fired = true), 1000);
    fake.advance(998);
    timer.cancel();
    fake.advance(10);
    expect(fired).toBe(false);
    expect(fake.pending()).toBe(0);
  });
});

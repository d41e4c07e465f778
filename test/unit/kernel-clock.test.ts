import { describe, expect, it } from 'vitest';
import { FakeClock, ScopedClock } from '../../src/kernel/clock.js';

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
    // A timer re-arming itself (as a wrap-up woken early does) stops too.
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

import { describe, expect, it } from 'vitest';
import { ActiveCalls, WINDOW_MS } from './live';

describe('calls in progress over time', () => {
  it('counts calls from a snapshot and from events, one point per change, the line running on to now', () => {
    const live = new ActiveCalls();
    live.reset([{ callId: 'a' }, { callId: 'b' }], 1000);
    live.apply({ callId: 'c', state: 'ringing' }, 2000);
    live.apply({ callId: 'c', state: 'in_progress' }, 3000);
    live.apply({ callId: 'a', state: 'ended' }, 4000);
    live.apply({ callId: 'zz', state: 'ended' }, 5000);
    expect(live.count).toBe(2);
    expect(live.series(9000)).toEqual([
      { at: 1000, active: 2 },
      { at: 2000, active: 3 },
      { at: 4000, active: 2 },
      { at: 9000, active: 2 },
    ]);
  });

  it('shows the last half hour, starting from the count in force when it began', () => {
    const live = new ActiveCalls();
    live.reset([], 0);
    live.apply({ callId: 'a', state: 'ringing' }, 1000);
    live.apply({ callId: 'b', state: 'ringing' }, WINDOW_MS + 5000);
    const now = WINDOW_MS + 10_000;
    expect(live.series(now)).toEqual([
      { at: now - WINDOW_MS, active: 1 },
      { at: WINDOW_MS + 5000, active: 2 },
      { at: now, active: 2 },
    ]);
  });

  it('an end that arrives while the snapshot is read is applied on top of it', () => {
    const live = new ActiveCalls();
    live.reset([], 0);
    live.beginSnapshot();
    live.apply({ callId: 'a', state: 'ended' }, 100);
    live.apply({ callId: 'b', state: 'ringing' }, 150);
    // The snapshot was taken before both events: it still lists `a`, not yet `b`.
    live.reset([{ callId: 'a' }], 200);
    expect(live.count).toBe(1);
    expect(live.series(300).at(-1)).toEqual({ at: 300, active: 1 });
  });

  it('a snapshot that failed keeps what was known, with the events held meanwhile', () => {
    const live = new ActiveCalls();
    live.reset([{ callId: 'a' }, { callId: 'b' }], 0);
    live.beginSnapshot();
    live.apply({ callId: 'a', state: 'ended' }, 100);
    live.reset(undefined, 200);
    expect(live.count).toBe(1);
  });

  it('draws nothing before the first snapshot', () => {
    expect(new ActiveCalls().series(1000)).toEqual([]);
  });
});

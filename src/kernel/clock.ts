/**
 * Time is injected. Pure code takes `now` as an argument; services take a `Clock`.
 * Tests use `FakeClock` and never sleep.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
}

/**
 * A clock over a wall clock (`now`) and a timer primitive (`arm`) that may fire a little before
 * `now` reaches the due time, as Node's timers do: they run on the event loop's own clock, and
 * one may fire a millisecond before `Date.now()` gets there. A timer of this clock runs its
 * callback only once `now` has reached its time, armed again for the rest when it fired early:
 * code that compares `now()` with the time it asked for (a wrap-up's end) sees it due.
 */
export function wallClock(now: () => number, arm: (fn: () => void, ms: number) => Timer): Clock {
  return {
    now,
    setTimeout(fn, ms) {
      const due = now() + Math.max(0, ms);
      let current: Timer;
      const fire = () => {
        const left = due - now();
        if (left > 0) current = arm(fire, left);
        else fn();
      };
      current = arm(fire, Math.max(0, ms));
      return { cancel: () => current.cancel() };
    },
  };
}

export const systemClock: Clock = wallClock(
  () => Date.now(),
  (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
);

/**
 * A clock that moves only when told to; due timers fire in order (time, then creation) during
 * `advance`. Timers sit in a binary heap, so long virtual-time simulations stay fast.
 */
export class FakeClock implements Clock {
  private heap: { at: number; seq: number; fn: () => void; live: boolean }[] = [];
  private live = 0;
  private seq = 0;

  constructor(private current = Date.UTC(2026, 0, 5, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const entry = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.push(entry);
    this.live++;
    return {
      cancel: () => {
        if (!entry.live) return;
        entry.live = false;
        this.live--;
      },
    };
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > target) break;
      this.pop();
      if (!top.live) continue;
      top.live = false;
      this.live--;
      this.current = top.at;
      top.fn();
    }
    this.current = target;
  }

  /** When the next live timer is due, if any. */
  nextAt(): number | undefined {
    while (this.heap[0] && !this.heap[0].live) this.pop();
    return this.heap[0]?.at;
  }

  pending(): number {
    return this.live;
  }

  private before(i: number, j: number): boolean {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = t;
  }

  private push(entry: (typeof this.heap)[number]): void {
    this.heap.push(entry);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.before(l, m)) m = l;
      if (r < this.heap.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
}

/**
 * A clock whose timers can all be cancelled at once: a service that arms timers on its own
 * (wrap-ups, ring timeouts, batched pushes) stops them with `close` when the daemon stops,
 * so none fires into a closed database. Timers armed after `close` never fire.
 */
export class ScopedClock implements Clock {
  private readonly live = new Set<Timer>();
  private closed = false;

  constructor(private readonly inner: Clock) {}

  now(): number {
    return this.inner.now();
  }

  setTimeout(fn: () => void, ms: number): Timer {
    if (this.closed) return { cancel: () => {} };
    const timer: Timer = {
      cancel: () => {
        this.live.delete(timer);
        inner.cancel();
      },
    };
    const inner = this.inner.setTimeout(() => {
      this.live.delete(timer);
      fn();
    }, ms);
    this.live.add(timer);
    return timer;
  }

  /** Timers not yet fired or cancelled. */
  pending(): number {
    return this.live.size;
  }

  close(): void {
    this.closed = true;
    for (const t of [...this.live]) t.cancel();
  }
}

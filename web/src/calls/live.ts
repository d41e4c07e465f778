import type { Call } from './calls';

/** One point of the "calls in progress" series. */
export interface Point {
  at: number;
  active: number;
}

export const WINDOW_MS = 30 * 60_000;

type Change = Pick<Call, 'callId' | 'state'>;

/**
 * Calls in progress over the last half hour, kept from the live events: the set of calls not yet
 * ended, and a point each time its size changes. A REST snapshot restarts the set; events that
 * arrive while it is being read are held and replayed on top, so an end that overtakes the
 * snapshot is not lost.
 */
export class ActiveCalls {
  private readonly open = new Set<string>();
  private changes: Point[] = [];
  private held: Change[] | undefined;

  /** A snapshot is being read: hold the events until `reset`. */
  beginSnapshot(): void {
    this.held ??= [];
  }

  /** Starts over from the calls a snapshot lists; without one (it failed) keeps what it knew. */
  reset(calls: readonly Pick<Call, 'callId'>[] | undefined, now: number): void {
    if (calls) {
      this.open.clear();
      for (const c of calls) this.open.add(c.callId);
    }
    const held = this.held ?? [];
    this.held = undefined;
    for (const change of held) this.change(change);
    this.push(now);
  }

  apply(call: Change, now: number): void {
    if (this.held) {
      this.held.push(call);
      return;
    }
    const before = this.open.size;
    this.change(call);
    if (this.open.size !== before) this.push(now);
  }

  get count(): number {
    return this.open.size;
  }

  /**
   * The series to draw at `now`: the window's start carries the count then in force (so the step
   * before the first change in the window is right), and the line runs on to `now`.
   */
  series(now: number): Point[] {
    const start = now - WINDOW_MS;
    if (this.changes.length === 0) return [];
    const inside = this.changes.filter((p) => p.at > start);
    const before = this.changes.filter((p) => p.at <= start).at(-1);
    const head = before ? [{ at: start, active: before.active }] : [];
    return [...head, ...inside, { at: now, active: this.open.size }];
  }

  private change(call: Change): void {
    if (call.state === 'ended') this.open.delete(call.callId);
    else this.open.add(call.callId);
  }

  private push(now: number): void {
    const start = now - WINDOW_MS;
    // One point older than the window is kept: it says how many were open when the window starts.
    const older = this.changes.filter((p) => p.at <= start).at(-1);
    const last = this.changes.at(-1);
    const kept = this.changes.filter((p) => p.at > start);
    if (last && last.at === now) kept.pop();
    this.changes = [...(older ? [older] : []), ...kept, { at: now, active: this.open.size }];
  }
}

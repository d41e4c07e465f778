/**
 * Waiting for something to show up in an event stream, with a time limit instead of a sleep.
 */

/** Records every event from a subscribe function, and lets a test wait for one it expects. */
export class EventLog<E> {
  readonly events: E[] = [];
  private waiters = new Set<{ test: (e: E) => boolean; resolve: (e: E) => void }>();
  private readonly unsubscribe: () => void;

  constructor(subscribe: (listener: (event: E) => void) => () => void) {
    this.unsubscribe = subscribe((event) => {
      this.events.push(event);
      for (const w of [...this.waiters]) {
        if (w.test(event)) {
          this.waiters.delete(w);
          w.resolve(event);
        }
      }
    });
  }

  /**
   * Resolves with the first event (already recorded, or arriving within `timeoutMs`) that matches;
   * rejects naming `what` and the events seen when time runs out.
   */
  waitFor<T extends E = E>(test: ((e: E) => e is T) | ((e: E) => boolean), timeoutMs = 5000, what = 'event'): Promise<T> {
    const seen = this.events.find(test);
    if (seen !== undefined) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        test,
        resolve: (e: E) => {
          clearTimeout(timer);
          resolve(e as T);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw: ${JSON.stringify(this.events.slice(-20))}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Forgets what was recorded so far (waits then look only at what comes next). */
  clear(): void {
    this.events.length = 0;
  }

  close(): void {
    this.unsubscribe();
  }
}

/** Polls `predicate` until it is true or `timeoutMs` passes (for state that has no event). */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition', everyMs = 10): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type Subscribe<E> = (listener: (event: E) => void) => () => void;

/** Resolves with the next event from `subscribe` that matches, or rejects after `timeoutMs`. */
export function nextEvent<E, T extends E>(subscribe: Subscribe<E>, match: (e: E) => e is T, timeoutMs?: number): Promise<T>;
export function nextEvent<E>(subscribe: Subscribe<E>, match: (e: E) => boolean, timeoutMs?: number): Promise<E>;
export function nextEvent<E>(subscribe: Subscribe<E>, match: (e: E) => boolean, timeoutMs = 5_000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = subscribe((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

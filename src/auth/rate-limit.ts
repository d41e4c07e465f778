import type { Clock } from '../kernel/index.js';

/**
 * Counts failed logins per key (a login name, an IP) in a sliding window. Kept in memory:
 * a restart forgives, which is acceptable for a single daemon and keeps the database out of
 * the hot path of a password-guessing attack.
 */
export class FailureCounter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
    /** Bound on tracked keys so a flood of distinct keys cannot exhaust memory. */
    private readonly maxKeys = 100_000,
  ) {}

  private recent(key: string): number[] {
    const since = this.clock.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds until `key` may try again, or 0 when it is not blocked. */
  retryAfterSeconds(key: string): number {
    const list = this.recent(key);
    if (list.length < this.maxFailures) return 0;
    const freeAt = list[list.length - this.maxFailures]! + this.windowMs;
    return Math.max(1, Math.ceil((freeAt - this.clock.now()) / 1000));
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.clock.now());
    if (list.length > this.maxFailures) list.splice(0, list.length - this.maxFailures);
    if (!this.failures.has(key) && this.failures.size >= this.maxKeys) this.prune();
    this.failures.set(key, list);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    while (this.failures.size >= this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }
}

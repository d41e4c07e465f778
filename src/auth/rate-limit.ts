import type { Clock } from '../kernel/index.js';

/**
 * Login throttling, kept in memory: a restart forgives, which is acceptable for a single
 * daemon and keeps the database out of the hot path of a password-guessing attack.
 *
 * An attempt is counted *before* its password is checked and taken back when it turns out
 * right. Counting afterwards let a burst of parallel guesses all reach the (slow) check
 * before the first failure was recorded.
 */
export interface LockoutPolicy {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number;
  windowMs: number;
  /**
   * Each further lockout of the same key lasts twice as long as the one before, up to this
   * (exponential back-off); the key starts afresh after this long without a failure. Absent:
   * every lockout lasts `windowMs`.
   */
  maxLockoutMs?: number;
}

interface KeyState {
  /** Failures counted in the current window (oldest first). */
  times: number[];
  lockedUntil: number;
  /** Lockouts so far (the back-off exponent). */
  strikes: number;
  /** Last failure or end of the last lockout, whichever is later. */
  lastActivity: number;
  /** Changes with every lockout, so that a reservation knows whether it caused the current one. */
  lockSerial: number;
}

/** One counted attempt, until it is known to have failed or succeeded. */
export interface Reservation {
  readonly key: string;
  readonly at: number;
  /** Present when this attempt locked the key: the state to return to if it succeeds. */
  readonly undo?: { serial: number; before: KeyState };
}

export class FailureCounter {
  private states = new Map<string, KeyState>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: LockoutPolicy,
    /** Bound on tracked keys so a flood of distinct keys cannot exhaust memory. */
    private readonly maxKeys = 100_000,
  ) {}

  private current(key: string): KeyState | undefined {
    const st = this.states.get(key);
    if (!st) return undefined;
    const now = this.clock.now();
    st.times = st.times.filter((t) => t > now - this.policy.windowMs);
    const { maxLockoutMs } = this.policy;
    if (st.strikes > 0 && st.lockedUntil <= now && maxLockoutMs !== undefined && now - Math.max(st.lastActivity, st.lockedUntil) >= maxLockoutMs) {
      st.strikes = 0;
    }
    if (st.times.length === 0 && st.lockedUntil <= now && st.strikes === 0) {
      this.states.delete(key);
      return undefined;
    }
    return st;
  }

  /** Seconds until `key` may try again, or 0 when it is not locked. */
  retryAfterSeconds(key: string): number {
    const st = this.current(key);
    const now = this.clock.now();
    if (!st || st.lockedUntil <= now) return 0;
    return Math.max(1, Math.ceil((st.lockedUntil - now) / 1000));
  }

  /** Counts one failed attempt now; `release` takes it back if the attempt succeeds. */
  reserve(key: string): Reservation {
    const now = this.clock.now();
    let st = this.current(key);
    if (!st) {
      if (this.states.size >= this.maxKeys) this.prune();
      st = { times: [], lockedUntil: 0, strikes: 0, lastActivity: now, lockSerial: 0 };
      this.states.set(key, st);
    }
    const before: KeyState = { ...st, times: [...st.times] };
    st.times.push(now);
    st.lastActivity = now;
    if (st.times.length < this.policy.maxFailures) return { key, at: now };
    const { windowMs, maxLockoutMs } = this.policy;
    const lockMs = maxLockoutMs === undefined ? windowMs : Math.min(windowMs * 2 ** st.strikes, maxLockoutMs);
    st.lockedUntil = now + lockMs;
    st.strikes = maxLockoutMs === undefined ? 0 : st.strikes + 1;
    st.times = [];
    st.lockSerial++;
    return { key, at: now, undo: { serial: st.lockSerial, before } };
  }

  /** Counts something that has already failed, or a request that counts whatever its outcome. */
  fail(key: string): void {
    this.reserve(key);
  }

  /** The reserved attempt succeeded: it no longer counts (and a lockout it caused is lifted). */
  release(r: Reservation): void {
    const st = this.states.get(r.key);
    if (!st) return;
    if (r.undo && st.lockSerial === r.undo.serial) {
      this.states.set(r.key, { ...r.undo.before, lockSerial: st.lockSerial });
      return;
    }
    const i = st.times.indexOf(r.at);
    if (i >= 0) st.times.splice(i, 1);
  }

  /** Forgets everything about `key` (a login that succeeded). */
  reset(key: string): void {
    this.states.delete(key);
  }

  private prune(): void {
    for (const key of [...this.states.keys()]) this.current(key);
    while (this.states.size >= this.maxKeys) {
      const oldest = this.states.keys().next().value;
      if (oldest === undefined) break;
      this.states.delete(oldest);
    }
  }
}

export interface LoginLimitSettings {
  /** Failures per login within the window (strict: one person's password). */
  perLogin: number;
  /** Failures per client address within the window (loose: a call center's NAT hides hundreds of agents). */
  perAddress: number;
  windowMs: number;
  /** Longest lockout of one login under exponential back-off. */
  maxLockoutMs: number;
}

/** An attempt counted against a login and an address. */
export interface LoginAttempt {
  /** The password (or code) was right: the attempt is taken back. */
  succeeded(): void;
}

/**
 * The two limits every credential check passes: per login (strict, with exponential back-off)
 * and per client address (much higher, so one agent's typos never lock out a whole floor).
 */
export class LoginLimits {
  private readonly byLogin: FailureCounter;
  private readonly byAddress: FailureCounter;

  constructor(clock: Clock, s: LoginLimitSettings) {
    this.byLogin = new FailureCounter(clock, { maxFailures: s.perLogin, windowMs: s.windowMs, maxLockoutMs: s.maxLockoutMs });
    this.byAddress = new FailureCounter(clock, { maxFailures: s.perAddress, windowMs: s.windowMs });
  }

  /** Seconds to wait before this login may be tried from this address, 0 when it may now. */
  retryAfterSeconds(login: string | undefined, ip: string): number {
    return Math.max(login === undefined ? 0 : this.byLogin.retryAfterSeconds(loginKey(login)), this.byAddress.retryAfterSeconds(ip));
  }

  /** Counts an attempt before it is checked. Call only after `retryAfterSeconds` said 0. */
  attempt(login: string | undefined, ip: string): LoginAttempt {
    const address = this.byAddress.reserve(ip);
    const own = login === undefined ? undefined : this.byLogin.reserve(loginKey(login));
    return {
      succeeded: () => {
        this.byAddress.release(address);
        if (own) this.byLogin.release(own);
      },
    };
  }

  /** A full login succeeded: the login's failures and back-off are forgotten. */
  forgive(login: string): void {
    this.byLogin.reset(loginKey(login));
  }
}

const loginKey = (login: string): string => login.toLowerCase();

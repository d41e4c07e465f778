/**
 * What the three processes of the calls benchmark say to each other over their IPC channels,
 * and the small statistics they share.
 *
 * orchestrator (calls.bench.ts) ──fork──▶ Atende process (calls-atende.ts) ──fork──▶ emulator (calls-emulator.ts)
 */

/** `burst`: every call placed in one go; a number: that many calls per second. */
export type Arrival = 'burst' | number;

// ---------------------------------------------------------------- Atende ⇄ emulator

export interface EmulatorSetup {
  spans: number;
  speed: number;
}

export interface PlaceCalls {
  type: 'place';
  calls: { did: string; from: string; span: number }[];
  arrival: Arrival;
}

/** Per call, on the emulator's clock only (ms since the emulator process started). */
export interface EmulatedCall {
  channelId: string;
  span: number;
  /** Just before the channel was created (the emulator creates it synchronously). */
  enteredAt: number;
  /** When the emulator handled `POST /channels/{id}/answer` (the channel went Up). */
  answeredAt?: number;
  /** When the emulator handled `DELETE /channels/{id}` (Atende hung up). */
  hungUpAt?: number;
  /** Placing the call failed (span full or in alarm, ...). */
  error?: string;
}

export type ToEmulator = PlaceCalls | { type: 'report' } | { type: 'close' };

export type FromEmulator =
  | { type: 'ready'; ariUrl: string; ariUser: string; ariPassword: string }
  | { type: 'placed'; calls: EmulatedCall[] }
  | {
      type: 'report';
      calls: EmulatedCall[];
      /** Channels the emulator still has: must be 0 once every call has ended. */
      liveChannels: number;
      /** Answer/hangup requests for channels the emulator did not place in this batch. */
      strayRequests: number;
      /** ARI requests the emulator answered with a status >= 400 (other than the redundant hangups below). */
      failedRequests: { method: string; url: string; status: number }[];
      /** `DELETE /channels/{id}` answered 404 because that channel had already been hung up by an earlier DELETE. */
      redundantHangups: number;
      /** CPU the emulator process used since the calls were placed (user + system). */
      cpuMs: number;
    }
  | { type: 'error'; message: string };

// ---------------------------------------------------------------- orchestrator ⇄ Atende

export interface RunSpec {
  n: number;
  spans: number;
  speed: number;
  arrival: Arrival;
  logLevel: string;
  /** Give up on calls that have not ended after this long. */
  deadlineMs: number;
}

export interface Distribution {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RunResult {
  n: number;
  spans: number;
  speed: number;
  arrival: Arrival;
  placed: number;
  completed: number;
  failed: number;
  /** First call placed → last call record closed, on the Atende process's clock. */
  wallMs: number;
  callsPerSecond: number;
  /** Call entered → answered, on the emulator's clock. */
  answerLatencyMs: Distribution;
  /** Answered → hung up by Atende (the prompt's length ÷ speed plus Atende's reaction), emulator clock. */
  answeredToHangupMs: Distribution;
  rssMb: { baseline: number; peak: number };
  /** Event-loop delay beyond the 10 ms sampling interval, during the run. */
  eventLoopLagMs: { p50: number; p99: number; max: number };
  /**
   * CPU time (user + system) per call. Atende: the run's CPU minus what the idle process used
   * over the same time (measured for 2 s before the calls). Emulator: its whole CPU, for comparison.
   */
  cpuMsPerCall: { atende: number; emulator: number };
  /** CPU the idle Atende process used (% of one core): timers, ARI pings, the tsx loader thread. */
  idleCpuPercent: number;
  /** Second hangup requests for channels already hung up (Atende's flow and its clean-up both hanging up). */
  redundantHangups: number;
  /** Warn/error lines Atende logged during the run. */
  atendeWarnings: number;
  /** Everything that made the run invalid; empty when every call was placed, answered, played, hung up and recorded. */
  problems: string[];
}

export type FromAtende = { type: 'result'; result: RunResult } | { type: 'error'; message: string };

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile of an ascending list (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
  };
}

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * The Atende side of the calls benchmark, one process per N (so each N starts from a fresh heap):
 * the production ARI adapter and calls engine, call records in a real SQLite file, and the
 * emulated Asterisk in a child process (calls-emulator.ts) reached over loopback.
 *
 * Measured here, on this process's clock: wall time from "place the calls" to the last call
 * record closed, RSS every 100 ms, event-loop delay. Latencies come from the emulator's clock.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pino from 'pino';
import { createCallsApp, productSoundsDir, type CallsApp } from '../../src/calls/index.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { calls as callsTable, tenants } from '../../src/db/schema/index.js';
import { systemClock } from '../../src/kernel/index.js';
import { loggerOptions } from '../../src/kernel/logger.js';
import type { TelephonyEvent } from '../../src/telephony/call-control.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import {
  distribution,
  round,
  type EmulatorSetup,
  type FromAtende,
  type FromEmulator,
  type PlaceCalls,
  type RunResult,
  type RunSpec,
  type ToEmulator,
} from './protocol.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as RunSpec;
const LAG_RESOLUTION_MS = 10;
const IDLE_BASELINE_MS = 2000;
const DID = '4830001234';

/** The welcome prompt's length, read from its WAV header like the emulator does. */
function welcomeMs(): number {
  const buf = readFileSync(join(productSoundsDir, 'pt-BR', 'atende-welcome.wav'));
  return ((buf.length - 44) / buf.readUInt32LE(28)) * 1000;
}

/** Talks to the emulator process: one request, the next message of the expected type back. */
class EmulatorProcess {
  private readonly waiting: { type: FromEmulator['type']; resolve: (m: FromEmulator) => void }[] = [];
  private failure: Error | undefined;

  constructor(readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const m = raw as FromEmulator;
      if (m.type === 'error') return this.fail(new Error(`emulator: ${m.message}`));
      const i = this.waiting.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(m);
    });
    child.on('exit', (code) => this.fail(new Error(`emulator process exited (${code})`)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.resolve({ type: 'error', message: err.message });
  }

  next<T extends FromEmulator['type']>(type: T, timeoutMs: number): Promise<Extract<FromEmulator, { type: T }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${type}' from the emulator within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          if (m.type === 'error') reject(new Error(m.message));
          else resolve(m as Extract<FromEmulator, { type: T }>);
        },
      });
    });
  }

  send(m: ToEmulator): void {
    this.child.send(m);
  }
}

/** Resolves when `count` calls have ended (CallEnded) or the deadline passes; the engine closes the record in the same dispatch. */
function endings(ari: AriCallControlHandle) {
  const ended = new Map<string, number>();
  let target = Infinity;
  let done: (() => void) | undefined;
  const unsubscribe = ari.callControl.onEvent((e: TelephonyEvent) => {
    if (e.type !== 'CallEnded') return;
    ended.set(e.channelId, performance.now());
    if (ended.size >= target) done?.();
  });
  return {
    ended,
    /** Forgets what ended so far and waits for `count` more. */
    wait(count: number, timeoutMs: number): Promise<boolean> {
      ended.clear();
      target = count;
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        done = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
    stop: unsubscribe,
  };
}

async function run(): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'atende-bench-'));
  const problems: string[] = [];
  const warnings: string[] = [];
  // Production logging (pino at the configured level), to a file instead of stdout.
  const logger = pino(
    {
      ...loggerOptions({ level: spec.logLevel, pretty: false }),
      hooks: {
        logMethod(args, method, level) {
          if (level >= 40) warnings.push(String(typeof args[0] === 'string' ? args[0] : (args[1] ?? '')));
          method.apply(this, args);
        },
      },
    },
    pino.destination({ dest: join(dir, 'atende.log'), mkdir: true }),
  );

  const setup: EmulatorSetup = { spans: spec.spans, speed: spec.speed };
  const emu = new EmulatorProcess(
    fork(fileURLToPath(new URL('./calls-emulator.ts', import.meta.url)), [JSON.stringify(setup)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  let ari: AriCallControlHandle | undefined;
  let calls: CallsApp | undefined;
  let database: Database_ | undefined;
  try {
    const ready = await emu.next('ready', 30_000);
    database = openDatabase(join(dir, 'atende.db'));
    database.db.insert(tenants).values({ legalName: 'Empresa Bench', cnpj: '11222333000181' }).run();

    ari = createAriCallControl({ url: ready.ariUrl, user: ready.ariUser, password: ready.ariPassword, app: 'atende', logger });
    const up = new Promise<void>((resolve) => {
      const off = ari!.callControl.onEvent((e) => {
        if (e.type === 'ConnectionChanged' && e.link === 'ari' && e.state === 'up') {
          off();
          resolve();
        }
      });
    });
    ari.start();
    await Promise.race([up, new Promise((_, reject) => setTimeout(() => reject(new Error('ARI did not connect within 15 s')), 15_000))]);
    calls = createCallsApp({
      callControl: ari.callControl,
      database,
      logger,
      clock: systemClock,
      config: {
        asterisk: { ari: { app: 'atende' }, soundsDir: '' },
      },
    });
    await calls.start();
    const tracker = endings(ari);
    const promptWallMs = welcomeMs() / spec.speed;

    // Warm-up: one call through the whole path (lazy imports, prepared statements, JIT), not counted.
    const warm = tracker.wait(1, promptWallMs + 30_000);
    emu.send({ type: 'place', calls: [{ did: DID, from: '5548900000000', span: 1 }], arrival: 'burst' });
    await emu.next('placed', 10_000);
    if (!(await warm)) throw new Error('the warm-up call did not end');

    const batch: PlaceCalls['calls'] = Array.from({ length: spec.n }, (_, i) => ({
      did: DID,
      from: `55489${String(i).padStart(8, '0')}`,
      span: (i % spec.spans) + 1,
    }));

    // Measurement window. `memoryUsage.rss()` is the same figure as `memoryUsage().rss` without
    // walking the V8 heap spaces, so sampling it every 100 ms costs next to nothing.
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    const rssBaseline = process.memoryUsage.rss();
    let rssPeak = rssBaseline;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }, 100);
    // What the process burns doing nothing (sampler, lag timer, ARI pings, the tsx loader thread),
    // so that the CPU per call reported below is what the calls themselves cost.
    const idleStart = performance.now();
    const idleCpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, IDLE_BASELINE_MS));
    const idleCpu = process.cpuUsage(idleCpu0);
    const idleCpuPerMs = (idleCpu.user + idleCpu.system) / 1000 / (performance.now() - idleStart);
    warnings.length = 0;
    lag.enable();
    const cpuAtStart = process.cpuUsage();
    const allEnded = tracker.wait(spec.n, spec.deadlineMs);
    const t0 = performance.now();
    emu.send({ type: 'place', calls: batch, arrival: spec.arrival });
    const placed = await emu.next('placed', spec.deadlineMs);
    const finished = await allEnded;
    const endedTimes = [...tracker.ended.values()];
    const tEnd = endedTimes.length ? Math.max(...endedTimes) : performance.now();
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuWindowMs = performance.now() - t0;
    lag.disable();
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    tracker.stop();

    // Did every call happen, and is it recorded as it should be?
    const placeErrors = placed.calls.filter((c) => c.error);
    if (placeErrors.length) problems.push(`${placeErrors.length} calls could not be placed: ${placeErrors[0]!.error}`);
    if (!finished) problems.push(`only ${tracker.ended.size} of ${spec.n} calls ended within ${spec.deadlineMs} ms`);
    emu.send({ type: 'report' });
    const report = await emu.next('report', 10_000);
    const byId = new Map(report.calls.map((c) => [c.channelId, c]));
    const unanswered = report.calls.filter((c) => c.answeredAt === undefined);
    const notHungUp = report.calls.filter((c) => c.hungUpAt === undefined);
    if (unanswered.length) problems.push(`${unanswered.length} calls never answered (e.g. ${unanswered[0]!.channelId})`);
    if (notHungUp.length) problems.push(`${notHungUp.length} calls never hung up by Atende (e.g. ${notHungUp[0]!.channelId})`);
    if (report.liveChannels > 0) problems.push(`the emulator still has ${report.liveChannels} channels`);
    if (report.strayRequests > 0) problems.push(`${report.strayRequests} answer/hangup requests for channels not in the batch`);
    if (report.failedRequests.length) {
      const f = report.failedRequests[0]!;
      problems.push(`${report.failedRequests.length} ARI requests failed (e.g. ${f.method} ${f.url} → ${f.status})`);
    }
    const shortPrompts = report.calls.filter((c) => c.answeredAt !== undefined && c.hungUpAt !== undefined && c.hungUpAt - c.answeredAt < promptWallMs - 5);
    if (shortPrompts.length) problems.push(`${shortPrompts.length} calls hung up before the prompt's ${round(promptWallMs)} ms had played`);
    const live = calls.activeCalls();
    if (live.length) problems.push(`${live.length} sessions still active in the engine`);

    const rows = database.db.select().from(callsTable).all();
    const good = new Set<string>();
    const bad: string[] = [];
    for (const c of placed.calls) {
      if (!c.channelId) continue;
      const row = rows.find((r) => r.channelId === c.channelId);
      const ok =
        row !== undefined &&
        row.state === 'ended' &&
        row.cause === 16 &&
        row.hangupBy === 'atende' &&
        row.endReason === 'normal' &&
        row.answeredAt !== null &&
        row.endedAt !== null &&
        row.trunkRef === `span:${c.span}` &&
        byId.get(c.channelId)?.answeredAt !== undefined;
      if (ok) good.add(c.channelId);
      else bad.push(row ? `${c.channelId}: ${row.state}, cause ${row.cause}, by ${row.hangupBy}, ${row.endReason}` : `${c.channelId}: no record`);
    }
    if (bad.length) problems.push(`${bad.length} calls without a closed record (cause 16 by atende): ${bad.slice(0, 3).join('; ')}`);
    if (rows.length !== spec.n + 1) problems.push(`${rows.length} call records for ${spec.n} calls + 1 warm-up`);

    const answered = report.calls.filter((c) => c.answeredAt !== undefined);
    const lagMs = (p: number) => round(Math.max(0, lag.percentile(p) / 1e6 - LAG_RESOLUTION_MS), 2);
    const wallMs = tEnd - t0;
    return {
      n: spec.n,
      spans: spec.spans,
      speed: spec.speed,
      arrival: spec.arrival,
      placed: placed.calls.length - placeErrors.length,
      completed: good.size,
      failed: spec.n - good.size,
      wallMs: round(wallMs),
      callsPerSecond: round((good.size / wallMs) * 1000, 2),
      answerLatencyMs: distribution(answered.map((c) => c.answeredAt! - c.enteredAt)),
      answeredToHangupMs: distribution(answered.filter((c) => c.hungUpAt !== undefined).map((c) => c.hungUpAt! - c.answeredAt!)),
      rssMb: { baseline: round(rssBaseline / 2 ** 20), peak: round(rssPeak / 2 ** 20) },
      eventLoopLagMs: { p50: lagMs(50), p99: lagMs(99), max: round(Math.max(0, lag.max / 1e6 - LAG_RESOLUTION_MS), 2) },
      cpuMsPerCall: {
        atende: round(Math.max(0, (cpu.user + cpu.system) / 1000 - idleCpuPerMs * cpuWindowMs) / spec.n, 2),
        emulator: round(report.cpuMs / spec.n, 2),
      },
      idleCpuPercent: round(idleCpuPerMs * 100, 1),
      redundantHangups: report.redundantHangups,
      atendeWarnings: warnings.length,
      problems: [...problems, ...(warnings.length ? [`Atende logged ${warnings.length} warnings/errors, e.g. "${warnings[0]}"`] : [])],
    };
  } finally {
    await calls?.stop(0);
    await ari?.stop();
    try {
      emu.send({ type: 'close' });
    } catch {
      // the emulator process is already gone (its exit was reported as the run's error)
    }
    database?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

run()
  .then((result) => send({ type: 'result', result }))
  .catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }))
  .finally(() => process.disconnect?.());

function send(m: FromAtende): void {
  process.send!(m);
}


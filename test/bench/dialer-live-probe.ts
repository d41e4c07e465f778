/**
 * Loaded into the daemon of `npm run bench:dialer-live` (`node --import tsx --import <this>
 * src/main.ts`): it watches the live dialer's trace channels (`DIALER_TRACE` in
 * src/dialer/dialer.runner.ts) and the process itself, and answers the benchmark over IPC.
 * `start` resets every figure; `report` sends them for the time since.
 */
import { subscribe } from 'node:diagnostics_channel';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { distribution, type Distribution } from './protocol.js';

export interface ProbeReport {
  seconds: number;
  ticks: number;
  steps: number;
  /** Steps by the event that caused them (Tick, CallAnswered, CallEnded, …). */
  stepsByEvent: Record<string, number>;
  originates: number;
  /** Originates decided by a timer tick, by a call event, or sent to a route's next trunk. */
  originatesBy: { tick: number; event: number; failover: number };
  /** Timer tick began (before its reads) → the originate asked of the PBX, for dials a tick decided. */
  tickToOriginateMs: Distribution;
  /** The step that decided it began → the originate, for every decided dial. */
  stepToOriginateMs: Distribution;
  /** Length of a timer tick over every live campaign (reads, lines, the core's step, the monitor). */
  tickMs: Distribution;
  /** Length of one step of a campaign's core and what it carries out. */
  stepMs: Distribution;
  cpuMs: { user: number; system: number };
  rssMb: { start: number; peak: number };
  eventLoopLagMs: { p50: number; p99: number; max: number };
}

type Msg = { type: 'start' } | { type: 'report' };

let t0 = performance.now();
let cpu0 = process.cpuUsage();
let rssStart = process.memoryUsage.rss();
let rssPeak = rssStart;
let ticks: number[] = [];
let steps: number[] = [];
let stepsByEvent: Record<string, number> = {};
let tickToOriginate: number[] = [];
let stepToOriginate: number[] = [];
let originatesBy = { tick: 0, event: 0, failover: 0 };
const lag = monitorEventLoopDelay({ resolution: 10 });

subscribe('atende.dialer.tick', (m) => ticks.push((m as { ms: number }).ms));
subscribe('atende.dialer.step', (m) => {
  const s = m as { event: string; ms: number };
  steps.push(s.ms);
  stepsByEvent[s.event] = (stepsByEvent[s.event] ?? 0) + 1;
});
subscribe('atende.dialer.originate', (m) => {
  const o = m as { event: string | null; stepStartMs: number | null; tickStartMs: number | null; atMs: number };
  if (o.stepStartMs === null) {
    originatesBy.failover++;
    return;
  }
  stepToOriginate.push(o.atMs - o.stepStartMs);
  if (o.event === 'Tick' && o.tickStartMs !== null) {
    originatesBy.tick++;
    tickToOriginate.push(o.atMs - o.tickStartMs);
  } else originatesBy.event++;
});

setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}, 100).unref();

const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const lagMs = (ns: number) => Math.round(Math.max(0, ns / 1e6 - 10) * 10) / 10;

process.on('message', (raw) => {
  const msg = raw as Msg;
  if (msg.type === 'start') {
    t0 = performance.now();
    cpu0 = process.cpuUsage();
    rssStart = process.memoryUsage.rss();
    rssPeak = rssStart;
    ticks = [];
    steps = [];
    stepsByEvent = {};
    tickToOriginate = [];
    stepToOriginate = [];
    originatesBy = { tick: 0, event: 0, failover: 0 };
    lag.reset();
    lag.enable();
    process.send!({ type: 'started' });
  } else if (msg.type === 'report') {
    const cpu = process.cpuUsage(cpu0);
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    const report: ProbeReport = {
      seconds: (performance.now() - t0) / 1000,
      ticks: ticks.length,
      steps: steps.length,
      stepsByEvent,
      originates: originatesBy.tick + originatesBy.event + originatesBy.failover,
      originatesBy,
      tickToOriginateMs: distribution(tickToOriginate),
      stepToOriginateMs: distribution(stepToOriginate),
      tickMs: distribution(ticks),
      stepMs: distribution(steps),
      cpuMs: { user: Math.round(cpu.user / 1000), system: Math.round(cpu.system / 1000) },
      rssMb: { start: mb(rssStart), peak: mb(rssPeak) },
      eventLoopLagMs: { p50: lagMs(lag.percentile(50)), p99: lagMs(lag.percentile(99)), max: lagMs(lag.max) },
    };
    process.send!({ type: 'report', report });
  }
});

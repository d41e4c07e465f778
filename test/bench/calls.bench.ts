/**
 * `npm run bench:calls -- [--n 30,120,480] [--speed 1] [--arrival burst|<calls per second>] [--log-level info] [--out <dir>] [--profile <dir>]`
 *
 * Load benchmark of the inbound call path (see README.md next to this file). For each N it
 * starts a fresh Atende process (calls-atende.ts), which starts its own emulated Asterisk
 * process with ceil(N / 30) E1 spans, places N calls and measures. This process only collects
 * the results, prints a Markdown table and writes them as JSON. Exits 1 if any call was lost.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Arrival, FromAtende, RunResult, RunSpec } from './protocol.js';

const B_CHANNELS_PER_SPAN = 30;
/** Longest modelled prompt (the welcome WAV is ~6 s); the deadline is generous on top of it. */
const PROMPT_MS = 7_000;

const usage = `Usage: npm run bench:calls -- [--n 30,120,480] [--speed 1] [--arrival burst|<calls/s>] [--log-level info] [--out <dir>] [--profile <dir>]`;

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      n: { type: 'string', default: '30,120,480' },
      speed: { type: 'string', default: '1' },
      arrival: { type: 'string', default: 'burst' },
      'log-level': { type: 'string', default: 'info' },
      out: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const ns = values.n.split(',').map((s) => Number(s.trim()));
  if (ns.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--n must be whole numbers ≥ 1, comma-separated: ${values.n}`);
  const speed = Number(values.speed);
  if (!(speed > 0)) throw new Error(`--speed must be a positive number: ${values.speed}`);
  let arrival: Arrival = 'burst';
  if (values.arrival !== 'burst') {
    arrival = Number(values.arrival);
    if (!(arrival > 0)) throw new Error(`--arrival must be "burst" or calls per second: ${values.arrival}`);
  }
  const out = values.out ?? fileURLToPath(new URL('./results/', import.meta.url));
  return { ns, speed, arrival, logLevel: values['log-level'], out, profile: values.profile };
}

/** `profileDir`: write a V8 CPU profile of the Atende process there (open it in Chrome DevTools). */
function runOne(spec: RunSpec, profileDir?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./calls-atende.ts', import.meta.url)), [JSON.stringify(spec)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: profileDir ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : process.execArgv,
    });
    let outcome: FromAtende | undefined;
    child.on('message', (m) => (outcome = m as FromAtende));
    child.on('exit', (code) => {
      if (outcome?.type === 'result') resolve(outcome.result);
      else reject(new Error(outcome?.type === 'error' ? outcome.message : `the Atende process exited (${code}) without a result`));
    });
  });
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');

function table(results: RunResult[]): string {
  const head = [
    '| N | spans | completed | failed | wall (s) | calls/s | answer p50 | p95 | p99 | max (ms) | RSS base → peak (MB) | loop lag p50 / p99 / max (ms) | CPU ms/call |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const rows = results.map((r) =>
    [
      r.n,
      r.spans,
      r.completed,
      r.failed,
      (r.wallMs / 1000).toFixed(2),
      r.callsPerSecond.toFixed(1),
      ms(r.answerLatencyMs.p50),
      ms(r.answerLatencyMs.p95),
      ms(r.answerLatencyMs.p99),
      ms(r.answerLatencyMs.max),
      `${r.rssMb.baseline.toFixed(0)} → ${r.rssMb.peak.toFixed(0)}`,
      `${r.eventLoopLagMs.p50.toFixed(1)} / ${r.eventLoopLagMs.p99.toFixed(1)} / ${r.eventLoopLagMs.max.toFixed(1)}`,
      r.cpuMsPerCall.atende.toFixed(1),
    ].join(' | '),
  );
  return [...head, ...rows.map((r) => `| ${r} |`)].join('\n');
}

async function main(): Promise<void> {
  const o = options();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const loadBefore = loadavg();
  console.log(`Calls benchmark: N = ${o.ns.join(', ')}, speed ${o.speed}, arrival ${o.arrival}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

  const results: RunResult[] = [];
  const loads: { n: number; before: number[]; after: number[] }[] = [];
  for (const n of o.ns) {
    const spans = Math.ceil(n / B_CHANNELS_PER_SPAN);
    const pacingMs = o.arrival === 'burst' ? 0 : (n / o.arrival) * 1000;
    const spec: RunSpec = { n, spans, speed: o.speed, arrival: o.arrival, logLevel: o.logLevel, deadlineMs: PROMPT_MS / o.speed + pacingMs + 120_000 };
    const before = loadavg();
    process.stdout.write(`N = ${n} on ${spans} span(s)… `);
    const r = await runOne(spec, o.profile);
    loads.push({ n, before, after: loadavg() });
    results.push(r);
    console.log(r.problems.length ? `PROBLEMS:\n  - ${r.problems.join('\n  - ')}` : `ok (${r.completed}/${n} in ${(r.wallMs / 1000).toFixed(2)} s)`);
  }

  console.log(`\n${table(results)}\n`);
  console.log(
    `Answered → hung up (prompt): ${results.map((r) => `N=${r.n} p50 ${ms(r.answeredToHangupMs.p50)} / max ${ms(r.answeredToHangupMs.max)} ms`).join('; ')}`,
  );
  console.log(`Emulator CPU ms/call: ${results.map((r) => `N=${r.n} ${r.cpuMsPerCall.emulator.toFixed(1)}`).join('; ')}`);
  console.log(`Redundant hangups (DELETE → 404 after Atende's own hangup): ${results.map((r) => `N=${r.n} ${r.redundantHangups}`).join('; ')}`);
  const loadAfter = loadavg();
  console.log(`Load average after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);

  mkdirSync(o.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(':', '-');
  const file = join(o.out, `calls-${stamp}.json`);
  const command = `npm run bench:calls -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, '');
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), command, machine, options: { speed: o.speed, arrival: o.arrival, logLevel: o.logLevel }, loadAverage: { before: loadBefore, after: loadAfter, perRun: loads }, results }, null, 2)}\n`,
  );
  console.log(`Written to ${relative(process.cwd(), file)}`);

  const lost = results.filter((r) => r.problems.length > 0 || r.failed > 0);
  if (lost.length) {
    console.error(`\nFAILED: ${lost.map((r) => `N=${r.n}: ${r.failed} calls not completed`).join('; ')} — these figures are not valid.`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});

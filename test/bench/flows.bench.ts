/**
 * `npm run bench:flows -- [--calls 1000] [--steps 200000]`
 *
 * How fast the IVR decides, in two parts (see README.md next to this file):
 * 1. The pure machine: `--steps` events stepped round-robin over `--calls` IVR states at once.
 * 2. The engine: `--calls` inbound calls in the calls engine at the same time, each through
 *    time condition → IVR greeting and menu → option 2 → a CPF collect node → exit, on the
 *    in-memory CallControl with a virtual clock and a real SQLite file (call records, traces,
 *    call data written as in production). Each digit is timed from its arrival to the end of
 *    the synchronous work it causes (step, trace rows, the next prompt requested).
 * Prints a Markdown table; asserts nothing about time. Exits 1 if a call did not end where the
 * script leads.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startIvr, stepIvr, type IvrDefinition, type IvrEvent, type IvrState } from '../../src/flows/index.js';
import { silentLogger } from '../../src/kernel/index.js';
import { flowsWorld } from '../helpers/flows-world.js';

const { values } = parseArgs({ args: process.argv.slice(2), options: { calls: { type: 'string', default: '1000' }, steps: { type: 'string', default: '200000' } }, strict: true });
const CALLS = Number(values.calls);
const STEPS = Number(values.steps);

const sound = (name: string) => ({ kind: 'sound' as const, name });
const ivrInput = {
  name: 'Bench',
  definition: {
    root: 'main',
    nodes: [
      {
        id: 'main',
        kind: 'menu' as const,
        greeting: [sound('atende-welcome')],
        prompt: [sound('atende-please-hold')],
        options: [
          { digit: '1' as const, target: { destination: { kind: 'hangup' as const, cause: 16 } } },
          { digit: '2' as const, target: { node: 'cpf' } },
        ],
      },
      { id: 'cpf', kind: 'collect' as const, prompt: [sound('atende-timeout')], variable: 'cpf', minDigits: 11, maxDigits: 11, validator: 'cpf' as const, next: { destination: { kind: 'hangup' as const, cause: 16 } } },
    ],
  },
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (x: number) => x.toFixed(3);

async function engine() {
  const w = await flowsWorld({ promptMs: 2000, logger: silentLogger });
  const ivr = w.flows.ivrs.create(w.change, w.tenantId, ivrInput);
  const tc = w.flows.timeConditions.create(w.change, w.tenantId, {
    name: 'Sempre',
    periods: [{ start: '00:00', end: '24:00' }],
    openDestination: { kind: 'ivr', id: ivr.id },
    closedDestination: { kind: 'hangup', cause: 16 },
  });
  w.route('1133334444', { kind: 'time_condition', id: tc.id });
  const latencies: number[] = [];
  const started = performance.now();
  const channels = Array.from({ length: CALLS }, (_, i) => w.control.placeInbound('1133334444', `1198765${String(i).padStart(4, '0')}`));
  await w.settle();
  const press = async (digits: string) => {
    for (const d of digits) {
      for (const ch of channels) {
        const t0 = performance.now();
        w.control.pressDigits(ch.id, d);
        latencies.push(performance.now() - t0);
      }
      await w.settle();
    }
  };
  await w.advance(3000, 1000); // greeting 0–2 s, the menu is playing
  await press('2');
  await w.advance(1000, 1000);
  await press('52998224725');
  await w.advance(1000, 1000);
  const wall = performance.now() - started;
  const traces = w.database.sqlite.prepare("SELECT count(*) AS n FROM ivr_traces WHERE event = 'exit'").get() as { n: number };
  const ended = w.database.sqlite.prepare("SELECT count(*) AS n FROM calls WHERE state = 'ended'").get() as { n: number };
  const data = w.database.sqlite.prepare("SELECT count(*) AS n FROM call_data WHERE name = 'cpf'").get() as { n: number };
  await w.close();
  latencies.sort((a, b) => a - b);
  return { wall, latencies, exits: traces.n, ended: ended.n, collected: data.n };
}

function pure() {
  const def: IvrDefinition = {
    language: 'pt-BR',
    root: 'main',
    nodes: [
      {
        id: 'main',
        name: 'main',
        kind: 'menu',
        bargeIn: true,
        greeting: [],
        prompt: [sound('atende-please-hold')],
        options: [{ digit: '1', target: { node: 'main' } }],
        directDialLength: 4,
        timeoutSeconds: 5,
        interDigitSeconds: 3,
        retries: 2,
        invalidPrompt: [],
        timeoutPrompt: [],
        exhaustedPrompt: [],
        onExhausted: { node: 'main' },
      },
    ],
  };
  const extensions = new Map([['2001', 1]]);
  const env = { extensions: () => extensions };
  const states: IvrState[] = Array.from({ length: CALLS }, () => startIvr(def, 0, env).state);
  // Each call alternates: the prompt ends, the caller presses 1 (back to the menu: a new prompt).
  const events: IvrEvent[] = [{ type: 'played', playId: 0 }, { type: 'digit', digit: '1' }];
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const k = i % CALLS;
    const s = states[k]!;
    const e = events[Math.floor(i / CALLS) % 2]!;
    states[k] = stepIvr(def, s, e.type === 'played' ? { type: 'played', playId: s.playId ?? 0 } : e, i, env).state;
  }
  return { steps: STEPS, seconds: (performance.now() - t0) / 1000 };
}

const before = loadavg()[0]!;
const p = pure();
const e = await engine();
const problems = [e.ended !== CALLS && `${CALLS - e.ended} calls did not end`, e.exits !== CALLS && `${e.exits} IVR exits, expected ${CALLS}`, e.collected !== CALLS && `${e.collected} CPFs kept, expected ${CALLS}`].filter(Boolean);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${before.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
console.log('');
console.log('| part | calls at once | steps | decisions/s | step latency p50 / p99 / max (ms) |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| pure machine | ${CALLS} | ${p.steps} | ${Math.round(p.steps / p.seconds)} | — |`);
const l = e.latencies;
console.log(`| engine (calls + runner + SQLite) | ${CALLS} | ${l.length} digits | ${Math.round(l.length / (l.reduce((a, b) => a + b, 0) / 1000))} | ${ms(quantile(l, 0.5))} / ${ms(quantile(l, 0.99))} / ${ms(l.at(-1)!)} |`);
console.log('');
console.log(`Engine run: ${CALLS} calls, ${(e.wall / 1000).toFixed(1)} s wall for ${l.length} digits and the prompts between them (virtual time).`);
if (problems.length > 0) {
  console.log(`\nThese figures are not valid: ${problems.join('; ')}`);
  process.exit(1);
}

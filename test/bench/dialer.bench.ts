/**
 * `npm run bench:dialer`: the dialer's pacing policies on simulated campaigns (virtual time,
 * seeded), side by side with re-implementations of open-source dialers' pacing. See
 * test/bench/README.md for what each figure means.
 *
 *   npm run bench:dialer                                   # every scenario, seeds 1–5, every policy
 *   npm run bench:dialer -- --scenario test/bench/dialer-base.json --seeds 1,2,3 --policy predictive,progressive
 *   npm run bench:dialer -- --tune                          # re-tune the baselines (seeds 101–103) into dialer-tuned.json
 *   npm run bench:dialer -- --perf                          # cost of one predictive decision, 200 agents / 600 trunks
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PredictivePacer,
  parseScenario,
  progressivePacer,
  progressiveUtilisation,
  simulate,
  wilsonInterval,
  type Pacer,
  type Scenario,
  type SimPolicy,
  type SimulationResult,
} from '../../src/dialer/index.js';
import { isAppError } from '../../src/kernel/index.js';
import { vicidial, type VicidialMethod } from './dialer-vicidial.js';

const here = dirname(fileURLToPath(import.meta.url));
const TUNED_FILE = join(here, 'dialer-tuned.json');
const TUNING_SEEDS = [101, 102, 103];

interface Args {
  scenarios: string[];
  seeds: number[];
  policies: string[] | null;
  tune: boolean;
  perf: boolean;
  out: string;
}

function usage(message: string): never {
  console.error(`bench:dialer: ${message}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scenarios: [], seeds: [1, 2, 3, 4, 5], policies: null, tune: false, perf: false, out: join(here, 'results') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--scenario') args.scenarios.push(resolve(value()));
    else if (a === '--seeds') {
      args.seeds = value()
        .split(',')
        .map((s) => Number(s));
      if (args.seeds.some((s) => !Number.isInteger(s) || s < 0)) usage('--seeds takes whole numbers, e.g. 1,2,3');
    } else if (a === '--policy') args.policies = value().split(',');
    else if (a === '--tune') args.tune = true;
    else if (a === '--perf') args.perf = true;
    else if (a === '--out') args.out = resolve(value());
    else usage(`unknown argument ${a}`);
  }
  if (args.scenarios.length === 0)
    args.scenarios = [
      join(here, 'dialer-base.json'),
      ...readdirSync(join(here, 'dialer-scenarios'))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(here, 'dialer-scenarios', f)),
    ];
  return args;
}

function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    usage(`${file}: ${(e as Error).message}`);
  }
  try {
    return parseScenario(raw, basename(file, '.json'));
  } catch (e) {
    if (isAppError(e)) usage(`${file}: ${e.message} (field: ${String(e.details?.field)})`);
    throw e;
  }
}

type Tuned = Record<string, { fixedRatio: number; vicidialRatio: number }>;

function readTuned(): Tuned {
  try {
    return JSON.parse(readFileSync(TUNED_FILE, 'utf8')) as Tuned;
  } catch {
    return {};
  }
}

const predictive: SimPolicy = {
  name: 'predictive',
  mode: 'predictive',
  create: (settings, s) => new PredictivePacer(settings, { targetAbandonRate: s.abandon_target, maxAbandonRate: s.abandon_max }),
};

const fixed = (name: string, pacer: () => Pacer): SimPolicy => ({ name, mode: 'progressive', create: pacer });

function policiesFor(s: Scenario, tuned: Tuned): SimPolicy[] {
  const t = tuned[s.name];
  const list: SimPolicy[] = [fixed('progressive', () => progressivePacer(1))];
  if (t) list.push(fixed(`fixed-ratio ${t.fixedRatio} (tuned)`, () => progressivePacer(t.fixedRatio)));
  for (const m of ['ADAPT_HARD_LIMIT', 'ADAPT_AVERAGE', 'ADAPT_TAPERED'] as VicidialMethod[])
    list.push(fixed(`vicidial ${m.toLowerCase()}`, () => vicidial(m)));
  if (t) list.push(fixed(`vicidial ratio ${t.vicidialRatio} (tuned)`, () => vicidial('RATIO', { dialLevel: t.vicidialRatio })));
  list.push(predictive);
  return list;
}

interface Summary {
  scenario: string;
  policy: string;
  seeds: number[];
  utilisation: number;
  talkShare: number;
  contactsPerAgentHour: number;
  dialsPerAgentHour: number;
  /** Mean over seeds of each seed's true abandon rate. */
  trueAbandon: number;
  /** Pooled over seeds, with its 95 % Wilson interval. */
  trueAbandonPooled: number;
  trueAbandonLow: number;
  trueAbandonHigh: number;
  worstSeedAbandon: number;
  measuredDropRate: number;
  shortCallShare: number;
  idleSecondsPerContact: number;
  waitBetweenCalls: number;
  maxTrunksInUse: number;
  cpuSecondsPerRun: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function run(s: Scenario, policy: SimPolicy, seeds: number[]): Summary {
  const results: SimulationResult[] = [];
  const cpu0 = process.cpuUsage();
  for (const seed of seeds) results.push(simulate(s, policy, { seed }));
  const cpu = process.cpuUsage(cpu0);
  const abandoned = results.reduce((a, r) => a + r.counts.personsDropped + r.counts.personsRejectedByAmd, 0);
  const persons = results.reduce((a, r) => a + r.counts.personsAnswered, 0);
  const ci = wilsonInterval(abandoned, persons);
  const avg = (f: (r: SimulationResult) => number) => mean(results.map(f));
  return {
    scenario: s.name,
    policy: policy.name,
    seeds,
    utilisation: avg((r) => r.utilisation),
    talkShare: avg((r) => r.talkShare),
    contactsPerAgentHour: avg((r) => r.contactsPerAgentHour),
    dialsPerAgentHour: avg((r) => r.dialsPerAgentHour),
    trueAbandon: avg((r) => r.trueAbandonRate),
    trueAbandonPooled: persons > 0 ? abandoned / persons : 0,
    trueAbandonLow: ci.low,
    trueAbandonHigh: ci.high,
    worstSeedAbandon: Math.max(...results.map((r) => r.trueAbandonRate)),
    measuredDropRate: avg((r) => r.measuredDropRate),
    shortCallShare: avg((r) => r.shortCallShare),
    idleSecondsPerContact: avg((r) => r.idleSecondsPerContact),
    waitBetweenCalls: avg((r) => r.waitBetweenCalls),
    maxTrunksInUse: Math.max(...results.map((r) => r.maxTrunksInUse)),
    cpuSecondsPerRun: (cpu.user + cpu.system) / 1e6 / seeds.length,
  };
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;

function table(s: Scenario, rows: Summary[]): string {
  const head =
    '| policy | utilisation | talk share | contacts / agent-h | dials / agent-h | true abandon (mean of seeds) | pooled, 95 % CI | worst seed | measured drop rate | short calls | idle s / contact | wait between calls (s) | max trunks |';
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) => {
    const over = r.trueAbandon > s.abandon_max ? ' **over max**' : '';
    return `| ${r.policy} | ${pct(r.utilisation)} | ${pct(r.talkShare)} | ${r.contactsPerAgentHour.toFixed(1)} | ${r.dialsPerAgentHour.toFixed(0)} | ${pct(r.trueAbandon, 2)}${over} | ${pct(r.trueAbandonPooled, 2)} (${pct(r.trueAbandonLow, 2)}–${pct(r.trueAbandonHigh, 2)}) | ${pct(r.worstSeedAbandon, 2)} | ${pct(r.measuredDropRate, 2)} | ${pct(r.shortCallShare)} | ${r.idleSecondsPerContact.toFixed(1)} | ${r.waitBetweenCalls.toFixed(1)} | ${r.maxTrunksInUse} |`;
  });
  return [head, sep, ...lines].join('\n');
}

/** The largest parameter in [lo, hi] whose mean abandon over the tuning seeds stays ≤ the maximum. */
function tuneParameter(s: Scenario, make: (p: number) => SimPolicy, lo: number, hi: number, steps: number): number {
  const meets = (p: number) => run(s, make(p), TUNING_SEEDS).trueAbandon <= s.abandon_max;
  if (!meets(lo)) return lo;
  if (meets(hi)) return hi;
  for (let i = 0; i < steps; i++) {
    const mid = (lo + hi) / 2;
    if (meets(mid)) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo * 100) / 100;
}

function tune(scenarios: Scenario[]): void {
  const tuned = readTuned();
  for (const s of scenarios) {
    const fixedRatio = tuneParameter(s, (r) => fixed('fixed', () => progressivePacer(r)), 1, 8, 8);
    const vicidialRatio = tuneParameter(s, (l) => fixed('vicidial', () => vicidial('RATIO', { dialLevel: l })), 1, 4, 8);
    tuned[s.name] = { fixedRatio, vicidialRatio };
    console.log(`${s.name}: fixed ratio ${fixedRatio}, VICIdial RATIO dial level ${vicidialRatio}`);
  }
  writeFileSync(TUNED_FILE, JSON.stringify(tuned, null, 2) + '\n');
  console.log(`written ${TUNED_FILE}`);
}

function perf(): void {
  const base = loadScenario(join(here, 'dialer-base.json'));
  const s: Scenario = { ...base, name: 'perf-200', agents: 200, trunks: 600, hours: 1, login_stagger: 3 };
  const times: number[] = [];
  const timed: SimPolicy = {
    name: 'predictive (timed)',
    mode: 'predictive',
    create(settings, sc) {
      const p = new PredictivePacer(settings, { targetAbandonRate: sc.abandon_target, maxAbandonRate: sc.abandon_max });
      const decide = p.decide.bind(p);
      p.decide = (view, now) => {
        const t = process.hrtime.bigint();
        const n = decide(view, now);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        return n;
      };
      return p;
    },
  };
  const wall0 = performance.now();
  const r = simulate(s, timed, { seed: 1 });
  const wall = (performance.now() - wall0) / 1000;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  const total = times.reduce((a, b) => a + b, 0) / 1000;
  console.log(
    `200 agents, 600 trunks, 1 simulated hour: ${times.length} decisions, ${(times.length / total).toFixed(0)} decisions/s of decision time, ` +
      `p50 ${q(0.5).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms, max ${q(1).toFixed(3)} ms; utilisation ${pct(r.utilisation)}, ` +
      `true abandon ${pct(r.trueAbandonRate, 2)}; whole simulation ${wall.toFixed(1)} s`,
  );
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.perf) return perf();
  const scenarios = args.scenarios.map(loadScenario);
  if (args.tune) return tune(scenarios);
  const tuned = readTuned();
  const machine = `${cpus().length}× ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform} ${process.arch}`;
  const command = `npm run bench:dialer -- ${process.argv.slice(2).join(' ')}`.trim();
  const loadBefore = loadavg();
  const all: Summary[] = [];
  const sections: string[] = [];
  for (const s of scenarios) {
    const policies = policiesFor(s, tuned).filter((p) => !args.policies || args.policies.some((name) => p.name.startsWith(name)));
    console.log(`\n## ${s.name} — ${s.agents} agents, ${s.trunks} trunks, ${s.hours} h, aim ${pct(s.abandon_target)}, max ${pct(s.abandon_max)}`);
    if (s.changes.length === 0) console.log(`progressive utilisation by renewal reasoning: ${pct(progressiveUtilisation(s), 2)}`);
    const rows: Summary[] = [];
    for (const p of policies) {
      const row = run(s, p, args.seeds);
      rows.push(row);
      console.log(
        `  ${p.name}: utilisation ${pct(row.utilisation)}, true abandon ${pct(row.trueAbandon, 2)} (worst seed ${pct(row.worstSeedAbandon, 2)}), ${row.cpuSecondsPerRun.toFixed(1)} s CPU/run`,
      );
    }
    all.push(...rows);
    const t = table(s, rows);
    sections.push(`### ${s.name}\n\n${t}`);
    console.log(`\n${t}`);
  }
  mkdirSync(args.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(args.out, `dialer-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ machine, command, seeds: args.seeds, loadBefore, loadAfter: loadavg(), results: all }, null, 2));
  console.log(`\nmachine: ${machine}; load ${loadBefore.map((x) => x.toFixed(1)).join(' ')} → ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`written ${file}`);
}

main();

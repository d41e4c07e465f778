/**
 * A simulated campaign: the scenario file's keys, their validation (an error names the key),
 * the fate of every record in the list drawn once from the seed, and the closed-form
 * utilisation of progressive dialing that the simulation is checked against.
 *
 * Times in a scenario are seconds; probabilities are shares (0–1).
 */
import { invalidField, seededRandom, type Random } from '../kernel/index.js';

export type Range = readonly [low: number, high: number];

/** Keys a scenario may change from a given hour on (a shift in the list's answer rates, a new script). */
export interface ScenarioChange {
  at_hour: number;
  p_fail?: number;
  p_noanswer?: number;
  p_machine?: number;
  p_human?: number;
  talk_mean?: number;
  talk_sd?: number;
}

export interface Scenario {
  name: string;
  agents: number;
  hours: number;
  trunks: number;
  p_fail: number;
  p_noanswer: number;
  p_machine: number;
  p_human: number;
  /** Seconds until a failed call (busy, congestion) ends. */
  fail_time: Range;
  /** Ring timeout: later answers count as no answer. */
  dial_timeout: number;
  /** A person answers after shift + Gamma(k, θ) seconds. */
  human_answer: readonly [shift: number, gamma_k: number, gamma_theta: number];
  machine_answer: Range;
  amd: boolean;
  /** Share of machines detection hangs up. */
  amd_detect: number;
  /** Share of persons detection wrongly hangs up. */
  amd_false_pos: number;
  amd_human_delay: Range;
  amd_machine_delay: Range;
  /** Talk time with a person: log-normal with this mean and standard deviation. */
  talk_mean: number;
  talk_sd: number;
  wrap: Range;
  /** A machine that reaches an agent: talk, then wrap-up. */
  machine_talk: number;
  machine_wrap: number;
  connect_grace: number;
  drop_message: number;
  /** Calls not completed or ending within this many seconds of the answer are short calls. */
  short_call: number;
  /** Seconds between one agent's login and the next. */
  login_stagger: number;
  /** The campaign's abandon-rate aim and hard maximum. */
  abandon_target: number;
  abandon_max: number;
  changes: readonly ScenarioChange[];
}

type Raw = Record<string, unknown>;

function num(raw: Raw, key: string, min: number, max: number, opts: { integer?: boolean; exclusiveMin?: boolean } = {}): number {
  const v = raw[key];
  if (v === undefined) throw invalidField(key, `${key} is missing`);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidField(key, `${key} must be a number`);
  if (opts.integer && !Number.isInteger(v)) throw invalidField(key, `${key} must be a whole number`);
  if (opts.exclusiveMin ? v <= min : v < min) throw invalidField(key, opts.exclusiveMin ? `${key} must be above ${min}` : `${key} must be at least ${min}`);
  if (v > max) throw invalidField(key, `${key} must be at most ${max}`);
  return v;
}

function optionalNum(raw: Raw, key: string, min: number, max: number, fallback: number): number {
  return raw[key] === undefined ? fallback : num(raw, key, min, max);
}

function range(raw: Raw, key: string, min: number, max: number): Range {
  const v = raw[key];
  if (v === undefined) throw invalidField(key, `${key} is missing`);
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw invalidField(key, `${key} must be [low, high] in seconds`);
  const [a, b] = v as [number, number];
  if (a < min || b > max) throw invalidField(key, `${key} must lie within [${min}, ${max}]`);
  if (a > b) throw invalidField(key, `${key}: low must not exceed high`);
  return [a, b];
}

const PROBABILITIES = ['p_fail', 'p_noanswer', 'p_machine', 'p_human'] as const;

function checkSum(values: Record<(typeof PROBABILITIES)[number], number>, field: string): void {
  const sum = PROBABILITIES.reduce((acc, k) => acc + values[k], 0);
  if (Math.abs(sum - 1) > 1e-6) throw invalidField(field, `p_fail + p_noanswer + p_machine + p_human must be 1 (is ${sum.toFixed(4)})`);
}

const KNOWN = new Set([
  'name',
  'description',
  'agents',
  'hours',
  'trunks',
  ...PROBABILITIES,
  'fail_time',
  'dial_timeout',
  'human_answer',
  'machine_answer',
  'amd',
  'amd_detect',
  'amd_false_pos',
  'amd_human_delay',
  'amd_machine_delay',
  'talk_mean',
  'talk_sd',
  'wrap',
  'machine_talk',
  'machine_wrap',
  'connect_grace',
  'drop_message',
  'short_call',
  'login_stagger',
  'abandon_target',
  'abandon_max',
  'changes',
]);

/** Validates a parsed scenario file; throws a 400 `invalid_field` naming the first bad key. */
export function parseScenario(input: unknown, fallbackName = 'scenario'): Scenario {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidField('scenario', 'a scenario is a JSON object');
  const raw = input as Raw;
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) throw invalidField(key, `${key} is not a scenario key`);
  const name = raw.name === undefined ? fallbackName : raw.name;
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) throw invalidField('name', 'name must be 1–100 characters');
  const amd = raw.amd;
  if (typeof amd !== 'boolean') throw invalidField('amd', amd === undefined ? 'amd is missing' : 'amd must be true or false');
  const ha = raw.human_answer;
  if (ha === undefined) throw invalidField('human_answer', 'human_answer is missing');
  if (!Array.isArray(ha) || ha.length !== 3 || !ha.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw invalidField('human_answer', 'human_answer must be [shift, gamma_k, gamma_theta]');
  const [shift, k, theta] = ha as [number, number, number];
  if (shift < 0 || shift > 120) throw invalidField('human_answer', 'human_answer shift must lie within [0, 120] s');
  if (k <= 0 || k > 100 || theta <= 0 || theta > 120) throw invalidField('human_answer', 'human_answer gamma_k and gamma_theta must be positive');
  const s: Scenario = {
    name,
    agents: num(raw, 'agents', 1, 1000, { integer: true }),
    hours: num(raw, 'hours', 0, 24, { exclusiveMin: true }),
    trunks: num(raw, 'trunks', 1, 10_000, { integer: true }),
    p_fail: num(raw, 'p_fail', 0, 1),
    p_noanswer: num(raw, 'p_noanswer', 0, 1),
    p_machine: num(raw, 'p_machine', 0, 1),
    p_human: num(raw, 'p_human', 0, 1),
    fail_time: range(raw, 'fail_time', 0, 120),
    dial_timeout: num(raw, 'dial_timeout', 15, 120),
    human_answer: [shift, k, theta],
    machine_answer: range(raw, 'machine_answer', 0, 120),
    amd,
    amd_detect: num(raw, 'amd_detect', 0, 1),
    amd_false_pos: num(raw, 'amd_false_pos', 0, 1),
    amd_human_delay: range(raw, 'amd_human_delay', 0, 30),
    amd_machine_delay: range(raw, 'amd_machine_delay', 0, 30),
    talk_mean: num(raw, 'talk_mean', 1, 7200),
    talk_sd: num(raw, 'talk_sd', 0, 7200),
    wrap: range(raw, 'wrap', 0, 3600),
    machine_talk: num(raw, 'machine_talk', 0, 600),
    machine_wrap: num(raw, 'machine_wrap', 0, 600),
    connect_grace: num(raw, 'connect_grace', 0, 10),
    drop_message: num(raw, 'drop_message', 0, 60),
    short_call: num(raw, 'short_call', 0, 60),
    login_stagger: num(raw, 'login_stagger', 0, 3600),
    abandon_target: optionalNum(raw, 'abandon_target', 0.001, 0.5, 0.025),
    abandon_max: optionalNum(raw, 'abandon_max', 0.001, 0.5, 0.03),
    changes: [],
  };
  checkSum(s, 'p_human');
  if (s.abandon_target > s.abandon_max) throw invalidField('abandon_target', 'abandon_target must not exceed abandon_max');
  s.changes = parseChanges(raw.changes, s);
  return s;
}

function parseChanges(value: unknown, base: Scenario): ScenarioChange[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidField('changes', 'changes must be a list');
  const out: ScenarioChange[] = [];
  let current: Record<(typeof PROBABILITIES)[number], number> = { ...base };
  value.forEach((item, i) => {
    const field = `changes[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidField(field, `${field} must be an object`);
    const raw = item as Raw;
    for (const key of Object.keys(raw))
      if (key !== 'at_hour' && key !== 'talk_mean' && key !== 'talk_sd' && !(PROBABILITIES as readonly string[]).includes(key))
        throw invalidField(`${field}.${key}`, `${key} cannot change during a shift`);
    const prefixed = (key: string, min: number, max: number) => {
      try {
        return raw[key] === undefined ? undefined : num(raw, key, min, max);
      } catch {
        throw invalidField(`${field}.${key}`, `${field}.${key} must be a number within [${min}, ${max}]`);
      }
    };
    const at = prefixed('at_hour', 0, base.hours);
    if (at === undefined) throw invalidField(`${field}.at_hour`, `${field}.at_hour is missing`);
    const change: ScenarioChange = { at_hour: at };
    for (const key of PROBABILITIES) {
      const v = prefixed(key, 0, 1);
      if (v !== undefined) change[key] = v;
    }
    const tm = prefixed('talk_mean', 1, 7200);
    if (tm !== undefined) change.talk_mean = tm;
    const ts = prefixed('talk_sd', 0, 7200);
    if (ts !== undefined) change.talk_sd = ts;
    current = { ...current, ...change };
    checkSum(current, `${field}.p_human`);
    out.push(change);
  });
  return out.sort((a, b) => a.at_hour - b.at_hour);
}

/** The scenario's parameters in force at a time (seconds from the start of the shift). */
export function paramsAt(s: Scenario, atSeconds: number): Scenario {
  let p = s;
  for (const c of s.changes) if (c.at_hour * 3600 <= atSeconds) p = { ...p, ...c };
  return p;
}

/** Everything random about one record of the list, drawn once from the seed and its index. */
export interface RecordDraws {
  outcome: number;
  failTime: number;
  humanAnswer: number;
  machineAnswer: number;
  amdUniform: number;
  amdHumanDelay: number;
  amdMachineDelay: number;
  /** Standard normal behind the log-normal talk time. */
  talkNormal: number;
  wrap: number;
}

/** A 32-bit mix of seed and index, so each record has its own stream. */
function mix(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const between = (r: Random, [a, b]: Range) => a + (b - a) * r.next();

export function standardNormal(r: Random): number {
  const u = Math.max(r.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

/** Gamma(k, 1) (Marsaglia & Tsang; boosted for k < 1). */
export function standardGamma(r: Random, k: number): number {
  if (k < 1) return standardGamma(r, k + 1) * Math.pow(Math.max(r.next(), 1e-12), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(r);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = r.next();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function drawRecord(s: Scenario, seed: number, index: number): RecordDraws {
  const r = seededRandom(mix(seed, index));
  const [shift, k, theta] = s.human_answer;
  return {
    outcome: r.next(),
    failTime: between(r, s.fail_time),
    humanAnswer: shift + theta * standardGamma(r, k),
    machineAnswer: between(r, s.machine_answer),
    amdUniform: r.next(),
    amdHumanDelay: between(r, s.amd_human_delay),
    amdMachineDelay: between(r, s.amd_machine_delay),
    talkNormal: standardNormal(r),
    wrap: between(r, s.wrap),
  };
}

/** What happens to a dialled record, in seconds from the dial. */
export type Fate =
  | { kind: 'failed'; endsAt: number }
  | { kind: 'no_answer'; endsAt: number }
  | {
      kind: 'person' | 'machine';
      answersAt: number;
      /** Detection's verdict and when it comes (seconds after the answer); null without detection. */
      amd: { verdict: 'human' | 'machine' | 'notsure'; after: number } | null;
      talk: number;
      wrap: number;
    };

/** The fate of a record dialled at `atSeconds` into the shift, under the parameters then in force. */
export function fateOf(s: Scenario, d: RecordDraws, atSeconds: number): Fate {
  const p = paramsAt(s, atSeconds);
  const timeout = p.dial_timeout;
  let u = d.outcome;
  if (u < p.p_fail) return { kind: 'failed', endsAt: Math.min(d.failTime, timeout) };
  u -= p.p_fail;
  if (u < p.p_noanswer) return { kind: 'no_answer', endsAt: timeout };
  u -= p.p_noanswer;
  if (u < p.p_machine) {
    if (d.machineAnswer >= timeout) return { kind: 'no_answer', endsAt: timeout };
    const detected = d.amdUniform < p.amd_detect;
    return {
      kind: 'machine',
      answersAt: d.machineAnswer,
      amd: p.amd ? { verdict: detected ? 'machine' : 'notsure', after: d.amdMachineDelay } : null,
      talk: p.machine_talk,
      wrap: p.machine_wrap,
    };
  }
  if (d.humanAnswer >= timeout) return { kind: 'no_answer', endsAt: timeout };
  const wronglyRejected = d.amdUniform < p.amd_false_pos;
  const s2 = Math.log(1 + (p.talk_sd * p.talk_sd) / (p.talk_mean * p.talk_mean));
  const talk = Math.exp(Math.log(p.talk_mean) - s2 / 2 + Math.sqrt(s2) * d.talkNormal);
  return {
    kind: 'person',
    answersAt: d.humanAnswer,
    amd: p.amd ? { verdict: wronglyRejected ? 'machine' : 'human', after: d.amdHumanDelay } : null,
    talk,
    wrap: d.wrap,
  };
}

/** ln Γ(x) (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0] ?? 1;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised lower incomplete gamma P(a, x) = P(Gamma(a, 1) ≤ x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 500; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

const meanOf = ([a, b]: Range) => (a + b) / 2;

/**
 * Utilisation of progressive dialing (one call per idle agent) by renewal reasoning: every
 * attempt takes an agent's idle time until its outcome and, when it reaches the agent, work
 * time; utilisation = E[work] ÷ (E[idle] + E[work]) per attempt. Ignores login stagger and
 * the end of the shift (both small).
 */
export function progressiveUtilisation(s: Scenario): number {
  const T = s.dial_timeout;
  let idle = s.p_fail * meanOf(s.fail_time) + s.p_noanswer * T;
  let work = 0;

  const [shift, k, theta] = s.human_answer;
  const x = (T - shift) / theta;
  const inTime = x > 0 ? gammaP(k, x) : 0;
  const answerMean = inTime > 0 ? shift * inTime + k * theta * gammaP(k + 1, x) : 0;
  const personScreen = s.amd ? meanOf(s.amd_human_delay) : 0;
  const personReaches = s.amd ? 1 - s.amd_false_pos : 1;
  idle += s.p_human * (answerMean + inTime * personScreen + (1 - inTime) * T);
  work += s.p_human * inTime * personReaches * (s.talk_mean + meanOf(s.wrap));

  const [ma, mb] = s.machine_answer;
  const mIn = mb <= T ? 1 : ma >= T ? 0 : (T - ma) / (mb - ma);
  const mMean = mb <= T ? meanOf(s.machine_answer) * mIn : mIn > 0 ? (T * T - ma * ma) / (2 * (mb - ma)) : 0;
  const machineScreen = s.amd ? meanOf(s.amd_machine_delay) : 0;
  const machineReaches = s.amd ? 1 - s.amd_detect : 1;
  idle += s.p_machine * (mMean + mIn * machineScreen + (1 - mIn) * T);
  work += s.p_machine * mIn * machineReaches * (s.machine_talk + s.machine_wrap);
  return work / (idle + work);
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/kernel/index.js';
import {
  drawRecord,
  fateOf,
  gammaP,
  paramsAt,
  parseScenario,
  progressiveUtilisation,
  type Scenario,
} from '../../src/dialer/scenario.logic.js';

const baseFile = new URL('../bench/dialer-base.json', import.meta.url);
const raw = (): Record<string, unknown> => JSON.parse(readFileSync(baseFile, 'utf8')) as Record<string, unknown>;
const base = (): Scenario => parseScenario(raw());

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return String(e.details?.field);
    throw e;
  }
  return undefined;
}

describe('scenario files', () => {
  it('the shipped base scenario is valid and says what the issue asks', () => {
    const s = base();
    expect(s).toMatchObject({ agents: 20, hours: 8, trunks: 60, login_stagger: 30, dial_timeout: 25, connect_grace: 2, drop_message: 6 });
    expect(s.human_answer).toEqual([2, 2, 3.5]);
  });

  it.each<[string, (r: Record<string, unknown>) => void, string]>([
    ['a missing key', (r) => delete r.trunks, 'trunks'],
    ['agents out of range', (r) => (r.agents = 0), 'agents'],
    ['agents not whole', (r) => (r.agents = 2.5), 'agents'],
    ['a probability above 1', (r) => (r.amd_detect = 1.2), 'amd_detect'],
    ['probabilities that do not add up to 1', (r) => (r.p_human = 0.3), 'p_human'],
    ['a range given backwards', (r) => (r.wrap = [20, 10]), 'wrap'],
    ['a range that is not a pair', (r) => (r.fail_time = [2]), 'fail_time'],
    ['a ring timeout under 15 s', (r) => (r.dial_timeout = 10), 'dial_timeout'],
    ['a string where a number belongs', (r) => (r.talk_mean = '120'), 'talk_mean'],
    ['human_answer with a non-positive shape', (r) => (r.human_answer = [2, 0, 3.5]), 'human_answer'],
    ['amd not a boolean', (r) => (r.amd = 'yes'), 'amd'],
    ['an unknown key', (r) => (r.agnets = 20), 'agnets'],
    ['an aim above the maximum', (r) => (r.abandon_target = 0.05), 'abandon_target'],
    ['a change at an hour past the shift', (r) => (r.changes = [{ at_hour: 9, p_human: 0.2, p_noanswer: 0.55 }]), 'changes[0].at_hour'],
    ['a change that breaks the probabilities', (r) => (r.changes = [{ at_hour: 4, p_human: 0.4 }]), 'changes[0].p_human'],
    ['a change of a key that cannot change', (r) => (r.changes = [{ at_hour: 4, agents: 30 }]), 'changes[0].agents'],
  ])('%s is refused naming the key', (_name, spoil, field) => {
    const r = raw();
    spoil(r);
    expect(fieldOf(() => parseScenario(r))).toBe(field);
  });

  it('a change applies from its hour on', () => {
    const s = parseScenario({ ...raw(), changes: [{ at_hour: 4, p_human: 0.4, p_noanswer: 0.35 }] });
    expect(paramsAt(s, 4 * 3600 - 1).p_human).toBe(0.25);
    expect(paramsAt(s, 4 * 3600).p_human).toBe(0.4);
  });
});

describe('record fates', () => {
  it('are drawn once per seed and record: the same for every policy, different across seeds', () => {
    const s = base();
    expect(drawRecord(s, 7, 123)).toEqual(drawRecord(s, 7, 123));
    expect(drawRecord(s, 7, 123)).not.toEqual(drawRecord(s, 8, 123));
    expect(drawRecord(s, 7, 123)).not.toEqual(drawRecord(s, 7, 124));
  });

  it('follow the scenario shares over many records', () => {
    const s = base();
    const n = 20_000;
    const tally = { failed: 0, no_answer: 0, person: 0, machine: 0, rejected: 0 };
    let answerSum = 0;
    for (let i = 0; i < n; i++) {
      const f = fateOf(s, drawRecord(s, 1, i), 0);
      tally[f.kind]++;
      if (f.kind === 'person') {
        answerSum += f.answersAt;
        if (f.amd?.verdict === 'machine') tally.rejected++;
      }
    }
    expect(tally.failed / n).toBeCloseTo(0.1, 1);
    // Persons answering after the 25 s timeout count as no answer (about 1 % of them).
    expect(tally.person / n).toBeCloseTo(0.25 * (1 - 0.0106), 2);
    expect(tally.machine / n).toBeCloseTo(0.15, 2);
    expect(answerSum / tally.person).toBeCloseTo(2 + 6.79, 0);
    expect(tally.rejected / tally.person).toBeCloseTo(0.01, 2);
  });

  it('a change of answer rate changes the fate of a record dialled after it', () => {
    const s = parseScenario({ ...raw(), changes: [{ at_hour: 4, p_human: 0.5, p_noanswer: 0.25 }] });
    let before = 0;
    let after = 0;
    for (let i = 0; i < 4000; i++) {
      const d = drawRecord(s, 3, i);
      if (fateOf(s, d, 0).kind === 'person') before++;
      if (fateOf(s, d, 5 * 3600).kind === 'person') after++;
    }
    expect(after / before).toBeCloseTo(2, 0);
  });
});

describe('closed form of progressive utilisation', () => {
  it.each([
    [1, 0.5, 0.3934693],
    [2, 3, 0.8008517],
    [2, 23 / 3.5, 0.9894015],
  ])('incomplete gamma P(%d, %d) = %d', (a, x, p) => {
    expect(gammaP(a, x)).toBeCloseTo(p, 4);
  });
  it('is about 0.637 for the base scenario', () => {
    expect(progressiveUtilisation(base())).toBeCloseTo(0.637, 3);
  });
  it('without detection, machines take agents and utilisation moves accordingly', () => {
    const s = base();
    const noAmd = progressiveUtilisation({ ...s, amd: false });
    expect(noAmd).not.toBeCloseTo(progressiveUtilisation(s), 3);
    expect(noAmd).toBeGreaterThan(0.6);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_NODE_ENTRIES, isValidEntry, startIvr, stepIvr, type IvrDefinition, type MenuNode } from '../../src/flows/index.js';
import { collectNode, menuNode, prompt, sound } from '../helpers/flows-fixtures.js';
import { simulateIvr, traceLine, type CallerAction } from '../helpers/ivr-sim.js';

const main = menuNode({
  name: 'Menu principal',
  greeting: [sound('welcome')],
  options: [
    { digit: '1', target: { destination: { kind: 'queue', id: 1 } }, label: 'Vendas' },
    { digit: '2', target: { node: 'support' } },
    { digit: '3', target: { node: 'cpf' } },
    { digit: '#', target: { destination: { kind: 'voicemail', id: 4 } } },
  ],
  directDialLength: 4,
  invalidPrompt: [sound('invalid')],
  timeoutPrompt: [sound('timeout')],
  exhaustedPrompt: [sound('goodbye')],
});
const support = menuNode({
  id: 'support',
  name: 'Suporte',
  prompt: [prompt(2)],
  options: [
    { digit: '1', target: { destination: { kind: 'announcement', id: 5 } } },
    { digit: '0', target: { node: 'main' } },
  ],
  retries: 1,
  invalidPrompt: [sound('invalid')],
  timeoutPrompt: [sound('timeout')],
  onExhausted: { destination: { kind: 'queue', id: 2 } },
});
const cpf = collectNode({ invalidPrompt: [sound('invalid')] });
const ivr: IvrDefinition = { language: 'pt-BR', root: 'main', nodes: [main, support, cpf] };

// Prompts last 3 s each: the greeting plays 0–3 s, the menu prompt 3–6 s, the first-digit deadline is 11 s.
const press = (at: number, keys: string): CallerAction => ({ at, press: keys });
/** The extensions direct dial may reach (number → id), as the runner passes them. */
const env = { extensions: () => new Map([['2001', 71], ['2002', 72], ['2010', 73]]) };
const run = (def: IvrDefinition, script: CallerAction[]) => simulateIvr(def, script, { env });
const hangup = (at: number): CallerAction => ({ at, hangup: true });

describe('IVR paths in virtual time', () => {
  const cases: [string, CallerAction[], string[]][] = [
    ['option 1 while the menu plays (barge-in)', [press(4000, '1')], ['entered main', 'option main 1', 'exit main queue 1']],
    ['option 1 after the menu, before the timeout', [press(10_000, '1')], ['entered main', 'option main 1', 'exit main queue 1']],
    ['# is an option too, with no wait for more digits', [press(7000, '#')], ['entered main', 'option main #', 'exit main voicemail 4']],
    [
      'timeout → retry → timeout → retry → timeout → exhausted → hang up',
      [],
      ['entered main', 'timeout main', 'timeout main', 'timeout main', 'exhausted main', 'exit main hangup 16'],
    ],
    [
      'invalid → invalid prompt → menu again → a valid option',
      [press(7000, '7'), press(14_000, '1')],
      ['entered main', 'invalid main 7', 'option main 1', 'exit main queue 1'],
    ],
    [
      'invalid, timeout and invalid use up the same retries',
      [press(7000, '7'), press(25_000, '8')],
      ['entered main', 'invalid main 7', 'timeout main', 'invalid main 8', 'exhausted main', 'exit main hangup 16'],
    ],
    ['direct dial of an extension, digit by digit', [press(7000, '2'), press(8000, '0'), press(9000, '0'), press(10_000, '1')], ['entered main', 'direct_dial main 2001', 'exit main extension 71']],
    [
      'a digit that starts an extension and is an option: the option after the inter-digit timeout',
      [press(7000, '2'), press(14_000, '1')],
      ['entered main', 'option main 2', 'entered support', 'option support 1', 'exit support announcement 5'],
    ],
    [
      'direct dial that stops half-way is invalid',
      [press(7000, '20'), press(20_000, '1')],
      ['entered main', 'invalid main 20', 'option main 1', 'exit main queue 1'],
    ],
    [
      'nested menu: 2 then 1',
      [press(7000, '2'), press(15_000, '1')],
      ['entered main', 'option main 2', 'entered support', 'option support 1', 'exit support announcement 5'],
    ],
    [
      'back to the main menu from the sub-menu, greeting again',
      [press(7000, '2'), press(15_000, '0'), press(22_000, '1')],
      ['entered main', 'option main 2', 'entered support', 'option support 0', 'entered main', 'option main 1', 'exit main queue 1'],
    ],
    [
      'sub-menu exhausted goes to its own destination',
      [press(7000, '2')],
      ['entered main', 'option main 2', 'entered support', 'timeout support', 'timeout support', 'exhausted support', 'exit support queue 2'],
    ],
    [
      'a CPF with valid check digits is kept and the call goes on',
      [press(7000, '3'), press(12_000, '52998224725')],
      ['entered main', 'option main 3', 'entered cpf', 'collected cpf cpf', 'exit cpf queue 2'],
    ],
    [
      'a CPF with wrong check digits is refused, then a valid one',
      [press(7000, '3'), press(12_000, '52998224726'), press(20_000, '11144477735')],
      ['entered main', 'option main 3', 'entered cpf', 'invalid cpf 52998224726', 'collected cpf cpf', 'exit cpf queue 2'],
    ],
    [
      'a short entry ended with # is invalid; twice exhausts the node',
      [press(7000, '3'), press(12_000, '123#'), press(20_000, '4#')],
      ['entered main', 'option main 3', 'entered cpf', 'invalid cpf 123', 'invalid cpf 4', 'exhausted cpf', 'exit cpf queue 3'],
    ],
    [
      'a partial entry ends at the inter-digit timeout (invalid: too short)',
      [press(7000, '3'), press(12_000, '5299'), press(22_000, '52998224725')],
      ['entered main', 'option main 3', 'entered cpf', 'invalid cpf 5299', 'collected cpf cpf', 'exit cpf queue 2'],
    ],
  ];
  it.each(cases)('%s', (_name, script, traces) => {
    const r = run(ivr, script);
    expect(r.traces.map(traceLine)).toEqual(traces);
  });

  const hangups: [string, CallerAction[], string][] = [
    ['during the greeting', [hangup(1000)], 'main'],
    ['during the menu prompt', [hangup(4000)], 'main'],
    ['while the IVR waits for a digit', [hangup(8000)], 'main'],
    ['during the invalid prompt', [press(7000, '7'), hangup(8000)], 'main'],
    ['during the exhausted prompt', [hangup(34_000)], 'main'],
    ['halfway through a direct dial', [press(7000, '20'), hangup(8000)], 'main'],
    ['in the sub-menu', [press(7000, '2'), hangup(16_000)], 'support'],
    ['while entering a CPF', [press(7000, '3'), press(20_000, '529'), hangup(21_000)], 'cpf'],
  ];
  it.each(hangups)('the caller hangs up %s: the trace records the abandonment there', (_name, script, node) => {
    const r = run(ivr, script);
    expect(r.traces.at(-1)).toEqual({ event: 'abandon', node });
    expect(r.exit).toBeUndefined();
  });

  it('plays the greeting once, then the menu; retries replay the menu with the feedback prompt first', () => {
    const r = run(ivr, [press(7000, '7'), press(14_000, '1')]);
    expect(r.played.map((p) => p.prompts)).toEqual([[sound('welcome')], [prompt(1)], [sound('invalid')], [prompt(1)]]);
    expect(r.played.map((p) => p.at)).toEqual([0, 3000, 7000, 10_000]);
  });

  it('barge-in: a digit during the greeting stops it and counts as the choice', () => {
    const r = run(ivr, [press(1000, '1')]);
    expect(r.stopped).toBe(1);
    expect(r.played).toHaveLength(1);
    expect(r.exit).toEqual({ kind: 'queue', id: 1 });
    expect(r.endedAt).toBe(1000);
  });

  it('without barge-in, digits during a prompt are ignored and the prompt plays to its end', () => {
    const noBarge: IvrDefinition = { ...ivr, nodes: [{ ...main, bargeIn: false }, support, cpf] };
    const r = run(noBarge, [press(4000, '1'), press(7000, '1')]);
    expect(r.stopped).toBe(0);
    expect(r.traces.map(traceLine)).toEqual(['entered main', 'option main 1', 'exit main queue 1']);
    expect(r.endedAt).toBe(7000);
  });

  it('keeps the collected value in the call data', () => {
    const r = run(ivr, [press(7000, '3'), press(12_000, '52998224725')]);
    expect(r.data).toEqual({ cpf: '52998224725' });
  });

  it('an option digit no extension starts with is taken at once; one that might start an extension waits the inter-digit time', () => {
    expect(run(ivr, [press(7000, '1')]).endedAt).toBe(7000);
    expect(run(ivr, [press(7000, '2')]).played[2]!.at).toBe(10_000);
    // Without extensions no digit waits.
    expect(simulateIvr(ivr, [press(7000, '2')]).played[2]!.at).toBe(7000);
  });

  it('with a known extension list, dialling a number that is not an extension is invalid', () => {
    const r = run(ivr, [press(7000, '2003'), press(14_000, '1')]);
    expect(r.traces.map(traceLine)).toEqual(['entered main', 'invalid main 2003', 'option main 1', 'exit main queue 1']);
  });

  it('a menu whose exhaustion leads back to itself gives up after a bounded number of entries', () => {
    const loop: MenuNode = { ...support, id: 'loop', retries: 0, onExhausted: { node: 'loop' }, invalidPrompt: [], timeoutPrompt: [] };
    const r = simulateIvr({ language: 'pt-BR', root: 'loop', nodes: [loop] }, [], { horizonMs: 24 * 3600_000 });
    expect(r.traces.filter((t) => t.event === 'entered')).toHaveLength(MAX_NODE_ENTRIES);
    expect(r.exit).toEqual({ kind: 'hangup', cause: 16 });
  });

  it('a late event is preceded by the deadline that passed before it', () => {
    // The prompt ended at 6 s; the deadline was 11 s; a digit reported at 12 s comes after the timeout.
    let s = startIvr(ivr, 0, env);
    s = stepIvr(ivr, s.state, { type: 'played', playId: 1 }, 3000, env);
    s = stepIvr(ivr, s.state, { type: 'played', playId: 2 }, 6000, env);
    expect(s.wakeAt).toBe(11_000);
    const late = stepIvr(ivr, s.state, { type: 'digit', digit: '1' }, 12_000, env);
    // The timeout prompt started, and the digit barged into it.
    expect(late.commands.map((c) => (c.type === 'trace' ? c.trace.event : c.type))).toEqual(['timeout', 'play', 'stopPlay', 'option', 'exit', 'exit']);
  });

  it('a stale playback end (one stopped by barge-in) changes nothing', () => {
    let s = startIvr(ivr, 0);
    s = stepIvr(ivr, s.state, { type: 'digit', digit: '2' }, 1000);
    const before = s.state;
    s = stepIvr(ivr, s.state, { type: 'played', playId: 1 }, 1000);
    expect(s.state).toEqual(before);
    expect(s.commands).toEqual([]);
  });
});

describe('digit validators', () => {
  it.each([
    ['cpf', '52998224725', true],
    ['cpf', '52998224724', false],
    ['cpf', '11111111111', false],
    ['cnpj', '11222333000181', true],
    ['cnpj', '11222333000182', false],
    ['cpf_or_cnpj', '11222333000181', true],
    ['cpf_or_cnpj', '52998224725', true],
    ['cpf_or_cnpj', '123', false],
    ['none', '', true],
  ] as const)('%s %s → %s', (validator, digits, ok) => {
    expect(isValidEntry(validator, digits)).toBe(ok);
  });
});

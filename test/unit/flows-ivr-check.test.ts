import { describe, expect, it } from 'vitest';
import { describeLoop, silentLoopThrough, type Destination } from '../../src/calls/index.js';
import {
  ivrProblem,
  ivrReferences,
  silentExits,
  type CollectNode,
  type IvrDefinition,
  type MenuNode,
  type PlayNode,
} from '../../src/flows/index.js';
import { collectNode, menuNode, prompt, sound } from '../helpers/flows-fixtures.js';

const menu = (over: Partial<MenuNode> = {}): MenuNode =>
  menuNode({
    greeting: [prompt(10)],
    prompt: [prompt(11)],
    options: [
      { digit: '1', target: { destination: { kind: 'queue', id: 1 } } },
      { digit: '2', target: { node: 'cpf' } },
    ],
    invalidPrompt: [sound('atende-invalid-option')],
    onExhausted: { destination: { kind: 'time_condition', id: 7 } },
    ...over,
  });
const collect = (over: Partial<CollectNode> = {}): CollectNode => collectNode({ prompt: [prompt(12)], onExhausted: { node: 'main' }, ...over });
const def = (...nodes: (MenuNode | CollectNode | PlayNode)[]): IvrDefinition => ({ language: 'pt-BR', root: nodes[0]!.id, nodes });

describe('IVR definition checks', () => {
  const cases: [string, IvrDefinition, string | undefined, RegExp | undefined][] = [
    ['a sound two-node IVR', def(menu(), collect()), undefined, undefined],
    [
      'duplicate option digits',
      def(menu({ options: [{ digit: '1', target: { node: 'cpf' } }, { digit: '1', target: { node: 'cpf' } }] }), collect()),
      'nodes.0.options.1.digit',
      /1 is already option 0/,
    ],
    ['an option to a node that does not exist', def(menu({ options: [{ digit: '1', target: { node: 'nope' } }] })), 'nodes.0.options.0.target', /no node nope/],
    ['a root that does not exist', { ...def(menu(), collect()), root: 'x' }, 'root', /no node x/],
    ['two nodes with one id', def(menu(), collect({ id: 'main' })), 'nodes.1.id', /already node 0/],
    ['a menu without a prompt', def(menu({ prompt: [] }), collect()), 'nodes.0.prompt', /needs a prompt/],
    ['a menu with neither options nor direct dial', def(menu({ options: [] })), 'nodes.0.options', /neither options nor direct dial/],
    ['a menu with only direct dial', def(menu({ options: [], directDialLength: 4 })), undefined, undefined],
    ['direct dial of one digit', def(menu({ directDialLength: 1 }), collect()), 'nodes.0.directDialLength', /within 2–8/],
    ['a timeout of 0 s', def(menu({ timeoutSeconds: 0 }), collect()), 'nodes.0.timeoutSeconds', /within 1–60/],
    ['ten retries', def(menu(), collect({ retries: 10 })), 'nodes.1.retries', /within 0–9/],
    ['min digits above max', def(menu(), collect({ minDigits: 12 })), 'nodes.1.minDigits', /more than maxDigits 11/],
    ['an empty range', def(menu(), collect({ validator: 'range', range: { min: 5, max: 1 } })), 'nodes.1.range', /5–1 is empty/],
    ['a range validator without a range', def(menu(), collect({ validator: 'range' })), 'nodes.1.range', /needs a range/],
    [
      'a silent loop: exhausted menu → message → the menu',
      def(menu({ onExhausted: { node: 'sorry' } }), { id: 'sorry', name: 'Sorry', kind: 'play', prompts: [{ kind: 'prompt', id: 3 }], next: { node: 'main' } }, collect()),
      'nodes.0.onExhausted',
      /main → sorry → main/,
    ],
    ['a menu exhausted into itself', def(menu({ onExhausted: { node: 'main' } }), collect()), 'nodes.0.onExhausted', /main → main/],
    ['a loop through an option is the caller’s choice', def(menu(), collect({ next: { node: 'main' } })), undefined, undefined],
  ];
  it.each(cases)('%s', (_name, d, field, message) => {
    const p = ivrProblem(d);
    expect(p?.field).toBe(field);
    if (message) expect(p?.message).toMatch(message);
  });

  it('lists the prompts and destinations it refers to, with their fields', () => {
    const refs = ivrReferences(def(menu(), collect()));
    expect(refs.prompts).toEqual([
      { field: 'nodes.0.greeting.0', ref: prompt(10) },
      { field: 'nodes.0.prompt.0', ref: prompt(11) },
      { field: 'nodes.0.invalidPrompt.0', ref: sound('atende-invalid-option') },
      { field: 'nodes.1.prompt.0', ref: prompt(12) },
    ]);
    expect(refs.destinations).toEqual([
      { field: 'nodes.0.options.0.target.destination', destination: { kind: 'queue', id: 1 } },
      { field: 'nodes.0.onExhausted.destination', destination: { kind: 'time_condition', id: 7 } },
      { field: 'nodes.1.next.destination', destination: { kind: 'queue', id: 2 } },
    ]);
  });

  it('knows where a silent caller leaves: only through exhaustion and messages', () => {
    expect(silentExits(def(menu(), collect()))).toEqual([{ kind: 'time_condition', id: 7 }]);
  });
});

describe('loops across resources', () => {
  const ivr1: Destination = { kind: 'ivr', id: 1 };
  const tc2: Destination = { kind: 'time_condition', id: 2 };
  const ann3: Destination = { kind: 'announcement', id: 3 };
  const graph = (edges: Record<string, Destination[]>) => (d: Destination) => edges[`${d.kind} ${'id' in d ? d.id : ''}`] ?? [];

  it('IVR → time condition → the same IVR is a loop, and says its path', () => {
    const loop = silentLoopThrough(ivr1, graph({ 'ivr 1': [tc2], 'time_condition 2': [{ kind: 'queue', id: 5 }, ivr1] }));
    expect(loop && describeLoop(loop)).toBe('ivr 1 → time_condition 2 → ivr 1');
  });
  it('a longer circle through an announcement', () => {
    const loop = silentLoopThrough(tc2, graph({ 'time_condition 2': [ann3], 'announcement 3': [ivr1], 'ivr 1': [tc2] }));
    expect(loop && describeLoop(loop)).toBe('time_condition 2 → announcement 3 → ivr 1 → time_condition 2');
  });
  it('a circle elsewhere that does not pass through the start is not this save’s loop', () => {
    expect(silentLoopThrough(ivr1, graph({ 'ivr 1': [tc2], 'time_condition 2': [ann3], 'announcement 3': [tc2] }))).toBeUndefined();
  });
  it('ends that lead nowhere are no loop', () => {
    expect(silentLoopThrough(ivr1, graph({ 'ivr 1': [tc2, { kind: 'hangup' }] }))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { IvrDefinition } from '@server/flows/ivr.model';
import { destinationParts, ivrTree, tryKeys, unreachableNodes, weekHours } from './flows';

const waiting = { bargeIn: true, timeoutSeconds: 5, interDigitSeconds: 3, retries: 2, invalidPrompt: [], timeoutPrompt: [], exhaustedPrompt: [], name: '' };
const def: IvrDefinition = {
  language: 'pt-BR',
  root: 'main',
  nodes: [
    { ...waiting, id: 'main', kind: 'menu', greeting: [], prompt: [], directDialLength: null, onExhausted: { destination: { kind: 'hangup', cause: 16 } }, options: [
      { digit: '1', target: { destination: { kind: 'voicemail', id: 3 } } },
      { digit: '2', target: { node: 'support' } },
    ] },
    { ...waiting, id: 'support', kind: 'menu', greeting: [], prompt: [], directDialLength: null, onExhausted: { node: 'main' }, options: [{ digit: '0', target: { node: 'main' } }] },
    { id: 'orphan', name: '', kind: 'play', prompts: [], next: { destination: { kind: 'hangup' } } },
  ],
};

describe('the IVR as a tree', () => {
  it('expands each node once from the root and shows loops as links back', () => {
    const tree = ivrTree(def)!;
    expect(tree.node?.id).toBe('main');
    expect(tree.children.map((c) => [c.via, c.node?.id ?? c.backTo ?? c.destination?.kind])).toEqual([
      ['1', 'voicemail'],
      ['2', 'support'],
      ['exhausted', 'hangup'],
    ]);
    expect(tree.children[1]!.children.map((c) => [c.via, c.backTo])).toEqual([
      ['0', 'main'],
      ['exhausted', 'main'],
    ]);
  });

  it('lists the nodes nothing leads to', () => {
    expect(unreachableNodes(def).map((n) => n.id)).toEqual(['orphan']);
  });
});

describe('destinations as the screens read them', () => {
  it('names rows by the names loaded, else by id; hang-up by its cause', () => {
    const names = { voicemail: new Map([[3, 'Suporte']]) };
    expect(destinationParts({ kind: 'voicemail', id: 3 }, names)).toEqual({ kind: 'voicemail', what: 'Suporte' });
    expect(destinationParts({ kind: 'ivr', id: 9 }, names)).toEqual({ kind: 'ivr', what: '#9' });
    expect(destinationParts({ kind: 'hangup' }, names)).toEqual({ kind: 'hangup', what: '16' });
  });
});

describe('the week of open hours', () => {
  it('shows weekday hours, and a night period on both of its days', () => {
    const week = weekHours([
      { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
      { weekdays: [6], start: '22:00', end: '06:00', crossesMidnight: true },
    ]);
    expect(week.map((d) => d.ranges.map((r) => r.join('–')))).toEqual([
      ['00:00–06:00'],
      ['08:00–18:00'],
      ['08:00–18:00'],
      ['08:00–18:00'],
      ['08:00–18:00'],
      ['08:00–18:00'],
      ['22:00–24:00'],
    ]);
  });

  it('an open-all-day period runs to 24:00; no periods: closed all week', () => {
    expect(weekHours([{ weekdays: [0], start: '00:00', end: '24:00' }])[0]!.ranges).toEqual([['00:00', '24:00']]);
    expect(weekHours([]).every((d) => d.ranges.length === 0)).toBe(true);
  });
});

describe('trying keys in the editor', () => {
  it('2 then 1 goes through the submenu; 2 then 0 comes back to the main menu, where silence runs out the tries', () => {
    const withOne = structuredClone(def);
    const support = withOne.nodes[1]!;
    if (support.kind === 'menu') support.options.push({ digit: '1', target: { destination: { kind: 'voicemail', id: 3 } } });
    const tried = tryKeys(withOne, '21');
    expect(tried.exit).toEqual({ kind: 'voicemail', id: 3 });
    expect(tried.steps.filter((s) => s.event === 'option').map((s) => `${s.node} ${'digits' in s ? s.digits : ''}`)).toEqual(['main 2', 'support 1']);
    const back = tryKeys(def, '20');
    expect(back.steps.map((s) => `${s.event} ${s.node}`)).toEqual([
      'entered main', 'option main', 'entered support', 'option support', 'entered main',
      'timeout main', 'timeout main', 'timeout main', 'exhausted main', 'exit main',
    ]);
    expect(back.exit).toEqual({ kind: 'hangup', cause: 16 });
  });
});

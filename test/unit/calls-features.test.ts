import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FEATURE_CODES, IN_CALL_IDLE, featureOf, stepInCall, timeoutInCall, type InCallAction, type InCallState } from '../../src/calls/features.logic.js';

describe('featureOf', () => {
  it.each([
    ['*78', { kind: 'dnd', on: true }],
    ['*79', { kind: 'dnd', on: false }],
    ['*721002', { kind: 'forward', to: '1002' }],
    ['*72011987654321', { kind: 'forward', to: '011987654321' }],
    ['*73', { kind: 'forward', to: null }],
    ['**1002', { kind: 'pickup', extension: '1002' }],
    ['*99', { kind: 'unknown', code: '*99' }],
    ['1002', null],
    ['011987654321', null],
  ])('%s', (dialled, expected) => {
    expect(featureOf(dialled)).toEqual(expected);
  });
});

/** Feeds digits one by one and returns the actions they produced. */
function keyIn(digits: string, state: InCallState = IN_CALL_IDLE): { state: InCallState; actions: InCallAction[] } {
  const actions: InCallAction[] = [];
  for (const d of digits) {
    const step = stepInCall(state, d);
    state = step.state;
    if (step.action) actions.push(step.action);
  }
  return { state, actions };
}

describe('in-call codes', () => {
  it.each([
    ['##1002#', [{ kind: 'transfer', transfer: 'blind', number: '1002' }]],
    ['*21002#', [{ kind: 'transfer', transfer: 'attended', number: '1002' }]],
    ['*0', [{ kind: 'cancel' }]],
    ['12#3', []],
    ['##', []],
    ['#1#1002#', []],
    ['9##1002#', [{ kind: 'transfer', transfer: 'blind', number: '1002' }]],
    ['##011987654321#', [{ kind: 'transfer', transfer: 'blind', number: '011987654321' }]],
  ])('%s', (digits, actions) => {
    expect(keyIn(digits).actions).toEqual(actions);
  });

  it('a number keyed in without the final # completes after the inter-digit time', () => {
    const { state, actions } = keyIn('##1002');
    expect(actions).toEqual([]);
    expect(timeoutInCall(state).action).toEqual({ kind: 'transfer', transfer: 'blind', number: '1002' });
    expect(timeoutInCall(IN_CALL_IDLE).action).toBeNull();
  });

  it('## then # with no number does nothing', () => {
    expect(keyIn('###').actions).toEqual([]);
  });
});

describe('the README feature-code table', () => {
  it('lists every feature code as the code defines it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([^`]+)` \| (dialled|in call) \| (.+) \|$/gm)].map((m) => ({ code: m[1], when: m[2], what: m[3]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>') }));
    expect(rows).toEqual(FEATURE_CODES.map((f) => ({ ...f })));
  });
});

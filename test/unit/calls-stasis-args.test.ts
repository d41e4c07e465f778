import { describe, expect, it } from 'vitest';
import {
  formatStasisArgs,
  parentCallIdOf,
  parseStasisArgs,
  stasisArgsOf,
  type KnownEntry,
} from '../../src/calls/stasis-args.js';

describe('Stasis entry args', () => {
  const good: [string[], KnownEntry][] = [
    [['inbound', '4830001234', 'span:1'], { kind: 'inbound', did: '4830001234', trunkRef: 'span:1' }],
    [['inbound', '+551130001234', 'trunk:operadora-x'], { kind: 'inbound', did: '+551130001234', trunkRef: 'trunk:operadora-x' }],
    [['inbound', 's', 'span:16'], { kind: 'inbound', did: 's', trunkRef: 'span:16' }],
    [['inbound', '', 'span:2'], { kind: 'inbound', did: '', trunkRef: 'span:2' }],
    [['inbound', '1133334444', 'trunk:Operadora@SP'], { kind: 'inbound', did: '1133334444', trunkRef: 'trunk:Operadora@SP' }],
    [['internal', '1001'], { kind: 'internal', exten: '1001' }],
    [['internal', '*72'], { kind: 'internal', exten: '*72' }],
    [['dialer', '12', '3456'], { kind: 'dialer', campaignId: '12', contactId: '3456' }],
    [['agent', 'a1b2-c3'], { kind: 'agent', callId: 'a1b2-c3' }],
    [['outbound', 'a1b2-c3'], { kind: 'outbound', callId: 'a1b2-c3' }],
    [['snoop', 'a1b2', 'whisper'], { kind: 'snoop', callId: 'a1b2', mode: 'whisper' }],
    [['e2e', 'inbound-prompt'], { kind: 'e2e', scenario: 'inbound-prompt' }],
    [
      ['amd', 'MACHINE', 'TOOLONG-5000', 'dialer', '12', '3456'],
      { kind: 'amd', status: 'MACHINE', cause: 'TOOLONG-5000', original: { kind: 'dialer', campaignId: '12', contactId: '3456' } },
    ],
    [
      ['amd', 'HANGUP', '', 'outbound', 'abc'],
      { kind: 'amd', status: 'HANGUP', cause: '', original: { kind: 'outbound', callId: 'abc' } },
    ],
  ];

  it.each(good)('parses %j', (args, entry) => {
    expect(parseStasisArgs(args)).toEqual(entry);
  });

  it.each(good)('formats back %j', (args, entry) => {
    expect(formatStasisArgs(entry)).toEqual(args);
  });

  const bad: [string[], RegExp][] = [
    [[], /no arguments/],
    [[''], /no arguments/],
    [['transfer', '1'], /unknown entry kind "transfer"/],
    [['inbound', '4830001234'], /inbound takes 2 argument/],
    [['inbound', '4830001234', 'span:1', 'extra'], /inbound takes 2 argument/],
    [['inbound', '48 3000', 'span:1'], /bad DID/],
    [['inbound', '4830001234', 'e1'], /bad trunk reference/],
    [['inbound', '4830001234', 'trunk:'], /bad trunk reference/],
    [['inbound', '4830001234', 'trunk:a b'], /bad trunk reference/],
    [['inbound', '4830001234', 'span:0'], /bad trunk reference/],
    [['internal', ''], /bad extension/],
    [['dialer', '12'], /dialer takes 2/],
    [['dialer', '12', 'x y'], /bad contact id/],
    [['agent', 'a/b'], /bad call id/],
    [['snoop', 'a1', 'spy'], /bad snoop mode "spy"/],
    [['amd', 'MACHINE'], /amd takes/],
    [['amd', 'ROBOT', 'X', 'dialer', '1', '2'], /bad AMD status/],
    [['amd', 'HUMAN', 'HUMAN-1-1', 'amd', 'HUMAN', 'x', 'dialer', '1', '2'], /amd: unknown entry kind "amd"/],
    [['amd', 'HUMAN', 'HUMAN-1-1', 'dialer', '1'], /amd: dialer takes 2/],
  ];

  it.each(bad)('rejects %j as unknown', (args, problem) => {
    const entry = parseStasisArgs(args);
    expect(entry.kind).toBe('unknown');
    if (entry.kind === 'unknown') {
      expect(entry.problem).toMatch(problem);
      expect(entry.args).toEqual(args.map((a) => a.trim()));
    }
  });

  it('refuses to format what the convention cannot carry', () => {
    expect(() => formatStasisArgs({ kind: 'internal', exten: '10,01' })).toThrow(/bad extension/);
  });

  it('names the call a leg was created for', () => {
    expect(parentCallIdOf(parseStasisArgs(['agent', 'c1']))).toBe('c1');
    expect(parentCallIdOf(parseStasisArgs(['snoop', 'c2', 'listen']))).toBe('c2');
    expect(parentCallIdOf(parseStasisArgs(['amd', 'HUMAN', 'HUMAN-1-1', 'outbound', 'c3']))).toBe('c3');
    expect(parentCallIdOf(parseStasisArgs(['inbound', '1', 'span:1']))).toBeUndefined();
  });

  it.each([
    [{ appName: 'Stasis', appData: 'atende,inbound,123,span:1' }, ['inbound', '123', 'span:1']],
    [{ appName: 'Stasis', appData: 'atende' }, []],
    [{ appName: 'Stasis', appData: 'other,inbound,123,span:1' }, undefined],
    [{ appName: 'Stasis', appData: 'atende2,x' }, undefined],
    [{ appName: 'Dial', appData: 'PJSIP/1001' }, undefined],
    [{ appName: 'AMD', appData: '' }, undefined],
  ])('reads Stasis args from the dialplan location %j', (dialplan, args) => {
    expect(stasisArgsOf(dialplan, 'atende')).toEqual(args);
  });
});

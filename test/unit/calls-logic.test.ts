import { describe, expect, it } from 'vitest';
import {
  lastKnownAlive,
  directionOf,
  hangupByOf,
  initialStateOf,
  numberVariants,
  parseCallSort,
  partiesOf,
  peerOfChannelName,
  planReconciliation,
  stepLeg,
  type LegStatus,
} from '../../src/calls/calls.logic.js';
import { parseStasisArgs, type KnownEntry } from '../../src/calls/stasis-args.js';
import type { ChannelSnapshot, TelephonyEvent } from '../../src/telephony/call-control.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const entry = (...args: string[]) => parseStasisArgs(args) as KnownEntry;

function channel(id: string, over: Partial<ChannelSnapshot> = {}, appData = 'atende,inbound,4830001234,span:1'): ChannelSnapshot {
  return {
    id,
    name: 'DAHDI/i1/4830001234-1',
    state: 'Ring',
    caller: { number: '5548999990000', name: 'Maria' },
    connected: { number: '', name: '' },
    dialplan: { context: 'atende-inbound', exten: '4830001234', priority: 2, appName: 'Stasis', appData },
    createdAt: T0,
    ...over,
  };
}

describe('direction of a leg', () => {
  it.each([
    [['inbound', '1', 'span:1'], 'inbound'],
    [['internal', '1001'], 'internal'],
    [['dialer', '1', '2'], 'outbound'],
    [['agent', 'c'], 'internal'],
    [['outbound', 'c'], 'outbound'],
    [['snoop', 'c', 'listen'], 'internal'],
    [['e2e', 'x'], 'internal'],
    [['amd', 'HUMAN', 'HUMAN-1-1', 'dialer', '1', '2'], 'outbound'],
  ])('%j → %s', (args, direction) => {
    expect(directionOf(entry(...args))).toBe(direction);
  });
});

describe('parties of a leg', () => {
  it('inbound: caller id → DID, with the trunk', () => {
    expect(partiesOf(entry('inbound', '4830001234', 'span:1'), channel('c1'), false)).toEqual({
      from: '5548999990000',
      fromName: 'Maria',
      to: '4830001234',
      trunkRef: 'span:1',
    });
  });
  it('internal: the phone → what it dialled; the extension from the channel when no caller id', () => {
    const c = channel('c2', { name: 'PJSIP/1001-0000002a', caller: { number: '', name: '' } });
    expect(partiesOf(entry('internal', '2000'), c, false)).toEqual({ from: '1001', fromName: null, to: '2000', trunkRef: null });
  });
  it('originated: presented caller id → connected line, else the peer in the channel name', () => {
    const c = channel('c3', { name: 'PJSIP/1002-00000001', caller: { number: '4830001234', name: '' } });
    expect(partiesOf(entry('agent', 'x'), c, true).to).toBe('1002');
    expect(partiesOf(entry('outbound', 'x'), { ...c, connected: { number: '5511988887777', name: '' } }, true).to).toBe(
      '5511988887777',
    );
  });
  it.each([
    ['PJSIP/1001-0000002a', '1001'],
    ['DAHDI/i1/011999-1', '011999'],
    ['DAHDI/g1/011888-3', '011888'],
    ['Local/5511@e2e-far-end-00000001;1', '5511'],
    ['weird', ''],
  ])('peer of %s is %s', (name, peer) => {
    expect(peerOfChannelName(name)).toBe(peer);
  });
});

describe('who hung up', () => {
  it.each([
    ['atende', false, 'atende'],
    ['atende', true, 'atende'],
    ['remote', false, 'caller'],
    ['remote', true, 'far_end'],
  ] as const)('by %s, originated %s → %s', (by, originated, who) => {
    expect(hangupByOf({ by }, originated)).toBe(who);
  });
});

describe('leg state machine', () => {
  const ringing: LegStatus = { state: 'ringing', answeredAt: null, endedAt: null, hangup: null };
  const answered = { type: 'CallAnswered', at: T0 + 1000, channelId: 'c' } as const;
  const up = { type: 'CallStateChanged', at: T0 + 1200, channelId: 'c', state: 'Up' } as const;
  const ringingState = { type: 'CallStateChanged', at: T0 + 500, channelId: 'c', state: 'Ringing' } as const;
  const ended = {
    type: 'CallEnded',
    at: T0 + 7000,
    channelId: 'c',
    hangup: { cause: 16, causeText: 'Normal call clearing', by: 'atende' },
  } as const;
  const dtmf = { type: 'DtmfReceived', at: T0 + 2000, channelId: 'c', digit: '1', durationMs: 100 } as const;

  const steps: [string, LegStatus, TelephonyEvent, LegStatus['state'], string | undefined][] = [
    ['answer', ringing, answered, 'in_progress', 'answered'],
    ['state Up', ringing, up, 'in_progress', 'answered'],
    ['state Ringing', ringing, ringingState, 'ringing', undefined],
    ['answer twice', { ...ringing, state: 'in_progress', answeredAt: T0 }, answered, 'in_progress', undefined],
    ['end while ringing', ringing, ended, 'ended', 'ended'],
    ['end while talking', { ...ringing, state: 'in_progress', answeredAt: T0 }, ended, 'ended', 'ended'],
    ['end twice', { ...ringing, state: 'ended', endedAt: T0 }, ended, 'ended', undefined],
    ['answer after end', { ...ringing, state: 'ended', endedAt: T0 }, answered, 'ended', undefined],
    ['other events', ringing, dtmf, 'ringing', undefined],
  ];

  it.each(steps)('%s', (_name, leg, event, state, change) => {
    const r = stepLeg(leg, event);
    expect(r.leg.state).toBe(state);
    expect(r.change?.kind).toBe(change);
  });

  it('keeps the answer time and the hangup', () => {
    const a = stepLeg(ringing, answered).leg;
    const e = stepLeg(a, ended).leg;
    expect(e).toEqual({ state: 'ended', answeredAt: T0 + 1000, endedAt: T0 + 7000, hangup: ended.hangup });
  });

  it('starts answered when the channel is already Up (originated legs)', () => {
    expect(initialStateOf({ state: 'Up' })).toBe('in_progress');
    expect(initialStateOf({ state: 'Ring' })).toBe('ringing');
  });
});

describe('reconciliation plan', () => {
  const app = 'atende';
  it('closes sessions whose channel is gone, adopts the live ones', () => {
    const plan = planReconciliation({
      app,
      sessions: [
        { callId: 'A', channelId: 'ch-a' },
        { callId: 'B', channelId: 'ch-b' },
      ],
      channels: [channel('ch-b')],
      openRows: [],
    });
    expect(plan).toEqual({ gone: ['A'], adopt: ['B'], strangers: [], staleRows: [] });
  });

  it('hangs up channels in our app that no session owns, reusing an open row; ignores other channels', () => {
    const plan = planReconciliation({
      app,
      sessions: [],
      channels: [
        channel('ch-x'),
        channel('ch-y', {}, 'atende,internal,1001'),
        channel('ch-other-app', {}, 'someone-else,inbound,1,span:1'),
        channel('ch-dialplan', { dialplan: { context: 'from-phones', exten: '1001', priority: 1, appName: 'Dial', appData: 'PJSIP/1001' } }),
      ],
      openRows: [{ callId: 'OLD-X', channelId: 'ch-x' }],
    });
    expect(plan.strangers.map((s) => [s.channel.id, s.callId, s.args])).toEqual([
      ['ch-x', 'OLD-X', ['inbound', '4830001234', 'span:1']],
      ['ch-y', undefined, ['internal', '1001']],
    ]);
    expect(plan.staleRows).toEqual([]);
  });

  it('closes open rows with no channel of ours, even if the channel lives on elsewhere', () => {
    const plan = planReconciliation({
      app,
      sessions: [],
      channels: [channel('ch-left', { dialplan: { context: 'atende-amd', exten: 's', priority: 3, appName: 'AMD', appData: '' } })],
      openRows: [
        { callId: 'R1', channelId: 'ch-gone' },
        { callId: 'R2', channelId: 'ch-left' },
      ],
    });
    expect(plan.staleRows).toEqual(['R1', 'R2']);
    expect(plan.strangers).toEqual([]);
  });
});

describe('last moment a leg was known alive', () => {
  it.each([
    [{ startedAt: 1000, answeredAt: null, aliveAt: null }, 1000],
    [{ startedAt: 1000, answeredAt: 4000, aliveAt: null }, 4000],
    [{ startedAt: 1000, answeredAt: 4000, aliveAt: 91_000 }, 91_000],
    // A heartbeat older than the answer (clock skew between runs) never moves the end back.
    [{ startedAt: 1000, answeredAt: 4000, aliveAt: 2000 }, 4000],
  ])('%j → %d', (row, expected) => {
    expect(lastKnownAlive(row)).toBe(expected);
  });
});

describe('numberVariants', () => {
  it.each([
    ['+55 (11) 98765-4321', ['5511987654321', '11987654321']],
    ['011 98765-4321', ['011987654321', '11987654321']],
    ['98765-4321', ['987654321']],
    ['1001', ['1001']],
    ['(48) 3000-1234', ['4830001234']],
    ['5548', ['5548']],
    ['()-', []],
  ])('%s', (typed, expected) => {
    expect(numberVariants(typed)).toEqual(expected);
  });
});

describe('parseCallSort', () => {
  it('reads a field with an optional leading - for descending', () => {
    expect(parseCallSort('-startedAt')).toEqual({ key: 'startedAt', descending: true });
    expect(parseCallSort('duration')).toEqual({ key: 'duration', descending: false });
    expect(parseCallSort(undefined)).toBeUndefined();
    expect(parseCallSort('colour')).toBeUndefined();
  });
});

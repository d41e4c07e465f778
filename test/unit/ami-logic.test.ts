import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../src/kernel/random.js';
import {
  applySpanSignal,
  backoffDelay,
  channelsOf,
  collectListEvent,
  contactStatusOf,
  e1SpanOfChannel,
  endpointsOf,
  endsList,
  messageOf,
  normaliseMessage,
  parseAlarmText,
  parseDuration,
  parseStatusAlarms,
  rtcpStatsOf,
  spanSignalOf,
  spanStatusOf,
  startsList,
  toResponse,
  type ListCollection,
  type SpanSignal,
} from '../../src/telephony/ami/ami.logic.js';
import type { SpanAlarmKind } from '../../src/telephony/ami/ami.model.js';

const AT = 1_767_614_400_000;

describe('normaliseMessage (asterisk-manager packets)', () => {
  it.each([
    {
      name: 'plain keys keep their first value',
      raw: { response: 'Success', actionid: 'atende-1', message: 'Authentication accepted' },
      fields: { response: 'Success', actionid: 'atende-1', message: 'Authentication accepted' },
      values: { message: ['Authentication accepted'] },
    },
    {
      name: 'repeated keys arrive as arrays: first in fields, all in values',
      raw: { response: 'Success', output: ['line 1', 'line 2'] },
      fields: { output: 'line 1' },
      values: { output: ['line 1', 'line 2'] },
    },
    {
      name: 'mixed-case keys are lower-cased, values trimmed',
      raw: { 'EventList ': 'start ', ListItems: '3' },
      fields: { eventlist: 'start', listitems: '3' },
      values: {},
    },
    {
      name: 'undefined values are dropped',
      raw: { event: 'X', nothing: undefined },
      fields: { event: 'X' },
      values: {},
    },
  ])('$name', ({ raw, fields, values }) => {
    const m = normaliseMessage(raw);
    expect(m.fields).toMatchObject(fields);
    expect(m.values).toMatchObject(values);
    expect(Object.keys(m.fields)).not.toContain('nothing');
  });

  it('variables become a name → value map', () => {
    const m = normaliseMessage({ event: 'VarSet', chanvariable: { DIALSTATUS: 'ANSWER', 'X=Y': 'a=b' } });
    expect(m.variables).toEqual({ DIALSTATUS: 'ANSWER', 'X=Y': 'a=b' });
    expect(m.fields['chanvariable']).toBeUndefined();
  });

  it.each([
    { response: 'Success', ok: true },
    { response: 'Error', ok: false },
    { response: 'error', ok: false },
    { response: 'Goodbye', ok: true },
  ])('response $response → ok $ok', ({ response, ok }) => {
    const r = toResponse(messageOf({ Response: response, ActionID: 'a', Message: 'm' }));
    expect(r).toMatchObject({ ok, response, actionId: 'a', message: 'm' });
  });
});

describe('list collection', () => {
  const item = (n: number) => messageOf({ Event: 'CoreShowChannel', ActionID: 'atende-7', Channel: `PJSIP/${n}` });
  const complete = messageOf({ Event: 'CoreShowChannelsComplete', ActionID: 'atende-7', EventList: 'Complete', ListItems: '2' });

  it('collects items until the Complete event, which is kept apart', () => {
    let acc: ListCollection = { events: [] };
    for (const e of [item(1), item(2), complete]) acc = collectListEvent(acc, e);
    expect(acc.events.map((e) => e.fields['channel'])).toEqual(['PJSIP/1', 'PJSIP/2']);
    expect(acc.complete?.fields['listitems']).toBe('2');
  });

  it('ignores anything after the Complete event', () => {
    let acc: ListCollection = { events: [] };
    for (const e of [item(1), complete, item(3)]) acc = collectListEvent(acc, e);
    expect(acc.events).toHaveLength(1);
  });

  it.each([
    { pairs: { Event: 'EndpointListComplete', EventList: 'Complete' }, ends: true },
    { pairs: { Event: 'PRIShowSpansComplete' }, ends: true },
    { pairs: { Event: 'QueueStatusComplete', EventList: 'Complete' }, ends: true },
    { pairs: { Event: 'Whatever', EventList: 'Cancelled' }, ends: true },
    { pairs: { Event: 'EndpointList', ObjectName: '1001' }, ends: false },
  ])('endsList($pairs) = $ends', ({ pairs, ends }) => {
    expect(endsList(messageOf(pairs))).toBe(ends);
  });

  it.each([
    { pairs: { Response: 'Success', EventList: 'start' }, starts: true },
    { pairs: { Response: 'Success', EventList: 'Start' }, starts: true },
    { pairs: { Response: 'Success' }, starts: false },
  ])('startsList($pairs) = $starts', ({ pairs, starts }) => {
    expect(startsList(toResponse(messageOf(pairs)))).toBe(starts);
  });
});

describe('DAHDI alarms', () => {
  it.each([
    ['Red Alarm', 'red'],
    ['Yellow Alarm', 'yellow'],
    ['Blue Alarm', 'blue'],
    ['Recovering', 'recovering'],
    ['Loopback', 'loopback'],
    ['Not Open', 'not-open'],
    ['None', 'none'],
    ['Unknown Alarm', 'unknown'],
    ['Something new', 'unknown'],
  ] as const)('alarm2str %s → %s', (text, kind) => {
    expect(parseAlarmText(text)).toBe(kind);
  });

  it.each([
    ['OK', { configured: true, alarms: [] }],
    ['UNCONFIGURED', { configured: false, alarms: [] }],
    ['RED', { configured: true, alarms: ['red'] }],
    ['BLU/YEL/RED', { configured: true, alarms: ['blue', 'yellow', 'red'] }],
    ['LB/REC/NOP', { configured: true, alarms: ['loopback', 'recovering', 'not-open'] }],
    ['UUU', { configured: true, alarms: ['unknown'] }],
  ] as const)('DAHDIShowStatus Alarms %s', (text, expected) => {
    expect(parseStatusAlarms(text)).toEqual(expected);
  });

  it.each([
    [1, 1],
    [15, 1],
    [31, 1],
    [32, 2],
    [62, 2],
    [63, 3],
    [466, 16],
  ])('E1 channel %i is on span %i', (channel, span) => {
    expect(e1SpanOfChannel(channel)).toBe(span);
  });

  it.each([
    { pairs: { Event: 'SpanAlarm', Span: '2', Alarm: 'Red Alarm' }, signal: { span: 2, alarm: 'red' } },
    { pairs: { Event: 'SpanAlarmClear', Span: '2' }, signal: { span: 2, alarm: 'none' } },
    { pairs: { Event: 'Alarm', DAHDIChannel: '33', Alarm: 'Blue Alarm' }, signal: { span: 2, channel: 33, alarm: 'blue' } },
    { pairs: { Event: 'AlarmClear', DAHDIChannel: '1' }, signal: { span: 1, channel: 1, alarm: 'none' } },
    { pairs: { Event: 'SpanAlarm', Alarm: 'Red Alarm' }, signal: undefined },
    { pairs: { Event: 'Alarm', DAHDIChannel: 'pseudo', Alarm: 'Red Alarm' }, signal: undefined },
    { pairs: { Event: 'ContactStatus' }, signal: undefined },
  ])('$pairs.Event → $signal', ({ pairs, signal }) => {
    expect(spanSignalOf(messageOf(pairs))).toEqual(signal);
  });

  it('honours a custom channel → span map', () => {
    expect(spanSignalOf(messageOf({ Event: 'Alarm', DAHDIChannel: '5', Alarm: 'Red Alarm' }), () => 9)).toMatchObject({ span: 9 });
  });

  it('thirty channel alarms and one span alarm make one event; the clears make one more', () => {
    const signals: SpanSignal[] = [];
    for (let ch = 1; ch <= 31; ch++) if (ch !== 16) signals.push({ span: 1, channel: ch, alarm: 'red' });
    signals.push({ span: 1, alarm: 'red' });
    for (let ch = 1; ch <= 31; ch++) if (ch !== 16) signals.push({ span: 1, channel: ch, alarm: 'none' });
    signals.push({ span: 1, alarm: 'none' });

    let state: ReadonlyMap<number, SpanAlarmKind> = new Map();
    const events = [];
    for (const s of signals) {
      const r = applySpanSignal(state, s, AT);
      state = r.state;
      if (r.event) events.push(r.event);
    }
    expect(events).toEqual([
      { type: 'SpanAlarm', at: AT, span: 1, alarm: 'red', channel: 1 },
      { type: 'SpanAlarmCleared', at: AT, span: 1, channel: 1 },
    ]);
    expect(state.size).toBe(0);
  });

  const transitions: {
    name: string;
    before: [number, SpanAlarmKind][];
    signal: SpanSignal;
    event?: Record<string, unknown>;
    after: [number, SpanAlarmKind][];
  }[] = [
    { name: 'new alarm', before: [], signal: { span: 3, alarm: 'yellow' }, event: { type: 'SpanAlarm', span: 3, alarm: 'yellow' }, after: [[3, 'yellow']] },
    { name: 'alarm changes kind', before: [[3, 'red']], signal: { span: 3, alarm: 'yellow' }, event: { type: 'SpanAlarm', alarm: 'yellow' }, after: [[3, 'yellow']] },
    { name: 'same alarm again', before: [[3, 'red']], signal: { span: 3, alarm: 'red' }, after: [[3, 'red']] },
    { name: 'clear of a span in service', before: [], signal: { span: 3, alarm: 'none' }, after: [] },
    { name: 'clear of a span in alarm', before: [[3, 'red'], [4, 'blue']], signal: { span: 3, alarm: 'none' }, event: { type: 'SpanAlarmCleared', span: 3 }, after: [[4, 'blue']] },
  ];
  it.each(transitions)('$name', ({ before, signal, event, after }) => {
    const r = applySpanSignal(new Map(before), signal, AT);
    if (event) expect(r.event).toMatchObject(event);
    else expect(r.event).toBeUndefined();
    expect([...r.state]).toEqual(after);
  });
});

describe('PJSIP ContactStatus', () => {
  const base = { Event: 'ContactStatus', URI: 'sip:1001@10.0.0.5:5060', AOR: '1001', EndpointName: '1001' };
  it.each([
    { status: 'Reachable', usec: '12500', expected: { status: 'Reachable', rttMs: 12.5 } },
    { status: 'Unreachable', usec: undefined, expected: { status: 'Unreachable' } },
    { status: 'Created', usec: '0', expected: { status: 'Created' } },
    { status: 'Removed', usec: undefined, expected: { status: 'Removed' } },
    { status: 'Updated', usec: undefined, expected: { status: 'Updated' } },
    { status: 'NonQualified', usec: undefined, expected: { status: 'NonQualified' } },
    { status: 'Unqualified', usec: undefined, expected: { status: 'NonQualified' } },
  ])('$status', ({ status, usec, expected }) => {
    const e = contactStatusOf(messageOf({ ...base, ContactStatus: status, ...(usec ? { RoundtripUsec: usec } : {}) }), AT);
    expect(e).toEqual({ type: 'ContactStatus', at: AT, endpoint: '1001', aor: '1001', uri: 'sip:1001@10.0.0.5:5060', ...expected });
  });

  it('ignores unknown statuses and other events', () => {
    expect(contactStatusOf(messageOf({ ...base, ContactStatus: 'Sleeping' }), AT)).toBeUndefined();
    expect(contactStatusOf(messageOf({ Event: 'PeerStatus', Peer: 'PJSIP/1001' }), AT)).toBeUndefined();
  });
});

describe('RTCP statistics', () => {
  it('RTCPReceived: jitter in ms at 8 kHz, fraction lost 0..1, RTT in ms', () => {
    const e = rtcpStatsOf(
      messageOf({
        Event: 'RTCPReceived',
        Channel: 'PJSIP/trunk-00000001',
        Uniqueid: '1700.1',
        RTT: '0.0350',
        ReportCount: '1',
        Report0IAJitter: '160',
        Report0FractionLost: '64',
        Report0CumulativeLost: '12',
      }),
      AT,
    );
    expect(e).toEqual({
      type: 'RtcpStats',
      at: AT,
      direction: 'received',
      channel: 'PJSIP/trunk-00000001',
      uniqueId: '1700.1',
      jitterMs: 20,
      fractionLost: 0.25,
      cumulativeLost: 12,
      rttMs: 35,
    });
  });

  it('RTCPSent with no report block carries no loss figures', () => {
    const e = rtcpStatsOf(messageOf({ Event: 'RTCPSent', Channel: 'PJSIP/1001-2', Uniqueid: '1700.2', ReportCount: '0' }), AT);
    expect(e).toEqual({ type: 'RtcpStats', at: AT, direction: 'sent', channel: 'PJSIP/1001-2', uniqueId: '1700.2' });
  });
});

describe('list parsers', () => {
  it.each([
    ['00:00:00', 0],
    ['00:01:05', 65_000],
    ['02:00:01', 7_201_000],
    ['', 0],
    ['garbage', 0],
  ])('duration %s → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('CoreShowChannel → ChannelSnapshot', () => {
    const [c] = channelsOf(
      [
        messageOf({
          Event: 'CoreShowChannel',
          Channel: 'PJSIP/1001-00000001',
          ChannelStateDesc: 'Ringing',
          CallerIDNum: '1001',
          CallerIDName: '<unknown>',
          ConnectedLineNum: '<unknown>',
          ConnectedLineName: '<unknown>',
          Context: 'atende-agents',
          Exten: '3003',
          Priority: '2',
          Uniqueid: '1700.5',
          Application: 'Stasis',
          ApplicationData: 'atende,internal,1001',
          Duration: '00:00:10',
        }),
        messageOf({ Event: 'CoreShowChannelsComplete', EventList: 'Complete' }),
      ],
      AT,
    );
    expect(c).toEqual({
      id: '1700.5',
      name: 'PJSIP/1001-00000001',
      state: 'Ringing',
      caller: { number: '1001', name: '' },
      connected: { number: '', name: '' },
      dialplan: { context: 'atende-agents', exten: '3003', priority: 2, appName: 'Stasis', appData: 'atende,internal,1001' },
      createdAt: AT - 10_000,
    });
  });

  it('EndpointList → endpoints with contacts', () => {
    const [e] = endpointsOf([
      messageOf({
        Event: 'EndpointList',
        ObjectName: '1001',
        Aor: '1001',
        Contacts: '1001/sip:1001@10.0.0.5:5060;ob,1001/sip:1001@10.0.0.6:5060,',
        DeviceState: 'Not in use',
        ActiveChannels: '',
      }),
    ]);
    expect(e).toEqual({
      name: '1001',
      deviceState: 'Not in use',
      aors: ['1001'],
      contacts: [
        { aor: '1001', uri: 'sip:1001@10.0.0.5:5060;ob' },
        { aor: '1001', uri: 'sip:1001@10.0.0.6:5060' },
      ],
      activeChannels: 0,
    });
  });

  it('DAHDIShowStatus and PRIShowSpans merge per span', () => {
    const dahdi = [
      messageOf({ Event: 'DAHDIShowStatus', Span: '1', Alarms: 'OK', Description: 'E1 1', Framing: 'CCS', Coding: 'HDB3' }),
      messageOf({ Event: 'DAHDIShowStatus', Span: '2', Alarms: 'RED' }),
      messageOf({ Event: 'DAHDIShowStatusComplete', EventList: 'Complete' }),
    ];
    const pri = [
      messageOf({ Event: 'PRIShowSpans', Span: '1', Alarms: 'No', Up: 'Yes' }),
      messageOf({ Event: 'PRIShowSpans', Span: '3', Alarms: 'Yes', Up: 'No' }),
    ];
    expect(spanStatusOf(dahdi, pri)).toEqual([
      { span: 1, inAlarm: false, alarms: [], configured: true, description: 'E1 1', framing: 'CCS', coding: 'HDB3', dchannelUp: true },
      { span: 2, inAlarm: true, alarms: ['red'], configured: true },
      { span: 3, inAlarm: true, alarms: ['unknown'], configured: true, dchannelUp: false },
    ]);
  });
});

describe('reconnect backoff', () => {
  const fixed = (v: number): Random => ({ next: () => v });
  const policy = { initialMs: 500, maxMs: 30_000 };

  it.each([
    // attempt, random, expected: half of the capped exponential is fixed, half random
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0, 500],
    [2, 0.5, 1_500],
    [5, 0, 8_000],
    [6, 0, 15_000],
    [7, 0, 15_000],
    [7, 1, 30_000],
    [100, 0.5, 22_500],
    [-1, 0, 250],
  ])('attempt %i with random %d → %i ms', (attempt, r, ms) => {
    expect(backoffDelay(attempt, policy, fixed(r))).toBe(ms);
  });

  it('never exceeds the cap and never goes below half of it, forever', () => {
    const random = seededRandom(42);
    for (let attempt = 0; attempt < 500; attempt++) {
      const d = backoffDelay(attempt, policy, random);
      const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt);
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThanOrEqual(cap);
    }
  });
});

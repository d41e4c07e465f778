import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/kernel/index.js';
import { telephonyStatus, type AsteriskSnapshot, type StatusRows, type TelephonyStatus } from '../../src/provisioning/status.logic.js';
import { TelephonyStatusService, type AsteriskStatusLink } from '../../src/provisioning/status.service.js';
import type { AmiContact, AmiEvent } from '../../src/telephony/ami/index.js';

const rows: StatusRows = {
  spans: [
    { id: 1, span: 2, description: 'R2 Oi', channelGroup: 2, signalling: 'mfcr2' },
    { id: 2, span: 1, description: 'PRI Embratel', channelGroup: 1, signalling: 'pri_cpe' },
    { id: 3, span: 3, description: 'new', channelGroup: 3, signalling: 'pri_cpe' },
  ],
  trunks: [
    { id: 1, name: 'ip', host: '203.0.113.10', register: false },
    { id: 2, name: 'reg', host: 'sip.example.net', register: true },
    { id: 3, name: 'novo', host: '203.0.113.30', register: false },
  ],
  extensions: [
    { id: 1, number: '1010', displayName: 'Dez', sipUser: '1010' },
    { id: 2, number: '1002', displayName: 'Bia', sipUser: '1002' },
    { id: 3, number: '1003', displayName: 'Caio', sipUser: 'caio' },
    { id: 4, number: '1004', displayName: 'Duda', sipUser: '1004' },
  ],
};

const snap: AsteriskSnapshot = {
  spans: [
    { span: 1, inAlarm: false, alarms: [], configured: true, dchannelUp: true },
    { span: 2, inAlarm: true, alarms: ['red'], configured: true },
    { span: 3, inAlarm: true, alarms: [], configured: false },
  ],
  contacts: [
    { aor: 'ip', endpoint: 'ip', uri: 'sip:203.0.113.10', userAgent: '', status: 'Unreachable' },
    { aor: '1002', endpoint: '1002', uri: 'sip:1002@10.0.0.2:5060', userAgent: 'Yealink', status: 'Reachable', rttMs: 12.5 },
    { aor: '1002', endpoint: '1002', uri: 'sip:1002@10.0.0.9:5060', userAgent: 'Zoiper', status: 'Unreachable' },
    { aor: 'caio', endpoint: 'caio', uri: 'sip:caio@10.0.0.3:5060', userAgent: 'MicroSIP', status: 'Unreachable' },
  ],
  registrations: [{ id: 'reg', endpoint: 'reg', clientUri: 'sip:1133@sip.example.net', serverUri: 'sip:sip.example.net', status: 'Rejected' }],
  endpoints: new Set(['ip', 'reg', '1010', '1002', 'caio']),
};

describe('telephony status', () => {
  it('spans: up with the D-channel, red alarm, not configured in DAHDI yet', () => {
    const s = telephonyStatus(rows, snap).spans;
    expect(s.map((x) => [x.span, x.state, x.alarms, x.dchannelUp])).toEqual([
      [1, 'up', [], true],
      [2, 'alarm', ['red'], null],
      [3, 'not_applied', [], null],
    ]);
  });

  it('trunks: an IP trunk by its qualify, a registering one by its registration, one not applied', () => {
    expect(telephonyStatus(rows, snap).trunks.map((x) => [x.name, x.state])).toEqual([
      ['ip', 'unreachable'],
      ['novo', 'not_applied'],
      ['reg', 'rejected'],
    ]);
  });

  it('phones: registered while any contact answers, unreachable when none does, unregistered without contacts', () => {
    const e = telephonyStatus(rows, snap).extensions;
    expect(e.map((x) => [x.number, x.state])).toEqual([
      ['1002', 'registered'],
      ['1003', 'unreachable'],
      ['1004', 'not_applied'],
      ['1010', 'unregistered'],
    ]);
    expect(e[0]!.contacts).toEqual([
      { uri: 'sip:1002@10.0.0.2:5060', userAgent: 'Yealink', status: 'reachable', rttMs: 12.5 },
      { uri: 'sip:1002@10.0.0.9:5060', userAgent: 'Zoiper', status: 'unreachable', rttMs: null },
    ]);
  });

  it('without AMI every state is unknown', () => {
    const s = telephonyStatus(rows, null);
    expect(s.connected).toBe(false);
    expect(new Set([...s.spans, ...s.trunks, ...s.extensions].map((x) => x.state))).toEqual(new Set(['unknown']));
  });
});

describe('telephony status pushes', () => {
  it('a burst of registrations reads AMI once behind the read under way, and the last push has every phone', async () => {
    let listener: (e: AmiEvent) => void = () => undefined;
    let registered: AmiContact[] = [];
    let reads = 0;
    const link: AsteriskStatusLink = {
      connectionState: () => 'up',
      spanStatus: async () => [],
      contacts: async () => {
        reads++;
        const now = [...registered];
        await new Promise((r) => setTimeout(r, 5));
        return now;
      },
      registrations: async () => [],
      endpoints: async () => rows.extensions.map((e) => ({ name: e.sipUser })),
      onEvent: (l) => ((listener = l), () => undefined),
    };
    const pushed: TelephonyStatus[] = [];
    const service = new TelephonyStatusService({
      asterisk: link,
      events: { publish: (_topic, _tenant, e) => void pushed.push((e.data as { status: TelephonyStatus }).status) },
      logger: silentLogger,
      rows: () => rows,
      tenants: () => [1],
      tenantOfEndpoint: () => 1,
      tenantOfSpan: () => undefined,
    });
    service.start();
    const register = (e: StatusRows['extensions'][number]) => {
      registered = [...registered, { aor: e.sipUser, endpoint: e.sipUser, uri: `sip:${e.sipUser}@10.0.0.1`, userAgent: 'Zoiper', status: 'Created' }];
      listener({ type: 'ContactStatus', at: 0, endpoint: e.sipUser, aor: e.sipUser, uri: '', status: 'Created' });
    };
    const [first, ...others] = rows.extensions;
    register(first!);
    await new Promise((r) => setTimeout(r, 1));
    expect(reads).toBe(1);
    for (const e of others) register(e);
    await service.settled();
    await service.settled();
    // One read started at the first event; the other three wait as one read behind it.
    expect(reads).toBe(2);
    expect(pushed.at(-1)!.extensions.map((x) => x.state)).toEqual(['registered', 'registered', 'registered', 'registered']);
  });
});

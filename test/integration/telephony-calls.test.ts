/**
 * Calls through provisioned telephony, over real sockets: the admin's configuration applied to
 * the emulator, phones registered with their secrets, the production ARI adapter and calls
 * engine running the flows. Extension to extension (caller name, busy, absent, no answer),
 * feature codes, who may dial out, outbound routes with failover, inbound routes by DID,
 * conferences, and transfers keyed in on a desk phone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCallsApp, telephonyHandlers, type CallsApp } from '../../src/calls/index.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';
import { telephonyTenantResolver } from '../../src/provisioning/index.js';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { connectAmi } from '../helpers/ami.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { until } from '../helpers/until.js';

let dir: string;
let emulator: Emulator;
let ami: AmiClient;
let ari: AriCallControlHandle;
let t: TestApp;
let admin: LoggedIn;
let calls: CallsApp;
const secrets = new Map<string, string>();
const ids = new Map<string, number>();

const api = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown) => {
  const res = await t.request(method, `/api/v1/${path}`, { cookie: admin.cookie, ...(body !== undefined ? { body } : {}) });
  if (res.statusCode >= 400) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
  return res.json();
};

const channelOf = (prefix: string) => emulator.channels().find((c) => c.name.startsWith(prefix));
const ended = (id: string) => emulator.endedChannels().find((c) => c.id === id);
const bridged = (a: string, b: string) => emulator.bridges().some((x) => x.channels.includes(a) && x.channels.includes(b));
const callRecord = (channelId: string) =>
  t.deps.database.sqlite.prepare('SELECT * FROM calls WHERE channel_id = ?').get(channelId) as
    | { trunk_ref: string | null; trunk_attempts: string | null; tenant_id: number; kind: string; state: string }
    | undefined;

async function hangupAll(): Promise<void> {
  for (const c of emulator.channels()) await emulator.hangup(c.id).catch(() => undefined);
  await until('no channel left', () => emulator.channels().length === 0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atende-tel-calls-'));
  const configDir = join(dir, 'asterisk');
  emulator = await startEmulator({ recordingsDir: join(dir, 'rec'), configDir, speed: 10, spans: [{ span: 1, signalling: 'pri_cpe', group: 1 }] });
  ami = await connectAmi(emulator);
  t = await createTestApp({ asterisk: { ami, configDir } });
  admin = await t.loginAs('admin');
  const directory = t.modules.provisioning.directory;
  ari = createAriCallControl({ url: emulator.ariUrl, user: emulator.ariUser, password: emulator.ariPassword, app: 'atende', logger: silentLogger });
  ari.start();
  await until('ARI up', () => ari.callControl.connectionState() === 'up');
  calls = createCallsApp({
    callControl: ari.callControl,
    database: t.deps.database,
    logger: silentLogger,
    clock: systemClock,
    config: { asterisk: { ari: { app: 'atende' }, soundsDir: '' } },
    tenantResolver: (fallback) => telephonyTenantResolver(directory, fallback),
    handlers: telephonyHandlers({ directory, ringSeconds: 3, outboundRingSeconds: 20 }),
  });
  await calls.start();

  await api('PATCH', `tenants/${t.tenantA}`, { ddd: '11' });
  await api('POST', 'telephony/spans', { span: 1, signalling: 'pri_cpe', group: 1, unknownDidCause: 21 });
  ids.set('operadora', (await api('POST', 'telephony/trunks', { name: 'operadora', host: '203.0.113.10' })).id);
  ids.set('reserva', (await api('POST', 'telephony/trunks', { name: 'reserva', host: '203.0.113.20' })).id);
  for (const [number, name, extra] of [
    ['1001', 'Ana', {}],
    ['1002', 'Bruno', {}],
    ['1003', 'Carla', { dialOut: false }],
  ] as const) {
    const created = await api('POST', 'telephony/extensions', { number, displayName: name, ...extra });
    secrets.set(number, created.secret);
    ids.set(number, created.id);
  }
  const conference = await api('POST', 'telephony/conferences', { name: 'Sala', number: '5000' });
  await api('POST', 'telephony/inbound-routes', { name: 'Principal', did: '1133334444', destination: { kind: 'extension', id: ids.get('1001') } });
  await api('POST', 'telephony/inbound-routes', { name: 'Reunião', did: '1133335000', destination: { kind: 'conference', id: conference.id } });
  await api('POST', 'telephony/outbound-routes', {
    name: 'Brasil',
    rules: [{ pattern: '_0XX.', strip: 1, brazilFormat: true, carrierCode: '21' }],
    trunks: [{ trunkId: ids.get('operadora') }, { trunkId: ids.get('reserva') }],
  });
  await api('POST', 'telephony/outbound-routes', { name: 'Diretoria', rules: [{ pattern: '_00.', restrictTo: ['1002'] }], trunks: [{ e1Group: 1 }] });
  const applied = await api('POST', 'telephony/apply', {});
  expect(applied.ok).toBe(true);
  await emulator.reload('chan_dahdi');
});

beforeEach(async () => {
  await hangupAll();
  for (const ext of ['1001', '1002', '1003']) {
    emulator.setPhone(ext, { registered: true, password: secrets.get(ext)!, behaviour: 'answer', answerAfterMs: 300, reachable: true });
  }
  emulator.setTrunk('operadora', { congested: false });
});

afterAll(async () => {
  await calls?.stop(0);
  await ari?.stop();
  await t?.close();
  await ami?.stop();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('extension to extension', () => {
  it('rings the other extension with the caller’s name, then the two talk; one hanging up ends both', async () => {
    const { channelId } = await emulator.placePhoneCall('1001', '1002');
    const callee = await until('1002 answered', () => channelOf('PJSIP/1002-'));
    expect(callee.caller).toEqual({ name: 'Ana', number: '1001' });
    await until('bridged', () => bridged(channelId, callee.id));
    await emulator.hangup(channelId);
    await until('1002 hung up too', () => ended(callee.id));
    expect(callRecord(channelId)).toMatchObject({ tenant_id: t.tenantA, kind: 'internal' });
  });

  it.each([
    ['busy (the phone rejects)', { behaviour: 'reject' as const }, 17],
    ['not registered', { registered: false }, 20],
    ['not answered', { behaviour: 'no-answer' as const }, 19],
  ])('the caller hears %s', async (_what, change, cause) => {
    emulator.setPhone('1002', change);
    const { channelId } = await emulator.placePhoneCall('1001', '1002');
    const end = await until('the caller released', () => ended(channelId), 20_000);
    expect(end.cause).toBe(cause);
  });

  it('an extension already in a call is busy', async () => {
    const first = await emulator.placePhoneCall('1001', '1002');
    await until('1002 talking', () => channelOf('PJSIP/1002-')?.state === 'Up');
    const { channelId } = await emulator.placePhoneCall('1003', '1002');
    expect((await until('released', () => ended(channelId))).cause).toBe(17);
    await emulator.hangup(first.channelId);
  });
});

describe('feature codes', () => {
  it('*78 sets do not disturb (calls get busy), *79 clears it', async () => {
    const on = await emulator.placePhoneCall('1002', '*78');
    await until('confirmed', () => ended(on.channelId));
    expect((await api('GET', `telephony/extensions/${ids.get('1002')}`)).dnd).toBe(true);
    const blocked = await emulator.placePhoneCall('1001', '1002');
    expect((await until('busy', () => ended(blocked.channelId))).cause).toBe(17);
    const off = await emulator.placePhoneCall('1002', '*79');
    await until('confirmed', () => ended(off.channelId));
    expect((await api('GET', `telephony/extensions/${ids.get('1002')}`)).dnd).toBe(false);
  });

  it('*72<ext> forwards every call to another extension, *73 stops it', async () => {
    const set = await emulator.placePhoneCall('1002', '*721003');
    await until('confirmed', () => ended(set.channelId));
    const { channelId } = await emulator.placePhoneCall('1001', '1002');
    const forwarded = await until('1003 rings instead', () => channelOf('PJSIP/1003-'));
    await until('bridged', () => bridged(channelId, forwarded.id));
    await hangupAll();
    const clear = await emulator.placePhoneCall('1002', '*73');
    await until('confirmed', () => ended(clear.channelId));
    expect((await api('GET', `telephony/extensions/${ids.get('1002')}`)).forwardTo).toBeNull();
  });

  it('**<ext> picks up the call ringing on that extension', async () => {
    emulator.setPhone('1002', { behaviour: 'no-answer' });
    const { channelId } = await emulator.placePhoneCall('1001', '1002');
    await until('1002 ringing', () => channelOf('PJSIP/1002-'));
    const picker = await emulator.placePhoneCall('1003', '**1002');
    await until('caller talks to the picker', () => bridged(channelId, picker.channelId));
  });
});

describe('calling outside', () => {
  it('matches the outbound route, sends the transformed digits on the first trunk, and the record keeps the trunk', async () => {
    const { channelId } = await emulator.placePhoneCall('1001', '011987654320');
    const out = await until('the trunk leg answered', () => {
      const c = channelOf('PJSIP/operadora-');
      return c?.state === 'Up' ? c : undefined;
    });
    // DDD 11 calling DDD 11: a local call, dialled as the subscriber number.
    expect(out.connected.number).toBe('987654320');
    await until('bridged', () => bridged(channelId, out.id));
    await until('routing recorded', () => callRecord(channelId)?.trunk_ref === 'trunk:operadora');
    expect(JSON.parse(callRecord(channelId)!.trunk_attempts!)).toEqual([{ trunk: 'trunk:operadora', outcome: 'answered' }]);
  });

  it('another DDD is dialled as long distance with the carrier code', async () => {
    await emulator.placePhoneCall('1001', '02133334440');
    const out = await until('trunk leg', () => channelOf('PJSIP/operadora-'));
    expect(out.connected.number).toBe('0212133334440');
  });

  it('when the first trunk is congested the next one carries the call, and the record says why', async () => {
    emulator.setTrunk('operadora', { congested: true });
    const { channelId } = await emulator.placePhoneCall('1001', '011987654320');
    await until('the backup trunk answered', () => channelOf('PJSIP/reserva-')?.state === 'Up');
    await until('routing recorded', () => callRecord(channelId)?.trunk_ref === 'trunk:reserva');
    expect(JSON.parse(callRecord(channelId)!.trunk_attempts!)).toEqual([
      { trunk: 'trunk:operadora', outcome: 'congestion', cause: 34 },
      { trunk: 'trunk:reserva', outcome: 'answered' },
    ]);
  });

  it('a busy number does not fail over: the caller hears busy', async () => {
    const { channelId } = await emulator.placePhoneCall('1001', '011987654325');
    expect((await until('released', () => ended(channelId), 20_000)).cause).toBe(17);
    expect(JSON.parse(callRecord(channelId)!.trunk_attempts!)).toEqual([{ trunk: 'trunk:operadora', outcome: 'busy', cause: 17 }]);
  });

  it('an extension that may not dial out is refused (21); a route restricted to other extensions is not there for it', async () => {
    const refused = await emulator.placePhoneCall('1003', '011987654320');
    expect((await until('refused', () => ended(refused.channelId))).cause).toBe(21);
    const restricted = await emulator.placePhoneCall('1001', '0012125551230');
    expect((await until('no route', () => ended(restricted.channelId))).cause).toBe(1);
    await emulator.placePhoneCall('1002', '0012125551230');
    await until('1002 leaves on the E1 group', () => channelOf('DAHDI/'));
  });

  it("a user whose profile lacks dialout:write cannot dial out from the extension linked to it", async () => {
    const user = await t.loginAs('agent', { permissions: ['calls:read'] });
    await api('PATCH', `telephony/extensions/${ids.get('1001')}`, { userId: user.user.id });
    try {
      const { channelId } = await emulator.placePhoneCall('1001', '011987654320');
      expect((await until('refused', () => ended(channelId))).cause).toBe(21);
    } finally {
      await api('PATCH', `telephony/extensions/${ids.get('1001')}`, { userId: null });
    }
  });
});

describe('inbound routes', () => {
  it('the DID decides the tenant and the destination', async () => {
    const { channelId } = await emulator.placeInboundCall({ did: '551133334444', from: '11987650000', via: { trunk: 'operadora' } });
    const phone = await until('1001 answered', () => channelOf('PJSIP/1001-'));
    expect(phone.caller.number).toBe('11987650000');
    await until('bridged', () => bridged(channelId, phone.id));
    expect(callRecord(channelId)).toMatchObject({ tenant_id: t.tenantA, kind: 'inbound' });
  });

  it('an unknown DID is refused with the configured cause, per span or server-wide', async () => {
    const onTrunk = await emulator.placeInboundCall({ did: '1140004000', from: '1', via: { trunk: 'operadora' } });
    expect((await until('refused', () => ended(onTrunk.channelId))).cause).toBe(1);
    const onSpan = await emulator.placeInboundCall({ did: '1140004000', from: '1', via: { span: 1 } });
    expect((await until('refused', () => ended(onSpan.channelId))).cause).toBe(21);
    expect(callRecord(onTrunk.channelId)).toBeUndefined();
  });

  it('two callers of a conference DID are in one bridge', async () => {
    const a = await emulator.placeInboundCall({ did: '1133335000', from: '11911110000', via: { trunk: 'operadora' } });
    const b = await emulator.placeInboundCall({ did: '1133335000', from: '11922220000', via: { trunk: 'operadora' } });
    await until('both in the conference', () => bridged(a.channelId, b.channelId));
  });
});

describe('transfers keyed in on a desk phone', () => {
  it('##<ext># sends the other party to that extension and the phone leaves', async () => {
    const { channelId: caller } = await emulator.placeInboundCall({ did: '1133334444', from: '11987650001', via: { trunk: 'operadora' } });
    const agent = await until('1001 talking', () => channelOf('PJSIP/1001-')?.state === 'Up' && channelOf('PJSIP/1001-'));
    await emulator.sendDtmf(agent.id, '##1002#');
    await until('1001 left', () => ended(agent.id));
    const target = await until('1002 answered', () => channelOf('PJSIP/1002-')?.state === 'Up' && channelOf('PJSIP/1002-'));
    await until('caller talks to 1002', () => bridged(caller, target.id));
  });

  it('*2<ext># consults while the caller waits; hanging up completes the transfer', async () => {
    const { channelId: caller } = await emulator.placeInboundCall({ did: '1133334444', from: '11987650002', via: { trunk: 'operadora' } });
    const agent = await until('1001 talking', () => channelOf('PJSIP/1001-')?.state === 'Up' && channelOf('PJSIP/1001-'));
    await emulator.sendDtmf(agent.id, '*21002#');
    const consulted = await until('1002 answered', () => channelOf('PJSIP/1002-')?.state === 'Up' && channelOf('PJSIP/1002-'));
    await until('1001 consults 1002', () => bridged(agent.id, consulted.id));
    expect(emulator.bridges().some((b) => b.channels.includes(caller))).toBe(false);
    await emulator.hangup(agent.id);
    await until('caller talks to 1002', () => bridged(caller, consulted.id));
  });

  it('*0 during the consultation goes back to the caller', async () => {
    const { channelId: caller } = await emulator.placeInboundCall({ did: '1133334444', from: '11987650003', via: { trunk: 'operadora' } });
    const agent = await until('1001 talking', () => channelOf('PJSIP/1001-')?.state === 'Up' && channelOf('PJSIP/1001-'));
    await emulator.sendDtmf(agent.id, '*21002#');
    const consulted = await until('1002 answered', () => channelOf('PJSIP/1002-')?.state === 'Up' && channelOf('PJSIP/1002-'));
    await until('consulting', () => bridged(agent.id, consulted.id));
    await emulator.sendDtmf(agent.id, '*0');
    await until('1002 dropped', () => ended(consulted.id));
    await until('back with the caller', () => bridged(agent.id, caller));
  });
});

/**
 * Live telephony status over real AMI against the emulator: what is not applied yet, trunks
 * registering (or refused), phones registering with their user agent and becoming
 * unreachable, a span going into alarm and back — read by REST and pushed on the events
 * socket (topic telephony), one tenant never seeing another's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { connectAmi } from '../helpers/ami.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { openSocket, type SocketMessage, type TestSocket } from '../helpers/socket.js';

let dir: string;
let emulator: Emulator;
let ami: AmiClient;
let t: TestApp;
let admin: LoggedIn;
let base: string;
let socket: TestSocket;
let secret1001: string;

interface Status {
  connected: boolean;
  spans: { span: number; state: string; alarms: string[] }[];
  trunks: { name: string; state: string }[];
  extensions: { number: string; state: string; contacts: { userAgent: string; status: string }[] }[];
}

const api = async (method: 'GET' | 'POST', path: string, body?: unknown, who: LoggedIn = admin) =>
  t.request(method, `/api/v1/telephony/${path}`, { cookie: who.cookie, ...(body !== undefined ? { body } : {}) });
const status = async (): Promise<Status> => (await api('GET', 'status')).json();
const ext = (s: Status, n: string) => s.extensions.find((e) => e.number === n)!;
const trunk = (s: Status, n: string) => s.trunks.find((x) => x.name === n)!;
/** A status pushed after message `since` for which `test` holds. */
const pushed = (since: number, test: (s: Status) => boolean, what: string) =>
  socket.waitFor((m: SocketMessage) => socket.messages.indexOf(m) >= since && m.type === 'telephony.status' && test((m.data as { status: Status }).status), what);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atende-tel-status-'));
  const configDir = join(dir, 'asterisk');
  emulator = await startEmulator({ recordingsDir: join(dir, 'rec'), configDir, spans: [{ span: 1, signalling: 'pri_cpe', group: 1 }] });
  ami = await connectAmi(emulator);
  t = await createTestApp({ asterisk: { ami, configDir } });
  admin = await t.loginAs('admin');
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  expect((await api('POST', 'spans', { span: 1, signalling: 'pri_cpe', group: 1, description: 'Embratel' })).statusCode).toBe(201);
  expect((await api('POST', 'trunks', { name: 'operadora', registerString: '1133334444:Segredo-1@sip.provider.example.net/1133334444' })).statusCode).toBe(201);
  expect((await api('POST', 'trunks', { name: 'errada', registerString: '1133335555:Segredo-2@sip.nowhere.invalid/1133335555' })).statusCode).toBe(201);
  const created = await api('POST', 'extensions', { number: '1001', displayName: 'Ana' });
  secret1001 = created.json().secret;
  expect((await api('POST', 'extensions', { number: '1002', displayName: 'Bruno' })).statusCode).toBe(201);
});

afterAll(async () => {
  socket?.close();
  await t.close();
  await ami.stop();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('telephony status', () => {
  it('before apply, what Asterisk does not have yet is shown as not applied', async () => {
    const s = await status();
    expect(s.connected).toBe(true);
    expect(s.extensions.map((e) => [e.number, e.state])).toEqual([
      ['1001', 'not_applied'],
      ['1002', 'not_applied'],
    ]);
    expect(s.trunks.map((x) => x.state)).toEqual(['not_applied', 'not_applied']);
  });

  it('after apply: trunks register or are refused, phones are unregistered, the span is up — pushed as it happens', async () => {
    socket = await openSocket(`${base.replace('http', 'ws')}/api/v1/events?topics=telephony`, { cookie: admin.cookie, origin: base });
    await socket.waitFor((m) => m.type === 'hello', 'hello');
    const since = socket.messages.length;
    expect((await api('POST', 'apply', {})).json().ok).toBe(true);
    await emulator.reload('chan_dahdi');
    await pushed(since, (s) => trunk(s, 'operadora').state === 'registered' && trunk(s, 'errada').state === 'rejected', 'trunk registrations pushed');
    const s = await status();
    expect(s.spans).toEqual([expect.objectContaining({ span: 1, state: 'up', alarms: [] })]);
    expect(ext(s, '1001')).toMatchObject({ state: 'unregistered', contacts: [] });
  });

  it('a phone that registers shows registered with its user agent; one that stops answering shows unreachable', async () => {
    let since = socket.messages.length;
    emulator.setPhone('1001', { registered: true, password: secret1001, userAgent: 'Yealink SIP-T46U 108.86.0.20', reachable: true });
    await pushed(since, (s) => ext(s, '1001').state === 'registered', '1001 registered pushed');
    expect(ext(await status(), '1001')).toMatchObject({ state: 'registered', contacts: [expect.objectContaining({ userAgent: 'Yealink SIP-T46U 108.86.0.20', status: 'reachable' })] });
    since = socket.messages.length;
    emulator.setPhone('1001', { reachable: false });
    await pushed(since, (s) => ext(s, '1001').state === 'unreachable', '1001 unreachable pushed');
    since = socket.messages.length;
    emulator.setPhone('1001', { registered: false });
    await pushed(since, (s) => ext(s, '1001').state === 'unregistered', '1001 unregistered pushed');
  });

  it('a span in red alarm is pushed with the alarm, and back up when it clears', async () => {
    let since = socket.messages.length;
    emulator.setSpanAlarm(1, 'red');
    await pushed(since, (s) => s.spans[0]?.state === 'alarm' && s.spans[0].alarms.includes('red'), 'red alarm pushed');
    since = socket.messages.length;
    emulator.setSpanAlarm(1, 'clear');
    await pushed(since, (s) => s.spans[0]?.state === 'up', 'alarm cleared pushed');
  });

  it("another tenant's admin sees only its own (empty) status and none of these pushes; agents may not read it", async () => {
    const tenantB = t.createTenant('Tenant B');
    const other = await t.loginAs('admin', { tenantId: tenantB });
    expect(await (await api('GET', 'status', undefined, other)).json()).toEqual({ connected: true, spans: [], trunks: [], extensions: [] });
    const theirs = await openSocket(`${base.replace('http', 'ws')}/api/v1/events?topics=telephony`, { cookie: other.cookie, origin: base });
    await theirs.waitFor((m) => m.type === 'hello', 'hello');
    const since = socket.messages.length;
    emulator.setPhone('1002', { registered: true, userAgent: 'MicroSIP/3.21.3', reachable: true });
    await pushed(since, (s) => ext(s, '1002').state === 'registered', '1002 registered pushed');
    await t.modules.provisioning.status.settled();
    expect(theirs.messages.filter((m) => m.type === 'telephony.status')).toEqual([]);
    theirs.close();
    const agent = await t.loginAs('agent');
    expect((await api('GET', 'status', undefined, agent)).statusCode).toBe(403);
  });
});

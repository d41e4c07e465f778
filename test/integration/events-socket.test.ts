/**
 * The events socket over a real port: who may open it, what it pushes to whom, and how it ends.
 * Calls come from the emulator through the production ARI adapter and the calls engine.
 */
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvent, createCallsApp, type CallRecord, type CallsApp } from '../../src/calls/index.js';
import { silentLogger, systemClock, type CallId, type ProbeResult, type TenantId } from '../../src/kernel/index.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { createTestApp, TEST_PASSWORD, type LoggedIn, type TestApp } from '../helpers/app.js';
import { openSocket, type SocketMessage, type TestSocket } from '../helpers/socket.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv) => Ajv;

const ALLOWED_ORIGIN = 'https://painel.example.com';
const DID_A = '1133330001';
const DID_B = '1133330002';

let t: TestApp;
let base: string;
let url: string;
let tenantB: number;
let adminA: LoggedIn;
let adminB: LoggedIn;
let emulator: Emulator;
let ari: AriCallControlHandle;
let calls: CallsApp;
let ariProbe: ProbeResult = { ok: true };

let validateMessage: ValidateFunction;

const open = async (who: { cookie: string } | undefined, opts: { origin?: string; query?: string } = {}) => {
  const s = await openSocket(`${url}${opts.query ?? ''}`, { cookie: who?.cookie, origin: opts.origin ?? base });
  // The recorded list is the socket's own: look at it when the file ends.
  seenSockets.push(s);
  return s;
};
const seenSockets: TestSocket[] = [];

const refusal = (p: Promise<TestSocket>) =>
  p.then(
    () => 'opened',
    (e: { status?: number }) => e.status,
  );

const ofType = (type: string) => (m: SocketMessage) => m.type === type;

/** A ringing inbound leg, for events published straight to the hub. */
const record = (callId: string, tenantId: number, to = '1133330009'): CallRecord => ({
  callId: callId as CallId,
  tenantId: tenantId as TenantId,
  parentCallId: null,
  channelId: `ch-${callId}`,
  channelName: null,
  kind: 'inbound',
  direction: 'inbound',
  from: '11999990000',
  fromName: null,
  to,
  trunkRef: 'span:1',
  state: 'ringing',
  startedAt: Date.UTC(2026, 0, 5, 12),
  answeredAt: null,
  endedAt: null,
  cause: null,
  causeText: null,
  hangupBy: null,
  endReason: null,
  trunkAttempts: null,
});

beforeAll(async () => {
  t = await createTestApp({ config: { http: { corsOrigins: [ALLOWED_ORIGIN] }, auth: { sessionTtlMinutes: 1 } } });
  t.deps.readiness.register('ari', () => ariProbe);
  tenantB = t.createTenant('Tenant B');
  adminA = await t.loginAs('admin');
  adminB = await t.loginAs('admin', { tenantId: tenantB });
  const doc = (await t.request('GET', '/api/docs/json')).json();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  validateMessage = ajv.compile(doc.components.schemas.EventServerMessage);
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = address;
  url = `${address.replace(/^http/, 'ws')}/api/v1/events`;

  emulator = await startEmulator({ recordingsDir: join(t.dataDir, 'recordings'), speed: 20 });
  ari = createAriCallControl({ url: emulator.ariUrl, user: emulator.ariUser, password: emulator.ariPassword, app: 'atende', logger: silentLogger });
  ari.start();
  calls = createCallsApp({
    callControl: ari.callControl,
    database: t.deps.database,
    logger: silentLogger,
    clock: systemClock,
    config: t.config,
    events: t.app.events,
    tenantResolver: {
      forInbound: (did) => (did === DID_A ? t.tenantA : did === DID_B ? tenantB : undefined) as TenantId | undefined,
      forEntry: () => undefined,
    },
  });
  await calls.start();
  for (let i = 0; i < 500 && ari.callControl.connectionState() !== 'up'; i++) await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  await calls?.stop(0);
  await ari?.stop();
  await emulator?.close();
  await t.close();
});

describe('opening the socket', () => {
  it('refuses an upgrade without a session (401) and with an ended one', async () => {
    expect(await refusal(open(undefined))).toBe(401);
    expect(await refusal(open({ cookie: 'atende_session=forged' }))).toBe(401);
    const u = await t.loginAs('agent');
    await t.request('POST', '/api/v1/auth/logout', { cookie: u.cookie });
    expect(await refusal(open(u))).toBe(401);
  });

  it('refuses a page of another origin (403), even a sibling port of the same host', async () => {
    expect(await refusal(open(adminA, { origin: 'https://evil.example' }))).toBe(403);
    const sibling = new URL(base);
    sibling.port = String(Number(sibling.port) + 1);
    expect(await refusal(open(adminA, { origin: sibling.origin }))).toBe(403);
    expect(await refusal(open(adminA, { origin: 'null' }))).toBe(403);
  });

  it('accepts the server’s own origin and a configured one', async () => {
    for (const origin of [base, ALLOWED_ORIGIN]) {
      const s = await open(adminA, { origin });
      expect((await s.waitFor(ofType('hello'))).seq).toBe(1);
      s.close();
    }
  });

  it('answers a plain GET with 426 and says how to upgrade', async () => {
    const res = await t.request('GET', '/api/v1/events', { cookie: adminA.cookie });
    expect(res.statusCode).toBe(426);
    expect(res.headers.upgrade).toBe('websocket');
    expect(res.json()).toEqual({ error: { code: 'upgrade_required', message: expect.stringContaining('Upgrade: websocket'), details: {} } });
  });

  it('greets with the tenant and the topics the profile allows', async () => {
    const agent = await t.loginAs('agent', { permissions: ['agent:write'] });
    const s = await open(agent);
    const hello = await s.waitFor(ofType('hello'));
    // `agent` (its own state as an agent) brings the agents topic, where it sees only itself.
    expect(hello.data).toMatchObject({ userId: agent.user.id, tenantId: t.tenantA, topics: ['system', 'agents'] });
    s.close();
  });
});

describe('subscriptions', () => {
  it('subscribes and unsubscribes, numbering every message from 1 without gaps', async () => {
    const s = await open(adminA);
    s.send({ type: 'subscribe', topics: ['calls', 'system'] });
    expect((await s.waitFor(ofType('subscribed'))).data?.topics).toEqual(['calls', 'system']);
    s.send({ type: 'unsubscribe', topics: ['calls'] });
    await s.waitFor(ofType('unsubscribed'));
    s.send({ type: 'ping' });
    await s.waitFor(ofType('pong'));
    expect(s.messages.map((m) => m.seq)).toEqual(s.messages.map((_, i) => i + 1));
    s.close();
  });

  it('answers an unknown topic, a forbidden topic and a malformed message with an error naming the field', async () => {
    const agent = await t.loginAs('agent', { permissions: ['agent:write'] });
    const s = await open(agent);
    s.send({ type: 'subscribe', topics: ['system', 'nonsense'] });
    expect((await s.waitFor(ofType('error'))).data).toMatchObject({ code: 'unknown_topic', field: 'topics' });
    s.send({ type: 'subscribe', topics: ['calls'] });
    await s.waitFor((m) => m.type === 'error' && m.data?.code === 'forbidden');
    s.send('{not json');
    await s.waitFor((m) => m.type === 'error' && m.data?.code === 'invalid_message');
    s.send({ type: 'subscribe', topics: 'calls' });
    await s.waitFor((m) => m.type === 'error' && m.data?.field === 'topics');
    // Nothing was subscribed by the refused requests, and the socket is still usable.
    s.send({ type: 'subscribe', topics: ['system'] });
    expect((await s.waitFor(ofType('subscribed'))).data?.topics).toEqual(['system']);
    s.close();
  });
});

describe('call events', () => {
  it('pushes an emulator call started → answered → ended to its tenant only', async () => {
    const a = await open(adminA, { query: '?topics=calls' });
    const b = await open(adminB, { query: '?topics=calls' });
    await a.waitFor(ofType('subscribed'));
    await b.waitFor(ofType('subscribed'));

    const { channelId } = await emulator.placeInboundCall({ did: DID_A, from: '11987650001', via: { span: 1 } });
    const ended = await a.waitFor((m) => m.type === 'call.ended' && m.data?.call?.channelId === channelId, 'call ended');
    const callId = ended.data!.call!.callId;
    const mine = a.messages.filter((m) => m.topic === 'calls' && m.data?.call?.callId === callId);
    expect(mine.map((m) => m.type)).toEqual(['call.started', 'call.answered', 'call.ended']);
    expect(mine[0]!.data!.call).toMatchObject({ state: 'ringing', from: '11987650001', to: DID_A, direction: 'inbound' });
    expect(mine[1]!.data!.call).toMatchObject({ state: 'in_progress', answeredAt: expect.any(String) });
    expect(mine[2]!.data!.call).toMatchObject({ state: 'ended', cause: 16, hangupBy: 'atende' });
    // What was pushed is what the REST API answers.
    const rest = await t.request('GET', `/api/v1/calls/${callId}`, { cookie: adminA.cookie });
    expect(rest.json()).toEqual(mine[2]!.data!.call);

    // Tenant B's socket works (it gets its own call) and never saw tenant A's.
    const other = await emulator.placeInboundCall({ did: DID_B, from: '11987650002', via: { span: 1 } });
    await b.waitFor((m) => m.type === 'call.ended' && m.data?.call?.channelId === other.channelId, 'B’s call ended');
    expect(b.messages.some((m) => m.data?.call?.callId === callId)).toBe(false);
    expect(a.messages.some((m) => m.data?.call?.channelId === other.channelId)).toBe(false);
    a.close();
    b.close();
  });

  it('shows an agent only the calls of its own extension', async () => {
    const agent = (ext: string) =>
      t.app.org.createUser(
        { actor: SYSTEM_ACTOR },
        t.tenantA,
        { name: `Ramal ${ext}`, login: `agent.ext.${ext}`, password: TEST_PASSWORD, level: 'agent', extension: ext, passwordChangeRequired: false },
      );
    await agent('1001');
    await agent('1002');
    const s1 = await open({ cookie: await t.login('agent.ext.1001', TEST_PASSWORD) }, { query: '?topics=calls' });
    const s2 = await open({ cookie: await t.login('agent.ext.1002', TEST_PASSWORD) }, { query: '?topics=calls' });
    await s1.waitFor(ofType('subscribed'));
    await s2.waitFor(ofType('subscribed'));
    const call = (id: string, to: string) => callEvent('started', record(id, t.tenantA, to));
    t.app.events.publish('calls', t.tenantA, call('for-1001', '1001'));
    t.app.events.publish('calls', t.tenantA, call('for-1002', '1002'));
    await s1.waitFor((m) => m.data?.call?.callId === 'for-1001');
    await s2.waitFor((m) => m.data?.call?.callId === 'for-1002');
    expect(s1.messages.some((m) => m.data?.call?.callId === 'for-1002')).toBe(false);
    expect(s2.messages.some((m) => m.data?.call?.callId === 'for-1001')).toBe(false);
    s1.close();
    s2.close();
  });
});

describe('readiness', () => {
  it('sends the state on subscribing, then every change: at once when a component says so, else within the sweep', async () => {
    const s = await open(adminA, { query: '?topics=system' });
    const first = await s.waitFor(ofType('system.readiness'));
    expect(first.data).toEqual({ ready: true, components: { database: { ok: true }, ari: { ok: true } } });

    ariProbe = { ok: false, reason: 'ARI not connected: test' };
    t.deps.readiness.changed();
    const down = await s.waitFor((m) => m.type === 'system.readiness' && m.data?.ready === false, 'down');
    expect(down.data).toEqual({ ready: false, components: { database: { ok: true }, ari: { ok: false } } });
    expect(JSON.stringify(down)).not.toContain('test');

    ariProbe = { ok: true };
    t.clock.advance(500);
    await s.waitFor((m) => m.type === 'system.readiness' && m.seq > down.seq && m.data?.ready === true, 'up again');
    s.close();
  });
});

describe('a super user switching tenant', () => {
  it('follows the session’s tenant: told at once, then only the new tenant’s events', async () => {
    const su = await t.loginAs('super');
    const s = await open(su, { query: '?topics=calls' });
    await s.waitFor(ofType('subscribed'));
    expect((await t.request('PUT', '/api/v1/me/tenant', { cookie: su.cookie, body: { tenantId: tenantB } })).statusCode).toBe(200);
    expect((await s.waitFor(ofType('tenant.changed'))).data).toEqual({ tenantId: tenantB });
    t.app.events.publish('calls', t.tenantA, callEvent('started', record('in-a', t.tenantA)));
    t.app.events.publish('calls', tenantB, callEvent('started', record('in-b', tenantB)));
    await s.waitFor((m) => m.data?.call?.callId === 'in-b');
    expect(s.messages.some((m) => m.data?.call?.callId === 'in-a')).toBe(false);
    s.close();
  });
});

describe('the socket ends with the session', () => {
  it('closes with 4001 when the user logs out in another request', async () => {
    const u = await t.loginAs('supervisor');
    const s = await open(u);
    await s.waitFor(ofType('hello'));
    await t.request('POST', '/api/v1/auth/logout', { cookie: u.cookie });
    expect((await s.closed).code).toBe(4001);
  });

  it('closes with 4001 when an admin deactivates the user', async () => {
    const u = await t.loginAs('agent');
    const s = await open(u);
    await s.waitFor(ofType('hello'));
    const res = await t.request('PATCH', `/api/v1/users/${u.user.id}`, { cookie: adminA.cookie, body: { active: false } });
    expect(res.statusCode).toBe(200);
    expect((await s.closed).code).toBe(4001);
  });

  // Last: it moves the clock past every session's lifetime.
  it('beats every 20 s, and does not keep an idle session alive: it closes at the first beat after the session expired', async () => {
    const u = await t.loginAs('agent');
    const s = await open(u);
    await s.waitFor(ofType('hello'));
    let closedWith: number | undefined;
    void s.closed.then(({ code }) => (closedWith = code));
    let beats = 0;
    // Any 20 s contain exactly one beat. After each, a ping round trip proves the server has the
    // client's pong to the beat's ping (frames arrive in order), so the next beat keeps the socket.
    while (closedWith === undefined && beats < 10) {
      const last = s.messages.at(-1)!.seq;
      t.clock.advance(20_000);
      const next = await Promise.race([s.waitFor((m) => m.type === 'heartbeat' && m.seq > last), s.closed]);
      if ('code' in next) break;
      beats++;
      s.send({ type: 'ping' });
      await Promise.race([s.waitFor((m) => m.type === 'pong' && m.seq > next.seq), s.closed]);
    }
    expect((await s.closed).code).toBe(4001);
    // The session lives 60 s from the login: two or three beats fit in it, depending on the phase.
    expect(beats).toBeGreaterThanOrEqual(2);
    expect(beats).toBeLessThanOrEqual(3);
  });
});


// Last: it looks at what every socket of this file received.
describe('the message schema in the OpenAPI document', () => {
  it('describes every message the sockets received, of every type', () => {
    const seen = seenSockets.flatMap((sk) => sk.messages);
    const invalid = seen.filter((m) => !validateMessage(m));
    expect(invalid).toEqual([]);
    expect(new Set(seen.map((m) => m.type))).toEqual(
      new Set(['hello', 'subscribed', 'unsubscribed', 'pong', 'error', 'heartbeat', 'tenant.changed', 'system.readiness', 'call.started', 'call.answered', 'call.ended']),
    );
    // And it refuses what the server must never send.
    expect(validateMessage({ seq: 0, type: 'hello', at: 'now' })).toBe(false);
    expect(validateMessage({ seq: 1, type: 'call.started', at: new Date().toISOString(), topic: 'calls', data: { call: { callId: 1 } } })).toBe(false);
  });
});

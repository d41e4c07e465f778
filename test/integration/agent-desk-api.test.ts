/**
 * What the agent's desk reads and does on the server, in virtual time: a queue call an agent
 * answers opens the interaction it tabulates (contact, service, protocol), listed as its open
 * work; a transfer hands that interaction to the agent who answers next, keeping its start
 * (TTA) and releasing the first agent's held wrap-up; a service that requires a tabulation holds
 * the wrap-up until the agent tabulates; another tenant sees none of it. The agent's figures
 * of the day are what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/kernel/index.js';
import { agentKey, type InteractionHandle, type Offer } from '../../src/routing/index.js';
import { interaction } from '../helpers/acd-sim.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { openSocket } from '../helpers/socket.js';

let t: TestApp;
let admin: LoggedIn;
let ana: LoggedIn;
let bruno: LoggedIn;
let suporte: number;
let cobranca: number;
let coffee: number;
let maria: number;

type Res = { statusCode: number; body: string };
async function ok<T = Record<string, unknown>>(p: Promise<Res>, status = 200): Promise<T> {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  return JSON.parse(res.body) as T;
}
const req = (who: LoggedIn, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, query?: Record<string, string | number>) =>
  t.request(method, url, { cookie: who.cookie, ...(body === undefined ? {} : { body }), ...(query ? { query } : {}) });

async function agentUser(name: string, extension: string): Promise<LoggedIn> {
  const u = await t.loginAs('agent');
  await ok(t.request('PATCH', `/api/v1/users/${u.user.id}`, { cookie: admin.cookie, body: { name, extension, flags: { callCenter: true }, concurrency: { voice: 1 } } }));
  return u;
}

type OpenItem = { id: number; contactName: string | null; address: string | null; serviceName: string | null; protocol: string; startedAt: string; state: string; agentUserId: number | null; details: Record<string, unknown> };
const openOf = async (who: LoggedIn, query: Record<string, string> = {}) => (await ok<{ items: OpenItem[]; total: number }>(req(who, 'GET', '/api/v1/interactions', undefined, query))).items;

const offers: Offer[] = [];
const handle: InteractionHandle = { offer: (o) => offers.push(o), withdraw: () => undefined, leave: () => undefined };
const engine = () => t.modules.routing.service.engine;
const stateOf = async (who: LoggedIn) => (await ok<{ state: string }>(req(who, 'GET', '/api/v1/agent'))).state;

beforeAll(async () => {
  t = await createTestApp({ random: seededRandom(11), config: { routing: { closedDeskLogoutSeconds: 10 } } });
  admin = await t.loginAs('admin');
  ana = await agentUser('Ana', '3001');
  bruno = await agentUser('Bruno', '3002');
  suporte = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/queues', { name: 'Suporte', number: '730', strategy: 'linear', wrapUpSeconds: 30, members: [{ userId: ana.user.id }] }), 201)).id;
  cobranca = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/queues', { name: 'Cobrança', number: '731', strategy: 'linear', requireTabulation: true, members: [{ userId: bruno.user.id }, { userId: ana.user.id }] }), 201)).id;
  coffee = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/pause-types', { reason: 'Café', maxDurationMinutes: 10 }), 201)).id;
  maria = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/contacts', { name: 'Maria Cliente', phones: [{ number: '11987654321' }] }), 201)).id;
  for (const u of [ana, bruno]) {
    await ok(req(u, 'POST', '/api/v1/agent/login'));
    engine().setRegistered(agentKey({ kind: 'agent', userId: u.user.id }), true);
  }
});

afterAll(async () => {
  await t?.close();
});

const call = (id: string, queueId: number, over: { transferredFrom?: string; targetAgent?: string } = {}) =>
  engine().enqueue(
    interaction({ id, tenantId: t.tenantA, queueId, enteredAt: t.clock.now(), callId: 'call-of-maria', contact: { address: '5511987654321', name: 'Maria Cliente', contactId: maria }, ...over }),
    handle,
  );

describe('the agent’s open interactions', () => {
  let openedAt = 0;
  let interactionId = 0;

  it('an answered queue call opens the interaction the agent tabulates, with its contact, service and protocol', async () => {
    await ok(req(bruno, 'POST', '/api/v1/agent/pause', { pauseTypeId: coffee }));
    openedAt = t.clock.now();
    call('visit-1', suporte);
    expect(offers.at(-1)!.agent.name).toBe('Ana');
    t.clock.advance(5_000);
    engine().offerAnswered(offers.at(-1)!.id);
    const mine = await openOf(ana);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ contactName: 'Maria Cliente', address: '5511987654321', serviceName: 'Suporte', state: 'open', agentUserId: ana.user.id });
    expect(mine[0]!.protocol).toMatch(/^\d{14}$/);
    // Its TTA counts from when the call entered the queue, not from the answer.
    expect(Date.parse(mine[0]!.startedAt)).toBe(openedAt);
    interactionId = mine[0]!.id;
    // Searched by the contact's name, the service's name or the protocol; nothing else matches.
    for (const q of ['maria', 'Suporte', mine[0]!.protocol.slice(-6)]) expect((await openOf(ana, { q })).map((i) => i.id)).toEqual([interactionId]);
    expect(await openOf(ana, { q: 'Joaquim' })).toEqual([]);
    // Bruno has none of his own; an agent never lists another's (mine is implied).
    expect(await openOf(bruno)).toEqual([]);
  });

  it('a transfer hands it to the agent who answers next, keeping its start; the first agent’s held wrap-up ends', async () => {
    await ok(req(bruno, 'POST', '/api/v1/agent/unpause'));
    t.clock.advance(60_000);
    engine().ended('visit-1', { reason: 'transferred to queue Cobrança' });
    expect(await stateOf(ana)).toBe('wrap_up');
    call('visit-2', cobranca, { transferredFrom: 'visit-1' });
    expect(offers.at(-1)!.agent.name).toBe('Bruno');
    t.clock.advance(3_000);
    engine().offerAnswered(offers.at(-1)!.id);
    await Promise.resolve();
    expect(await openOf(ana)).toEqual([]);
    const bruno1 = await openOf(bruno);
    expect(bruno1.map((i) => [i.id, i.serviceName, Date.parse(i.startedAt)])).toEqual([[interactionId, 'Cobrança', openedAt]]);
    // Ana's wrap-up (30 s, not held: Suporte does not require a tabulation) runs out as usual.
    t.clock.advance(30_000);
    expect(await stateOf(ana)).toBe('available');
  });

  it('a service that requires a tabulation holds the wrap-up until the agent tabulates; Ready is refused meanwhile', async () => {
    const group = await ok<{ id: number }>(req(admin, 'POST', '/api/v1/tabulations/groups', { name: 'Geral' }), 201);
    const solved = await ok<{ id: number }>(req(admin, 'POST', '/api/v1/tabulations/statuses', { groupId: group.id, name: 'Resolvido', category: 'positive', kinds: ['inbound'] }), 201);
    t.clock.advance(20_000);
    engine().ended('visit-2', { reason: 'the customer hung up' });
    expect(await stateOf(bruno)).toBe('wrap_up');
    // Cobrança has no wrap-up time: only the tabulation ends it.
    t.clock.advance(600_000);
    expect(await stateOf(bruno)).toBe('wrap_up');
    const ready = await req(bruno, 'POST', '/api/v1/agent/ready');
    expect(ready.statusCode).toBe(409);
    expect(JSON.parse(ready.body).error.details.reason).toBe('untabulated');
    const noStatus = await req(bruno, 'POST', `/api/v1/interactions/${interactionId}/finish`, {});
    expect(noStatus.statusCode).toBe(400);
    expect(JSON.parse(noStatus.body).error.details.field).toBe('statusId');
    await ok(req(bruno, 'POST', `/api/v1/interactions/${interactionId}/finish`, { statusId: solved.id, note: 'resolvido' }));
    expect(await stateOf(bruno)).toBe('available');
    expect(await openOf(bruno)).toEqual([]);
  });

  it('another tenant neither lists nor reads it', async () => {
    const other = await t.loginAs('admin', { tenantId: t.createTenant('Outra Central') });
    expect(await openOf(other)).toEqual([]);
    expect((await req(other, 'GET', `/api/v1/interactions/${interactionId}`)).statusCode).toBe(404);
    expect((await req(other, 'POST', `/api/v1/interactions/${interactionId}/finish`, { pending: true })).statusCode).toBe(404);
  });
});

describe('the agent’s figures of the day', () => {
  it('counts the calls answered, the talk, the pauses by reason and the time logged in, as they happened', async () => {
    const before = await ok<{ answered: number; talkSeconds: number; loggedSeconds: number; pauses: { reason: string; seconds: number; count: number }[] }>(req(ana, 'GET', '/api/v1/agent/today'));
    // Ana answered visit-1 (5 s to answer, 60 s of talk).
    expect(before.answered).toBe(1);
    expect(before.talkSeconds).toBe(60);
    await ok(req(ana, 'POST', '/api/v1/agent/pause', { pauseTypeId: coffee }));
    t.clock.advance(120_000);
    await ok(req(ana, 'POST', '/api/v1/agent/unpause'));
    call('visit-3', suporte);
    const offer = offers.at(-1)!;
    expect(offer.agent.name).toBe('Ana');
    engine().offerAnswered(offer.id);
    t.clock.advance(45_000);
    engine().ended('visit-3', { reason: 'the customer hung up' });
    await ok(req(ana, 'POST', '/api/v1/agent/ready'));
    t.clock.advance(10_000);
    const today = await ok<{
      answered: number;
      made: number;
      talkSeconds: number;
      loggedSeconds: number;
      byState: Record<string, number>;
      pauses: { reason: string; seconds: number; count: number }[];
      services: { name: string; waiting: number; agentsAvailable: number; agentsLoggedIn: number }[];
    }>(req(ana, 'GET', '/api/v1/agent/today'));
    expect(today).toMatchObject({ answered: 2, made: 0, talkSeconds: 105 });
    expect(today.pauses).toEqual([{ reason: 'Café', seconds: 120, count: 1 }]);
    expect(today.loggedSeconds).toBe(before.loggedSeconds + 120 + 45 + 10);
    expect(today.byState.busy).toBeGreaterThanOrEqual(105);
    expect(today.services).toEqual([
      { queueId: suporte, name: 'Suporte', waiting: 0, longestWaitSeconds: null, agentsAvailable: 1, agentsLoggedIn: 1 },
      { queueId: cobranca, name: 'Cobrança', waiting: 0, longestWaitSeconds: null, agentsAvailable: 2, agentsLoggedIn: 2 },
    ].map(({ queueId, ...rest }) => expect.objectContaining({ queueId, ...rest })));
    // Bruno's day is his own: the calls he answered, never Ana's.
    expect((await ok<{ answered: number }>(req(bruno, 'GET', '/api/v1/agent/today'))).answered).toBe(1);
  });
});

describe('a closed desk', () => {
  it('logs the agent out of its queues once every tab has been gone for the grace period, recorded as desk_closed; a tab back in time keeps it in', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `${address.replace('http', 'ws')}/api/v1/events?topics=agents`;
    const tab = () => openSocket(url, { cookie: ana.cookie, origin: address }).then(async (s) => (await s.waitFor((m) => m.type === 'subscribed'), s));
    expect(await stateOf(ana)).toBe('available');
    const first = await tab();
    const second = await tab();
    // One of two tabs closes: the desk is still open.
    first.close();
    await expect.poll(() => t.app.events.connectionCount()).toBe(1);
    t.clock.advance(11_000);
    expect(await stateOf(ana)).toBe('available');
    // The last one closes, and a tab comes back within the grace period (a reload).
    second.close();
    await expect.poll(() => t.app.events.connectionCount()).toBe(0);
    t.clock.advance(5_000);
    const back = await tab();
    t.clock.advance(10_000);
    expect(await stateOf(ana)).toBe('available');
    // Gone for good: logged out when the grace period is over, not before.
    back.close();
    await expect.poll(() => t.app.events.connectionCount()).toBe(0);
    t.clock.advance(9_000);
    expect(await stateOf(ana)).toBe('available');
    t.clock.advance(1_000);
    expect(await stateOf(ana)).toBe('offline');
    const rows = t.deps.database.sqlite.prepare("SELECT kind, reason FROM agent_activity WHERE user_id = ? AND reason IS NOT NULL").all(ana.user.id);
    expect(rows).toEqual([{ kind: 'logout', reason: 'desk_closed' }]);
  });
});

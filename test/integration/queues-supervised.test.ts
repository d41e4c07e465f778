/**
 * The live queues as supervisors see them: each supervisor sees the queues its teams' agents are
 * members of — in the snapshot (`GET /api/v1/queues/live`), one queue's (403 otherwise) and the
 * `queues` topic's pushes — and an admin sees every queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { openSocket, type SocketMessage, type TestSocket } from '../helpers/socket.js';

let t: TestApp;
let admin: LoggedIn;
let sofia: LoggedIn;
let otavio: LoggedIn;
let ana: LoggedIn;
let carla: LoggedIn;
let sales: number;
let support: number;
let address: string;
const sockets: TestSocket[] = [];

const Q = '/api/v1/queues';

async function ok<T>(p: Promise<{ statusCode: number; body: string }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  return JSON.parse(res.body) as T;
}

const post = (who: LoggedIn, url: string, body?: unknown) => t.request('POST', url, { cookie: who.cookie, ...(body === undefined ? {} : { body }) });

async function agent(name: string, extension: string, teamId: number): Promise<LoggedIn> {
  const u = await t.loginAs('agent', { teamId });
  await ok(t.request('PATCH', `/api/v1/users/${u.user.id}`, { cookie: admin.cookie, body: { name, extension, flags: { callCenter: true }, concurrency: { voice: 1 } } }));
  return u;
}

const liveNames = async (who: LoggedIn) => (await ok<{ items: { name: string }[] }>(t.request('GET', `${Q}/live`, { cookie: who.cookie }))).items.map((q) => q.name).sort();

async function panel(who: LoggedIn): Promise<TestSocket> {
  const s = await openSocket(`${address.replace('http', 'ws')}/api/v1/events?topics=queues`, { cookie: who.cookie, origin: address });
  sockets.push(s);
  await s.waitFor((m) => m.type === 'subscribed');
  return s;
}

const queueOf = (m: SocketMessage) => (m.type === 'queue.changed' ? (m.data?.queue as { name: string }).name : null);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  sofia = await t.loginAs('supervisor');
  otavio = await t.loginAs('supervisor');
  const salesTeam = await ok<{ id: number }>(post(admin, '/api/v1/teams', { name: 'Vendas', supervisorIds: [sofia.user.id] }), 201);
  const supportTeam = await ok<{ id: number }>(post(admin, '/api/v1/teams', { name: 'Suporte', supervisorIds: [otavio.user.id] }), 201);
  ana = await agent('Ana', '2001', salesTeam.id);
  carla = await agent('Carla', '2003', supportTeam.id);
  sales = (await ok<{ id: number }>(post(admin, Q, { name: 'Vendas', number: '700', members: [{ userId: ana.user.id }] }), 201)).id;
  support = (await ok<{ id: number }>(post(admin, Q, { name: 'Suporte', number: '701', members: [{ userId: carla.user.id }] }), 201)).id;
  // Worked by a plain extension alone: no team's.
  await ok(post(admin, Q, { name: 'Recepção', number: '702', members: [{ extension: '3001' }] }), 201);
  address = await t.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

describe('live queues by supervised team', () => {
  it('the snapshot lists a supervisor the queues its teams work, an admin every queue', async () => {
    expect(await liveNames(sofia)).toEqual(['Vendas']);
    expect(await liveNames(otavio)).toEqual(['Suporte']);
    expect(await liveNames(admin)).toEqual(['Recepção', 'Suporte', 'Vendas']);
  });

  it('one queue now: another team’s queue is 403, its own and an admin’s are read', async () => {
    expect((await t.request('GET', `${Q}/${support}/live`, { cookie: sofia.cookie })).statusCode).toBe(403);
    expect((await ok<{ name: string }>(t.request('GET', `${Q}/${sales}/live`, { cookie: sofia.cookie }))).name).toBe('Vendas');
    expect((await ok<{ name: string }>(t.request('GET', `${Q}/${support}/live`, { cookie: admin.cookie }))).name).toBe('Suporte');
  });

  it('a queue’s changes are pushed to the supervisors of its members’ teams and to admins only', async () => {
    const [sofiaPanel, otavioPanel, adminPanel] = [await panel(sofia), await panel(otavio), await panel(admin)];
    const pushes = (s: TestSocket, queue: string) => s.messages.filter((m) => queueOf(m) === queue).length;
    // Queue pushes are gathered for a moment (a call moves several agents at once): each step
    // pushes its queues in the order they changed.
    const step = async (...changes: Promise<unknown>[]) => {
      for (const c of changes) await c;
      t.clock.advance(1000);
    };
    await step(ok(post(carla, '/api/v1/agent/login')), ok(post(ana, '/api/v1/agent/login'))); // Suporte, Vendas
    await step(ok(post(ana, '/api/v1/agent/logout')), ok(post(carla, '/api/v1/agent/logout'))); // Vendas, Suporte
    await step(ok(post(ana, '/api/v1/agent/login'))); // Vendas
    // One socket's messages come in order: once the last push it should get is in, any other
    // queue's push published before would be too.
    await adminPanel.waitFor(() => pushes(adminPanel, 'Vendas') === 3 && pushes(adminPanel, 'Suporte') === 2, 'both queues, to the admin');
    await otavioPanel.waitFor(() => pushes(otavioPanel, 'Suporte') === 2, 'Suporte, to its supervisor');
    await sofiaPanel.waitFor(() => pushes(sofiaPanel, 'Vendas') === 3, 'Vendas, to its supervisor');
    expect(pushes(sofiaPanel, 'Suporte')).toBe(0);
    expect(pushes(otavioPanel, 'Vendas')).toBe(0);
    expect(sofiaPanel.messages.filter((m) => m.type === 'queue.changed').every((m) => (m.data?.queue as { queueId: number }).queueId === sales)).toBe(true);
  });

  it('a supervisor sees a queue once one of its team’s agents joins it', async () => {
    await ok(t.request('PATCH', `${Q}/${support}`, { cookie: admin.cookie, body: { members: [{ userId: carla.user.id }, { userId: ana.user.id }] } }));
    expect(await liveNames(sofia)).toEqual(['Suporte', 'Vendas']);
    expect((await t.request('GET', `${Q}/${support}/live`, { cookie: sofia.cookie })).statusCode).toBe(200);
  });

  it('when a team stops working a queue, or the queue is deleted, the panels that showed it are told to read the queues again', async () => {
    t.clock.advance(1000); // the push of the member added above
    const [sofiaPanel, otavioPanel, adminPanel] = [await panel(sofia), await panel(otavio), await panel(admin)];
    const hidden = (s: TestSocket) => s.messages.filter((m) => m.type === 'queue.hidden').map((m) => m.data?.queueId);
    // Ana (Vendas' team) leaves Suporte: Sofia no longer sees it; Otávio still does.
    await ok(t.request('PATCH', `${Q}/${support}`, { cookie: admin.cookie, body: { members: [{ userId: carla.user.id }] } }));
    t.clock.advance(1000);
    await sofiaPanel.waitFor(() => hidden(sofiaPanel).length === 1, 'Suporte hidden from Sofia');
    expect(hidden(sofiaPanel)).toEqual([support]);
    expect(await liveNames(sofia)).toEqual(['Vendas']);
    await adminPanel.waitFor(() => hidden(adminPanel).length === 1, 'the admin reads again');
    await otavioPanel.waitFor(() => otavioPanel.messages.some((m) => queueOf(m) === 'Suporte'), 'Suporte still pushed to Otávio');
    expect(hidden(otavioPanel)).toEqual([]);
    // Vendas loses its last member, then is deleted: Sofia is told at the first, the admin at both;
    // Otávio never saw it.
    await ok(t.request('PATCH', `${Q}/${sales}`, { cookie: admin.cookie, body: { members: [] } }));
    t.clock.advance(1000);
    await sofiaPanel.waitFor(() => hidden(sofiaPanel).length === 2, 'Vendas hidden from Sofia');
    expect(hidden(sofiaPanel)).toEqual([support, sales]);
    expect(await liveNames(sofia)).toEqual([]);
    expect((await t.request('DELETE', `${Q}/${sales}`, { cookie: admin.cookie })).statusCode).toBe(204);
    t.clock.advance(1000);
    await adminPanel.waitFor(() => hidden(adminPanel).length === 3, 'the deleted queue hidden from the admin');
    expect(hidden(adminPanel)).toEqual([support, sales, sales]);
    expect(await liveNames(admin)).toEqual(['Recepção', 'Suporte']);
  });
});

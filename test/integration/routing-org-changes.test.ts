/**
 * The routing engine keeps copies of users and pause types; changes made through the API reach
 * it at once, not at the next restart: a pause type created while the daemon runs pauses agents
 * who miss their offers, an agent moved to another team takes its queues to that team's
 * supervisor's panel, and a deactivated agent leaves its queues.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKey, type InteractionHandle, type Offer } from '../../src/routing/index.js';
import { interaction } from '../helpers/acd-sim.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';

let t: TestApp;
let admin: LoggedIn;
let ana: LoggedIn;
let address: string;
const sockets: TestSocket[] = [];

type Res = { statusCode: number; body: string };
async function ok<T = Record<string, unknown>>(p: Promise<Res>, status = 200): Promise<T> {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  return JSON.parse(res.body) as T;
}
const req = (who: LoggedIn, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => t.request(method, url, { cookie: who.cookie, ...(body === undefined ? {} : { body }) });

const offers: Offer[] = [];
const handle: InteractionHandle = { offer: (o) => offers.push(o), withdraw: () => undefined, leave: () => undefined };
const engine = () => t.modules.routing.service.engine;
const call = (id: string, queueId: number) => engine().enqueue(interaction({ id, tenantId: t.tenantA, queueId, enteredAt: t.clock.now() }), handle);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  ana = await t.loginAs('agent');
  await ok(req(admin, 'PATCH', `/api/v1/users/${ana.user.id}`, { name: 'Ana', extension: '3001', flags: { callCenter: true }, concurrency: { voice: 1 } }));
  address = await t.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

describe('organisation changes reach the routing engine at once', () => {
  it('a pause type created while the daemon runs pauses the agent who misses the queue’s offers', async () => {
    const missed = await ok<{ id: number }>(req(admin, 'POST', '/api/v1/pause-types', { reason: 'Não atendeu' }), 201);
    const queue = await ok<{ id: number }>(
      req(admin, 'POST', '/api/v1/queues', { name: 'Suporte', number: '730', strategy: 'linear', ringSeconds: 10, autoPauseAfter: 1, autoPauseTypeId: missed.id, members: [{ userId: ana.user.id }] }),
      201,
    );
    await ok(req(ana, 'POST', '/api/v1/agent/login'));
    engine().setRegistered(agentKey({ kind: 'agent', userId: ana.user.id }), true);
    call('visit-1', queue.id);
    expect(offers.at(-1)!.agent.name).toBe('Ana');
    t.clock.advance(10_000);
    const state = await ok<{ state: string; pause: { reason: string; cause: string } | null }>(req(ana, 'GET', '/api/v1/agent'));
    expect(state.state).toBe('paused');
    expect(state.pause).toMatchObject({ reason: 'Não atendeu', cause: 'no_answer' });
    engine().ended('visit-1', { reason: 'the caller hung up' });
  });

  it('an agent moved to another team takes its queue to that team’s supervisor; deactivated, it leaves the queue', async () => {
    const sofia = await t.loginAs('supervisor');
    const otavio = await t.loginAs('supervisor');
    const azul = await ok<{ id: number }>(req(admin, 'POST', '/api/v1/teams', { name: 'Azul', supervisorIds: [sofia.user.id] }), 201);
    const verde = await ok<{ id: number }>(req(admin, 'POST', '/api/v1/teams', { name: 'Verde', supervisorIds: [otavio.user.id] }), 201);
    await ok(req(admin, 'PATCH', `/api/v1/users/${ana.user.id}`, { teamId: azul.id }));
    t.clock.advance(1000);
    const panel = async (who: LoggedIn) => {
      const s = await openSocket(`${address.replace('http', 'ws')}/api/v1/events?topics=queues`, { cookie: who.cookie, origin: address });
      sockets.push(s);
      await s.waitFor((m) => m.type === 'subscribed');
      return s;
    };
    const [sofiaPanel, otavioPanel] = [await panel(sofia), await panel(otavio)];
    const seen = (s: TestSocket, type: string) => s.messages.filter((m) => m.type === type).length;
    await ok(req(admin, 'PATCH', `/api/v1/users/${ana.user.id}`, { teamId: verde.id }));
    t.clock.advance(1000);
    await sofiaPanel.waitFor(() => seen(sofiaPanel, 'queue.hidden') === 1, 'Suporte hidden from Sofia');
    await otavioPanel.waitFor(() => seen(otavioPanel, 'queue.changed') === 1, 'Suporte pushed to Otávio');
    expect(seen(sofiaPanel, 'queue.changed')).toBe(0);
    // Deactivated: logged out and out of the queue at once; the queue's panel says so.
    await ok(req(admin, 'PATCH', `/api/v1/users/${ana.user.id}`, { active: false }));
    expect(engine().agentSnapshot(agentKey({ kind: 'agent', userId: ana.user.id }))).toBeUndefined();
    t.clock.advance(1000);
    await otavioPanel.waitFor(() => seen(otavioPanel, 'queue.changed') === 2 || seen(otavioPanel, 'queue.hidden') === 1, 'a push after the deactivation');
    const live = await ok<{ items: { name: string; agents: { loggedIn: number } }[] }>(req(admin, 'GET', '/api/v1/queues/live'));
    expect(live.items.find((q) => q.name === 'Suporte')?.agents.loggedIn).toBe(0);
  });
});

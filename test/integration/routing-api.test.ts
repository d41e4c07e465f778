/**
 * The routing API as its users meet it: an admin sets up queues and members, agents log in and
 * pause under the pause types' rules, supervisors act on the teams they supervise (audited),
 * panels get snapshots and live pushes, and reports recompute the metrics and export CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/kernel/index.js';
import { agentKey, type InteractionHandle, type Offer } from '../../src/routing/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { openSocket, type TestSocket } from '../helpers/socket.js';
import { interaction } from '../helpers/acd-sim.js';

let t: TestApp;
let admin: LoggedIn;
let adminB: LoggedIn;
let tenantB: number;
let teamSales: number;
let teamSupport: number;
let supervisor: LoggedIn;
let ana: LoggedIn;
let bruno: LoggedIn;
let carla: LoggedIn;
let coffee: number;
let lunch: number;
let disabled: number;
let queueId: number;

const Q = '/api/v1/queues';

async function post(who: LoggedIn, url: string, body?: unknown, query?: Record<string, string | number>) {
  return t.request('POST', url, { cookie: who.cookie, ...(body === undefined ? {} : { body }), ...(query ? { query } : {}) });
}

async function ok<T = Record<string, unknown>>(p: Promise<{ statusCode: number; body: string }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  return JSON.parse(res.body) as T;
}

async function fieldOf(p: Promise<{ statusCode: number; body: string }>) {
  const res = await p;
  const body = JSON.parse(res.body) as { error: { code: string; details?: { field?: string } } };
  return { status: res.statusCode, field: body.error.details?.field, code: body.error.code };
}

async function agentUser(name: string, extension: string, teamId: number): Promise<LoggedIn> {
  const u = await t.loginAs('agent', { teamId });
  await ok(t.request('PATCH', `/api/v1/users/${u.user.id}`, { cookie: admin.cookie, body: { name, extension, flags: { callCenter: true }, concurrency: { voice: 1 } } }));
  return u;
}

beforeAll(async () => {
  t = await createTestApp({ random: seededRandom(7) });
  admin = await t.loginAs('admin');
  tenantB = t.createTenant('Tenant B');
  adminB = await t.loginAs('admin', { tenantId: tenantB });
  supervisor = await t.loginAs('supervisor');
  teamSales = (await ok<{ id: number }>(post(admin, '/api/v1/teams', { name: 'Vendas', supervisorIds: [supervisor.user.id] }), 201)).id;
  teamSupport = (await ok<{ id: number }>(post(admin, '/api/v1/teams', { name: 'Suporte' }), 201)).id;
  ana = await agentUser('Ana', '2001', teamSales);
  bruno = await agentUser('Bruno', '2002', teamSales);
  carla = await agentUser('Carla', '2003', teamSupport);
  coffee = (await ok<{ id: number }>(post(admin, '/api/v1/pause-types', { reason: 'Café', maxDurationMinutes: 10, maxAgents: 1, overrunAllowed: false }), 201)).id;
  lunch = (await ok<{ id: number }>(post(admin, '/api/v1/pause-types', { reason: 'Almoço', maxDurationMinutes: 60, overrunAllowed: true }), 201)).id;
  disabled = (await ok<{ id: number }>(post(admin, '/api/v1/pause-types', { reason: 'Antigo', active: false }), 201)).id;
});

afterAll(async () => {
  await t?.close();
});

describe('queues on the resource mechanism', () => {
  it('creates a queue with agents and a plain extension, and shows them by name with their priority', async () => {
    const q = await ok<{ id: number; strategy: string; members: { name: string; priority: number; extension: string | null }[]; destination: { label: string } }>(
      post(admin, Q, {
        name: 'Vendas',
        number: '700',
        strategy: 'round_robin_memory',
        ringSeconds: 10,
        priorityRules: [{ afterSeconds: 30, maxPriority: 2 }],
        members: [
          { userId: ana.user.id, priority: 1 },
          { userId: bruno.user.id, priority: 2 },
          { extension: '3001', priority: 1 },
        ],
      }),
      201,
    );
    queueId = q.id;
    expect(q.strategy).toBe('round_robin_memory');
    expect(q.members.map((m) => [m.name, m.priority])).toEqual([
      ['Ana', 1],
      ['Bruno', 2],
      ['extension 3001', 1],
    ]);
    expect(q.destination.label).toBe('hang up (cause 16)');
    const live = await ok<{ name: string; waiting: unknown[] }>(t.request('GET', `${Q}/${queueId}/live`, { cookie: supervisor.cookie }));
    expect(live).toMatchObject({ name: 'Vendas', waiting: [] });
  });

  it('refuses bad settings naming the field, and keeps the queue as it was', async () => {
    const before = t.count('queues');
    const cases: [unknown, string][] = [
      [{ name: 'X', number: '701', strategy: 'lottery' }, 'strategy'],
      [{ name: 'X', number: '7a' }, 'number'],
      [{ name: 'X', number: '701', members: [{ userId: 999_999 }] }, 'members.0.userId'],
      [{ name: 'X', number: '701', members: [{ userId: ana.user.id }, { userId: ana.user.id }] }, 'members.1.userId'],
      [{ name: 'X', number: '701', members: [{ userId: ana.user.id, extension: '3001' }] }, 'members.0'],
      [{ name: 'X', number: '701', autoPauseAfter: 2 }, 'autoPauseTypeId'],
      [{ name: 'X', number: '701', destination: { kind: 'queue', id: 999_999 } }, 'destination.id'],
      [{ name: 'X', number: '701', ringSeconds: 1 }, 'ringSeconds'],
      [{ name: 'Vendas', number: '701' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const r = await fieldOf(post(admin, Q, body));
      expect({ status: r.status, field: r.field }, JSON.stringify(body)).toEqual({ status: r.status === 409 ? 409 : 400, field });
    }
    // A member of another tenant is unknown here.
    const other = await t.loginAs('agent', { tenantId: tenantB });
    expect((await fieldOf(post(admin, Q, { name: 'X', number: '701', members: [{ userId: other.user.id }] }))).field).toBe('members.0.userId');
    expect(t.count('queues')).toBe(before);
  });

  it('another tenant neither sees nor changes the queue (404)', async () => {
    expect((await t.request('GET', `${Q}/${queueId}`, { cookie: adminB.cookie })).statusCode).toBe(404);
    expect((await t.request('GET', `${Q}/${queueId}/live`, { cookie: adminB.cookie })).statusCode).toBe(404);
    expect((await t.request('PUT', `${Q}/${queueId}`, { cookie: adminB.cookie, body: { name: 'Roubada', number: '700' } })).statusCode).toBe(404);
    expect((await t.request('DELETE', `${Q}/${queueId}`, { cookie: adminB.cookie })).statusCode).toBe(404);
  });

  it('a queue names the contact book its callers are looked up in: another tenant’s book is refused naming contactBookId, and the book cannot be deleted while named', async () => {
    const book = await ok<{ id: number }>(post(admin, '/api/v1/crm/books', { name: 'Clientes da fila' }), 201);
    const bookB = await ok<{ id: number }>(post(adminB, '/api/v1/crm/books', { name: 'Outra empresa' }), 201);
    const before = await ok<{ contactBookId: number | null }>(t.request('GET', `${Q}/${queueId}`, { cookie: admin.cookie }));
    expect(before.contactBookId).toBeNull();
    const refused = await fieldOf(t.request('PATCH', `${Q}/${queueId}`, { cookie: admin.cookie, body: { contactBookId: bookB.id } }));
    expect(refused).toMatchObject({ status: 400, field: 'contactBookId' });
    const named = await ok<{ contactBookId: number | null }>(t.request('PATCH', `${Q}/${queueId}`, { cookie: admin.cookie, body: { contactBookId: book.id } }));
    expect(named.contactBookId).toBe(book.id);
    const inUse = await t.request('DELETE', `/api/v1/crm/books/${book.id}`, { cookie: admin.cookie });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.details.referrers).toEqual([{ entity: 'queue', id: queueId, name: 'Vendas' }]);
    await ok(t.request('PATCH', `${Q}/${queueId}`, { cookie: admin.cookie, body: { contactBookId: null } }));
    expect((await t.request('DELETE', `/api/v1/crm/books/${book.id}`, { cookie: admin.cookie })).statusCode).toBe(204);
  });

  it('a queue with members is not deleted: the answer says to remove them or deactivate it', async () => {
    const r = await fieldOf(t.request('DELETE', `${Q}/${queueId}`, { cookie: admin.cookie }));
    expect(r).toMatchObject({ status: 409, field: 'members' });
  });

  it('changes the services of several agents at once, all or nothing', async () => {
    const support = await ok<{ id: number }>(post(admin, Q, { name: 'Suporte', number: '710' }), 201);
    const bad = await fieldOf(t.request('PUT', '/api/v1/agents/services', { cookie: admin.cookie, body: { userIds: [ana.user.id, 999_999], add: [{ queueId: support.id }] } }));
    expect(bad).toMatchObject({ status: 400, field: 'userIds.1' });
    expect((await ok<{ services: unknown[] }>(t.request('GET', `/api/v1/agents/${ana.user.id}/settings`, { cookie: admin.cookie }))).services).toEqual([{ queueId, priority: 1 }]);

    const res = await ok<{ items: { userId: number; services: { queueId: number; priority: number }[] }[] }>(
      t.request('PUT', '/api/v1/agents/services', { cookie: admin.cookie, body: { userIds: [ana.user.id, carla.user.id], add: [{ queueId: support.id, priority: 3 }] } }),
    );
    expect(res.items).toEqual([
      { userId: ana.user.id, services: [{ queueId, priority: 1 }, { queueId: support.id, priority: 3 }] },
      { userId: carla.user.id, services: [{ queueId: support.id, priority: 3 }] },
    ]);
    const q = await ok<{ members: { name: string }[] }>(t.request('GET', `${Q}/${support.id}`, { cookie: admin.cookie }));
    expect(q.members.map((m) => m.name)).toEqual(['Ana', 'Carla']);
  });

  it('reads a page of agents’ settings in one request, in the order asked; an unknown or another tenant’s user is refused naming it', async () => {
    const page = await ok<{ items: { userId: number; services: unknown[] }[] }>(
      t.request('GET', `/api/v1/agents/settings?userId=${carla.user.id}&userId=${ana.user.id}`, { cookie: admin.cookie }),
    );
    expect(page.items.map((s) => s.userId)).toEqual([carla.user.id, ana.user.id]);
    const one = await ok<{ items: { userId: number }[] }>(t.request('GET', `/api/v1/agents/settings?userId=${ana.user.id}`, { cookie: admin.cookie }));
    expect(one.items.map((s) => s.userId)).toEqual([ana.user.id]);
    for (const s of page.items) expect(s).toEqual(await ok(t.request('GET', `/api/v1/agents/${s.userId}/settings`, { cookie: admin.cookie })));
    expect(await fieldOf(t.request('GET', `/api/v1/agents/settings?userId=${ana.user.id}&userId=${adminB.user.id}`, { cookie: admin.cookie }))).toMatchObject({ status: 400, field: 'userId.1' });
  });
});

describe('agents: log in, pause under the pause types’ rules', () => {
  let sock: TestSocket;
  let address: string;
  /**
   * A supervisor's panel socket. The hub drops a peer that missed a ping, and a jump of the
   * FakeClock leaves no time for pongs: a test that jumps opens a fresh socket just before the moment it watches.
   */
  const panel = async () => {
    sock?.close();
    sock = await openSocket(`${address.replace('http', 'ws')}/api/v1/events?topics=agents,queues`, { cookie: supervisor.cookie, origin: address });
    await sock.waitFor((m) => m.type === 'subscribed');
  };

  beforeAll(async () => {
    address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    await panel();
  });
  afterAll(() => sock?.close());

  it('an agent logs in, is shown available, and the change is pushed to supervisors', async () => {
    const me = await ok<{ state: string; queueIds: number[] }>(post(ana, '/api/v1/agent/login'));
    expect(me.state).toBe('available');
    expect(me.queueIds).toContain(queueId);
    const pushed = await sock.waitFor((m) => m.type === 'agent.changed' && (m.data?.agent as { name?: string }).name === 'Ana');
    expect((pushed.data!.agent as { state: string }).state).toBe('available');
    expect(pushed.topic).toBe('agents');
  });

  it('an agent reads where it may transfer a call: its tenant’s active queues the desk shows, and the other agents logged in', async () => {
    for (const [name, number, extra] of [
      ['Cobrança', '702', {}],
      ['Antiga', '703', { active: false }],
      ['Interna', '704', { showOnDesktop: false }],
    ] as const) {
      await ok(post(admin, Q, { name, number, strategy: 'linear', ...extra }), 201);
    }
    await ok(post(adminB, Q, { name: 'Vendas B', number: '700', strategy: 'linear' }), 201);
    // Agents do not read the queues' configuration: this is what they see of it.
    expect((await t.request('GET', Q, { cookie: ana.cookie })).statusCode).toBe(403);
    type Targets = { queues: { id: number; name: string; number: string }[]; agents: { userId: number; name: string; state: string }[] };
    const targets = () => ok<Targets>(t.request('GET', '/api/v1/agent/transfer-targets', { cookie: ana.cookie }));

    const before = await targets();
    expect(before.queues.map((q) => [q.name, q.number])).toEqual([
      ['Cobrança', '702'],
      ['Suporte', '710'],
      ['Vendas', '700'],
    ]);
    expect(before.queues.find((q) => q.name === 'Vendas')!.id).toBe(queueId);
    expect(before.agents).toEqual([]);

    await ok(post(bruno, '/api/v1/agent/login'));
    expect((await targets()).agents).toEqual([{ userId: bruno.user.id, name: 'Bruno', state: 'available' }]);
    const foreign = await t.loginAs('agent', { tenantId: tenantB });
    const theirs = await ok<Targets>(t.request('GET', '/api/v1/agent/transfer-targets', { cookie: foreign.cookie }));
    expect(theirs).toEqual({ queues: [expect.objectContaining({ name: 'Vendas B', number: '700' })], agents: [] });
    await ok(post(bruno, '/api/v1/agent/logout'));
    expect((await targets()).agents).toEqual([]);
  });

  it('an agent’s call controls: a call that is not theirs is 404, a transfer without its target or with a bad number is refused naming the field', async () => {
    const nobody = '00000000-0000-0000-0000-000000000000';
    for (const action of ['hold', 'mute']) {
      const res = await post(ana, `/api/v1/agent/calls/${nobody}/${action}`, { on: true });
      expect(res.statusCode, action).toBe(404);
    }
    expect((await t.request('GET', `/api/v1/agent/calls/${nobody}`, { cookie: ana.cookie })).statusCode).toBe(404);
    expect(await fieldOf(post(ana, `/api/v1/agent/calls/${nobody}/hold`, {}))).toMatchObject({ status: 400, field: 'on' });
    expect(await fieldOf(post(ana, `/api/v1/agent/calls/${nobody}/transfer`, { kind: 'external', number: '11 9999' }))).toMatchObject({ status: 400, field: 'number' });
    expect(await fieldOf(post(ana, `/api/v1/agent/calls/${nobody}/transfer`, { kind: 'room', queueId: 1 }))).toMatchObject({ status: 400, field: 'kind' });
    expect(await fieldOf(post(ana, '/api/v1/agent/calls/not%20an%20id/transfer', { kind: 'queue', queueId: 1 }))).toMatchObject({ status: 400, field: 'interactionId' });
  });

  it('a transfer or a consult names only its own kind’s target: a stray field is refused naming it; the consult’s controls on a call that is not theirs are 404', async () => {
    const nobody = '00000000-0000-0000-0000-000000000000';
    for (const action of ['transfer', 'consult']) {
      const at = `/api/v1/agent/calls/${nobody}/${action}`;
      expect(await fieldOf(post(ana, at, { kind: 'queue', queueId: 1, userId: 2 })), action).toMatchObject({ status: 400, field: 'userId' });
      expect(await fieldOf(post(ana, at, { kind: 'agent', userId: 2, number: '1133334444' })), action).toMatchObject({ status: 400, field: 'number' });
      expect(await fieldOf(post(ana, at, { kind: 'external', number: '1133334444', queueId: 1 })), action).toMatchObject({ status: 400, field: 'queueId' });
      expect(await fieldOf(post(ana, at, { kind: 'queue', queueId: 1, extra: true })), action).toMatchObject({ status: 400, field: 'extra' });
      expect((await post(ana, at, { kind: 'queue', queueId: 1 })).statusCode, action).toBe(404);
    }
    for (const path of ['consult/complete', 'consult/cancel', 'conference', 'conference/end']) {
      expect((await post(ana, `/api/v1/agent/calls/${nobody}/${path}`, undefined)).statusCode, path).toBe(404);
    }
  });

  it('pausing with an unknown, another tenant’s or a disabled reason is refused naming pauseTypeId', async () => {
    const otherTenants = (await ok<{ id: number }>(post(adminB, '/api/v1/pause-types', { reason: 'Café' }), 201)).id;
    for (const id of [999_999, otherTenants, disabled]) {
      expect(await fieldOf(post(ana, '/api/v1/agent/pause', { pauseTypeId: id }))).toMatchObject({ status: 400, field: 'pauseTypeId' });
    }
    expect((await ok<{ state: string }>(t.request('GET', '/api/v1/agent', { cookie: ana.cookie }))).state).toBe('available');
  });

  it('a pause with room for one agent refuses the second with the reason; the limit returns the first to available and tells it', async () => {
    await ok(post(bruno, '/api/v1/agent/login'));
    const paused = await ok<{ state: string; pause: { reason: string; maxSeconds: number } }>(post(ana, '/api/v1/agent/pause', { pauseTypeId: coffee }));
    expect(paused.state).toBe('paused');
    expect(paused.pause).toMatchObject({ reason: 'Café', maxSeconds: 600 });
    const second = await t.request('POST', '/api/v1/agent/pause', { cookie: bruno.cookie, body: { pauseTypeId: coffee } });
    expect(second.statusCode).toBe(409);
    expect(JSON.parse(second.body).error.details).toMatchObject({ field: 'pauseTypeId', reason: 'pause_full' });

    t.clock.advance(10 * 60_000 - 1000);
    await panel();
    t.clock.advance(1000);
    const notice = await sock.waitFor((m) => m.type === 'agent.notice' && m.data?.code === 'pause_limit_returned');
    expect((notice.data!.agent as { name: string; state: string })).toMatchObject({ name: 'Ana', state: 'available' });
    expect((await ok<{ state: string }>(t.request('GET', '/api/v1/agent', { cookie: ana.cookie }))).state).toBe('available');
  });

  it('a pause that may overrun stays, flagged for the panels', async () => {
    await ok(post(bruno, '/api/v1/agent/pause', { pauseTypeId: lunch }));
    t.clock.advance(60 * 60_000 - 1000);
    await panel();
    t.clock.advance(1000);
    await sock.waitFor((m) => m.type === 'agent.notice' && m.data?.code === 'pause_overrun');
    const b = await ok<{ state: string; pause: { overrun: boolean } }>(t.request('GET', `/api/v1/agents/${bruno.user.id}`, { cookie: supervisor.cookie }));
    expect(b).toMatchObject({ state: 'paused', pause: { overrun: true } });
    await ok(post(bruno, '/api/v1/agent/unpause'));
  });

  it('a supervisor acts on and is told about its teams’ agents (audited), not other teams’ (403, nothing pushed) nor other tenants’ (404)', async () => {
    const forced = await ok<{ state: string; pause: { cause: string } }>(post(supervisor, `/api/v1/agents/${bruno.user.id}/pause`, { pauseTypeId: lunch }));
    expect(forced).toMatchObject({ state: 'paused', pause: { cause: 'forced' } });
    const audit = await ok<{ items: { action: string; entity: string; entityId: number | string }[] }>(
      t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entity: 'agent' } }),
    );
    expect(audit.items.some((a) => a.action === 'supervisor_pause' && Number(a.entityId) === bruno.user.id)).toBe(true);
    await ok(post(supervisor, `/api/v1/agents/${bruno.user.id}/unpause`));

    // The supervisor's panel is not told about Carla (another team); an admin's is.
    const adminPanel = await openSocket(`${address.replace('http', 'ws')}/api/v1/events?topics=agents`, { cookie: admin.cookie, origin: address });
    await adminPanel.waitFor((m) => m.type === 'subscribed');
    await ok(post(carla, '/api/v1/agent/login'));
    await adminPanel.waitFor((m) => m.type === 'agent.changed' && (m.data?.agent as { name: string }).name === 'Carla');
    adminPanel.close();
    await ok(post(supervisor, `/api/v1/agents/${ana.user.id}/pause`, { pauseTypeId: lunch }));
    await sock.waitFor((m) => m.type === 'agent.changed' && (m.data?.agent as { name: string; state: string }).name === 'Ana' && (m.data?.agent as { state: string }).state === 'paused');
    expect(sock.messages.filter((m) => m.topic === 'agents').map((m) => (m.data?.agent as { name: string }).name)).not.toContain('Carla');
    await ok(post(supervisor, `/api/v1/agents/${ana.user.id}/unpause`));
    expect((await t.request('POST', `/api/v1/agents/${carla.user.id}/logout`, { cookie: supervisor.cookie })).statusCode).toBe(403);
    expect((await ok<{ state: string }>(t.request('GET', '/api/v1/agent', { cookie: carla.cookie }))).state).toBe('available');
    const agents = await ok<{ items: { name: string }[] }>(t.request('GET', '/api/v1/agents', { cookie: supervisor.cookie }));
    expect(agents.items.map((a) => a.name).sort()).toEqual(['Ana', 'Bruno']);

    const foreign = await t.loginAs('agent', { tenantId: tenantB });
    expect((await t.request('POST', `/api/v1/agents/${foreign.user.id}/logout`, { cookie: supervisor.cookie })).statusCode).toBe(404);
    expect((await t.request('POST', `/api/v1/agents/${ana.user.id}/logout`, { cookie: adminB.cookie })).statusCode).toBe(404);
  });

  it('supervision of a call over HTTP: the mode checked (400), other teams 403, other tenants 404, an agent with no call 409', async () => {
    expect(await fieldOf(post(supervisor, `/api/v1/agents/${ana.user.id}/monitor`, { mode: 'spy' }))).toMatchObject({ status: 400, field: expect.stringMatching(/^mode/) });
    expect(await fieldOf(post(supervisor, `/api/v1/agents/${ana.user.id}/monitor`, {}))).toMatchObject({ status: 400 });
    expect((await post(supervisor, `/api/v1/agents/${carla.user.id}/monitor`, { mode: 'listen' })).statusCode).toBe(403);
    expect((await post(supervisor, `/api/v1/agents/${carla.user.id}/take-over`)).statusCode).toBe(403);
    expect((await post(adminB, `/api/v1/agents/${ana.user.id}/monitor`, { mode: 'barge' })).statusCode).toBe(404);
    expect((await post(adminB, `/api/v1/agents/${ana.user.id}/take-over`)).statusCode).toBe(404);
    const noCall = await post(supervisor, `/api/v1/agents/${ana.user.id}/monitor`, { mode: 'whisper' });
    expect(noCall.statusCode).toBe(409);
    expect(JSON.parse(noCall.body)).toMatchObject({ error: { message: '"Ana" has no call in conversation', details: { reason: 'no_call' } } });
    expect((await post(ana, `/api/v1/agents/${bruno.user.id}/monitor`, { mode: 'listen' })).statusCode).toBe(403);

    // Stopping: only on its teams, in its tenant, and only a listen it is on.
    const stop = (who: LoggedIn, userId: number) => t.request('DELETE', `/api/v1/agents/${userId}/monitor`, { cookie: who.cookie });
    expect((await stop(supervisor, carla.user.id)).statusCode).toBe(403);
    expect((await stop(adminB, ana.user.id)).statusCode).toBe(404);
    expect((await stop(ana, bruno.user.id)).statusCode).toBe(403);
    const notOn = await stop(supervisor, ana.user.id);
    expect(notOn.statusCode).toBe(409);
    expect(JSON.parse(notOn.body)).toMatchObject({ error: { details: { reason: 'not_monitoring' } } });
  });

  it('working hours: logging in outside them is refused naming workingHours, and they log the agent out when they end', async () => {
    // 2026-01-05 is a Monday; the FakeClock is a little past 10:00 in São Paulo by now.
    await ok(t.request('PUT', `/api/v1/agents/${carla.user.id}/settings`, { cookie: admin.cookie, body: { skills: ['inglês'], workingHours: [{ days: [2], from: '08:00', to: '12:00' }] } }));
    await ok(post(carla, '/api/v1/agent/logout'));
    expect(await fieldOf(post(carla, '/api/v1/agent/login'))).toMatchObject({ status: 409, field: 'workingHours' });
    const bad = await fieldOf(t.request('PUT', `/api/v1/agents/${carla.user.id}/settings`, { cookie: admin.cookie, body: { skills: [], workingHours: [{ days: [1], from: '25:00', to: '12:00' }] } }));
    expect(bad.status).toBe(400);
    expect(bad.field).toMatch(/^workingHours\.0\.from/);

    await ok(t.request('PUT', `/api/v1/agents/${carla.user.id}/settings`, { cookie: admin.cookie, body: { skills: [], workingHours: [{ days: [1], from: '08:00', to: '11:00' }] } }));
    expect((await ok<{ state: string }>(post(carla, '/api/v1/agent/login'))).state).toBe('available');
    t.clock.advance(60 * 60_000);
    expect((await ok<{ state: string }>(t.request('GET', '/api/v1/agent', { cookie: carla.cookie }))).state).toBe('offline');
  });
});

describe('metrics and exports recomputed from what happened', () => {
  it('counts the answered call, the caller who hung up waiting and the call that rang unanswered, apart', async () => {
    const routing = t.modules.routing.service;
    const engine = routing.engine;
    const from = t.clock.now();
    // Ana and Bruno are logged in and available; their phones register.
    for (const u of [ana, bruno]) engine.setRegistered(agentKey({ kind: 'agent', userId: u.user.id }), true);
    await ok(post(supervisor, `/api/v1/agents/${bruno.user.id}/pause`, { pauseTypeId: lunch }));

    const offers: Offer[] = [];
    const handle: InteractionHandle = { offer: (o) => offers.push(o), withdraw: () => undefined, leave: () => undefined };
    const enqueue = (id: string) => engine.enqueue(interaction({ id, tenantId: t.tenantA, queueId, enteredAt: t.clock.now(), contact: { address: '11999990000', name: null, contactId: null } }), handle);

    // 1: Ana answers after 4 s and talks for 60 s.
    enqueue('call-1');
    expect(offers.at(-1)!.agent.name).toBe('Ana');
    t.clock.advance(4000);
    engine.offerAnswered(offers.at(-1)!.id);
    t.clock.advance(60_000);
    engine.ended('call-1');
    // 2: rings at Ana for the whole ring time, then the caller hangs up.
    enqueue('call-2');
    t.clock.advance(10_000);
    t.clock.advance(5_000);
    engine.abandoned('call-2');
    // 3: nobody is free; the caller hangs up after 2 s (a short abandon).
    await ok(post(ana, '/api/v1/agent/pause', { pauseTypeId: lunch }));
    enqueue('call-3');
    t.clock.advance(2_000);
    engine.abandoned('call-3');
    const to = t.clock.now() + 1000;

    const m = await ok<{ items: Record<string, unknown>[] }>(
      t.request('GET', `${Q}/metrics`, { cookie: supervisor.cookie, query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), queueId } }),
    );
    expect(m.items).toHaveLength(1);
    expect(m.items[0]).toMatchObject({
      offered: 3,
      answered: 1,
      abandoned: 2,
      shortAbandons: 1,
      offeredNotAnswered: 1,
      asaSeconds: 4,
      ahtSeconds: 60,
    });

    const csv = await t.request('GET', `${Q}/export/calls.csv`, { cookie: supervisor.cookie, query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), by: 'hour' } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('data;hora;fila;nome da fila;oferecidas;atendidas;abandonadas na fila;abandonos curtos;oferecidas e não atendidas;tempo máximo esgotado;transferidas;nível de serviço (%);TME (s);TMA (s);maior espera (s)');
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^2026-01-05;\d\d:00;700;Vendas;3;1;2;1;1;0;0;/)]);

    const activity = await t.request('GET', '/api/v1/agents/export/activity.csv', { cookie: supervisor.cookie, query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), userId: ana.user.id } });
    expect(activity.statusCode, activity.body).toBe(200);
    const rows = activity.body.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(';'));
    expect(rows.slice(0, 4).map((r) => r[2])).toEqual(['available', 'offered', 'busy', 'available']);
    expect(rows.map((r) => r[2])).toContain('offered');
    expect(rows.find((r) => r[2] === 'busy')![8]).toBe('60');
    expect(rows.at(-1)!.slice(2, 4)).toEqual(['paused', 'Almoço']);

    // The same figures as JSON, for the reports screens.
    const period = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const calls = await ok<{ items: Record<string, unknown>[] }>(t.request('GET', '/api/v1/reports/calls', { cookie: supervisor.cookie, query: { ...period, by: 'hour' } }));
    expect(calls.items).toEqual([expect.objectContaining({ date: '2026-01-05', hour: expect.stringMatching(/^\d\d:00$/), queueName: 'Vendas', offered: 3, answered: 1, abandoned: 2, shortAbandons: 1, offeredNotAnswered: 1, asaSeconds: 4, ahtSeconds: 60 })]);
    const states = await ok<{ items: { state: string; seconds: number; pauseReason: string | null }[] }>(t.request('GET', '/api/v1/reports/agent-activity', { cookie: supervisor.cookie, query: { ...period, userId: ana.user.id } }));
    expect(states.items.map((r) => r.state)).toEqual(rows.map((r) => r[2]));
    expect(states.items.find((r) => r.state === 'busy')!.seconds).toBe(60);
    expect((await t.request('GET', '/api/v1/reports/agent-activity', { cookie: (await t.loginAs('agent')).cookie, query: period })).statusCode).toBe(403);
  });

  it('refuses a period that ends before it begins, or spans more than a year, naming to', async () => {
    const now = new Date(t.clock.now()).toISOString();
    const twoYears = { from: new Date(t.clock.now() - 2 * 365 * 86_400_000).toISOString(), to: now };
    for (const path of [`${Q}/metrics`, '/api/v1/reports/calls', '/api/v1/reports/agent-activity', `${Q}/export/calls.csv`]) {
      expect(await fieldOf(t.request('GET', path, { cookie: supervisor.cookie, query: twoYears }))).toMatchObject({ status: 400, field: 'to' });
    }
    expect(await fieldOf(t.request('GET', `${Q}/metrics`, { cookie: supervisor.cookie, query: { from: now, to: now } }))).toMatchObject({ status: 400, field: 'to' });
    expect(await fieldOf(t.request('GET', `${Q}/export/calls.csv`, { cookie: supervisor.cookie, query: { from: now, to: 'yesterday' } }))).toMatchObject({ status: 400, field: 'to' });
  });

  it('refuses a filter naming a queue or a user the tenant does not have (another tenant’s too) as bad input naming it, not as a missing page', async () => {
    const period = { from: new Date(t.clock.now() - 86_400_000).toISOString(), to: new Date(t.clock.now()).toISOString() };
    const foreignQueue = (await ok<{ id: number }>(post(adminB, Q, { name: 'Outra', number: '790' }), 201)).id;
    for (const queueId of [999_999, foreignQueue]) {
      for (const path of [`${Q}/metrics`, '/api/v1/reports/calls', `${Q}/export/calls.csv`]) {
        expect(await fieldOf(t.request('GET', path, { cookie: supervisor.cookie, query: { ...period, queueId } })), `${path} ${queueId}`).toMatchObject({ status: 400, field: 'queueId' });
      }
    }
    for (const path of ['/api/v1/reports/agent-activity', '/api/v1/agents/export/activity.csv']) {
      expect(await fieldOf(t.request('GET', path, { cookie: supervisor.cookie, query: { ...period, userId: 999_999 } })), path).toMatchObject({ status: 400, field: 'userId' });
    }
    // An id in the path names the thing asked for: one that does not exist is still 404.
    expect((await t.request('GET', `${Q}/999999/live`, { cookie: admin.cookie })).statusCode).toBe(404);
  });
});

describe('a daemon restart with callers waiting', () => {
  it('reports them as lost in the metrics and the log, never leaves them open', async () => {
    const from = t.clock.now();
    const handle: InteractionHandle = { offer: () => undefined, withdraw: () => undefined, leave: () => undefined };
    // Nobody is free in the queue: the caller waits.
    t.modules.routing.service.engine.enqueue(interaction({ id: 'waiting-at-restart', tenantId: t.tenantA, queueId, enteredAt: t.clock.now() }), handle);
    t.clock.advance(5000);
    t = await t.restart();
    // A supervisor sees only its teams' queues: this new one supervises none, an admin sees all.
    const cookie = (await t.loginAs('admin')).cookie;
    const m = await ok<{ items: { lost: number; waiting: number; offered: number }[] }>(
      t.request('GET', `${Q}/metrics`, { cookie, query: { from: new Date(from).toISOString(), to: new Date(t.clock.now() + 1000).toISOString(), queueId } }),
    );
    expect(m.items[0]).toMatchObject({ lost: 1, waiting: 0 });
    const row = t.modules.routing.service.repo.interaction(t.tenantA, 'waiting-at-restart');
    expect(row).toMatchObject({ outcome: 'lost', handled: true, endReason: 'the daemon restarted' });
    expect((await ok<{ waiting: unknown[] }>(t.request('GET', `${Q}/${queueId}/live`, { cookie }))).waiting).toEqual([]);
  });
});

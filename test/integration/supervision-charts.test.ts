/**
 * The supervisor's charts of a queue's day: real calls over the emulator's sockets (answered,
 * and one whose caller hangs up while it rings) give the figures per local hour and by wait,
 * with the service level the metrics give; over HTTP, the day is cut in the configured time
 * zone, and a supervisor sees only the queues its teams work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../src/kernel/index.js';
import type { Actor } from '../../src/http/principal.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { agentKey, type InteractionHandle, type Offer, type RoutingService } from '../../src/routing/index.js';
import type { Modules } from '../../src/modules.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { interaction } from '../helpers/acd-sim.js';
import { createTestApp, TEST_PASSWORD, validCnpj, type LoggedIn, type TestApp } from '../helpers/app.js';
import { openRoutingWorld, startQueueTelephony, type QueueTelephony, type RoutingWorld } from '../helpers/queue-telephony.js';
import { until } from '../helpers/until.js';

/** The local hour of an instant, "HH:00", worked out apart from the product's code. */
const localHour = (at: number, timeZone: string) => `${new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at)}:00`;

describe('a queue’s day from real calls', () => {
  let world: RoutingWorld;
  let telephony: QueueTelephony;
  let emulator: Emulator;
  let modules: Modules;
  let routing: RoutingService;
  let tenantId: number;
  let otherTenantId: number;
  let ana: number;
  let queueId: number;
  let sofia: Actor;
  let otavio: Actor;
  let admin: Actor;
  let stranger: Actor;

  const actor = (userId: number, tenant: number, login: string, level: 'admin' | 'supervisor'): Actor => ({ userId, tenantId: tenant, activeTenantId: tenant, login, level, superUser: false, sessionId: 'test', permissions: [] });

  beforeAll(async () => {
    world = await openRoutingWorld('atende-sup-charts-', 11);
    ({ modules, routing } = world);
    const { org } = world;
    const ctx = { actor: SYSTEM_ACTOR };
    tenantId = org.createTenant(ctx, { legalName: 'Empresa', cnpj: validCnpj(81) }).id;
    otherTenantId = org.createTenant(ctx, { legalName: 'Outra', cnpj: validCnpj(82) }).id;
    const user = async (tenant: number, name: string, login: string, level: 'admin' | 'supervisor' | 'agent', extension: string | null, teamId: number | null = null) =>
      (await org.createUser(ctx, tenant, { name, login, password: 'senha-secreta', level, extension, teamId, flags: { callCenter: level === 'agent' }, concurrency: { voice: 1 }, passwordChangeRequired: false })).id;
    const sofiaId = await user(tenantId, 'Sofia', 'sofia', 'supervisor', null);
    const otavioId = await user(tenantId, 'Otávio', 'otavio', 'supervisor', null);
    const sales = org.createTeam(ctx, tenantId, { name: 'Vendas', supervisorIds: [sofiaId] });
    org.createTeam(ctx, tenantId, { name: 'Suporte', supervisorIds: [otavioId] });
    ana = await user(tenantId, 'Ana', 'ana', 'agent', '2001', sales.id);
    sofia = actor(sofiaId, tenantId, 'sofia', 'supervisor');
    otavio = actor(otavioId, tenantId, 'otavio', 'supervisor');
    admin = actor(await user(tenantId, 'Adm', 'adm', 'admin', null), tenantId, 'adm', 'admin');
    stranger = actor(await user(otherTenantId, 'Estranho', 'estranho', 'admin', null), otherTenantId, 'estranho', 'admin');
    // No short abandons: every caller who hangs up waiting counts toward the service level.
    queueId = routing.queues.create(ctx, tenantId, { name: 'Vendas', number: '700', strategy: 'linear', ringSeconds: 15, slaSeconds: 20, shortAbandonSeconds: 0, members: [{ userId: ana }] }).id;
    telephony = await startQueueTelephony({ dir: world.dir, phones: ['2001'], database: world.database, routing, tenantId, queueId: () => queueId });
    ({ emulator } = telephony);
    routing.login(tenantId, ana);
    await until('Ana’s phone registered through AMI', () => routing.agent(tenantId, ana).registered);
  });

  afterAll(async () => {
    await telephony?.close();
    await world?.close();
  });

  const stateOf = () => routing.agent(tenantId, ana).state;

  it('counts the answered call and the abandoned one in the hour they entered, by wait, with the metrics’ service level', async () => {
    // 1: Ana's phone answers; the customer hangs up after talking.
    const answered = await emulator.placeInboundCall({ did: '1133330000', from: '11987650001', via: { span: 1 } });
    await until('Ana talking', () => stateOf() === 'busy');
    await emulator.hangup(answered.channelId, 16);
    await until('Ana free again', () => stateOf() === 'available');
    // 2: Ana's phone rings unanswered; the customer gives up.
    emulator.setPhone('2001', { behaviour: 'no-answer' });
    const abandoned = await emulator.placeInboundCall({ did: '1133330000', from: '11987650002', via: { span: 1 } });
    await until('Ana ringing', () => stateOf() === 'offered');
    await emulator.hangup(abandoned.channelId, 16);
    await until('the call abandoned', () => stateOf() === 'available' && routing.queueLive(tenantId, queueId).waiting.length === 0);

    const day = modules.routing.queueDay.today(sofia, tenantId, queueId);
    expect(day).toMatchObject({ queueId, name: 'Vendas', timeZone: 'America/Sao_Paulo', offered: 2, answered: 1, abandoned: 1, slSeconds: 20 });
    // One answered within 20 s of two offered.
    expect(day.serviceLevel).toBe(50);
    const from = Date.parse(day.from);
    const [metrics] = routing.metrics(tenantId, from, Date.now() + 1000, { queueId });
    expect(day.serviceLevel).toBe(metrics!.serviceLevel);

    // Each call counts in the local hour it entered.
    const entered = routing.repo.interactionsBetween(tenantId, from, Date.now() + 1000, queueId).map((f) => localHour(f.enteredAt, 'America/Sao_Paulo'));
    expect(entered).toHaveLength(2);
    const hours = day.hours.filter((h) => h.offered > 0);
    expect(hours.map((h) => h.hour)).toEqual([...new Set(entered)]);
    expect(hours.reduce((n, h) => n + h.answered, 0)).toBe(1);
    expect(hours.reduce((n, h) => n + h.abandoned, 0)).toBe(1);
    expect(day.hours.at(-1)!.hour).toBe(localHour(Date.now(), 'America/Sao_Paulo'));
    expect(day.hours[0]!.hour).toBe('00:00');

    // Both waited a few seconds: the first bucket, apart by outcome.
    expect(day.waits[0]).toEqual({ overSeconds: 0, upToSeconds: 10, abandoned: 1, answered: 1 });
    expect(day.waits.slice(1).every((w) => w.abandoned === 0 && w.answered === 0)).toBe(true);
    emulator.setPhone('2001', { behaviour: 'answer' });
  });

  it('shows the queue to its team’s supervisor and to an admin, refuses another team’s supervisor (403) and another tenant (404)', () => {
    expect(modules.routing.queueDay.today(admin, tenantId, queueId).offered).toBe(2);
    expect(() => modules.routing.queueDay.today(otavio, tenantId, queueId)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => modules.routing.queueDay.today(stranger, otherTenantId, queueId)).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe('GET /api/v1/queues/:id/today', () => {
  let t: TestApp;
  let supervisor: LoggedIn;
  let otherSupervisor: LoggedIn;
  let ana: LoggedIn;
  let queueId: number;

  // 03:20 UTC is 08:50 in Kolkata (UTC+5:30), where this site's day is cut.
  const T0 = Date.parse('2026-01-05T03:20:00Z');

  beforeAll(async () => {
    t = await createTestApp({ clock: new FakeClock(T0), config: { timezone: 'Asia/Kolkata' }, random: seededRandom(5) });
    const admin = await t.loginAs('admin');
    supervisor = await t.loginAs('supervisor');
    otherSupervisor = await t.loginAs('supervisor');
    const post = async (url: string, body: unknown) => {
      const res = await t.request('POST', url, { cookie: admin.cookie, body });
      expect(res.statusCode, res.body).toBe(201);
      return JSON.parse(res.body) as { id: number };
    };
    const sales = (await post('/api/v1/teams', { name: 'Vendas', supervisorIds: [supervisor.user.id] })).id;
    await post('/api/v1/teams', { name: 'Suporte', supervisorIds: [otherSupervisor.user.id] });
    ana = await t.loginAs('agent', { teamId: sales });
    await t.request('PATCH', `/api/v1/users/${ana.user.id}`, { cookie: admin.cookie, body: { name: 'Ana', extension: '2001', flags: { callCenter: true }, concurrency: { voice: 1 } } });
    queueId = (await post('/api/v1/queues', { name: 'Vendas', number: '700', strategy: 'linear', ringSeconds: 10, members: [{ userId: ana.user.id }] })).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  const today = (who: LoggedIn, query: Record<string, string> = {}, id: number | string = queueId) => t.request('GET', `/api/v1/queues/${id}/today`, { cookie: who.cookie, query });

  it('cuts the day and its hours in the configured time zone', async () => {
    const engine = t.modules.routing.service.engine;
    expect((await t.request('POST', '/api/v1/agent/login', { cookie: ana.cookie })).statusCode).toBe(200);
    engine.setRegistered(agentKey({ kind: 'agent', userId: ana.user.id }), true);
    const offers: Offer[] = [];
    const handle: InteractionHandle = { offer: (o) => offers.push(o), withdraw: () => undefined, leave: () => undefined };
    const enqueue = (id: string) => engine.enqueue(interaction({ id, tenantId: t.tenantA, queueId, enteredAt: t.clock.now() }), handle);
    // 08:50 local: answered after 4 s.
    enqueue('call-1');
    t.clock.advance(4000);
    engine.offerAnswered(offers.at(-1)!.id);
    t.clock.advance(60_000);
    engine.ended('call-1');
    // 09:00:30 local: rings for 10 s, the caller hangs up after 15 s.
    t.clock.advance(Date.parse('2026-01-05T03:30:30Z') - t.clock.now());
    await t.request('POST', '/api/v1/agent/ready', { cookie: ana.cookie });
    enqueue('call-2');
    t.clock.advance(15_000);
    engine.abandoned('call-2');

    const res = await today(supervisor);
    expect(res.statusCode, res.body).toBe(200);
    const day = JSON.parse(res.body) as { date: string; from: string; timeZone: string; offered: number; serviceLevel: number; hours: { hour: string }[]; waits: { abandoned: number; answered: number }[] };
    // Local midnight of 5 January in Kolkata is 18:30 UTC the day before.
    expect(day).toMatchObject({ date: '2026-01-05', from: '2026-01-04T18:30:00.000Z', timeZone: 'Asia/Kolkata', offered: 2, serviceLevel: 50 });
    expect(day.hours).toHaveLength(10);
    expect(day.hours.slice(8)).toEqual([
      { hour: '08:00', offered: 1, answered: 1, abandoned: 0, serviceLevel: 100 },
      { hour: '09:00', offered: 1, answered: 0, abandoned: 1, serviceLevel: 0 },
    ]);
    expect(day.waits.map((w) => [w.abandoned, w.answered])).toEqual([
      [0, 1],
      [1, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('refuses another team’s supervisor (403), an agent (403), another tenant (404) and a bad id or parameter (400 naming it)', async () => {
    expect((await today(otherSupervisor)).statusCode).toBe(403);
    expect((await today(ana)).statusCode).toBe(403);
    const adminB = await t.loginAs('admin', { tenantId: t.createTenant('Tenant B') });
    expect((await today(adminB)).statusCode).toBe(404);
    const field = async (res: Promise<{ statusCode: number; body: string }>) => {
      const r = await res;
      return { status: r.statusCode, field: (JSON.parse(r.body) as { error: { details?: { field?: string } } }).error.details?.field };
    };
    expect(await field(today(supervisor, {}, 'abc'))).toEqual({ status: 400, field: 'id' });
    expect(await field(today(supervisor, { day: 'yesterday' }))).toMatchObject({ status: 400 });
    expect((await today(supervisor, {}, 999_999)).statusCode).toBe(404);
  });

  it('GET /api/v1/queues/today: every queue’s figures since local midnight in the configured zone, not UTC’s nor the browser’s; a supervisor’s queues only', async () => {
    // 20:00 UTC on 5 January is 01:30 on the 6th in Kolkata: the two calls above were yesterday.
    t.clock.advance(Date.parse('2026-01-05T20:00:00Z') - t.clock.now());
    t.modules.routing.service.engine.enqueue(interaction({ id: 'call-3', tenantId: t.tenantA, queueId, enteredAt: t.clock.now() }), { offer: () => undefined, withdraw: () => undefined, leave: () => undefined });
    t.clock.advance(5000);
    t.modules.routing.service.engine.abandoned('call-3');

    // The sessions of the day before have expired.
    const again = async (who: LoggedIn) => ({ cookie: await t.login(who.user.login, TEST_PASSWORD) });
    const read = async (who: LoggedIn) => {
      const res = await t.request('GET', '/api/v1/queues/today', { cookie: (await again(who)).cookie });
      expect(res.statusCode, res.body).toBe(200);
      return JSON.parse(res.body) as { date: string; from: string; timeZone: string; items: { queueId: number; offered: number; abandoned: number; answered: number }[] };
    };
    const day = await read(supervisor);
    expect(day).toMatchObject({ date: '2026-01-06', from: '2026-01-05T18:30:00.000Z', timeZone: 'Asia/Kolkata' });
    expect(day.items).toEqual([expect.objectContaining({ queueId, offered: 1, abandoned: 1, answered: 0 })]);
    // Another team's supervisor is told the day, with none of this queue's figures.
    expect((await read(otherSupervisor)).items).toEqual([]);
    expect((await t.request('GET', '/api/v1/queues/today', await again(ana))).statusCode).toBe(403);
  });
});

/**
 * The users report and the interaction map over what really happened, in virtual time: agents
 * log in, pause, answer a queue call, a chat and a dialer call, let one ring; they tabulate
 * through the CRM, one interaction is left open. The figures are checked against the timeline
 * worked out by hand, the filters narrow them, the CSV has the columns the screen's export
 * promises, and bad input is refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/kernel/index.js';
import { agentKey, type InteractionHandle, type Offer } from '../../src/routing/index.js';
import { interaction } from '../helpers/acd-sim.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;
let ana: LoggedIn;
let bruno: LoggedIn;
let carla: LoggedIn;
let vendas: number;
let suporte: number;
let teamVendas: number;
let sold: number;
let notInterested: number;
let period: { from: string; to: string };

type Res = { statusCode: number; body: string; headers: Record<string, unknown> };
async function ok<T = Record<string, unknown>>(p: Promise<Res>, status = 200): Promise<T> {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  return JSON.parse(res.body) as T;
}
const req = (who: LoggedIn, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, query?: Record<string, string | number>) =>
  t.request(method, url, { cookie: who.cookie, ...(body === undefined ? {} : { body }), ...(query ? { query } : {}) });
async function fieldOf(p: Promise<Res>) {
  const res = await p;
  return { status: res.statusCode, field: (JSON.parse(res.body) as { error: { details?: { field?: string } } }).error.details?.field };
}
const csvLines = (body: string) => body.replace(/^\uFEFF/, '').trim().split('\r\n');

async function agentUser(name: string, extension: string, teamId: number): Promise<LoggedIn> {
  const u = await t.loginAs('agent', { teamId });
  await ok(t.request('PATCH', `/api/v1/users/${u.user.id}`, { cookie: admin.cookie, body: { name, extension, flags: { callCenter: true, chat: true }, concurrency: { voice: 1, chat: 1 } } }));
  return u;
}

const offers: Offer[] = [];
const handle: InteractionHandle = { offer: (o) => offers.push(o), withdraw: () => undefined, leave: () => undefined };
const engine = () => t.modules.routing.service.engine;
const enqueue = (id: string, kind: 'voice_in' | 'voice_out' | 'chat') =>
  engine().enqueue(interaction({ id, kind, tenantId: t.tenantA, queueId: vendas, enteredAt: t.clock.now(), callId: kind === 'chat' ? null : `call-${id}`, contact: { address: '5511987654321', name: null, contactId: null } }), handle);
const secs = (n: number) => t.clock.advance(n * 1000);
/** Enqueued, rings `ring` s at the agent, who answers and talks `talk` s until the customer hangs up. */
function serve(id: string, kind: 'voice_in' | 'voice_out' | 'chat', ring: number, talk: number): void {
  enqueue(id, kind);
  secs(ring);
  engine().offerAnswered(offers.at(-1)!.id);
  secs(talk);
  engine().ended(id, { reason: 'the customer hung up' });
}

beforeAll(async () => {
  t = await createTestApp({ random: seededRandom(5) });
  admin = await t.loginAs('admin');
  teamVendas = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/teams', { name: 'Vendas' }), 201)).id;
  const teamSuporte = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/teams', { name: 'Suporte' }), 201)).id;
  ana = await agentUser('Ana', '2001', teamVendas);
  bruno = await agentUser('Bruno', '2002', teamVendas);
  carla = await agentUser('Carla', '2003', teamSuporte);
  vendas = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/queues', { name: 'Vendas', number: '700', strategy: 'linear', ringSeconds: 10, wrapUpSeconds: 30, members: [{ userId: ana.user.id }, { userId: bruno.user.id }] }), 201)).id;
  suporte = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/queues', { name: 'Suporte', number: '701', members: [{ userId: carla.user.id }] }), 201)).id;
  const coffee = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/pause-types', { reason: 'Café' }), 201)).id;
  const group = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/tabulations/groups', { name: 'Comercial' }), 201)).id;
  const kinds = ['inbound', 'chat', 'dialer', 'manual'];
  sold = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/tabulations/statuses', { groupId: group, name: 'Venda realizada', category: 'positive', kinds }), 201)).id;
  notInterested = (await ok<{ id: number }>(req(admin, 'POST', '/api/v1/tabulations/statuses', { groupId: group, name: 'Sem interesse', category: 'negative', kinds }), 201)).id;

  // The timeline (seconds from the logins), worked out by hand in the expectations below.
  const from = t.clock.now();
  for (const u of [ana, bruno, carla]) {
    await ok(req(u, 'POST', '/api/v1/agent/login'));
    engine().setRegistered(agentKey({ kind: 'agent', userId: u.user.id }), true);
  }
  await ok(req(bruno, 'POST', '/api/v1/agent/pause', { pauseTypeId: coffee }));
  const finishOwn = async (who: LoggedIn, statusId: number) => {
    const mine = (await ok<{ items: { id: number }[] }>(req(who, 'GET', '/api/v1/interactions'))).items;
    await ok(req(who, 'POST', `/api/v1/interactions/${mine[0]!.id}/finish`, { statusId }));
  };
  secs(20); // 0–20 Ana available
  serve('a', 'voice_in', 4, 60); // 20–24 ringing, 24–84 talking, 84–114 wrap-up
  secs(30);
  await finishOwn(ana, sold); // the CRM interaction: 20–114, 94 s
  serve('b', 'chat', 2, 40); // 114–116 ringing, 116–156 chatting, 156–186 wrap-up
  secs(30);
  await finishOwn(ana, notInterested); // 114–186, 72 s
  await ok(req(ana, 'POST', '/api/v1/agent/pause', { pauseTypeId: coffee })); // 186–306 paused
  secs(120);
  await ok(req(ana, 'POST', '/api/v1/agent/unpause'));
  enqueue('c', 'voice_in'); // 306–311 rings, the caller gives up
  secs(5);
  engine().abandoned('c');
  serve('d', 'voice_out', 1, 20); // 311–312 ringing, 312–332 talking; Ready at once; its interaction left open
  await ok(req(ana, 'POST', '/api/v1/agent/ready'));
  // Bruno registers a manual call and tabulates it 30 s later (332–362); Ana is available meanwhile.
  const manual = await ok<{ id: number }>(req(bruno, 'POST', '/api/v1/interactions', { kind: 'manual', channel: 'voice', address: '11999990000' }), 201);
  secs(30);
  await ok(req(bruno, 'POST', `/api/v1/interactions/${manual.id}/finish`, { statusId: sold }));
  period = { from: new Date(from).toISOString(), to: new Date(t.clock.now() + 60_000).toISOString() };
});

afterAll(async () => {
  await t?.close();
});

type UserLine = Record<string, unknown> & { name: string };

describe('the users report', () => {
  it('gives each agent its time per state and pause, its talk per channel, inbound and outbound, offers and mean handle time', async () => {
    const r = await ok<{ items: UserLine[] }>(req(admin, 'GET', '/api/v1/reports/users', undefined, period));
    expect(r.items.map((l) => l.name)).toEqual(['Ana', 'Bruno', 'Carla']);
    expect(r.items[0]).toEqual({
      userId: ana.user.id,
      name: 'Ana',
      team: 'Vendas',
      loggedSeconds: 362,
      availableSeconds: 20 + 30,
      ringingSeconds: 4 + 2 + 5 + 1,
      busySeconds: 60 + 40 + 20,
      wrapUpSeconds: 30 + 30,
      pausedSeconds: 120,
      pauses: [{ reason: 'Café', seconds: 120, count: 1 }],
      channels: [
        { channel: 'voice', attendances: 2, talkSeconds: 80 },
        { channel: 'chat', attendances: 1, talkSeconds: 40 },
        { channel: 'email', attendances: 0, talkSeconds: 0 },
      ],
      holdSeconds: 0,
      inbound: 2,
      outbound: 1,
      answered: 3,
      offers: 4,
      notAnswered: 1,
      // (60 + 30) + (40 + 30) + 20 over three.
      ahtSeconds: 60,
    });
    expect(r.items[1]).toMatchObject({ name: 'Bruno', loggedSeconds: 362, pausedSeconds: 362, pauses: [{ reason: 'Café', seconds: 362, count: 1 }], answered: 0, ahtSeconds: null });
    expect(r.items[2]).toMatchObject({ name: 'Carla', team: 'Suporte', loggedSeconds: 362, availableSeconds: 362, offers: 0 });
  });

  it('narrows to a team, a queue (its members and who answered it) or an agent', async () => {
    const names = async (q: Record<string, string | number>) => (await ok<{ items: UserLine[] }>(req(admin, 'GET', '/api/v1/reports/users', undefined, { ...period, ...q }))).items.map((l) => l.name);
    expect(await names({ teamId: teamVendas })).toEqual(['Ana', 'Bruno']);
    expect(await names({ queueId: suporte })).toEqual(['Carla']);
    expect(await names({ userId: carla.user.id })).toEqual(['Carla']);
    const ofVendas = await ok<{ items: UserLine[] }>(req(admin, 'GET', '/api/v1/reports/users', undefined, { ...period, queueId: vendas }));
    expect(ofVendas.items.map((l) => [l.name, l.answered, l.offers])).toEqual([
      ['Ana', 3, 4],
      ['Bruno', 0, 0],
    ]);
  });

  it('exports one line per agent with the columns of the screen, a pause reason per column', async () => {
    const res = await req(admin, 'GET', '/api/v1/reports/users.csv', undefined, period);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="usuarios-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csvLines(res.body);
    expect(lines[0]).toBe(
      'agente;equipe;tempo logado (s);tempo disponível (s);tempo tocando (s);tempo em atendimento (s);tempo em pós-atendimento (s);tempo em pausa (s);pausa Café (s);' +
        'tempo em ligação (voz) (s);tempo em chat (s);tempo em e-mail (s);atendimentos voz;atendimentos chat;atendimentos e-mail;tempo em espera (s);atendimentos inbound;atendimentos outbound;atendidas;oferecidas;não atendidas;TMA (s)',
    );
    expect(lines.slice(1)).toEqual(['Ana;Vendas;362;50;12;120;60;120;120;80;40;0;2;1;0;0;2;1;3;4;1;60', 'Bruno;Vendas;362;0;0;0;0;362;362;0;0;0;0;0;0;0;0;0;0;0;0;', 'Carla;Suporte;362;362;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;']);
  });

  it('refuses bad dates, a period over a year and unknown filters naming the field; an agent may not read it; another tenant sees none of it', async () => {
    for (const path of ['/api/v1/reports/users', '/api/v1/reports/users.csv']) {
      expect(await fieldOf(req(admin, 'GET', path, undefined, { ...period, from: 'ontem' }))).toEqual({ status: 400, field: 'from' });
      expect(await fieldOf(req(admin, 'GET', path, undefined, { from: period.to, to: period.from }))).toEqual({ status: 400, field: 'to' });
      expect(await fieldOf(req(admin, 'GET', path, undefined, { from: '2024-01-01T00:00:00Z', to: period.to }))).toEqual({ status: 400, field: 'to' });
      expect(await fieldOf(req(admin, 'GET', path, undefined, { ...period, queueId: 999_999 }))).toEqual({ status: 400, field: 'queueId' });
      expect(await fieldOf(req(admin, 'GET', path, undefined, { ...period, teamId: 999_999 }))).toEqual({ status: 400, field: 'teamId' });
    }
    expect((await req(ana, 'GET', '/api/v1/reports/users', undefined, period)).statusCode).toBe(403);
    const other = await t.loginAs('admin', { tenantId: t.createTenant('Outra Central') });
    expect(await fieldOf(req(other, 'GET', '/api/v1/reports/users', undefined, { ...period, userId: ana.user.id }))).toEqual({ status: 400, field: 'userId' });
    expect(await fieldOf(req(other, 'GET', '/api/v1/reports/users', undefined, { ...period, queueId: vendas }))).toEqual({ status: 400, field: 'queueId' });
    expect((await ok<{ items: unknown[] }>(req(other, 'GET', '/api/v1/reports/users', undefined, period))).items).toEqual([]);
  });
});

describe('the interaction map', () => {
  type Map = { total: number; lines: Record<string, unknown>[]; groups: Record<string, unknown>[] };
  const map = (q: Record<string, string | number> = {}) => ok<Map>(req(admin, 'GET', '/api/v1/reports/interaction-map', undefined, { ...period, ...q }));

  it('counts the interactions per status of each group with share and times; the one left open is its own line', async () => {
    const m = await map();
    expect(m.total).toBe(4);
    expect(m.lines).toEqual([
      { group: 'Comercial', status: 'Sem interesse', statusId: notInterested, count: 1, share: 25, timed: 1, totalSeconds: 72, averageSeconds: 72 },
      // Ana's call (94 s) and Bruno's manual call (30 s).
      { group: 'Comercial', status: 'Venda realizada', statusId: sold, count: 2, share: 50, timed: 2, totalSeconds: 124, averageSeconds: 62 },
      { group: null, status: null, statusId: null, count: 1, share: 25, timed: 0, totalSeconds: 0, averageSeconds: null },
    ]);
    expect(m.groups).toEqual([
      { group: 'Comercial', count: 3, share: 75, timed: 3, totalSeconds: 196, averageSeconds: 65.3 },
      { group: null, count: 1, share: 25, timed: 0, totalSeconds: 0, averageSeconds: null },
    ]);
  });

  it('narrows to a queue, a channel or an agent', async () => {
    const lines = async (q: Record<string, string | number>) => (await map(q)).lines.map((l) => [l.status, l.count, l.share]);
    expect(await lines({ queueId: vendas })).toEqual([
      ['Sem interesse', 1, 33.3],
      ['Venda realizada', 1, 33.3],
      [null, 1, 33.3],
    ]);
    expect(await lines({ channel: 'webchat' })).toEqual([['Sem interesse', 1, 100]]);
    expect(await lines({ userId: bruno.user.id })).toEqual([['Venda realizada', 1, 100]]);
    expect(await lines({ queueId: suporte })).toEqual([]);
  });

  it('exports one line per status with its group, the untabulated named', async () => {
    const res = await req(admin, 'GET', '/api/v1/reports/interaction-map.csv', undefined, period);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(csvLines(res.body)).toEqual([
      'grupo de status;status;quantidade;percentual (%);tempo total (s);tempo médio (s)',
      'Comercial;Sem interesse;1;25;72;72',
      'Comercial;Venda realizada;2;50;124;62',
      ';Sem tabulação;1;25;0;',
    ]);
  });

  it('refuses bad dates, an unknown channel, queue or agent naming the field', async () => {
    for (const path of ['/api/v1/reports/interaction-map', '/api/v1/reports/interaction-map.csv']) {
      expect(await fieldOf(req(admin, 'GET', path, undefined, { ...period, to: 'amanhã' }))).toEqual({ status: 400, field: 'to' });
      expect(await fieldOf(req(admin, 'GET', path, undefined, { ...period, channel: 'fax' }))).toMatchObject({ status: 400, field: 'channel' });
      expect(await fieldOf(req(admin, 'GET', path, undefined, { ...period, queueId: 999_999 }))).toEqual({ status: 400, field: 'queueId' });
      expect(await fieldOf(req(admin, 'GET', path, undefined, { ...period, userId: 999_999 }))).toEqual({ status: 400, field: 'userId' });
    }
  });
});

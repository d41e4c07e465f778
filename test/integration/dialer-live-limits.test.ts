/**
 * The live dialer's automatic limits over real sockets: a campaign's lines are what its
 * route's trunks carry (SIP trunks' channel limits, E1 groups' bearer channels), congestion on
 * the route's first trunk sends the call out on the next one, the calling window is followed
 * live (nothing dialled outside it, the campaign saying why), and a campaign stops by itself at
 * its stop time. The dialer's ticks and the calendar run on the app's FakeClock.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialerAttempts } from '../../src/db/schema/index.js';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { dialerAgent } from '../helpers/dialer-agent.js';
import type { TestApp } from '../helpers/app.js';
import { telephonyWorld, type TelephonyWorld } from '../helpers/telephony-world.js';
import { until } from '../helpers/until.js';

let world: TelephonyWorld;
let emulator: Emulator;
let t: TestApp;
let ami: AmiClient;
let agentId: number;
let queueId: number;
let strategyId: number;
const routes: Record<string, number> = {};

const api: TelephonyWorld['api'] = (method, path, body) => world.api(method, path, body);
const attempts = () => t.deps.database.db.select().from(dialerAttempts).all();
const legsOn = (trunk: string) => emulator.channels().filter((c) => c.name.startsWith(`PJSIP/${trunk}-`));
const tick = () => world.tick();
const tickUntil: TelephonyWorld['tickUntil'] = (what, probe) => world.tickUntil(what, probe);

let serial = 0;
/** A campaign on `route` dialling `numbers` (one contact each), not started. */
async function campaign(route: string, numbers: string[], extra: Record<string, unknown> = {}) {
  const n = ++serial;
  const tag = await api('POST', 'tabulations/tags', { title: `Lote ${n}`, colour: '#0000aa', kinds: ['dialer'] });
  for (const [i, number] of numbers.entries()) await api('POST', 'contacts', { name: `Cliente ${n}.${i}`, phones: [{ number }], tagIds: [tag.id] });
  const list = await api('POST', 'dialer/lists', { name: `Lote ${n}` });
  await api('POST', `dialer/lists/${list.id}/fill`, { filter: { tagId: tag.id } });
  return api('POST', 'dialer/campaigns', {
    name: `Campanha ${n}`,
    mode: 'progressive',
    strategyId,
    queueId,
    outboundRouteId: routes[route],
    ringTimeoutSeconds: 20,
    abandonTargetPercent: 2,
    listIds: [list.id],
    ...extra,
  });
}

beforeAll(async () => {
  world = await telephonyWorld('atende-dialer-limits-', { ringSeconds: 3, outboundRingSeconds: 20 });
  ({ emulator, t } = world);
  // 10:00 in São Paulo on a Monday: inside the legal calling hours.
  t.clock.advance(60 * 60_000);
  await api('PATCH', `tenants/${t.tenantA}`, { ddd: '11' });
  await api('POST', 'telephony/spans', { span: 1, signalling: 'pri_cpe', group: 1 });
  const principal = await api('POST', 'telephony/trunks', { name: 'principal', host: '203.0.113.10', maxChannels: 2 });
  const reserva = await api('POST', 'telephony/trunks', { name: 'reserva', host: '203.0.113.20', maxChannels: 3 });
  const livre = await api('POST', 'telephony/trunks', { name: 'livre', host: '203.0.113.30' });
  const phone = await api('POST', 'telephony/extensions', { number: '1001', displayName: 'Ana' });
  const route = async (name: string, trunks: unknown[]) => (routes[name] = (await api('POST', 'telephony/outbound-routes', { name, rules: [{ pattern: '_X.' }], trunks })).id);
  await route('Failover', [{ trunkId: principal.id }, { trunkId: reserva.id }]);
  await route('Mista', [{ trunkId: principal.id }, { e1Group: 1 }]);
  await route('Sem limite', [{ trunkId: livre.id }]);
  expect((await api('POST', 'telephony/apply', {})).ok).toBe(true);

  ({ agentId, queueId, ami } = await dialerAgent(world, { name: 'Vendas', phoneSecret: phone.secret }));
  strategyId = (await api('POST', 'dialer/strategies', { name: 'Uma vez', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1 })).id;
});

afterAll(async () => {
  await ami?.stop();
  await world?.close();
});

it('holds no more lines than the route’s trunks carry: SIP channel limits plus the E1 group’s bearer channels', async () => {
  const paused = { stopWhenExhausted: false };
  const mixed = await campaign('Mista', ['11987651100'], paused);
  const failover = await campaign('Failover', ['11987651101'], paused);
  const unlimited = await campaign('Sem limite', ['11987651102'], paused);
  for (const c of [mixed, failover, unlimited]) {
    await api('POST', `dialer/campaigns/${c.id}/start`);
    await api('POST', `dialer/campaigns/${c.id}/pause`);
  }
  await tickUntil('the campaigns open', () => [mixed, failover, unlimited].every((c) => world.dialer.view(c.id)));
  // 2 channels on the SIP trunk + 30 B-channels of span 1 (group 1); 2 + 3 on the failover pair.
  expect(world.dialer.view(mixed.id)!.settings.maxLines).toBe(32);
  expect(world.dialer.view(failover.id)!.settings.maxLines).toBe(5);
  // A trunk without a limit leaves only the per-agent cap of the pacing.
  expect(world.dialer.view(unlimited.id)!.settings.maxLines).toBeGreaterThanOrEqual(1000);

  // Raising a trunk's limit reaches the running campaign on the next tick.
  const principal = (await api('GET', 'telephony/trunks?limit=10&offset=0')).items.find((x: { name: string }) => x.name === 'principal');
  await api('PATCH', `telephony/trunks/${principal.id}`, { maxChannels: 4 });
  tick();
  expect(world.dialer.view(failover.id)!.settings.maxLines).toBe(7);
  expect(world.dialer.view(failover.id)!.linesFree).toBe(7);
  for (const c of [mixed, failover, unlimited]) await api('POST', `dialer/campaigns/${c.id}/stop`);
});

it('sends the call out on the route’s next trunk when the first answers with congestion, and records one attempt', async () => {
  emulator.setTrunk('principal', { congested: true });
  const c = await campaign('Failover', ['11987651110']);
  await api('POST', `dialer/campaigns/${c.id}/start`);
  const customer = await tickUntil('the call answered on the second trunk', () => legsOn('reserva').find((x) => x.state === 'Up'));
  // The first trunk refused it with 34 (503, all circuits busy); nobody was dialled twice.
  expect(emulator.endedChannels().filter((e) => e.name.startsWith('PJSIP/principal-')).map((e) => e.cause)).toEqual([34]);
  await talking(customer.id);
  await emulator.hangup(customer.id);
  const attempt = await until('the attempt recorded', () => attempts().find((a) => a.campaignId === c.id));
  expect(attempt).toMatchObject({ phone: '5511987651110', outcome: 'connected', agentUserId: agentId });
  expect(attempts().filter((a) => a.campaignId === c.id)).toHaveLength(1);
  emulator.setTrunk('principal', { congested: false });
  await tickUntil('the campaign finished', async () => (await api('GET', `dialer/campaigns/${c.id}`)).state === 'finished');
});

it('records the failure when every trunk of the route is congested', async () => {
  emulator.setTrunk('principal', { congested: true });
  emulator.setTrunk('reserva', { congested: true });
  const mark = emulator.endedChannels().length;
  const c = await campaign('Failover', ['11987651120']);
  await api('POST', `dialer/campaigns/${c.id}/start`);
  const attempt = await tickUntil('the attempt recorded', () => attempts().find((a) => a.campaignId === c.id));
  emulator.setTrunk('principal', { congested: false });
  emulator.setTrunk('reserva', { congested: false });
  expect(attempt).toMatchObject({ phone: '5511987651120', outcome: 'failed', cause: 34, answeredAt: null });
  expect(emulator.endedChannels().slice(mark).map((e) => [e.name.split('-')[0], e.cause])).toEqual([
    ['PJSIP/principal', 34],
    ['PJSIP/reserva', 34],
  ]);
});

it('holds back while the PBX refuses its dials, counts no attempt against the contact and says why; dials again once the PBX takes them', async () => {
  // A trunk Asterisk does not have yet (not applied): chan_pjsip cannot allocate the channel.
  const fantasma = await api('POST', 'telephony/trunks', { name: 'fantasma', host: '203.0.113.40' });
  routes['Fantasma'] = (await api('POST', 'telephony/outbound-routes', { name: 'Fantasma', rules: [{ pattern: '_551198765114X' }], trunks: [{ trunkId: fantasma.id }] })).id;
  const c = await campaign('Fantasma', ['11987651140']);
  const tries = () => world.originates.filter((o) => o.endpoint.endsWith('@fantasma')).length;
  await api('POST', `dialer/campaigns/${c.id}/start`);
  await tickUntil('the campaign says the PBX refuses its dials', async () => (await api('GET', `dialer/campaigns/${c.id}`)).stateReason === 'pbx_refused');
  // Twenty seconds: holds of 1, 2, 4 and 8 s between single tries, not a dial a second.
  for (let i = 0; i < 20; i++) {
    tick();
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(tries()).toBeGreaterThanOrEqual(3);
  expect(tries()).toBeLessThanOrEqual(6);
  expect(attempts().filter((a) => a.campaignId === c.id)).toEqual([]);
  const listId = (await api('GET', `dialer/campaigns/${c.id}`)).listIds[0];
  expect((await api('GET', `dialer/lists/${listId}/members`)).items).toEqual([expect.objectContaining({ attempts: 0, finished: false })]);
  expect((await api('GET', `dialer/campaigns/${c.id}/monitor`)).stateReason).toBe('pbx_refused');

  // Applied: the next try goes through, the campaign no longer says it waits, and the call is made.
  expect((await api('POST', 'telephony/apply', {})).ok).toBe(true);
  const customer = await tickUntil('the contact answered on the applied trunk', () => legsOn('fantasma').find((x) => x.state === 'Up'));
  expect((await api('GET', `dialer/campaigns/${c.id}`)).stateReason).toBeNull();
  await talking(customer.id);
  await emulator.hangup(customer.id);
  const attempt = await until('the attempt recorded', () => attempts().find((a) => a.campaignId === c.id));
  expect(attempt).toMatchObject({ phone: '5511987651140', outcome: 'connected' });
  await tickUntil('the campaign finished', async () => (await api('GET', `dialer/campaigns/${c.id}`)).state === 'finished');
});

it('dials nothing outside the calling window and says so, then dials when it opens; stops by itself at its stop time', async () => {
  // 08:59:30 in São Paulo (UTC-3) the next day: the legal hours open at 09:00.
  const nine = Date.parse(`${new Date(t.clock.now()).toISOString().slice(0, 10)}T12:00:00Z`) + 86_400_000;
  // No campaign is live overnight: the dialer's ticks are not run one by one through the night.
  world.dialer.stop();
  t.clock.advance(nine - 30_000 - t.clock.now());
  world.dialer.start();
  world.admin = await t.loginAs('admin');
  routing().login(t.tenantA, agentId);
  const c = await campaign('Failover', ['11987651130', '11987651131'], { stopAt: new Date(nine + 60_000).toISOString() });
  await api('POST', `dialer/campaigns/${c.id}/start`);
  for (let i = 0; i < 5; i++) tick();
  expect(legsOn('principal')).toEqual([]);
  expect(await api('GET', `dialer/campaigns/${c.id}`)).toMatchObject({ state: 'running', stateReason: 'outside_window' });

  // 09:00: the window opens and the first contact is dialled.
  t.clock.advance(nine - t.clock.now());
  const customer = await tickUntil('the first contact answered', () => legsOn('principal').find((x) => x.state === 'Up'));
  expect((await api('GET', `dialer/campaigns/${c.id}`)).stateReason).toBeNull();
  await talking(customer.id);
  routing().logout(t.tenantA, agentId);
  await emulator.hangup(customer.id);
  await until('the attempt recorded', () => attempts().some((a) => a.campaignId === c.id));

  // 09:01: the stop time; the second contact was never dialled.
  t.clock.advance(nine + 60_000 - t.clock.now());
  const stopped = await tickUntil('the campaign stopped at its time', async () => {
    const v = await api('GET', `dialer/campaigns/${c.id}`);
    return v.state === 'finished' ? v : undefined;
  });
  expect(stopped).toMatchObject({ state: 'finished', stateReason: 'stop_at' });
  expect(attempts().filter((a) => a.campaignId === c.id)).toHaveLength(1);
  // Started again with its stop time past: refused, naming the field.
  const again = await t.request('POST', `/api/v1/dialer/campaigns/${c.id}/start`, { cookie: world.admin.cookie });
  expect(again.statusCode).toBe(409);
  expect(again.json().error.details.field).toBe('stopAt');
});

const routing = () => t.modules.routing.service;

/** The customer is bridged with the agent's phone (not only waiting in the queue). */
async function talking(customerId: string): Promise<void> {
  const agentLeg = await until('the agent’s phone answered', () => emulator.channels().find((c) => c.name.startsWith('PJSIP/1001-') && c.state === 'Up'));
  await until('customer and agent bridged', () => emulator.bridges().some((b) => b.channels.includes(customerId) && b.channels.includes(agentLeg.id)));
}

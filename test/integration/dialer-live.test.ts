/**
 * The live dialer over real sockets: a progressive campaign dials its list through the
 * emulator's PSTN (the outcome by the number's last digit: 0 a person answers, 5 busy), the
 * answered calls reach the logged-in agent through the routing engine, a busy number is
 * recorded with its cause and tried again after the strategy's delay, and the campaign
 * finishes when its list is exhausted. The dialer's ticks run on the app's FakeClock.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialerAttempts, dialerListMembers, routedInteractions } from '../../src/db/schema/index.js';
import { lifetimeFigures } from '../../src/dialer/index.js';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { dialerOverOneTrunk } from '../helpers/dialer-agent.js';
import type { TestApp } from '../helpers/app.js';
import { telephonyWorld, type TelephonyWorld } from '../helpers/telephony-world.js';
import { until } from '../helpers/until.js';

let world: TelephonyWorld;
let emulator: Emulator;
let t: TestApp;
let ami: AmiClient;
let agentId: number;
let campaignId: number;
let queueId: number;

const api: TelephonyWorld['api'] = (method, path, body) => world.api(method, path, body);
const db = () => t.deps.database.db;
const attempts = () => db().select().from(dialerAttempts).all().sort((a, b) => a.id - b.id);
const pstn = () => emulator.channels().filter((c) => c.name.startsWith('PJSIP/operadora-'));
const agentLegs = () => emulator.channels().filter((c) => c.name.startsWith('PJSIP/1001-'));
const tick = () => world.tick();
const tickUntil: TelephonyWorld['tickUntil'] = (what, probe) => world.tickUntil(what, probe);

beforeAll(async () => {
  world = await telephonyWorld('atende-dialer-live-', { ringSeconds: 3, outboundRingSeconds: 20 });
  ({ emulator, t } = world);
  // 10:00 in São Paulo on a Monday: inside the legal calling hours.
  t.clock.advance(60 * 60_000);
  let routeId: number;
  ({ routeId, agentId, queueId, ami } = await dialerOverOneTrunk(world, 'Cobrança'));

  // List order: Alice answers, Bruno is busy, Carla answers.
  for (const [name, number] of [
    ['Alice', '11987650010'],
    ['Bruno', '11987650005'],
    ['Carla', '11987650020'],
  ])
    await api('POST', 'contacts', { name, phones: [{ number }] });
  const list = await api('POST', 'dialer/lists', { name: 'Atrasados' });
  expect(await api('POST', `dialer/lists/${list.id}/fill`, { filter: {} })).toMatchObject({ added: 3 });
  const strategy = await api('POST', 'dialer/strategies', { name: 'Duas vezes', maxAttemptsPerPhone: 2, maxAttemptsPerContact: 2, maxAttemptsPerDay: 2, retryMinutes: { busy: 5 } });
  campaignId = (
    await api('POST', 'dialer/campaigns', {
      name: 'Cobrança',
      mode: 'progressive',
      strategyId: strategy.id,
      queueId,
      outboundRouteId: routeId,
      callerId: '1133334444',
      ringTimeoutSeconds: 20,
      abandonTargetPercent: 2,
      listIds: [list.id],
    })
  ).id;
});

afterAll(async () => {
  await ami?.stop();
  await world?.close();
});

/** The dials to customers (the agent's legs are originates too), noted the moment the runner asks for one: no socket in between. */
const dials = () => world.originates.filter((o) => o.endpoint.includes('operadora'));
const dialsTo = (number: string) => dials().filter((o) => o.endpoint.includes(number)).length;

/**
 * The agent takes the call the dialer placed for `campaign`; the customer hangs up after talking. The dialer's
 * clock is moved only until the call is placed: the ring and the answer happen in real time, and
 * ticking through them would move the clock by as much as the machine is slow (past a retry
 * time when it is loaded).
 */
async function talkAndHangUp(number: string, campaign = campaignId): Promise<void> {
  await tickUntil(`a call to ${number} placed`, () => dialsTo(number) === 1);
  const customer = await until(`the call to ${number} answered`, () => pstn().find((c) => c.state === 'Up'));
  const agentLeg = await until('the agent’s phone answered', () => agentLegs().find((c) => c.state === 'Up'));
  await until('customer and agent bridged', () => emulator.bridges().some((b) => b.channels.includes(customer.id) && b.channels.includes(agentLeg.id)));
  // One at a time: while the only agent talks, the progressive dialer places no other call.
  const placed = dials().length;
  for (let i = 0; i < 3; i++) tick();
  expect(dials()).toHaveLength(placed);
  expect(world.dialer.view(campaign)?.callCount).toMatchObject({ dialing: 0, connected: 1 });
  expect(pstn().map((c) => c.id)).toEqual([customer.id]);
  await emulator.hangup(customer.id);
  await until('both legs gone', () => pstn().length === 0 && agentLegs().length === 0);
}

it('dials the list one call at a time, hands answered calls to the agent, retries the busy number and finishes when the list is exhausted', async () => {
  expect((await api('POST', `dialer/campaigns/${campaignId}/start`)).campaign.state).toBe('running');

  await talkAndHangUp('11987650010');
  await until('Alice’s attempt recorded', () => attempts().length === 1);
  expect(attempts()[0]).toMatchObject({ phone: '5511987650010', outcome: 'connected', agentUserId: agentId });
  expect(attempts()[0]!.answeredAt).not.toBeNull();

  // The agent is free again: the next contact is Bruno, whose line is busy (Q.850 17).
  await tickUntil('Bruno dialled', () => dialsTo('11987650005') === 1);
  await until('Bruno’s busy attempt recorded', () => attempts().length === 2);
  expect(attempts()[1]).toMatchObject({ phone: '5511987650005', outcome: 'busy', cause: 17, answeredAt: null, agentUserId: null });
  const bruno = db().select().from(dialerListMembers).all().find((m) => m.id === attempts()[1]!.memberId)!;
  expect(bruno.retryAt).toBe(attempts()[1]!.endedAt + 5 * 60_000);
  expect(bruno.finished).toBe(false);

  // Bruno is not due for 5 minutes: Carla goes first.
  await talkAndHangUp('11987650020');
  await until('Carla’s attempt recorded', () => attempts().length === 3);
  expect(attempts()[2]).toMatchObject({ phone: '5511987650020', outcome: 'connected', agentUserId: agentId });

  // Nothing is dialled before Bruno's retry is due (a dial would be asked for within the tick)…
  await until('the campaign idle after Carla’s call', () => world.dialer.view(campaignId)?.calls.size === 0);
  const placed = dials().length;
  for (let i = 0; i < 10; i++) tick();
  expect(dials()).toHaveLength(placed);
  expect(dialsTo('11987650005')).toBe(1);
  expect(pstn()).toEqual([]);
  expect(attempts()).toHaveLength(3);
  // …then he is tried again, busy again, and with his attempts spent the list is exhausted.
  t.clock.advance(5 * 60_000);
  await tickUntil('Bruno dialled again', () => dialsTo('11987650005') === 2);
  await until('Bruno’s second attempt recorded', () => attempts().length === 4);
  expect(attempts()[3]).toMatchObject({ phone: '5511987650005', outcome: 'busy', cause: 17 });
  const campaign = await tickUntil('the campaign finished', async () => {
    const c = await api('GET', `dialer/campaigns/${campaignId}`);
    return c.state === 'finished' ? c : undefined;
  });
  expect(campaign).toMatchObject({ state: 'finished', stateReason: 'exhausted' });

  // The calls the agent took were outbound interactions of the campaign's service.
  const handled = db().select().from(routedInteractions).all();
  expect(handled.map((i) => [i.kind, i.queueId])).toEqual([
    ['voice_out', queueId],
    ['voice_out', queueId],
  ]);
  const members = await api('GET', `dialer/lists/${bruno.listId}/members?limit=10&offset=0`);
  expect(members.items.map((m: { name: string; attempts: number; lastOutcome: string; finished: boolean }) => [m.name, m.attempts, m.lastOutcome, m.finished])).toEqual([
    ['Alice', 1, 'connected', true],
    ['Bruno', 2, 'busy', false],
    ['Carla', 1, 'connected', true],
  ]);
});

it('plays the drop message to an answered call that no agent took within the 2 s grace, hangs up and counts it abandoned', async () => {
  const routing = t.modules.routing.service;
  const tag = await api('POST', 'tabulations/tags', { title: 'Tarde', colour: '#0000aa', kinds: ['dialer'] });
  await api('POST', 'contacts', { name: 'Diego', phones: [{ number: '11987650019' }], tagIds: [tag.id] });
  const list = await api('POST', 'dialer/lists', { name: 'Tarde' });
  expect(await api('POST', `dialer/lists/${list.id}/fill`, { filter: { tagId: tag.id } })).toMatchObject({ added: 1 });
  const strategy = await api('POST', 'dialer/strategies', { name: 'Uma vez', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1 });
  const late = await api('POST', 'dialer/campaigns', { name: 'Tarde', mode: 'progressive', strategyId: strategy.id, queueId, ringTimeoutSeconds: 20, abandonTargetPercent: 2, listIds: [list.id] });
  await api('POST', `dialer/campaigns/${late.id}/start`);

  await tickUntil('Diego dialled', () => world.dialer.view(late.id)?.callCount.dialing === 1);
  // The only agent leaves while Diego's phone rings (~5 s at the PSTN, the 9 of his number).
  routing.logout(t.tenantA, agentId);
  await until('Diego answered and waits for an agent', () => world.dialer.view(late.id)?.callCount.waiting === 1);
  const diego = pstn()[0]!;
  expect(diego.state).toBe('Up');
  const core = world.dialer.view(late.id)!;
  const seen: string[] = [];
  const off = world.ari.callControl.onEvent((e) => {
    if (e.type === 'PlaybackFinished' && 'channelId' in e.target && e.target.channelId === diego.id) seen.push(`played:${e.reason}`);
    if (e.type === 'CallEnded' && e.channelId === diego.id) seen.push(`ended:${e.hangup.by}`);
  });
  t.clock.advance(1999);
  expect(core.callCount.waiting).toBe(1);
  t.clock.advance(1);
  expect(core.callCount.waiting).toBe(0);
  expect(core.ledger.lifetime).toMatchObject({ dropped: 1, connected: 0 });
  await until('the call hung up', () => pstn().length === 0);
  // The person heard the whole built-in drop message (pt-BR) before Atende hung up.
  await until('the hang-up seen', () => seen.includes('ended:atende'));
  off();
  expect(world.plays.filter((p) => p.channelId === diego.id).map((p) => p.media)).toEqual([[{ kind: 'file', path: expect.stringMatching(/\/pt-BR\/atende-dialer-drop$/) }]]);
  expect(seen).toEqual(['played:done', 'ended:atende']);
  const dropped = await until('the attempt recorded', () => attempts().find((a) => a.campaignId === late.id));
  expect(dropped).toMatchObject({ phone: '5511987650019', outcome: 'dropped', agentUserId: null });
  expect(dropped.answeredAt).not.toBeNull();
  routing.login(t.tenantA, agentId);
});

it('with answering-machine detection on, hangs up on a machine and puts a person through to the agent', async () => {
  const tag = await api('POST', 'tabulations/tags', { title: 'AMD', colour: '#00aa00', kinds: ['dialer'] });
  // The PSTN's digit 4 is an answering machine, 0 a person (AMD hears MACHINE and HUMAN).
  await api('POST', 'contacts', { name: 'Eva', phones: [{ number: '11987650014' }], tagIds: [tag.id] });
  await api('POST', 'contacts', { name: 'Fábio', phones: [{ number: '11987650030' }], tagIds: [tag.id] });
  const list = await api('POST', 'dialer/lists', { name: 'Com AMD' });
  expect(await api('POST', `dialer/lists/${list.id}/fill`, { filter: { tagId: tag.id } })).toMatchObject({ added: 2 });
  const strategy = await api('POST', 'dialer/strategies', { name: 'AMD', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1 });
  const amd = await api('POST', 'dialer/campaigns', {
    name: 'Com AMD',
    mode: 'progressive',
    strategyId: strategy.id,
    queueId,
    ringTimeoutSeconds: 20,
    abandonTargetPercent: 2,
    amd: { enabled: true, initialSilence: 3000, maximumNumberOfWords: 4 },
    listIds: [list.id],
  });
  const before = db().select().from(routedInteractions).all().length;
  await api('POST', `dialer/campaigns/${amd.id}/start`);

  const ofCampaign = () => attempts().filter((a) => a.campaignId === amd.id);
  const machine = await tickUntil('the machine’s attempt recorded', () => ofCampaign()[0]);
  expect(machine).toMatchObject({ phone: '5511987650014', outcome: 'machine', agentUserId: null });
  expect(machine.answeredAt).not.toBeNull();
  // The originate carried the campaign's AMD() arguments, the others pinned to app_amd's defaults.
  const dialled = world.originates.find((o) => o.endpoint.includes('11987650014'));
  expect(dialled?.variables).toEqual({
    ATENDE_AMD_INITIAL_SILENCE: '3000',
    ATENDE_AMD_GREETING: '1500',
    ATENDE_AMD_AFTER_GREETING_SILENCE: '800',
    ATENDE_AMD_TOTAL_ANALYSIS_TIME: '5000',
    ATENDE_AMD_MIN_WORD_LENGTH: '100',
    ATENDE_AMD_BETWEEN_WORDS_SILENCE: '50',
    ATENDE_AMD_MAX_WORDS: '4',
    ATENDE_AMD_SILENCE_THRESHOLD: '256',
    ATENDE_AMD_MAX_WORD_LENGTH: '5000',
  });
  // The agent was never offered the machine.
  expect(db().select().from(routedInteractions).all()).toHaveLength(before);

  await talkAndHangUp('11987650030', amd.id);
  await until('the person’s attempt recorded', () => ofCampaign().length === 2);
  expect(ofCampaign()[1]).toMatchObject({ phone: '5511987650030', outcome: 'connected', agentUserId: agentId });
  expect(db().select().from(routedInteractions).all()).toHaveLength(before + 1);
  expect(world.dialer.view(amd.id)?.ledger.lifetime).toMatchObject({ amdHangups: 1, connected: 1, dropped: 0 });
  // Nobody was dropped, but the machine detection hung up may have been a person: with the default
  // 1 % false-positive share, 0.01/0.99 of a person of 1/0.99 — an estimated 1 %, the same in the
  // monitor and in what the pacing keeps under the target.
  const monitor = await api('GET', `dialer/campaigns/${amd.id}/monitor`);
  expect(monitor.overall).toMatchObject({ abandonRate: 0, estimatedAbandonRate: expect.closeTo(0.01, 10) });
  expect(lifetimeFigures(world.dialer.view(amd.id)!.ledger).rate).toBeCloseTo(0.01, 10);
});

it('dials nothing while the campaign is paused, and dials again once it is resumed', async () => {
  const tag = await api('POST', 'tabulations/tags', { title: 'Pausa', colour: '#aa00aa', kinds: ['dialer'] });
  await api('POST', 'contacts', { name: 'Gil', phones: [{ number: '11987650040' }], tagIds: [tag.id] });
  const list = await api('POST', 'dialer/lists', { name: 'Pausa' });
  await api('POST', `dialer/lists/${list.id}/fill`, { filter: { tagId: tag.id } });
  const strategy = await api('POST', 'dialer/strategies', { name: 'Pausa', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1 });
  const c = await api('POST', 'dialer/campaigns', { name: 'Pausa', mode: 'progressive', strategyId: strategy.id, queueId, ringTimeoutSeconds: 20, abandonTargetPercent: 2, listIds: [list.id] });
  await api('POST', `dialer/campaigns/${c.id}/start`);
  await api('POST', `dialer/campaigns/${c.id}/pause`);
  for (let i = 0; i < 5; i++) tick();
  expect(world.dialer.view(c.id)?.status).toBe('paused');
  expect(pstn()).toEqual([]);

  await api('POST', `dialer/campaigns/${c.id}/resume`);
  await talkAndHangUp('11987650040', c.id);
  await until('Gil’s attempt recorded', () => attempts().some((a) => a.campaignId === c.id));
  expect(attempts().find((a) => a.campaignId === c.id)).toMatchObject({ phone: '5511987650040', outcome: 'connected', agentUserId: agentId });
});

it('preview: the agent is shown the next contact, skips one with a reason (it goes back to the list), accepts the next, which is dialled and connected to that agent', async () => {
  const tag = await api('POST', 'tabulations/tags', { title: 'Preview', colour: '#aa5500', kinds: ['dialer'] });
  await api('POST', 'contacts', { name: 'Helena', phones: [{ number: '11987650050' }], tagIds: [tag.id] });
  await api('POST', 'contacts', { name: 'Igor', phones: [{ number: '11987650060' }], tagIds: [tag.id] });
  const list = await api('POST', 'dialer/lists', { name: 'Preview' });
  await api('POST', `dialer/lists/${list.id}/fill`, { filter: { tagId: tag.id } });
  const strategy = await api('POST', 'dialer/strategies', { name: 'Preview', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1, retryMinutes: { no_answer: 30 } });
  const c = await api('POST', 'dialer/campaigns', { name: 'Preview', mode: 'preview', strategyId: strategy.id, queueId, ringTimeoutSeconds: 20, abandonTargetPercent: 2, listIds: [list.id] });
  const agentCookie = await t.login('agente.ana', 'senha-secreta-1');
  const asAgent = async (method: 'GET' | 'POST', path: string, body?: unknown) => t.request(method, `/api/v1/${path}`, { cookie: agentCookie, ...(body === undefined ? {} : { body }) });
  expect((await asAgent('GET', 'dialer/preview')).json()).toEqual({ offer: null });
  // Nothing to accept yet: a clear 409.
  expect((await asAgent('POST', 'dialer/preview/accept')).statusCode).toBe(409);
  await api('POST', `dialer/campaigns/${c.id}/start`);

  const shown = await tickUntil('Helena shown to the agent', async () => (await asAgent('GET', 'dialer/preview')).json().offer?.contact ?? undefined);
  expect(shown).toMatchObject({ name: 'Helena', phone: '5511987650050' });
  // Nothing is dialled while the agent reads.
  for (let i = 0; i < 3; i++) tick();
  expect(pstn()).toEqual([]);

  // A blank reason is refused, naming the field.
  const blank = await asAgent('POST', 'dialer/preview/skip', { reason: '  ' });
  expect(blank.statusCode).toBe(400);
  expect(blank.json().error.details.field).toBe('reason');
  const skipped = await asAgent('POST', 'dialer/preview/skip', { reason: 'Cliente pediu retorno à tarde' });
  expect(skipped.statusCode).toBe(200);
  expect(skipped.json().offer.contact).toMatchObject({ name: 'Igor', phone: '5511987650060' });
  const helena = db()
    .select()
    .from(dialerListMembers)
    .all()
    .filter((m) => m.listId === list.id)
    .sort((a, b) => a.position - b.position)[0]!;
  // Back in the list, due again after the strategy's no-answer delay; no attempt counted.
  expect(helena).toMatchObject({ finished: false, attemptTimes: [], retryAt: t.clock.now() + 30 * 60_000 });

  expect((await asAgent('POST', 'dialer/preview/accept')).json()).toEqual({ dialling: true });
  expect((await asAgent('GET', 'dialer/preview')).json()).toEqual({ offer: null });
  await talkAndHangUp('11987650060', c.id);
  const attempt = await until('Igor’s attempt recorded', () => attempts().find((a) => a.campaignId === c.id));
  expect(attempt).toMatchObject({ phone: '5511987650060', outcome: 'connected', agentUserId: agentId });
  // Helena is not shown again before her retry is due.
  for (let i = 0; i < 3; i++) tick();
  expect((await asAgent('GET', 'dialer/preview')).json()).toEqual({ offer: null });
  await api('POST', `dialer/campaigns/${c.id}/stop`);
});

/**
 * Calls in queues over real sockets: the emulator's ARI and AMI, the production adapters, the
 * calls engine, the routing engine and its voice channel. Agents' phones are emulated PJSIP
 * phones that answer, ring out or are not registered.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database_ } from '../../src/db/client.js';
import { recordings, routedInteractions, routedOffers } from '../../src/db/schema/index.js';
import type { Modules } from '../../src/modules.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { type QueueCallOutcome, type RoutingService } from '../../src/routing/index.js';
import type { TelephonyEvent } from '../../src/telephony/call-control.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import type { EventLog } from '../helpers/events.js';
import { validCnpj } from '../helpers/app.js';
import { openRoutingWorld, startQueueTelephony, type QueueTelephony, type RoutingWorld } from '../helpers/queue-telephony.js';
import { until } from '../helpers/until.js';

let world: RoutingWorld;
let dir: string;
let telephony: QueueTelephony;
let emulator: Emulator;
let database: Database_;
let modules: Modules;
let routing: RoutingService;
let events: EventLog<TelephonyEvent>;
let tenantId: number;
let ana: number;
let bruno: number;
let queueId: number;
let outcomes: Map<string, QueueCallOutcome>;

beforeAll(async () => {
  world = await openRoutingWorld('atende-queue-voice-', 3);
  ({ dir, database, modules, routing } = world);
  const { org } = world;
  const ctx = { actor: SYSTEM_ACTOR };
  tenantId = org.createTenant(ctx, { legalName: 'Empresa', cnpj: validCnpj(77) }).id;
  const agent = async (name: string, extension: string) =>
    (await org.createUser(ctx, tenantId, { name, login: `agente.${extension}`, password: 'senha-secreta', level: 'agent', extension, flags: { callCenter: true }, concurrency: { voice: 1 }, passwordChangeRequired: false })).id;
  ana = await agent('Ana', '2001');
  bruno = await agent('Bruno', '2002');
  const other = routing.queues.create(ctx, tenantId, { name: 'Retenção', number: '720', strategy: 'linear', members: [{ userId: ana }], joinRule: 'agents_logged_in' });
  queueId = routing.queues.create(ctx, tenantId, {
    name: 'Vendas',
    number: '700',
    strategy: 'linear',
    ringSeconds: 5,
    record: true,
    retentionDays: 30,
    members: [{ userId: ana }, { userId: bruno }],
    destination: { kind: 'queue', id: other.id },
  }).id;

  telephony = await startQueueTelephony({ dir, phones: ['2001', '2002'], database, routing, tenantId, queueId: () => queueId });
  ({ emulator, events, outcomes } = telephony);
  for (const u of [ana, bruno]) routing.login(tenantId, u);
  await until('phones registered through AMI', () => routing.agent(tenantId, ana).registered && routing.agent(tenantId, bruno).registered);
});

afterAll(async () => {
  await telephony?.close();
  await world?.close();
});

beforeEach(() => {
  emulator.setPhone('2001', { registered: true, behaviour: 'answer' });
  emulator.setPhone('2002', { registered: true, behaviour: 'answer' });
});

const interactionsOfCall = (callId: string) => database.db.select().from(routedInteractions).all().filter((r) => r.callId === callId);
const offersOf = (interactionId: string) =>
  database.db
    .select()
    .from(routedOffers)
    .all()
    .filter((o) => o.interactionId === interactionId)
    .sort((a, b) => a.offeredAt - b.offeredAt);
function callIdOf(channelId: string): string {
  const row = database.sqlite.prepare('select call_id from calls where channel_id = ?').get(channelId) as { call_id: string } | undefined;
  return row?.call_id ?? '';
}
const agentChannels = () => emulator.channels().filter((c) => c.name.startsWith('PJSIP/200'));
const stateOf = (userId: number) => routing.agent(tenantId, userId).state;

describe('a call through a queue to agents’ phones', () => {
  it('rings the first agent, moves on to the second with no gap when it does not answer, bridges, records, and counts it all', async () => {
    emulator.setPhone('2001', { behaviour: 'no-answer' });
    const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11987654321', via: { span: 1 } });
    await until('Bruno talking', () => stateOf(bruno) === 'busy');
    const callId = callIdOf(channelId);
    const [visit] = interactionsOfCall(callId);
    expect(visit).toMatchObject({ outcome: 'answered', agentUserId: bruno, contactAddress: '11987654321' });

    const offers = offersOf(visit!.id);
    expect(offers.map((o) => [o.agentUserId, o.outcome])).toEqual([
      [ana, expect.stringMatching(/^(no_answer|ring_timeout)$/)],
      [bruno, 'answered'],
    ]);
    // The caller never heard a gap: it stayed in its bridge with the music from entry to answer
    // (the engine tests prove the next agent rings in the same instant the first stops).
    expect(offers[1]!.offeredAt).toBeGreaterThanOrEqual(offers[0]!.endedAt);
    expect(events.events.filter((e) => e.type === 'BridgeLeft' && e.channelId === channelId)).toEqual([]);
    // Ana's ringing leg is gone; only Bruno's is up, in the caller's bridge.
    expect(agentChannels().map((c) => c.name)).toEqual([expect.stringMatching(/^PJSIP\/2002-/)]);
    expect(stateOf(ana)).toBe('available');

    await events.waitFor((e) => e.type === 'RecordingStarted', 10_000, 'the bridge recording');
    await emulator.hangup(channelId, 16);
    await until('the queue flow to end', () => outcomes.has(channelId));
    expect(outcomes.get(channelId)).toEqual({ result: 'answered', interactionId: visit!.id });
    await until('Bruno free again', () => stateOf(bruno) === 'available');
    await until('agent leg hung up', () => agentChannels().length === 0);

    const [rec] = database.db.select().from(recordings).all().filter((r) => r.interactionId === visit!.id);
    expect(rec).toMatchObject({ tenantId, callId, queueId, format: 'wav' });
    expect(rec!.expiresAt).toBe(rec!.startedAt + 30 * 86_400_000);
    const file = join(dir, rec!.path);
    expect(existsSync(file)).toBe(true);
    const wav = readFileSync(file);
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.subarray(8, 12).toString()).toBe('WAVE');
    expect(rec!.sizeBytes).toBe(wav.length);

    const [after] = interactionsOfCall(callId);
    expect(after).toMatchObject({ handled: true, endReason: 'the customer hung up' });
    expect(after!.talkMs).toBeGreaterThan(0);
  });

  it('never rings a phone that is not registered (AMI contact status), and rings the next agent', async () => {
    emulator.setPhone('2001', { registered: false });
    await until('Ana’s phone seen unregistered', () => !routing.agent(tenantId, ana).registered);
    const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11911112222', via: { span: 1 } });
    await until('Bruno talking', () => stateOf(bruno) === 'busy');
    const [visit] = interactionsOfCall(callIdOf(channelId));
    expect(offersOf(visit!.id).map((o) => o.agentUserId)).toEqual([bruno]);
    expect(stateOf(ana)).toBe('available');
    await emulator.hangup(channelId, 16);
    await until('Bruno free again', () => stateOf(bruno) === 'available');
    emulator.setPhone('2001', { registered: true });
    await until('Ana’s phone back', () => routing.agent(tenantId, ana).registered);
  });

  it('a caller who hangs up while being offered is an abandon; the ringing phones stop', async () => {
    emulator.setPhone('2001', { behaviour: 'no-answer' });
    emulator.setPhone('2002', { behaviour: 'no-answer' });
    const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11933334444', via: { span: 1 } });
    await until('Ana ringing', () => stateOf(ana) === 'offered');
    // The desk pops the caller from the queue's book: the agent's state names the call's queue.
    expect(routing.agent(tenantId, ana).calls).toEqual([{ interactionId: expect.any(String), queueId, address: '11933334444', ringing: true }]);
    await emulator.hangup(channelId, 16);
    await until('the queue flow to end', () => outcomes.has(channelId));
    expect(outcomes.get(channelId)?.result).toBe('abandoned');
    expect(routing.agent(tenantId, ana).calls).toEqual([]);
    await until('ringing legs hung up', () => agentChannels().length === 0);
    const [visit] = interactionsOfCall(callIdOf(channelId));
    expect(visit).toMatchObject({ outcome: 'abandoned', answeredAt: null });
    expect(visit!.offers).toBeGreaterThanOrEqual(1);
    expect(stateOf(ana)).toBe('available');
    expect(stateOf(bruno)).toBe('available');
  });

  it('when the agent hangs up the caller is hung up too, and the engine records who ended it', async () => {
    const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11955556666', via: { span: 1 } });
    await until('Ana talking', () => stateOf(ana) === 'busy');
    const talking = routing.agent(tenantId, ana).interactionIds[0]!;
    expect(routing.agent(tenantId, ana).calls).toEqual([{ interactionId: talking, queueId, address: '11955556666', ringing: false }]);
    await events.waitFor((e) => e.type === 'RecordingStarted' && e.name === `atende-${talking}`, 10_000, 'the bridge recording');
    const [leg] = agentChannels();
    await emulator.hangup(leg!.id, 16);
    await until('the queue flow to end', () => outcomes.has(channelId));
    await until('caller hung up', () => !emulator.channels().some((c) => c.id === channelId));
    const [visit] = interactionsOfCall(callIdOf(channelId));
    expect(visit).toMatchObject({ outcome: 'answered', agentUserId: ana, endReason: 'the agent hung up' });
    // The queue records: the call is kept though the agent ended it.
    expect(database.db.select().from(recordings).all().filter((r) => r.interactionId === visit!.id)).toHaveLength(1);
  });

  it('a known caller pops from the contact book the queue names (the default book when it names none), and its owner agent is offered the call first', async () => {
    const ctx = { actor: SYSTEM_ACTOR };
    const vip = modules.contacts.books.create(ctx, tenantId, { name: 'Clientes VIP' });
    // The same number in the default book: the queue names the VIP book, so this one is not the caller.
    const carla = modules.contacts.contacts.create(ctx, tenantId, { name: 'Carla Outra Agenda', phones: [{ number: '11955554444' }] });
    const debora = modules.contacts.contacts.create(ctx, tenantId, { name: 'Débora Lima', bookId: vip.id, phones: [{ number: '(11) 95555-4444' }], ownerUserId: bruno });
    routing.queues.update(ctx, queueId, { contactBookId: vip.id, stickySeconds: 30 });
    try {
      const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11955554444', via: { span: 1 } });
      await until('Bruno talking', () => stateOf(bruno) === 'busy');
      const [visit] = interactionsOfCall(callIdOf(channelId));
      expect(visit).toMatchObject({ contactId: debora.id, contactName: 'Débora Lima', agentUserId: bruno });
      // Linear order would ring Ana first; the contact is Bruno's (carteirização).
      expect(offersOf(visit!.id).map((o) => o.agentUserId)).toEqual([bruno]);
      await emulator.hangup(channelId, 16);
      await until('Bruno free again', () => stateOf(bruno) === 'available');

      routing.queues.update(ctx, queueId, { contactBookId: null, stickySeconds: 0 });
      const unnamed = await emulator.placeInboundCall({ did: '1133330000', from: '11955554444', via: { span: 1 } });
      await until('Ana talking', () => stateOf(ana) === 'busy');
      expect(interactionsOfCall(callIdOf(unnamed.channelId))[0]).toMatchObject({ contactId: carla.id, contactName: 'Carla Outra Agenda', agentUserId: ana });
      await emulator.hangup(unnamed.channelId, 16);
      await until('Ana free again', () => stateOf(ana) === 'available');
    } finally {
      routing.queues.update(ctx, queueId, { contactBookId: null, stickySeconds: 0 });
    }
  });

  it('a waiting caller hears its position and the expected wait again and again over the music, until an agent answers', async () => {
    emulator.setPhone('2001', { behaviour: 'no-answer' });
    emulator.setPhone('2002', { behaviour: 'no-answer' });
    routing.queues.update({ actor: SYSTEM_ACTOR }, queueId, { announcePosition: true, announceWait: true, announceEverySeconds: 1 });
    try {
      const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11922223333', via: { span: 1 } });
      const announcement = (n: number) => (e: TelephonyEvent) =>
        e.type === 'PlaybackStarted' && e.playbackId.endsWith(`-${n}`) && e.playbackId.startsWith('atende-announce-') && 'channelId' in e.target && e.target.channelId === channelId;
      const first = await events.waitFor(announcement(1), 10_000, 'the first announcement');
      await events.waitFor((e) => e.type === 'PlaybackFinished' && e.playbackId === (first as { playbackId: string }).playbackId, 10_000, 'its end');
      await events.waitFor(announcement(2), 10_000, 'the next announcement');
      // The music goes on in the caller's bridge between (and under) the announcements.
      const bridge = emulator.bridges().find((b) => b.channels.includes(channelId));
      expect(bridge && emulator.mohOf(bridge.id)).toBeDefined();

      await until('an agent phone ringing', () => agentChannels().length > 0);
      const ringing = agentChannels()[0]!.name.slice('PJSIP/'.length, 'PJSIP/'.length + 4);
      await emulator.answerPhone(ringing);
      await until('the agent talking', () => stateOf(ringing === '2001' ? ana : bruno) === 'busy');
      const said = () => events.events.filter((e) => e.type === 'PlaybackStarted' && e.playbackId.startsWith('atende-announce-')).length;
      const before = said();
      await new Promise((r) => setTimeout(r, 1500));
      expect(said()).toBe(before);
      await emulator.hangup(channelId, 16);
      await until('the queue flow to end', () => outcomes.has(channelId));
    } finally {
      routing.queues.update({ actor: SYSTEM_ACTOR }, queueId, { announcePosition: false, announceWait: false, announceEverySeconds: 0 });
    }
  });

  it('an agent holds the customer (counted apart as hold), mutes, and transfers blind to another queue, whose agent transfers to an agent by name', async () => {
    const ctx = { actor: SYSTEM_ACTOR };
    const support = routing.queues.create(ctx, tenantId, { name: 'Suporte', number: '730', strategy: 'linear', members: [{ userId: bruno }] });
    const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11944445555', via: { span: 1 } });
    await until('Ana talking', () => stateOf(ana) === 'busy');
    const first = routing.agent(tenantId, ana).interactionIds[0]!;
    const [anaLeg] = agentChannels();

    // Someone else's call is not this agent's to hold.
    await expect(routing.holdCall(tenantId, bruno, first, true)).rejects.toMatchObject({ status: 404 });
    expect(await routing.holdCall(tenantId, ana, first, true)).toEqual({ held: true, muted: false, consult: null });
    await events.waitFor((e) => e.type === 'CallHeld' && e.channelId === anaLeg!.id && e.held, 5000, 'the agent leg held');
    await new Promise((r) => setTimeout(r, 400));
    expect(await routing.holdCall(tenantId, ana, first, false)).toEqual({ held: false, muted: false, consult: null });
    expect(await routing.muteCall(tenantId, ana, first, true)).toEqual({ held: false, muted: true, consult: null });
    expect(routing.callState(tenantId, ana, first)).toEqual({ held: false, muted: true, consult: null });

    // An inactive queue, an unknown one, a missing field: refused, and the call goes on.
    await expect(routing.transferCall(tenantId, ana, first, { kind: 'queue', queueId: 99_999 })).rejects.toMatchObject({ status: 400, details: { field: 'queueId' } });
    await expect(routing.transferCall(tenantId, ana, first, { kind: 'agent' })).rejects.toMatchObject({ status: 400, details: { field: 'userId' } });
    expect(stateOf(ana)).toBe('busy');

    await routing.transferCall(tenantId, ana, first, { kind: 'queue', queueId: support.id });
    await until('Bruno talking after the transfer', () => stateOf(bruno) === 'busy');
    expect(emulator.channels().some((c) => c.id === channelId)).toBe(true);
    const second = routing.agent(tenantId, bruno).interactionIds[0]!;
    await until('Ana free of the call', () => stateOf(ana) !== 'busy');

    // Bruno sends it on to Ana by name: offered to her alone, though she is not in Suporte.
    await routing.transferCall(tenantId, bruno, second, { kind: 'agent', userId: ana });
    await until('Ana talking again', () => stateOf(ana) === 'busy');
    const third = routing.agent(tenantId, ana).interactionIds[0]!;
    await emulator.hangup(channelId, 16);
    await until('the queue flow to end', () => outcomes.has(channelId));

    const visits = new Map(interactionsOfCall(callIdOf(channelId)).map((v) => [v.id, v]));
    expect(visits.get(first)).toMatchObject({ queueId, agentUserId: ana, outcome: 'answered', endReason: `transferred to queue ${support.id}` });
    expect(visits.get(first)!.holdMs).toBeGreaterThanOrEqual(300);
    expect(visits.get(second)).toMatchObject({ queueId: support.id, agentUserId: bruno, transferredFrom: first, endReason: `transferred to agent u:${ana} (queue ${support.id})` });
    expect(visits.get(third)).toMatchObject({ queueId: support.id, agentUserId: ana, transferredFrom: second, endReason: 'the customer hung up' });
  });

  it('when nobody can take it the call follows the queue’s destination (another queue)', async () => {
    routing.logout(tenantId, ana);
    routing.logout(tenantId, bruno);
    routing.queues.update({ actor: SYSTEM_ACTOR }, queueId, { joinRule: 'agents_logged_in' });
    const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11977778888', via: { span: 1 } });
    await until('the queue flow to end', () => outcomes.has(channelId));
    const visits = interactionsOfCall(callIdOf(channelId));
    expect(visits.map((v) => [v.queueId, v.outcome])).toEqual([
      [queueId, 'empty'],
      [expect.any(Number), 'empty'],
    ]);
    expect(outcomes.get(channelId)).toMatchObject({ result: 'destination', destination: { kind: 'hangup' } });
  });
});

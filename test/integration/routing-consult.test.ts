/**
 * Attended transfers and three-way conferences of queue calls over real sockets (the emulator's
 * ARI and AMI, the production adapters, the calls engine and the routing engine): the agent
 * consults another agent, a queue or a number outside while the customer waits with music in
 * the call's bridge; completes (the customer talks on with the target as the next visit),
 * cancels, or joins the three in one bridge; a target that does not answer or hangs up gives
 * the agent back to the customer. The phone's own hold reaches the agent's desk as a push.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database_ } from '../../src/db/client.js';
import { recordings, routedInteractions } from '../../src/db/schema/index.js';
import type { LiveEvent, Topic } from '../../src/kernel/index.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { type QueueCallOutcome, type RoutingService } from '../../src/routing/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { validCnpj } from '../helpers/app.js';
import { openRoutingWorld, startQueueTelephony, type QueueTelephony, type RoutingWorld } from '../helpers/queue-telephony.js';
import { until } from '../helpers/until.js';

let world: RoutingWorld;
let telephony: QueueTelephony;
let emulator: Emulator;
let database: Database_;
let routing: RoutingService;
let tenantId: number;
let ana: number;
let bruno: number;
let carla: number;
let vendas: number;
let suporte: number;
let inactive: number;
let outcomes: Map<string, QueueCallOutcome>;
const pushed: { topic: Topic; event: LiveEvent }[] = [];

beforeAll(async () => {
  world = await openRoutingWorld('atende-consult-', 9, { publish: (topic, _tenant, event) => pushed.push({ topic, event }) });
  ({ database, routing } = world);
  const { org } = world;
  const ctx = { actor: SYSTEM_ACTOR };
  tenantId = org.createTenant(ctx, { legalName: 'Empresa', cnpj: validCnpj(61) }).id;
  const agent = async (name: string, extension: string) =>
    (await org.createUser(ctx, tenantId, { name, login: `agente.${extension}`, password: 'senha-secreta', level: 'agent', extension, flags: { callCenter: true }, concurrency: { voice: 1 }, passwordChangeRequired: false })).id;
  ana = await agent('Ana', '2001');
  bruno = await agent('Bruno', '2002');
  carla = await agent('Carla', '2003');
  vendas = routing.queues.create(ctx, tenantId, { name: 'Vendas', number: '700', strategy: 'linear', ringSeconds: 5, record: true, retentionDays: 30, members: [{ userId: ana }] }).id;
  suporte = routing.queues.create(ctx, tenantId, { name: 'Suporte', number: '730', strategy: 'linear', ringSeconds: 5, record: true, members: [{ userId: bruno }, { userId: carla }] }).id;
  inactive = routing.queues.create(ctx, tenantId, { name: 'Antiga', number: '790', strategy: 'linear', active: false, members: [{ userId: bruno }] }).id;

  telephony = await startQueueTelephony({
    dir: world.dir,
    phones: ['2001', '2002', '2003'],
    database,
    routing,
    tenantId,
    queueId: () => vendas,
    // The emulated network behind E1 group 1; numbers beginning with 0 have no route.
    outside: (_tenant, number) => (number.startsWith('0') ? { ok: false, reason: `no outbound route serves ${number}` } : { ok: true, endpoint: `DAHDI/g1/${number}`, callerId: '1133330000' }),
  });
  ({ emulator, outcomes } = telephony);
  for (const u of [ana, bruno, carla]) routing.login(tenantId, u);
  await until('phones registered through AMI', () => [ana, bruno, carla].every((u) => routing.agent(tenantId, u).registered));
});

afterAll(async () => {
  await telephony?.close();
  await world?.close();
});

beforeEach(() => {
  for (const ext of ['2001', '2002', '2003']) emulator.setPhone(ext, { registered: true, behaviour: 'answer' });
});

// A failed test leaves no call behind for the next one.
afterEach(async () => {
  for (const c of emulator.channels()) await emulator.hangup(c.id, 16).catch(() => undefined);
  await until('every call over', () => emulator.channels().length === 0 && [ana, bruno, carla].every((u) => stateOf(u) === 'available'));
});

const channelOf = (ext: string) => emulator.channels().find((c) => c.name.startsWith(`PJSIP/${ext}-`))?.id;
const outsideLeg = () => emulator.channels().find((c) => c.name.startsWith('DAHDI/') && c.caller.number === '1133330000')?.id;
const bridgeWith = (channelId: string | undefined) => emulator.bridges().find((b) => channelId !== undefined && b.channels.includes(channelId));
const stateOf = (userId: number) => routing.agent(tenantId, userId).state;
const sameMembers = (a: readonly string[] | undefined, b: readonly (string | undefined)[]) => a !== undefined && a.length === b.length && b.every((x) => x !== undefined && a.includes(x));
const visit = (id: string) => database.db.select().from(routedInteractions).all().find((r) => r.id === id);
const visitsAfter = (id: string) => database.db.select().from(routedInteractions).all().filter((r) => r.transferredFrom === id);
/** The controls' state of an agent's call; undefined while it is not in conversation. */
function talkOf(userId: number, interactionId: string) {
  try {
    return routing.callState(tenantId, userId, interactionId);
  } catch {
    return undefined;
  }
}
const recordingOf = (id: string) => database.db.select().from(recordings).all().filter((r) => r.interactionId === id);

/** A customer's call answered by Ana: the customer's channel and Ana's leg. */
async function callAnsweredByAna(from: string): Promise<{ customer: string; agentLeg: string; interactionId: string }> {
  const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from, via: { span: 1 } });
  await until('Ana talking with the customer', () => stateOf(ana) === 'busy' && sameMembers(bridgeWith(channelId)?.channels, [channelId, channelOf('2001')]));
  return { customer: channelId, agentLeg: channelOf('2001')!, interactionId: routing.agent(tenantId, ana).interactionIds[0]! };
}

/** The customer alone in the call's bridge with the music, while the agent consults. */
function customerWaitsWithMusic(customer: string): boolean {
  const b = bridgeWith(customer);
  return b !== undefined && sameMembers(b.channels, [customer]) && emulator.mohOf(b.id) !== undefined;
}

/** The agent back with the customer, the music off. */
function backTogether(customer: string, agentLeg: string): boolean {
  const b = bridgeWith(customer);
  return b !== undefined && sameMembers(b.channels, [customer, agentLeg]) && emulator.mohOf(b.id) === undefined;
}

describe('attended transfer of a queue call', () => {
  it('to an agent: the customer waits with music while Ana talks with Bruno alone; completed, the customer talks on with Bruno as the next visit, recorded apart', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650001');
    emulator.setPhone('2002', { behaviour: 'no-answer' });
    const started = await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    expect(started).toEqual({ held: true, muted: false, consult: { kind: 'agent', name: 'Bruno', phase: 'ringing' } });
    // Ana hears ringback in her own bridge while Bruno's phone rings.
    await until('Bruno ringing', () => stateOf(bruno) === 'offered' && customerWaitsWithMusic(customer) && sameMembers(bridgeWith(agentLeg)?.channels, [agentLeg]));
    const ringback = telephony.events.events.find((e) => e.type === 'PlaybackStarted' && 'bridgeId' in e.target && e.target.bridgeId === bridgeWith(agentLeg)?.id);
    expect(ringback).toBeDefined();
    await emulator.answerPhone('2002');
    await until('Ana and Bruno talking', () => talkOf(ana, interactionId)?.consult?.phase === 'talking' && sameMembers(bridgeWith(agentLeg)?.channels, [agentLeg, channelOf('2002')]));
    const brunoLeg = channelOf('2002')!;
    expect(customerWaitsWithMusic(customer)).toBe(true);
    expect(routing.callState(tenantId, ana, interactionId)).toEqual({ held: true, muted: false, consult: { kind: 'agent', name: 'Bruno', phase: 'talking' } });
    // Nothing else while consulting: the customer is already on hold for it, and one consult at a time.
    await expect(routing.holdCall(tenantId, ana, interactionId, false)).rejects.toMatchObject({ status: 409 });
    await expect(routing.transferCall(tenantId, ana, interactionId, { kind: 'queue', queueId: suporte })).rejects.toMatchObject({ status: 409 });
    await expect(routing.consultCall(tenantId, ana, interactionId, { kind: 'queue', queueId: suporte })).rejects.toMatchObject({ status: 409 });

    await new Promise((r) => setTimeout(r, 300));
    await routing.consultAction(tenantId, ana, interactionId, 'complete');
    await until('the customer with Bruno, Ana gone', () => channelOf('2001') === undefined && sameMembers(bridgeWith(customer)?.channels, [customer, brunoLeg]));
    expect(emulator.mohOf(bridgeWith(customer)!.id)).toBeUndefined();
    await until('Ana free', () => stateOf(ana) === 'available');
    const [next] = visitsAfter(interactionId);
    expect(routing.agent(tenantId, bruno).interactionIds).toEqual([next!.id]);
    // Bruno's controls are on the customer's call now (as soon as Ana's visit is closed and kept).
    await until('Bruno’s controls', () => talkOf(bruno, next!.id) !== undefined);
    expect(talkOf(bruno, next!.id)).toEqual({ held: false, muted: false, consult: null });

    await emulator.hangup(customer, 16);
    await until('the call over', () => outcomes.has(customer) && stateOf(bruno) === 'available');
    expect(outcomes.get(customer)).toEqual({ result: 'answered', interactionId: next!.id });
    expect(visit(interactionId)).toMatchObject({ agentUserId: ana, outcome: 'answered', endReason: `transferred (attended) to agent u:${bruno} (queue ${vendas})` });
    // The consult counts as hold: the customer heard music all along.
    expect(visit(interactionId)!.holdMs).toBeGreaterThanOrEqual(300);
    expect(visit(next!.id)).toMatchObject({ queueId: vendas, agentUserId: bruno, outcome: 'answered', transferredFrom: interactionId, endReason: 'the customer hung up' });
    await until('each visit recorded', () => recordingOf(interactionId).length === 1 && recordingOf(next!.id).length === 1);
  });

  it('an agent who does not take the consult, and one who hangs up during it, give Ana back to the customer; a cancelled consult too', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650002');
    emulator.setPhone('2002', { behaviour: 'reject' });
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    await until('the consult over', () => talkOf(ana, interactionId)?.consult === null);
    await until('Ana back with the customer', () => backTogether(customer, agentLeg));
    expect(routing.callState(tenantId, ana, interactionId)).toEqual({ held: false, muted: false, consult: null });
    // Bruno was not tried for the queue's agents instead: the consult was with him alone.
    const [rejected] = visitsAfter(interactionId);
    expect(rejected).toMatchObject({ outcome: 'empty', agentUserId: null, endReason: expect.stringContaining('Bruno did not take it') });
    expect(channelOf('2003')).toBeUndefined();

    emulator.setPhone('2002', { behaviour: 'answer' });
    await until('Bruno available', () => stateOf(bruno) === 'available');
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    await until('Bruno answered', () => talkOf(ana, interactionId)?.consult?.phase === 'talking');
    await emulator.hangup(channelOf('2002')!, 16);
    await until('Ana back after Bruno hung up', () => talkOf(ana, interactionId)?.consult === null && backTogether(customer, agentLeg));

    await until('Bruno available', () => stateOf(bruno) === 'available');
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    await until('Bruno answered again', () => talkOf(ana, interactionId)?.consult?.phase === 'talking');
    expect(await routing.consultAction(tenantId, ana, interactionId, 'cancel')).toEqual({ held: false, muted: false, consult: null });
    await until('Ana back, Bruno hung up', () => backTogether(customer, agentLeg) && channelOf('2002') === undefined);
    expect(stateOf(ana)).toBe('busy');

    const consults = visitsAfter(interactionId).sort((a, b) => a.enteredAt - b.enteredAt);
    expect(consults.map((v) => [v.agentUserId, v.endReason])).toEqual([
      [null, expect.stringContaining('did not take it')],
      [bruno, 'the consulted agent hung up'],
      [bruno, 'the consulting agent cancelled the consult'],
    ]);
    await emulator.hangup(customer, 16);
    await until('the call over', () => outcomes.has(customer));
    expect(visit(interactionId)).toMatchObject({ agentUserId: ana, endReason: 'the customer hung up' });
  });

  it('to a queue: its next agent takes it (one who does not answer is passed over, as for a customer); the three join in conference, Ana leaves and the two talk on', async () => {
    emulator.setPhone('2002', { behaviour: 'reject' });
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650003');
    expect(await routing.consultCall(tenantId, ana, interactionId, { kind: 'queue', queueId: suporte })).toMatchObject({ consult: { kind: 'queue', name: 'Suporte', phase: 'ringing' } });
    await until('Ana and Carla talking', () => talkOf(ana, interactionId)?.consult?.phase === 'talking' && sameMembers(bridgeWith(agentLeg)?.channels, [agentLeg, channelOf('2003')]));
    const carlaLeg = channelOf('2003')!;
    expect(customerWaitsWithMusic(customer)).toBe(true);

    expect(await routing.consultAction(tenantId, ana, interactionId, 'conference')).toEqual({ held: false, muted: false, consult: { kind: 'queue', name: 'Suporte', phase: 'conference' } });
    await until('the three in the call’s bridge', () => sameMembers(bridgeWith(customer)?.channels, [customer, agentLeg, carlaLeg]));
    expect(emulator.mohOf(bridgeWith(customer)!.id)).toBeUndefined();
    expect(emulator.bridges().filter((b) => b.channels.length > 0)).toHaveLength(1);

    await routing.consultAction(tenantId, ana, interactionId, 'complete');
    await until('the customer and Carla talk on', () => channelOf('2001') === undefined && sameMembers(bridgeWith(customer)?.channels, [customer, carlaLeg]));
    const [next] = visitsAfter(interactionId).filter((v) => v.agentUserId === carla);
    expect(routing.agent(tenantId, carla).interactionIds).toEqual([next!.id]);
    await emulator.hangup(carlaLeg, 16);
    await until('the call over', () => outcomes.has(customer));
    expect(visit(interactionId)).toMatchObject({ endReason: `transferred (attended) to queue ${suporte}` });
    expect(visit(next!.id)).toMatchObject({ queueId: suporte, agentUserId: carla, transferredFrom: interactionId, endReason: 'the agent hung up' });
  });

  it('a conference the agent ends for everyone hangs up the customer and the target; one the target leaves goes on between the other two', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650004');
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    await until('Bruno answered', () => talkOf(ana, interactionId)?.consult?.phase === 'talking');
    await routing.consultAction(tenantId, ana, interactionId, 'conference');
    await until('the three together', () => sameMembers(bridgeWith(customer)?.channels, [customer, agentLeg, channelOf('2002')]));
    await emulator.hangup(channelOf('2002')!, 16);
    await until('Ana and the customer go on', () => backTogether(customer, agentLeg) && talkOf(ana, interactionId)?.consult === null);

    await until('Bruno available', () => stateOf(bruno) === 'available');
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    await until('Bruno answered again', () => talkOf(ana, interactionId)?.consult?.phase === 'talking');
    // Ending a conference needs one.
    await expect(routing.consultAction(tenantId, ana, interactionId, 'end')).rejects.toMatchObject({ status: 409 });
    await routing.consultAction(tenantId, ana, interactionId, 'conference');
    await routing.consultAction(tenantId, ana, interactionId, 'end');
    await until('everyone hung up', () => outcomes.has(customer) && emulator.channels().length === 0);
    const [left, ended] = visitsAfter(interactionId).sort((a, b) => a.enteredAt - b.enteredAt);
    expect(left).toMatchObject({ agentUserId: bruno, endReason: 'the consulted agent hung up' });
    expect(ended).toMatchObject({ agentUserId: bruno, endReason: 'the agent ended the conference' });
    expect(visit(interactionId)).toMatchObject({ agentUserId: ana, endReason: 'the agent ended the conference' });
  });

  it('to a number outside through the outbound route: a busy number gives Ana back; one that answers takes the customer when Ana completes', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650005');
    await expect(routing.consultCall(tenantId, ana, interactionId, { kind: 'external', number: '0800123' })).rejects.toMatchObject({ status: 400, details: { field: 'number' } });
    expect(backTogether(customer, agentLeg)).toBe(true);

    // The emulated network: a number ending in 5 is busy, in 0 answers.
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'external', number: '1144445555' });
    await until('Ana back after the busy number', () => talkOf(ana, interactionId)?.consult === null && backTogether(customer, agentLeg));

    expect(await routing.consultCall(tenantId, ana, interactionId, { kind: 'external', number: '1144440000' })).toMatchObject({ consult: { kind: 'external', name: '1144440000', phase: 'ringing' } });
    await until('Ana talking with the number', () => talkOf(ana, interactionId)?.consult?.phase === 'talking' && sameMembers(bridgeWith(agentLeg)?.channels, [agentLeg, outsideLeg()]));
    const far = outsideLeg()!;
    expect(customerWaitsWithMusic(customer)).toBe(true);
    await routing.consultAction(tenantId, ana, interactionId, 'complete');
    await until('the customer with the number outside', () => channelOf('2001') === undefined && sameMembers(bridgeWith(customer)?.channels, [customer, far]));
    await until('Ana free', () => stateOf(ana) === 'available');
    expect(visit(interactionId)).toMatchObject({ endReason: 'transferred (attended) to number 1144440000' });
    await emulator.hangup(customer, 16);
    await until('the number hung up with the customer', () => outcomes.has(customer) && emulator.channels().length === 0);
  });

  it('an agent who hangs up while the target still rings sends the customer there blind', async () => {
    emulator.setPhone('2002', { behaviour: 'no-answer' });
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650006');
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    await until('Bruno ringing', () => stateOf(bruno) === 'offered');
    await emulator.hangup(agentLeg, 16);
    await until('Ana free', () => stateOf(ana) === 'available');
    await until('Bruno rung for the customer', () => stateOf(bruno) === 'offered' && channelOf('2002') !== undefined);
    await emulator.answerPhone('2002');
    await until('the customer with Bruno', () => stateOf(bruno) === 'busy' && sameMembers(bridgeWith(customer)?.channels, [customer, channelOf('2002')]));
    expect(visit(interactionId)).toMatchObject({ endReason: `transferred to agent u:${bruno} (queue ${vendas})` });
    const [cancelled, blind] = visitsAfter(interactionId).sort((a, b) => a.enteredAt - b.enteredAt);
    expect(cancelled).toMatchObject({ outcome: 'transferred', endReason: 'the consulting agent hung up before the target answered' });
    expect(blind).toMatchObject({ agentUserId: bruno, outcome: 'answered' });
  });

  it('refuses an inactive queue (409 naming queueId) and an agent who cannot take a call now, for a transfer and a consult alike; the call goes on', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650007');
    for (const act of ['transferCall', 'consultCall'] as const) {
      await expect(routing[act](tenantId, ana, interactionId, { kind: 'queue', queueId: inactive })).rejects.toMatchObject({ status: 409, details: { field: 'queueId' } });
    }
    routing.logout(tenantId, carla);
    try {
      await expect(routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: carla })).rejects.toMatchObject({ status: 409, details: { field: 'userId' } });
    } finally {
      routing.login(tenantId, carla);
    }
    expect(backTogether(customer, agentLeg)).toBe(true);
    expect(routing.callState(tenantId, ana, interactionId)).toEqual({ held: false, muted: false, consult: null });
  });
});

describe('the phone’s own hold', () => {
  it('a re-INVITE from the agent’s phone holds the customer as the desk’s button would, and is pushed to the agent’s desk', async () => {
    const { agentLeg, interactionId } = await callAnsweredByAna('11987650008');
    const callPushes = () => pushed.filter((p) => p.topic === 'agents' && p.event.type === 'agent.call').map((p) => p.event.data as { agent: { userId: number }; call: Record<string, unknown> });
    // In conversation: the desk is told its controls work.
    await until('the call pushed in conversation', () => callPushes().some((p) => p.call.interactionId === interactionId));
    expect(callPushes().filter((p) => p.call.interactionId === interactionId)).toEqual([{ agent: expect.objectContaining({ userId: ana, state: 'busy' }), call: { interactionId, held: false, muted: false, consult: null } }]);
    emulator.holdFromPhone(agentLeg, true);
    await until('the call seen held', () => routing.callState(tenantId, ana, interactionId).held);
    await until('the hold pushed', () => callPushes().at(-1)?.call.held === true);
    expect(callPushes().at(-1)).toMatchObject({ agent: { userId: ana, state: 'busy' }, call: { interactionId, held: true, muted: false, consult: null } });
    emulator.holdFromPhone(agentLeg, false);
    await until('the call seen resumed', () => !routing.callState(tenantId, ana, interactionId).held);
    await until('the resume pushed', () => callPushes().at(-1)?.call.held === false);
  });
});

describe('hanging up from the desk', () => {
  it('ends the agent’s own leg as its phone would (a softphone’s hang-up goes through here); nobody else’s, and not during a consult', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650009');
    await expect(routing.hangUpCall(tenantId, bruno, interactionId)).rejects.toMatchObject({ status: 404 });
    emulator.setPhone('2002', { behaviour: 'no-answer' });
    await routing.consultCall(tenantId, ana, interactionId, { kind: 'agent', userId: bruno });
    await expect(routing.hangUpCall(tenantId, ana, interactionId)).rejects.toMatchObject({ status: 409 });
    await routing.consultAction(tenantId, ana, interactionId, 'cancel');
    await until('Ana back with the customer', () => backTogether(customer, agentLeg));
    await routing.hangUpCall(tenantId, ana, interactionId);
    await until('Ana’s leg gone and the customer released', () => !emulator.channels().some((c) => c.id === agentLeg || c.id === customer));
    expect(visit(interactionId)).toMatchObject({ outcome: 'answered' });
    await until('Ana free', () => stateOf(ana) === 'available');
  });
});

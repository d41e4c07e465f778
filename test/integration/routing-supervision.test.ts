/**
 * Supervision of queue calls over real sockets (the emulator's ARI and AMI, the production
 * adapters, the calls engine and the routing engine): a supervisor listens to, whispers to,
 * barges into and takes over an agent's call, rung on their own emulated phone; only on the
 * teams they supervise, never in another tenant; every action audited.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database_ } from '../../src/db/client.js';
import type { LiveEvent, Topic } from '../../src/kernel/index.js';
import { auditLog, recordings, routedInteractions } from '../../src/db/schema/index.js';
import type { ChangeContext } from '../../src/http/principal.js';
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
let otherTenantId: number;
let ana: number;
let bruno: number;
let sofia: ChangeContext;
let otavio: ChangeContext;
let noPhone: ChangeContext;
let stranger: ChangeContext;
let admin: ChangeContext;
let outcomes: Map<string, QueueCallOutcome>;
const pushed: { topic: Topic; event: LiveEvent }[] = [];

const actor = (userId: number, tenant: number, login: string, level: 'admin' | 'supervisor'): ChangeContext => ({
  actor: { userId, tenantId: tenant, activeTenantId: tenant, login, level, superUser: false, sessionId: 'test', permissions: [] },
  ip: '127.0.0.1',
  requestId: `req-${login}`,
});

beforeAll(async () => {
  world = await openRoutingWorld('atende-supervision-', 5, { publish: (topic, _tenant, event) => pushed.push({ topic, event }) });
  ({ database, routing } = world);
  const { org } = world;
  const ctx = { actor: SYSTEM_ACTOR };
  tenantId = org.createTenant(ctx, { legalName: 'Empresa', cnpj: validCnpj(71) }).id;
  otherTenantId = org.createTenant(ctx, { legalName: 'Outra', cnpj: validCnpj(72) }).id;
  const user = async (tenant: number, name: string, login: string, level: 'admin' | 'supervisor' | 'agent', extension: string | null, teamId: number | null = null) =>
    (
      await org.createUser(ctx, tenant, {
        name,
        login,
        password: 'senha-secreta',
        level,
        extension,
        teamId,
        flags: { callCenter: level === 'agent' },
        concurrency: { voice: 1 },
        passwordChangeRequired: false,
      })
    ).id;
  const sofiaId = await user(tenantId, 'Sofia', 'sofia', 'supervisor', '2009');
  const otavioId = await user(tenantId, 'Otávio', 'otavio', 'supervisor', '2008');
  const noPhoneId = await user(tenantId, 'Paula', 'paula', 'supervisor', null);
  const adminId = await user(tenantId, 'Adm', 'adm', 'admin', null);
  const strangerId = await user(otherTenantId, 'Estranho', 'estranho', 'admin', '2008');
  const sales = org.createTeam(ctx, tenantId, { name: 'Vendas', supervisorIds: [sofiaId, noPhoneId] });
  org.createTeam(ctx, tenantId, { name: 'Suporte', supervisorIds: [otavioId] });
  ana = await user(tenantId, 'Ana', 'ana', 'agent', '2001', sales.id);
  bruno = await user(tenantId, 'Bruno', 'bruno', 'agent', '2002', sales.id);
  sofia = actor(sofiaId, tenantId, 'sofia', 'supervisor');
  otavio = actor(otavioId, tenantId, 'otavio', 'supervisor');
  noPhone = actor(noPhoneId, tenantId, 'paula', 'supervisor');
  admin = actor(adminId, tenantId, 'adm', 'admin');
  stranger = actor(strangerId, otherTenantId, 'estranho', 'admin');
  const queueId = routing.queues.create(ctx, tenantId, { name: 'Vendas', number: '700', strategy: 'linear', ringSeconds: 5, record: true, retentionDays: 30, members: [{ userId: ana }] }).id;

  telephony = await startQueueTelephony({ dir: world.dir, phones: ['2001', '2002', '2008', '2009'], database, routing, tenantId, queueId: () => queueId });
  ({ emulator, outcomes } = telephony);
  routing.login(tenantId, ana);
  await until('Ana’s phone registered through AMI', () => routing.agent(tenantId, ana).registered);
});

afterAll(async () => {
  await telephony?.close();
  await world?.close();
});

beforeEach(() => {
  for (const ext of ['2001', '2002', '2008', '2009']) emulator.setPhone(ext, { registered: true, behaviour: 'answer' });
});

// A failed test leaves no call behind for the next one.
afterEach(async () => {
  for (const c of emulator.channels()) await emulator.hangup(c.id, 16).catch(() => undefined);
  await until('every call over', () => emulator.channels().length === 0 && stateOf(ana) !== 'busy');
});

const channelOf = (ext: string) => emulator.channels().find((c) => c.name.startsWith(`PJSIP/${ext}-`))?.id;
const bridgeWith = (channelId: string | undefined) => emulator.bridges().find((b) => channelId !== undefined && b.channels.includes(channelId));
const snoopsOn = (channelId: string | undefined) => emulator.snoops().filter((s) => s.of === channelId);
const stateOf = (userId: number) => routing.agent(tenantId, userId).state;
const sameMembers = (a: readonly string[] | undefined, b: readonly (string | undefined)[]) => a !== undefined && a.length === b.length && b.every((x) => x !== undefined && a.includes(x));

/** A customer's call answered by Ana: the customer's channel and Ana's leg. */
async function callAnsweredByAna(from: string): Promise<{ customer: string; agentLeg: string; interactionId: string }> {
  await until('Ana available', () => stateOf(ana) === 'available');
  const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from, via: { span: 1 } });
  await until('Ana talking with the customer', () => stateOf(ana) === 'busy' && sameMembers(bridgeWith(channelId)?.channels, [channelId, channelOf('2001')]));
  return { customer: channelId, agentLeg: channelOf('2001')!, interactionId: routing.agent(tenantId, ana).interactionIds[0]! };
}

const auditOf = (action: string) => database.db.select().from(auditLog).all().filter((r) => r.action === action && r.entity === 'agent' && r.entityId === String(ana));

describe('a supervisor on an agent’s call in conversation', () => {
  it('listens (a spy-both snoop on the agent’s leg bridged with the supervisor’s phone), whispers, barges, and leaves the call as it was', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650001');

    await expect(routing.superviseCall(sofia, tenantId, ana, 'listen')).resolves.toEqual({ interactionId, mode: 'listen', extension: '2009', rung: true });
    await until('Sofia’s phone answered and bridged with a snoop', () => channelOf('2009') !== undefined && snoopsOn(agentLeg).length === 1 && bridgeWith(channelOf('2009')) !== undefined);
    const supervisorLeg = channelOf('2009')!;
    const [listen] = snoopsOn(agentLeg);
    expect(listen).toMatchObject({ spy: 'both', whisper: 'none' });
    // Sofia's own bridge holds her phone and the snoop; the customer's bridge is untouched.
    expect(sameMembers(bridgeWith(supervisorLeg)!.channels, [supervisorLeg, listen!.id])).toBe(true);
    expect(sameMembers(bridgeWith(customer)!.channels, [customer, agentLeg])).toBe(true);

    // Whisper: the same phone, a new snoop that speaks into what Ana's phone hears only.
    await expect(routing.superviseCall(sofia, tenantId, ana, 'whisper')).resolves.toMatchObject({ mode: 'whisper', rung: false });
    await until('the whisper snoop', () => snoopsOn(agentLeg).length === 1 && snoopsOn(agentLeg)[0]!.whisper === 'out');
    const [whisper] = snoopsOn(agentLeg);
    expect(whisper).toMatchObject({ spy: 'both', whisper: 'out' });
    await until('Sofia bridged with the whisper snoop', () => sameMembers(bridgeWith(supervisorLeg)?.channels, [supervisorLeg, whisper!.id]));
    expect(sameMembers(bridgeWith(customer)!.channels, [customer, agentLeg])).toBe(true);

    // Barge: Sofia joins the customer's bridge; both hear her.
    await expect(routing.superviseCall(sofia, tenantId, ana, 'barge')).resolves.toMatchObject({ mode: 'barge', rung: false });
    await until('Sofia in the customer’s bridge', () => sameMembers(bridgeWith(customer)?.channels, [customer, agentLeg, supervisorLeg]));
    await until('the snoop gone', () => snoopsOn(agentLeg).length === 0);
    expect(channelOf('2009')).toBe(supervisorLeg);

    // Sofia hangs up: the conversation goes on between the customer and Ana.
    await emulator.hangup(supervisorLeg, 16);
    await until('the call back to two', () => sameMembers(bridgeWith(customer)?.channels, [customer, agentLeg]));
    expect(stateOf(ana)).toBe('busy');

    for (const action of ['supervisor_listen', 'supervisor_whisper', 'supervisor_barge']) {
      const rows = auditOf(action);
      expect(rows, action).toHaveLength(1);
      expect(rows[0]).toMatchObject({ tenantId, actorUserId: sofia.actor.userId, actorLogin: 'sofia', requestId: 'req-sofia' });
      expect(rows[0]!.before).toMatchObject({ interactionId });
      expect(rows[0]!.after).toMatchObject({ extension: '2009' });
    }

    await emulator.hangup(customer, 16);
    await until('the call over', () => outcomes.has(customer) && stateOf(ana) !== 'busy');
    expect(channelOf('2001')).toBeUndefined();
  });

  it('a supervisor’s leg on a listen ends with the call, and the snoop with it', async () => {
    const { customer, agentLeg } = await callAnsweredByAna('11987650002');
    await routing.superviseCall(sofia, tenantId, ana, 'listen');
    await until('listening', () => snoopsOn(agentLeg).length === 1 && bridgeWith(channelOf('2009')) !== undefined);
    await emulator.hangup(customer, 16);
    await until('every leg hung up', () => channelOf('2009') === undefined && channelOf('2001') === undefined && emulator.snoops().length === 0);
  });

  it('a phone rung for a listen whose call ends before it answers stops ringing, and the panel is told why (queues topic, to the agent’s team); stopping it by hand is not a refusal', async () => {
    const refusals = () => pushed.filter((p) => p.event.type === 'supervision.refused');
    const before = refusals().length;
    const { customer, interactionId } = await callAnsweredByAna('11987650006');
    emulator.setPhone('2009', { behaviour: 'no-answer' });
    await routing.superviseCall(sofia, tenantId, ana, 'listen');
    await until('Sofia’s phone ringing', () => channelOf('2009') !== undefined);
    await emulator.hangup(customer, 16);
    await until('the ringing stopped', () => channelOf('2009') === undefined);
    await until('the panel told', () => refusals().length === before + 1);
    const [told] = refusals().slice(before);
    expect(told).toMatchObject({
      topic: 'queues',
      event: { data: { supervisorUserId: sofia.actor.userId, agentUserId: ana, agentName: 'Ana', interactionId, mode: 'listen', reason: 'ended' } },
    });
    expect(told!.event.teams).toEqual([routing.agent(tenantId, ana).teamId]);
  });

  it('a supervisor stops listening: its leg and the snoop are hung up, the call goes on (audited); stopping again, or another team’s supervisor, is refused', async () => {
    const status = (p: Promise<unknown>) => p.then(() => ({ status: 204 }), (e: { status?: number; details?: Record<string, unknown> }) => ({ status: e.status, ...e.details }));
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650005');
    await routing.superviseCall(sofia, tenantId, ana, 'listen');
    await until('listening', () => snoopsOn(agentLeg).length === 1 && bridgeWith(channelOf('2009')) !== undefined);
    await expect(status(routing.stopSupervising(otavio, tenantId, ana))).resolves.toMatchObject({ status: 403 });

    await routing.stopSupervising(sofia, tenantId, ana);
    await until('Sofia’s leg and the snoop gone', () => channelOf('2009') === undefined && emulator.snoops().length === 0);
    expect(sameMembers(bridgeWith(customer)?.channels, [customer, agentLeg])).toBe(true);
    expect(stateOf(ana)).toBe('busy');
    expect(auditOf('supervisor_stop')).toEqual([expect.objectContaining({ actorUserId: sofia.actor.userId, before: { mode: 'listen', interactionId } })]);
    await expect(status(routing.stopSupervising(sofia, tenantId, ana))).resolves.toMatchObject({ status: 409, reason: 'not_monitoring' });

    // A phone still ringing for the listen stops ringing.
    emulator.setPhone('2009', { behaviour: 'no-answer' });
    await routing.superviseCall(sofia, tenantId, ana, 'listen');
    await until('Sofia’s phone ringing', () => channelOf('2009') !== undefined);
    await routing.stopSupervising(sofia, tenantId, ana);
    await until('the ringing stopped', () => channelOf('2009') === undefined);
    expect(sameMembers(bridgeWith(customer)?.channels, [customer, agentLeg])).toBe(true);
  });

  it('takes the call over: the supervisor joins the customer, Ana’s leg is hung up and her interaction ends; the recording runs on to the end', async () => {
    const { customer, agentLeg, interactionId } = await callAnsweredByAna('11987650003');

    await expect(routing.superviseCall(sofia, tenantId, ana, 'takeover')).resolves.toEqual({ interactionId, mode: 'takeover', extension: '2009', rung: true });
    await until('Sofia alone with the customer', () => channelOf('2001') === undefined && sameMembers(bridgeWith(customer)?.channels, [customer, channelOf('2009')]));
    const supervisorLeg = channelOf('2009')!;
    expect(emulator.endedChannels().some((c) => c.id === agentLeg)).toBe(true);
    await until('Ana free of the call', () => stateOf(ana) !== 'busy');
    const visit = database.db.select().from(routedInteractions).all().find((r) => r.id === interactionId);
    expect(visit).toMatchObject({ agentUserId: ana, handled: true, endReason: 'taken over by Sofia' });
    expect(outcomes.has(customer)).toBe(false);
    expect(emulator.channels().some((c) => c.id === customer)).toBe(true);
    expect(auditOf('supervisor_take_over')).toHaveLength(1);

    // Sofia hangs up: the customer leaves the queue still on the line (for a survey; this call
    // passed no IVR with one), is hung up by the flow, and the whole call's recording is kept.
    await emulator.hangup(supervisorLeg, 16);
    await until('the queue flow over', () => outcomes.has(customer));
    expect(outcomes.get(customer)).toEqual({ result: 'answered', interactionId, callerOnLine: true });
    await until('the customer hung up', () => !emulator.channels().some((c) => c.id === customer));
    await until('the recording kept', () => database.db.select().from(recordings).all().some((r) => r.interactionId === interactionId));
  });

  it('refuses: another team’s supervisor (403), another tenant (404), no call (409), no extension or a phone that cannot ring (409 naming extension) — nothing rung, nothing audited', async () => {
    const status = (p: Promise<unknown>) => p.then(() => ({ status: 200 }), (e: { status?: number; details?: Record<string, unknown> }) => ({ status: e.status, ...e.details }));
    await until('Ana available', () => stateOf(ana) === 'available');
    await expect(status(routing.superviseCall(sofia, tenantId, ana, 'listen'))).resolves.toMatchObject({ status: 409, reason: 'no_call' });

    const { customer } = await callAnsweredByAna('11987650004');
    const audited = database.db.select().from(auditLog).all().length;
    await expect(status(routing.superviseCall(otavio, tenantId, ana, 'listen'))).resolves.toMatchObject({ status: 403 });
    await expect(status(routing.superviseCall(stranger, otherTenantId, ana, 'barge'))).resolves.toMatchObject({ status: 404 });
    await expect(status(routing.superviseCall(noPhone, tenantId, ana, 'listen'))).resolves.toMatchObject({ status: 409, field: 'extension' });
    await expect(status(routing.superviseCall(sofia, tenantId, bruno, 'listen'))).resolves.toMatchObject({ status: 409, reason: 'no_call' });
    emulator.setPhone('2009', { registered: false });
    await expect(status(routing.superviseCall(sofia, tenantId, ana, 'takeover'))).resolves.toMatchObject({ status: 409, field: 'extension' });
    expect(channelOf('2009')).toBeUndefined();
    expect(database.db.select().from(auditLog).all().length).toBe(audited);

    // An admin acts on every team: its phone-less request gets as far as the extension.
    await expect(status(routing.superviseCall(admin, tenantId, ana, 'listen'))).resolves.toMatchObject({ status: 409, field: 'extension' });
    await emulator.hangup(customer, 16);
    await until('the call over', () => outcomes.has(customer));
  });
});

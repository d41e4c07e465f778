/**
 * An agent's manual calls over real sockets (the emulator's ARI and AMI, the production
 * adapters, the calls engine and the routing engine): placed from the desk (`POST
 * /api/v1/agent/dial` rings the agent's own phone showing the number, then dials it through
 * the outbound routes) or keyed in on the phone. The agent is busy meanwhile; the answered call
 * opens its `manual` interaction with the contact; a route that requires a tabulation holds the
 * agent's wrap-up until it is tabulated. Who may dial, and bad numbers, are refused by name. A
 * supervisor of the agent's team listens to, whispers to, barges into and takes over such a call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { connectAmi } from '../helpers/ami.js';
import type { LoggedIn, TestApp } from '../helpers/app.js';
import { telephonyWorld, type TelephonyWorld } from '../helpers/telephony-world.js';
import { until } from '../helpers/until.js';

let world: TelephonyWorld;
let emulator: Emulator;
let t: TestApp;
let ana: LoggedIn;
let anaId: number;
let maria: number;
let done: number;
let sofia: LoggedIn;
let sofiaId: number;
let teamId: number;

const routing = () => t.modules.routing.service;
const stateOf = () => routing().agent(t.tenantA, anaId).state;
const channelOf = (prefix: string) => emulator.channels().find((c) => c.name.startsWith(prefix));
const bridged = (a: string, b: string) => emulator.bridges().some((x) => x.channels.includes(a) && x.channels.includes(b));
const dial = (who: LoggedIn, body: unknown) => t.request('POST', '/api/v1/agent/dial', { cookie: who.cookie, body });
type Open = { id: number; kind: string; contactName: string | null; address: string | null; requiresTabulation: boolean; callId: string | null; state: string };
const openOfAna = async () => (await t.request('GET', '/api/v1/interactions', { cookie: ana.cookie, query: { mine: 'true' } })).json().items as Open[];
const fieldOf = (res: { body: string }) => (JSON.parse(res.body) as { error: { details?: { field?: string } } }).error.details?.field;

/** A call-center agent (or supervisor) on `extension`, signed in to the API. */
async function agent(name: string, extension: string, level: 'agent' | 'supervisor' = 'agent'): Promise<{ id: number; who: LoggedIn }> {
  const login = `agente.${extension}`;
  const user = { name, login, password: 'senha-secreta-1', level, extension, teamId: level === 'agent' ? teamId : null, flags: { callCenter: level === 'agent' }, concurrency: { voice: 1 }, passwordChangeRequired: false };
  const { id } = await t.app.org.createUser({ actor: SYSTEM_ACTOR }, t.tenantA, user);
  return { id, who: { cookie: await t.login(login, user.password) } as LoggedIn };
}

async function hangupAll(): Promise<void> {
  for (const c of emulator.channels()) await emulator.hangup(c.id).catch(() => undefined);
  await until('no channel left', () => emulator.channels().length === 0);
}

beforeAll(async () => {
  world = await telephonyWorld('atende-manual-', { ringSeconds: 3, outboundRingSeconds: 20 });
  ({ emulator, t } = world);
  const { api } = world;
  await api('PATCH', `tenants/${t.tenantA}`, { ddd: '11' });
  const trunk = await api('POST', 'telephony/trunks', { name: 'operadora', host: '203.0.113.10' });
  const phone = await api('POST', 'telephony/extensions', { number: '1001', displayName: 'Ana' });
  await api('POST', 'telephony/extensions', { number: '1003', displayName: 'Carla', dialOut: false });
  const sofiaPhone = await api('POST', 'telephony/extensions', { number: '1009', displayName: 'Sofia' });
  // Calls in Brazil must be tabulated ("Exige tabulação"); international ones need not be.
  await api('POST', 'telephony/outbound-routes', { name: 'Brasil', requireTabulation: true, rules: [{ pattern: '_0XX.', strip: 1, brazilFormat: true, carrierCode: '21' }], trunks: [{ trunkId: trunk.id }] });
  await api('POST', 'telephony/outbound-routes', { name: 'Internacional', rules: [{ pattern: '_00.' }], trunks: [{ trunkId: trunk.id }] });
  expect((await api('POST', 'telephony/apply', {})).ok).toBe(true);
  const supervisor = await agent('Sofia', '1009', 'supervisor');
  sofia = supervisor.who;
  sofiaId = supervisor.id;
  teamId = t.app.org.createTeam({ actor: SYSTEM_ACTOR }, t.tenantA, { name: 'Ativo', supervisorIds: [supervisor.id] }).id;
  emulator.setPhone('1009', { registered: true, password: sofiaPhone.secret, behaviour: 'answer', answerAfterMs: 100, reachable: true });
  ({ id: anaId, who: ana } = await agent('Ana', '1001'));
  await api('PATCH', `telephony/extensions/${phone.id}`, { userId: anaId });
  maria = (await api('POST', 'contacts', { name: 'Maria Cliente', phones: [{ number: '11987654320' }] })).id;
  const group = await api('POST', 'tabulations/groups', { name: 'Ativo' });
  done = (await api('POST', 'tabulations/statuses', { groupId: group.id, name: 'Acordo fechado', category: 'positive', kinds: ['manual'] })).id;
  routing().followPhones(await connectAmi(emulator));
  emulator.setPhone('1001', { registered: true, password: phone.secret, behaviour: 'answer', answerAfterMs: 300, reachable: true });
  expect((await t.request('POST', '/api/v1/agent/login', { cookie: ana.cookie })).statusCode).toBe(200);
  await until('Ana’s phone registered', () => routing().agent(t.tenantA, anaId).registered);
});

afterAll(async () => world?.close());

beforeEach(async () => {
  await hangupAll();
  emulator.setPhone('1001', { behaviour: 'answer', answerAfterMs: 300 });
  await until('Ana free', () => stateOf() === 'available');
});

describe('a manual call from the desk', () => {
  it('rings Ana’s phone showing the number, dials it once she answers, opens her interaction with the contact, and holds her wrap-up until she tabulates', async () => {
    const res = await dial(ana, { number: '(011) 98765-4320' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ number: '011987654320', route: 'Brasil' });
    // Busy from the first ring: no queue call is offered to her meanwhile.
    expect(stateOf()).toBe('busy');
    expect(routing().agent(t.tenantA, anaId).ownCalls).toEqual([{ id: expect.any(String), address: '011987654320', answered: false }]);
    const mine = await until('Ana’s phone rang and answered', () => channelOf('PJSIP/1001-'));
    expect(mine.caller).toEqual({ number: '011987654320', name: 'Maria Cliente' });
    const out = await until('the number answered on the trunk', () => {
      const c = channelOf('PJSIP/operadora-');
      return c?.state === 'Up' ? c : undefined;
    });
    // DDD 11 calling DDD 11: the route dials the subscriber number.
    expect(out.connected.number).toBe('987654320');
    await until('Ana talking with the number', () => bridged(mine.id, out.id));
    const [open] = await until('her manual interaction', async () => {
      const items = await openOfAna();
      return items.length === 1 ? items : undefined;
    });
    expect(open).toMatchObject({ kind: 'manual', contactName: 'Maria Cliente', address: '5511987654320', requiresTabulation: true, state: 'open' });
    expect(routing().agent(t.tenantA, anaId).interactionIds).toEqual([mine.id]);
    // Panels show whom she called.
    expect(routing().agent(t.tenantA, anaId).ownCalls).toEqual([{ id: mine.id, address: '011987654320', answered: true }]);
    // The call is Ana's phone's own: from her extension to the number.
    const record = t.deps.database.sqlite.prepare('SELECT from_number, to_number, kind FROM calls WHERE channel_id = ?').get(mine.id);
    expect(record).toEqual({ from_number: '1001', to_number: '011987654320', kind: 'internal' });

    await emulator.hangup(out.id);
    await until('Ana in a wrap-up held for the tabulation', () => stateOf() === 'wrap_up');
    t.clock.advance(60_000);
    expect(stateOf()).toBe('wrap_up');
    const ready = await t.request('POST', '/api/v1/agent/ready', { cookie: ana.cookie });
    expect(ready.statusCode).toBe(409);
    const untabulated = await t.request('POST', `/api/v1/interactions/${open!.id}/finish`, { cookie: ana.cookie, body: {} });
    expect(untabulated.statusCode).toBe(400);
    expect(fieldOf(untabulated)).toBe('statusId');
    const finished = await t.request('POST', `/api/v1/interactions/${open!.id}/finish`, { cookie: ana.cookie, body: { statusId: done } });
    expect(finished.statusCode, finished.body).toBe(200);
    t.clock.advance(10);
    await until('Ana free again', () => stateOf() === 'available');
  });

  it('a phone that rejects the call leaves Ana free, with no interaction and nothing dialled', async () => {
    emulator.setPhone('1001', { behaviour: 'reject' });
    const res = await dial(ana, { number: '0012125551230' });
    expect(res.statusCode, res.body).toBe(202);
    await until('Ana free after the rejection', () => stateOf() === 'available');
    expect(await openOfAna()).toEqual([]);
    expect(channelOf('PJSIP/operadora-')).toBeUndefined();
  });

  it('is refused while Ana is on a call, naming her', async () => {
    await dial(ana, { number: '0012125551230' });
    const again = await dial(ana, { number: '0012125551231' });
    expect(again.statusCode).toBe(409);
    expect(fieldOf(again)).toBe('agent');
  });
});

describe('a number keyed in on Ana’s phone', () => {
  it('keeps her busy and opens her manual interaction; a route without the tabulation rule frees her at the end', async () => {
    const { channelId } = await emulator.placePhoneCall('1001', '0012125551230');
    await until('Ana busy', () => stateOf() === 'busy');
    const out = await until('answered outside', () => (channelOf('PJSIP/operadora-')?.state === 'Up' ? channelOf('PJSIP/operadora-') : undefined));
    await until('talking', () => bridged(channelId, out.id));
    const [open] = await until('her manual interaction', async () => {
      const items = (await openOfAna()).filter((i) => i.address === '0012125551230' || i.address?.endsWith('2125551230'));
      return items.length === 1 ? items : undefined;
    });
    expect(open).toMatchObject({ kind: 'manual', contactName: null, requiresTabulation: false });
    await emulator.hangup(channelId);
    await until('Ana free at once', () => stateOf() === 'available');
    // Not tabulated, it stays among her open interactions until she finishes it.
    expect((await openOfAna()).map((i) => i.id)).toContain(open!.id);
  });
});

describe('a supervisor on Ana’s manual call', () => {
  const monitor = (mode: string) => t.request('POST', `/api/v1/agents/${anaId}/monitor`, { cookie: sofia.cookie, body: { mode } });
  const bridgeWith = (channelId: string | undefined) => emulator.bridges().find((b) => channelId !== undefined && b.channels.includes(channelId));
  const snoopsOn = (channelId: string) => emulator.snoops().filter((s) => s.of === channelId);
  const sameMembers = (a: readonly string[] | undefined, b: readonly (string | undefined)[]) => a !== undefined && a.length === b.length && b.every((x) => x !== undefined && a.includes(x));

  it('listens (a snoop on her phone’s leg), whispers, barges into the call’s bridge, takes the call over from Ana, and is hung up when the number hangs up', async () => {
    expect((await dial(ana, { number: '0012125551230' })).statusCode).toBe(202);
    const mine = await until('Ana’s phone answered', () => channelOf('PJSIP/1001-'));
    const out = await until('answered outside', () => (channelOf('PJSIP/operadora-')?.state === 'Up' ? channelOf('PJSIP/operadora-') : undefined));
    await until('talking', () => bridged(mine.id, out.id));
    // While it still rings outside there is nothing to listen to; once talking, there is.
    await until('the call supervisable', () => routing().manualCalls?.supervisable(mine.id));

    const listen = await monitor('listen');
    expect(listen.statusCode, listen.body).toBe(200);
    expect(listen.json()).toEqual({ interactionId: mine.id, mode: 'listen', extension: '1009', rung: true });
    const sofiaLeg = await until('Sofia’s phone answered and bridged with a snoop on Ana’s leg', () => {
      const leg = channelOf('PJSIP/1009-');
      return leg && snoopsOn(mine.id).length === 1 && sameMembers(bridgeWith(leg.id)?.channels, [leg.id, snoopsOn(mine.id)[0]!.id]) ? leg : undefined;
    });
    // Her phone shows whom Ana called.
    expect(sofiaLeg.caller.number).toBe('0012125551230');
    expect(snoopsOn(mine.id)[0]).toMatchObject({ spy: 'both', whisper: 'none' });
    expect(sameMembers(bridgeWith(out.id)?.channels, [mine.id, out.id])).toBe(true);

    expect((await monitor('whisper')).json()).toMatchObject({ mode: 'whisper', rung: false });
    await until('the whisper snoop', () => snoopsOn(mine.id).length === 1 && snoopsOn(mine.id)[0]!.whisper === 'out' && sameMembers(bridgeWith(sofiaLeg.id)?.channels, [sofiaLeg.id, snoopsOn(mine.id)[0]!.id]));

    expect((await monitor('barge')).json()).toMatchObject({ mode: 'barge', rung: false });
    await until('Sofia in the call’s bridge, the snoop gone', () => sameMembers(bridgeWith(out.id)?.channels, [mine.id, out.id, sofiaLeg.id]) && snoopsOn(mine.id).length === 0);

    // Sofia takes the call over: Ana's phone is hung up, Sofia talks on with the number, and Ana
    // is free (this route asks no tabulation), her interaction waiting to be finished.
    const takeOver = await t.request('POST', `/api/v1/agents/${anaId}/take-over`, { cookie: sofia.cookie });
    expect(takeOver.statusCode, takeOver.body).toBe(200);
    expect(takeOver.json()).toMatchObject({ mode: 'takeover', rung: false });
    await until('Ana’s phone hung up', () => channelOf('PJSIP/1001-') === undefined);
    await until('Ana free', () => stateOf() === 'available');
    expect(sameMembers(bridgeWith(out.id)?.channels, [out.id, sofiaLeg.id])).toBe(true);
    expect(channelOf('PJSIP/operadora-')?.state).toBe('Up');
    // Sofia is on the call as its party now, not listening: there is nothing to stop.
    expect((await t.request('DELETE', `/api/v1/agents/${anaId}/monitor`, { cookie: sofia.cookie })).statusCode).toBe(409);

    const audited = t.deps.database.sqlite.prepare("SELECT action FROM audit_log WHERE entity = 'agent' AND entity_id = ? AND action LIKE 'supervisor_%' ORDER BY id").all(String(anaId));
    expect(audited).toEqual([{ action: 'supervisor_listen' }, { action: 'supervisor_whisper' }, { action: 'supervisor_barge' }, { action: 'supervisor_take_over' }]);

    // The number hangs up: Sofia's leg goes with it.
    await emulator.hangup(out.id);
    await until('Sofia’s phone hung up', () => channelOf('PJSIP/1009-') === undefined);
  });

  it('takes over a call it was not on: Sofia’s phone rings, answers, and takes Ana’s place; Sofia hanging up ends the call', async () => {
    expect((await dial(ana, { number: '0012125551230' })).statusCode).toBe(202);
    const mine = await until('Ana’s phone answered', () => channelOf('PJSIP/1001-'));
    const out = await until('answered outside', () => (channelOf('PJSIP/operadora-')?.state === 'Up' ? channelOf('PJSIP/operadora-') : undefined));
    await until('the call supervisable', () => routing().manualCalls?.supervisable(mine.id));
    expect((await t.request('POST', `/api/v1/agents/${anaId}/take-over`, { cookie: sofia.cookie })).json()).toMatchObject({ mode: 'takeover', rung: true });
    const sofiaLeg = await until('Sofia in Ana’s place', () => {
      const leg = channelOf('PJSIP/1009-');
      return leg && channelOf('PJSIP/1001-') === undefined && sameMembers(bridgeWith(out.id)?.channels, [out.id, leg.id]) ? leg : undefined;
    });
    await until('Ana free', () => stateOf() === 'available');
    await emulator.hangup(sofiaLeg.id);
    await until('the number hung up with her', () => channelOf('PJSIP/operadora-') === undefined);
  });

  it('is not taken over while Ana consults a transfer: 409, and her call goes on', async () => {
    expect((await dial(ana, { number: '0012125551230' })).statusCode).toBe(202);
    const mine = await until('Ana’s phone answered', () => channelOf('PJSIP/1001-'));
    await until('answered outside', () => channelOf('PJSIP/operadora-')?.state === 'Up');
    await until('the call supervisable', () => routing().manualCalls?.supervisable(mine.id));
    // Ana keys in an attended transfer to another number, which answers: she consults it.
    await emulator.sendDtmf(mine.id, '*200551133334444#');
    await until('the consulted number answered', () => emulator.channels().filter((c) => c.name.startsWith('PJSIP/operadora-') && c.state === 'Up').length === 2);
    const refused = await t.request('POST', `/api/v1/agents/${anaId}/take-over`, { cookie: sofia.cookie });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ message: 'the call cannot be taken over while its agent consults a transfer', details: { reason: 'consult' } });
    expect(channelOf('PJSIP/1009-')).toBeUndefined();
    expect(channelOf('PJSIP/1001-')?.id).toBe(mine.id);
  });

  it('a take over whose ring is answered once Ana consults a transfer is refused then: Sofia’s phone is hung up, Ana’s call goes on, and the panel is told why', async () => {
    const publish = vi.spyOn(t.events, 'publish');
    emulator.setPhone('1009', { behaviour: 'no-answer' });
    try {
      expect((await dial(ana, { number: '0012125551230' })).statusCode).toBe(202);
      const mine = await until('Ana’s phone answered', () => channelOf('PJSIP/1001-'));
      await until('answered outside', () => channelOf('PJSIP/operadora-')?.state === 'Up');
      await until('the call supervisable', () => routing().manualCalls?.supervisable(mine.id));
      const rung = await t.request('POST', `/api/v1/agents/${anaId}/take-over`, { cookie: sofia.cookie });
      expect(rung.json()).toMatchObject({ mode: 'takeover', rung: true });
      await until('Sofia’s phone ringing', () => channelOf('PJSIP/1009-'));
      // While it rings, Ana consults a transfer; then Sofia answers.
      await emulator.sendDtmf(mine.id, '*200551133334444#');
      await until('the consulted number answered', () => emulator.channels().filter((c) => c.name.startsWith('PJSIP/operadora-') && c.state === 'Up').length === 2);
      await emulator.answerPhone('1009');
      await until('Sofia’s phone hung up', () => channelOf('PJSIP/1009-') === undefined);
      expect(channelOf('PJSIP/1001-')?.id).toBe(mine.id);
      const told = await until('the refusal pushed', () => publish.mock.calls.find((call) => call[2].type === 'supervision.refused'));
      expect(told).toMatchObject(['queues', t.tenantA, { data: { supervisorUserId: sofiaId, agentUserId: anaId, mode: 'takeover', reason: 'consult' }, teams: [teamId] }]);
    } finally {
      publish.mockRestore();
      emulator.setPhone('1009', { behaviour: 'answer', answerAfterMs: 100 });
    }
  });

  it('stops listening when asked, leaving Ana’s call as it was', async () => {
    expect((await dial(ana, { number: '0012125551230' })).statusCode).toBe(202);
    const mine = await until('Ana’s phone answered', () => channelOf('PJSIP/1001-'));
    const out = await until('answered outside', () => (channelOf('PJSIP/operadora-')?.state === 'Up' ? channelOf('PJSIP/operadora-') : undefined));
    await until('the call supervisable', () => routing().manualCalls?.supervisable(mine.id));
    expect((await monitor('listen')).statusCode).toBe(200);
    await until('Sofia listening', () => channelOf('PJSIP/1009-') !== undefined && snoopsOn(mine.id).length === 1);
    const stop = await t.request('DELETE', `/api/v1/agents/${anaId}/monitor`, { cookie: sofia.cookie });
    expect(stop.statusCode).toBe(204);
    await until('Sofia’s leg and the snoop gone', () => channelOf('PJSIP/1009-') === undefined && snoopsOn(mine.id).length === 0);
    expect(sameMembers(bridgeWith(out.id)?.channels, [mine.id, out.id])).toBe(true);
  });
});

describe('who may dial, and what', () => {
  it('refuses bad numbers, numbers no route takes, blacklisted numbers and unknown contacts, naming the field', async () => {
    for (const number of ['abc', '1', '']) {
      const res = await dial(ana, { number });
      expect(res.statusCode, number).toBe(400);
      expect(fieldOf(res)).toBe('number');
    }
    const noRoute = await dial(ana, { number: '123456' });
    expect(noRoute.statusCode).toBe(400);
    expect(fieldOf(noRoute)).toBe('number');
    expect(noRoute.json().error.message).toMatch(/route/);
    await world.api('POST', 'blacklist', { direction: 'outbound', number: '11987650000', reason: 'pediu para não ligar' });
    const blocked = await dial(ana, { number: '011987650000' });
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.message).toMatch(/blacklist/);
    const unknown = await dial(ana, { number: '011987654320', contactId: maria + 1000 });
    expect(unknown.statusCode).toBe(400);
    expect(fieldOf(unknown)).toBe('contactId');
    expect(stateOf()).toBe('available');
  });

  it('refuses a user without dialout:write, an agent not logged in, and an extension that may not call outside', async () => {
    const viewer = await t.loginAs('agent', { permissions: ['agent:read', 'agent:write'] });
    expect((await dial(viewer, { number: '0012125551230' })).statusCode).toBe(403);
    const { id: carlaId, who: carlaIn } = await agent('Carla', '1003');
    const offline = await dial(carlaIn, { number: '0012125551230' });
    expect(offline.statusCode).toBe(409);
    expect(fieldOf(offline)).toBe('agent');
    routing().login(t.tenantA, carlaId);
    emulator.setPhone('1003', { registered: true, behaviour: 'answer', reachable: true });
    await until('Carla’s phone registered', () => routing().agent(t.tenantA, carlaId).registered);
    const notOutside = await dial(carlaIn, { number: '0012125551230' });
    expect(notOutside.statusCode).toBe(403);
    expect(notOutside.json().error.message).toMatch(/1003 may not call outside/);
  });
});

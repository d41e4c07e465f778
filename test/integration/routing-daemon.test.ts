/**
 * Queues in the daemon as main.ts wires it (`callFlows`: the flows' runner, the queue step, the
 * resumer), over real sockets to the emulator, with an agent's emulated phone:
 * - the daemon restarting with callers waiting: the emulator keeps the callers' channels in the
 *   Stasis application while no daemon is connected (as Asterisk does), and the next run's
 *   reconciliation puts the ones still there back into their queue, in their original order,
 *   under the same interactions; the one who hung up meanwhile is counted as lost, and so is one
 *   whose queue was deactivated meanwhile (never left open);
 * - the satisfaction survey of the IVR a caller came through, heard when the agent hangs up first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallsApp, type CallsApp } from '../../src/calls/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { calls as callsTable, queues, routedInteractions } from '../../src/db/schema/index.js';
import { seededRandom, silentLogger, systemClock } from '../../src/kernel/index.js';
import { callFlows, createModules, type Modules } from '../../src/modules.js';
import { bootstrap, OrgService, SYSTEM_ACTOR } from '../../src/org/index.js';
import type { TelephonyEvent } from '../../src/telephony/call-control.js';
import { createAmiClient, type AmiClient } from '../../src/telephony/ami/index.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { validCnpj } from '../helpers/app.js';
import { sound } from '../helpers/flows-fixtures.js';
import { EventLog } from '../helpers/events.js';
import { until } from '../helpers/until.js';

interface Daemon {
  database: Database_;
  modules: Modules;
  calls: CallsApp;
  ari: AriCallControlHandle;
  ami: AmiClient;
  events: EventLog<TelephonyEvent>;
}

const change = { actor: SYSTEM_ACTOR };
let dir: string;
let emulator: Emulator;
const daemons: Daemon[] = [];
let tenantId: number;
let ana: number;
let queueId: number;

/** One run of the daemon on the data dir, wired as main.ts wires it. */
async function startDaemon(): Promise<Daemon> {
  const config = loadConfig({}, { dataDir: dir, log: { level: 'silent' }, seedDemo: false, adminPassword: 'admin-test-password' });
  const database = openDatabase(join(dir, 'atende.db'));
  await bootstrap({ config, database, logger: silentLogger, clock: systemClock });
  const modules = createModules({ config, database, clock: systemClock, logger: silentLogger, random: seededRandom(5) });
  const ari = createAriCallControl({ url: emulator.ariUrl, user: emulator.ariUser, password: emulator.ariPassword, app: 'atende', logger: silentLogger });
  const events = new EventLog<TelephonyEvent>((l) => ari.callControl.onEvent(l));
  const ami = createAmiClient({ port: emulator.amiPort, user: emulator.amiUser, secret: emulator.amiSecret, logger: silentLogger });
  modules.routing.service.followPhones(ami);
  const flows = callFlows(modules, { control: ari.callControl, dataDir: dir });
  const calls = createCallsApp({
    callControl: ari.callControl,
    database,
    logger: silentLogger,
    clock: systemClock,
    config: { asterisk: { ari: { app: 'atende' }, soundsDir: '' } },
    tenantResolver: flows.tenantResolver,
    handlers: flows.handlers,
    resumer: flows.resumer,
  });
  ari.start();
  ami.start();
  await events.waitFor((e) => e.type === 'ConnectionChanged' && e.link === 'ari' && e.state === 'up', 10_000, 'ARI up');
  await calls.start();
  const d = { database, modules, calls, ari, ami, events };
  daemons.push(d);
  return d;
}

/** The process dies: its links to Asterisk drop, nothing is hung up or closed. */
async function crash(d: Daemon): Promise<void> {
  await d.ari.stop();
  await d.ami.stop();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atende-queue-restart-'));
  emulator = await startEmulator({ recordingsDir: join(dir, 'spool'), speed: 20, phones: [{ ext: '2001' }] });
});

afterAll(async () => {
  const last = daemons.at(-1);
  await last?.calls.stop(0);
  for (const d of daemons) {
    await d.ari.stop();
    await d.ami.stop();
    await d.modules.close();
    d.database.close();
  }
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a daemon restart with callers waiting in a queue', () => {
  it('puts the callers still on the line back into their queue in their order, under the same interactions; the one who hung up meanwhile is lost', async () => {
    const first = await startDaemon();
    const org = new OrgService(first.database, systemClock, first.modules.resources.audit);
    tenantId = org.createTenant(change, { legalName: 'Empresa', cnpj: validCnpj(41) }).id;
    ana = (
      await org.createUser(change, tenantId, {
        name: 'Ana',
        login: 'agente.2001',
        password: 'senha-secreta',
        level: 'agent',
        extension: '2001',
        flags: { callCenter: true },
        concurrency: { voice: 1 },
        passwordChangeRequired: false,
      })
    ).id;
    const routing = first.modules.routing.service;
    queueId = routing.queues.create(change, tenantId, { name: 'Vendas', number: '700', strategy: 'linear', joinRule: 'always', members: [{ userId: ana }] }).id;
    first.modules.provisioning.services.inboundRoutes.create(change, tenantId, { name: 'DID vendas', did: '1133330000', destination: { kind: 'queue', id: queueId } });

    // Three customers wait (nobody is logged in yet), one after the other.
    const callers: string[] = [];
    for (const from of ['11911110001', '11911110002', '11911110003']) {
      callers.push((await emulator.placeInboundCall({ did: '1133330000', from, via: { span: 1 } })).channelId);
      await until(`caller ${from} waiting`, () => (routing.queueLive(tenantId, queueId)?.waiting.length ?? 0) === callers.length);
    }
    const visits = first.database.db.select().from(routedInteractions).all().sort((a, b) => a.enteredAt - b.enteredAt);
    expect(visits.map((v) => v.contactAddress)).toEqual(['11911110001', '11911110002', '11911110003']);
    const callIds = callers.map((ch) => first.database.db.select().from(callsTable).all().find((c) => c.channelId === ch)!.callId);

    await crash(first);
    // While no daemon runs, the second customer gives up; the others hold on.
    await emulator.hangup(callers[1]!, 16);

    const second = await startDaemon();
    const again = second.modules.routing.service;
    await until('the two callers back in the queue', () => (again.queueLive(tenantId, queueId)?.waiting.length ?? 0) === 2);
    const live = again.queueLive(tenantId, queueId)!;
    expect(live.waiting.map((w) => [w.id, w.enteredAt])).toEqual([
      [visits[0]!.id, new Date(visits[0]!.enteredAt).toISOString()],
      [visits[2]!.id, new Date(visits[2]!.enteredAt).toISOString()],
    ]);
    const rows = () => new Map(second.database.db.select().from(routedInteractions).all().map((r) => [r.id, r]));
    expect(rows().get(visits[1]!.id)).toMatchObject({ outcome: 'lost', handled: true, endReason: expect.stringMatching(/restarted.*gone/) });
    expect(rows().size).toBe(3);
    // Each carries on under its call record of the first run, still open.
    const records = second.database.db.select().from(callsTable).all();
    expect(records.filter((c) => c.state !== 'ended').map((c) => c.callId).sort()).toEqual([callIds[0], callIds[2]].sort());
    // Each is in its queue's holding bridge, that of the first run replaced (not left behind).
    expect(emulator.bridges().filter((b) => b.id.startsWith('queue-'))).toEqual([
      { id: `queue-${visits[0]!.id}`, channels: [callers[0]] },
      { id: `queue-${visits[2]!.id}`, channels: [callers[2]] },
    ]);

    // The first in line is the first offered when the agent logs in, and talks to her.
    again.login(tenantId, ana);
    await until('Ana talking', () => again.agent(tenantId, ana).state === 'busy');
    expect(rows().get(visits[0]!.id)).toMatchObject({ outcome: 'answered', agentUserId: ana });
    expect(again.queueLive(tenantId, queueId)!.waiting.map((w) => w.id)).toEqual([visits[2]!.id]);
    await emulator.hangup(callers[0]!, 16);
    await emulator.hangup(callers[2]!, 16);
    await until('the last caller gave up', () => rows().get(visits[2]!.id)?.outcome === 'abandoned');
  });
});

describe('the survey after the agent', () => {
  it('a caller who came through an IVR with a survey hears it when the agent hangs up first, and the answer is kept', async () => {
    const d = daemons.at(-1)!;
    const { flows, provisioning, routing } = d.modules;
    const survey = flows.surveys.create(change, tenantId, { name: 'CSAT', intro: [], questions: [{ alias: 'nota', prompt: [sound('atende-survey-intro')], min: 1, max: 5 }] });
    const ivr = flows.ivrs.create(change, tenantId, {
      name: 'Atendimento',
      surveyId: survey.id,
      definition: {
        root: 'main',
        nodes: [{ id: 'main', kind: 'menu', greeting: [], prompt: [sound('atende-please-hold')], options: [{ digit: '1', target: { destination: { kind: 'queue', id: queueId } } }], timeoutSeconds: 5, retries: 1 }],
      },
    });
    provisioning.services.inboundRoutes.create(change, tenantId, { name: 'DID suporte', did: '1133331111', destination: { kind: 'ivr', id: ivr.id } });
    const agentIdle = () => routing.service.agent(tenantId, ana).state === 'available' || routing.service.agent(tenantId, ana).state === 'wrap_up';
    await until('Ana free', agentIdle);
    if (routing.service.agent(tenantId, ana).state === 'wrap_up') routing.service.ready(tenantId, ana);

    const { channelId } = await emulator.placeInboundCall({ did: '1133331111', from: '11955554444', via: { span: 1 } });
    await d.events.waitFor((e) => e.type === 'PlaybackStarted' && 'channelId' in e.target && e.target.channelId === channelId, 10_000, 'the menu');
    await emulator.sendDtmf(channelId, '1');
    await until('Ana talking', () => routing.service.agent(tenantId, ana).state === 'busy');
    const agentLeg = emulator.channels().find((c) => c.name.startsWith('PJSIP/2001-'))!;
    const before = d.events.events.length;
    await emulator.hangup(agentLeg.id, 16);

    // The caller is still on the line and hears the question (a playback on its channel).
    const asked = () => d.events.events.slice(before).some((e) => e.type === 'PlaybackStarted' && 'channelId' in e.target && e.target.channelId === channelId);
    await until('the survey question', asked);
    expect(emulator.channels().some((c) => c.id === channelId)).toBe(true);
    await emulator.sendDtmf(channelId, '4');
    await d.events.waitFor((e) => e.type === 'CallEnded' && e.channelId === channelId, 15_000, 'the caller hung up after the survey');
    const callId = d.database.db.select().from(callsTable).all().find((c) => c.channelId === channelId)!.callId;
    expect(flows.repo.answersOf(tenantId, callId)).toEqual([{ surveyId: survey.id, alias: 'nota', value: 4, answeredAt: expect.any(Number) }]);
  });
});

describe('a daemon restart with a caller whose queue was deactivated meanwhile', () => {
  it('hangs the caller up and counts the visit as lost instead of leaving it open', async () => {
    const d = daemons.at(-1)!;
    const routing = d.modules.routing.service;
    await until('Ana off the last call', () => routing.agent(tenantId, ana).state !== 'busy');
    if (routing.agent(tenantId, ana).state !== 'offline') routing.logout(tenantId, ana);
    const { channelId } = await emulator.placeInboundCall({ did: '1133330000', from: '11977776666', via: { span: 1 } });
    await until('the caller waiting', () => (routing.queueLive(tenantId, queueId)?.waiting.length ?? 0) === 1);
    const visitId = routing.queueLive(tenantId, queueId)!.waiting[0]!.id;

    await crash(d);
    d.database.db.update(queues).set({ active: false }).where(eq(queues.id, queueId)).run();
    const next = await startDaemon();

    const row = () => next.database.db.select().from(routedInteractions).where(eq(routedInteractions.id, visitId)).get();
    await until('the visit closed', () => row()?.handled);
    expect(row()).toMatchObject({ outcome: 'lost', handled: true, endReason: 'the daemon restarted: the queue is inactive' });
    await until('the caller hung up', () => !emulator.channels().some((c) => c.id === channelId));
  });
});

/**
 * The flow runner on the calls engine, in virtual time: an inbound call runs time condition →
 * IVR → option → announcement → hang-up, and the traces, call data, survey answers and call
 * record say so. The in-memory CallControl stands in for Asterisk; prompts last 2 s.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { calls as callsTable, sipSettings, tenants } from '../../src/db/schema/index.js';
import type { Destination } from '../../src/calls/index.js';
import type { AnnouncementScript } from '../../src/flows/index.js';
import type { Media } from '../../src/telephony/call-control.js';
import { flowsWorld, type FlowsWorld } from '../helpers/flows-world.js';

const hangup: Destination = { kind: 'hangup', cause: 16 };
const weekdays = { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
const sound = (name: string) => ({ kind: 'sound' as const, name });
const DID = '1133334444';
const MONDAY_10H = Date.parse('2026-01-05T13:00:00Z');
const MONDAY_20H = Date.parse('2026-01-05T23:00:00Z');

/** What the two announcements play: "please hold" → hang up; "closed" → hang up. */
const announcements = new Map<number, AnnouncementScript>();

describe('call flows on the calls engine', () => {
  let w: FlowsWorld;
  let tcId: number;
  let ivrId: number;
  let holdId: number;
  let closedId: number;

  const ivrInput = (over: Record<string, unknown> = {}) => ({
    name: 'Principal',
    definition: {
      root: 'main',
      nodes: [
        {
          id: 'main',
          kind: 'menu' as const,
          greeting: [sound('atende-welcome')],
          prompt: [sound('atende-please-hold')],
          options: [
            { digit: '1' as const, target: { node: 'cpf' } },
            { digit: '2' as const, target: { destination: { kind: 'announcement' as const, id: holdId } } },
          ],
          timeoutSeconds: 5,
          retries: 1,
        },
        { id: 'cpf', kind: 'collect' as const, prompt: [sound('atende-timeout')], variable: 'cpf', minDigits: 11, maxDigits: 11, validator: 'cpf' as const, next: { destination: hangup } },
      ],
    },
    ...over,
  });

  beforeEach(async () => {
    w = await flowsWorld({ runner: { announcements: (_t, id) => announcements.get(id) } });
    // Announcements are provisioning's rows; what they play is the test's.
    holdId = w.announcement('Aguarde');
    closedId = w.announcement('Fechado');
    announcements.clear();
    announcements.set(holdId, { prompts: [sound('atende-please-hold')], language: 'pt-BR', next: hangup });
    announcements.set(closedId, { prompts: [sound('atende-closed')], language: 'pt-BR', next: hangup });
    ivrId = w.flows.ivrs.create(w.change, w.tenantId, ivrInput()).id;
    const tc = { name: 'Comercial', periods: [weekdays], openDestination: { kind: 'ivr' as const, id: ivrId }, closedDestination: { kind: 'announcement' as const, id: closedId } };
    tcId = w.flows.timeConditions.create(w.change, w.tenantId, tc).id;
    w.route(DID, { kind: 'time_condition', id: tcId });
  });
  afterEach(async () => w.close());

  const at = async (instant: number) => {
    w.clock.advance(instant - w.clock.now());
    await w.settle();
  };
  /** `main option 2`, `main exit announcement 1`. */
  const traces = (callId: string) =>
    w.flows.repo
      .tracesOf(w.tenantId, callId)
      .map((t) => [t.node, t.event, t.digits, t.destination && `${t.destination.kind} ${'id' in t.destination ? t.destination.id : ''}`.trim()].filter(Boolean).join(' '));
  const record = (channelId: string) => w.database.db.select().from(callsTable).where(eq(callsTable.channelId, channelId)).get()!;
  const played = (channelId: string): Media[][] =>
    w.control.ops('play').filter((c) => (c.args[0] as { channelId: string }).channelId === channelId).map((c) => c.args[1] as Media[]);
  const names = (media: Media[][]) => media.map((m) => m.map((x) => (x.kind === 'file' ? x.path.split('/').pop() : x.kind)).join('+'));

  it('open hours: time condition → IVR → option 2 → announcement → hang-up, traced and recorded', async () => {
    await at(MONDAY_10H);
    const ch = w.control.placeInbound(DID, '11987654321');
    await w.settle();
    // Greeting 0–2 s, menu 2–4 s: pressing 2 at 3 s barges in.
    await w.advance(3000);
    w.control.pressDigits(ch.id, '2');
    await w.settle();
    await w.advance(2000);
    const callId = record(ch.id).callId;
    expect(traces(callId)).toEqual(['main entered', 'main option 2', `main exit announcement ${holdId}`]);
    expect(w.flows.repo.tracesOf(w.tenantId, callId).at(-1)).toMatchObject({ event: 'exit', ivrId, version: 1, destination: { kind: 'announcement', id: holdId } });
    expect(names(played(ch.id))).toEqual(['atende-welcome', 'atende-please-hold', 'atende-please-hold']);
    expect(w.control.ops('stopPlayback')).toHaveLength(1);
    expect(record(ch.id)).toMatchObject({ state: 'ended', cause: 16, hangupBy: 'atende' });
  });

  it('outside hours the same DID hears the closed announcement and is hung up', async () => {
    await at(MONDAY_20H);
    const ch = w.control.placeInbound(DID, '11987654321');
    await w.settle();
    await w.advance(2000);
    expect(names(played(ch.id))).toEqual(['atende-closed']);
    expect(w.flows.repo.tracesOf(w.tenantId, record(ch.id).callId)).toEqual([]);
    expect(record(ch.id)).toMatchObject({ state: 'ended', cause: 16 });
  });

  it('a caller who hangs up in the menu leaves an abandonment in the trace', async () => {
    await at(MONDAY_10H);
    const ch = w.control.placeInbound(DID, '11987654321');
    await w.advance(3000);
    w.control.remoteHangup(ch.id);
    await w.settle();
    expect(traces(record(ch.id).callId)).toEqual(['main entered', 'main abandon']);
    expect(record(ch.id)).toMatchObject({ hangupBy: 'caller' });
    expect(w.control.playingOn(ch.id)).toEqual([]);
  });

  it("a CPF collected is kept in the call's data", async () => {
    await at(MONDAY_10H);
    const ch = w.control.placeInbound(DID, '11987654321');
    await w.advance(3000);
    w.control.pressDigits(ch.id, '1');
    await w.advance(3000);
    w.control.pressDigits(ch.id, '52998224725');
    await w.advance(1000);
    const callId = record(ch.id).callId;
    expect(w.flows.repo.callDataOf(w.tenantId, callId)).toMatchObject({ cpf: '52998224725' });
    expect(traces(callId)).toEqual(['main entered', 'main option 1', 'cpf entered', 'cpf collected', 'cpf exit hangup']);
  });

  it("direct dial reads the tenant's extensions only when a caller's digits need them, once per visit", async () => {
    const ana = w.modules.provisioning.services.extensions.create(w.change, w.tenantId, { number: '1001', displayName: 'Ana' });
    let loads = 0;
    w.runner.provide({
      extensions: (tenantId) => {
        loads++;
        return new Map(w.modules.provisioning.services.extensions.rows(tenantId).map((e) => [e.number, e.id]));
      },
    });
    const reached: Destination[] = [];
    w.runner.register('extension', async (call, d) => {
      reached.push(d);
      await call.hangup(16);
      return { done: true };
    });
    await at(MONDAY_10H);
    // A menu without direct dial: the caller's option never needs the extensions.
    const first = w.control.placeInbound(DID, '11987654321');
    await w.advance(3000);
    w.control.pressDigits(first.id, '2');
    await w.advance(3000);
    expect(record(first.id)).toMatchObject({ state: 'ended' });
    expect(loads).toBe(0);

    const direct = ivrInput();
    (direct.definition.nodes[0] as { directDialLength?: number }).directDialLength = 4;
    w.flows.ivrs.update(w.change, ivrId, direct);
    const second = w.control.placeInbound(DID, '11987654322');
    await w.advance(3000);
    w.control.pressDigits(second.id, '1001');
    await w.advance(1000);
    expect(reached).toEqual([{ kind: 'extension', id: ana.id }]);
    expect(loads).toBe(1);
  });

  it('a call keeps the IVR version it entered while the IVR is edited', async () => {
    await at(MONDAY_10H);
    const ch = w.control.placeInbound(DID, '11987654321');
    await w.advance(1000);
    // Version 2 swaps the options: 2 would now collect a CPF.
    const v2 = ivrInput();
    (v2.definition.nodes[0] as { options: unknown[] }).options = [
      { digit: '2', target: { node: 'cpf' } },
      { digit: '1', target: { destination: { kind: 'announcement', id: holdId } } },
    ];
    expect(w.flows.ivrs.update(w.change, ivrId, v2).version).toBe(2);
    w.control.pressDigits(ch.id, '2');
    await w.advance(3000);
    const t = w.flows.repo.tracesOf(w.tenantId, record(ch.id).callId);
    expect(t.at(-1)).toMatchObject({ event: 'exit', version: 1, destination: { kind: 'announcement', id: holdId } });
    // A new call runs version 2.
    const next = w.control.placeInbound(DID, '11987654322');
    await w.advance(1000);
    w.control.pressDigits(next.id, '2');
    await w.advance(1000);
    expect(w.flows.repo.tracesOf(w.tenantId, record(next.id).callId).map((x) => [x.version, x.node, x.event])).toContainEqual([2, 'cpf', 'entered']);
  });

  it('a prompt file missing on disk plays the fallback tone, logs, and the flow goes on', async () => {
    const broken = ivrInput();
    broken.definition.nodes[0]!.greeting = [{ kind: 'sound', name: 'atende-num-7' }];
    w.flows.ivrs.update(w.change, ivrId, broken);
    // The catalogue knows the sound but this installation lost its file.
    const { renameSync } = await import('node:fs');
    const { productSoundsDir } = await import('../../src/calls/index.js');
    const file = `${productSoundsDir}/pt-BR/atende-num-7.wav`;
    renameSync(file, `${file}.away`);
    try {
      await at(MONDAY_10H);
      const ch = w.control.placeInbound(DID, '11987654321');
      await w.advance(5000);
      expect(names(played(ch.id))).toEqual(['atende-fallback-tone', 'atende-please-hold']);
      expect(w.logs.some((l) => l.level === 40 && /fallback tone/.test(l.msg))).toBe(true);
    } finally {
      renameSync(`${file}.away`, file);
    }
  });

  it('a prompt Asterisk fails to play is followed by the fallback tone, never silence', async () => {
    await at(MONDAY_10H);
    w.control.failNext('play', new Error('Asterisk refused the media'));
    const ch = w.control.placeInbound(DID, '11987654321');
    await w.advance(5000);
    expect(names(played(ch.id))).toEqual(['atende-welcome', 'atende-fallback-tone', 'atende-please-hold']);
  });

  it('after an agent leg the IVR’s survey asks its questions and keeps the answers, partial ones too', async () => {
    const survey = w.flows.surveys.create(w.change, w.tenantId, {
      name: 'CSAT',
      intro: [],
      questions: [
        { alias: 'nota', prompt: [sound('atende-survey-intro')], min: 1, max: 5 },
        { alias: 'resolvido', prompt: [sound('atende-survey-intro')], min: 1, max: 2 },
      ],
    });
    const withAgent = ivrInput({ surveyId: survey.id });
    const extension = w.modules.provisioning.services.extensions.create(w.change, w.tenantId, { number: '1001', displayName: 'Ana' });
    (withAgent.definition.nodes[0] as { options: unknown[] }).options.push({ digit: '3', target: { destination: { kind: 'extension', id: extension.id } } });
    w.flows.ivrs.update(w.change, ivrId, withAgent);
    // The agent leg (the telephony flows' step stands in): the agent talks, then hangs up first.
    w.runner.register('extension', async (call) => {
      await new Promise<void>((r) => call.clock.setTimeout(r, 10_000));
      return { afterAgent: true };
    });
    await at(MONDAY_10H);
    const ch = w.control.placeInbound(DID, '11987654321');
    await w.advance(3000);
    w.control.pressDigits(ch.id, '3');
    await w.advance(11_000);
    w.control.pressDigits(ch.id, '4');
    await w.advance(1000);
    w.control.remoteHangup(ch.id);
    await w.settle();
    const callId = record(ch.id).callId;
    expect(w.flows.repo.answersOf(w.tenantId, callId)).toEqual([{ surveyId: survey.id, alias: 'nota', value: 4, answeredAt: expect.any(Number) }]);
    expect(w.database.db.select().from(callsTable).where(and(eq(callsTable.channelId, ch.id), eq(callsTable.state, 'ended'))).get()).toBeDefined();
  });

  it('a loop that slipped past the checks is cut off after a bounded number of destinations', async () => {
    const queue = w.modules.routing.service.queues.create(w.change, w.tenantId, { name: 'Vendas', number: '700' });
    // A queue step that sends the call back to the same queue (the save-time checks cannot see a step's own logic).
    w.runner.register('queue', async (_call, d) => ({ next: d }));
    w.route('1155556666', { kind: 'queue', id: queue.id });
    const ch = w.control.placeInbound('1155556666', '11987654321');
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 16]]);
    expect(w.logs.some((l) => l.level === 50 && /too many destinations/.test(l.msg))).toBe(true);
  });

  it('a conference with a PIN: callers join one bridge with a join tone, leave with a leave tone; the last one out removes it', async () => {
    const room = w.modules.provisioning.services.conferences.create(w.change, w.tenantId, { name: 'Diretoria', number: '5003', pin: '1234', maxMembers: 2 });
    w.route('1130000003', { kind: 'conference', id: room.id });
    const bridge = `atende-conf-t1-${room.id}`;
    const toBridge = () => w.control.ops('play').filter((c) => 'bridgeId' in (c.args[0] as object)).map((c) => names([c.args[1] as Media[]])[0]);
    const a = w.control.placeInbound('1130000003', '11911110000');
    await w.advance(2500); // the PIN prompt
    w.control.pressDigits(a.id, '1234#');
    await w.settle();
    expect([...w.control.bridges.get(bridge)!]).toEqual([a.id]);
    const b = w.control.placeInbound('1130000003', '11922220000');
    await w.advance(2500);
    w.control.pressDigits(b.id, '9999#');
    await w.advance(4500); // "wrong PIN", then the PIN prompt again
    w.control.pressDigits(b.id, '1234#');
    await w.settle();
    expect([...w.control.bridges.get(bridge)!]).toEqual([a.id, b.id]);
    expect(names(played(b.id))).toEqual(['atende-conference-pin', 'atende-conference-pin-invalid', 'atende-conference-pin']);
    const c = w.control.placeInbound('1130000003', '11933330000');
    await w.advance(2500);
    w.control.pressDigits(c.id, '1234#');
    await w.advance(2500);
    expect(names(played(c.id)).at(-1)).toBe('atende-conference-full');
    expect(record(c.id)).toMatchObject({ state: 'ended' });
    w.control.remoteHangup(a.id);
    await w.settle();
    expect(w.control.bridges.has(bridge)).toBe(true);
    w.control.remoteHangup(b.id);
    await w.settle();
    expect(w.control.bridges.has(bridge)).toBe(false);
    expect(toBridge()).toEqual(['atende-conference-join', 'atende-conference-join', 'atende-conference-leave']);
  });

  it('a blacklisted caller is rejected before answer with the configured cause, whatever form the carrier sends the number in', async () => {
    w.modules.contacts.blacklist.create(w.change, w.tenantId, { direction: 'inbound', number: '+5511900000000' });
    // The server-wide SIP settings say which cause (a super user sets it through the API).
    w.modules.provisioning.settings.view();
    w.database.db.update(sipSettings).set({ blacklistCause: 17 }).run();
    const ch = w.control.placeInbound(DID, '011900000000');
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 17]]);
    expect(w.control.ops('answer')).toEqual([]);
    expect(record(ch.id)).toMatchObject({ state: 'ended', cause: 17, hangupBy: 'atende', answeredAt: null });
    expect(w.flows.repo.callDataOf(w.tenantId, record(ch.id).callId)).toEqual({ caller_id_raw: '011900000000', caller_id_e164: '+5511900000000' });
  });

  it("a caller's local number is completed with the tenant's DDD; the raw value is kept beside it", async () => {
    w.database.db.update(tenants).set({ ddd: '21' }).where(eq(tenants.id, w.tenantId)).run();
    await at(MONDAY_10H);
    const ch = w.control.placeInbound(DID, '987654321');
    await w.settle();
    expect(w.flows.repo.callDataOf(w.tenantId, record(ch.id).callId)).toEqual({ caller_id_raw: '987654321', caller_id_e164: '+5521987654321' });
    const anonymous = w.control.placeInbound(DID, 'anonymous');
    await w.settle();
    expect(w.flows.repo.callDataOf(w.tenantId, record(anonymous.id).callId)).toEqual({ caller_id_raw: 'anonymous' });
  });

  it('a DID with no route is rejected with cause 1', async () => {
    const ch = w.control.placeInbound('1100000000', '11987654321');
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 1]]);
    expect(w.control.ops('answer')).toEqual([]);
  });
});

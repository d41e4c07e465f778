/**
 * Call flows over real sockets: an emulated call to a DID enters the Stasis app through the
 * production ARI adapter and runs time condition (open) → IVR → option 2 → announcement →
 * hang-up; the same DID outside hours hears the closed prompt; a voicemail box keeps what a
 * caller records as a WAV. The caller's DTMF comes from the emulator, as the far end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallsApp, type CallsApp } from '../../src/calls/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { Database_ } from '../../src/db/client.js';
import { calls as callsTable } from '../../src/db/schema/index.js';
import { wavDurationMs, type AnnouncementScript, type Destination, type FlowsModule } from '../../src/flows/index.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';
import { createModules } from '../../src/modules.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import type { CallControl, Media, TelephonyEvent } from '../../src/telephony/call-control.js';
import type { AriCallControlHandle } from '../../src/telephony/ari/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { emulatorWithAri, type EmulatorWithAri } from '../helpers/emulator-ari.js';
import type { EventLog } from '../helpers/events.js';

const SPEED = 20;
const hangup: Destination = { kind: 'hangup', cause: 16 };
const sound = (name: string) => ({ kind: 'sound' as const, name });
const announcements = new Map<number, AnnouncementScript>([
  [7, { prompts: [sound('atende-please-hold')], language: 'pt-BR', next: hangup }],
  [8, { prompts: [sound('atende-closed')], language: 'pt-BR', next: hangup }],
]);

let dir: string;
let emulator: Emulator;
let ari: AriCallControlHandle;
let database: Database_;
let calls: CallsApp;
let flows: FlowsModule;
let events: EventLog<TelephonyEvent>;
let world: EmulatorWithAri;
const routes = new Map<string, Destination>();
const plays: { channelId: string; media: Media[] }[] = [];
const change = { actor: SYSTEM_ACTOR };

/** The adapter, with every play noted (which prompts a channel heard). */
function noting(control: CallControl): CallControl {
  return new Proxy(control, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === 'play') {
        return (t: { channelId?: string }, media: Media[], o: unknown) => {
          plays.push({ channelId: t.channelId ?? '', media });
          return target.play(t as never, media, o as never);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atende-flows-emu-'));
  world = await emulatorWithAri(dir, SPEED);
  ({ emulator, ari, events, database } = world);
  const config = loadConfig({}, { dataDir: dir, log: { level: 'silent' } });
  const modules = createModules({ config, database, clock: systemClock, logger: silentLogger });
  flows = modules.flows;
  flows.destinations.register('announcement', { label: 'announcement', nameOf: (_t, id) => (announcements.has(id) ? `a${id}` : undefined) });
  const runner = modules.flowRunner;
  runner.provide({ announcements: (_t, id) => announcements.get(id) });
  calls = createCallsApp({
    callControl: noting(ari.callControl),
    database,
    logger: silentLogger,
    clock: systemClock,
    config: { asterisk: { ari: { app: 'atende' }, soundsDir: '' } },
    handlers: { inbound: runner.inboundHandler((_t, did) => routes.get(did)) },
  });
  await calls.start();
});

afterAll(async () => world?.close(calls));

const started = (channelId: string, nth: number) =>
  events.waitFor(
    () => events.events.filter((e) => e.type === 'PlaybackStarted' && 'channelId' in e.target && e.target.channelId === channelId).length >= nth,
    10_000,
    `playback ${nth} on ${channelId}`,
  );
const endOf = (channelId: string) => events.waitFor((e) => e.type === 'CallEnded' && e.channelId === channelId, 15_000, `end of ${channelId}`);
const recordOf = (channelId: string) => database.db.select().from(callsTable).where(eq(callsTable.channelId, channelId)).get()!;
const heard = (channelId: string) => plays.filter((p) => p.channelId === channelId).map((p) => p.media.map((m) => (m.kind === 'file' ? m.path.split('/').pop() : m.kind)).join('+'));

describe('call flows through the ARI adapter and the emulator', () => {
  let tcId: number;

  beforeAll(() => {
    const ivr = flows.ivrs.create(change, 1, {
      name: 'Principal',
      definition: {
        root: 'main',
        nodes: [
          {
            id: 'main',
            kind: 'menu',
            greeting: [sound('atende-welcome')],
            prompt: [sound('atende-survey-intro')],
            options: [
              { digit: '1', target: { destination: hangup } },
              { digit: '2', target: { destination: { kind: 'announcement', id: 7 } } },
            ],
          },
        ],
      },
    });
    const always = { start: '00:00', end: '24:00' };
    tcId = flows.timeConditions.create(change, 1, { name: 'Comercial', periods: [always], openDestination: { kind: 'ivr', id: ivr.id }, closedDestination: { kind: 'announcement', id: 8 } }).id;
    routes.set('1133334444', { kind: 'time_condition', id: tcId });
  });

  it('open: time condition → IVR → option 2 → announcement → hang-up, in the trace and the call record', async () => {
    const { channelId } = await emulator.placeInboundCall({ did: '1133334444', from: '11987654321', via: { span: 1 } });
    await started(channelId, 2); // greeting, then the menu
    await emulator.sendDtmf(channelId, '2');
    await endOf(channelId);
    const record = recordOf(channelId);
    expect(record).toMatchObject({ state: 'ended', cause: 16, hangupBy: 'atende', toNumber: '1133334444' });
    const traces = flows.repo.tracesOf(1, record.callId).map((t) => `${t.node} ${t.event}${t.digits ? ` ${t.digits}` : ''}`);
    expect(traces).toEqual(['main entered', 'main option 2', 'main exit']);
    expect(flows.repo.tracesOf(1, record.callId).at(-1)?.destination).toEqual({ kind: 'announcement', id: 7 });
    expect(heard(channelId)).toEqual(['atende-welcome', 'atende-survey-intro', 'atende-please-hold']);
  });

  it('closed: the same DID outside hours hears the closed prompt and is hung up', async () => {
    flows.timeConditions.update(change, tcId, { override: { state: 'closed', until: null } });
    try {
      const { channelId } = await emulator.placeInboundCall({ did: '1133334444', from: '11987654321', via: { trunk: 'trunk1' } });
      await endOf(channelId);
      expect(heard(channelId)).toEqual(['atende-closed']);
      expect(recordOf(channelId)).toMatchObject({ state: 'ended', cause: 16, hangupBy: 'atende' });
      expect(flows.repo.tracesOf(1, recordOf(channelId).callId)).toEqual([]);
    } finally {
      flows.timeConditions.update(change, tcId, { override: null });
    }
  });

  it('voicemail: greeting, beep, the caller speaks and presses #; the message is kept as a WAV', async () => {
    const box = flows.voicemailBoxes.create(change, 1, { name: 'Recepção', number: '800' });
    routes.set('1140040000', { kind: 'voicemail', id: box.id });
    const { channelId } = await emulator.placeInboundCall({ did: '1140040000', from: '11912345678', via: { span: 1 } });
    await events.waitFor((e) => e.type === 'RecordingStarted' && 'channelId' in e.target && e.target.channelId === channelId, 10_000, 'recording');
    await new Promise((r) => setTimeout(r, 200)); // the caller speaks (4 s at the emulator's speed)
    await emulator.sendDtmf(channelId, '#');
    await endOf(channelId);
    const page = flows.messages(change.actor, box.id, { limit: 10, offset: 0 });
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ from: '11912345678', heardAt: null, callId: recordOf(channelId).callId });
    expect(page.items[0]!.durationMs).toBeGreaterThanOrEqual(3000);
    const { stream } = flows.messageAudio(change.actor, box.id, page.items[0]!.id);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(wavDurationMs(Buffer.concat(chunks))).toBe(page.items[0]!.durationMs);
    expect(heard(channelId)).toEqual(['atende-voicemail-greeting+atende-beep', 'atende-voicemail-saved']);
  });
});

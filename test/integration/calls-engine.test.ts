/**
 * The Stasis application's engine against the in-memory CallControl, a FakeClock and a real
 * SQLite file: what ends up in the call records for each way a call can go.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { callView, createCallsApp, EndReason, type CallRecord, type CallsApp, type CallView, type TenantResolver } from '../../src/calls/index.js';
import { createCallsRepo } from '../../src/calls/calls.repo.js';
import { productSoundsDir } from '../../src/calls/sounds.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { calls as callsTable, tenants } from '../../src/db/schema/index.js';
import { FakeClock, type LiveEvent, type TenantId, type Topic } from '../../src/kernel/index.js';
import { TelephonyError, type Media } from '../../src/telephony/call-control.js';
import { FakeCallControl, type FakeCallControlOptions } from '../helpers/fake-call-control.js';
import { capturingLogger, type LogLine } from '../helpers/logs.js';

const WELCOME = join(productSoundsDir, 'pt-BR', 'atende-welcome');

/** Playing time of an 8 kHz 16-bit mono WAV written by scripts/make-sounds.sh (44-byte header). */
function wavDurationMs(file: string): number {
  const buf = readFileSync(file);
  const byteRate = buf.readUInt32LE(28);
  return Math.round(((buf.length - 44) / byteRate) * 1000);
}
const WELCOME_MS = wavDurationMs(`${WELCOME}.wav`);

/** Media duration as Asterisk would find it: our own files by their length, 'missing' otherwise. */
const fromFiles = (m: Media): number | 'missing' | undefined =>
  m.kind === 'file' ? (existsSync(`${m.path}.wav`) ? wavDurationMs(`${m.path}.wav`) : 'missing') : 1000;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface World {
  dir: string;
  database: Database_;
  clock: FakeClock;
  control: FakeCallControl;
  app: CallsApp;
  logs: LogLine[];
  /** What the engine published for the events socket. */
  published: { topic: Topic; tenantId: number | null; event: LiveEvent }[];
  tenantId: TenantId;
  rows(): CallRecord[];
  row(channelId: string): CallRecord;
  settle(): Promise<void>;
}

const asteriskConfig = (soundsDir = '') => ({
  asterisk: {
    ari: { url: '', user: '', password: '', app: 'atende' },
    ami: { host: '127.0.0.1', port: 5038, user: '', secret: '' },
    soundsDir,
  },
});

async function world(
  opts: {
    control?: FakeCallControlOptions;
    tenants?: number;
    dir?: string;
    tenantResolver?: TenantResolver;
    soundsDir?: string;
    start?: boolean;
  } = {},
): Promise<World> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'atende-calls-'));
  const database = openDatabase(join(dir, 'atende.db'));
  cleanups.push(() => {
    database.close();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  });
  const count = opts.tenants ?? 1;
  const existing = database.db.select().from(tenants).all().length;
  for (let i = existing; i < count; i++) {
    database.db.insert(tenants).values({ legalName: `Empresa ${i + 1}`, cnpj: `0000000000000${i}` }).run();
  }
  const clock = new FakeClock();
  const control = new FakeCallControl({ clock, mediaDurationMs: fromFiles, ...opts.control });
  const { logger, logs } = capturingLogger();
  const published: World['published'] = [];
  const app = createCallsApp({
    callControl: control,
    database,
    logger,
    clock,
    config: asteriskConfig(opts.soundsDir),
    tenantResolver: opts.tenantResolver,
    events: { publish: (topic, tenantId, event) => published.push({ topic, tenantId, event }) },
  });
  if (opts.start !== false) await app.start();
  const repo = createCallsRepo(database.db);
  const rows = () =>
    database.db
      .select({ callId: callsTable.callId, tenantId: callsTable.tenantId })
      .from(callsTable)
      .all()
      .map((r) => repo.get(r.tenantId as TenantId, r.callId)!);
  return {
    dir,
    database,
    clock,
    control,
    app,
    logs,
    published,
    tenantId: 1 as TenantId,
    rows,
    row(channelId) {
      const r = rows().find((x) => x.channelId === channelId);
      if (!r) throw new Error(`no call record for ${channelId}`);
      return r;
    },
    settle: () => control.flush(),
  };
}

const errorsIn = (logs: LogLine[]) => logs.filter((l) => l.level >= 50);

describe('inbound call, default flow', () => {
  it('is answered, hears the welcome prompt to the end, and is hung up by Atende with cause 16', async () => {
    const w = await world();
    const T0 = w.clock.now();
    const ch = w.control.placeInbound('4830001234', '5548999990000', 'span:1');
    await w.settle();

    expect(w.control.ops('answer').map((c) => c.args[0])).toEqual([ch.id]);
    const [play] = w.control.ops('play');
    expect(play!.args[1]).toEqual([{ kind: 'file', path: WELCOME }]);
    expect(w.app.activeCalls()).toEqual([
      expect.objectContaining({ channelId: ch.id, state: 'in_progress', kind: 'inbound', tenantId: 1 }),
    ]);
    expect(w.row(ch.id)).toMatchObject({ state: 'in_progress', answeredAt: T0, endedAt: null });

    w.clock.advance(WELCOME_MS - 1);
    await w.settle();
    expect(w.control.ops('hangup')).toHaveLength(0);
    w.clock.advance(1);
    await w.settle();

    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 16]]);
    expect(w.row(ch.id)).toMatchObject({
      tenantId: 1,
      direction: 'inbound',
      kind: 'inbound',
      from: '5548999990000',
      to: '4830001234',
      trunkRef: 'span:1',
      state: 'ended',
      startedAt: T0,
      answeredAt: T0,
      endedAt: T0 + WELCOME_MS,
      cause: 16,
      causeText: 'Normal call clearing',
      hangupBy: 'atende',
      endReason: 'normal',
    });
    expect(w.app.activeCalls()).toEqual([]);
    expect(errorsIn(w.logs)).toEqual([]);
    expect(w.logs.some((l) => l.msg === 'call entered' && l.callId === w.row(ch.id).callId && l.tenantId === 1)).toBe(true);
  });

  it('asks Asterisk to hang up once, even when the end event comes after the hangup reply', async () => {
    const w = await world({ control: { endOnHangup: false } });
    const ch = w.control.placeInbound('4830001234', '5548999990000', 'span:1');
    await w.settle();
    w.clock.advance(WELCOME_MS);
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 16]]);
    expect(w.row(ch.id).state).toBe('in_progress');

    w.control.emit({ type: 'CallEnded', at: w.clock.now(), channelId: ch.id, hangup: { cause: 16, causeText: 'Normal call clearing', by: 'atende' } });
    await w.settle();
    expect(w.control.ops('hangup')).toHaveLength(1);
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', cause: 16, hangupBy: 'atende' });
  });

  it('caller hanging up mid-prompt closes the record as hung up by the caller, with no error', async () => {
    const w = await world();
    const ch = w.control.placeInbound('4830001234', '5548999990000', 'trunk:operadora');
    await w.settle();
    w.clock.advance(2000);
    w.control.remoteHangup(ch.id, 16);
    await w.settle();

    expect(w.control.ops('hangup')).toHaveLength(0);
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', hangupBy: 'caller', cause: 16, endReason: 'normal', trunkRef: 'trunk:operadora' });
    expect(w.row(ch.id).endedAt! - w.row(ch.id).startedAt).toBe(2000);
    expect(w.app.activeCalls()).toEqual([]);
    expect(errorsIn(w.logs)).toEqual([]);
    expect(w.logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('caller hanging up before the answer: the answer fails with not_found, the record still closes', async () => {
    const w = await world();
    w.control.failNext('answer');
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    w.control.remoteHangup(ch.id, 127);
    await w.settle();
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', answeredAt: null, cause: 127, hangupBy: 'caller' });
    expect(errorsIn(w.logs)).toEqual([]);
  });

  it('a prompt that cannot be played (file missing) still ends the call cleanly, with a log line', async () => {
    const w = await world({ control: { mediaDurationMs: () => 'missing' } });
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 16]]);
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', hangupBy: 'atende', cause: 16, endReason: 'normal' });
    expect(w.logs.some((l) => l.level === 40 && /welcome prompt could not be played/.test(l.msg))).toBe(true);
    expect(errorsIn(w.logs)).toEqual([]);
  });

  it('a playback Asterisk refuses is a failed prompt, not a crash', async () => {
    const w = await world();
    w.control.failNext('play', new TelephonyError('bad_request', 'bad media', 400, 'play'));
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', hangupBy: 'atende', cause: 16 });
    expect(w.logs.some((l) => l.msg === 'playback refused')).toBe(true);
  });

  it('a playback that never reports back counts as failed after the guard time', async () => {
    const w = await world({ control: { mediaDurationMs: () => undefined } });
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    w.clock.advance(10 * 60_000);
    await w.settle();
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', hangupBy: 'atende' });
    expect(w.logs.some((l) => /no news of the playback/.test(l.msg))).toBe(true);
  });

  it('a leg is closed exactly once, whatever arrives after its end', async () => {
    const w = await world();
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    w.control.remoteHangup(ch.id, 16);
    w.control.emit({ type: 'CallEnded', at: w.clock.now() + 5, channelId: ch.id, hangup: { cause: 1, causeText: 'x', by: 'atende' } });
    await w.settle();
    expect(w.rows()).toHaveLength(1);
    expect(w.row(ch.id)).toMatchObject({ cause: 16, hangupBy: 'caller' });
    expect(w.logs.filter((l) => l.msg === 'call ended')).toHaveLength(1);
  });
});

describe('channels Atende cannot place', () => {
  it('unknown args: hung up cleanly with a log line, no record, no crash', async () => {
    const w = await world();
    const ch = w.control.enterCall(['transfer', '1001']);
    const empty = w.control.enterCall([]);
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([
      [ch.id, 16],
      [empty.id, 16],
    ]);
    const warned = w.logs.filter((l) => l.msg === 'unknown Stasis args; hanging up');
    expect(warned.map((l) => l.problem)).toEqual(['unknown entry kind "transfer"', 'no arguments']);
    expect(w.rows()).toEqual([]);
    expect(w.app.activeCalls()).toEqual([]);
  });

  it('no tenant owns the call: hung up with cause 1 and a log line', async () => {
    const w = await world({ tenants: 0 });
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 1]]);
    expect(w.logs.some((l) => /no tenant owns this call/.test(l.msg))).toBe(true);
    expect(w.rows()).toEqual([]);
    expect(w.app.activeCalls()).toEqual([]);
  });

  it('the tenant resolver is asked with the DID and trunk', async () => {
    const asked: string[] = [];
    const resolver: TenantResolver = {
      forInbound: async (did, trunk) => {
        asked.push(`${did}@${trunk}`);
        return did === '4830002000' ? (2 as TenantId) : undefined;
      },
      forEntry: () => undefined,
    };
    const w = await world({ tenants: 2, tenantResolver: resolver });
    const a = w.control.placeInbound('4830002000', '5548999990000', 'trunk:x');
    const b = w.control.placeInbound('4830009999', '5548999990001', 'span:2');
    await w.settle();
    expect(asked).toEqual(['4830002000@trunk:x', '4830009999@span:2']);
    expect(w.row(a.id).tenantId).toBe(2);
    expect(w.control.ops('hangup').find((c) => c.args[0] === b.id)?.args[1]).toBe(1);
  });

  it('legs no engine handles yet are recorded and hung up; legs for a call belong to its tenant', async () => {
    const w = await world({ tenants: 2 });
    const inbound = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    const parent = w.row(inbound.id).callId;
    w.database.db.update(callsTable).set({ tenantId: 2 }).where(eq(callsTable.callId, parent)).run();
    const id = await w.control.originate({ endpoint: 'PJSIP/1001', appArgs: ['agent', parent], callerId: { number: '5548999990000' } });
    w.control.answerOriginated(id);
    await w.settle();
    expect(w.row(id)).toMatchObject({
      tenantId: 2,
      kind: 'agent',
      direction: 'internal',
      parentCallId: parent,
      to: '1001',
      state: 'ended',
      hangupBy: 'atende',
      answeredAt: w.clock.now(),
    });
  });
});

describe('reconciliation', () => {
  it('after an ARI reconnect: gone sessions closed, live ones adopted, unknown channels hung up and recorded', async () => {
    const w = await world({ control: { mediaDurationMs: () => undefined } });
    const gone = w.control.placeInbound('4830001234', '5548999990001');
    const kept = w.control.placeInbound('4830001234', '5548999990002');
    await w.settle();
    const goneCallId = w.row(gone.id).callId;

    w.control.setConnection('down', 'socket closed');
    const lostAt = w.clock.now();
    w.control.dropChannel(gone.id);
    const stranger = w.control.snapshot(['inbound', '4830001234', 'span:2'], { caller: { number: '5548999990003', name: '' }, state: 'Up' });
    w.control.addChannel(stranger);
    const notOurs = w.control.snapshot([], { dialplan: { context: 'from-phones', exten: '2000', priority: 1, appName: 'Dial', appData: 'PJSIP/2000' } });
    w.control.addChannel(notOurs);
    w.clock.advance(3000);
    w.control.setConnection('up');
    await w.settle();

    expect(w.row(gone.id)).toMatchObject({
      callId: goneCallId,
      state: 'ended',
      endReason: EndReason.channelGone,
      // Known alive until the link was lost, not until it came back 3 s later.
      endedAt: lostAt,
      cause: null,
      hangupBy: null,
    });
    expect(w.row(kept.id).state).toBe('in_progress');
    expect(w.app.activeCalls().map((c) => c.channelId)).toEqual([kept.id]);
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[stranger.id, 16]]);
    expect(w.row(stranger.id)).toMatchObject({
      state: 'ended',
      direction: 'inbound',
      from: '5548999990003',
      trunkRef: 'span:2',
      hangupBy: 'atende',
      cause: 16,
      endReason: 'reconciled: unknown channel',
    });
    expect(w.control.channels.has(notOurs.id)).toBe(true);

    // The adopted call carries on: its prompt ends, Atende hangs up.
    const [playback] = w.control.playingOn(kept.id);
    w.control.finishPlayback(playback!.id);
    await w.settle();
    expect(w.row(kept.id)).toMatchObject({ state: 'ended', endReason: 'normal', hangupBy: 'atende' });
    expect(w.logs.some((l) => l.msg === 'calls reconciled' && l.gone === 1 && l.adopted === 1 && l.strangers === 1)).toBe(true);
  });

  it('a flow cut short by an ARI outage is finished on adoption', async () => {
    const w = await world();
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    w.control.setConnection('down');
    w.clock.advance(WELCOME_MS); // the playback ends in Asterisk; Atende's hangup cannot get through
    await w.settle();
    expect(w.control.ops('hangup')).toHaveLength(1);
    expect(w.row(ch.id).state).toBe('in_progress');
    w.control.setConnection('up');
    await w.settle();
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([
      [ch.id, 16],
      [ch.id, 16],
    ]);
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', hangupBy: 'atende', endReason: 'normal' });
  });

  it('after a daemon restart: stale rows closed, channels still in the app hung up against their old record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-calls-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const before = await world({ dir, control: { mediaDurationMs: () => undefined } });
    const stillUp = before.control.placeInbound('4830001234', '5548999990001');
    const vanished = before.control.placeInbound('4830001234', '5548999990002');
    await before.settle();
    const oldCallId = before.row(stillUp.id).callId;
    const channelsLeft = [structuredClone(before.control.channels.get(stillUp.id)!)];
    before.database.close(); // the daemon dies without stopping

    const after = await world({ dir, start: false, control: { mediaDurationMs: () => undefined } });
    for (const c of channelsLeft) after.control.addChannel(c);
    await after.app.start();
    await after.settle();

    expect(after.row(vanished.id)).toMatchObject({ state: 'ended', endReason: EndReason.daemonRestart, cause: null });
    expect(after.control.ops('hangup').map((c) => c.args)).toEqual([[stillUp.id, 16]]);
    expect(after.rows()).toHaveLength(2);
    expect(after.row(stillUp.id)).toMatchObject({
      callId: oldCallId,
      state: 'ended',
      endReason: 'reconciled: unknown channel',
      hangupBy: 'atende',
      cause: 16,
    });
    expect(after.rows().filter((r) => r.state !== 'ended')).toEqual([]);
    // Browsers still showing the previous run's calls as live are told that both ended.
    const ended = after.published.filter((p) => p.event.type === 'call.ended').map((p) => (p.event.data.call as CallView).callId);
    expect(ended.sort()).toEqual([oldCallId, after.row(vanished.id).callId].sort());
  });

  it('ARI not up at start: reconciliation waits for the connection', async () => {
    const w = await world({ start: false });
    w.database.db
      .insert(callsTable)
      .values({ tenantId: 1, callId: 'old', channelId: 'ch-old', kind: 'inbound', direction: 'inbound', state: 'ringing', startedAt: new Date(0) })
      .run();
    w.control.setConnection('down');
    await w.app.start();
    expect(w.rows()[0]!.state).toBe('ringing');
    w.control.setConnection('up');
    await w.settle();
    expect(w.rows()[0]).toMatchObject({ state: 'ended', endReason: EndReason.daemonRestart });
  });

  it('a call left open by a crash ends at its last heartbeat, not at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-calls-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const before = await world({ dir, control: { mediaDurationMs: () => undefined } });
    const ch = before.control.placeInbound('4830001234', '5548999990001');
    await before.settle();
    const started = before.row(ch.id).startedAt;
    // Up for 95 s: heartbeats at 30, 60 and 90 s.
    before.clock.advance(95_000);
    await before.settle();
    before.database.close(); // the daemon is killed; the call dies with Asterisk's link to it

    // Ten minutes later a new run finds the record open and no channel.
    const after = await world({ dir, start: false, control: { mediaDurationMs: () => undefined } });
    after.clock.advance(before.clock.now() - after.clock.now() + 600_000);
    await after.app.start();
    await after.settle();
    expect(after.row(ch.id)).toMatchObject({ state: 'ended', endedAt: started + 90_000, endReason: EndReason.daemonRestart });
    expect(EndReason.daemonRestart).toMatch(/last moment it was known alive/);
  });
});

describe('shutdown', () => {
  it('stops taking calls, lets live calls finish within the grace period, hangs up the rest', async () => {
    const w = await world({ control: { mediaDurationMs: (m) => (m.kind === 'file' ? 30_000 : undefined) } });
    const short = w.control.placeInbound('4830001234', '5548999990001');
    const long = w.control.placeInbound('4830001234', '5548999990002');
    await w.settle();
    w.clock.advance(25_000);
    await w.settle();
    // `short`'s caller hangs up while we are stopping; `long` outlives the grace period.
    const stopped = w.app.stop(10_000);
    await w.settle();
    const late = w.control.placeInbound('4830001234', '5548999990003');
    await w.settle();
    w.control.remoteHangup(short.id);
    w.clock.advance(4_000);
    await w.settle();
    expect(w.row(long.id).state).toBe('in_progress');
    w.clock.advance(6_000);
    await stopped;

    expect(w.row(short.id)).toMatchObject({ state: 'ended', endReason: 'normal', hangupBy: 'caller' });
    expect(w.row(late.id)).toMatchObject({ state: 'ended', endReason: 'shutdown: not accepting calls', cause: 41, hangupBy: 'atende' });
    expect(w.row(long.id)).toMatchObject({ state: 'ended', endReason: 'shutdown', cause: 16, hangupBy: 'atende' });
    expect(w.app.activeCalls()).toEqual([]);
  });

  it('closes the records even when Asterisk never confirms the hangups', async () => {
    const w = await world({ control: { mediaDurationMs: () => undefined, endOnHangup: false } });
    const ch = w.control.placeInbound('4830001234', '5548999990001');
    await w.settle();
    const stopped = w.app.stop(1_000);
    w.clock.advance(1_000);
    await w.settle();
    w.clock.advance(2_000);
    await stopped;
    expect(w.control.ops('hangup').map((c) => c.args)).toEqual([[ch.id, 16]]);
    expect(w.row(ch.id)).toMatchObject({ state: 'ended', endReason: 'shutdown', cause: 16, hangupBy: 'atende' });
  });

  it('with no live calls, stops at once', async () => {
    const w = await world();
    await w.app.stop(60_000);
    expect(w.clock.pending()).toBe(0);
  });
});

describe('prompts', () => {
  it('are installed into soundsDir when it is set, idempotently, and played from there', async () => {
    const target = mkdtempSync(join(tmpdir(), 'atende-sounds-'));
    cleanups.push(() => rmSync(target, { recursive: true, force: true }));
    const w = await world({ soundsDir: target });
    expect(readFileSync(join(target, 'pt-BR', 'atende-welcome.wav')).equals(readFileSync(`${WELCOME}.wav`))).toBe(true);
    // The hold music musiconhold.conf's default class plays, too.
    const hold = join(target, 'moh', 'default', 'atende-hold.wav');
    expect(readFileSync(hold).subarray(0, 4).toString('latin1')).toBe('RIFF');
    // Readable by the directory's group (Asterisk's), by nobody else.
    expect((statSync(hold).mode & 0o777).toString(8)).toBe('640');
    expect((statSync(join(target, 'moh', 'default')).mode & 0o777).toString(8)).toBe('750');
    expect(w.app.soundsDir).toBe(target);
    const ch = w.control.placeInbound('4830001234', '5548999990000');
    await w.settle();
    expect(w.control.ops('play')[0]!.args[1]).toEqual([{ kind: 'file', path: join(target, 'pt-BR', 'atende-welcome') }]);
    expect(w.control.playingOn(ch.id)).toHaveLength(1);
  });
});

describe('events for the browsers', () => {
  const calls = (w: World) => w.published.map((p) => ({ topic: p.topic, tenantId: p.tenantId, type: p.event.type, call: p.event.data.call as CallView, parties: p.event.parties }));

  it('publishes started, answered and ended on the calls topic of the call’s tenant, each as the API shows the record then', async () => {
    const w = await world();
    const ch = w.control.placeInbound('4830001234', '5548999990000', 'span:1');
    await w.settle();
    w.clock.advance(WELCOME_MS);
    await w.settle();
    const events = calls(w);
    expect(events.map((e) => [e.topic, e.tenantId, e.type, e.call.state])).toEqual([
      ['calls', 1, 'call.started', 'ringing'],
      ['calls', 1, 'call.answered', 'in_progress'],
      ['calls', 1, 'call.ended', 'ended'],
    ]);
    expect(events[2]!.call).toEqual(callView(w.row(ch.id)));
    expect(events[0]!.parties).toEqual(['5548999990000', '4830001234']);
  });

  it('a caller who hangs up before the answer: started then ended, never answered', async () => {
    const w = await world();
    w.control.failNext('answer');
    const ch = w.control.placeInbound('4830001234', '5548999990003');
    w.control.remoteHangup(ch.id, 127);
    await w.settle();
    expect(calls(w).map((e) => e.type)).toEqual(['call.started', 'call.ended']);
    expect(calls(w)[1]!.call).toEqual(callView(w.row(ch.id)));
  });
});

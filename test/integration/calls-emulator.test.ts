/**
 * The whole path over real sockets: an emulated inbound call on an E1 span enters the Stasis
 * app through the production ARI adapter, is answered, hears the real welcome WAV (the emulator
 * models its duration from the file), is hung up, and lands in the call records.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallsApp, type CallsApp } from '../../src/calls/index.js';
import { createCallsRepo } from '../../src/calls/calls.repo.js';
import { productSoundsDir } from '../../src/calls/sounds.js';
import type { Database_ } from '../../src/db/client.js';
import { calls as callsTable } from '../../src/db/schema/index.js';
import { silentLogger, systemClock, type TenantId } from '../../src/kernel/index.js';
import type { TelephonyEvent } from '../../src/telephony/call-control.js';
import type { AriCallControlHandle } from '../../src/telephony/ari/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { emulatorWithAri, type EmulatorWithAri } from '../helpers/emulator-ari.js';
import type { EventLog } from '../helpers/events.js';

const SPEED = 20;
const WELCOME_WAV = join(productSoundsDir, 'pt-BR', 'atende-welcome.wav');
const welcomeMs = (() => {
  const buf = readFileSync(WELCOME_WAV);
  return ((buf.length - 44) / buf.readUInt32LE(28)) * 1000;
})();

let dir: string;
let emulator: Emulator;
let ari: AriCallControlHandle;
let database: Database_;
let calls: CallsApp;
let events: EventLog<TelephonyEvent>;
let world: EmulatorWithAri;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atende-calls-emu-'));
  world = await emulatorWithAri(dir, SPEED);
  ({ emulator, ari, events, database } = world);
  calls = createCallsApp({
    callControl: ari.callControl,
    database,
    logger: silentLogger,
    clock: systemClock,
    config: {
      asterisk: { ari: { app: 'atende' }, soundsDir: '' },
    },
  });
  await calls.start();
});

afterAll(async () => world?.close(calls));

const recordOf = (channelId: string) => {
  const row = database.db.select().from(callsTable).all().find((r) => r.channelId === channelId);
  return row ? createCallsRepo(database.db).get(row.tenantId as TenantId, row.callId) : undefined;
};

/** The record is closed in the same dispatch as CallEnded, before a waiter's continuation runs. */
const endOf = (channelId: string) =>
  events.waitFor((e) => e.type === 'CallEnded' && e.channelId === channelId, 10_000, `end of ${channelId}`);

describe('inbound call through the ARI adapter and the emulator', () => {
  it('is answered, hears the whole welcome prompt, is hung up with cause 16 and recorded', async () => {
    const { channelId } = await emulator.placeInboundCall({ did: '4830001234', from: '5548999990000', via: { span: 1 } });
    await endOf(channelId);
    const started = events.events.find((e) => e.type === 'PlaybackStarted' && 'channelId' in e.target && e.target.channelId === channelId);
    const finished = events.events.find(
      (e): e is Extract<TelephonyEvent, { type: 'PlaybackFinished' }> =>
        e.type === 'PlaybackFinished' && 'channelId' in e.target && e.target.channelId === channelId,
    );
    expect(started).toBeDefined();
    expect(finished?.reason).toBe('done');

    const record = recordOf(channelId)!;
    expect(record).toMatchObject({
      direction: 'inbound',
      kind: 'inbound',
      from: '5548999990000',
      to: '4830001234',
      trunkRef: 'span:1',
      state: 'ended',
      cause: 16,
      hangupBy: 'atende',
      endReason: 'normal',
    });
    expect(record.answeredAt).not.toBeNull();
    // The prompt played for its modelled length (the file's duration, scaled by the emulator's speed).
    expect(record.endedAt! - record.answeredAt!).toBeGreaterThanOrEqual(Math.floor(welcomeMs / SPEED) - 20);
    expect(calls.activeCalls()).toEqual([]);
  });

  it('a caller who hangs up mid-prompt is recorded as such', async () => {
    const { channelId } = await emulator.placeInboundCall({ did: '4830001234', from: '5548999990001', via: { trunk: 'trunk1' } });
    await events.waitFor(
      (e) => e.type === 'PlaybackStarted' && 'channelId' in e.target && e.target.channelId === channelId,
      10_000,
      'prompt started',
    );
    await emulator.hangup(channelId, 16);
    await endOf(channelId);
    expect(recordOf(channelId)).toMatchObject({ state: 'ended', hangupBy: 'caller', trunkRef: 'trunk:trunk1', endReason: 'normal' });
  });
});

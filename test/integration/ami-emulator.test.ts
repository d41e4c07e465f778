/** The production AMI adapter against the whole emulator (model + AMI server), over loopback. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { connectAmi } from '../helpers/ami.js';
import { nextEvent as next } from '../helpers/events.js';
import type { AmiClient, AmiEvent } from '../../src/telephony/ami/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';

let dir: string;
let emulator: Emulator;
let client: AmiClient;
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let consoleSpies: MockInstance[];

const nextEvent = (match: (e: AmiEvent) => boolean, timeoutMs?: number) => next((l) => client.onEvent(l), match, timeoutMs);

const stateIs = (state: string) => (e: AmiEvent) => e.type === 'ConnectionChanged' && e.state === state;

beforeEach(async () => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
  dir = await mkdtemp(join(tmpdir(), 'atende-ami-emu-'));
  emulator = await startEmulator({
    recordingsDir: join(dir, 'recordings'),
    spans: [
      { span: 1, signalling: 'pri_cpe', group: 1 },
      { span: 2, signalling: 'mfcr2', group: 2 },
    ],
  });
  client = await connectAmi(emulator);
});

afterEach(async () => {
  await client.stop();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
  await new Promise((r) => setImmediate(r));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
  for (const spy of consoleSpies) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
});

describe('AMI adapter ↔ emulator', () => {
  it('a span alarm set on the emulator reaches the client as one typed event', async () => {
    const seen: AmiEvent[] = [];
    client.onEvent((e) => seen.push(e));
    const red = nextEvent((e) => e.type === 'SpanAlarm');
    emulator.setSpanAlarm(1, 'red');
    expect(await red).toMatchObject({ type: 'SpanAlarm', span: 1, alarm: 'red' });
    expect((await client.spanStatus()).find((s) => s.span === 1)).toMatchObject({ inAlarm: true, alarms: ['red'], dchannelUp: false });

    const cleared = nextEvent((e) => e.type === 'SpanAlarmCleared');
    emulator.setSpanAlarm(1, 'clear');
    expect(await cleared).toMatchObject({ span: 1 });
    expect(seen.filter((e) => e.type === 'SpanAlarm')).toHaveLength(1);
    expect(await client.spanStatus()).toEqual([
      expect.objectContaining({ span: 1, inAlarm: false, alarms: [] }),
      expect.objectContaining({ span: 2, inAlarm: false, alarms: [] }),
    ]);
  });

  it('a per-channel alarm on an MFC/R2 span maps to that span', async () => {
    const blue = nextEvent((e) => e.type === 'SpanAlarm');
    emulator.setSpanAlarm(2, 'blue');
    expect(await blue).toMatchObject({ span: 2, alarm: 'blue' });
  });

  it('an agent phone unregistering and registering again becomes ContactStatus events', async () => {
    const removed = nextEvent((e) => e.type === 'ContactStatus');
    emulator.setPhone('1001', { registered: false });
    expect(await removed).toMatchObject({ type: 'ContactStatus', endpoint: '1001', status: 'Removed' });
    expect((await client.endpoints()).find((e) => e.name === '1001')).toMatchObject({ deviceState: 'Unavailable', contacts: [] });

    const reachable = nextEvent((e) => e.type === 'ContactStatus' && e.status === 'Reachable');
    emulator.setPhone('1001', { registered: true });
    expect(await reachable).toMatchObject({ endpoint: '1001', rttMs: expect.any(Number) });
    expect((await client.endpoints()).find((e) => e.name === '1001')).toMatchObject({ deviceState: 'Not in use' });
  });

  it('stopAmi / startAmi: the client goes down, then comes back by itself', async () => {
    const down = nextEvent(stateIs('down'));
    await emulator.stopAmi();
    await down;
    expect(client.readinessProbe().ok).toBe(false);
    const up = nextEvent(stateIs('up'));
    await emulator.startAmi();
    await up;
    expect(client.readinessProbe().ok).toBe(true);
    expect(await client.channels()).toEqual([]);
  });
});

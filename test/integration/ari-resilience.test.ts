/**
 * The ARI adapter when things go wrong: Asterisk's HTTP server goes away and comes back, the
 * password is wrong, the API listing fails after the credentials passed, nothing listens.
 * The process must stay up, say clearly what is wrong, and reconnect by itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeClock, seededRandom } from '../../src/kernel/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import {
  createAriCallControl,
  TelephonyError,
  type AriCallControlHandle,
  type AriSettings,
  type TelephonyEvent,
} from '../../src/telephony/index.js';
import { EventLog, waitFor } from '../helpers/events.js';

interface LogLine {
  level: number;
  msg: string;
  url?: string;
  [k: string]: unknown;
}

/** A logger whose lines the test can read. */
function capturedLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines };
}

let dir: string;
let emu: Emulator;
const unhandled = vi.fn();
const uncaught = vi.fn();
const handles: AriCallControlHandle[] = [];
const logs: EventLog<TelephonyEvent>[] = [];

function adapter(overrides: Partial<AriSettings> = {}) {
  const { logger, lines } = capturedLogger();
  const handle = createAriCallControl({
    url: emu.ariUrl,
    user: emu.ariUser,
    password: emu.ariPassword,
    logger,
    random: seededRandom(7),
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    connectTimeoutMs: 2000,
    ...overrides,
  });
  const events = new EventLog<TelephonyEvent>((l) => handle.callControl.onEvent(l));
  handles.push(handle);
  logs.push(events);
  return { handle, cc: handle.callControl, events, lines };
}

const up = (e: TelephonyEvent) => e.type === 'ConnectionChanged' && e.state === 'up';
const down = (e: TelephonyEvent) => e.type === 'ConnectionChanged' && e.state === 'down';

const fakes: Server[] = [];
/**
 * Points an adapter at `fake` (closed after the test), waits until it reports ARI down and not
 * ready, and returns the log lines so far.
 */
async function failingAgainst(fake: Server): Promise<LogLine[]> {
  fakes.push(fake);
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const { handle, events, lines } = adapter({ url: `http://127.0.0.1:${(fake.address() as AddressInfo).port}` });
  handle.start();
  await events.waitFor(down, 5000);
  expect(handle.readinessProbe().ok).toBe(false);
  return lines;
}

beforeAll(async () => {
  process.on('unhandledRejection', unhandled);
  process.on('uncaughtException', uncaught);
  dir = await mkdtemp(join(tmpdir(), 'atende-ari-res-'));
  emu = await startEmulator({ recordingsDir: join(dir, 'recordings'), speed: 50 });
});

afterEach(async () => {
  for (const l of logs.splice(0)) l.close();
  for (const h of handles.splice(0)) await h.stop();
  for (const f of fakes.splice(0)) await new Promise<void>((r) => f.close(() => r()));
  await emu.startAri(); // a test that failed half-way must not leave ARI down for the next
});

afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
  process.off('unhandledRejection', unhandled);
  process.off('uncaughtException', uncaught);
  expect(unhandled).not.toHaveBeenCalled();
  expect(uncaught).not.toHaveBeenCalled();
});

describe('ARI goes away and comes back', { timeout: 60_000 }, () => {
  it('goes down, fails fast while down, keeps trying past ari-client’s 10 tries, and comes back up by itself', async () => {
    const { handle, cc, events, lines } = adapter();
    handle.start();
    await events.waitFor(up, 10_000, 'first connection');
    const { channelId: survivor } = await emu.placeInboundCall({ did: '1133334444', from: '11911112222' });
    await events.waitFor((e) => e.type === 'CallEntered' && e.channel.id === survivor);
    await cc.answer(survivor);

    await emu.stopAri();
    await events.waitFor(down, 15_000, 'down');
    expect(cc.connectionState()).toBe('down');
    const probe = handle.readinessProbe();
    expect(probe.ok).toBe(false);
    expect(!probe.ok && probe.reason).toMatch(/^ARI not connected: /);
    const refused = await cc.answer(survivor).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TelephonyError);
    expect(refused).toMatchObject({ code: 'unavailable' });

    // ari-client alone would have given up after 10 attempts.
    await waitFor(() => lines.filter((l) => l.retryInMs !== undefined).length >= 12, 10_000, '12 failed attempts');
    expect(cc.connectionState()).toBe('down');

    events.clear();
    await emu.startAri();
    await events.waitFor(up, 15_000, 'up again');
    expect(handle.readinessProbe()).toMatchObject({ ok: true });

    // Up means the events socket is open: the engine can reconcile and new calls flow at once.
    const live = await cc.listChannels();
    expect(live.map((c) => c.id)).toContain(survivor);
    const { channelId } = await emu.placeInboundCall({ did: '1133334444', from: '11933334444' });
    await events.waitFor((e) => e.type === 'CallEntered' && e.channel.id === channelId);
    await cc.hangup(channelId);
    await cc.hangup(survivor);
    await events.waitFor((e) => e.type === 'CallEnded' && e.channelId === survivor);

    const states = events.events.filter((e) => e.type === 'ConnectionChanged');
    expect(states).toEqual([{ type: 'ConnectionChanged', at: expect.any(Number), link: 'ari', state: 'up' }]);
  });

  it('survives repeated outages', async () => {
    const { handle, cc, events } = adapter();
    handle.start();
    await events.waitFor(up, 10_000);
    for (let i = 0; i < 3; i++) {
      events.clear();
      await emu.stopAri();
      await events.waitFor(down, 15_000, `down #${i}`);
      await emu.startAri();
      await events.waitFor(up, 15_000, `up #${i}`);
    }

    expect(cc.connectionState()).toBe('up');
  });

  it('stop() leaves no timer behind: no ping, no retry', async () => {
    // On a fake clock the adapter's timers are visible and never fire by themselves.
    const clock = new FakeClock();
    const connected = adapter({ clock });
    connected.handle.start();
    await connected.events.waitFor(up, 10_000);
    await waitFor(() => clock.pending() === 1, 5000, 'only the ping timer armed');
    await connected.handle.stop();
    expect(clock.pending()).toBe(0);
    expect(connected.cc.connectionState()).toBe('down');
    expect(connected.handle.readinessProbe()).toEqual({ ok: false, reason: 'ARI not connected: stopped' });

    const retrying = adapter({ clock, password: 'wrong-password' });
    retrying.handle.start();
    await retrying.events.waitFor(down, 15_000);
    expect(clock.pending()).toBe(1); // the retry
    await retrying.handle.stop();
    expect(clock.pending()).toBe(0);
  });
});

describe('misconfiguration', { timeout: 30_000 }, () => {
  it('a wrong password: a clear log line naming the URL and the status, not ready, retries, no crash', async () => {
    const { handle, cc, events, lines } = adapter({ password: 'wrong-password' });
    handle.start();
    await events.waitFor(down, 15_000, 'down');
    await waitFor(() => lines.filter((l) => l.msg.startsWith('ARI rejected the credentials (401)')).length >= 2, 5000, 'two rejected attempts');
    const line = lines.find((l) => l.msg.startsWith('ARI rejected the credentials (401)'));
    expect(line?.level).toBe(50);
    expect(line?.msg).toContain(emu.ariUrl);
    expect(JSON.stringify(lines)).not.toContain('wrong-password');
    const probe = handle.readinessProbe();
    expect(probe).toEqual({ ok: false, reason: expect.stringMatching(/^ARI not connected: ARI rejected the credentials \(401\)/) });
    expect(cc.connectionState()).toBe('down');
  });

  it('nothing listening: unreachable, not ready, no crash', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { handle, events } = adapter({ url: `http://127.0.0.1:${port}` });
    handle.start();
    await events.waitFor(down, 5000);
    const probe = handle.readinessProbe();
    expect(!probe.ok && probe.reason).toMatch(/ARI not connected: ARI unreachable at http:\/\/127\.0\.0\.1:\d+/);
  });

  it.each([
    ['reset', (req: IncomingMessage) => req.socket.resetAndDestroy()],
    ['closed', (req: IncomingMessage) => req.socket.destroy()],
  ])('a connection %s under the credential check is tried once more: a live server is not called unreachable', async (_how, drop) => {
    // The first request's socket goes away, as a kept-alive socket the server closed while idle does.
    let requests = 0;
    const fake: Server = createServer((req, res) => {
      requests += 1;
      if (requests === 1) return void drop(req);
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Authentication required"}');
    });
    const lines = await failingAgainst(fake);
    await waitFor(() => lines.some((l) => l.msg.startsWith('ARI rejected the credentials (401)')), 5000, 'the rejection logged');
    expect(lines.filter((l) => /ARI unreachable/.test(l.msg))).toEqual([]);
  });

  it('the API listing fails after the credentials passed: reported, no uncaught throw from ari-client', async () => {
    // /ari/asterisk/info says yes, the Swagger listing says 401: ari-client would throw the
    // string "401 : … resources.json" from an HTTP callback and kill the process.
    const fake: Server = createServer((req, res) => {
      if (req.url?.startsWith('/ari/asterisk/info')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Authentication required"}');
      }
    });
    const lines = await failingAgainst(fake);
    await waitFor(() => lines.some((l) => /ARI connect failed .*401/.test(l.msg)), 5000, 'the failure logged');
  });

  it('localhost is replaced by 127.0.0.1', async () => {
    const { handle, events } = adapter({ url: emu.ariUrl.replace('127.0.0.1', 'localhost') });
    handle.start();
    await events.waitFor(up, 10_000);
    expect(handle.readinessProbe()).toEqual({ ok: true, detail: `ARI connected to ${emu.ariUrl}` });
  });
});

describe('a clean console', () => {
  it('connecting prints nothing (not even swagger-client’s deprecation notice)', async () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    try {
      const { handle, events } = adapter();
      handle.start();
      await events.waitFor(up, 10_000);
      expect(log).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
      // …and console.log is the original again once connected.
      expect(console.log).toBe(log);
    } finally {
      log.mockRestore();
      warn.mockRestore();
      error.mockRestore();
    }
  });
});

/**
 * The production AMI adapter against the emulator's AMI server over a real loopback socket,
 * with a small in-test backend instead of the emulator model.
 */
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { silentLogger } from '../../src/kernel/logger.js';
import { nextEvent as next } from '../helpers/events.js';
import { seededRandom } from '../../src/kernel/random.js';
import type { ChannelSnapshot } from '../../src/telephony/call-control.js';
import {
  AmiError,
  createAmiClient,
  type AmiClient,
  type AmiClientOptions,
  type AmiEvent,
} from '../../src/telephony/ami/index.js';
import {
  startAmiServer,
  type AmiBackend,
  type AmiEndpointInfo,
  type AmiServer,
  type AmiSpanInfo,
} from '../../src/telephony/emulator/ami-server.js';

class TestBackend extends EventEmitter implements AmiBackend {
  mohClasses(): string[] {
    return ['default'];
  }
  spanList: AmiSpanInfo[] = [
    { span: 1, alarm: 'none', signalling: 'pri_cpe', group: 1, channels: 30 },
    { span: 2, alarm: 'none', signalling: 'mfcr2', group: 2, channels: 30 },
  ];
  endpointList: AmiEndpointInfo[] = [
    { name: '1001', kind: 'phone', registered: true, rttMs: 4 },
    { name: '1002', kind: 'phone', registered: false },
    { name: 'trunk-a', kind: 'trunk', registered: true },
  ];
  channelList: ChannelSnapshot[] = [];
  spans() {
    return this.spanList;
  }
  endpoints() {
    return this.endpointList;
  }
  channels() {
    return this.channelList;
  }
}

const channel = (id: string, name: string, createdAt: number): ChannelSnapshot => ({
  id,
  name,
  state: 'Up',
  caller: { number: '11999990000', name: '' },
  connected: { number: '', name: '' },
  dialplan: { context: 'from-pstn', exten: '3003', priority: 1, appName: 'Stasis', appData: 'atende,inbound,3003,span1' },
  createdAt,
});

const USER = 'atende';
const SECRET = 's3cret';

let backend: TestBackend;
let servers: AmiServer[];
let clients: AmiClient[];
let rawServers: Server[];
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let consoleSpies: MockInstance[];

beforeEach(() => {
  backend = new TestBackend();
  servers = [];
  clients = [];
  rawServers = [];
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(rawServers.map((s) => new Promise((r) => s.close(r))));
  // Let late socket callbacks run before checking that nothing leaked out.
  await new Promise((r) => setImmediate(r));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
  for (const spy of consoleSpies) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
});

async function server(port = 0): Promise<AmiServer> {
  const s = await startAmiServer({ backend, port, user: USER, secret: SECRET, logger: silentLogger });
  servers.push(s);
  return s;
}

function client(port: number, overrides: Partial<AmiClientOptions> = {}): AmiClient {
  const c = createAmiClient({
    port,
    user: USER,
    secret: SECRET,
    logger: silentLogger,
    random: seededRandom(7),
    actionTimeoutMs: 2_000,
    connectTimeoutMs: 2_000,
    backoff: { initialMs: 20, maxMs: 200 },
    ...overrides,
  });
  clients.push(c);
  return c;
}

function nextEvent<T extends AmiEvent>(c: AmiClient, match: (e: AmiEvent) => e is T, timeoutMs?: number): Promise<T>;
function nextEvent(c: AmiClient, match: (e: AmiEvent) => boolean, timeoutMs?: number): Promise<AmiEvent>;
function nextEvent(c: AmiClient, match: (e: AmiEvent) => boolean, timeoutMs?: number): Promise<AmiEvent> {
  return next((l) => c.onEvent(l), match, timeoutMs);
}

const stateIs = (state: string) => (e: AmiEvent) => e.type === 'ConnectionChanged' && e.state === state;

async function connected(port: number, overrides: Partial<AmiClientOptions> = {}): Promise<AmiClient> {
  const c = client(port, overrides);
  const up = nextEvent(c, stateIs('up'));
  c.start();
  await up;
  return c;
}

/** Collects log lines as objects. */
function capturingLogger() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('AMI client ↔ emulated AMI over loopback', () => {
  it('logs in, filters events and answers actions', async () => {
    const s = await server();
    const c = await connected(s.port);
    expect(c.connectionState()).toBe('up');
    expect(c.readinessProbe()).toMatchObject({ ok: true });
    const pong = await c.action('Ping');
    expect(pong.ok).toBe(true);
    expect(pong.fields['ping']).toBe('Pong');
    expect(s.sessionCount()).toBe(1);
  });

  it('with a wrong secret: a clear log line, not ready, actions refused, no crash', async () => {
    const s = await server();
    const { logger, lines } = capturingLogger();
    const c = client(s.port, { secret: 'wrong', logger });
    const down = nextEvent(c, stateIs('down'));
    c.start();
    const event = await down;
    expect(event).toMatchObject({ type: 'ConnectionChanged', state: 'down', reason: expect.stringContaining('Authentication failed') });
    expect(c.connectionState()).toBe('down');
    expect(c.readinessProbe()).toMatchObject({ ok: false, reason: expect.stringContaining('login refused') });
    await expect(c.action('Ping')).rejects.toMatchObject({ code: 'unavailable', action: 'Ping' });
    const refused = lines.filter((l) => l.level >= 50 && /login refused/.test(l.msg));
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('wrong');
  });

  it('collects list actions until their Complete event', async () => {
    const s = await server();
    const now = Date.now();
    backend.channelList = [channel('1700000000.1', 'DAHDI/i1/11999990000-1', now - 65_000), channel('1700000000.2', 'PJSIP/1001-00000002', now)];
    backend.spanList[1]!.alarm = 'red';
    const c = await connected(s.port);

    const channels = await c.channels();
    expect(channels.map((x) => x.id)).toEqual(['1700000000.1', '1700000000.2']);
    expect(channels[0]).toMatchObject({
      name: 'DAHDI/i1/11999990000-1',
      state: 'Up',
      caller: { number: '11999990000', name: '' },
      dialplan: { appName: 'Stasis', appData: 'atende,inbound,3003,span1', priority: 1 },
    });
    expect(Math.abs(channels[0]!.createdAt - (now - 65_000))).toBeLessThan(2_000);

    const endpoints = await c.endpoints();
    expect(endpoints.map((e) => [e.name, e.deviceState, e.contacts.length])).toEqual([
      ['1001', 'Not in use', 1],
      ['1002', 'Unavailable', 0],
      ['trunk-a', 'Not in use', 1],
    ]);
    expect(endpoints[0]!.contacts[0]).toEqual({ aor: '1001', uri: 'sip:1001@127.0.0.1:5060' });

    const spans = await c.spanStatus();
    expect(spans).toEqual([
      expect.objectContaining({ span: 1, inAlarm: false, alarms: [], dchannelUp: true }),
      expect.objectContaining({ span: 2, inAlarm: true, alarms: ['red'] }),
    ]);

    const dahdi = await c.list('DAHDIShowChannels');
    expect(dahdi.response.fields['eventlist']).toBe('start');
    expect(dahdi.events).toHaveLength(60);
    expect(dahdi.complete?.fields['listitems']).toBe('60');
    expect(dahdi.events.every((e) => e.fields['actionid'] === dahdi.response.actionId)).toBe(true);
  });

  it('collects a long list that arrives in many TCP chunks (sixteen E1 spans)', async () => {
    backend.spanList = Array.from({ length: 16 }, (_, i) => ({ span: i + 1, alarm: 'none' as const, signalling: 'pri_cpe', group: 1, channels: 30 }));
    const s = await server();
    const c = await connected(s.port);
    const [all, spans] = await Promise.all([c.list('DAHDIShowChannels'), c.spanStatus()]);
    expect(all.events).toHaveLength(480);
    expect(new Set(all.events.map((e) => e.fields['dahdichannel'])).size).toBe(480);
    expect(all.events.at(-1)?.fields['dahdichannel']).toBe('496');
    expect(spans).toHaveLength(16);
  });

  it('empty lists and refused lists come back empty', async () => {
    backend.spanList = [];
    backend.endpointList = [];
    const s = await server();
    const c = await connected(s.port);
    expect(await c.channels()).toEqual([]);
    expect(await c.endpoints()).toEqual([]);
    expect(await c.spanStatus()).toEqual([]);
  });

  it('reload, command and unknown actions', async () => {
    const s = await server();
    const c = await connected(s.port);
    await expect(c.reload('res_pjsip.so')).resolves.toBeUndefined();
    await expect(c.reload('res_nothing.so')).rejects.toMatchObject({ code: 'failed', action: 'Reload' });
    expect(await c.command('core show version')).toEqual([expect.stringContaining('Asterisk 22')]);
    const unknown = await c.action('NoSuchThing').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(AmiError);
    expect(unknown).toMatchObject({ code: 'failed', action: 'NoSuchThing', response: { message: 'Invalid/unknown command' } });
  });

  it('an action with no answer times out with an error naming it', async () => {
    // An "Asterisk" that logs in and filters events but never answers anything else.
    const silent = createServer((socket: Socket) => {
      socket.write('Asterisk Call Manager/11.0.0\r\n');
      let buffer = '';
      socket.on('data', (d) => {
        buffer += d.toString();
        let end: number;
        while ((end = buffer.indexOf('\r\n\r\n')) >= 0) {
          const packet = buffer.slice(0, end);
          buffer = buffer.slice(end + 4);
          const id = /actionid: (.*)/i.exec(packet)?.[1];
          if (/action: (login|events)/i.test(packet)) socket.write(`Response: Success\r\nActionID: ${id}\r\nMessage: ok\r\n\r\n`);
        }
      });
      socket.on('error', () => undefined);
    });
    rawServers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const c = await connected((silent.address() as AddressInfo).port, { actionTimeoutMs: 150, keepAliveMs: 0 });
    const err = await c.action('Ping').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmiError);
    expect(err).toMatchObject({ code: 'timeout', action: 'Ping', message: expect.stringContaining('Ping') });
    const listErr = await c.list('CoreShowChannels').catch((e: unknown) => e);
    expect(listErr).toMatchObject({ code: 'timeout', action: 'CoreShowChannels' });
    expect(c.connectionState()).toBe('up');
  });

  it('actions while not connected are rejected at once', async () => {
    const s = await server();
    const c = client(s.port);
    await expect(c.action('Ping')).rejects.toMatchObject({ code: 'unavailable', action: 'Ping' });
    await expect(c.list('CoreShowChannels')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(c.channels()).rejects.toBeInstanceOf(AmiError);
  });

  it('a span alarm becomes one typed SpanAlarm, its clearing one SpanAlarmCleared', async () => {
    const s = await server();
    const c = await connected(s.port);
    const seen: AmiEvent[] = [];
    c.onEvent((e) => seen.push(e));
    const cleared = nextEvent(c, (e) => e.type === 'SpanAlarmCleared');
    backend.spanList[0]!.alarm = 'red';
    backend.emit('span', { span: 1, alarm: 'red' });
    await nextEvent(c, (e) => e.type === 'SpanAlarm');
    backend.spanList[0]!.alarm = 'none';
    backend.emit('span', { span: 1, alarm: 'none' });
    await cleared;
    const spanEvents = seen.filter((e) => e.type === 'SpanAlarm' || e.type === 'SpanAlarmCleared');
    expect(spanEvents).toEqual([
      expect.objectContaining({ type: 'SpanAlarm', span: 1, alarm: 'red' }),
      expect.objectContaining({ type: 'SpanAlarmCleared', span: 1 }),
    ]);
  });

  it('contact status and RTCP become typed events', async () => {
    const s = await server();
    const c = await connected(s.port);
    const unreachable = nextEvent(c, (e) => e.type === 'ContactStatus');
    backend.emit('contact', { endpoint: '1001', status: 'Unreachable' });
    expect(await unreachable).toMatchObject({ type: 'ContactStatus', endpoint: '1001', aor: '1001', status: 'Unreachable' });

    const reachable = nextEvent(c, (e) => e.type === 'ContactStatus' && e.status === 'Reachable');
    backend.emit('contact', { endpoint: '1001', status: 'Reachable', rttMs: 12.5 });
    expect(await reachable).toMatchObject({ endpoint: '1001', rttMs: 12.5 });

    const rtcp = nextEvent(c, (e) => e.type === 'RtcpStats');
    backend.emit('rtcp', {
      channelId: '1700000000.9',
      channelName: 'PJSIP/trunk-a-00000009',
      direction: 'received',
      jitterMs: 20,
      fractionLost: 0.25,
      cumulativeLost: 7,
      rttMs: 35,
    });
    expect(await rtcp).toMatchObject({
      type: 'RtcpStats',
      direction: 'received',
      channel: 'PJSIP/trunk-a-00000009',
      uniqueId: '1700000000.9',
      jitterMs: 20,
      fractionLost: 0.25,
      cumulativeLost: 7,
      rttMs: 35,
    });
  });

  it('the event mask is applied: only the classes asked for arrive', async () => {
    const s = await server();
    const c = await connected(s.port, { eventMask: 'system' });
    const seen: AmiEvent[] = [];
    c.onEvent((e) => seen.push(e));
    backend.emit('rtcp', { channelId: 'x', channelName: 'PJSIP/x', direction: 'sent', jitterMs: 1, fractionLost: 0, cumulativeLost: 0 });
    const contact = nextEvent(c, (e) => e.type === 'ContactStatus');
    backend.emit('contact', { endpoint: '1002', status: 'Created' });
    await contact;
    expect(seen.map((e) => e.type)).toEqual(['ContactStatus']);
  });

  it('reconnects by itself when the server dies and comes back on the same port', async () => {
    const first = await server();
    const c = await connected(first.port);
    const down = nextEvent(c, stateIs('down'));
    await first.close();
    await down;
    expect(c.readinessProbe().ok).toBe(false);
    await expect(c.action('Ping')).rejects.toMatchObject({ code: 'unavailable' });

    const up = nextEvent(c, stateIs('up'));
    await server(first.port);
    await up;
    expect((await c.action('Ping')).ok).toBe(true);
  });

  it('reconnects after the connection is cut while the server keeps listening', async () => {
    const s = await server();
    const c = await connected(s.port);
    const down = nextEvent(c, stateIs('down'));
    const upAgain = down.then(() => nextEvent(c, stateIs('up')));
    s.dropConnections();
    await upAgain;
    expect(c.connectionState()).toBe('up');
  });

  it('an action in flight when the link drops is rejected, not left hanging', async () => {
    const silent = createServer((socket: Socket) => {
      socket.write('Asterisk Call Manager/11.0.0\r\n');
      socket.on('data', (d) => {
        const text = d.toString();
        const id = /actionid: (.*)/i.exec(text)?.[1];
        if (/action: (login|events)/i.test(text)) socket.write(`Response: Success\r\nActionID: ${id}\r\n\r\n`);
        else socket.destroy();
      });
      socket.on('error', () => undefined);
    });
    rawServers.push(silent);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const c = await connected((silent.address() as AddressInfo).port, { actionTimeoutMs: 5_000, keepAliveMs: 0 });
    await expect(c.action('Ping')).rejects.toMatchObject({ code: 'unavailable', action: 'Ping' });
  });

  it('stop() logs off and does not reconnect; start() again connects', async () => {
    const s = await server();
    const c = await connected(s.port);
    await c.stop();
    expect(c.connectionState()).toBe('down');
    await expect(c.action('Ping')).rejects.toMatchObject({ code: 'unavailable' });
    const up = nextEvent(c, stateIs('up'));
    c.start();
    await up;
    expect((await c.action('Ping')).ok).toBe(true);
  });
});

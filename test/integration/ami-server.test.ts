/** The emulated AMI on the wire, read with a plain socket: what a real Asterisk 22 would send. */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/kernel/logger.js';
import type { ChannelSnapshot } from '../../src/telephony/call-control.js';
import { startAmiServer, type AmiBackend, type AmiServer } from '../../src/telephony/emulator/ami-server.js';

type Packet = Record<string, string>;

class Backend extends EventEmitter implements AmiBackend {
  spans() {
    return [{ span: 1, alarm: 'none' as const, signalling: 'pri_cpe', group: 1, channels: 30 }];
  }
  endpoints() {
    return [{ name: '1001', kind: 'phone' as const, registered: true }];
  }
  mohClasses() {
    return ['default'];
  }
  channels(): ChannelSnapshot[] {
    return [];
  }
}

/** A line-level AMI reader: the banner, then packets. */
class Wire {
  banner?: string;
  closed = false;
  private buffer = '';
  private packets: Packet[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      if (this.banner === undefined) {
        const nl = this.buffer.indexOf('\r\n');
        if (nl < 0) return;
        this.banner = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 2);
      }
      let end: number;
      while ((end = this.buffer.indexOf('\r\n\r\n')) >= 0) {
        const packet: Packet = {};
        for (const line of this.buffer.slice(0, end).split('\r\n')) {
          const i = line.indexOf(': ');
          const key = line.slice(0, i);
          packet[key] = packet[key] !== undefined ? `${packet[key]}|${line.slice(i + 2)}` : line.slice(i + 2);
        }
        this.packets.push(packet);
        this.buffer = this.buffer.slice(end + 4);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(lines: Record<string, string>) {
    this.socket.write(Object.entries(lines).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n');
  }

  /** The next packet matching `match` (earlier ones are dropped). */
  async next(match: (p: Packet) => boolean = () => true, timeoutMs = 3_000): Promise<Packet> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.packets.findIndex(match);
      if (i >= 0) return this.packets.splice(0, i + 1)[i]!;
      if (this.closed) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('no matching packet');
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(0, deadline - Date.now()) + 1);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async closedByServer(timeoutMs = 3_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise<void>((r) => this.waiters.push(r));
    return this.closed;
  }
}

let backend: Backend;
let server: AmiServer;
let wires: Wire[];

beforeEach(async () => {
  backend = new Backend();
  server = await startAmiServer({ backend, user: 'u', secret: 's', logger: silentLogger });
  wires = [];
});

afterEach(async () => {
  for (const w of wires) w.socket.destroy();
  await server.close();
});

async function open(): Promise<Wire> {
  const socket = connect(server.port, '127.0.0.1');
  const wire = new Wire(socket);
  wires.push(wire);
  await new Promise((r) => socket.once('connect', r));
  return wire;
}

async function login(w: Wire, extra: Record<string, string> = {}) {
  w.send({ Action: 'Login', ActionID: 'l1', Username: 'u', Secret: 's', ...extra });
  return w.next((p) => p['ActionID'] === 'l1');
}

describe('emulated AMI wire protocol', () => {
  it('greets with the banner, accepts a login and sends FullyBooted', async () => {
    const w = await open();
    const res = await login(w);
    expect(w.banner).toMatch(/^Asterisk Call Manager\/\d+\.\d+\.\d+$/);
    expect(res).toEqual({ Response: 'Success', ActionID: 'l1', Message: 'Authentication accepted' });
    expect(await w.next((p) => p['Event'] === 'FullyBooted')).toMatchObject({ Privilege: 'system,all', Status: 'Fully Booted' });
  });

  it('refuses a wrong secret with "Authentication failed" and closes the session', async () => {
    const w = await open();
    w.send({ Action: 'Login', ActionID: 'x', Username: 'u', Secret: 'nope' });
    expect(await w.next()).toEqual({ Response: 'Error', ActionID: 'x', Message: 'Authentication failed' });
    expect(await w.closedByServer()).toBe(true);
  });

  it('answers "Permission denied" before login, and unknown actions with "Invalid/unknown command"', async () => {
    const w = await open();
    w.send({ Action: 'CoreShowChannels', ActionID: 'a' });
    expect(await w.next()).toMatchObject({ Response: 'Error', ActionID: 'a', Message: 'Permission denied' });
    await login(w);
    w.send({ Action: 'Frobnicate', ActionID: 'b' });
    expect(await w.next((p) => p['ActionID'] === 'b')).toEqual({ Response: 'Error', ActionID: 'b', Message: 'Invalid/unknown command' });
    w.send({ ActionID: 'c' });
    expect(await w.next((p) => p['ActionID'] === 'c')).toMatchObject({ Message: 'Missing action in request' });
  });

  it('lists: Success + EventList start, items with the ActionID, then Complete with ListItems', async () => {
    const w = await open();
    await login(w);
    w.send({ Action: 'PRIShowSpans', ActionID: 'p' });
    expect(await w.next((p) => p['ActionID'] === 'p')).toEqual({
      Response: 'Success',
      ActionID: 'p',
      EventList: 'start',
      Message: 'Span status will follow',
    });
    expect(await w.next((p) => p['ActionID'] === 'p')).toEqual({
      Event: 'PRIShowSpans',
      Span: '1',
      DChannel: '16',
      Order: 'Primary',
      Active: 'Yes',
      Alarms: 'No',
      Up: 'Yes',
      ActionID: 'p',
    });
    expect(await w.next((p) => p['ActionID'] === 'p')).toEqual({
      Event: 'PRIShowSpansComplete',
      ActionID: 'p',
      EventList: 'Complete',
      ListItems: '1',
      Items: '1',
    });
  });

  it('Events filters by class; Ping, Logoff', async () => {
    const w = await open();
    await login(w);
    w.send({ Action: 'Events', ActionID: 'e', EventMask: 'call' });
    expect(await w.next((p) => p['ActionID'] === 'e')).toEqual({ Response: 'Success', ActionID: 'e', Events: 'On' });
    backend.emit('contact', { endpoint: '1001', status: 'Removed' });
    const snapshot: ChannelSnapshot = {
      id: '1.1',
      name: 'PJSIP/1001-00000001',
      state: 'Up',
      caller: { number: '1001', name: '' },
      connected: { number: '', name: '' },
      dialplan: { context: 'c', exten: 's', priority: 1, appName: 'Stasis', appData: 'atende' },
      createdAt: Date.now(),
    };
    backend.emit('channel', { kind: 'hangup', snapshot, cause: 17, causeText: 'User busy' });
    const hangup = await w.next((p) => p['Event'] !== undefined);
    expect(hangup).toMatchObject({ Event: 'Hangup', Privilege: 'call,all', Channel: 'PJSIP/1001-00000001', Uniqueid: '1.1', Cause: '17', 'Cause-txt': 'User busy' });

    w.send({ Action: 'Ping', ActionID: 'g' });
    expect(await w.next((p) => p['ActionID'] === 'g')).toMatchObject({ Response: 'Success', Ping: 'Pong' });
    w.send({ Action: 'Logoff', ActionID: 'o' });
    expect(await w.next((p) => p['ActionID'] === 'o')).toEqual({ Response: 'Goodbye', ActionID: 'o', Message: 'Thanks for all the fish.' });
    expect(await w.closedByServer()).toBe(true);
  });

  it('a span alarm is reported per channel and per span, as chan_dahdi with reportalarms=all', async () => {
    const w = await open();
    await login(w);
    backend.emit('span', { span: 1, alarm: 'red' });
    const first = await w.next((p) => p['Event'] === 'Alarm');
    expect(first).toEqual({ Event: 'Alarm', Privilege: 'system,all', DAHDIChannel: '1', Alarm: 'Red Alarm' });
    expect(await w.next((p) => p['Event'] === 'SpanAlarm')).toEqual({ Event: 'SpanAlarm', Privilege: 'system,all', Span: '1', Alarm: 'Red Alarm' });
  });

  it('close() cuts live sessions; the port can be reused at once', async () => {
    const w = await open();
    await login(w);
    const port = server.port;
    await server.close();
    expect(await w.closedByServer()).toBe(true);
    server = await startAmiServer({ backend, port, user: 'u', secret: 's', logger: silentLogger });
    expect(server.port).toBe(port);
    const again = await open();
    expect((await login(again))['Response']).toBe('Success');
  });
});

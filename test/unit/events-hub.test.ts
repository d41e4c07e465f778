/** The events hub with in-memory transports and a fake clock: fan-out, filtering, liveness. */
import { describe, expect, it } from 'vitest';
import { CloseCode, EventHub, localBroker, originAllowed, parseClientMessage, type Broker, type Envelope, type Transport, type Viewer } from '../../src/events/index.js';
import { FakeClock, silentLogger } from '../../src/kernel/index.js';

class FakeTransport implements Transport {
  sent: { seq: number; type: string; topic?: string; data?: Record<string, unknown> }[] = [];
  closedWith: number | undefined;
  terminated = false;
  pings = 0;
  backlog = 0;
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(code: number): void {
    this.closedWith = code;
  }
  terminate(): void {
    this.terminated = true;
  }
  ping(): void {
    this.pings++;
  }
  buffered(): number {
    return this.backlog;
  }
  types(): string[] {
    return this.sent.map((m) => m.type);
  }
}

const viewer = (over: Partial<Viewer> = {}): Viewer => ({
  userId: 1,
  tenantId: 10,
  level: 'admin',
  superUser: false,
  topics: ['calls', 'system'],
  extension: null,
  supervisedTeams: [],
  ...over,
});

const setup = (o: { broker?: Broker } = {}) => {
  const clock = new FakeClock();
  const hub = new EventHub({ clock, logger: silentLogger, heartbeatMs: 20_000, maxBufferedBytes: 1000, ...o });
  const join = (v: Viewer = viewer(), topics: string[] = ['calls', 'system'], credential = 'token') => {
    const t = new FakeTransport();
    const conn = hub.connect(t, v, credential, topics);
    return { t, conn };
  };
  return { clock, hub, join };
};

const call = (id: string, parties: string[] = []) => ({ type: 'call.started', data: { call: { callId: id } }, parties });

describe('EventHub', () => {
  it('greets, confirms the subscription and numbers every message from 1', () => {
    const { hub, join } = setup();
    const { t } = join();
    hub.publish('calls', 10, call('c1'));
    expect(t.types()).toEqual(['hello', 'subscribed', 'call.started']);
    expect(t.sent.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(t.sent[2]).toMatchObject({ topic: 'calls', data: { call: { callId: 'c1' } } });
  });

  it('delivers a tenant’s events only to that tenant’s sockets, and platform events to all', () => {
    const { hub, join } = setup();
    const a = join(viewer({ tenantId: 10 }));
    const b = join(viewer({ tenantId: 20 }));
    hub.publish('calls', 10, call('a1'));
    hub.publish('system', null, { type: 'system.readiness', data: { ready: false } });
    expect(a.t.types()).toContain('call.started');
    expect(b.t.types()).not.toContain('call.started');
    expect(b.t.types()).toContain('system.readiness');
  });

  it('delivers only subscribed topics', () => {
    const { hub, join } = setup();
    const { t } = join(viewer(), ['system']);
    hub.publish('calls', 10, call('c1'));
    expect(t.types()).not.toContain('call.started');
  });

  it('shows an agent only the calls its extension is party to; supervisors see all', () => {
    const { hub, join } = setup();
    const agent = join(viewer({ level: 'agent', extension: '1001' }));
    const noPhone = join(viewer({ level: 'agent', extension: null }));
    const sup = join(viewer({ level: 'supervisor' }));
    hub.publish('calls', 10, call('mine', ['5511999990000', '1001']));
    hub.publish('calls', 10, call('other', ['5511999990000', '1002']));
    const ids = (t: FakeTransport) => t.sent.filter((m) => m.type === 'call.started').map((m) => (m.data!.call as { callId: string }).callId);
    expect(ids(agent.t)).toEqual(['mine']);
    expect(ids(noPhone.t)).toEqual([]);
    expect(ids(sup.t)).toEqual(['mine', 'other']);
  });

  it('shows a supervisor only the agents of the teams it supervises; admins see every team, agents only themselves', () => {
    const { hub, join } = setup();
    const topics: Viewer['topics'] = ['agents'];
    const sup = join(viewer({ level: 'supervisor', supervisedTeams: [1, 3], topics }), ['agents']);
    const none = join(viewer({ level: 'supervisor', supervisedTeams: [], topics }), ['agents']);
    const admin = join(viewer({ level: 'admin', topics }), ['agents']);
    const agent = join(viewer({ level: 'agent', extension: '1002', topics }), ['agents']);
    const agentEvent = (name: string, extension: string, teams: number[]) => ({ type: 'agent.changed', data: { agent: { name } }, parties: [extension], teams });
    hub.publish('agents', 10, agentEvent('Ana', '1001', [1]));
    hub.publish('agents', 10, agentEvent('Bruno', '1002', [2]));
    hub.publish('agents', 10, agentEvent('Carla', '1003', [3]));
    hub.publish('agents', 10, agentEvent('Davi', '1004', []));
    const names = (t: FakeTransport) => t.sent.filter((m) => m.type === 'agent.changed').map((m) => (m.data!.agent as { name: string }).name);
    expect(names(sup.t)).toEqual(['Ana', 'Carla']);
    expect(names(none.t)).toEqual([]);
    expect(names(admin.t)).toEqual(['Ana', 'Bruno', 'Carla', 'Davi']);
    expect(names(agent.t)).toEqual(['Bruno']);
  });

  it('serialises an event once for all its sockets, each with its own seq', () => {
    const { hub, join } = setup();
    const sockets = [join(), join(), join()];
    join(viewer(), ['system']);
    let serialised = 0;
    const data = { call: { callId: 'c1' }, toJSON: () => (serialised++, { call: { callId: 'c1' } }) };
    hub.publish('calls', 10, { type: 'call.started', data });
    expect(serialised).toBe(1);
    for (const { t } of sockets) expect(t.sent.at(-1)).toEqual({ seq: 3, type: 'call.started', at: expect.any(String), topic: 'calls', data: { call: { callId: 'c1' } } });
  });

  it('refuses a subscription request that names a topic the viewer may not read, as a whole', () => {
    const { join } = setup();
    const { t, conn } = join(viewer({ topics: ['system'] }), []);
    conn.receive(JSON.stringify({ type: 'subscribe', topics: ['system', 'calls'] }));
    expect(t.sent.at(-1)).toMatchObject({ type: 'error', data: { code: 'forbidden', field: 'topics' } });
    conn.receive(JSON.stringify({ type: 'subscribe', topics: ['system'] }));
    expect(t.sent.at(-1)).toMatchObject({ type: 'subscribed', data: { topics: ['system'] } });
  });

  it('sends a topic’s snapshot to each new subscriber', () => {
    const { hub, join } = setup();
    hub.setSnapshot('system', () => ({ type: 'system.readiness', data: { ready: true } }));
    const { t } = join(viewer(), ['system']);
    expect(t.types()).toEqual(['hello', 'subscribed', 'system.readiness']);
  });

  it('pings every 20 s and drops a peer that did not answer the previous ping', () => {
    const { clock, join, hub } = setup();
    const lively = join();
    const dead = join();
    clock.advance(20_000);
    expect(lively.t.pings).toBe(1);
    expect(lively.t.types()).toContain('heartbeat');
    lively.conn.pong();
    clock.advance(20_000);
    expect(dead.t.terminated).toBe(true);
    expect(lively.t.terminated).toBe(false);
    expect(lively.t.pings).toBe(2);
    expect(hub.connectionCount()).toBe(1);
    hub.publish('calls', 10, call('after'));
    expect(dead.t.types()).not.toContain('call.started');
  });

  it('re-checks sessions on every beat: ends the ended ones, follows tenant and permission changes', () => {
    const { clock, hub, join } = setup();
    const sessions = new Map<string, Viewer | null>([
      ['ended', viewer()],
      ['moved', viewer()],
      ['demoted', viewer()],
    ]);
    hub.setRevalidator((credential) => sessions.get(credential) ?? null);
    const ended = join(viewer(), ['calls'], 'ended');
    const moved = join(viewer(), ['calls'], 'moved');
    const demoted = join(viewer(), ['calls', 'system'], 'demoted');
    sessions.set('ended', null);
    sessions.set('moved', viewer({ tenantId: 20 }));
    sessions.set('demoted', viewer({ topics: ['system'] }));
    clock.advance(20_000);
    expect(ended.t.closedWith).toBe(CloseCode.sessionEnded);
    expect(moved.t.sent.find((m) => m.type === 'tenant.changed')?.data).toEqual({ tenantId: 20 });
    expect(demoted.t.sent.find((m) => m.type === 'unsubscribed')?.data).toEqual({ topics: ['calls'], reason: 'no longer allowed' });
    hub.publish('calls', 20, call('in-20'));
    hub.publish('calls', 10, call('in-10'));
    expect(moved.t.sent.filter((m) => m.type === 'call.started').map((m) => (m.data!.call as { callId: string }).callId)).toEqual(['in-20']);
    expect(demoted.t.types()).not.toContain('call.started');
  });

  it('re-checks after a write only the sockets of the writer’s tenant, coalesced, or all of them', async () => {
    const { hub, join } = setup();
    const checked: string[] = [];
    hub.setRevalidator((credential) => {
      checked.push(credential);
      return viewer({ tenantId: credential.startsWith('a') ? 10 : 20 });
    });
    join(viewer({ tenantId: 10 }), [], 'a1');
    join(viewer({ tenantId: 10 }), [], 'a2');
    join(viewer({ tenantId: 20 }), [], 'b1');
    hub.recheckSoon(10);
    hub.recheckSoon(10);
    await new Promise((r) => setImmediate(r));
    expect(checked.sort()).toEqual(['a1', 'a2']);
    checked.length = 0;
    hub.recheckSoon(10);
    hub.recheckSoon(null);
    await new Promise((r) => setImmediate(r));
    expect(checked.sort()).toEqual(['a1', 'a2', 'b1']);
  });

  it('closes a socket that fell too far behind, so that the browser reconnects and resynchronises', () => {
    const { hub, join } = setup();
    const { t } = join();
    t.backlog = 5000;
    hub.publish('calls', 10, call('c1'));
    expect(t.closedWith).toBe(CloseCode.tooSlow);
    expect(t.types()).not.toContain('call.started');
  });

  it('goes through the broker, so another node’s events reach this node’s sockets', () => {
    const wire = localBroker();
    const seen: Envelope[] = [];
    wire.subscribe((e) => seen.push(e));
    const { hub, join } = setup({ broker: wire });
    const { t } = join();
    // Published by another node onto the same broker.
    wire.publish({ topic: 'calls', tenantId: 10, at: 0, event: call('remote') });
    hub.publish('calls', 10, call('local'));
    expect(t.sent.filter((m) => m.type === 'call.started')).toHaveLength(2);
    expect(JSON.parse(JSON.stringify(seen))).toEqual(seen);
  });

  it('closes every socket with 1001 when stopped, and publishes nothing after', () => {
    const { hub, join } = setup();
    const { t } = join();
    hub.stop();
    expect(t.closedWith).toBe(CloseCode.goingAway);
    hub.publish('calls', 10, call('late'));
    expect(t.types()).not.toContain('call.started');
  });
});

describe('client messages', () => {
  it.each([
    ['{"type":"subscribe","topics":["calls","calls"]}', { kind: 'subscribe', topics: ['calls'] }],
    ['{"type":"unsubscribe","topics":["system"]}', { kind: 'unsubscribe', topics: ['system'] }],
    ['{"type":"ping"}', { kind: 'ping' }],
    ['nope', { kind: 'invalid', field: '' }],
    ['[1]', { kind: 'invalid', field: '' }],
    ['{"type":"dance"}', { kind: 'invalid', field: 'type' }],
    ['{"type":"subscribe","topics":[]}', { kind: 'invalid', field: 'topics' }],
    ['{"type":"subscribe","topics":[1]}', { kind: 'invalid', field: 'topics' }],
    [`{"type":"subscribe","topics":["${'x'.repeat(5000)}"]}`, { kind: 'invalid' }],
  ])('%s', (text, expected) => {
    expect(parseClientMessage(text)).toMatchObject(expected);
  });
});

describe('originAllowed', () => {
  it.each([
    [undefined, '10.0.0.5:8080', [], true],
    ['http://10.0.0.5:8080', '10.0.0.5:8080', [], true],
    ['https://atende.example.com', 'atende.example.com', [], true],
    ['http://10.0.0.5:8081', '10.0.0.5:8080', [], false],
    ['https://evil.example', 'atende.example.com', [], false],
    ['https://painel.example.com', 'atende.example.com', ['https://painel.example.com/'], true],
    ['null', 'atende.example.com', [], false],
    ['file://x', 'x', [], false],
  ])('%s on host %s (allowed %j) → %s', (origin, host, allowed, expected) => {
    expect(originAllowed(origin, host, allowed)).toBe(expected);
  });
});

/**
 * The events hub: services publish (`EventPublisher`), the hub hands each event to the sockets
 * of the tenant and topic it concerns. It knows sockets only as a `Transport`, so it has no
 * HTTP or WebSocket import; `events.routes.ts` adapts `ws` sockets to it.
 *
 * Several nodes: `publish` goes through a `Broker` and every node's hub delivers what the broker
 * brings back, to its own sockets. In one process the broker is `localBroker()`, a direct call;
 * a Redis or PostgreSQL LISTEN/NOTIFY broker carries the same JSON `Envelope` between nodes.
 */
import type { AccessLevel } from '../http/principal.js';
import { isTopic, newId, TOPICS, type Clock, type EventPublisher, type LiveEvent, type Logger, type Timer, type Topic } from '../kernel/index.js';
import { parseClientMessage } from './events.logic.js';

/** Who is on the other end of a socket, as far as filtering goes. */
export interface Viewer {
  userId: number;
  /** The tenant the session acts on (a super user's choice, else the user's own). */
  tenantId: number;
  level: AccessLevel;
  superUser: boolean;
  /** The topics its permissions allow (see `TOPICS[…].module`). */
  topics: readonly Topic[];
  /** Agents see only the calls of this extension. */
  extension: string | null;
  /** The teams a supervisor supervises (on topics limited to them); ignored for other levels. */
  supervisedTeams: readonly number[];
}

/** A socket as the hub sees it. */
export interface Transport {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once (a peer that stopped answering pings). */
  terminate(): void;
  ping(): void;
  /** Bytes queued for the peer but not yet written. */
  buffered(): number;
}

/** One event on its way to every node. Plain JSON. */
export interface Envelope {
  topic: Topic;
  tenantId: number | null;
  /** Epoch ms when it was published. */
  at: number;
  event: LiveEvent;
}

/** Carries envelopes between nodes; every node's hub delivers what it receives to its own sockets. */
export interface Broker {
  publish(envelope: Envelope): void;
  subscribe(deliver: (envelope: Envelope) => void): () => void;
}

/** The broker of a single process: what is published is delivered here, at once. */
export function localBroker(): Broker {
  const listeners = new Set<(e: Envelope) => void>();
  return {
    publish: (e) => {
      for (const l of [...listeners]) l(e);
    },
    subscribe: (deliver) => {
      listeners.add(deliver);
      return () => listeners.delete(deliver);
    },
  };
}

/** WebSocket close codes the browser acts on. */
export const CloseCode = {
  /** The server is stopping: reconnect with backoff. */
  goingAway: 1001,
  /** The socket fell too far behind: reconnect and resynchronise by REST. */
  tooSlow: 1013,
  /** The session ended (logout, expiry, revocation, user or tenant deactivated): log in again. */
  sessionEnded: 4001,
} as const;

/** What the server sends. `seq` counts the messages of one connection from 1, with no gap. */
export interface ServerMessage {
  seq: number;
  type: string;
  /** ISO 8601. */
  at: string;
  topic?: Topic;
  data?: Record<string, unknown>;
}

export interface HubOptions {
  clock: Clock;
  logger: Logger;
  broker?: Broker;
  /** A heartbeat message and a ping every this many ms; a peer that missed the last ping is dropped. */
  heartbeatMs?: number;
  /** A socket with more than this many bytes waiting is closed (`tooSlow`). */
  maxBufferedBytes?: number;
}

interface Connection {
  readonly id: string;
  readonly transport: Transport;
  readonly credential: string;
  viewer: Viewer;
  readonly topics: Set<Topic>;
  seq: number;
  /** Answered the last ping. */
  alive: boolean;
  closed: boolean;
}

/** How many sockets a user has on this node now (after one came or went). */
export interface Presence {
  userId: number;
  tenantId: number;
  sockets: number;
}

/** What the route keeps for one socket: feed it the peer's messages and pongs, tell it when the socket closed. */
export interface HubConnection {
  readonly id: string;
  receive(text: string): void;
  pong(): void;
  closed(): void;
}

export const DEFAULT_HEARTBEAT_MS = 20_000;

/**
 * Is this event for this viewer? On some topics agents see only their own phone's events and
 * supervisors only their teams' (admins and super users see all of their tenant's).
 */
export function shows(viewer: Viewer, topic: Topic, event: LiveEvent): boolean {
  if (viewer.superUser) return true;
  const rules = TOPICS[topic];
  if (rules.agentsOwnOnly && viewer.level === 'agent') return viewer.extension !== null && (event.parties ?? []).includes(viewer.extension);
  if (rules.supervisorsOwnTeams && viewer.level === 'supervisor') return (event.teams ?? []).some((t) => viewer.supervisedTeams.includes(t));
  return true;
}

/**
 * A message as JSON without its `seq`, so that one event is serialised once for all its
 * sockets and each gets `{"seq":N,` + the rest.
 */
function body(type: string, at: number, topic: Topic | undefined, data: Record<string, unknown> | undefined): string {
  return JSON.stringify({ type, at: new Date(at).toISOString(), ...(topic ? { topic } : {}), ...(data ? { data } : {}) });
}

export class EventHub implements EventPublisher {
  private readonly connections = new Set<Connection>();
  private readonly byTenant = new Map<number, Set<Connection>>();
  private readonly snapshots = new Map<Topic, () => LiveEvent>();
  private readonly broker: Broker;
  private readonly unsubscribeBroker: () => void;
  private readonly log: Logger;
  private readonly heartbeatMs: number;
  private readonly maxBuffered: number;
  private timer: Timer | undefined;
  private revalidator: ((credential: string) => Viewer | null) | undefined;
  private recheckQueued = false;
  private recheckAllQueued = false;
  private readonly recheckTenants = new Set<number>();
  private stopped = false;
  private readonly presenceListeners = new Set<(p: Presence) => void>();

  constructor(private readonly o: HubOptions) {
    this.broker = o.broker ?? localBroker();
    this.unsubscribeBroker = this.broker.subscribe((e) => this.deliver(e));
    this.log = o.logger.child({ component: 'events' });
    this.heartbeatMs = o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.maxBuffered = o.maxBufferedBytes ?? 1024 * 1024;
  }

  publish(topic: Topic, tenantId: number | null, event: LiveEvent): void {
    if (this.stopped) return;
    this.broker.publish({ topic, tenantId, at: this.o.clock.now(), event });
  }

  /**
   * How a socket's session is checked again (on every heartbeat and after writes): the viewer
   * as it is now, or null when the session is over.
   */
  setRevalidator(fn: (credential: string) => Viewer | null): void {
    this.revalidator = fn;
  }

  /** The current state of a topic, sent to each new subscriber of it (e.g. readiness). */
  setSnapshot(topic: Topic, current: () => LiveEvent): void {
    this.snapshots.set(topic, current);
  }

  /** Sockets subscribed to `topic` on this node. */
  subscribers(topic: Topic): number {
    let n = 0;
    for (const c of this.connections) if (c.topics.has(topic)) n++;
    return n;
  }

  connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Told whenever a user's sockets on this node come or go (not while the server stops): the
   * routing engine logs out an agent whose desk stayed closed. One node's sockets only: behind
   * several nodes a user's tabs may be on another.
   */
  onPresence(listener: (p: Presence) => void): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  private presenceChanged(viewer: Viewer): void {
    if (this.stopped || this.presenceListeners.size === 0) return;
    let sockets = 0;
    for (const c of this.byTenant.get(viewer.tenantId) ?? []) if (c.viewer.userId === viewer.userId) sockets++;
    for (const listener of [...this.presenceListeners]) {
      try {
        listener({ userId: viewer.userId, tenantId: viewer.tenantId, sockets });
      } catch (err) {
        this.log.error({ err, userId: viewer.userId }, 'a presence listener failed');
      }
    }
  }

  /** A new socket of an authenticated session; `credential` is what the revalidator checks. */
  connect(transport: Transport, viewer: Viewer, credential: string, topics: readonly string[] = []): HubConnection {
    const conn: Connection = { id: newId(), transport, credential, viewer, topics: new Set(), seq: 0, alive: true, closed: false };
    this.connections.add(conn);
    this.index(conn);
    this.presenceChanged(viewer);
    this.ensureTicking();
    this.log.debug({ connectionId: conn.id, userId: viewer.userId, tenantId: viewer.tenantId }, 'events socket opened');
    this.send(conn, 'hello', {
      data: {
        connectionId: conn.id,
        userId: viewer.userId,
        tenantId: viewer.tenantId,
        heartbeatSeconds: this.heartbeatMs / 1000,
        topics: viewer.topics,
      },
    });
    if (topics.length > 0) this.subscribe(conn, topics);
    return {
      id: conn.id,
      receive: (text) => this.receive(conn, text),
      pong: () => {
        conn.alive = true;
      },
      closed: () => this.drop(conn),
    };
  }

  /**
   * Checks sockets' sessions soon, coalescing the requests of one turn of the event loop:
   * after a write that may have ended sessions. `tenantId` limits it to that tenant's sockets
   * (a tenant's own users can change nothing elsewhere); `null` checks them all.
   */
  recheckSoon(tenantId: number | null): void {
    if (this.connections.size === 0) return;
    if (tenantId === null) this.recheckAllQueued = true;
    else this.recheckTenants.add(tenantId);
    if (this.recheckQueued) return;
    this.recheckQueued = true;
    setImmediate(() => {
      this.recheckQueued = false;
      const all = this.recheckAllQueued;
      const tenants = [...this.recheckTenants];
      this.recheckAllQueued = false;
      this.recheckTenants.clear();
      if (all) this.recheckAll();
      else for (const t of tenants) this.recheck([...(this.byTenant.get(t) ?? [])]);
    });
  }

  /** Checks every socket's session now; closes those whose session is over, follows tenant and permission changes. */
  recheckAll(): void {
    this.recheck([...this.connections]);
  }

  private recheck(connections: Connection[]): void {
    if (!this.revalidator) return;
    for (const conn of connections) {
      if (conn.closed) continue;
      let viewer: Viewer | null;
      try {
        viewer = this.revalidator(conn.credential);
      } catch (err) {
        this.log.error({ err, connectionId: conn.id }, 'could not re-check an events socket; keeping it until the next check');
        continue;
      }
      if (!viewer) {
        this.close(conn, CloseCode.sessionEnded, 'session ended');
        continue;
      }
      const before = conn.viewer;
      if (viewer.tenantId !== before.tenantId) {
        this.unindex(conn);
        conn.viewer = viewer;
        this.index(conn);
        this.send(conn, 'tenant.changed', { data: { tenantId: viewer.tenantId } });
      } else conn.viewer = viewer;
      const lost = [...conn.topics].filter((t) => !viewer.topics.includes(t));
      if (lost.length > 0) {
        for (const t of lost) conn.topics.delete(t);
        this.send(conn, 'unsubscribed', { data: { topics: lost, reason: 'no longer allowed' } });
      }
    }
  }

  /** Closes every socket (the server is stopping) and stops the heartbeat. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (const conn of [...this.connections]) this.close(conn, CloseCode.goingAway, 'server stopping');
    this.unsubscribeBroker();
  }

  private deliver(e: Envelope): void {
    const targets = e.tenantId === null ? this.connections : this.byTenant.get(e.tenantId);
    if (!targets) return;
    let text: string | undefined;
    for (const conn of [...targets]) {
      if (conn.topics.has(e.topic) && shows(conn.viewer, e.topic, e.event)) {
        text ??= body(e.event.type, e.at, e.topic, e.event.data);
        this.write(conn, text);
      }
    }
  }

  private receive(conn: Connection, text: string): void {
    const msg = parseClientMessage(text);
    if (msg.kind === 'invalid') return this.send(conn, 'error', { data: { code: 'invalid_message', message: msg.problem, field: msg.field } });
    if (msg.kind === 'ping') return this.send(conn, 'pong');
    if (msg.kind === 'subscribe') return this.subscribe(conn, msg.topics);
    for (const t of msg.topics) if (isTopic(t)) conn.topics.delete(t);
    this.send(conn, 'unsubscribed', { data: { topics: msg.topics.filter(isTopic), reason: 'requested' } });
  }

  /** All or nothing: an unknown or forbidden topic refuses the whole request. */
  private subscribe(conn: Connection, topics: readonly string[]): void {
    const unknown = topics.filter((t) => !isTopic(t));
    if (unknown.length > 0) {
      return this.send(conn, 'error', {
        data: { code: 'unknown_topic', message: `unknown topic ${unknown[0]}; known: ${Object.keys(TOPICS).join(', ')}`, field: 'topics' },
      });
    }
    const forbidden = (topics as Topic[]).filter((t) => !conn.viewer.topics.includes(t));
    if (forbidden.length > 0) {
      return this.send(conn, 'error', {
        data: { code: 'forbidden', message: `your profile does not allow the topic ${forbidden[0]}`, field: 'topics' },
      });
    }
    const added = (topics as Topic[]).filter((t) => !conn.topics.has(t));
    for (const t of added) conn.topics.add(t);
    this.send(conn, 'subscribed', { data: { topics: [...conn.topics] } });
    for (const t of added) {
      const snapshot = this.snapshots.get(t);
      if (!snapshot) continue;
      const event = snapshot();
      this.send(conn, event.type, { topic: t, data: event.data });
    }
  }

  private send(conn: Connection, type: string, extra: { topic?: Topic; data?: Record<string, unknown> } = {}): void {
    if (conn.closed) return;
    this.write(conn, body(type, this.o.clock.now(), extra.topic, extra.data));
  }

  /** Sends a `body()` with the connection's next `seq` (a `ServerMessage`). */
  private write(conn: Connection, text: string): void {
    if (conn.closed) return;
    if (conn.transport.buffered() > this.maxBuffered) {
      this.log.warn({ connectionId: conn.id, userId: conn.viewer.userId }, 'events socket too slow; closing it');
      return this.close(conn, CloseCode.tooSlow, 'too slow: reconnect and resynchronise');
    }
    try {
      conn.transport.send(`{"seq":${++conn.seq},${text.slice(1)}`);
    } catch (err) {
      this.log.debug({ err, connectionId: conn.id }, 'events socket send failed; dropping it');
      this.drop(conn);
    }
  }

  private close(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return;
    this.drop(conn);
    try {
      conn.transport.close(code, reason);
    } catch (err) {
      this.log.debug({ err, connectionId: conn.id }, 'events socket close failed');
    }
  }

  private drop(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.connections.delete(conn);
    this.unindex(conn);
    this.log.debug({ connectionId: conn.id, userId: conn.viewer.userId }, 'events socket closed');
    this.presenceChanged(conn.viewer);
  }

  private index(conn: Connection): void {
    const set = this.byTenant.get(conn.viewer.tenantId) ?? new Set();
    set.add(conn);
    this.byTenant.set(conn.viewer.tenantId, set);
  }

  private unindex(conn: Connection): void {
    const set = this.byTenant.get(conn.viewer.tenantId);
    set?.delete(conn);
    if (set?.size === 0) this.byTenant.delete(conn.viewer.tenantId);
  }

  private ensureTicking(): void {
    if (this.timer || this.stopped) return;
    this.timer = this.o.clock.setTimeout(() => this.tick(), this.heartbeatMs);
  }

  /** Heartbeat: re-check every session, drop peers that missed the last ping, ping the rest. */
  private tick(): void {
    this.timer = undefined;
    this.recheckAll();
    for (const conn of [...this.connections]) {
      if (!conn.alive) {
        this.log.debug({ connectionId: conn.id }, 'events socket missed a ping; dropping it');
        this.drop(conn);
        conn.transport.terminate();
        continue;
      }
      conn.alive = false;
      conn.transport.ping();
      this.send(conn, 'heartbeat');
    }
    if (this.connections.size > 0) this.ensureTicking();
  }
}

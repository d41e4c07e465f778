/**
 * Supervises the connection to ARI: check the credentials, load the REST API with ari-client,
 * open the events WebSocket, and when anything fails or drops, start over with capped,
 * jittered exponential backoff — forever, until stopped.
 *
 * The events WebSocket is opened here with `ws` rather than with ari-client's `start()`:
 * that one reconnects on its own only 10 times (~43 s) and then gives up for good, and it
 * crashes the process on an event type missing from the Swagger listing (it reads
 * `eventModel.properties` of undefined inside the socket's message handler). Owning the socket
 * gives one supervisor for both halves and raw JSON events, which is all the translator needs.
 * ari-client still does every REST request.
 */
import WebSocket from 'ws';
import type { AriClient } from 'ari-client';
import type { Clock, Logger, Random, Timer } from '../../kernel/index.js';
import type { ConnectionState } from '../call-control.js';
import { loadAriClient } from './ari-library.js';
import type { RawEvent } from './ari-model.js';

export interface AriConnectionOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  logger: Logger;
  clock: Clock;
  random: Random;
  /** First retry delay; doubles per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Limit for each step of a connection attempt (credential check, API load, socket open). */
  connectTimeoutMs: number;
  /** The socket is pinged this often; no pong by the next ping → it is considered dead. */
  pingIntervalMs: number;
  onEvent(event: RawEvent): void;
  onStateChange(state: ConnectionState, reason: string | undefined): void;
}

class AttemptFailed extends Error {}

export class AriConnection {
  private state: ConnectionState = 'down';
  private reason: string | undefined = 'not started';
  private client: AriClient | undefined;
  private socket: WebSocket | undefined;
  private retryTimer: Timer | undefined;
  private pingTimer: Timer | undefined;
  private failures = 0;
  private running = false;
  /** Bumped by stop() and by every new attempt, so a stale attempt discards its result. */
  private generation = 0;
  private readonly base: URL;

  constructor(private readonly o: AriConnectionOptions) {
    this.base = new URL(o.url);
  }

  /** Where ARI is, without credentials (for logs and reasons). */
  get where(): string {
    return `${this.base.protocol}//${this.base.host}`;
  }

  currentState(): ConnectionState {
    return this.state;
  }

  currentReason(): string | undefined {
    return this.reason;
  }

  /** The REST client while connected (events socket open); undefined otherwise. */
  currentClient(): AriClient | undefined {
    return this.state === 'up' ? this.client : undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.setState('connecting', undefined);
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.generation++;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.pingTimer?.cancel();
    this.pingTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.client = undefined;
    if (socket) await closeSocket(socket);
    this.setState('down', 'stopped');
  }

  private async attempt(): Promise<void> {
    const gen = ++this.generation;
    try {
      await this.checkCredentials();
      const client = await loadAriClient(this.o.url, this.o.user, this.o.password, (p) =>
        this.within(p, 'loading the ARI API'),
      );
      if (gen !== this.generation) return;
      const { socket, early } = await this.openSocket();
      if (gen !== this.generation) {
        socket.terminate();
        return;
      }
      this.client = client;
      this.socket = socket;
      this.failures = 0;
      this.watch(socket);
      this.o.logger.info({ url: this.where, app: this.o.app }, 'ARI connected');
      this.setState('up', undefined);
      for (const data of early.splice(0)) this.deliver(data);
    } catch (e) {
      if (gen !== this.generation) return;
      const reason = e instanceof AttemptFailed ? e.message : `ARI connect failed at ${this.where}: ${describe(e)}`;
      this.fail(reason);
    }
  }

  /**
   * A plain request before ari-client touches the server: ari-client reports a rejected
   * password only by crashing (see ari-library.ts), and says nothing useful about it.
   */
  private async checkCredentials(): Promise<void> {
    const info = `${this.where}/ari/asterisk/info`;
    const auth = Buffer.from(`${this.o.user}:${this.o.password}`).toString('base64');
    const get = () =>
      fetch(info, {
        headers: { authorization: `Basic ${auth}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.o.connectTimeoutMs),
      });
    let res: Response;
    try {
      res = await get().catch((e: unknown) => {
        // A kept-alive connection the server closed while idle fails on reuse, reset or
        // closed; the GET is idempotent, so one fresh try tells a live server from a dead one.
        if (CLOSED_UNDER_US.has(errorCode(e) ?? '')) return get();
        throw e;
      });
    } catch (e) {
      throw new AttemptFailed(`ARI unreachable at ${this.where}: ${describe(e)}`);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 401 || res.status === 403) {
      throw new AttemptFailed(
        `ARI rejected the credentials (${res.status}) at ${this.where} for user "${this.o.user}": check the ARI user and password`,
      );
    }
    if (!res.ok) throw new AttemptFailed(`ARI answered ${res.status} to ${info}`);
  }

  /**
   * Opens the events socket. Frames that arrive in the same read as the upgrade can be emitted
   * before the caller's continuation runs: they are kept in `early` until `watch` takes over.
   */
  private openSocket(): Promise<{ socket: WebSocket; early: unknown[] }> {
    const scheme = this.base.protocol === 'https:' ? 'wss' : 'ws';
    const query = new URLSearchParams({ app: this.o.app, api_key: `${this.o.user}:${this.o.password}` });
    const socket = new WebSocket(`${scheme}://${this.base.host}/ari/events?${query.toString()}`, {
      handshakeTimeout: this.o.connectTimeoutMs,
    });
    const early: unknown[] = [];
    socket.on('message', (data) => {
      if (this.socket !== socket) early.push(data);
    });
    return new Promise((resolve, reject) => {
      const onOpen = () => {
        cleanup();
        resolve({ socket, early });
      };
      const onError = (err: Error) => {
        cleanup();
        socket.terminate();
        reject(new AttemptFailed(`ARI events WebSocket failed at ${this.where}: ${describe(err)}`));
      };
      const onClose = (code: number) => {
        cleanup();
        reject(new AttemptFailed(`ARI events WebSocket closed while opening at ${this.where} (${code})`));
      };
      const cleanup = () => {
        socket.off('open', onOpen);
        socket.off('error', onError);
        socket.off('close', onClose);
      };
      socket.on('open', onOpen);
      socket.on('error', onError);
      socket.on('close', onClose);
    });
  }

  private watch(socket: WebSocket): void {
    let alive = true;
    socket.on('message', (data) => {
      if (this.socket === socket) this.deliver(data);
    });
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('error', (err) => {
      this.o.logger.warn({ url: this.where, err: describe(err) }, 'ARI events WebSocket error');
    });
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.client = undefined;
      this.pingTimer?.cancel();
      this.pingTimer = undefined;
      this.fail(`ARI events WebSocket closed at ${this.where} (${code})`);
    });
    const ping = () => {
      if (this.socket !== socket) return;
      if (!alive) {
        this.o.logger.warn({ url: this.where }, 'ARI events WebSocket did not answer a ping; dropping it');
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
      this.pingTimer = this.o.clock.setTimeout(ping, this.o.pingIntervalMs);
    };
    this.pingTimer = this.o.clock.setTimeout(ping, this.o.pingIntervalMs);
  }

  private deliver(data: unknown): void {
    let event: RawEvent;
    try {
      event = JSON.parse(String(data)) as RawEvent;
    } catch {
      this.o.logger.warn({ url: this.where }, 'ARI sent an event that is not JSON; ignored');
      return;
    }
    if (!event || typeof event.type !== 'string') return;
    try {
      this.o.onEvent(event);
    } catch (e) {
      // A malformed event must not become an uncaught exception in the socket's handler.
      this.o.logger.error({ err: e, event: event.type }, 'could not handle an ARI event');
    }
  }

  private fail(reason: string): void {
    if (!this.running) return;
    const delay = this.nextDelay();
    this.failures++;
    const credentials = reason.startsWith('ARI rejected the credentials');
    this.o.logger[credentials ? 'error' : 'warn']({ url: this.where, retryInMs: delay }, reason);
    this.setState('down', reason);
    this.retryTimer?.cancel();
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.running) void this.attempt();
    }, delay);
  }

  /** Exponential from `initialBackoffMs`, capped, with "equal jitter" (half fixed, half random). */
  private nextDelay(): number {
    const exp = Math.min(this.o.maxBackoffMs, this.o.initialBackoffMs * 2 ** Math.min(this.failures, 30));
    return Math.round(exp / 2 + (exp / 2) * this.o.random.next());
  }

  private within<T>(work: PromiseLike<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.o.clock.setTimeout(
        () => reject(new AttemptFailed(`ARI at ${this.where} did not answer in time (${what})`)),
        this.o.connectTimeoutMs,
      );
      work.then(
        (v) => {
          timer.cancel();
          resolve(v);
        },
        (e: unknown) => {
          timer.cancel();
          reject(e);
        },
      );
    });
  }

  private setState(state: ConnectionState, reason: string | undefined): void {
    const changed = state !== this.state;
    this.state = state;
    this.reason = reason;
    if (changed) this.o.onStateChange(state, reason);
  }
}

/** How a request on a connection the server had already closed fails: reset, or closed (undici). */
const CLOSED_UNDER_US = new Set(['ECONNRESET', 'UND_ERR_SOCKET']);

function errorCode(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const cause = (e as Error & { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = errorCode(e);
  return code ? `${e.message} (${code})` : e.message;
}

/**
 * Drops the socket at once: Asterisk needs no closing handshake, and waiting for one from a
 * server that is gone would hold stop() up.
 */
function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.terminate();
  });
}

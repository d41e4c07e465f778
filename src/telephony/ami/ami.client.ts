/**
 * The AMI adapter: the only place that touches `asterisk-manager`. It contains the library's
 * defects (ASTERISK-FACTS, "AMI"):
 * - list actions answer "EventList: start" and deliver items as ordinary events → collected
 *   here by ActionID until the `…Complete` event;
 * - no action timeout → every action and list has one (idle timeout for lists);
 * - actions sent while not logged in are held forever → rejected at once as `unavailable`;
 * - socket errors go to an empty handler → logged and turned into a state change;
 * - its reconnect waits 10–60 s and prints to the console → never enabled; this module
 *   supervises the connection itself (capped exponential backoff with jitter, forever), and
 *   each attempt uses a fresh library instance so no half-read packet survives a reconnect;
 * - timestamp ActionIDs can collide → ours are a counter;
 * - lower-cased keys and arrays for repeated keys → normalised into `AmiMessage`.
 * Login sends no usable `Events` header, so events are filtered afterwards with `Events` +
 * `EventMask`.
 */
import createManager, { type AsteriskManager, type RawAmiPacket } from 'asterisk-manager';
import { systemClock, type Clock, type Timer } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import { mathRandom, type Random } from '../../kernel/random.js';
import type { ProbeResult } from '../../kernel/readiness.js';
import type { ChannelSnapshot, ConnectionState } from '../call-control.js';
import {
  actionHeaders,
  applySpanSignal,
  backoffDelay,
  channelsOf,
  collectListEvent,
  contactStatusOf,
  contactsOf,
  dialplanHintsOf,
  endpointsOf,
  mohClassesOf,
  normaliseMessage,
  registrationsOf,
  registryOf,
  rtcpStatsOf,
  spanSignalOf,
  spanStatusOf,
  startsList,
  toResponse,
  e1SpanOfChannel,
  type ListCollection,
} from './ami.logic.js';
import {
  AmiError,
  type AmiContact,
  type AmiEndpoint,
  type AmiRegistration,
  type AmiEvent,
  type AmiFields,
  type AmiListResult,
  type AmiMessage,
  type AmiResponse,
  type AmiSpanStatus,
  type BackoffPolicy,
  type SpanAlarmKind,
} from './ami.model.js';

/**
 * The event classes Atende reads: DAHDI alarms and PJSIP contacts (`system`), RTCP (`reporting`).
 * `config/asterisk/manager.conf` grants exactly these.
 */
export const DEFAULT_EVENT_MASK = 'system,reporting';

export interface AmiClientOptions {
  /** Default 127.0.0.1 (`localhost` may resolve to ::1 first). */
  host?: string;
  /** Default 5038. */
  port?: number;
  user: string;
  secret: string;
  logger: Logger;
  clock?: Clock;
  /** Jitter for the reconnect backoff. */
  random?: Random;
  /** Time an action may wait for its response (for lists: between two items). Default 10 s. */
  actionTimeoutMs?: number;
  /** Time from opening the socket to being logged in and filtered. Default 10 s. */
  connectTimeoutMs?: number;
  /** Reconnect backoff; default 500 ms doubling up to 30 s. */
  backoff?: BackoffPolicy;
  /** A Ping every this many ms proves the link is alive; 0 turns it off. Default 20 s. */
  keepAliveMs?: number;
  /** Event classes to receive. Default `DEFAULT_EVENT_MASK`. */
  eventMask?: string;
  /** DAHDI channel number → span, for per-channel `Alarm` events. Default: E1 spans of 31 numbers. */
  spanOfChannel?: (channel: number) => number;
}

export interface AmiClient {
  /** Starts connecting; never throws; reconnects forever until `stop()`. May follow a `stop()`. */
  start(): void;
  /** Logs off and closes; no reconnect afterwards. */
  stop(): Promise<void>;
  /** Sends an action and resolves with its response; rejects with `AmiError` on Error/timeout/no link. */
  action(name: string, fields?: AmiFields): Promise<AmiResponse>;
  /** Sends a list action and resolves once its `…Complete` event arrived. */
  list(name: string, fields?: AmiFields): Promise<AmiListResult>;
  /** Subscribes to typed events; returns the unsubscribe function. */
  onEvent(listener: (event: AmiEvent) => void): () => void;
  connectionState(): ConnectionState;
  /** For `Readiness.register('ami', …)`: ok only while logged in. */
  readinessProbe(): ProbeResult;
  /** Span alarms from DAHDIShowStatus and PRIShowSpans ([] when the box has no DAHDI). */
  spanStatus(): Promise<AmiSpanStatus[]>;
  /** PJSIP endpoints with device state and contacts ([] when there are none). */
  endpoints(): Promise<AmiEndpoint[]>;
  /** Every channel Asterisk has now (CoreShowChannels). */
  channels(): Promise<ChannelSnapshot[]>;
  /** `Action: Reload` of one module (e.g. `res_pjsip.so`), or of everything without one. */
  reload(module?: string): Promise<void>;
  /** Registered contacts of phones and trunks' AORs (PJSIPShowContacts; [] when there are none). */
  contacts(): Promise<AmiContact[]>;
  /** Trunks' outbound registrations (PJSIPShowRegistrationsOutbound). */
  registrations(): Promise<AmiRegistration[]>;
  /** The hints of a dialplan context (`dialplan show`); undefined when the context is not loaded. */
  dialplanHints(context: string): Promise<Map<string, string> | undefined>;
  /** Names of the loaded music-on-hold classes (`moh show classes`). */
  mohClasses(): Promise<string[]>;
  /** Runs a CLI command and returns its output lines. */
  command(cli: string): Promise<string[]>;
}

interface Pending {
  name: string;
  kind: 'single' | 'list';
  resolve: (value: AmiResponse | AmiListResult) => void;
  reject: (err: AmiError) => void;
  timer: Timer;
  /** Restarts the timeout (on each list item, so that a long list is not cut short). */
  rearm: () => void;
  response?: AmiResponse;
  collected: ListCollection;
}

interface Connection {
  manager: AsteriskManager;
  done: boolean;
  up: boolean;
  connectTimer?: Timer;
  keepAliveTimer?: Timer;
  lastSocketError?: string;
  loginRefused?: string;
}

const ACTION_ID_PREFIX = 'atende-';

export function createAmiClient(options: AmiClientOptions): AmiClient {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 5038;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? mathRandom;
  const actionTimeoutMs = options.actionTimeoutMs ?? 10_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const keepAliveMs = options.keepAliveMs ?? 20_000;
  const eventMask = options.eventMask ?? DEFAULT_EVENT_MASK;
  const spanOfChannel = options.spanOfChannel ?? e1SpanOfChannel;
  const log = options.logger.child({ component: 'ami', host, port });

  const listeners = new Set<(event: AmiEvent) => void>();
  const pending = new Map<string, Pending>();
  let spanAlarms: ReadonlyMap<number, SpanAlarmKind> = new Map();
  let state: ConnectionState = 'down';
  let stateReason: string | undefined = 'not started';
  let current: Connection | undefined;
  let reconnectTimer: Timer | undefined;
  let attempt = 0;
  let started = false;
  let stopped = false;
  let sequence = 0;

  const emit = (event: AmiEvent) => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        log.error({ err, event: event.type }, 'AMI event listener failed');
      }
    }
  };

  const setState = (next: ConnectionState, reason?: string) => {
    const changed = next !== state || (next !== 'up' && reason !== stateReason);
    const from = state;
    state = next;
    stateReason = reason;
    if (!changed) return;
    log.debug({ from, to: next, reason }, `AMI ${from} —${reason ?? next}→ ${next}`);
    if (from !== next) emit({ type: 'ConnectionChanged', at: clock.now(), link: 'ami', state: next, ...(reason ? { reason } : {}) });
  };

  const rejectAll = (reason: string) => {
    for (const [id, p] of pending) {
      p.timer.cancel();
      pending.delete(id);
      p.reject(new AmiError('unavailable', `AMI ${p.name} aborted: ${reason}`, p.name));
    }
  };

  /** Writes an action on a logged-in connection and tracks its answer. */
  const send = (conn: Connection, name: string, fields: AmiFields, kind: Pending['kind']): Promise<AmiResponse | AmiListResult> =>
    new Promise((resolve, reject) => {
      const actionId = `${ACTION_ID_PREFIX}${++sequence}`;
      const expire = () =>
        clock.setTimeout(() => {
          if (!pending.delete(actionId)) return;
          conn.manager.removeAllListeners(actionId);
          reject(new AmiError('timeout', `AMI ${name} got no answer within ${actionTimeoutMs} ms`, name));
        }, actionTimeoutMs);
      const p: Pending = {
        name,
        kind,
        resolve,
        reject,
        timer: expire(),
        rearm: () => {
          p.timer.cancel();
          p.timer = expire();
        },
        collected: { events: [] },
      };
      pending.set(actionId, p);
      conn.manager.action({ ...actionHeaders(fields), action: name, actionid: actionId });
    });

  const settleList = (actionId: string, p: Pending) => {
    if (!p.response || !p.collected.complete) return;
    p.timer.cancel();
    pending.delete(actionId);
    p.resolve({ response: p.response, events: p.collected.events, complete: p.collected.complete });
  };

  const onResponse = (raw: RawAmiPacket) => {
    const response = toResponse(normaliseMessage(raw));
    const p = pending.get(response.actionId);
    if (!p) return;
    if (!response.ok) {
      p.timer.cancel();
      pending.delete(response.actionId);
      p.reject(new AmiError('failed', `AMI ${p.name} failed: ${response.message || 'error'}`, p.name, response));
      return;
    }
    if (p.kind === 'single') {
      p.timer.cancel();
      pending.delete(response.actionId);
      p.resolve(response);
      return;
    }
    p.response = response;
    if (!startsList(response)) {
      p.timer.cancel();
      pending.delete(response.actionId);
      p.resolve({ response, events: [] });
      return;
    }
    p.rearm();
    settleList(response.actionId, p);
  };

  const onManagerEvent = (raw: RawAmiPacket) => {
    const message = normaliseMessage(raw);
    const actionId = message.fields['actionid'];
    if (actionId !== undefined && actionId.startsWith(ACTION_ID_PREFIX)) {
      const p = pending.get(actionId);
      if (p && p.kind === 'list') {
        p.collected = collectListEvent(p.collected, message);
        p.rearm();
        settleList(actionId, p);
      }
      // Items of a list that already timed out, or of a plain action: nobody waits for them.
      return;
    }
    publish(message);
  };

  const publish = (message: AmiMessage) => {
    const at = clock.now();
    const signal = spanSignalOf(message, spanOfChannel);
    if (signal) {
      const next = applySpanSignal(spanAlarms, signal, at);
      spanAlarms = next.state;
      if (next.event) {
        log.debug({ event: next.event }, 'DAHDI span alarm state changed');
        emit(next.event);
      }
      return;
    }
    const event = contactStatusOf(message, at) ?? registryOf(message, at) ?? rtcpStatsOf(message, at);
    if (event) emit(event);
  };

  const fail = (conn: Connection, reason: string) => {
    if (conn.done) return;
    conn.done = true;
    conn.connectTimer?.cancel();
    conn.keepAliveTimer?.cancel();
    // Before the socket is open the library cannot close it; the connect callback does.
    if (conn.manager.isConnected()) conn.manager.disconnect();
    if (current === conn) current = undefined;
    rejectAll(reason);
    if (stopped) return;

    const wasUp = conn.up;
    const repeated = !wasUp && state === 'down' && stateReason === reason;
    const delay = backoffDelay(attempt++, backoff, random);
    const details = { reason, retryInMs: delay, attempt };
    if (conn.loginRefused && !repeated) {
      log.error({ ...details, user: options.user }, 'AMI login refused: check the AMI user and secret (manager.conf)');
    } else if (!repeated) {
      log.warn(details, wasUp ? 'AMI connection lost; reconnecting' : 'AMI connection failed; retrying');
    } else {
      log.debug(details, 'AMI connection still failing');
    }
    setState('down', reason);
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delay);
  };

  const keepAlive = (conn: Connection) => {
    if (keepAliveMs <= 0) return;
    conn.keepAliveTimer = clock.setTimeout(() => {
      if (conn.done) return;
      send(conn, 'Ping', {}, 'single').then(
        () => keepAlive(conn),
        (err: AmiError) => fail(conn, `keep-alive Ping failed: ${err.message}`),
      );
    }, keepAliveMs);
  };

  const connect = () => {
    if (stopped) return;
    const manager = createManager(undefined, host, options.user, options.secret, false);
    const conn: Connection = { manager, done: false, up: false };
    current = conn;
    if (state !== 'down') setState('connecting');

    conn.connectTimer = clock.setTimeout(
      () => fail(conn, `not logged in within ${connectTimeoutMs} ms`),
      connectTimeoutMs,
    );
    manager.on('error', (err: Error & { code?: string }) => {
      conn.lastSocketError = err.code ? `${err.code}: ${err.message}` : err.message;
      log.debug({ err: conn.lastSocketError }, 'AMI socket error');
    });
    manager.on('close', () => fail(conn, conn.loginRefused ?? conn.lastSocketError ?? 'connection closed by Asterisk'));
    manager.on('response', (raw) => {
      if (!conn.done) onResponse(raw);
    });
    manager.on('managerevent', (raw) => {
      if (!conn.done) onManagerEvent(raw);
    });

    manager.connect(port, host, () => {
      if (conn.done) {
        manager.disconnect();
        return;
      }
      manager.login((refused) => {
        if (conn.done) return;
        if (refused) {
          const message = normaliseMessage(refused).fields['message'] ?? 'login refused';
          conn.loginRefused = `login refused for user "${options.user}": ${message}`;
          fail(conn, conn.loginRefused);
          return;
        }
        send(conn, 'Events', { EventMask: eventMask }, 'single').then(
          () => {
            if (conn.done) return;
            conn.up = true;
            conn.connectTimer?.cancel();
            attempt = 0;
            log.info({ user: options.user, eventMask }, 'AMI connected');
            setState('up');
            keepAlive(conn);
          },
          (err: AmiError) => fail(conn, `event filter refused: ${err.message}`),
        );
      });
    });
  };

  const requireUp = (name: string): Connection => {
    if (state !== 'up' || !current || !current.up || current.done) {
      throw new AmiError('unavailable', `AMI ${name} not sent: not connected to Asterisk (${stateReason ?? state})`, name);
    }
    return current;
  };

  const action = async (name: string, fields: AmiFields = {}): Promise<AmiResponse> =>
    (await send(requireUp(name), name, fields, 'single')) as AmiResponse;

  const list = async (name: string, fields: AmiFields = {}): Promise<AmiListResult> =>
    (await send(requireUp(name), name, fields, 'list')) as AmiListResult;

  /** A list action whose Error answer means "nothing to list" (no DAHDI, no endpoints, module absent). */
  const listOrEmpty = async (name: string, fields: AmiFields = {}): Promise<readonly AmiMessage[]> => {
    try {
      return (await list(name, fields)).events;
    } catch (err) {
      if (err instanceof AmiError && err.code === 'failed') {
        log.debug({ action: name, message: err.response?.message }, 'AMI list refused; treated as empty');
        return [];
      }
      throw err;
    }
  };

  const command = async (cli: string): Promise<string[]> => {
    const response = await action('Command', { Command: cli });
    return [...(response.values['output'] ?? [])];
  };

  return {
    start() {
      if (started) return;
      started = true;
      stopped = false;
      setState('connecting');
      connect();
    },

    async stop() {
      stopped = true;
      started = false;
      reconnectTimer?.cancel();
      reconnectTimer = undefined;
      const conn = current;
      if (conn && conn.up && !conn.done) {
        await send(conn, 'Logoff', {}, 'single').catch(() => undefined);
      }
      if (conn) fail(conn, 'stopped');
      setState('down', 'stopped');
    },

    action,
    list,

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    connectionState: () => state,

    readinessProbe: (): ProbeResult =>
      state === 'up' ? { ok: true, detail: `AMI ${host}:${port}` } : { ok: false, reason: `AMI ${state}: ${stateReason ?? 'not connected'}` },

    async spanStatus() {
      const [dahdi, pri] = await Promise.all([listOrEmpty('DAHDIShowStatus'), listOrEmpty('PRIShowSpans')]);
      return spanStatusOf(dahdi, pri);
    },

    async endpoints() {
      return endpointsOf(await listOrEmpty('PJSIPShowEndpoints'));
    },

    async channels() {
      return channelsOf((await list('CoreShowChannels')).events, clock.now());
    },

    async reload(module?: string) {
      await action('Reload', module ? { Module: module } : {});
    },

    command,

    async contacts() {
      return contactsOf(await listOrEmpty('PJSIPShowContacts'));
    },

    async registrations() {
      return registrationsOf(await listOrEmpty('PJSIPShowRegistrationsOutbound'));
    },

    async dialplanHints(context: string) {
      return dialplanHintsOf(await command(`dialplan show ${context}`));
    },

    async mohClasses() {
      return mohClassesOf(await command('moh show classes'));
    },
  };
}

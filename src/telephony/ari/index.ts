import { mathRandom, systemClock, type Clock, type Logger, type ProbeResult, type Random } from '../../kernel/index.js';
import type { CallControl, TelephonyEvent } from '../call-control.js';
import { AriCallControl } from './ari-call-control.js';
import { AriConnection } from './ari-connection.js';
import { AriEventTranslator } from './ari-events.js';

export interface AriSettings {
  /** ARI base URL, e.g. `http://127.0.0.1:8088` (any path is ignored, as ari-client does). */
  url?: string;
  user: string;
  password: string;
  /** Stasis application name. */
  app?: string;
  logger: Logger;
  clock?: Clock;
  /** Jitter of the reconnect backoff. */
  random?: Random;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  pingIntervalMs?: number;
}

export interface AriCallControlHandle {
  callControl: CallControl;
  /** For `/readyz`: ok only while the events WebSocket is open. */
  readinessProbe: () => ProbeResult;
  /** Starts connecting in the background and returns at once; the adapter reconnects forever. */
  start(): void;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

export const DEFAULT_ARI_URL = 'http://127.0.0.1:8088';
export const DEFAULT_ARI_APP = 'atende';

/**
 * `localhost` may resolve to `::1` first on Node ≥ 17 while Asterisk's http.conf usually binds
 * 127.0.0.1 only: talk to the IPv4 loopback.
 */
function preferIpv4Loopback(url: string): string {
  const u = new URL(url);
  if (u.hostname !== 'localhost') return url;
  u.hostname = '127.0.0.1';
  return u.toString().replace(/\/$/, '');
}

export function createAriCallControl(settings: AriSettings): AriCallControlHandle {
  const clock = settings.clock ?? systemClock;
  const logger = settings.logger.child({ component: 'ari' });
  const app = settings.app ?? DEFAULT_ARI_APP;
  const url = preferIpv4Loopback(settings.url ?? DEFAULT_ARI_URL);
  if (url !== (settings.url ?? DEFAULT_ARI_URL)) logger.info({ url }, 'ARI URL uses localhost; connecting to 127.0.0.1 instead');

  const translator = new AriEventTranslator();
  // The connection delivers events only after start(), when `callControl` below exists.
  const dispatch = (event: TelephonyEvent) => callControl.dispatch(event);

  const connection = new AriConnection({
    url,
    user: settings.user,
    password: settings.password,
    app,
    logger,
    clock,
    random: settings.random ?? mathRandom,
    initialBackoffMs: settings.initialBackoffMs ?? 500,
    maxBackoffMs: settings.maxBackoffMs ?? 30_000,
    connectTimeoutMs: settings.connectTimeoutMs ?? 10_000,
    pingIntervalMs: settings.pingIntervalMs ?? 20_000,
    onEvent(raw) {
      logger.trace({ event: raw.type, channel: raw.channel?.id }, 'ARI event');
      for (const event of translator.translate(raw, clock.now())) dispatch(event);
    },
    onStateChange(state, reason) {
      logger.debug({ state, reason }, 'ARI connection state');
      dispatch({ type: 'ConnectionChanged', at: clock.now(), link: 'ari', state, ...(reason ? { reason } : {}) });
      if (state === 'up') void pruneLostChannels();
    },
  });

  const callControl = new AriCallControl({
    app,
    link: connection,
    translator,
    clock,
    logger,
    requestTimeoutMs: settings.requestTimeoutMs ?? 10_000,
  });

  /** Events of channels that ended while disconnected are lost: forget those channels. */
  async function pruneLostChannels(): Promise<void> {
    try {
      const trackedBefore = translator.trackedIds();
      const live = await callControl.listChannels();
      translator.retainOnly(new Set(live.map((c) => c.id)), trackedBefore);
    } catch (e) {
      logger.debug({ err: e }, 'could not list channels after connecting');
    }
  }

  return {
    callControl,
    readinessProbe: () =>
      connection.currentState() === 'up'
        ? { ok: true, detail: `ARI connected to ${connection.where}` }
        : { ok: false, reason: `ARI not connected: ${connection.currentReason() ?? connection.currentState()}` },
    start: () => connection.start(),
    stop: () => connection.stop(),
  };
}

export { AriCallControl } from './ari-call-control.js';

import { connection, checkReadiness, apiLost } from '@/shell/connection';

/**
 * The browser's end of the events socket (`GET /api/v1/events`, described in the API docs).
 * One socket for the whole app: screens `subscribe(topic, onEvent, onResync)`; the socket asks
 * the server for the union of the topics screens want (and the server allows), reconnects with
 * a growing pause when the link drops, and after any gap (a reconnect, a missing `seq`, a tenant
 * switch) calls every `onResync` so that screens reload their REST snapshot. No polling.
 */
export interface ServerMessage {
  seq: number;
  type: string;
  at: string;
  topic?: string;
  data?: Record<string, unknown>;
}

type EventHandler = (message: ServerMessage) => void;
interface Subscription {
  topic: string;
  onEvent: EventHandler;
  onResync: () => void;
}

const CLOSE_SESSION_ENDED = 4001;
const MAX_BACKOFF_MS = 15_000;

const subscriptions = new Set<Subscription>();
let socket: WebSocket | undefined;
let lastSeq = 0;
let allowed: string[] = [];
let subscribed = new Set<string>();
let backoff = 500;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let watchdog: ReturnType<typeof setTimeout> | undefined;
let heartbeatMs = 20_000;
let running = false;
let sessionEnded: (() => void) | undefined;

const wanted = () => new Set([...subscriptions].map((s) => s.topic).filter((t) => allowed.includes(t)));

function send(message: object): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Subscribes to what screens want and the server allows; drops what no screen wants any more. */
function syncTopics(): void {
  if (socket?.readyState !== WebSocket.OPEN || allowed.length === 0) return;
  const want = wanted();
  const add = [...want].filter((t) => !subscribed.has(t));
  const drop = [...subscribed].filter((t) => !want.has(t));
  if (add.length > 0) send({ type: 'subscribe', topics: add });
  if (drop.length > 0) send({ type: 'unsubscribe', topics: drop });
  subscribed = want;
}

function resyncAll(topics?: Set<string>): void {
  for (const s of [...subscriptions]) if (!topics || topics.has(s.topic)) s.onResync();
}

/** No message for two heartbeat periods: the link is dead even if the socket has not noticed. */
function armWatchdog(): void {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => socket?.close(), heartbeatMs * 2 + 1000);
}

function onMessage(raw: string): void {
  let msg: ServerMessage;
  try {
    msg = JSON.parse(raw) as ServerMessage;
  } catch {
    return;
  }
  armWatchdog();
  if (msg.seq !== lastSeq + 1) {
    // A message went missing: start over on a fresh connection and reload from REST.
    socket?.close();
    return;
  }
  lastSeq = msg.seq;
  switch (msg.type) {
    case 'hello': {
      const data = msg.data ?? {};
      allowed = Array.isArray(data.topics) ? (data.topics as string[]) : [];
      if (typeof data.heartbeatSeconds === 'number') heartbeatMs = data.heartbeatSeconds * 1000;
      connection.events = 'up';
      backoff = 500;
      subscribed = new Set();
      syncTopics();
      armWatchdog();
      break;
    }
    case 'subscribed':
      // Events may have happened before the subscription took effect.
      resyncAll(new Set((msg.data?.topics as string[] | undefined) ?? []));
      break;
    case 'tenant.changed':
      resyncAll();
      break;
    default:
      if (msg.topic) for (const s of [...subscriptions]) if (s.topic === msg.topic) s.onEvent(msg);
  }
}

function scheduleReconnect(): void {
  if (!running || reconnectTimer) return;
  connection.events = 'connecting';
  const wait = backoff * (0.75 + Math.random() * 0.5);
  backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  reconnectTimer = setTimeout(() => {
    reconnectTimer = undefined;
    open();
  }, wait);
}

function open(): void {
  if (!running) return;
  const url = new URL('/api/v1/events', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  lastSeq = 0;
  allowed = [];
  connection.events = 'connecting';
  const ws = new WebSocket(url);
  socket = ws;
  ws.onmessage = (e) => onMessage(String(e.data));
  ws.onclose = (e) => {
    if (socket !== ws) return;
    socket = undefined;
    clearTimeout(watchdog);
    connection.events = running ? 'down' : 'unknown';
    if (e.code === CLOSE_SESSION_ENDED) {
      running = false;
      sessionEnded?.();
      return;
    }
    // Is it the socket or the whole daemon? /readyz tells, and drives the API indicator.
    void checkReadiness().then((up) => {
      if (!up) apiLost();
    });
    scheduleReconnect();
  };
}

/** Opens the socket (after login). `onSessionEnded`: the server closed it because the session ended. */
export function startEvents(onSessionEnded: () => void): void {
  sessionEnded = onSessionEnded;
  if (running) return;
  running = true;
  backoff = 500;
  open();
}

/** Closes the socket (logout). */
export function stopEvents(): void {
  running = false;
  clearTimeout(reconnectTimer);
  reconnectTimer = undefined;
  clearTimeout(watchdog);
  const ws = socket;
  socket = undefined;
  ws?.close(1000);
  connection.events = 'unknown';
}

/** Reconnect at once (e.g. the API came back while the socket waited out its backoff). */
export function reconnectEventsNow(): void {
  if (!running || socket) return;
  clearTimeout(reconnectTimer);
  reconnectTimer = undefined;
  backoff = 500;
  open();
}

/** A screen's live feed. `onResync` runs after every gap: reload the REST snapshot. */
export function subscribe(topic: string, onEvent: EventHandler, onResync: () => void): () => void {
  const sub: Subscription = { topic, onEvent, onResync };
  subscriptions.add(sub);
  syncTopics();
  return () => {
    subscriptions.delete(sub);
    syncTopics();
  };
}

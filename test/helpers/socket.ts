/**
 * A browser's view of the events socket for tests: a real WebSocket over a real port, every
 * message recorded, waits with a time limit instead of sleeps.
 *
 *   const s = await openSocket(`${base}/api/v1/events?topics=calls`, { cookie, origin: base });
 *   await s.waitFor((m) => m.type === 'call.ended');
 *   const { code } = await s.closed;
 */
import WebSocket from 'ws';
import { EventLog } from './events.js';

export interface SocketMessage {
  seq: number;
  type: string;
  at: string;
  topic?: string;
  data?: Record<string, unknown> & { call?: Record<string, unknown> };
}

export interface TestSocket {
  readonly messages: SocketMessage[];
  waitFor(test: (m: SocketMessage) => boolean, what?: string, timeoutMs?: number): Promise<SocketMessage>;
  send(message: unknown): void;
  /** Resolves when the server (or the test) closed the socket. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens the socket; rejects with the HTTP status when the upgrade is refused (`Error.status`). */
export function openSocket(url: string, headers: { cookie?: string; origin?: string }): Promise<TestSocket> {
  const h: Record<string, string> = {};
  if (headers.cookie) h.cookie = headers.cookie;
  if (headers.origin) h.origin = headers.origin;
  const ws = new WebSocket(url, { headers: h });
  let subscribe: (m: SocketMessage) => void = () => undefined;
  const log = new EventLog<SocketMessage>((l) => {
    subscribe = l;
    return () => undefined;
  });
  ws.on('message', (data) => subscribe(JSON.parse(data.toString()) as SocketMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      const err = Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode });
      res.resume();
      ws.terminate();
      reject(err);
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        messages: log.events,
        waitFor: (test, what = 'message', timeoutMs = 10_000) => log.waitFor(test, timeoutMs, what),
        send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
        closed,
        close: () => ws.close(),
      }),
    );
  });
}

/** Pure rules of the events socket: what a client may send, which origins may open it. */

export type ClientMessage =
  | { kind: 'subscribe'; topics: string[] }
  | { kind: 'unsubscribe'; topics: string[] }
  | { kind: 'ping' }
  | { kind: 'invalid'; problem: string; field: string };

export const MAX_CLIENT_MESSAGE_BYTES = 4096;
const MAX_TOPICS = 20;

/**
 * A message from the browser: `{"type":"subscribe","topics":["calls"]}`,
 * `{"type":"unsubscribe","topics":[…]}` or `{"type":"ping"}`. Anything else is `invalid`,
 * naming the field, and the socket stays open.
 */
export function parseClientMessage(text: string): ClientMessage {
  if (text.length > MAX_CLIENT_MESSAGE_BYTES) return { kind: 'invalid', problem: 'message too long', field: '' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: 'not JSON', field: '' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'invalid', problem: 'not a JSON object', field: '' };
  const msg = value as Record<string, unknown>;
  if (msg.type === 'ping') return { kind: 'ping' };
  if (msg.type !== 'subscribe' && msg.type !== 'unsubscribe') {
    return { kind: 'invalid', problem: 'type must be subscribe, unsubscribe or ping', field: 'type' };
  }
  const topics = msg.topics;
  if (!Array.isArray(topics) || topics.length === 0 || topics.length > MAX_TOPICS || !topics.every((t) => typeof t === 'string' && t.length <= 40)) {
    return { kind: 'invalid', problem: `topics must be a list of 1 to ${MAX_TOPICS} topic names`, field: 'topics' };
  }
  return { kind: msg.type, topics: [...new Set(topics as string[])] };
}

/** `calls,system` from the upgrade URL's `?topics=`. */
export const topicsOfQuery = (q: string | undefined): string[] =>
  q === undefined ? [] : [...new Set(q.split(',').map((t) => t.trim()).filter(Boolean))];

/**
 * May a page from `origin` open the socket? Browsers always send `Origin` on a WebSocket
 * upgrade, and a page of another site can make the browser send the session cookie with it
 * (a sibling port on the same host is the same *site*), so the origin must be the server's own
 * (its host, as the request names it) or one configured in `http.corsOrigins`. A request with
 * no `Origin` does not come from a browser page and is let through: the session cookie still
 * has to be valid.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return true;
  return allowed.some((a) => a.replace(/\/$/, '').toLowerCase() === url.origin.toLowerCase());
}

/**
 * SIP messages as they travel over a WebSocket (RFC 7118: one message per frame): parsing,
 * building and the header grammar the emulator needs (name-addr, Via, URIs with parameters).
 * Pure: no I/O.
 */

export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  host: string;
  port?: number;
  /** URI parameters in order; a parameter without a value maps to ''. */
  params: [string, string][];
}

export interface NameAddr {
  display?: string;
  uri: SipUri;
  /** Header parameters (tag, expires, +sip.instance…). */
  params: [string, string][];
}

export interface Via {
  transport: string;
  host: string;
  port?: number;
  params: [string, string][];
}

interface MessageBase {
  /** Headers in arrival order with their canonical names. */
  headers: [string, string][];
  body: string;
}

export interface SipRequest extends MessageBase {
  kind: 'request';
  method: string;
  uri: string;
}

export interface SipResponse extends MessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export class SipParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SipParseError';
  }
}

const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  o: 'Event',
  u: 'Allow-Events',
};

const SPECIAL: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
};

/** `call-id` → `Call-ID`, `v` → `Via`, `content-type` → `Content-Type`. */
export function canonicalHeader(name: string): string {
  const lower = name.trim().toLowerCase();
  const compact = COMPACT[lower];
  if (compact) return compact;
  const special = SPECIAL[lower];
  if (special) return special;
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** Headers whose values may be joined by commas into one line (RFC 3261 §7.3.1). */
const LIST_HEADERS = new Set(['Via', 'Contact', 'Route', 'Record-Route', 'Allow', 'Supported', 'Require', 'Proxy-Require', 'Allow-Events']);

/** Splits on commas outside quotes and angle brackets. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v !== '');
}

export function parseMessage(text: string): SipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const rest = split >= 0 ? text.slice(split + 4) : '';
  // Folded header lines (a line starting with whitespace continues the previous one).
  const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const start = lines.shift() ?? '';
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`bad header line: ${line}`);
    const name = canonicalHeader(line.slice(0, colon));
    const value = line.slice(colon + 1).trim();
    if (LIST_HEADERS.has(name)) for (const v of splitList(value)) headers.push([name, v]);
    else headers.push([name, value]);
  }
  const lengthHeader = headers.find(([n]) => n === 'Content-Length');
  let body = rest;
  if (lengthHeader) {
    const length = Number(lengthHeader[1]);
    if (!Number.isInteger(length) || length < 0) throw new SipParseError('bad Content-Length');
    body = Buffer.from(rest, 'utf8').subarray(0, length).toString('utf8');
  }
  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(start);
  if (response) return { kind: 'response', status: Number(response[1]), reason: response[2] ?? '', headers, body };
  const request = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(start);
  if (!request) throw new SipParseError(`bad start line: ${start}`);
  for (const required of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    if (!headers.some(([n]) => n === required)) throw new SipParseError(`missing ${required}`);
  }
  return { kind: 'request', method: (request[1] ?? '').toUpperCase(), uri: request[2] ?? '', headers, body };
}

export function serialize(m: SipMessage): string {
  const start = m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  const headers = m.headers.filter(([n]) => n !== 'Content-Length');
  const lines = [start, ...headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${Buffer.byteLength(m.body, 'utf8')}`];
  return `${lines.join('\r\n')}\r\n\r\n${m.body}`;
}

export function header(m: SipMessage, name: string): string | undefined {
  return m.headers.find(([n]) => n === name)?.[1];
}

export function headers(m: SipMessage, name: string): string[] {
  return m.headers.filter(([n]) => n === name).map(([, v]) => v);
}

export function cseq(m: SipMessage): { seq: number; method: string } {
  const raw = header(m, 'CSeq') ?? '';
  const match = /^(\d+)\s+([A-Za-z]+)$/.exec(raw.trim());
  if (!match) throw new SipParseError('bad CSeq');
  return { seq: Number(match[1]), method: (match[2] ?? '').toUpperCase() };
}

// ---------------------------------------------------------------- parameters

function parseParams(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of splitOn(text, ';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) out.push([p.toLowerCase(), '']);
    else out.push([p.slice(0, eq).trim().toLowerCase(), unquote(p.slice(eq + 1).trim())]);
  }
  return out;
}

function splitOn(text: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth--;
    else if (!quoted && depth === 0 && ch === sep) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

function formatParams(params: [string, string][]): string {
  return params.map(([k, v]) => (v === '' ? `;${k}` : `;${k}=${/[\s";,<>]/.test(v) ? `"${v}"` : v}`)).join('');
}

export function param(params: [string, string][], name: string): string | undefined {
  return params.find(([k]) => k === name.toLowerCase())?.[1];
}

export function withParam(params: [string, string][], name: string, value: string): [string, string][] {
  return [...params.filter(([k]) => k !== name), [name, value]];
}

// ---------------------------------------------------------------- URIs, name-addr, Via

export function parseUri(text: string): SipUri {
  const m = /^(sips?):(?:([^@;?]+)@)?(\[[^\]]+\]|[^:;?]+)(?::(\d+))?((?:;[^?]*)?)(?:\?.*)?$/i.exec(text.trim());
  if (!m) throw new SipParseError(`bad URI: ${text}`);
  const uri: SipUri = { scheme: (m[1] ?? 'sip').toLowerCase() as SipUri['scheme'], host: m[3] ?? '', params: parseParams(m[5] ?? '') };
  if (m[2] !== undefined) uri.user = decodeURIComponent(m[2]);
  if (m[4] !== undefined) uri.port = Number(m[4]);
  return uri;
}

export function formatUri(u: SipUri): string {
  const user = u.user !== undefined ? `${encodeURIComponent(u.user).replace(/%2B/g, '+').replace(/%2A/g, '*').replace(/%23/g, '%23')}@` : '';
  const port = u.port !== undefined ? `:${u.port}` : '';
  return `${u.scheme}:${user}${u.host}${port}${formatParams(u.params)}`;
}

export function parseNameAddr(text: string): NameAddr {
  const t = text.trim();
  const lt = t.indexOf('<');
  if (lt >= 0) {
    const gt = t.indexOf('>', lt);
    if (gt < 0) throw new SipParseError(`bad name-addr: ${text}`);
    const display = unquote(t.slice(0, lt).trim());
    const out: NameAddr = { uri: parseUri(t.slice(lt + 1, gt)), params: parseParams(t.slice(gt + 1)) };
    if (display !== '') out.display = display;
    return out;
  }
  // addr-spec form: parameters after the URI belong to the header.
  const semi = t.indexOf(';');
  return { uri: parseUri(semi >= 0 ? t.slice(0, semi) : t), params: semi >= 0 ? parseParams(t.slice(semi)) : [] };
}

export function formatNameAddr(a: NameAddr): string {
  const display = a.display ? `"${a.display.replace(/(["\\])/g, '\\$1')}" ` : '';
  return `${display}<${formatUri(a.uri)}>${formatParams(a.params)}`;
}

export function parseVia(text: string): Via {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^:;\s]+)(?::(\d+))?\s*(.*)$/i.exec(text.trim());
  if (!m) throw new SipParseError(`bad Via: ${text}`);
  const via: Via = { transport: (m[1] ?? '').toUpperCase(), host: m[2] ?? '', params: parseParams(m[4] ?? '') };
  if (m[3] !== undefined) via.port = Number(m[3]);
  return via;
}

export function formatVia(v: Via): string {
  return `SIP/2.0/${v.transport} ${v.host}${v.port !== undefined ? `:${v.port}` : ''}${formatParams(v.params)}`;
}

// ---------------------------------------------------------------- building

/** A response to `req` copying Via, From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2); `toTag` is added when To has none. */
export function responseTo(req: SipRequest, status: number, reason: string, opts: { toTag?: string; headers?: [string, string][]; body?: string } = {}): SipResponse {
  const out: [string, string][] = [];
  for (const [n, v] of req.headers) {
    if (n === 'Via' || n === 'From' || n === 'Call-ID' || n === 'CSeq' || (n === 'Record-Route' && status > 100 && status < 300)) out.push([n, v]);
    else if (n === 'To') {
      const to = parseNameAddr(v);
      out.push([n, opts.toTag && param(to.params, 'tag') === undefined && status > 100 ? formatNameAddr({ ...to, params: withParam(to.params, 'tag', opts.toTag) }) : v]);
    }
  }
  out.push(...(opts.headers ?? []));
  return { kind: 'response', status, reason, headers: out, body: opts.body ?? '' };
}

export const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  603: 'Decline',
};

export function reasonOf(status: number): string {
  return REASONS[status] ?? (status < 300 ? 'OK' : 'Error');
}

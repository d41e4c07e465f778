/**
 * SIP digest authentication (RFC 3261 §22, RFC 2617 with qop=auth, MD5) the way
 * res_pjsip_authenticator_digest does it: realm "asterisk", a nonce that carries its own
 * timestamp and a hash only this server can make, a 32 s nonce lifetime, and a fresh
 * challenge (stale=true when only the nonce had expired) instead of a bare rejection.
 * Pure: the time and the server's secret are passed in.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_REALM = 'asterisk';
export const NONCE_LIFETIME_S = 32;

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export interface DigestServer {
  realm: string;
  /** Known only to this server: nonces it did not make are refused. */
  secret: string;
}

/** The nonce Asterisk builds: `<unix seconds>/<hash of seconds, realm and secret>`. */
export function makeNonce(server: DigestServer, nowS: number): string {
  return `${nowS}/${md5(`${nowS}:${server.realm}:${server.secret}`)}`;
}

export function challengeHeader(server: DigestServer, nowS: number, opaque: string, stale = false): string {
  const parts = [`realm="${server.realm}"`, `nonce="${makeNonce(server, nowS)}"`, `opaque="${opaque}"`, 'algorithm=MD5', 'qop="auth"'];
  if (stale) parts.push('stale=true');
  return `Digest ${parts.join(',')}`;
}

/** `Digest username="1001", realm="asterisk", …` → its parameters (keys lower-cased). */
export function parseDigest(header: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const re = /([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let p: RegExpExecArray | null;
  const body = m[1] ?? '';
  while ((p = re.exec(body)) !== null) out[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  return out;
}

/** What a client computes for `Authorization` (used by tests and by nothing else in the server). */
export function digestResponse(p: { username: string; realm: string; password: string; method: string; uri: string; nonce: string; nc?: string; cnonce?: string; qop?: string }): string {
  const ha1 = md5(`${p.username}:${p.realm}:${p.password}`);
  const ha2 = md5(`${p.method}:${p.uri}`);
  return p.qop ? md5(`${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
}

export type DigestVerdict = 'ok' | 'stale' | 'wrong' | 'missing';

/**
 * Checks an Authorization header for `method`. `password` undefined means the user is not
 * known: the answer is the same as for a wrong password, so names cannot be probed.
 */
export function verifyDigest(
  server: DigestServer,
  authorization: string | undefined,
  method: string,
  username: string,
  password: string | undefined,
  nowS: number,
): DigestVerdict {
  if (authorization === undefined) return 'missing';
  const d = parseDigest(authorization);
  if (!d || d.realm !== server.realm) return 'missing';
  const nonce = d.nonce ?? '';
  const slash = nonce.indexOf('/');
  const issued = Number(nonce.slice(0, slash));
  if (slash <= 0 || !Number.isInteger(issued) || makeNonce(server, issued) !== nonce) return 'wrong';
  if (password === undefined || d.username !== username) return 'wrong';
  const expected = digestResponse({
    username,
    realm: server.realm,
    password,
    method,
    uri: d.uri ?? '',
    nonce,
    ...(d.qop ? { qop: d.qop, nc: d.nc ?? '', cnonce: d.cnonce ?? '' } : {}),
  });
  if (expected !== (d.response ?? '').toLowerCase()) return 'wrong';
  if (nowS - issued > NONCE_LIFETIME_S) return 'stale';
  return 'ok';
}

/**
 * Pure rules of the telephony resources: secrets, DIDs, E1 channel ranges, register strings,
 * extra PJSIP options. Each check returns the problem as text (or null) so that the resource
 * definitions can name the field.
 */
import { PJSIP_OPTIONS } from '../telephony/confgen/pjsip-options.js';

// ---------------------------------------------------------------- secrets

const SECRET_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Characters a SIP secret may hold: printable ASCII but quotes, backslash, `;` and blanks (config and phone menus). */
export const SECRET_PATTERN = '^[A-Za-z0-9!#$%&()*+,./:=?@\\[\\]^_{|}~-]+$';

/** A 20-character secret from 20 random bytes, with lower case, upper case and digits. */
export function generateSecret(random: Uint8Array): string {
  const chars = [...random].map((b) => SECRET_ALPHABET[b % SECRET_ALPHABET.length]!);
  // Fixed positions guarantee the three classes whatever the bytes were.
  chars[0] = 'abcdefghijkmnpqrstuvwxyz'[random[0]! % 24]!;
  chars[1] = 'ABCDEFGHJKLMNPQRSTUVWXYZ'[random[1]! % 24]!;
  chars[2] = '23456789'[random[2]! % 8]!;
  return chars.join('');
}

/**
 * Why a phone secret is too weak: SIP digest is brute-forced from the Internet all day long.
 * At least 12 characters of three classes (lower, upper, digit, symbol), not the user name,
 * not one character repeated or a plain sequence.
 */
export function weakSecret(secret: string, user: string): string | null {
  if (secret.length < 12) return 'secret is too weak: use at least 12 characters (or leave it out to have one generated)';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(secret)).length;
  if (classes < 3) return 'secret is too weak: mix at least three of lower case, upper case, digits and symbols';
  const lower = secret.toLowerCase();
  if (user.length >= 3 && lower.includes(user.toLowerCase())) return 'secret is too weak: it contains the SIP user name';
  if (/^(.)\1+$/.test(secret) || '0123456789abcdefghijklmnopqrstuvwxyz'.includes(lower)) return 'secret is too weak: it is a plain sequence';
  return null;
}

// ---------------------------------------------------------------- DIDs

/**
 * A DID as inbound routes store and match it: digits only, the national number without the
 * country code 55 or the trunk prefix 0 when it has them (`+55 11 3333-4444`,
 * `551133334444` and `01133334444` are all `1133334444`). Short numbers (R2 DNIS suffixes,
 * non-geographic 4004…) stay as they are. Null when there is no digit.
 */
export function normaliseDid(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  if (digits === '') return null;
  if (digits.startsWith('55') && (digits.length === 12 || digits.length === 13)) return digits.slice(2);
  if (digits.startsWith('0') && (digits.length === 11 || digits.length === 12)) return digits.slice(1);
  return digits;
}

// ---------------------------------------------------------------- E1 channels

export interface ChannelRange {
  from: number;
  to: number;
}

/** The DAHDI channel numbers of an E1 span (31 per span, in span order). */
export const spanChannels = (span: number): ChannelRange => ({ from: (span - 1) * 31 + 1, to: span * 31 });
/** Timeslot 16: the D-channel of a PRI, the CAS signalling of R2. */
export const signallingChannel = (span: number): number => (span - 1) * 31 + 16;

/** The default bearer channels of a span: every timeslot but 16. */
export function defaultBearers(span: number): ChannelRange[] {
  const first = spanChannels(span).from;
  return [
    { from: first, to: first + 14 },
    { from: first + 16, to: first + 30 },
  ];
}

/** `1-15,17-31` → ranges; null with the reason when it is not that syntax. */
export function parseRanges(text: string): ChannelRange[] | string {
  const parts = text.split(',').map((p) => p.trim());
  const out: ChannelRange[] = [];
  for (const part of parts) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part);
    if (!m) return `'${part}' is not a channel number or range like 1-15`;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from) return `'${part}' is not an ascending range of channels from 1`;
    out.push({ from, to });
  }
  return out;
}

export const rangesText = (ranges: readonly ChannelRange[]): string => ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');

const overlap = (a: ChannelRange, b: ChannelRange): boolean => a.from <= b.to && b.from <= a.to;

/**
 * Why the bearer channels of `span` are wrong: outside the span, on its signalling timeslot
 * (the PRI D-channel or R2's CAS timeslot), overlapping each other, or overlapping the
 * channels of another span. Null when they are right.
 */
export function bearerProblem(span: number, ranges: readonly ChannelRange[], others: readonly { span: number; ranges: readonly ChannelRange[] }[]): string | null {
  const own = spanChannels(span);
  const sig = signallingChannel(span);
  for (const r of ranges) {
    for (const o of others) {
      if (o.ranges.some((x) => overlap(x, r))) return `channels ${rangesText([r])} overlap those of span ${o.span}`;
    }
    if (r.from < own.from || r.to > own.to) {
      const otherSpan = Math.floor((r.from - 1) / 31) + 1;
      return otherSpan !== span
        ? `channels ${rangesText([r])} are not on span ${span} (its channels are ${own.from}-${own.to}; ${r.from} is on span ${otherSpan})`
        : `channels ${rangesText([r])} are not on span ${span} (its channels are ${own.from}-${own.to})`;
    }
    if (sig >= r.from && sig <= r.to) return `channels ${rangesText([r])} overlap channel ${sig}, timeslot 16 of span ${span}, which carries the signalling (D-channel)`;
  }
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) if (overlap(sorted[i - 1]!, sorted[i]!)) return `channels ${rangesText([sorted[i]!])} are listed twice`;
  return null;
}

// ---------------------------------------------------------------- SIP trunks

export interface RegisterString {
  user: string;
  secret: string;
  host: string;
  port: number | null;
  exten: string | null;
}

/** `user:secret@host[:port][/exten]` (the form providers hand out and chan_sip used). */
export function parseRegisterString(text: string): RegisterString | string {
  const m = /^([^:@\s/]+):([^@\s]+)@([A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:\/([^\s/]+))?$/.exec(text.trim());
  if (!m) return 'registerString must look like user:secret@host[:port]/extension';
  const port = m[4] === undefined ? null : Number(m[4]);
  if (port !== null && (port < 1 || port > 65535)) return `port ${port} is out of range`;
  return { user: m[1]!, secret: m[2]!, host: m[3]!, port, exten: m[5] ?? null };
}

/** Endpoint options Atende writes itself for a trunk: an extra one would duplicate or fight them. */
const MANAGED = new Set(['type', 'context', 'aors', 'auth', 'outbound_auth', 'transport', 'allow', 'disallow', 'from_user', 'from_domain', 'outbound_proxy', 'webrtc']);

/** chan_sip options admins bring from older installations, and what PJSIP does instead. */
const CHAN_SIP: Record<string, string> = {
  insecure: 'insecure is a chan_sip option: a PJSIP trunk without registration is matched by its address (identify), nothing to add',
  host: 'host is a chan_sip option: set the trunk’s host field',
  nat: 'nat is a chan_sip option: PJSIP trunks already use force_rport, rewrite_contact and rtp_symmetric',
  qualify: 'qualify is a chan_sip option: how often trunks are qualified is set in the SIP settings ("Check trunks every")',
  canreinvite: 'canreinvite is a chan_sip option: media always flows through Asterisk (direct_media=no)',
  secret: 'secret is a chan_sip option: set the trunk’s secret field',
  username: 'username is a chan_sip option: set the trunk’s authUser field',
  fromuser: 'fromuser is a chan_sip option: set the trunk’s fromUser field',
  fromdomain: 'fromdomain is a chan_sip option: set the trunk’s fromDomain field',
  dtmfmode: 'dtmfmode is a chan_sip option: the PJSIP name is dtmf_mode',
};

/** `key=value` lines for a trunk's endpoint, or the problem with the first bad one. */
export function parseExtraOptions(lines: readonly string[]): [string, string][] | { index: number; problem: string } {
  const out: [string, string][] = [];
  for (const [index, line] of lines.entries()) {
    const m = /^\s*([a-z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) return { index, problem: `'${line}' is not key=value` };
    const key = m[1]!;
    const value = m[2]!;
    if (CHAN_SIP[key]) return { index, problem: CHAN_SIP[key]! };
    if (MANAGED.has(key)) return { index, problem: `${key} is set by Atende from the trunk's own fields` };
    if (!PJSIP_OPTIONS.endpoint!.has(key)) return { index, problem: `${key} is not an option of an Asterisk 22 PJSIP endpoint` };
    if (value === '' || /[\r\n"\\]/.test(value)) return { index, problem: `the value of ${key} must be one line without quotes or backslashes` };
    out.push([key, value]);
  }
  return out;
}

/** A host name or an IPv4 address; the schema's maxLength (253) bounds the whole name. */
export const HOST_PATTERN = '^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$';

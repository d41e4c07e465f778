/**
 * Live telephony status, pure: what Asterisk reports over AMI (spans, contacts, outbound
 * registrations, the endpoints it has loaded) laid over the tenant's rows, in words an admin
 * reads: a span in alarm, a trunk not registered, a phone unreachable, or something not
 * applied yet.
 */
import type { AmiContact, AmiRegistration, AmiSpanStatus, ContactStatusKind, SpanAlarmKind } from '../telephony/ami/index.js';

export const SPAN_STATES = ['up', 'alarm', 'not_applied', 'unknown'] as const;
export const TRUNK_STATES = ['registered', 'unregistered', 'rejected', 'reachable', 'unreachable', 'unqualified', 'not_applied', 'unknown'] as const;
export const EXTENSION_STATES = ['registered', 'unreachable', 'unregistered', 'not_applied', 'unknown'] as const;
export const CONTACT_STATES = ['reachable', 'unreachable', 'unqualified'] as const;
export const SPAN_ALARMS = ['red', 'yellow', 'blue', 'recovering', 'loopback', 'not-open', 'unknown'] as const satisfies readonly SpanAlarmKind[];
export type SpanState = (typeof SPAN_STATES)[number];
export type TrunkState = (typeof TRUNK_STATES)[number];
export type ExtensionState = (typeof EXTENSION_STATES)[number];

export interface ContactState {
  uri: string;
  userAgent: string;
  /** `reachable` (answered the last OPTIONS or just registered), `unreachable`, or `unqualified` (not probed). */
  status: (typeof CONTACT_STATES)[number];
  rttMs: number | null;
}

export interface SpanStatusItem {
  id: number;
  span: number;
  description: string;
  group: number;
  state: SpanState;
  alarms: SpanAlarmKind[];
  /** PRI only: the D-channel is up; null for R2 or when unknown. */
  dchannelUp: boolean | null;
}

export interface TrunkStatusItem {
  id: number;
  name: string;
  host: string;
  register: boolean;
  state: TrunkState;
  rttMs: number | null;
}

export interface ExtensionStatusItem {
  id: number;
  number: string;
  displayName: string;
  sipUser: string;
  state: ExtensionState;
  contacts: ContactState[];
}

export interface TelephonyStatus {
  /** AMI is connected: without it every state is `unknown`. */
  connected: boolean;
  spans: SpanStatusItem[];
  trunks: TrunkStatusItem[];
  extensions: ExtensionStatusItem[];
}

/** What Asterisk said, or null when AMI could not be asked. */
export interface AsteriskSnapshot {
  spans: AmiSpanStatus[];
  contacts: AmiContact[];
  registrations: AmiRegistration[];
  /** Endpoint names Asterisk has loaded (applied extensions and trunks). */
  endpoints: ReadonlySet<string>;
}

export interface StatusRows {
  spans: { id: number; span: number; description: string; channelGroup: number; signalling: string }[];
  trunks: { id: number; name: string; host: string; register: boolean }[];
  extensions: { id: number; number: string; displayName: string; sipUser: string }[];
}

const contactStatus = (s: ContactStatusKind): ContactState['status'] =>
  s === 'Unreachable' ? 'unreachable' : s === 'Reachable' || s === 'Created' || s === 'Updated' ? 'reachable' : 'unqualified';

function spanItem(row: StatusRows['spans'][number], snap: AsteriskSnapshot | null): SpanStatusItem {
  const base = { id: row.id, span: row.span, description: row.description, group: row.channelGroup };
  if (!snap) return { ...base, state: 'unknown', alarms: [], dchannelUp: null };
  const s = snap.spans.find((x) => x.span === row.span);
  if (!s || !s.configured) return { ...base, state: 'not_applied', alarms: [], dchannelUp: null };
  const dchannelUp = row.signalling === 'mfcr2' ? null : (s.dchannelUp ?? null);
  return { ...base, state: s.inAlarm ? 'alarm' : 'up', alarms: s.inAlarm ? (s.alarms.length > 0 ? s.alarms : ['unknown']) : [], dchannelUp };
}

function trunkItem(row: StatusRows['trunks'][number], snap: AsteriskSnapshot | null): TrunkStatusItem {
  const base = { id: row.id, name: row.name, host: row.host, register: row.register };
  if (!snap) return { ...base, state: 'unknown', rttMs: null };
  if (!snap.endpoints.has(row.name)) return { ...base, state: 'not_applied', rttMs: null };
  const contact = snap.contacts.find((c) => c.endpoint === row.name || c.aor === row.name);
  const rttMs = contact?.rttMs ?? null;
  if (row.register) {
    const reg = snap.registrations.find((r) => r.endpoint === row.name || r.id === row.name);
    const state: TrunkState = reg?.status === 'Registered' ? 'registered' : reg?.status === 'Rejected' ? 'rejected' : 'unregistered';
    return { ...base, state, rttMs };
  }
  return { ...base, state: contact ? contactStatus(contact.status) : 'unqualified', rttMs };
}

function extensionItem(row: StatusRows['extensions'][number], snap: AsteriskSnapshot | null): ExtensionStatusItem {
  const base = { id: row.id, number: row.number, displayName: row.displayName, sipUser: row.sipUser };
  if (!snap) return { ...base, state: 'unknown', contacts: [] };
  if (!snap.endpoints.has(row.sipUser)) return { ...base, state: 'not_applied', contacts: [] };
  const contacts = snap.contacts
    .filter((c) => c.aor === row.sipUser || c.endpoint === row.sipUser)
    .map((c): ContactState => ({ uri: c.uri, userAgent: c.userAgent, status: contactStatus(c.status), rttMs: c.rttMs ?? null }))
    .sort((a, b) => a.uri.localeCompare(b.uri));
  const state: ExtensionState =
    contacts.length === 0 ? 'unregistered' : contacts.some((c) => c.status !== 'unreachable') ? 'registered' : 'unreachable';
  return { ...base, state, contacts };
}

export function telephonyStatus(rows: StatusRows, snap: AsteriskSnapshot | null): TelephonyStatus {
  return {
    connected: snap !== null,
    spans: rows.spans.map((r) => spanItem(r, snap)).sort((a, b) => a.span - b.span),
    trunks: rows.trunks.map((r) => trunkItem(r, snap)).sort((a, b) => a.name.localeCompare(b.name)),
    extensions: rows.extensions.map((r) => extensionItem(r, snap)).sort((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true })),
  };
}

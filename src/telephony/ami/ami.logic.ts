/**
 * Pure parsing and normalising for the AMI adapter: no sockets, no timers, no clock.
 * Field names follow Asterisk 22 (main/manager.c, channels/chan_dahdi.c, res/res_pjsip).
 */
import type { Random } from '../../kernel/random.js';
import type { ChannelSnapshot } from '../call-control.js';
import type {
  AmiContact,
  AmiEndpoint,
  AmiEvent,
  AmiRegistration,
  RegistrationStatus,
  AmiMessage,
  AmiResponse,
  AmiSpanStatus,
  BackoffPolicy,
  ContactStatusKind,
  SpanAlarmKind,
} from './ami.model.js';

type RawValue = string | string[] | Record<string, string> | undefined;

/** Turns a library packet (lower-cased keys, arrays for repeats, objects for variables) into an AmiMessage. */
export function normaliseMessage(raw: Readonly<Record<string, RawValue | unknown>>): AmiMessage {
  const fields: Record<string, string> = {};
  const values: Record<string, string[]> = {};
  const variables: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = rawKey.trim().toLowerCase();
    if (!key || value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) variables[name] = String(v);
      continue;
    }
    const list = (Array.isArray(value) ? value : [value]).map((v) => String(v).trim());
    values[key] = [...(values[key] ?? []), ...list];
    if (!(key in fields) && list.length > 0) fields[key] = list[0]!;
  }
  return { fields, values, variables };
}

/** Builds an AmiMessage from header pairs (tests and the emulator's view of the wire). */
export function messageOf(pairs: Record<string, string | string[] | undefined>): AmiMessage {
  const lower: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(pairs)) if (v !== undefined) lower[k.toLowerCase()] = v;
  return normaliseMessage(lower);
}

export function toResponse(message: AmiMessage): AmiResponse {
  const response = message.fields['response'] ?? '';
  return {
    ...message,
    actionId: message.fields['actionid'] ?? '',
    response,
    ok: response.toLowerCase() !== 'error',
    message: message.fields['message'] ?? '',
  };
}

export const eventName = (m: AmiMessage): string => m.fields['event'] ?? '';

/** A list response announces items with `EventList: start`. */
export const startsList = (r: AmiResponse): boolean => (r.fields['eventlist'] ?? '').toLowerCase() === 'start';

/** The closing event of a list: `EventList: Complete` (or Cancelled), or an event named `…Complete`. */
export function endsList(m: AmiMessage): boolean {
  const flag = (m.fields['eventlist'] ?? '').toLowerCase();
  return flag === 'complete' || flag === 'cancelled' || /complete$/i.test(eventName(m));
}

/** Collects a list action's events: one step per event with the list's ActionID. */
export interface ListCollection {
  events: AmiMessage[];
  complete?: AmiMessage;
}

export function collectListEvent(acc: ListCollection, event: AmiMessage): ListCollection {
  if (acc.complete) return acc;
  return endsList(event) ? { events: acc.events, complete: event } : { events: [...acc.events, event] };
}

/** chan_dahdi alarm2str(): `Red Alarm` → red … `None` → none. */
export function parseAlarmText(text: string): SpanAlarmKind | 'none' {
  const t = text.trim().toLowerCase().replace(/\s+alarm$/, '');
  switch (t) {
    case 'none':
    case 'no alarm':
    case '':
      return 'none';
    case 'red':
      return 'red';
    case 'yellow':
      return 'yellow';
    case 'blue':
      return 'blue';
    case 'recovering':
      return 'recovering';
    case 'loopback':
      return 'loopback';
    case 'not open':
      return 'not-open';
    default:
      return 'unknown';
  }
}

/** DAHDIShowStatus `Alarms:` (build_alarm_info): `OK`, `UNCONFIGURED`, or `BLU/YEL/RED/LB/REC/NOP`. */
export function parseStatusAlarms(text: string): { configured: boolean; alarms: SpanAlarmKind[] } {
  const t = text.trim().toUpperCase();
  if (t === 'OK') return { configured: true, alarms: [] };
  if (t === 'UNCONFIGURED') return { configured: false, alarms: [] };
  const map: Record<string, SpanAlarmKind> = {
    RED: 'red',
    YEL: 'yellow',
    BLU: 'blue',
    REC: 'recovering',
    LB: 'loopback',
    NOP: 'not-open',
  };
  const alarms = t
    .split('/')
    .filter(Boolean)
    .map((a) => map[a] ?? 'unknown');
  return { configured: true, alarms: [...new Set(alarms)] };
}

/**
 * The span of a DAHDI channel number when spans are E1s numbered in order, 31 numbers each
 * (system.conf `span=1…` with `bchan=1-15,17-31`, `dchan=16`, then 32-62 for span 2, …).
 */
export const e1SpanOfChannel = (channel: number): number => Math.floor((channel - 1) / 31) + 1;

/** What a DAHDI alarm event says about a span, before de-duplication. */
export interface SpanSignal {
  span: number;
  alarm: SpanAlarmKind | 'none';
  channel?: number;
}

const intOf = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

const floatOf = intOf;

/** SpanAlarm / SpanAlarmClear / Alarm / AlarmClear → a span signal; anything else → undefined. */
export function spanSignalOf(m: AmiMessage, spanOfChannel: (channel: number) => number = e1SpanOfChannel): SpanSignal | undefined {
  const name = eventName(m).toLowerCase();
  if (name === 'spanalarm' || name === 'spanalarmclear') {
    const span = intOf(m.fields['span']);
    if (span === undefined) return undefined;
    return { span, alarm: name === 'spanalarmclear' ? 'none' : parseAlarmText(m.fields['alarm'] ?? '') };
  }
  if (name === 'alarm' || name === 'alarmclear') {
    const channel = intOf(m.fields['dahdichannel'] ?? m.fields['channel']);
    if (channel === undefined || channel <= 0) return undefined;
    return {
      span: spanOfChannel(channel),
      channel,
      alarm: name === 'alarmclear' ? 'none' : parseAlarmText(m.fields['alarm'] ?? ''),
    };
  }
  return undefined;
}

/**
 * Folds a span signal into the known span alarms and says which event (if any) to publish.
 * chan_dahdi reports one alarm per channel by default (30 per E1), or per span, or both;
 * the result is one event per span state change.
 */
export function applySpanSignal(
  state: ReadonlyMap<number, SpanAlarmKind>,
  signal: SpanSignal,
  at: number,
): { state: ReadonlyMap<number, SpanAlarmKind>; event?: AmiEvent } {
  const current = state.get(signal.span);
  const via = signal.channel !== undefined ? { channel: signal.channel } : {};
  if (signal.alarm === 'none') {
    if (current === undefined) return { state };
    const next = new Map(state);
    next.delete(signal.span);
    return { state: next, event: { type: 'SpanAlarmCleared', at, span: signal.span, ...via } };
  }
  if (current === signal.alarm) return { state };
  const next = new Map(state);
  next.set(signal.span, signal.alarm);
  return { state: next, event: { type: 'SpanAlarm', at, span: signal.span, alarm: signal.alarm, ...via } };
}

const CONTACT_STATUS: Record<string, ContactStatusKind> = {
  reachable: 'Reachable',
  unreachable: 'Unreachable',
  created: 'Created',
  removed: 'Removed',
  updated: 'Updated',
  unknown: 'Unknown',
  nonqualified: 'NonQualified',
  unqualified: 'NonQualified',
};

/** PJSIP `ContactStatus` (URI, ContactStatus, AOR, EndpointName, RoundtripUsec?) → typed event. */
export function contactStatusOf(m: AmiMessage, at: number): AmiEvent | undefined {
  if (eventName(m).toLowerCase() !== 'contactstatus') return undefined;
  const status = CONTACT_STATUS[(m.fields['contactstatus'] ?? '').toLowerCase()];
  const endpoint = m.fields['endpointname'] ?? '';
  if (!status || !endpoint) return undefined;
  const usec = intOf(m.fields['roundtripusec']);
  return {
    type: 'ContactStatus',
    at,
    endpoint,
    aor: m.fields['aor'] ?? endpoint,
    uri: m.fields['uri'] ?? '',
    status,
    ...(usec !== undefined && usec > 0 ? { rttMs: usec / 1000 } : {}),
  };
}

const REGISTRATION_STATUS: Record<string, RegistrationStatus> = {
  registered: 'Registered',
  unregistered: 'Unregistered',
  rejected: 'Rejected',
};

/** `Registry` (ChannelType PJSIP: Username = client URI, Domain = server URI, Status) → typed event. */
export function registryOf(m: AmiMessage, at: number): AmiEvent | undefined {
  if (eventName(m).toLowerCase() !== 'registry') return undefined;
  const status = REGISTRATION_STATUS[(m.fields['status'] ?? '').toLowerCase()];
  if (!status) return undefined;
  return { type: 'TrunkRegistration', at, clientUri: m.fields['username'] ?? '', serverUri: m.fields['domain'] ?? '', status };
}

/** ContactList events (PJSIPShowContacts) → contacts. `ObjectName` is `<aor>;@<hash>`. */
export function contactsOf(events: readonly AmiMessage[]): AmiContact[] {
  return events
    .filter((e) => eventName(e).toLowerCase() === 'contactlist')
    .map((e) => {
      const aor = (e.fields['objectname'] ?? '').split(';@')[0] ?? '';
      const usec = intOf(e.fields['roundtripusec']);
      return {
        aor,
        endpoint: e.fields['endpoint'] || aor,
        uri: e.fields['uri'] ?? '',
        userAgent: e.fields['useragent'] ?? '',
        status: CONTACT_STATUS[(e.fields['status'] ?? '').toLowerCase()] ?? 'Unknown',
        ...(usec !== undefined && usec > 0 ? { rttMs: usec / 1000 } : {}),
      };
    });
}

/** OutboundRegistrationDetail events → registrations. */
export function registrationsOf(events: readonly AmiMessage[]): AmiRegistration[] {
  return events
    .filter((e) => eventName(e).toLowerCase() === 'outboundregistrationdetail')
    .map((e) => ({
      id: e.fields['objectname'] ?? '',
      endpoint: e.fields['endpoint'] ?? '',
      clientUri: e.fields['clienturi'] ?? '',
      serverUri: e.fields['serveruri'] ?? '',
      status: REGISTRATION_STATUS[(e.fields['status'] ?? '').toLowerCase()] ?? 'Unregistered',
    }));
}

/**
 * `dialplan show <context>` output → the context's hints (exten → device), or undefined when
 * the context does not exist ("There is no existence of '…' context").
 */
export function dialplanHintsOf(output: readonly string[]): Map<string, string> | undefined {
  if (output.some((l) => /There is no existence of/.test(l))) return undefined;
  const hints = new Map<string, string>();
  for (const line of output) {
    const m = /^\s*'([^']+)'\s*=>\s*hint:\s*(\S+)/.exec(line);
    if (m) hints.set(m[1]!, m[2]!);
  }
  return hints;
}

/** `moh show classes` output → class names. */
export const mohClassesOf = (output: readonly string[]): string[] =>
  output.flatMap((l) => {
    const m = /^Class:\s*(\S+)/.exec(l.trim());
    return m ? [m[1]!] : [];
  });

/** RTCPSent / RTCPReceived → typed event, from the first report block when there is one. */
export function rtcpStatsOf(m: AmiMessage, at: number): AmiEvent | undefined {
  const name = eventName(m).toLowerCase();
  if (name !== 'rtcpsent' && name !== 'rtcpreceived') return undefined;
  const reports = intOf(m.fields['reportcount']) ?? 0;
  const jitter = reports > 0 ? floatOf(m.fields['report0iajitter']) : undefined;
  const fraction = reports > 0 ? intOf(m.fields['report0fractionlost']) : undefined;
  const cumulative = reports > 0 ? intOf(m.fields['report0cumulativelost']) : undefined;
  const rtt = floatOf(m.fields['rtt']);
  return {
    type: 'RtcpStats',
    at,
    direction: name === 'rtcpsent' ? 'sent' : 'received',
    channel: m.fields['channel'] ?? '',
    uniqueId: m.fields['uniqueid'] ?? '',
    ...(jitter !== undefined ? { jitterMs: jitter / 8 } : {}),
    ...(fraction !== undefined ? { fractionLost: fraction / 256 } : {}),
    ...(cumulative !== undefined ? { cumulativeLost: cumulative } : {}),
    ...(rtt !== undefined ? { rttMs: rtt * 1000 } : {}),
  };
}

/** Asterisk's ChannelStateDesc → the port's state names. */
const CHANNEL_STATES: readonly ChannelSnapshot['state'][] = [
  'Down', 'Rsrvd', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up', 'Busy', 'Dialing Offhook', 'Pre-ring', 'Unknown',
];

const unknownToEmpty = (s: string | undefined) => (!s || s === '<unknown>' ? '' : s);

/** `HH:MM:SS` (CoreShowChannel Duration) → ms. */
export function parseDuration(text: string | undefined): number {
  const parts = (text ?? '').split(':').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return 0;
  return ((parts[0]! * 60 + parts[1]!) * 60 + parts[2]!) * 1000;
}

/** CoreShowChannel events → channel snapshots (createdAt estimated from Duration). */
export function channelsOf(events: readonly AmiMessage[], now: number): ChannelSnapshot[] {
  return events
    .filter((e) => eventName(e).toLowerCase() === 'coreshowchannel')
    .map((e) => {
      const f = e.fields;
      const desc = f['channelstatedesc'] ?? '';
      return {
        id: f['uniqueid'] ?? '',
        name: f['channel'] ?? '',
        state: CHANNEL_STATES.find((s) => s.toLowerCase() === desc.toLowerCase()) ?? 'Unknown',
        caller: { number: unknownToEmpty(f['calleridnum']), name: unknownToEmpty(f['calleridname']) },
        connected: { number: unknownToEmpty(f['connectedlinenum']), name: unknownToEmpty(f['connectedlinename']) },
        dialplan: {
          context: f['context'] ?? '',
          exten: f['exten'] ?? '',
          priority: intOf(f['priority']) ?? 0,
          appName: f['application'] ?? '',
          appData: f['applicationdata'] ?? '',
        },
        createdAt: now - parseDuration(f['duration']),
      };
    });
}

const splitList = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** EndpointList events (PJSIPShowEndpoints) → endpoints. `Contacts:` is `aor/uri,` entries. */
export function endpointsOf(events: readonly AmiMessage[]): AmiEndpoint[] {
  return events
    .filter((e) => eventName(e).toLowerCase() === 'endpointlist')
    .map((e) => ({
      name: e.fields['objectname'] ?? '',
      deviceState: e.fields['devicestate'] ?? 'Unknown',
      aors: splitList(e.fields['aor']),
      contacts: splitList(e.fields['contacts']).map((c) => {
        const slash = c.indexOf('/');
        return slash > 0 ? { aor: c.slice(0, slash), uri: c.slice(slash + 1) } : { aor: '', uri: c };
      }),
      activeChannels: intOf(e.fields['activechannels']) ?? 0,
    }));
}

/**
 * DAHDIShowStatus and PRIShowSpans items → one status per span. DAHDIShowStatus knows the
 * alarms of every span (Asterisk ≥ 20.8/21.3); PRIShowSpans adds the D-channel state and is
 * the only source on older versions.
 */
export function spanStatusOf(dahdi: readonly AmiMessage[], pri: readonly AmiMessage[]): AmiSpanStatus[] {
  const spans = new Map<number, AmiSpanStatus>();
  for (const e of dahdi) {
    if (eventName(e).toLowerCase() !== 'dahdishowstatus') continue;
    const span = intOf(e.fields['span']);
    if (span === undefined) continue;
    const { configured, alarms } = parseStatusAlarms(e.fields['alarms'] ?? '');
    spans.set(span, {
      span,
      inAlarm: alarms.length > 0,
      alarms,
      configured,
      ...(e.fields['description'] ? { description: e.fields['description'] } : {}),
      ...(e.fields['framing'] ? { framing: e.fields['framing'] } : {}),
      ...(e.fields['coding'] ? { coding: e.fields['coding'] } : {}),
    });
  }
  for (const e of pri) {
    if (eventName(e).toLowerCase() !== 'prishowspans') continue;
    const span = intOf(e.fields['span']);
    if (span === undefined) continue;
    const inAlarm = (e.fields['alarms'] ?? '').toLowerCase() === 'yes';
    const dchannelUp = (e.fields['up'] ?? '').toLowerCase() === 'yes';
    const known = spans.get(span);
    spans.set(
      span,
      known
        ? { ...known, dchannelUp: (known.dchannelUp ?? true) && dchannelUp, inAlarm: known.inAlarm || inAlarm }
        : { span, inAlarm, alarms: inAlarm ? ['unknown'] : [], configured: true, dchannelUp },
    );
  }
  return [...spans.values()].sort((a, b) => a.span - b.span);
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal
 * jitter" (half fixed, half random) so that many daemons do not reconnect in step.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: Random): number {
  const exp = policy.initialMs * 2 ** Math.min(Math.max(0, attempt), 30);
  const cap = Math.min(policy.maxMs, exp);
  return Math.round(cap / 2 + (random.next() * cap) / 2);
}

/** Header values as the library sends them; undefined ones are dropped. */
export function actionHeaders(fields: Readonly<Record<string, unknown>>): Record<string, string | number | boolean | Record<string, string>> {
  const out: Record<string, string | number | boolean | Record<string, string>> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, String(x)]));
    else out[k] = v as string | number | boolean;
  }
  return out;
}

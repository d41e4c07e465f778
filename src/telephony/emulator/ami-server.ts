/**
 * The emulator's Asterisk Manager Interface: a TCP server on loopback that speaks AMI the way
 * Asterisk 22 does, so the production AMI adapter runs against it unchanged.
 *
 * Wire format (main/manager.c): a banner line `Asterisk Call Manager/<version>`, then packets of
 * `Key: Value\r\n` lines ended by an empty line. Responses echo the ActionID. List actions
 * answer `Response: Success` + `EventList: start`, then one event per item, then a
 * `…Complete` event with `EventList: Complete` and `ListItems`. A failed Login answers
 * `Authentication failed` and the session is closed, as Asterisk does.
 *
 * What it knows of the world comes from the emulator model through `AmiBackend`; it never
 * imports the model. Deliberate deviations from a real Asterisk (also listed in the
 * emulator's README): no MD5 Challenge login; `Command` knows only a few CLI commands;
 * `DAHDIShowChannels` items carry no `SignallingCode`; span alarms are reported both per
 * channel and per span (chan_dahdi `reportalarms=all`; the default there is `channels`).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from '../../kernel/logger.js';
import type { ChannelSnapshot } from '../call-control.js';
import type { RtcpEvent } from './types.js';

/** A span's alarm as the emulator models it ('none' = in service). */
export type SpanAlarmState = 'none' | 'red' | 'yellow' | 'blue' | 'recovering' | 'loopback' | 'not-open';

export interface AmiSpanInfo {
  span: number;
  alarm: SpanAlarmState;
  /** chan_dahdi signalling: 'pri_cpe', 'pri_net', 'mfcr2', … */
  signalling: string;
  group: number;
  /** Number of bearer channels (30 on an E1). */
  channels: number;
  /** False: the card has the span but chan_dahdi has no channels on it (DAHDIShowStatus says UNCONFIGURED). */
  configured?: boolean;
}

export interface AmiEndpointInfo {
  name: string;
  kind: 'phone' | 'trunk';
  /** A phone with a registered contact, or a trunk whose contact answers qualify. */
  registered: boolean;
  rttMs?: number;
}

export interface AmiSpanEvent {
  span: number;
  alarm: SpanAlarmState;
}

export interface AmiContactEvent {
  endpoint: string;
  status: 'Reachable' | 'Unreachable' | 'Removed' | 'Created';
  rttMs?: number;
}

export interface AmiContactInfo {
  aor: string;
  endpoint: string;
  hash: string;
  uri: string;
  userAgent: string;
  status: string;
  rttMs?: number;
}

export interface AmiRegistrationInfo {
  id: string;
  endpoint: string;
  clientUri: string;
  serverUri: string;
  status: string;
}

/** An outbound registration changed state (becomes `Registry`). */
export interface AmiRegistryEvent {
  clientUri: string;
  serverUri: string;
  status: string;
}

/** One RTCP report on a channel (optional: the model may never emit it). */
export type AmiRtcpEvent = RtcpEvent;

/** A channel appeared, changed state or hung up (optional: becomes Newchannel / Newstate / Hangup). */
export interface AmiChannelEvent {
  kind: 'created' | 'state' | 'hangup';
  snapshot: ChannelSnapshot;
  cause?: number;
  causeText?: string;
}

/**
 * What the AMI server needs from the emulator model. An EventEmitter that emits 'span',
 * 'contact' and (optionally) 'channel' and 'rtcp' with the payloads below satisfies the event part.
 */
export interface AmiBackend {
  spans(): AmiSpanInfo[];
  endpoints(): AmiEndpointInfo[];
  channels(): ChannelSnapshot[];
  /** PJSIPShowContacts; absent: no contacts. */
  contacts?(): AmiContactInfo[];
  /** PJSIPShowRegistrationsOutbound; absent: none. */
  registrations?(): AmiRegistrationInfo[];
  /** Reloads a module's configuration; false when no such module is loaded. Absent: reloads change nothing. */
  reload?(module: string): Promise<boolean>;
  /** Runs a CLI command the backend knows; undefined for others. */
  cli?(command: string): Promise<string[] | undefined>;
  on(event: 'registry', listener: (e: AmiRegistryEvent) => void): unknown;
  off(event: 'registry', listener: (e: AmiRegistryEvent) => void): unknown;
  on(event: 'span', listener: (e: AmiSpanEvent) => void): unknown;
  on(event: 'contact', listener: (e: AmiContactEvent) => void): unknown;
  on(event: 'channel', listener: (e: AmiChannelEvent) => void): unknown;
  on(event: 'rtcp', listener: (e: AmiRtcpEvent) => void): unknown;
  off(event: 'span', listener: (e: AmiSpanEvent) => void): unknown;
  off(event: 'contact', listener: (e: AmiContactEvent) => void): unknown;
  off(event: 'channel', listener: (e: AmiChannelEvent) => void): unknown;
  off(event: 'rtcp', listener: (e: AmiRtcpEvent) => void): unknown;
}

export interface AmiServerOptions {
  backend: AmiBackend;
  /** 0 (default) picks a free port; pass the previous port to restart in place. */
  port?: number;
  host?: string;
  user: string;
  secret: string;
  logger: Logger;
  /** The AMI protocol version in the banner. */
  version?: string;
  /** Modules `Reload` accepts (by name, with or without `.so`). */
  modules?: string[];
}

export interface AmiServer {
  readonly host: string;
  readonly port: number;
  /** Logged-in sessions right now. */
  sessionCount(): number;
  /** Cuts every client connection but keeps listening (a network blip). */
  dropConnections(): void;
  /** Stops listening and cuts every connection at once, as if Asterisk died. */
  close(): Promise<void>;
}

const DEFAULT_MODULES = [
  'res_pjsip',
  'res_pjsip_session',
  'chan_pjsip',
  'chan_dahdi',
  'app_queue',
  'res_musiconhold',
  'pbx_config',
  'manager',
  'res_ari',
  'res_http_websocket',
  'app_amd',
];

/** chan_dahdi's alarm2str(). */
const ALARM_TEXT: Record<SpanAlarmState, string> = {
  none: 'None',
  red: 'Red Alarm',
  yellow: 'Yellow Alarm',
  blue: 'Blue Alarm',
  recovering: 'Recovering',
  loopback: 'Loopback',
  'not-open': 'Not Open',
};

/** chan_dahdi's build_alarm_info() abbreviations, used by DAHDIShowStatus. */
const ALARM_SHORT: Record<SpanAlarmState, string> = {
  none: 'OK',
  red: 'RED',
  yellow: 'YEL',
  blue: 'BLU',
  recovering: 'REC',
  loopback: 'LB',
  'not-open': 'NOP',
};

/** Event classes (manager.c permission names) a session may subscribe to. */
const EVENT_CLASSES = [
  'system', 'call', 'log', 'verbose', 'command', 'agent', 'user', 'config', 'dtmf', 'reporting',
  'cdr', 'dialplan', 'originate', 'agi', 'cc', 'aoc', 'test', 'security', 'message',
] as const;

type Fields = [string, string | number][];

interface Session {
  socket: Socket;
  authenticated: boolean;
  /** Subscribed event classes. */
  events: Set<string>;
  buffer: string;
}

/** Parses one packet's lines into lower-cased keys, keeping every value of repeated keys. */
function parsePacket(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const list = headers.get(key);
    if (list) list.push(value);
    else headers.set(key, [value]);
  }
  return headers;
}

function render(fields: Fields): string {
  return fields.map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\n\r\n';
}

/** `Events:` / `EventMask:` values → the classes they enable. */
function eventMask(value: string | undefined): Set<string> | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (['on', 'yes', 'true', 'all'].includes(v)) return new Set(EVENT_CLASSES);
  if (['off', 'no', 'false', 'none'].includes(v)) return new Set();
  const wanted = v.split(',').map((s) => s.trim());
  if (wanted.includes('all')) return new Set(EVENT_CLASSES);
  return new Set(wanted.filter((c) => (EVENT_CLASSES as readonly string[]).includes(c)));
}

function e1Timeslots(count: number): number[] {
  const slots: number[] = [];
  for (let ts = 1; ts <= 31 && slots.length < count; ts++) if (ts !== 16) slots.push(ts);
  return slots;
}

/** DAHDI channel numbers of a span's bearer channels: E1 spans take 31 numbers each, TS16 is signalling. */
export function dahdiChannelsOfSpan(span: AmiSpanInfo): number[] {
  return e1Timeslots(span.channels).map((ts) => (span.span - 1) * 31 + ts);
}

function sigText(signalling: string): string {
  if (signalling.startsWith('pri')) return 'ISDN PRI';
  if (signalling === 'mfcr2') return 'MFC/R2';
  return signalling;
}

function durationText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

const CHANNEL_STATE_CODE: Record<ChannelSnapshot['state'], number> = {
  Down: 0,
  Rsrvd: 1,
  OffHook: 2,
  Dialing: 3,
  Ring: 4,
  Ringing: 5,
  Up: 6,
  Busy: 7,
  'Dialing Offhook': 8,
  'Pre-ring': 9,
  Unknown: 10,
};

export async function startAmiServer(options: AmiServerOptions): Promise<AmiServer> {
  const { backend, user, secret } = options;
  const host = options.host ?? '127.0.0.1';
  const version = options.version ?? '11.0.0';
  const modules = new Set((options.modules ?? DEFAULT_MODULES).map((m) => m.replace(/\.so$/, '')));
  const log = options.logger.child({ component: 'emulator-ami' });
  const sessions = new Set<Session>();
  const startedAt = Date.now();

  const write = (session: Session, fields: Fields) => {
    if (session.socket.destroyed || !session.socket.writable) return;
    session.socket.write(render(fields));
  };

  const broadcast = (eventClass: string, fields: Fields) => {
    const packet: Fields = [fields[0]!, ['Privilege', `${eventClass},all`], ...fields.slice(1)];
    for (const s of sessions) if (s.authenticated && s.events.has(eventClass)) write(s, packet);
  };

  const respond = (s: Session, actionId: string | undefined, response: string, rest: Fields = []) => {
    const fields: Fields = [['Response', response]];
    if (actionId) fields.push(['ActionID', actionId]);
    write(s, [...fields, ...rest]);
  };

  const sendList = (
    s: Session,
    actionId: string | undefined,
    message: string,
    itemEvent: string,
    completeEvent: string,
    items: Fields[],
    itemsHeader = false,
  ) => {
    const id: Fields = actionId ? [['ActionID', actionId]] : [];
    write(s, [['Response', 'Success'], ...id, ['EventList', 'start'], ['Message', message]]);
    for (const item of items) write(s, [['Event', itemEvent], ...item, ...id]);
    const complete: Fields = [['Event', completeEvent], ...id, ['EventList', 'Complete'], ['ListItems', items.length]];
    if (itemsHeader) complete.push(['Items', items.length]);
    write(s, complete);
  };

  const onSpan = (e: AmiSpanEvent) => {
    const span = backend.spans().find((x) => x.span === e.span);
    const channels = span ? dahdiChannelsOfSpan(span) : [];
    if (e.alarm === 'none') {
      for (const ch of channels) broadcast('system', [['Event', 'AlarmClear'], ['DAHDIChannel', ch]]);
      broadcast('system', [['Event', 'SpanAlarmClear'], ['Span', e.span]]);
    } else {
      for (const ch of channels) broadcast('system', [['Event', 'Alarm'], ['DAHDIChannel', ch], ['Alarm', ALARM_TEXT[e.alarm]]]);
      broadcast('system', [['Event', 'SpanAlarm'], ['Span', e.span], ['Alarm', ALARM_TEXT[e.alarm]]]);
    }
  };

  const onRegistry = (e: AmiRegistryEvent) => {
    broadcast('system', [['Event', 'Registry'], ['ChannelType', 'PJSIP'], ['Username', e.clientUri], ['Domain', e.serverUri], ['Status', e.status]]);
  };

  const onContact = (e: AmiContactEvent) => {
    const fields: Fields = [
      ['Event', 'ContactStatus'],
      ['URI', `sip:${e.endpoint}@127.0.0.1:5060`],
      ['ContactStatus', e.status],
      ['AOR', e.endpoint],
      ['EndpointName', e.endpoint],
    ];
    if (e.rttMs !== undefined) fields.push(['RoundtripUsec', Math.round(e.rttMs * 1000)]);
    broadcast('system', fields);
  };

  /** The channel snapshot headers every channel event carries (manager_channels.c). */
  const snapshotFields = (c: ChannelSnapshot): Fields => [
    ['Channel', c.name],
    ['ChannelState', CHANNEL_STATE_CODE[c.state]],
    ['ChannelStateDesc', c.state],
    ['CallerIDNum', c.caller.number || '<unknown>'],
    ['CallerIDName', c.caller.name || '<unknown>'],
    ['ConnectedLineNum', c.connected.number || '<unknown>'],
    ['ConnectedLineName', c.connected.name || '<unknown>'],
    ['Language', 'pt_BR'],
    ['AccountCode', ''],
    ['Context', c.dialplan.context],
    ['Exten', c.dialplan.exten],
    ['Priority', c.dialplan.priority],
    ['Uniqueid', c.id],
    ['Linkedid', c.id],
  ];

  const onChannel = (e: AmiChannelEvent) => {
    const name = e.kind === 'created' ? 'Newchannel' : e.kind === 'state' ? 'Newstate' : 'Hangup';
    const fields: Fields = [['Event', name], ...snapshotFields(e.snapshot)];
    if (e.kind === 'hangup') fields.push(['Cause', e.cause ?? 16], ['Cause-txt', e.causeText ?? 'Normal Clearing']);
    broadcast('call', fields);
  };

  const onRtcp = (e: AmiRtcpEvent) => {
    const snapshot = backend.channels().find((c) => c.id === e.channelId);
    const fields: Fields = [
      ['Event', e.direction === 'sent' ? 'RTCPSent' : 'RTCPReceived'],
      ['Channel', e.channelName],
      ['ChannelState', snapshot ? CHANNEL_STATE_CODE[snapshot.state] : 6],
      ['ChannelStateDesc', snapshot?.state ?? 'Up'],
      ['Uniqueid', e.channelId],
      ['Linkedid', e.channelId],
      ['SSRC', '0x1a2b3c4d'],
      ['PT', '201(RR)'],
      e.direction === 'sent' ? ['To', '127.0.0.1:10001'] : ['From', '127.0.0.1:10001'],
    ];
    if (e.direction === 'received' && e.rttMs !== undefined) fields.push(['RTT', (e.rttMs / 1000).toFixed(4)]);
    fields.push(
      ['ReportCount', 1],
      ['Report0SourceSSRC', '0x4d3c2b1a'],
      ['Report0FractionLost', Math.round(Math.min(1, Math.max(0, e.fractionLost)) * 256) & 0xff],
      ['Report0CumulativeLost', e.cumulativeLost],
      ['Report0HighestSequence', 1000],
      ['Report0SequenceNumberCycles', 0],
      // RTCP jitter is in RTP timestamp units: 8 per millisecond at 8 kHz.
      ['Report0IAJitter', Math.round(e.jitterMs * 8)],
      ['Report0LSR', 0],
      ['Report0DLSR', '0.0000'],
    );
    broadcast('reporting', fields);
  };

  const handle = (s: Session, h: Map<string, string[]>) => {
    const get = (k: string) => h.get(k)?.[0];
    const actionId = get('actionid');
    const action = (get('action') ?? '').toLowerCase();

    if (!action) return respond(s, actionId, 'Error', [['Message', 'Missing action in request']]);

    if (action === 'login') {
      if (get('username') === user && get('secret') === secret) {
        s.authenticated = true;
        s.events = eventMask(get('events')) ?? new Set(EVENT_CLASSES);
        sessions.add(s);
        log.debug({ remote: s.socket.remotePort }, 'AMI login accepted');
        respond(s, actionId, 'Success', [['Message', 'Authentication accepted']]);
        if (s.events.has('system')) {
          write(s, [
            ['Event', 'FullyBooted'],
            ['Privilege', 'system,all'],
            ['Uptime', Math.floor((Date.now() - startedAt) / 1000)],
            ['LastReload', Math.floor((Date.now() - startedAt) / 1000)],
            ['Status', 'Fully Booted'],
          ]);
        }
      } else {
        log.info({ user: get('username') }, 'AMI login rejected');
        respond(s, actionId, 'Error', [['Message', 'Authentication failed']]);
        s.socket.end();
      }
      return;
    }

    if (action === 'logoff') {
      respond(s, actionId, 'Goodbye', [['Message', 'Thanks for all the fish.']]);
      s.socket.end();
      return;
    }

    if (!s.authenticated) return respond(s, actionId, 'Error', [['Message', 'Permission denied']]);

    switch (action) {
      case 'ping':
        return respond(s, actionId, 'Success', [
          ['Ping', 'Pong'],
          ['Timestamp', (Date.now() / 1000).toFixed(6)],
        ]);

      case 'events': {
        const mask = eventMask(get('eventmask'));
        if (!mask) return respond(s, actionId, 'Error', [['Message', 'Invalid event mask']]);
        s.events = mask;
        return respond(s, actionId, 'Success', [['Events', mask.size > 0 ? 'On' : 'Off']]);
      }

      case 'coreshowchannels': {
        const now = Date.now();
        const items: Fields[] = backend.channels().map((c) => [
          ...snapshotFields(c),
          ['Application', c.dialplan.appName],
          ['ApplicationData', c.dialplan.appData],
          ['Duration', durationText(now - c.createdAt)],
          ['BridgeId', ''],
        ]);
        return sendList(s, actionId, 'Channels will follow', 'CoreShowChannel', 'CoreShowChannelsComplete', items);
      }

      case 'pjsipshowendpoints': {
        const endpoints = backend.endpoints();
        if (endpoints.length === 0) return respond(s, actionId, 'Error', [['Message', 'No endpoints found']]);
        const items: Fields[] = endpoints.map((e) => [
          ['ObjectType', 'endpoint'],
          ['ObjectName', e.name],
          ['Transport', e.kind === 'phone' ? 'transport-udp' : 'transport-trunk'],
          ['Aor', e.name],
          ['Auths', e.kind === 'phone' ? e.name : ''],
          ['OutboundAuths', e.kind === 'trunk' ? e.name : ''],
          ['Contacts', e.registered ? `${e.name}/sip:${e.name}@127.0.0.1:5060,` : ''],
          ['DeviceState', e.registered ? 'Not in use' : 'Unavailable'],
          ['ActiveChannels', ''],
        ]);
        return sendList(
          s,
          actionId,
          'A listing of Endpoints follows, presented as EndpointList events',
          'EndpointList',
          'EndpointListComplete',
          items,
        );
      }

      case 'pjsipshowcontacts': {
        const contacts = backend.contacts?.() ?? [];
        // Asterisk answers an error, not an empty list, when there is no contact at all.
        if (contacts.length === 0) return respond(s, actionId, 'Error', [['Message', 'No Contacts found']]);
        const items: Fields[] = contacts.map((c) => [
          ['ObjectType', 'contact'],
          ['ObjectName', `${c.aor};@${c.hash}`],
          ['ViaAddress', '127.0.0.1:5062'],
          ['Uri', c.uri],
          ['UserAgent', c.userAgent],
          ['Endpoint', c.endpoint],
          ['Status', c.status],
          ['RoundtripUsec', c.rttMs === undefined ? 'N/A' : Math.round(c.rttMs * 1000)],
        ]);
        return sendList(s, actionId, 'A listing of Contacts follows, presented as ContactList events', 'ContactList', 'ContactListComplete', items);
      }

      case 'pjsipshowregistrationsoutbound': {
        const regs = backend.registrations?.() ?? [];
        const items: Fields[] = regs.map((r) => [
          ['ObjectType', 'registration'],
          ['ObjectName', r.id],
          ['ServerUri', r.serverUri],
          ['ClientUri', r.clientUri],
          ['Endpoint', r.endpoint],
          ['Status', r.status],
          ['NextReg', 0],
        ]);
        const id: Fields = actionId ? [['ActionID', actionId]] : [];
        write(s, [['Response', 'Success'], ...id, ['EventList', 'start'], ['Message', 'Following are Events for each Outbound registration']]);
        for (const item of items) write(s, [['Event', 'OutboundRegistrationDetail'], ...item, ...id]);
        const registered = regs.filter((r) => r.status === 'Registered').length;
        return write(s, [
          ['Event', 'OutboundRegistrationDetailComplete'],
          ...id,
          ['EventList', 'Complete'],
          ['ListItems', items.length],
          ['Registered', registered],
          ['NotRegistered', items.length - registered],
        ]);
      }

      case 'prishowspans': {
        const only = Number(get('span') ?? 0);
        const items: Fields[] = backend
          .spans()
          .filter((x) => x.signalling.startsWith('pri') && (!only || x.span === only))
          .map((x) => [
            ['Span', x.span],
            ['DChannel', (x.span - 1) * 31 + 16],
            ['Order', 'Primary'],
            ['Active', 'Yes'],
            ['Alarms', x.alarm === 'none' ? 'No' : 'Yes'],
            ['Up', x.alarm === 'none' ? 'Yes' : 'No'],
          ]);
        return sendList(s, actionId, 'Span status will follow', 'PRIShowSpans', 'PRIShowSpansComplete', items, true);
      }

      case 'dahdishowstatus': {
        const spans = backend.spans();
        if (spans.length === 0) return respond(s, actionId, 'Error', [['Message', 'No DAHDI detected']]);
        const items: Fields[] = spans.map((x) => [
          ['Span', x.span],
          ['Description', `Emulated E1 span ${x.span} (${x.signalling})`],
          ['Alarms', x.configured === false ? 'UNCONFIGURED' : ALARM_SHORT[x.alarm]],
          ['IRQ', 0],
          ['bpviol', 0],
          ['CRC', 0],
          ['Framing', x.signalling.startsWith('pri') ? 'CCS' : 'CAS'],
          ['Coding', 'HDB3'],
          ['Options', 'CRC4'],
          ['LBO', '0 db (CSU)/0-133 feet (DSX-1)'],
        ]);
        return sendList(s, actionId, 'DAHDI span statuses will follow', 'DAHDIShowStatus', 'DAHDIShowStatusComplete', items, true);
      }

      case 'dahdishowchannels': {
        const only = Number(get('dahdichannel') ?? 0);
        const items: Fields[] = [];
        for (const span of backend.spans()) {
          for (const ch of dahdiChannelsOfSpan(span)) {
            if (only > 0 && ch !== only) continue;
            items.push([
              ['DAHDIChannel', ch],
              ['Signalling', sigText(span.signalling)],
              ['Context', 'from-pstn'],
              ['DND', 'Disabled'],
              ['Alarm', ALARM_TEXT[span.alarm]],
              ['Description', ''],
            ]);
          }
        }
        return sendList(s, actionId, 'DAHDI channel status will follow', 'DAHDIShowChannels', 'DAHDIShowChannelsComplete', items, true);
      }

      case 'reload': {
        const module = (get('module') ?? '').replace(/\.so$/, '');
        if (module && !modules.has(module)) return respond(s, actionId, 'Error', [['Message', 'No such module']]);
        void (backend.reload?.(module) ?? Promise.resolve(true)).then(
          (ok) => respond(s, actionId, ok ? 'Success' : 'Error', [['Message', ok ? 'Module Reloaded' : 'No such module']]),
          (err: unknown) => respond(s, actionId, 'Error', [['Message', `An unknown error occurred: ${(err as Error).message}`]]),
        );
        return;
      }

      case 'command': {
        const command = (get('command') ?? '').trim();
        const reloadOf = /^module reload\s+(\S+)$/.exec(command)?.[1]?.replace(/\.so$/, '');
        if (backend.cli && (reloadOf === undefined || modules.has(reloadOf))) {
          void backend.cli(command).then(
            (output) => {
              if (output === undefined) return runBuiltin(command);
              respond(s, actionId, 'Success', [['Message', 'Command output follows'], ...output.map((line): [string, string] => ['Output', line])]);
            },
            (err: unknown) => respond(s, actionId, 'Error', [['Message', (err as Error).message]]),
          );
          return;
        }
        return runBuiltin(command);
      }

      default:
        return respond(s, actionId, 'Error', [['Message', 'Invalid/unknown command']]);
    }

    function runBuiltin(command: string): void {
      const reload = /^module reload\s+(\S+)$/.exec(command);
      if (reload) {
        const module = reload[1]!.replace(/\.so$/, '');
        if (!modules.has(module)) {
          return respond(s, actionId, 'Error', [['Message', 'Command output follows'], ['Output', `The module '${reload[1]}' does not exist.`]]);
        }
        return respond(s, actionId, 'Success', [['Message', 'Command output follows'], ['Output', `Module '${reload[1]}' reloaded successfully.`]]);
      }
      if (command === 'core show version') {
        return respond(s, actionId, 'Success', [
          ['Message', 'Command output follows'],
          ['Output', 'Asterisk 22.0.0 (Atende emulator)'],
        ]);
      }
      return respond(s, actionId, 'Error', [
        ['Message', 'Command output follows'],
        ['Output', `No such command '${command}' (type 'core show help ${command}' for other possible commands)`],
      ]);
    }
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const s: Session = { socket, authenticated: false, events: new Set(), buffer: '' };
    sockets.add(socket);
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.write(`Asterisk Call Manager/${version}\r\n`);
    socket.on('data', (chunk: string) => {
      s.buffer += chunk;
      for (;;) {
        const m = /\r?\n\r?\n/.exec(s.buffer);
        if (!m) break;
        const packet = s.buffer.slice(0, m.index);
        s.buffer = s.buffer.slice(m.index + m[0].length);
        if (packet.trim()) handle(s, parsePacket(packet));
      }
    });
    socket.on('error', (err) => log.debug({ err }, 'AMI client socket error'));
    socket.on('close', () => {
      sessions.delete(s);
      sockets.delete(socket);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err }, 'AMI server error'));

  backend.on('span', onSpan);
  backend.on('contact', onContact);
  backend.on('channel', onChannel);
  backend.on('rtcp', onRtcp);
  backend.on('registry', onRegistry);

  const port = (server.address() as AddressInfo).port;
  log.info({ host, port }, 'emulated AMI listening');

  const dropConnections = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    sessions.clear();
  };

  let closed: Promise<void> | undefined;
  return {
    host,
    port,
    sessionCount: () => sessions.size,
    dropConnections,
    close() {
      closed ??= new Promise<void>((resolve) => {
        backend.off('span', onSpan);
        backend.off('contact', onContact);
        backend.off('channel', onChannel);
        backend.off('rtcp', onRtcp);
        backend.off('registry', onRegistry);
        server.close(() => resolve());
        dropConnections();
        log.info({ port }, 'emulated AMI stopped');
      });
      return closed;
    },
  };
}

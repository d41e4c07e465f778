/**
 * The emulated Asterisk: channels, bridges, playbacks, recordings, endpoints and spans, with
 * the event sequences a real Asterisk 22 produces for them (see the README next to this file).
 *
 * The model knows nothing about HTTP or sockets. It emits:
 * - `'ari'` (app, event) for each ARI event an application should receive;
 * - `'span'`, `'contact'`, `'channel'`, `'rtcp'` for the AMI side (see types.ts).
 * Failures of operations are thrown as `AriError` with Asterisk's status and message.
 */
import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import type { ChannelSnapshot } from '../call-control.js';
import { NameCounters, UniqueIds, asteriskTime, causeText, dialStatusFor } from './asterisk-text.js';
import { amdResult, causeThroughSip, e2eContext, e2eSipLoop, localFarEnd, phoneFarEnd, pstnFarEnd, stasisFailedCause, type FarEnd } from './far-end.js';
import {
  AriError,
  type AriBridgeJson,
  type AriChannelJson,
  type AriEvent,
  type AriLiveRecordingJson,
  type AriPlaybackJson,
  type ChannelEvent,
  type ContactEvent,
  type EndpointInfo,
  type PhoneBehaviour,
  type PhoneConfig,
  type RtcpEvent,
  type SpanAlarm,
  type SpanConfig,
  type SpanEvent,
  type SpanInfo,
} from './types.js';
import { linearToAlaw, linearToUlaw, parseWavHeader, pcmTone, readWavInfo, wavHeader } from './wav.js';

type ChannelState = ChannelSnapshot['state'];

interface Channel {
  id: string;
  name: string;
  state: ChannelState;
  protocolId: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  created: number;
  language: string;
  vars: Map<string, string>;
  /** How it came to be: a caller from the dialplan, an originate, a snoop. */
  origin: 'dialplan' | 'originate' | 'snoop';
  /** The Stasis app the channel is in now. */
  stasisApp?: string;
  args: string[];
  /** Apps subscribed explicitly (originate / snoop): they keep receiving events after StasisEnd. */
  subscribed: Set<string>;
  far?: FarEnd;
  answered: boolean;
  bridgeId?: string;
  moh?: string;
  queue: Playback[];
  current?: Playback;
  timers: Set<NodeJS.Timeout>;
  hangingUp: boolean;
  span?: { span: number; channo: number };
  phone?: string;
  snoopOf?: string;
  /** Originate parameters kept until it answers. */
  pending?: { app?: string; appArgs: string[] };
  /** The other end of the e2e SIP loop: an answer or an end on one side reaches the other. */
  peerId?: string;
  /** Rings a browser registered over SIP WebSocket: the browser answers, not a timer. */
  webphone?: boolean;
  /** Dialled by an emulated colleague (no app, no dialplan to run): stays up once answered. */
  stayOnAnswer?: boolean;
}

/** The SIP WebSocket side of the emulator (sip/webphones.ts), as the model sees it. */
export interface WebphoneHooks {
  /** Does this AOR have a contact registered over WebSocket? */
  registered(aor: string): boolean;
  /** Sends the INVITE; false when the AOR has no contact after all. */
  ring(channelId: string, aor: string, caller: { name: string; number: string }): boolean;
  /** The channel ended on Asterisk's side. */
  ended(channelId: string, cause: number): void;
}

/** What a channel hears now, for the media sent to a browser. */
export type HeardAudio = { kind: 'voice' } | { kind: 'channel'; channelId: string } | { kind: 'silence' };

interface Bridge {
  id: string;
  type: string;
  name: string;
  channels: string[];
  created: number;
  subscribed: Set<string>;
  moh?: string;
  queue: Playback[];
  current?: Playback;
}

interface Playback {
  id: string;
  media: string[];
  index: number;
  state: 'queued' | 'playing' | 'continuing' | 'paused' | 'done' | 'failed' | 'stopped' | 'canceled';
  target: { channelId: string } | { bridgeId: string };
  language: string;
  controllable: boolean;
  timer?: NodeJS.Timeout;
  /** Wall ms left of the current item when paused. */
  remainingMs?: number;
  itemEndsAt?: number;
}

interface LiveRecording {
  name: string;
  format: string;
  target: { channelId: string } | { bridgeId: string };
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  ifExists: 'fail' | 'overwrite' | 'append';
  terminateOn: string;
  startedAt: number;
  pausedTotal: number;
  pausedAt?: number;
  timer?: NodeJS.Timeout;
  maxSilence: number;
}

interface Phone {
  ext: string;
  registered: boolean;
  answerAfterMs: number;
  behaviour: PhoneBehaviour;
  rttMs: number;
  /** The PJSIP auth password; a phone without one cannot register over WebSocket. */
  password?: string;
}

interface Span extends SpanConfig {
  alarm: SpanAlarm;
  busy: Set<number>;
}

interface AppRegistration {
  name: string;
  subscribeAll: boolean;
}

export interface ModelOptions {
  recordingsDir: string;
  speed?: number;
  spans?: SpanConfig[];
  trunks?: string[];
  phones?: PhoneConfig[];
  /** Music-on-hold classes of musiconhold.conf; default the one class Atende ships, `default`. */
  mohClasses?: string[];
  logger: Logger;
}

export interface InboundCall {
  did: string;
  from: string;
  via?: { span: number } | { trunk: string };
  app?: string;
}

const recordingFormats = new Set(['wav', 'sln', 'ulaw', 'alaw']);
const bearerSlots = [...Array.from({ length: 15 }, (_, i) => i + 1), ...Array.from({ length: 15 }, (_, i) => i + 17)];

export class AsteriskModel extends EventEmitter {
  readonly asteriskId: string;
  readonly startedAt = Date.now();
  readonly speed: number;
  readonly recordingsDir: string;
  private readonly log: Logger;
  private readonly ids = new UniqueIds();
  private readonly names = new NameCounters();
  private readonly chans = new Map<string, Channel>();
  private readonly bridgesById = new Map<string, Bridge>();
  private readonly playbacks = new Map<string, Playback>();
  private readonly recordings = new Map<string, LiveRecording>();
  private readonly phones = new Map<string, Phone>();
  private readonly trunkNames: string[];
  private readonly spansByNo = new Map<number, Span>();
  private readonly apps = new Map<string, AppRegistration>();
  private readonly mohClassNames: ReadonlySet<string>;
  private readonly globalTimers = new Set<NodeJS.Timeout>();
  private closed = false;
  private webphones?: WebphoneHooks;

  constructor(options: ModelOptions) {
    super();
    this.speed = options.speed && options.speed > 0 ? options.speed : 1;
    this.recordingsDir = resolve(options.recordingsDir);
    this.log = options.logger;
    this.asteriskId = Array.from(randomBytes(6), (b, i) => (i === 0 ? (b & 0xfe) | 0x02 : b).toString(16).padStart(2, '0')).join(':');
    for (const s of options.spans ?? []) this.spansByNo.set(s.span, { ...s, alarm: 'none', busy: new Set() });
    this.trunkNames = [...(options.trunks ?? [])];
    this.mohClassNames = new Set(options.mohClasses ?? ['default']);
    for (const p of options.phones ?? []) {
      this.phones.set(p.ext, {
        ext: p.ext,
        registered: p.registered ?? p.password === undefined,
        answerAfterMs: p.answerAfterMs ?? 300,
        behaviour: p.behaviour ?? 'answer',
        rttMs: 12,
        ...(p.password !== undefined ? { password: p.password } : {}),
      });
    }
  }

  // ---------------------------------------------------------------- applications

  /** A WebSocket subscribed to `name`; a later registration replaces an earlier one. */
  registerApp(name: string, subscribeAll: boolean): void {
    this.apps.set(name, { name, subscribeAll });
  }

  unregisterApp(name: string): void {
    this.apps.delete(name);
  }

  isAppRegistered(name: string): boolean {
    return this.apps.has(name);
  }

  listApplications(): Record<string, unknown>[] {
    return [...this.apps.keys()].map((name) => this.applicationJson(name));
  }

  getApplication(name: string): Record<string, unknown> {
    if (!this.apps.has(name)) throw new AriError(404, 'Application does not exist');
    return this.applicationJson(name);
  }

  private applicationJson(name: string): Record<string, unknown> {
    const channelIds = [...this.chans.values()].filter((c) => c.stasisApp === name || c.subscribed.has(name)).map((c) => c.id);
    const bridgeIds = [...this.bridgesById.values()].filter((b) => b.subscribed.has(name)).map((b) => b.id);
    return { name, channel_ids: channelIds, bridge_ids: bridgeIds, endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] };
  }

  // ---------------------------------------------------------------- info

  asteriskInfo(only?: string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      build: { os: 'Linux', kernel: '', machine: 'x86_64', options: 'emulator', date: '', user: 'atende' },
      system: { version: '22.10.1', entity_id: this.asteriskId },
      config: { name: 'atende-emulator', default_language: 'en', setid: { user: 'asterisk', group: 'asterisk' } },
      status: { startup_time: asteriskTime(this.startedAt), last_reload_time: asteriskTime(this.startedAt) },
    };
    if (!only || only.length === 0) return all;
    const out: Record<string, unknown> = {};
    for (const k of only) {
      if (!(k in all)) throw new AriError(400, `Invalid value for 'only': ${k}`);
      out[k] = all[k];
    }
    return out;
  }

  ping(): Record<string, unknown> {
    return { asterisk_id: this.asteriskId, ping: 'pong', timestamp: asteriskTime() };
  }

  // ---------------------------------------------------------------- snapshots

  private channelJson(c: Channel): AriChannelJson {
    return {
      id: c.id,
      name: c.name,
      state: c.state,
      protocol_id: c.protocolId,
      caller: { ...c.caller },
      connected: { ...c.connected },
      accountcode: '',
      dialplan: { ...c.dialplan },
      creationtime: asteriskTime(c.created),
      language: c.language,
    };
  }

  private snapshot(c: Channel): ChannelSnapshot {
    return {
      id: c.id,
      name: c.name,
      state: c.state,
      caller: { ...c.caller },
      connected: { ...c.connected },
      dialplan: {
        context: c.dialplan.context,
        exten: c.dialplan.exten,
        priority: c.dialplan.priority,
        appName: c.dialplan.app_name,
        appData: c.dialplan.app_data,
      },
      createdAt: c.created,
    };
  }

  private bridgeJson(b: Bridge): AriBridgeJson {
    return {
      id: b.id,
      technology: 'simple_bridge',
      bridge_type: b.type,
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: b.name,
      channels: [...b.channels],
      creationtime: asteriskTime(b.created),
      video_mode: 'none',
    };
  }

  private playbackJson(p: Playback): AriPlaybackJson {
    const stateName = p.state === 'stopped' || p.state === 'canceled' ? 'done' : p.state;
    const json: AriPlaybackJson = {
      id: p.id,
      media_uri: p.media[p.index] ?? '',
      target_uri: 'channelId' in p.target ? `channel:${p.target.channelId}` : `bridge:${p.target.bridgeId}`,
      language: p.language,
      state: stateName,
    };
    const next = p.media[p.index + 1];
    if (next !== undefined) json.next_media_uri = next;
    return json;
  }

  private recordingJson(r: LiveRecording, extra: Partial<AriLiveRecordingJson> = {}): AriLiveRecordingJson {
    return {
      name: r.name,
      format: r.format,
      target_uri: 'channelId' in r.target ? `channel:${r.target.channelId}` : `bridge:${r.target.bridgeId}`,
      state: r.state,
      ...extra,
    };
  }

  /** Every channel, as the CallControl port describes them. */
  channels(): ChannelSnapshot[] {
    return [...this.chans.values()].map((c) => this.snapshot(c));
  }

  listChannels(): AriChannelJson[] {
    return [...this.chans.values()].map((c) => this.channelJson(c));
  }

  getChannel(id: string): AriChannelJson {
    return this.channelJson(this.mustChannel(id));
  }

  // ---------------------------------------------------------------- event plumbing

  private publish(targets: Iterable<string>, type: string, body: Record<string, unknown>): void {
    const sent = new Set<string>();
    const timestamp = asteriskTime();
    const deliver = (app: string) => {
      if (sent.has(app) || !this.apps.has(app)) return;
      sent.add(app);
      const event: AriEvent = { type, timestamp, ...body, asterisk_id: this.asteriskId, application: app };
      this.emit('ari', app, event);
    };
    for (const app of targets) deliver(app);
    for (const reg of this.apps.values()) if (reg.subscribeAll) deliver(reg.name);
  }

  private channelApps(c: Channel): Set<string> {
    const s = new Set(c.subscribed);
    if (c.stasisApp) s.add(c.stasisApp);
    return s;
  }

  private bridgeApps(b: Bridge): Set<string> {
    return new Set(b.subscribed);
  }

  private channelEvent(c: Channel, type: string, body: Record<string, unknown> = {}): void {
    this.publish(this.channelApps(c), type, { ...body, channel: this.channelJson(c) });
  }

  private emitAmiChannel(kind: ChannelEvent['kind'], c: Channel, cause?: number): void {
    const ev: ChannelEvent = { kind, snapshot: this.snapshot(c) };
    if (cause !== undefined) {
      ev.cause = cause;
      ev.causeText = causeText(cause);
    }
    this.emit('channel', ev);
  }

  private wall(modelMs: number): number {
    return Math.max(0, modelMs / this.speed);
  }

  /** Runs `fn` after a modelled delay; the timer dies with the channel (or with the model). */
  private later(c: Channel | undefined, modelMs: number, fn: () => void): NodeJS.Timeout {
    const set = c ? c.timers : this.globalTimers;
    const t = setTimeout(() => {
      set.delete(t);
      if (this.closed) return;
      try {
        fn();
      } catch (err) {
        this.log.error({ err }, 'emulator: scheduled step failed');
      }
    }, this.wall(modelMs));
    set.add(t);
    return t;
  }

  private mustChannel(id: string): Channel {
    const c = this.chans.get(id);
    if (!c || c.hangingUp) throw new AriError(404, 'Channel not found');
    return c;
  }

  private mustStasisChannel(id: string): Channel {
    const c = this.mustChannel(id);
    if (!c.stasisApp) throw new AriError(409, 'Channel not in Stasis application');
    return c;
  }

  private newChannel(init: {
    id?: string;
    name: string;
    state: ChannelState;
    caller?: { name: string; number: string };
    connected?: { name: string; number: string };
    dialplan: Channel['dialplan'];
    origin: Channel['origin'];
    protocolId?: string;
  }): Channel {
    const c: Channel = {
      id: init.id ?? this.ids.next(),
      name: init.name,
      state: init.state,
      protocolId: init.protocolId ?? '',
      caller: init.caller ?? { name: '', number: '' },
      connected: init.connected ?? { name: '', number: '' },
      dialplan: init.dialplan,
      created: Date.now(),
      language: 'en',
      vars: new Map(),
      origin: init.origin,
      args: [],
      subscribed: new Set(),
      answered: init.state === 'Up',
      queue: [],
      timers: new Set(),
      hangingUp: false,
    };
    this.chans.set(c.id, c);
    this.emitAmiChannel('created', c);
    return c;
  }

  private setState(c: Channel, state: ChannelState): void {
    if (c.state === state) return;
    c.state = state;
    if (state === 'Up') c.answered = true;
    this.channelEvent(c, 'ChannelStateChange');
    this.emitAmiChannel('state', c);
  }

  private enterStasis(c: Channel, app: string, args: string[]): void {
    c.stasisApp = app;
    c.args = args;
    c.dialplan = { ...c.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    this.channelEvent(c, 'StasisStart', { args });
  }

  private leaveStasis(c: Channel): void {
    if (!c.stasisApp) return;
    this.channelEvent(c, 'StasisEnd');
    c.stasisApp = undefined;
  }

  private defaultApp(): string {
    const first = this.apps.keys().next();
    return first.done ? 'atende' : first.value;
  }

  // ---------------------------------------------------------------- inbound calls (the far end calls us)

  placeInboundCall(call: InboundCall): { channelId: string } {
    if (!call.did) throw new AriError(400, 'did is required');
    const via = call.via ?? this.defaultVia();
    let name: string;
    let context: string;
    let trunkRef: string;
    let span: Channel['span'];
    let protocolId = '';
    if ('span' in via) {
      const s = this.spansByNo.get(via.span);
      if (!s) throw new AriError(404, `Span ${via.span} does not exist`);
      if (s.alarm !== 'none') throw new AriError(409, `Span ${via.span} is in ${s.alarm} alarm`);
      const slot = bearerSlots.find((ts) => !s.busy.has(ts));
      if (slot === undefined) throw new AriError(409, `Span ${via.span} has no free channel`);
      s.busy.add(slot);
      const channo = (s.span - 1) * 31 + slot;
      span = { span: s.span, channo };
      name = `DAHDI/${channo}-1`;
      context = 'atende-from-pstn';
      trunkRef = `span:${s.span}`;
    } else {
      if (!this.trunkNames.includes(via.trunk) && via.trunk !== e2eSipLoop.in) throw new AriError(404, `Trunk ${via.trunk} does not exist`);
      name = `PJSIP/${via.trunk}-${this.names.next('PJSIP')}`;
      context = 'atende-from-trunk';
      trunkRef = `trunk:${via.trunk}`;
      protocolId = `${randomBytes(12).toString('hex')}@emulator`;
    }
    const app = call.app ?? this.defaultApp();
    const c = this.newChannel({
      name,
      state: 'Ring',
      caller: { name: '', number: call.from },
      dialplan: { context, exten: call.did, priority: 2, app_name: '', app_data: '' },
      origin: 'dialplan',
      protocolId,
    });
    c.span = span;
    const args = ['inbound', call.did, trunkRef];
    // Stasis() runs on the channel's own thread, a moment after the call arrives.
    this.later(c, 0, () => {
      if (this.apps.has(app)) {
        this.enterStasis(c, app, args);
      } else {
        // Stasis() fails; dialplan/atende.conf then releases with a temporary failure (41 on E1, 34 → SIP 503).
        const cause = stasisFailedCause(context);
        this.log.warn({ app, channel: c.name, cause }, `emulator: Stasis app '${app}' not registered; dialplan hangs up with cause ${cause}`);
        this.destroy(c, cause);
      }
    });
    return { channelId: c.id };
  }

  private defaultVia(): { span: number } | { trunk: string } {
    const span = this.spansByNo.keys().next();
    if (!span.done) return { span: span.value };
    const trunk = this.trunkNames[0];
    if (trunk !== undefined) return { trunk };
    throw new AriError(400, 'No span or trunk configured');
  }

  /** The far end sends DTMF (RFC 4733 / in-band), one digit after another. */
  async farDtmf(channelId: string, digits: string): Promise<void> {
    const c = this.chans.get(channelId);
    if (!c || c.hangingUp) throw new AriError(404, 'Channel not found');
    if (!/^[0-9A-D*#]+$/i.test(digits)) throw new AriError(400, 'digits must be 0-9, A-D, * or #');
    for (const digit of digits.toUpperCase()) {
      if (c.hangingUp || this.closed) return;
      this.receiveDigit(c, digit, 100);
      await new Promise<void>((r) => setTimeout(r, this.wall(250)));
    }
  }

  private receiveDigit(c: Channel, digit: string, durationMs: number): void {
    this.channelEvent(c, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
    for (const r of this.recordings.values()) {
      if ('channelId' in r.target && r.target.channelId === c.id && r.state === 'recording') {
        if (r.terminateOn === 'any' || r.terminateOn === digit) this.finishRecording(r, 'done');
      }
    }
  }

  /** The far end hangs up. */
  farHangup(channelId: string, cause = 16): void {
    const c = this.chans.get(channelId);
    if (!c || c.hangingUp) throw new AriError(404, 'Channel not found');
    if (!c.answered && c.origin === 'originate') {
      this.failOriginate(c, cause);
      return;
    }
    this.hangup(c, cause, false);
  }

  // ---------------------------------------------------------------- hangup

  /** A channel in progress is hung up: ChannelHangupRequest, media ends, StasisEnd, ChannelDestroyed. */
  private hangup(c: Channel, cause: number, soft: boolean): void {
    if (c.hangingUp) return;
    this.channelEvent(c, 'ChannelHangupRequest', soft ? { cause, soft: true } : { cause });
    c.hangingUp = true;
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
    if (c.current) this.endItem(c.current, 'failed');
    for (const p of c.queue) this.playbacks.delete(p.id);
    c.queue = [];
    for (const r of [...this.recordings.values()]) {
      if ('channelId' in r.target && r.target.channelId === c.id) this.finishRecording(r, 'done');
    }
    for (const s of [...this.chans.values()]) if (s.snoopOf === c.id && !s.hangingUp) this.hangup(s, 16, false);
    if (c.bridgeId) this.leaveBridge(c, this.bridgesById.get(c.bridgeId));
    this.leaveStasis(c);
    this.destroy(c, cause);
  }

  /** The channel is gone. Only apps still subscribed (originate/snoop, subscribeAll) hear ChannelDestroyed. */
  private destroy(c: Channel, cause: number): void {
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
    c.hangingUp = true;
    c.vars.set('HANGUPCAUSE', String(cause));
    if (c.name.startsWith('PJSIP/') && c.answered) {
      // The last RTCP reports of the call, while the channel still exists (AMI looks it up).
      const rttMs = c.phone ? (this.phones.get(c.phone)?.rttMs ?? 12) : 25;
      for (const direction of ['sent', 'received'] as const) {
        const rtcp: RtcpEvent = { channelId: c.id, channelName: c.name, direction, jitterMs: 2, fractionLost: 0, cumulativeLost: 0, rttMs };
        this.emit('rtcp', rtcp);
      }
    }
    this.publish(c.subscribed, 'ChannelDestroyed', { cause, cause_txt: causeText(cause), channel: this.channelJson(c) });
    this.chans.delete(c.id);
    if (c.webphone) this.webphones?.ended(c.id, cause);
    const peer = c.peerId === undefined ? undefined : this.chans.get(c.peerId);
    if (peer && !peer.hangingUp) {
      // The SIP loop: a call refused before its answer is a final response to the caller.
      if (!peer.answered && peer.origin === 'originate') this.failOriginate(peer, causeThroughSip(cause));
      else this.hangup(peer, cause, false);
    }
    if (c.span) this.spansByNo.get(c.span.span)?.busy.delete(c.span.channo - (c.span.span - 1) * 31);
    this.emitAmiChannel('hangup', c, cause);
  }

  hangupChannel(id: string, reasonCode?: number): void {
    const c = this.mustChannel(id);
    const cause = reasonCode ?? 16;
    if (!c.answered && c.origin === 'originate') {
      // Cancelling a ringing originate: the dial is abandoned.
      this.failOriginate(c, cause, 'CANCEL');
      return;
    }
    this.hangup(c, cause, true);
  }

  // ---------------------------------------------------------------- originate

  originate(p: {
    endpoint?: string;
    app?: string;
    appArgs?: string;
    callerId?: string;
    timeout?: number;
    variables?: Record<string, string>;
    channelId?: string;
    originator?: string;
    extension?: string;
    context?: string;
  }): AriChannelJson {
    if (!p.endpoint) throw new AriError(400, 'Endpoint must be specified');
    if (!p.app && !p.extension) throw new AriError(400, 'Application or extension must be specified');
    if (p.channelId && this.chans.has(p.channelId)) throw new AriError(409, 'Channel with given unique ID already exists');
    if (p.originator && !this.chans.has(p.originator)) throw new AriError(400, 'Provided originator channel was not found');
    const target = this.resolveDial(p.endpoint);
    const caller = parseCallerId(p.callerId);
    const c = this.newChannel({
      id: p.channelId || undefined,
      name: target.name,
      state: 'Down',
      caller,
      connected: { name: '', number: target.number },
      dialplan: { context: p.context ?? 'default', exten: p.extension ?? 's', priority: 1, app_name: '', app_data: '' },
      origin: 'originate',
      protocolId: target.name.startsWith('PJSIP/') ? `${randomBytes(12).toString('hex')}@emulator` : '',
    });
    c.far = target.far;
    c.span = target.span;
    c.phone = target.phone;
    for (const [k, v] of Object.entries(p.variables ?? {})) c.vars.set(k, String(v));
    if (p.app) c.subscribed.add(p.app);
    c.pending = { app: p.app, appArgs: p.appArgs ? p.appArgs.split(',') : [] };
    const dialstring = p.endpoint.slice(p.endpoint.indexOf('/') + 1);
    const far = target.far;
    this.later(c, 0, () => this.publish(c.subscribed, 'Dial', { peer: this.channelJson(c), dialstring, dialstatus: '' }));
    if (target.loopDid !== undefined) {
      const did = target.loopDid;
      this.later(c, 0, () => {
        // The dialplan's ATENDE_APP: the app other than the one placing the call (Atende's), when connected.
        const app = [...this.apps.keys()].find((a) => a !== p.app) ?? 'atende';
        const { channelId } = this.placeInboundCall({ did, from: caller.number, via: { trunk: e2eSipLoop.in }, app });
        c.peerId = channelId;
        const inbound = this.chans.get(channelId);
        if (inbound) inbound.peerId = c.id;
      });
    }
    if (target.webphone && target.phone) {
      const aor = target.phone;
      c.webphone = true;
      // chan_pjsip sends the INVITE; the browser's 180 and 200 drive the rest.
      this.later(c, 0, () => {
        if (!this.webphones?.ring(c.id, aor, caller)) this.failOriginate(c, 3);
      });
    } else if (far.fail) {
      if (far.ringAfterMs < far.fail.afterMs) this.later(c, far.ringAfterMs, () => this.ringing(c));
      const cause = far.fail.cause;
      this.later(c, far.fail.afterMs, () => this.failOriginate(c, cause));
    } else {
      this.later(c, far.ringAfterMs, () => this.ringing(c));
      if (far.answerAfterMs !== undefined) this.later(c, far.ringAfterMs + far.answerAfterMs, () => this.answerOriginate(c));
    }
    const timeout = p.timeout ?? 30;
    if (timeout > 0) this.later(c, timeout * 1000, () => !c.answered && this.failOriginate(c, 19));
    return this.channelJson(c);
  }

  private ringing(c: Channel): void {
    if (c.answered || c.hangingUp) return;
    this.setState(c, 'Ringing');
    this.publish(c.subscribed, 'Dial', { peer: this.channelJson(c), dialstatus: 'RINGING' });
  }

  private answerOriginate(c: Channel): void {
    if (c.answered || c.hangingUp) return;
    this.setState(c, 'Up');
    this.publish(c.subscribed, 'Dial', { peer: this.channelJson(c), dialstatus: 'ANSWER' });
    const pending = c.pending;
    c.pending = undefined;
    this.later(c, 20, () => {
      if (pending?.app) this.enterStasis(c, pending.app, pending.appArgs);
      else if (!c.stayOnAnswer) this.runDialplanAndHangup(c);
    });
    const after = c.far?.afterAnswer;
    if (after?.kind === 'dtmf') {
      this.later(c, after.afterMs, () => void this.farDtmf(c.id, after.digits).catch(() => undefined));
    } else if (after?.kind === 'hangup') {
      const cause = after.cause;
      this.later(c, after.afterMs, () => this.hangup(c, cause, false));
    }
  }

  /** An originate that never answered: Dial with the final status, then ChannelDestroyed (no StasisStart). */
  private failOriginate(c: Channel, cause: number, dialstatus?: string): void {
    if (c.answered || c.hangingUp) return;
    this.publish(c.subscribed, 'Dial', { peer: this.channelJson(c), dialstatus: dialstatus ?? dialStatusFor(cause) });
    this.destroy(c, cause);
  }

  /** Originate to an extension without an app: the dialplan is not modelled, so it ends at once. */
  private runDialplanAndHangup(c: Channel): void {
    this.channelEvent(c, 'ChannelDialplan', { dialplan_app: '', dialplan_app_data: '' });
    this.hangup(c, 16, false);
  }

  // ---------------------------------------------------------------- browsers over SIP WebSocket

  attachWebphones(hooks: WebphoneHooks): void {
    this.webphones = hooks;
  }

  /** The PJSIP endpoint a REGISTER or INVITE names, with its password and caller id. */
  phoneEndpoint(ext: string): { password?: string; callerId: { name: string; number: string } } | undefined {
    const phone = this.phones.get(ext);
    if (!phone) return undefined;
    return { ...(phone.password !== undefined ? { password: phone.password } : {}), callerId: { name: '', number: phone.ext } };
  }

  /**
   * The password of a phone that a browser registers as, made (random, for this run) the first
   * time it is asked for: the phone stops being an emulated desk phone and is registered only
   * while a browser is.
   */
  webphonePassword(ext: string): string {
    const phone = this.phones.get(ext);
    if (phone?.password !== undefined) return phone.password;
    if (phone?.registered) this.setPhone(ext, { registered: false });
    const password = randomBytes(18).toString('base64url');
    const current = this.phones.get(ext);
    if (current) current.password = password;
    else this.phones.set(ext, { ext, registered: false, answerAfterMs: 300, behaviour: 'answer', rttMs: 12, password });
    return password;
  }

  /** The browser's 180 Ringing. */
  webphoneRinging(channelId: string): void {
    const c = this.chans.get(channelId);
    if (c) this.ringing(c);
  }

  /** The browser's 200 OK. */
  webphoneAnswered(channelId: string): void {
    const c = this.chans.get(channelId);
    if (c) this.answerOriginate(c);
  }

  /** The browser ended the call (BYE, CANCEL, a refusal, its WebSocket gone). */
  webphoneEnded(channelId: string, cause: number): void {
    const c = this.chans.get(channelId);
    if (!c || c.hangingUp) return;
    if (!c.answered && c.origin === 'originate') this.failOriginate(c, cause);
    else this.hangup(c, cause, false);
  }

  /** An RFC 4733 event (or SIP INFO) from the browser. */
  webphoneDtmf(channelId: string, digit: string, durationMs: number): void {
    const c = this.chans.get(channelId);
    if (c && !c.hangingUp) this.receiveDigit(c, digit, durationMs);
  }

  /** A re-INVITE with sendonly/inactive (hold) or back to sendrecv. */
  webphoneHold(channelId: string, held: boolean): void {
    const c = this.chans.get(channelId);
    if (c && !c.hangingUp) this.channelEvent(c, held ? 'ChannelHold' : 'ChannelUnhold');
  }

  /**
   * An emulated colleague dials a phone directly (`Dial(PJSIP/<ext>)` from the internal
   * context, no app): rings the phone and, once answered, talks until either side hangs up.
   */
  callPhone(ext: string, from: { name: string; number: string }): { channelId: string } {
    const json = this.originate({ endpoint: `PJSIP/${ext}`, context: 'from-internal', extension: ext, callerId: `"${from.name}" <${from.number}>`, timeout: 60 });
    const c = this.mustChannel(json.id);
    c.stayOnAnswer = true;
    return { channelId: c.id };
  }

  /** What the party on a channel hears: another browser's audio, an emulated voice or nothing. */
  heardBy(channelId: string): HeardAudio {
    const c = this.chans.get(channelId);
    if (!c || c.hangingUp || !c.answered) return { kind: 'silence' };
    const bridge = c.bridgeId === undefined ? undefined : this.bridgesById.get(c.bridgeId);
    if (bridge) {
      const others = bridge.channels.filter((id) => id !== c.id).map((id) => this.chans.get(id)).filter((o): o is Channel => o !== undefined);
      const browser = others.find((o) => o.webphone);
      if (browser) return { kind: 'channel', channelId: browser.id };
      if (others.length > 0 || bridge.current || bridge.moh) return { kind: 'voice' };
      return { kind: 'silence' };
    }
    // A prompt, music on hold, or the colleague of a direct call: the emulator has no sound files, so a voice-like tone.
    if (c.current || c.moh || c.stayOnAnswer) return { kind: 'voice' };
    return { kind: 'silence' };
  }

  /** A phone that is ringing answers now. */
  answerPhone(ext: string): void {
    if (!this.phones.has(ext)) throw new AriError(404, `Phone ${ext} does not exist`);
    const ringing = [...this.chans.values()].find((c) => c.phone === ext && !c.answered && !c.hangingUp);
    if (!ringing) throw new AriError(409, `Phone ${ext} is not ringing`);
    this.answerOriginate(ringing);
  }

  private resolveDial(endpoint: string): { name: string; number: string; far: FarEnd; span?: Channel['span']; phone?: string; loopDid?: string; webphone?: boolean } {
    const slash = endpoint.indexOf('/');
    const allocationFailed = () => new AriError(500, 'Allocation failed');
    if (slash <= 0) throw new AriError(400, 'Invalid endpoint');
    const tech = endpoint.slice(0, slash).toUpperCase();
    const rest = endpoint.slice(slash + 1);
    if (tech === 'PJSIP') {
      const at = rest.indexOf('@');
      if (at > 0) {
        const number = rest.slice(0, at);
        const trunk = rest.slice(at + 1);
        if (trunk === e2eSipLoop.out) {
          // Rings until the far side (this same Asterisk's atende-from-trunk) answers or refuses.
          return { name: `PJSIP/${trunk}-${this.names.next('PJSIP')}`, number, far: { ringAfterMs: 0, amd: 'NOTSURE', afterAnswer: { kind: 'stay' } }, loopDid: number };
        }
        if (!this.trunkNames.includes(trunk)) throw allocationFailed();
        return { name: `PJSIP/${trunk}-${this.names.next('PJSIP')}`, number, far: pstnFarEnd(number, 1) };
      }
      const trunkUri = /^([^/]+)\/sips?:([^@;]+)/.exec(rest);
      if (trunkUri && this.trunkNames.includes(trunkUri[1] ?? '')) {
        const number = trunkUri[2] ?? '';
        return { name: `PJSIP/${trunkUri[1]}-${this.names.next('PJSIP')}`, number, far: pstnFarEnd(number, 1) };
      }
      const phone = this.phones.get(rest);
      // chan_pjsip cannot build a dialog for an AOR without contacts: the request fails (cause 3).
      if (!phone || !phone.registered) throw allocationFailed();
      const webphone = this.webphones?.registered(phone.ext) ?? false;
      return {
        name: `PJSIP/${phone.ext}-${this.names.next('PJSIP')}`,
        number: phone.ext,
        far: webphone ? { ringAfterMs: 0, amd: 'HUMAN', afterAnswer: { kind: 'stay' } } : phoneFarEnd(phone.behaviour, phone.answerAfterMs),
        phone: phone.ext,
        ...(webphone ? { webphone } : {}),
      };
    }
    if (tech === 'DAHDI') {
      const m = /^(?:([gGrR])(\d+)|(\d+))\/(.+)$/.exec(rest);
      if (!m) throw allocationFailed();
      const number = m[4] ?? '';
      let candidates: { s: Span; slot: number } | undefined;
      if (m[2] !== undefined) {
        const group = Number(m[2]);
        const spans = [...this.spansByNo.values()].filter((s) => s.group === group && s.alarm === 'none');
        if (m[1] === 'G' || m[1] === 'R') spans.reverse();
        for (const s of spans) {
          const slots = m[1] === 'G' || m[1] === 'R' ? [...bearerSlots].reverse() : bearerSlots;
          const slot = slots.find((ts) => !s.busy.has(ts));
          if (slot !== undefined) {
            candidates = { s, slot };
            break;
          }
        }
      } else {
        const channo = Number(m[3]);
        const s = this.spansByNo.get(Math.floor((channo - 1) / 31) + 1);
        const slot = ((channo - 1) % 31) + 1;
        if (s && s.alarm === 'none' && bearerSlots.includes(slot) && !s.busy.has(slot)) candidates = { s, slot };
      }
      // No free, alarm-free bearer channel: chan_dahdi refuses the request (congestion).
      if (!candidates) throw allocationFailed();
      candidates.s.busy.add(candidates.slot);
      const channo = (candidates.s.span - 1) * 31 + candidates.slot;
      // MFC/R2 signals "unallocated number" as cause 20 (ASTERISK-FACTS); ISDN keeps 1.
      const unallocated = candidates.s.signalling === 'mfcr2' ? 20 : 1;
      return { name: `DAHDI/${channo}-1`, number, far: pstnFarEnd(number, unallocated), span: { span: candidates.s.span, channo } };
    }
    if (tech === 'LOCAL') {
      const m = /^([^@]+)@([^/]+)(?:\/\w+)?$/.exec(rest);
      if (!m || m[2] !== e2eContext) throw allocationFailed();
      const far = localFarEnd(m[1] ?? '');
      if (!far) throw allocationFailed();
      return { name: `Local/${m[1]}@${m[2]}-${this.names.next('Local')};1`, number: m[1] ?? '', far };
    }
    throw allocationFailed();
  }

  // ---------------------------------------------------------------- simple channel operations

  answer(id: string): void {
    const c = this.mustStasisChannel(id);
    if (c.state !== 'Up') this.setState(c, 'Up');
    const peer = c.peerId === undefined ? undefined : this.chans.get(c.peerId);
    if (peer && !peer.answered) this.answerOriginate(peer);
  }

  ring(id: string): void {
    this.mustStasisChannel(id);
  }

  ringStop(id: string): void {
    this.mustStasisChannel(id);
  }

  sendDtmf(id: string, dtmf: string | undefined): void {
    if (!dtmf) throw new AriError(400, 'DTMF is required');
    this.mustStasisChannel(id);
  }

  startMoh(id: string, mohClass?: string): void {
    const c = this.mustStasisChannel(id);
    c.moh = this.mohClassFor(mohClass || 'default', c.name);
  }

  /**
   * The class res_musiconhold would play, logging what it logs: an unknown class falls back
   * to `default`; with no class at all the module never installed its player. ARI answers 204
   * either way, so only the log (and the silence) tells.
   */
  private mohClassFor(requested: string, target: string): string | undefined {
    if (this.mohClassNames.size === 0) {
      this.log.warn({ target, mohClass: requested }, `emulator: Music class ${requested} requested but no musiconhold loaded.`);
      return undefined;
    }
    if (this.mohClassNames.has(requested)) return requested;
    this.log.warn({ target, mohClass: requested }, `emulator: Music on Hold class '${requested}' not found in memory. Verify your configuration.`);
    return this.mohClassNames.has('default') ? 'default' : undefined;
  }

  mohClasses(): string[] {
    return [...this.mohClassNames];
  }

  /** The music-on-hold class a channel or bridge hears now, undefined for none (silence). */
  mohOf(id: string): string | undefined {
    return (this.chans.get(id) ?? this.bridgesById.get(id))?.moh;
  }

  stopMoh(id: string): void {
    const c = this.mustStasisChannel(id);
    c.moh = undefined;
  }

  getVariable(id: string, variable: string | undefined): { value: string } {
    if (!variable) throw new AriError(400, 'Variable name is required');
    const c = this.mustChannel(id);
    const builtin: Record<string, string> = {
      'CALLERID(num)': c.caller.number,
      'CALLERID(name)': c.caller.name,
      'CALLERID(all)': c.caller.name ? `"${c.caller.name}" <${c.caller.number}>` : c.caller.number,
      UNIQUEID: c.id,
      'CHANNEL(name)': c.name,
      'CHANNEL(state)': c.state,
      'CHANNEL(language)': c.language,
    };
    const value = builtin[variable] ?? c.vars.get(variable);
    if (value === undefined) throw new AriError(404, 'Provided variable was not found');
    return { value };
  }

  setVariable(id: string, variable: string | undefined, value: string | undefined): void {
    if (!variable) throw new AriError(400, 'Variable name is required');
    const c = this.mustChannel(id);
    const v = value ?? '';
    if (variable === 'CALLERID(num)') c.caller = { ...c.caller, number: v };
    else if (variable === 'CALLERID(name)') c.caller = { ...c.caller, name: v };
    else if (variable === 'CHANNEL(language)') c.language = v;
    else c.vars.set(variable, v);
    this.channelEvent(c, 'ChannelVarset', { variable, value: v });
  }

  /** Leaves the app for the dialplan. The AMD context comes back with the result; others end the call. */
  continueInDialplan(id: string, to: { context?: string; extension?: string; priority?: number; label?: string }): void {
    const c = this.mustStasisChannel(id);
    const app = c.stasisApp as string;
    const context = to.context || c.dialplan.context;
    const exten = to.extension || c.dialplan.exten;
    const priority = to.priority ?? c.dialplan.priority + 1;
    this.later(c, 0, () => {
      if (c.bridgeId) this.leaveBridge(c, this.bridgesById.get(c.bridgeId));
      this.leaveStasis(c);
      if (context === 'atende-amd') {
        // dialplan/atende.conf: s,1 NoOp, s,2 AMD(…), s,3 Stasis(app,amd,${AMDSTATUS},${AMDCAUSE},${ATENDE_AMD_ARGS}).
        const amdArgs = '2500,1500,800,5000,100,50,3,256,5000';
        c.dialplan = { context, exten, priority: priority + 1, app_name: 'AMD', app_data: amdArgs };
        this.channelEvent(c, 'ChannelDialplan', { dialplan_app: 'AMD', dialplan_app_data: amdArgs });
        const result = amdResult(c.far?.amd ?? 'NOTSURE');
        this.later(c, result.afterMs, () => {
          this.setVariable(c.id, 'AMDSTATUS', result.status);
          this.setVariable(c.id, 'AMDCAUSE', result.cause);
          c.dialplan = { ...c.dialplan, priority: c.dialplan.priority + 1 };
          const carried = (c.vars.get('ATENDE_AMD_ARGS') ?? '').split(',');
          this.enterStasis(c, app, ['amd', result.status, result.cause, ...carried]);
        });
      } else {
        c.dialplan = { context, exten, priority, app_name: '', app_data: '' };
        this.channelEvent(c, 'ChannelDialplan', { dialplan_app: '', dialplan_app_data: '' });
        // Nothing else of the dialplan is modelled: the channel falls off the end and hangs up.
        this.later(c, 10, () => this.hangup(c, 16, false));
      }
    });
  }

  snoop(id: string, p: { spy?: string; whisper?: string; app?: string; appArgs?: string; snoopId?: string }): AriChannelJson {
    const spy = p.spy ?? 'none';
    const whisper = p.whisper ?? 'none';
    const dirs = ['none', 'both', 'out', 'in'];
    if (!dirs.includes(spy) || !dirs.includes(whisper)) throw new AriError(400, 'Invalid direction specified');
    if (spy === 'none' && whisper === 'none') throw new AriError(400, 'Direction must be specified for at least spy or whisper');
    if (!p.app) throw new AriError(400, 'Application name is required');
    const target = this.mustChannel(id);
    if (p.snoopId && this.chans.has(p.snoopId)) throw new AriError(409, 'Channel with given unique ID already exists');
    const s = this.newChannel({
      id: p.snoopId || undefined,
      name: `Snoop/${target.id}-${this.names.next('Snoop')}`,
      state: 'Up',
      dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
      origin: 'snoop',
    });
    s.snoopOf = target.id;
    s.subscribed.add(p.app);
    const app = p.app;
    const args = p.appArgs ? p.appArgs.split(',') : [];
    this.later(s, 0, () => this.enterStasis(s, app, args));
    return this.channelJson(s);
  }

  rtpStatistics(id: string): Record<string, unknown> {
    const c = this.mustChannel(id);
    if (!c.name.startsWith('PJSIP/')) throw new AriError(404, 'Channel does not have RTP statistics');
    const packets = Math.round(((Date.now() - c.created) * this.speed) / 20);
    return {
      txcount: packets,
      rxcount: packets,
      txjitter: 0.002,
      rxjitter: 0.002,
      remote_maxjitter: 0.004,
      remote_minjitter: 0,
      remote_normdevjitter: 0.001,
      remote_stdevjitter: 0.001,
      local_maxjitter: 0.004,
      local_minjitter: 0,
      local_normdevjitter: 0.001,
      local_stdevjitter: 0.001,
      txploss: 0,
      rxploss: 0,
      remote_maxrxploss: 0,
      local_maxrxploss: 0,
      rtt: (c.phone ? (this.phones.get(c.phone)?.rttMs ?? 12) : 25) / 1000,
      maxrtt: 0.03,
      minrtt: 0.01,
      normdevrtt: 0.001,
      stdevrtt: 0.001,
      local_ssrc: 1,
      remote_ssrc: 2,
      txoctetcount: packets * 160,
      rxoctetcount: packets * 160,
      channel_uniqueid: c.id,
    };
  }

  // ---------------------------------------------------------------- bridges

  listBridges(): AriBridgeJson[] {
    return [...this.bridgesById.values()].map((b) => this.bridgeJson(b));
  }

  getBridge(id: string): AriBridgeJson {
    return this.bridgeJson(this.mustBridge(id));
  }

  private mustBridge(id: string): Bridge {
    const b = this.bridgesById.get(id);
    if (!b) throw new AriError(404, 'Bridge not found');
    return b;
  }

  createBridge(p: { type?: string; bridgeId?: string; name?: string }): AriBridgeJson {
    const types = (p.type || 'mixing').split(',').map((t) => t.trim());
    const known = ['mixing', 'holding', 'dtmf_events', 'proxy_media', 'video_sfu', 'video_single'];
    if (types.some((t) => !known.includes(t))) throw new AriError(400, 'Invalid bridge type');
    if (p.bridgeId && this.bridgesById.has(p.bridgeId)) throw new AriError(409, 'Bridge with given unique ID already exists');
    const b: Bridge = {
      id: p.bridgeId || randomUuid(),
      type: types.includes('holding') ? 'holding' : 'mixing',
      name: p.name ?? '',
      channels: [],
      created: Date.now(),
      subscribed: new Set(),
      queue: [],
    };
    this.bridgesById.set(b.id, b);
    this.publish([], 'BridgeCreated', { bridge: this.bridgeJson(b) });
    return this.bridgeJson(b);
  }

  destroyBridge(id: string): void {
    const b = this.mustBridge(id);
    for (const cid of [...b.channels]) {
      const c = this.chans.get(cid);
      if (c) this.leaveBridge(c, b);
    }
    if (b.current) this.endItem(b.current, 'done');
    for (const p of b.queue) this.playbacks.delete(p.id);
    b.queue = [];
    for (const r of [...this.recordings.values()]) {
      if ('bridgeId' in r.target && r.target.bridgeId === id) this.finishRecording(r, 'done');
    }
    this.bridgesById.delete(id);
    this.publish(this.bridgeApps(b), 'BridgeDestroyed', { bridge: this.bridgeJson(b) });
  }

  addToBridge(id: string, channelIds: string[]): void {
    const { b, chans } = this.bridgeRequest(id, channelIds);
    for (const c of chans) if (!c.stasisApp) throw new AriError(422, 'Channel not in Stasis application');
    for (const c of chans) {
      if (c.bridgeId === b.id) continue;
      if (c.bridgeId) this.leaveBridge(c, this.bridgesById.get(c.bridgeId));
      // Joining a bridge interrupts what the channel was playing.
      if (c.current && c.current.state !== 'queued') this.endItem(c.current, 'stopped');
      b.subscribed.add(c.stasisApp as string);
      b.channels.push(c.id);
      c.bridgeId = b.id;
      this.publish(new Set([...this.channelApps(c), ...this.bridgeApps(b)]), 'ChannelEnteredBridge', {
        bridge: this.bridgeJson(b),
        channel: this.channelJson(c),
      });
    }
  }

  /** The bridge and live channels an addChannel/removeChannel request names, checked in Asterisk's order. */
  private bridgeRequest(id: string, channelIds: string[]) {
    if (channelIds.length === 0) throw new AriError(400, 'Missing parameter channel');
    const b = this.mustBridge(id);
    const chans = channelIds.map((cid) => {
      const c = this.chans.get(cid);
      if (!c || c.hangingUp) throw new AriError(400, 'Channel not found');
      return c;
    });
    return { b, chans };
  }

  removeFromBridge(id: string, channelIds: string[]): void {
    const { b, chans } = this.bridgeRequest(id, channelIds);
    for (const c of chans) if (c.bridgeId !== b.id) throw new AriError(422, 'Channel not in this bridge');
    for (const c of chans) this.leaveBridge(c, b);
  }

  private leaveBridge(c: Channel, b: Bridge | undefined): void {
    c.bridgeId = undefined;
    if (!b) return;
    b.channels = b.channels.filter((x) => x !== c.id);
    this.publish(new Set([...this.channelApps(c), ...this.bridgeApps(b)]), 'ChannelLeftBridge', {
      bridge: this.bridgeJson(b),
      channel: this.channelJson(c),
    });
  }

  bridgeMoh(id: string, mohClass: string | null): void {
    const b = this.mustBridge(id);
    b.moh = mohClass === null ? undefined : this.mohClassFor(mohClass || 'default', `bridge ${b.id}`);
  }

  // ---------------------------------------------------------------- playbacks

  play(target: { channelId: string } | { bridgeId: string }, media: string[], p: { lang?: string; playbackId?: string }): AriPlaybackJson {
    const list = media.filter((m) => m !== '');
    if (list.length === 0) throw new AriError(400, 'Missing parameter media');
    let owner: Channel | Bridge;
    if ('channelId' in target) owner = this.mustStasisChannel(target.channelId);
    else owner = this.mustBridge(target.bridgeId);
    if (p.playbackId && this.playbacks.has(p.playbackId)) throw new AriError(409, 'Playback with given id already exists');
    const pb: Playback = {
      id: p.playbackId || randomUuid(),
      media: list,
      index: 0,
      state: 'queued',
      target,
      language: p.lang || ('language' in owner ? owner.language : 'en'),
      controllable: false,
    };
    this.playbacks.set(pb.id, pb);
    owner.queue.push(pb);
    const json = this.playbackJson(pb);
    setImmediate(() => this.pump(owner));
    return json;
  }

  private ownerOf(p: Playback): Channel | Bridge | undefined {
    return 'channelId' in p.target ? this.chans.get(p.target.channelId) : this.bridgesById.get(p.target.bridgeId);
  }

  private playbackApps(p: Playback): Set<string> {
    const owner = this.ownerOf(p);
    if (!owner) return new Set();
    return 'dialplan' in owner ? this.channelApps(owner) : this.bridgeApps(owner);
  }

  /** Starts the next queued playback of a channel or bridge, one at a time like Asterisk's control queue. */
  private pump(owner: Channel | Bridge): void {
    if (this.closed || owner.current) return;
    if ('hangingUp' in owner && owner.hangingUp) return;
    const next = owner.queue.shift();
    if (!next) return;
    owner.current = next;
    if (next.state === 'canceled') {
      // A playback stopped while queued is reported finished ("done") when its turn comes.
      this.publish(this.playbackApps(next), 'PlaybackFinished', { playback: this.playbackJson(next) });
      this.playbacks.delete(next.id);
      owner.current = undefined;
      this.pump(owner);
      return;
    }
    void this.startItem(next);
  }

  private async startItem(p: Playback): Promise<void> {
    p.state = 'playing';
    const uri = p.media[p.index] ?? '';
    const apps = this.playbackApps(p);
    this.publish(apps, 'PlaybackStarted', { playback: this.playbackJson(p) });
    if (/^(sound|recording|tone):/.test(uri)) p.controllable = true;
    const duration = await this.mediaDurationMs(uri, p.language);
    if (p.state !== 'playing') return; // stopped or hung up meanwhile
    if (duration === 'skip') {
      // Asterisk skips a missing recording or bad number without any final update.
      this.advance(p, 'skip');
      return;
    }
    if (duration === 'failed') {
      this.endItem(p, 'failed');
      return;
    }
    if (duration === 'forever') return;
    const wallMs = this.wall(duration);
    p.itemEndsAt = Date.now() + wallMs;
    p.timer = setTimeout(() => this.endItem(p, 'done'), wallMs);
  }

  /** The current media item ended: done, failed (file missing, hangup) or stopped by request. */
  private endItem(p: Playback, how: 'done' | 'failed' | 'stopped'): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    const owner = this.ownerOf(p);
    const hungUp = !!owner && 'hangingUp' in owner && owner.hangingUp;
    const last = p.index >= p.media.length - 1;
    if (how === 'stopped') {
      p.state = 'stopped';
    } else if (how === 'failed') {
      p.state = last || hungUp ? 'failed' : 'continuing';
    } else {
      p.state = last || hungUp ? 'done' : 'continuing';
    }
    const apps = this.playbackApps(p);
    if (p.state === 'continuing') {
      this.publish(apps, 'PlaybackContinuing', { playback: this.playbackJson(p) });
      this.advance(p, 'next');
      return;
    }
    this.publish(apps, 'PlaybackFinished', { playback: this.playbackJson(p) });
    this.finishPlayback(p);
  }

  private advance(p: Playback, _why: 'next' | 'skip'): void {
    if (p.index >= p.media.length - 1) {
      this.finishPlayback(p);
      return;
    }
    p.index += 1;
    void this.startItem(p);
  }

  private finishPlayback(p: Playback): void {
    this.playbacks.delete(p.id);
    const owner = this.ownerOf(p);
    if (owner && owner.current === p) {
      owner.current = undefined;
      setImmediate(() => this.pump(owner));
    }
  }

  /** Modelled duration of one media URI: ms, 'forever' (tones), 'failed' (missing file), 'skip'. */
  private async mediaDurationMs(uri: string, _lang: string): Promise<number | 'forever' | 'failed' | 'skip'> {
    const colon = uri.indexOf(':');
    const scheme = colon > 0 ? uri.slice(0, colon) : '';
    const arg = uri.slice(colon + 1);
    switch (scheme) {
      case 'sound': {
        if (isAbsolute(arg)) {
          const info = await readWavInfo(`${arg}.wav`);
          return info ? info.durationMs : 'failed';
        }
        const silence = /^silence\/(\d+)$/.exec(arg);
        if (silence) return Number(silence[1]) * 1000;
        if (arg === 'beep') return 250;
        // Core and extra sound packages are not installed on the emulator (nor, perhaps, on a real box).
        return 'failed';
      }
      case 'recording': {
        const info = await readWavInfo(join(this.recordingsDir, `${arg}.wav`));
        return info ? info.durationMs : 'skip';
      }
      case 'tone':
        return 'forever';
      case 'digits':
        return arg.length * 500;
      case 'characters':
        return arg.length * 600;
      case 'number':
        return /^-?\d+$/.test(arg) ? Math.max(1, arg.replace('-', '').length) * 600 : 'skip';
      default:
        return 'skip';
    }
  }

  getPlayback(id: string): AriPlaybackJson {
    const p = this.playbacks.get(id);
    if (!p) throw new AriError(404, 'Playback not found');
    return this.playbackJson(p);
  }

  stopPlayback(id: string): void {
    const p = this.playbacks.get(id);
    if (!p) throw new AriError(404, 'Playback not found');
    if (p.state === 'queued') {
      p.state = 'canceled';
      return;
    }
    if (!p.controllable) throw new AriError(500, 'Playback operation failed');
    this.endItem(p, 'stopped');
  }

  controlPlayback(id: string, operation: string | undefined): void {
    const p = this.playbacks.get(id);
    if (!p) throw new AriError(404, 'Playback not found');
    if (!operation || !['restart', 'pause', 'unpause', 'reverse', 'forward'].includes(operation)) {
      throw new AriError(400, 'Invalid operation');
    }
    if (p.state !== 'playing' && p.state !== 'paused' && p.state !== 'continuing') throw new AriError(409, 'Playback not playing');
    if (!p.controllable) throw new AriError(500, 'Playback operation failed');
    if (operation === 'pause' && p.state !== 'paused') {
      if (p.timer) clearTimeout(p.timer);
      p.timer = undefined;
      p.remainingMs = p.itemEndsAt !== undefined ? Math.max(0, p.itemEndsAt - Date.now()) : undefined;
      p.state = 'paused';
      this.publish(this.playbackApps(p), 'PlaybackStarted', { playback: { ...this.playbackJson(p), state: 'paused' } });
    } else if (operation === 'unpause' && p.state === 'paused') {
      p.state = 'playing';
      this.publish(this.playbackApps(p), 'PlaybackStarted', { playback: this.playbackJson(p) });
      if (p.remainingMs !== undefined) {
        p.itemEndsAt = Date.now() + p.remainingMs;
        p.timer = setTimeout(() => this.endItem(p, 'done'), p.remainingMs);
      }
    }
  }

  // ---------------------------------------------------------------- recordings

  async record(
    target: { channelId: string } | { bridgeId: string },
    p: { name?: string; format?: string; maxDurationSeconds?: number; maxSilenceSeconds?: number; ifExists?: string; beep?: boolean; terminateOn?: string },
  ): Promise<AriLiveRecordingJson> {
    if (!p.name) throw new AriError(400, 'Recording name is required');
    if (!p.format) throw new AriError(400, 'Recording format is required');
    if ('channelId' in target) this.mustStasisChannel(target.channelId);
    else this.mustBridge(target.bridgeId);
    const ifExists = (p.ifExists ?? 'fail') as LiveRecording['ifExists'];
    if (!['fail', 'overwrite', 'append'].includes(ifExists)) throw new AriError(400, 'ifExists invalid');
    const terminateOn = p.terminateOn ?? 'none';
    if (!['none', 'any', '*', '#'].includes(terminateOn)) throw new AriError(400, 'terminateOn invalid');
    if (!recordingFormats.has(p.format)) throw new AriError(422, 'Format not supported');
    const path = this.recordingPath(p.name, p.format);
    if (this.recordings.has(p.name)) throw new AriError(409, 'Recording with the same name already in progress');
    if (ifExists === 'fail' && (await exists(path))) throw new AriError(422, 'Recording with the same name already exists on the system');
    const r: LiveRecording = {
      name: p.name,
      format: p.format,
      target,
      state: 'queued',
      ifExists,
      terminateOn,
      startedAt: 0,
      pausedTotal: 0,
      maxSilence: p.maxSilenceSeconds ?? 0,
    };
    this.recordings.set(r.name, r);
    const json = this.recordingJson(r);
    const beepMs = p.beep ? 250 : 0;
    const maxMs = (p.maxDurationSeconds ?? 0) * 1000;
    const start = setTimeout(() => {
      this.globalTimers.delete(start);
      if (r.state !== 'queued') return;
      r.state = 'recording';
      r.startedAt = Date.now();
      this.publish(this.recordingApps(r), 'RecordingStarted', { recording: this.recordingJson(r) });
      if (maxMs > 0) r.timer = setTimeout(() => this.finishRecording(r, 'done'), this.wall(maxMs));
    }, this.wall(beepMs));
    this.globalTimers.add(start);
    return json;
  }

  private recordingPath(name: string, format: string): string {
    const path = resolve(this.recordingsDir, `${name}.${format}`);
    const rel = relative(this.recordingsDir, path);
    if (rel.startsWith('..') || rel.split(sep).includes('..')) throw new AriError(400, 'Invalid recording name');
    return path;
  }

  private recordingApps(r: LiveRecording): Set<string> {
    if ('channelId' in r.target) {
      const c = this.chans.get(r.target.channelId);
      return c ? this.channelApps(c) : new Set();
    }
    const b = this.bridgesById.get(r.target.bridgeId);
    return b ? this.bridgeApps(b) : new Set();
  }

  /** Modelled seconds recorded so far. */
  private recordedMs(r: LiveRecording): number {
    if (!r.startedAt) return 0;
    const end = r.pausedAt ?? Date.now();
    return Math.max(0, (end - r.startedAt - r.pausedTotal) * this.speed);
  }

  private finishRecording(r: LiveRecording, how: 'done' | 'failed' | 'canceled', cause?: string): void {
    if (!this.recordings.has(r.name)) return;
    this.recordings.delete(r.name);
    if (r.timer) clearTimeout(r.timer);
    const apps = this.recordingApps(r);
    const ms = this.recordedMs(r);
    r.state = how;
    if (how === 'done') {
      const seconds = Math.round(ms / 1000);
      const path = this.recordingPath(r.name, r.format);
      void this.writeRecording(path, r, ms)
        .then(() => {
          this.publish(apps, 'RecordingFinished', {
            recording: this.recordingJson(r, r.maxSilence > 0 ? { duration: seconds, talking_duration: seconds, silence_duration: 0 } : { duration: seconds }),
          });
        })
        .catch((err: unknown) => {
          this.log.error({ err, path }, 'emulator: could not write recording');
          r.state = 'failed';
          this.publish(apps, 'RecordingFailed', { recording: this.recordingJson(r, { cause: 'Could not write file' }) });
        });
    } else {
      this.publish(apps, 'RecordingFailed', { recording: this.recordingJson(r, cause ? { cause } : {}) });
    }
  }

  private async writeRecording(path: string, r: LiveRecording, ms: number): Promise<void> {
    // Recordings sit in Atende's private data directory in emulator mode: owner only.
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // The far end "speaks": a quiet pulsed tone, so the file is not plain silence.
    const pcm = pcmTone(ms, 425, 1500, 400);
    let previous = Buffer.alloc(0);
    if (r.ifExists === 'append' && (await exists(path))) {
      const old = await readFile(path);
      if (r.format === 'wav') {
        const info = parseWavHeader(old, old.length);
        if (info) previous = old.subarray(old.length - info.dataBytes);
      } else {
        previous = old;
      }
    }
    let bytes: Buffer;
    switch (r.format) {
      case 'wav': {
        const data = Buffer.concat([previous, pcm]);
        bytes = Buffer.concat([wavHeader(data.length), data]);
        break;
      }
      case 'sln':
        bytes = Buffer.concat([previous, pcm]);
        break;
      default: {
        const encoded = Buffer.alloc(pcm.length / 2);
        for (let i = 0; i < encoded.length; i++) {
          encoded[i] = r.format === 'ulaw' ? linearToUlaw(pcm.readInt16LE(i * 2)) : linearToAlaw(pcm.readInt16LE(i * 2));
        }
        bytes = Buffer.concat([previous, encoded]);
      }
    }
    await writeFile(path, bytes, { mode: 0o600 });
  }

  getLiveRecording(name: string): AriLiveRecordingJson {
    const r = this.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    return this.recordingJson(r, { duration: Math.round(this.recordedMs(r) / 1000) });
  }

  stopRecording(name: string): void {
    const r = this.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    this.finishRecording(r, 'done');
  }

  cancelRecording(name: string): void {
    const r = this.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    this.finishRecording(r, 'canceled');
    void rm(this.recordingPath(r.name, r.format), { force: true });
  }

  pauseRecording(name: string, pause: boolean): void {
    const r = this.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    if (r.state !== 'recording' && r.state !== 'paused') throw new AriError(409, 'Recording not in session');
    if (pause && r.state === 'recording') {
      r.state = 'paused';
      r.pausedAt = Date.now();
    } else if (!pause && r.state === 'paused') {
      r.state = 'recording';
      r.pausedTotal += Date.now() - (r.pausedAt ?? Date.now());
      r.pausedAt = undefined;
    }
  }

  async listStored(): Promise<{ name: string; format: string }[]> {
    const out: { name: string; format: string }[] = [];
    const walk = async (dir: string) => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else {
          const format = extname(e.name).slice(1);
          if (!recordingFormats.has(format)) continue;
          const name = relative(this.recordingsDir, full).slice(0, -(format.length + 1)).split(sep).join('/');
          if (!this.recordings.has(name)) out.push({ name, format });
        }
      }
    };
    await walk(this.recordingsDir);
    return out;
  }

  async getStored(name: string): Promise<{ name: string; format: string; path: string }> {
    if (this.recordings.has(name)) throw new AriError(404, 'Recording not found');
    for (const format of recordingFormats) {
      let path: string;
      try {
        path = this.recordingPath(name, format);
      } catch {
        throw new AriError(404, 'Recording not found');
      }
      if (await exists(path)) return { name, format, path };
    }
    throw new AriError(404, 'Recording not found');
  }

  async deleteStored(name: string): Promise<void> {
    const s = await this.getStored(name);
    await rm(s.path, { force: true });
  }

  async storedFile(name: string): Promise<{ bytes: Buffer; format: string }> {
    const s = await this.getStored(name);
    return { bytes: await readFile(s.path), format: s.format };
  }

  // ---------------------------------------------------------------- endpoints, phones, spans

  listEndpoints(tech?: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const channelIds = (prefix: string) =>
      [...this.chans.values()].filter((c) => c.name.startsWith(`${prefix}-`)).map((c) => c.id);
    if (!tech || tech.toUpperCase() === 'PJSIP') {
      for (const p of this.phones.values()) {
        out.push({ technology: 'PJSIP', resource: p.ext, state: p.registered ? 'online' : 'offline', channel_ids: channelIds(`PJSIP/${p.ext}`) });
      }
      for (const t of this.trunkNames) {
        out.push({ technology: 'PJSIP', resource: t, state: 'online', channel_ids: channelIds(`PJSIP/${t}`) });
      }
    }
    if (tech && tech.toUpperCase() !== 'PJSIP' && out.length === 0) throw new AriError(404, 'Endpoints not found');
    return out;
  }

  getEndpoint(tech: string, resource: string): Record<string, unknown> {
    const found = this.listEndpoints('PJSIP').find((e) => tech.toUpperCase() === 'PJSIP' && e.resource === resource);
    if (!found) throw new AriError(404, 'Endpoint not found');
    return found;
  }

  /** Changes an agent phone: registration (contact events) and how it answers. */
  setPhone(ext: string, p: { registered?: boolean; answerAfterMs?: number; behaviour?: PhoneBehaviour }): void {
    let phone = this.phones.get(ext);
    if (!phone) {
      phone = { ext, registered: false, answerAfterMs: 300, behaviour: 'answer', rttMs: 12 };
      this.phones.set(ext, phone);
    }
    if (p.answerAfterMs !== undefined) phone.answerAfterMs = p.answerAfterMs;
    if (p.behaviour !== undefined) phone.behaviour = p.behaviour;
    if (p.registered !== undefined && p.registered !== phone.registered) {
      phone.registered = p.registered;
      const endpoint = { technology: 'PJSIP', resource: ext, state: p.registered ? 'online' : 'offline', channel_ids: [] };
      if (p.registered) {
        this.emitContact({ endpoint: ext, status: 'Created' });
        this.emitContact({ endpoint: ext, status: 'Reachable', rttMs: phone.rttMs });
      } else {
        this.emitContact({ endpoint: ext, status: 'Removed' });
      }
      this.publish([], 'EndpointStateChange', { endpoint });
    }
  }

  hasPhone(ext: string): boolean {
    return this.phones.has(ext);
  }

  private emitContact(ev: ContactEvent): void {
    this.emit('contact', ev);
    this.publish([], 'ContactStatusChange', {
      endpoint: { technology: 'PJSIP', resource: ev.endpoint, state: ev.status === 'Removed' ? 'offline' : 'online', channel_ids: [] },
      contact_info: {
        uri: `sip:${ev.endpoint}@127.0.0.1:5062`,
        contact_status: ev.status === 'Removed' ? 'Unreachable' : ev.status === 'Created' ? 'Unknown' : ev.status,
        aor: ev.endpoint,
        ...(ev.rttMs !== undefined ? { roundtrip_usec: String(ev.rttMs * 1000) } : {}),
      },
    });
  }

  setSpanAlarm(span: number, alarm: 'red' | 'yellow' | 'blue' | 'clear'): void {
    const s = this.spansByNo.get(span);
    if (!s) throw new AriError(404, `Span ${span} does not exist`);
    const next: SpanAlarm = alarm === 'clear' ? 'none' : alarm;
    if (s.alarm === next) return;
    s.alarm = next;
    const ev: SpanEvent = { span, alarm: next };
    this.emit('span', ev);
    if (next !== 'none') {
      // Calls on a span that lost its line are cut (network out of order).
      for (const c of [...this.chans.values()]) {
        if (c.span?.span === span && !c.hangingUp) {
          if (!c.answered && c.origin === 'originate') this.failOriginate(c, 38);
          else this.hangup(c, 38, false);
        }
      }
    }
  }

  hasSpan(span: number): boolean {
    return this.spansByNo.has(span);
  }

  spans(): SpanInfo[] {
    return [...this.spansByNo.values()].map((s) => ({
      span: s.span,
      alarm: s.alarm,
      signalling: s.signalling,
      group: s.group,
      channels: bearerSlots.length,
      activeChannels: s.busy.size,
      firstChannel: (s.span - 1) * 31 + 1,
    }));
  }

  endpoints(): EndpointInfo[] {
    return [
      ...[...this.phones.values()].map((p) => ({
        name: p.ext,
        kind: 'phone' as const,
        registered: p.registered,
        ...(p.registered ? { rttMs: p.rttMs } : {}),
      })),
      ...this.trunkNames.map((t) => ({ name: t, kind: 'trunk' as const, registered: true, rttMs: 25 })),
    ];
  }

  // ---------------------------------------------------------------- shutdown

  close(): void {
    this.closed = true;
    for (const t of this.globalTimers) clearTimeout(t);
    this.globalTimers.clear();
    for (const c of this.chans.values()) for (const t of c.timers) clearTimeout(t);
    for (const p of this.playbacks.values()) if (p.timer) clearTimeout(p.timer);
    for (const r of this.recordings.values()) if (r.timer) clearTimeout(r.timer);
    this.removeAllListeners();
  }
}

function parseCallerId(raw: string | undefined): { name: string; number: string } {
  if (!raw) return { name: '', number: '' };
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(raw);
  if (m) return { name: (m[1] ?? '').trim(), number: (m[2] ?? '').trim() };
  return { name: '', number: raw.trim() };
}

function randomUuid(): string {
  return randomUUID();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The emulated Asterisk's shared state and plumbing: what every resource (channels, bridges,
 * media, endpoints, the PSTN) reads and writes, the ARI JSON of channels and bridges, and the
 * event fan-out. The resources live in their own files and reach one another only through the
 * small interfaces below, which `model.ts` wires together.
 *
 * Emits `'ari'` (app, event) for each ARI event an application should receive, and `'span'`,
 * `'contact'`, `'channel'`, `'rtcp'` for the AMI side (see types.ts).
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ChannelSnapshot } from '../call-control.js';
import { NameCounters, UniqueIds, asteriskTime, causeText } from './asterisk-text.js';
import { stasisFailedCause, type FarEnd } from './far-end.js';
import { AriError, type AriBridgeJson, type AriChannelJson, type AriEvent, type ChannelEvent } from './types.js';

export type ChannelState = ChannelSnapshot['state'];
export type MediaTarget = { channelId: string } | { bridgeId: string };

export interface Channel {
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
  /** On hold through ARI (`POST /channels/{id}/hold`). */
  held?: boolean;
  /** The directions its audio is muted in through ARI. */
  muted: Set<'in' | 'out'>;
  queue: Playback[];
  current?: Playback;
  timers: Set<NodeJS.Timeout>;
  hangingUp: boolean;
  span?: { span: number; channo: number };
  phone?: string;
  snoopOf?: string;
  /** A snoop channel's directions: what it hears of `snoopOf` (spy) and where its audio goes (whisper). */
  snoopDirections?: { spy: string; whisper: string };
  /** Originate parameters kept until it answers. */
  pending?: { app?: string; appArgs: string[] };
  /** The other end of the e2e SIP loop: an answer or an end on one side reaches the other. */
  peerId?: string;
  /** Rings a browser registered over SIP WebSocket: the browser answers, not a timer. */
  webphone?: boolean;
  /** Dialled by an emulated colleague (no app, no dialplan to run): stays up once answered. */
  stayOnAnswer?: boolean;
}

export interface Bridge {
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

export interface Playback {
  id: string;
  media: string[];
  index: number;
  state: 'queued' | 'playing' | 'continuing' | 'paused' | 'done' | 'failed' | 'stopped' | 'canceled';
  target: MediaTarget;
  language: string;
  controllable: boolean;
  timer?: NodeJS.Timeout;
  /** Wall ms left of the current item when paused. */
  remainingMs?: number;
  itemEndsAt?: number;
}

export interface LiveRecording {
  name: string;
  format: string;
  target: MediaTarget;
  state: 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';
  ifExists: 'fail' | 'overwrite' | 'append';
  terminateOn: string;
  startedAt: number;
  pausedTotal: number;
  pausedAt?: number;
  timer?: NodeJS.Timeout;
  maxSilence: number;
}

export interface EndedChannel {
  id: string;
  name: string;
  /** The number it was called on (exten) or dialled. */
  exten: string;
  caller: string;
  cause: number;
  at: number;
}

const ENDED_KEPT = 500;

interface AppRegistration {
  name: string;
  subscribeAll: boolean;
}

/** Where a dial string leads: the channel's name and number, its far end, and what it occupies. */
export interface DialTarget {
  name: string;
  number: string;
  far: FarEnd;
  span?: Channel['span'];
  phone?: string;
  /** A dial into the e2e SIP loop: the DID this same Asterisk receives on its trunk. */
  loopDid?: string;
  /** A phone whose contact is a browser's WebSocket: the INVITE goes there. */
  webphone?: boolean;
}

/** What the other resources ask of the channels. */
export interface ChannelHooks {
  /** Hangs a live channel up: ChannelHangupRequest, media ends, StasisEnd, ChannelDestroyed. */
  hangup(c: Channel, cause: number, soft: boolean): void;
  /** The channel is gone (no hangup request first). */
  destroy(c: Channel, cause: number): void;
  /** An originated channel that never answered ends with this cause. */
  failOriginate(c: Channel, cause: number, dialstatus?: string): void;
  /** A ringing originated channel answers. */
  answerOriginate(c: Channel): void;
}

export interface BridgeHooks {
  leaveBridge(c: Channel, b: Bridge | undefined): void;
}

export interface MediaHooks {
  /** Stops what a hung-up channel or destroyed bridge was playing and drops its queue. */
  dropPlaybacks(owner: Channel | Bridge, how: 'failed' | 'done'): void;
  /** Interrupts the playback in progress (a channel joining a bridge). */
  interrupt(owner: Channel | Bridge): void;
  /** Finishes the recordings of a target that goes away. */
  finishRecordingsOf(target: MediaTarget): void;
  /** A digit arrived on a channel (recordings may end on it). */
  digitReceived(c: Channel, digit: string): void;
}

export interface EndpointHooks {
  /** Round-trip time of the phone a channel belongs to (trunks: 25 ms). */
  rttMsOf(phone: string | undefined): number;
  /** `PJSIP/<resource>` towards a phone; undefined when it is not a phone. */
  dialPhone(resource: string): DialTarget | undefined;
  isTrunk(name: string): boolean;
  /** How the provider behind a trunk answers: normally, congested (503 → 34), or not at all (its host does not resolve). */
  trunkState(name: string): 'ok' | 'congested' | 'unresolvable';
  /** The trunk an inbound call arrives on when none is named. */
  firstTrunk(): string | undefined;
}

/** The SIP WebSocket side (sip/webphones.ts), as the resources see it. */
export interface WebphoneHooks {
  /** Does this AOR have a contact registered over WebSocket? */
  registered(aor: string): boolean;
  /** Sends the INVITE; false when the AOR has no contact after all. */
  ring(channelId: string, aor: string, caller: { name: string; number: string }): boolean;
  /** The channel ended on Asterisk's side. */
  ended(channelId: string, cause: number): void;
  /** The app rings a browser's own call (180 Ringing to the browser). */
  ringback(channelId: string): void;
  /** The app answered a browser's own call (200 OK to the browser). */
  answered(channelId: string): void;
}

export interface PstnHooks {
  /** `PJSIP/<number>@<trunk>` or `PJSIP/<trunk>/sip:<number>@host`; undefined when it names no trunk. */
  dialTrunk(resource: string): DialTarget | undefined;
  /** `DAHDI/…`: a free bearer channel of a group or a channel number. */
  dialSpan(resource: string): DialTarget;
  /** A channel on a span ended: its bearer channel is free again. */
  releaseBearer(c: Channel): void;
  /** A call arriving from the network (the e2e SIP loop's far side). */
  placeInboundCall(call: { did: string; from: string; via?: { span: number } | { trunk: string }; app?: string }): { channelId: string };
}

export interface WorldOptions {
  recordingsDir: string;
  speed?: number;
  /** Music-on-hold classes of musiconhold.conf; default the one class Atende ships, `default`. */
  mohClasses?: string[];
  logger: Logger;
}

export class World extends EventEmitter {
  readonly asteriskId: string;
  readonly startedAt = Date.now();
  readonly speed: number;
  readonly recordingsDir: string;
  readonly log: Logger;
  readonly ids = new UniqueIds();
  readonly names = new NameCounters();
  readonly chans = new Map<string, Channel>();
  readonly bridges = new Map<string, Bridge>();
  readonly playbacks = new Map<string, Playback>();
  readonly recordings = new Map<string, LiveRecording>();
  readonly apps = new Map<string, AppRegistration>();
  readonly globalTimers = new Set<NodeJS.Timeout>();
  /** The last channels that ended, newest last, with their cause (for tests and the control surface). */
  readonly ended: EndedChannel[] = [];
  closed = false;
  /** The music-on-hold classes loaded (replaced when res_musiconhold reads musiconhold.conf). */
  mohClassNames: ReadonlySet<string>;

  // Wired by model.ts once every resource exists.
  channels!: ChannelHooks;
  bridgeOps!: BridgeHooks;
  media!: MediaHooks;
  endpoints!: EndpointHooks;
  pstn!: PstnHooks;
  /** Attached when the SIP WebSocket server runs. */
  webphones?: WebphoneHooks;

  constructor(options: WorldOptions) {
    super();
    this.speed = options.speed && options.speed > 0 ? options.speed : 1;
    this.recordingsDir = resolve(options.recordingsDir);
    this.log = options.logger;
    this.mohClassNames = new Set(options.mohClasses ?? ['default']);
    this.asteriskId = Array.from(randomBytes(6), (b, i) => (i === 0 ? (b & 0xfe) | 0x02 : b).toString(16).padStart(2, '0')).join(':');
  }

  // ---------------------------------------------------------------- JSON and snapshots

  channelJson(c: Channel): AriChannelJson {
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

  snapshot(c: Channel): ChannelSnapshot {
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

  bridgeJson(b: Bridge): AriBridgeJson {
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

  // ---------------------------------------------------------------- event plumbing

  publish(targets: Iterable<string>, type: string, body: Record<string, unknown>): void {
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

  channelApps(c: Channel): Set<string> {
    const s = new Set(c.subscribed);
    if (c.stasisApp) s.add(c.stasisApp);
    return s;
  }

  bridgeApps(b: Bridge): Set<string> {
    return new Set(b.subscribed);
  }

  /** The apps that hear about a playback or recording on this target. */
  targetApps(target: MediaTarget): Set<string> {
    const owner = this.ownerOf(target);
    if (!owner) return new Set();
    return 'dialplan' in owner ? this.channelApps(owner) : this.bridgeApps(owner);
  }

  ownerOf(target: MediaTarget): Channel | Bridge | undefined {
    return 'channelId' in target ? this.chans.get(target.channelId) : this.bridges.get(target.bridgeId);
  }

  channelEvent(c: Channel, type: string, body: Record<string, unknown> = {}): void {
    this.publish(this.channelApps(c), type, { ...body, channel: this.channelJson(c) });
  }

  emitAmiChannel(kind: ChannelEvent['kind'], c: Channel, cause?: number): void {
    const ev: ChannelEvent = { kind, snapshot: this.snapshot(c) };
    if (cause !== undefined) {
      ev.cause = cause;
      ev.causeText = causeText(cause);
    }
    this.emit('channel', ev);
  }

  recordEnded(c: Channel, cause: number): void {
    this.ended.push({ id: c.id, name: c.name, exten: c.dialplan.exten, caller: c.caller.number, cause, at: Date.now() });
    if (this.ended.length > ENDED_KEPT) this.ended.splice(0, this.ended.length - ENDED_KEPT);
  }

  // ---------------------------------------------------------------- time

  wall(modelMs: number): number {
    return Math.max(0, modelMs / this.speed);
  }

  /** Runs `fn` after a modelled delay; the timer dies with the channel (or with the model). */
  later(c: Channel | undefined, modelMs: number, fn: () => void): NodeJS.Timeout {
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

  // ---------------------------------------------------------------- lookups

  mustChannel(id: string): Channel {
    const c = this.chans.get(id);
    if (!c || c.hangingUp) throw new AriError(404, 'Channel not found');
    return c;
  }

  mustStasisChannel(id: string): Channel {
    const c = this.mustChannel(id);
    if (!c.stasisApp) throw new AriError(409, 'Channel not in Stasis application');
    return c;
  }

  mustBridge(id: string): Bridge {
    const b = this.bridges.get(id);
    if (!b) throw new AriError(404, 'Bridge not found');
    return b;
  }

  // ---------------------------------------------------------------- channel life

  newChannel(init: {
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
      muted: new Set(),
      queue: [],
      timers: new Set(),
      hangingUp: false,
    };
    this.chans.set(c.id, c);
    this.emitAmiChannel('created', c);
    return c;
  }

  setState(c: Channel, state: ChannelState): void {
    if (c.state === state) return;
    c.state = state;
    if (state === 'Up') c.answered = true;
    this.channelEvent(c, 'ChannelStateChange');
    this.emitAmiChannel('state', c);
  }

  enterStasis(c: Channel, app: string, args: string[]): void {
    c.stasisApp = app;
    c.args = args;
    c.dialplan = { ...c.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    this.channelEvent(c, 'StasisStart', { args });
  }

  leaveStasis(c: Channel): void {
    if (!c.stasisApp) return;
    this.channelEvent(c, 'StasisEnd');
    c.stasisApp = undefined;
  }

  /**
   * A channel created by the dialplan runs `Stasis(<app>,<args>)` a moment later, on its own
   * thread; when the app is not registered, Stasis() fails and dialplan/atende.conf releases
   * with a temporary failure (41 on E1, 34 → SIP 503).
   */
  stasisFromDialplan(c: Channel, args: string[], app = this.defaultApp()): void {
    this.later(c, 0, () => {
      if (this.apps.has(app)) {
        this.enterStasis(c, app, args);
      } else {
        const cause = stasisFailedCause(c.dialplan.context);
        this.log.warn({ app, channel: c.name, cause }, `emulator: Stasis app '${app}' not registered; dialplan hangs up with cause ${cause}`);
        this.channels.destroy(c, cause);
      }
    });
  }

  /**
   * The class res_musiconhold would play, logging what it logs: an unknown class falls back
   * to `default`; with no class at all the module never installed its player. ARI answers 204
   * either way, so only the log (and the silence) tells.
   */
  mohClassFor(requested: string, target: string): string | undefined {
    if (this.mohClassNames.size === 0) {
      this.log.warn({ target, mohClass: requested }, `emulator: Music class ${requested} requested but no musiconhold loaded.`);
      return undefined;
    }
    if (this.mohClassNames.has(requested)) return requested;
    this.log.warn({ target, mohClass: requested }, `emulator: Music on Hold class '${requested}' not found in memory. Verify your configuration.`);
    return this.mohClassNames.has('default') ? 'default' : undefined;
  }

  defaultApp(): string {
    const first = this.apps.keys().next();
    return first.done ? 'atende' : first.value;
  }
}

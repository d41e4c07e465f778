/**
 * The Asterisk emulator: an in-process fake Asterisk speaking ARI (HTTP + WebSocket) and AMI
 * (TCP) on loopback, so the production adapters run against it unchanged. See README.md.
 */
import { ensureDir } from '../../kernel/file-modes.js';
import { systemClock } from '../../kernel/clock.js';
import { silentLogger, type Logger } from '../../kernel/logger.js';
import type { ChannelSnapshot } from '../call-control.js';
import { startAmiServer, type AmiBackend, type AmiServer } from './ami-server.js';
import { AriServer } from './ari-server.js';
import { AsteriskModel } from './model.js';
import type { ReloadRecord } from './config.js';
import type { PhoneChange, PhoneState } from './endpoints.js';
import type { EndedChannel } from './world.js';
import { Webphones, type WebphoneCall, type WebphoneRegistration } from './sip/webphones.js';
import type { PhoneConfig, SpanSignalling } from './types.js';

export { AriError } from './types.js';
export type { SpanInfo, EndpointInfo, PhoneBehaviour, SpanSignalling } from './types.js';

export interface EmulatorOptions {
  ari?: { port?: number; user?: string; password?: string };
  ami?: { port?: number; user?: string; secret?: string };
  /** Where recordings are written (Asterisk's /var/spool/asterisk/recording). */
  recordingsDir: string;
  /** Scales every modelled duration: 20 makes a 2 s prompt take 100 ms. Default 1. */
  speed?: number;
  /** E1 spans; default one ISDN PRI span in group 1. */
  spans?: { span: number; signalling: SpanSignalling; group: number }[];
  /** SIP trunk endpoint names; default `['trunk1']`. */
  trunks?: string[];
  /** Agent phones; default 1001–1004, registered, answering after 300 ms. One with a password is a browser's: it registers over SIP WebSocket. */
  phones?: PhoneConfig[];
  /**
   * The emulated Asterisk's configuration directory (its /etc/asterisk). When given, phones,
   * trunks, span signalling, MOH classes and hints come from the files there — as generated
   * by Atende's apply — read at start and at every reload; `phones` and `trunks` are ignored.
   */
  configDir?: string;
  /** Music-on-hold classes configured (musiconhold.conf) when there is no `configDir`; default `['default']`, what config/asterisk ships. */
  mohClasses?: string[];
  logger?: Logger;
}

export type { PhoneChange } from './endpoints.js';
export type { ReloadRecord } from './config.js';
export type { PhoneState } from './endpoints.js';
export type { EndedChannel } from './world.js';
export type { WebphoneCall, WebphoneRegistration } from './sip/webphones.js';

export interface Emulator {
  ariUrl: string;
  /** SIP over WebSocket (res_pjsip_transport_websocket) on the ARI HTTP port. */
  sipWsUrl: string;
  ariUser: string;
  ariPassword: string;
  amiPort: number;
  amiUser: string;
  amiSecret: string;
  placeInboundCall(call: { did: string; from: string; via?: { span: number } | { trunk: string }; app?: string }): Promise<{ channelId: string }>;
  sendDtmf(channelId: string, digits: string): Promise<void>;
  /** The far end hangs up. */
  hangup(channelId: string, cause?: number): Promise<void>;
  /** The phone on this channel holds (a re-INVITE with sendonly/inactive) or resumes (back to sendrecv). */
  holdFromPhone(channelId: string, held: boolean): void;
  /** An agent phone that is ringing answers now. */
  answerPhone(ext: string): Promise<void>;
  setPhone(ext: string, p: PhoneChange): void;
  /** The phones the emulated Asterisk knows, with their registration. */
  phones(): PhoneState[];
  /** Where calls from the network can arrive: the spans chan_dahdi has channels on, and the SIP trunks. */
  lines(): { spans: { span: number; group: number }[]; trunks: string[] };
  /** An agent's phone dials: the call enters the app as `internal,<dialled>`. */
  placePhoneCall(ext: string, dialled: string): Promise<{ channelId: string }>;
  /** `module reload <module>`, as an admin runs it (e.g. chan_dahdi after dahdi_cfg). */
  reload(module: string): Promise<boolean>;
  /** Every reload asked of this Asterisk, in order. */
  reloads(): ReloadRecord[];
  /** The provider behind a trunk answers every call with congestion, or stops doing so. */
  setTrunk(name: string, p: { congested: boolean }): void;
  /** The last channels that ended, newest last, with their Q.850 cause. */
  endedChannels(): EndedChannel[];
  /** The bridges and the channels in each. */
  bridges(): { id: string; channels: string[] }[];
  setSpanAlarm(span: number, alarm: 'red' | 'yellow' | 'blue' | 'clear'): void;
  channels(): ChannelSnapshot[];
  /** The live snoop channels: the channel each snoops on, what it hears (spy) and where it speaks (whisper). */
  snoops(): { id: string; of: string; spy: string; whisper: string }[];
  /** An emulated colleague dials a phone directly; the call stays up until either side hangs up. */
  callPhone(ext: string, from: { name: string; number: string }): { channelId: string };
  /** Browsers registered over SIP WebSocket. */
  webphoneRegistrations(): WebphoneRegistration[];
  /** Calls on browsers, with their media counters and the digits received. */
  webphoneCalls(): WebphoneCall[];
  /** The network to the browsers blips: every SIP WebSocket is cut (their contacts go, their calls end); how many were. */
  dropWebphones(): number;
  /** The music-on-hold class a channel or bridge hears, undefined when silent. */
  mohOf(id: string): string | undefined;
  /** Kills the ARI HTTP+WS server; live channels survive, like an Asterisk whose HTTP module restarted. */
  stopAri(): Promise<void>;
  /** Starts it again on the same port. */
  startAri(): Promise<void>;
  stopAmi(): Promise<void>;
  startAmi(): Promise<void>;
  close(): Promise<void>;
}

export const defaultPhones = ['1001', '1002', '1003', '1004'].map((ext) => ({ ext }));

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const logger = options.logger ?? silentLogger;
  ensureDir(options.recordingsDir, 'private');
  const model = new AsteriskModel({
    recordingsDir: options.recordingsDir,
    speed: options.speed,
    spans: options.spans ?? [{ span: 1, signalling: 'pri_cpe', group: 1 }],
    trunks: options.trunks ?? ['trunk1'],
    phones: options.phones ?? defaultPhones,
    ...(options.configDir !== undefined ? { configDir: options.configDir } : {}),
    ...(options.mohClasses ? { mohClasses: options.mohClasses } : {}),
    logger,
  });
  await model.loadConfig();
  const amiBackend: AmiBackend = {
    spans: () => model.pstn.spans(),
    endpoints: () => model.endpoints.infos(),
    channels: () => model.channels.snapshots(),
    contacts: () => model.endpoints.contacts(),
    registrations: () => model.endpoints.registrations(),
    reload: (module) => model.reload(module),
    cli: (command) => model.cli(command),
    on: model.world.on.bind(model.world),
    off: model.world.off.bind(model.world),
  };
  const ariUser = options.ari?.user ?? 'atende';
  const ariPassword = options.ari?.password ?? 'atende-emulator';
  let webphones: Webphones | undefined;
  const ari = new AriServer({
    model,
    port: options.ari?.port ?? 0,
    user: ariUser,
    password: ariPassword,
    logger,
    sip: { accept: (ws, remote) => webphones?.server.accept(ws, remote) },
  });
  const amiUser = options.ami?.user ?? 'atende';
  const amiSecret = options.ami?.secret ?? 'atende-emulator';
  let amiPort = options.ami?.port ?? 0;
  let ami: AmiServer | undefined;
  const startAmi = async () => {
    if (ami) return;
    ami = await startAmiServer({ backend: amiBackend, port: amiPort, user: amiUser, secret: amiSecret, logger, version: '11.0.0' });
    amiPort = ami.port;
  };
  try {
    await ari.start();
    webphones = new Webphones({ model, clock: systemClock, logger, serverHost: `127.0.0.1:${ari.port}`, media: { additionalHostAddresses: ['127.0.0.1'] } });
    await startAmi();
  } catch (err) {
    await webphones?.close();
    await ari.stop();
    model.close();
    throw err;
  }
  const sip = webphones;
  logger.info({ ari: ari.url, amiPort, speed: model.speed }, 'emulator: Asterisk emulator started');

  return {
    ariUrl: ari.url,
    sipWsUrl: `${ari.url.replace(/^http/, 'ws')}/ws`,
    ariUser,
    ariPassword,
    get amiPort() {
      return amiPort;
    },
    amiUser,
    amiSecret,
    placeInboundCall: async (call) => model.pstn.placeInboundCall(call),
    sendDtmf: (channelId, digits) => model.channels.farDtmf(channelId, digits),
    hangup: async (channelId, cause) => model.channels.farHangup(channelId, cause),
    holdFromPhone: (channelId, held) => model.browsers.hold(channelId, held),
    answerPhone: async (ext) => model.endpoints.answerPhone(ext),
    setPhone: (ext, p) => model.endpoints.setPhone(ext, p),
    phones: () => model.endpoints.phoneStates(),
    lines: () => ({
      spans: model.pstn
        .spans()
        .filter((s) => s.configured && s.channels > 0)
        .map((s) => ({ span: s.span, group: s.group })),
      trunks: model.endpoints.trunkNames(),
    }),
    placePhoneCall: async (ext, dialled) => model.endpoints.placeCall(ext, dialled),
    reload: (module) => model.reload(module),
    reloads: () => [...model.reloads],
    setTrunk: (name, p) => model.endpoints.setTrunk(name, p),
    endedChannels: () => [...model.world.ended],
    bridges: () => model.bridges.list().map((b) => ({ id: b.id, channels: [...b.channels] })),
    setSpanAlarm: (span, alarm) => model.pstn.setSpanAlarm(span, alarm),
    channels: () => model.channels.snapshots(),
    snoops: () => model.channels.snoops(),
    callPhone: (ext, from) => model.browsers.callPhone(ext, from),
    webphoneRegistrations: () => sip.registrations(),
    webphoneCalls: () => sip.calls(),
    dropWebphones: () => sip.drop(),
    mohOf: (id) => model.mohOf(id),
    stopAri: () => ari.stop(),
    startAri: () => ari.start(),
    stopAmi: async () => {
      const current = ami;
      ami = undefined;
      await current?.close();
    },
    startAmi,
    close: async () => {
      await sip.close();
      await ari.stop();
      const current = ami;
      ami = undefined;
      await current?.close();
      model.close();
      logger.info('emulator: Asterisk emulator stopped');
    },
  };
}

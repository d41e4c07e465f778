/**
 * The Asterisk emulator: an in-process fake Asterisk speaking ARI (HTTP + WebSocket) and AMI
 * (TCP) on loopback, so the production adapters run against it unchanged. See README.md.
 */
import { mkdir } from 'node:fs/promises';
import { systemClock } from '../../kernel/clock.js';
import { silentLogger, type Logger } from '../../kernel/logger.js';
import type { ChannelSnapshot } from '../call-control.js';
import { startAmiServer, type AmiServer } from './ami-server.js';
import { AriServer } from './ari-server.js';
import { AsteriskModel } from './model.js';
import { Webphones, type WebphoneCall, type WebphoneRegistration } from './sip/webphones.js';
import type { PhoneBehaviour, SpanSignalling } from './types.js';

export { AriError } from './types.js';
export type { SpanInfo, EndpointInfo, PhoneBehaviour, SpanSignalling } from './types.js';
export type { WebphoneCall, WebphoneRegistration } from './sip/webphones.js';

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
  phones?: { ext: string; registered?: boolean; answerAfterMs?: number; behaviour?: PhoneBehaviour; password?: string }[];
  /** Music-on-hold classes configured (musiconhold.conf); default `['default']`, what config/asterisk ships. */
  mohClasses?: string[];
  logger?: Logger;
}

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
  /** An agent phone that is ringing answers now. */
  answerPhone(ext: string): Promise<void>;
  setPhone(ext: string, p: { registered?: boolean; answerAfterMs?: number; behaviour?: PhoneBehaviour }): void;
  setSpanAlarm(span: number, alarm: 'red' | 'yellow' | 'blue' | 'clear'): void;
  channels(): ChannelSnapshot[];
  /** An emulated colleague dials a phone directly; the call stays up until either side hangs up. */
  callPhone(ext: string, from: { name: string; number: string }): { channelId: string };
  /** The SIP password a browser registers with as this phone (made on first use; the phone then waits for a browser). */
  webphonePassword(ext: string): string;
  /** Browsers registered over SIP WebSocket. */
  webphoneRegistrations(): WebphoneRegistration[];
  /** Calls on browsers, with their media counters and the digits received. */
  webphoneCalls(): WebphoneCall[];
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
  await mkdir(options.recordingsDir, { recursive: true, mode: 0o700 });
  const model = new AsteriskModel({
    recordingsDir: options.recordingsDir,
    speed: options.speed,
    spans: options.spans ?? [{ span: 1, signalling: 'pri_cpe', group: 1 }],
    trunks: options.trunks ?? ['trunk1'],
    phones: options.phones ?? defaultPhones,
    ...(options.mohClasses ? { mohClasses: options.mohClasses } : {}),
    logger,
  });
  const ariUser = options.ari?.user ?? 'atende';
  const ariPassword = options.ari?.password ?? 'atende-emulator';
  let webphones: Webphones | undefined;
  const ari = new AriServer({
    model,
    port: options.ari?.port ?? 0,
    user: ariUser,
    password: ariPassword,
    logger,
    sip: { accept: (ws, remote) => webphones?.accept(ws, remote) },
  });
  const amiUser = options.ami?.user ?? 'atende';
  const amiSecret = options.ami?.secret ?? 'atende-emulator';
  let amiPort = options.ami?.port ?? 0;
  let ami: AmiServer | undefined;
  const startAmi = async () => {
    if (ami) return;
    ami = await startAmiServer({ backend: model, port: amiPort, user: amiUser, secret: amiSecret, logger, version: '11.0.0' });
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
    placeInboundCall: async (call) => model.placeInboundCall(call),
    sendDtmf: (channelId, digits) => model.farDtmf(channelId, digits),
    hangup: async (channelId, cause) => model.farHangup(channelId, cause),
    answerPhone: async (ext) => model.answerPhone(ext),
    setPhone: (ext, p) => model.setPhone(ext, p),
    setSpanAlarm: (span, alarm) => model.setSpanAlarm(span, alarm),
    channels: () => model.channels(),
    callPhone: (ext, from) => model.callPhone(ext, from),
    webphonePassword: (ext) => model.webphonePassword(ext),
    webphoneRegistrations: () => sip.registrations(),
    webphoneCalls: () => sip.calls(),
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

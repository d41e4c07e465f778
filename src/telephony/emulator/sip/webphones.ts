/**
 * Browsers registered over SIP WebSocket, tied to the emulated Asterisk: the SIP server's
 * host (who the endpoints are, what the phone did) on one side, the model's webphone hooks
 * (ring a browser, a channel ended) on the other, and the media pump that sends every
 * answered browser call what its channel hears, a 20 ms G.711 frame at a time.
 *
 * What a browser hears: another browser bridged with it (its microphone, relayed), or an
 * emulated voice — a pulsed 440 Hz tone, steady enough for a level meter and pulsed so that
 * Chrome's noise suppression does not flatten it — for an emulated caller, a prompt or music
 * on hold (the emulator has no sound files). Nothing is sent while the channel hears nothing,
 * as Asterisk sends no RTP then.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../kernel/clock.js';
import { encodeG711, rms } from '../g711.js';
import type { AsteriskModel } from '../model.js';
import { pcmTone } from '../wav.js';
import type { Contact } from './registrar.js';
import { DEFAULT_AOR } from './registrar.js';
import { SipWsServer, type SipHost } from './sip-ws-server.js';
import { FRAME_MS, FRAME_SAMPLES, type EncodedFrame, type WebRtcLegOptions } from './webrtc-leg.js';

/** A browser's registration, as the emulator's control surface shows it. */
export interface WebphoneRegistration {
  aor: string;
  uri: string;
  userAgent: string;
  expiresInS: number;
}

/** A call on a browser, with what its media carried. */
export interface WebphoneCall {
  channelId: string;
  aor: string;
  held: boolean;
  connection: string;
  packetsSent: number;
  packetsReceived: number;
  /** Loudest 20 ms frame the browser sent, RMS of 16-bit PCM (0: silence). */
  peakLevel: number;
  digits: string;
}

interface CallMedia {
  aor: string;
  digits: string;
  peakLevel: number;
  /** The browser's last frame, for a browser bridged with it. */
  lastFrame?: Buffer;
}

/** The emulated voice, one second of 20 ms frames, encoded once for each codec a browser may take. */
const VOICE: readonly EncodedFrame[] = (() => {
  const pcm = pcmTone(1000, 440, 6000, 100);
  const frames: EncodedFrame[] = [];
  for (let at = 0; at + FRAME_SAMPLES * 2 <= pcm.length; at += FRAME_SAMPLES * 2) {
    const frame = pcm.subarray(at, at + FRAME_SAMPLES * 2);
    frames.push({ PCMU: encodeG711(frame, 'PCMU'), PCMA: encodeG711(frame, 'PCMA') });
  }
  return frames;
})();

export interface WebphonesOptions {
  model: AsteriskModel;
  clock: Clock;
  logger: Logger;
  /** Host[:port] the SIP server names itself with. */
  serverHost: string;
  media?: WebRtcLegOptions;
}

export class Webphones {
  readonly server: SipWsServer;
  private readonly media = new Map<string, CallMedia>();
  /** Runs while a browser has a call: an emulator no browser uses spends nothing on media. */
  private pump?: NodeJS.Timeout;
  private voiceFrame = 0;

  constructor(private readonly o: WebphonesOptions) {
    const { model } = o;
    const { endpoints, browsers } = model;
    const host: SipHost = {
      endpoint: (name) => {
        const e = endpoints.phoneEndpoint(name);
        if (!e) return undefined;
        return { ...(e.password !== undefined ? { password: e.password } : {}), aor: { ...DEFAULT_AOR, maxContacts: e.maxContacts }, callerId: e.callerId };
      },
      contactsChanged: (aor, contacts) => {
        if (endpoints.hasPhone(aor)) endpoints.setPhone(aor, { registered: contacts.length > 0 });
      },
      placeCall: (aor, dialled) => {
        const { channelId } = browsers.place(aor, dialled);
        this.track(channelId, aor);
        return channelId;
      },
      answered: (id) => browsers.answered(id),
      ringing: (id) => browsers.ringing(id),
      ended: (id, cause) => {
        browsers.ended(id, cause);
        this.untrack(id);
      },
      hold: (id, held) => browsers.hold(id, held),
      dtmf: (id, digit, durationMs) => {
        const m = this.media.get(id);
        if (m) m.digits += digit;
        browsers.dtmf(id, digit, durationMs);
      },
      audio: (id, pcm) => {
        const m = this.media.get(id);
        if (!m) return;
        m.lastFrame = pcm;
        m.peakLevel = Math.max(m.peakLevel, Math.round(rms(pcm)));
      },
    };
    this.server = new SipWsServer({ host, clock: o.clock, logger: o.logger, serverHost: o.serverHost, ...(o.media ? { media: o.media } : {}) });
    model.world.webphones = {
      registered: (aor) => this.server.contacts(aor).length > 0,
      ring: (channelId, aor, caller) => {
        if (!this.server.ring(channelId, aor, caller)) return false;
        this.track(channelId, aor);
        return true;
      },
      ended: (channelId, cause) => {
        this.server.hangup(channelId, cause);
        this.untrack(channelId);
      },
      ringback: (channelId) => this.server.ringing(channelId),
      answered: (channelId) => this.server.answer(channelId),
    };
  }

  private track(channelId: string, aor: string): void {
    this.media.set(channelId, { aor, digits: '', peakLevel: 0 });
    if (this.pump) return;
    // Media runs in real time, as RTP does; nothing in the call logic waits on it.
    this.pump = setInterval(() => this.tick(), FRAME_MS);
    this.pump.unref();
  }

  private untrack(channelId: string): void {
    this.media.delete(channelId);
    if (this.media.size > 0 || !this.pump) return;
    clearInterval(this.pump);
    this.pump = undefined;
  }

  private tick(): void {
    const voice = VOICE[this.voiceFrame]!;
    this.voiceFrame = (this.voiceFrame + 1) % VOICE.length;
    for (const channelId of this.media.keys()) {
      const leg = this.server.leg(channelId);
      if (!leg) continue;
      const heard = this.o.model.browsers.heardBy(channelId);
      const frame = heard.kind === 'voice' ? voice : heard.kind === 'channel' ? this.media.get(heard.channelId)?.lastFrame : undefined;
      leg.sendFrame(frame);
    }
  }

  registrations(): WebphoneRegistration[] {
    const now = this.o.clock.now();
    return this.server.allContacts().map((c: Contact) => ({
      aor: c.aor,
      uri: c.uri,
      userAgent: c.userAgent,
      expiresInS: Math.max(0, Math.round((c.expiresAt - now) / 1000)),
    }));
  }

  calls(): WebphoneCall[] {
    return [...this.media].map(([channelId, m]) => {
      const stats = this.server.callStats(channelId);
      return {
        channelId,
        aor: m.aor,
        held: this.server.isHeld(channelId),
        connection: stats?.connection ?? 'closed',
        packetsSent: stats?.packetsSent ?? 0,
        packetsReceived: stats?.packetsReceived ?? 0,
        peakLevel: m.peakLevel,
        digits: m.digits,
      };
    });
  }

  /** Cuts every browser's WebSocket (a network blip); how many there were. */
  drop(): number {
    return this.server.dropConnections();
  }

  async close(): Promise<void> {
    clearInterval(this.pump);
    this.pump = undefined;
    await this.server.close();
  }
}

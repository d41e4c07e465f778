/**
 * The media of one WebRTC call leg, as chan_pjsip with `webrtc=yes` gives it: ICE, DTLS-SRTP,
 * rtcp-mux, G.711 (PCMU then PCMA; no Opus on a stock Asterisk) and RFC 4733 telephone
 * events, through werift (a WebRTC stack in TypeScript). Audio goes out as 20 ms G.711 RTP
 * frames handed in by the caller; audio coming in is decoded to 16-bit PCM for recordings
 * and for the other legs of a bridge.
 */
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { decodeG711, encodeG711, type G711 } from '../g711.js';
import { DtmfReceiver } from './rfc4733.js';
import { audioCodecs } from './sdp.js';

/** 20 ms of 8 kHz audio. */
export const FRAME_SAMPLES = 160;
export const FRAME_MS = 20;
const TELEPHONE_EVENT_PT = 101;

export interface LegStats {
  packetsSent: number;
  packetsReceived: number;
  connection: string;
}

/** A 20 ms frame already encoded for each codec, for a sound sent to many legs. */
export type EncodedFrame = Readonly<Record<G711, Buffer>>;

export interface WebRtcLegOptions {
  /** Extra host addresses to gather (e.g. `127.0.0.1`, which is left out by default). */
  additionalHostAddresses?: string[];
  /** How long to wait for ICE gathering before sending what we have. */
  gatherTimeoutMs?: number;
}

function codecs(): RTCRtpCodecParameters[] {
  return [
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: TELEPHONE_EVENT_PT, parameters: '0-16' }),
  ];
}

export class WebRtcLeg {
  private readonly pc: RTCPeerConnection;
  private readonly track = new MediaStreamTrack({ kind: 'audio' });
  private transceiver?: RTCRtpTransceiver;
  private seq = Math.floor(Math.random() * 0xffff);
  private timestamp = Math.floor(Math.random() * 0xffffffff);
  private silentFrames = 0;
  private telephoneEventPt = TELEPHONE_EVENT_PT;
  private readonly dtmf = new DtmfReceiver();
  private audioListener?: (pcm: Buffer) => void;
  private dtmfListener?: (digit: string, durationMs: number) => void;
  private closed = false;
  readonly stats: LegStats = { packetsSent: 0, packetsReceived: 0, connection: 'new' };

  constructor(private readonly options: WebRtcLegOptions = {}) {
    this.pc = new RTCPeerConnection({
      codecs: { audio: codecs() },
      iceUseIpv4: true,
      iceUseIpv6: false,
      ...(options.additionalHostAddresses ? { iceAdditionalHostAddresses: options.additionalHostAddresses } : {}),
    });
    this.pc.connectionStateChange.subscribe((s) => {
      this.stats.connection = s;
    });
    this.pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => this.receive(rtp));
    });
  }

  /** An INVITE with an offer came in: our answer. */
  async answer(offer: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const te = audioCodecs(offer).telephoneEvent;
    if (te !== undefined) this.telephoneEventPt = te;
    this.transceiver = this.pc.getTransceivers().find((t) => t.kind === 'audio');
    if (!this.transceiver) throw new Error('the offer has no audio stream');
    this.transceiver.setDirection('sendrecv');
    await this.transceiver.sender.replaceTrack(this.track);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.localSdp();
  }

  /** We send the INVITE: our offer. */
  async offer(): Promise<string> {
    this.transceiver = this.pc.addTransceiver(this.track, { direction: 'sendrecv' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.localSdp();
  }

  /** The far end answered our offer. */
  async accept(answer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  /** Our SDP once candidates are gathered (SIP carries no trickled candidates). */
  private async localSdp(): Promise<string> {
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.gatherTimeoutMs ?? 3000);
        this.pc.iceGatheringStateChange.subscribe((s) => {
          if (s === 'complete') {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    }
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    return sdp;
  }

  onAudio(listener: (pcm: Buffer) => void): void {
    this.audioListener = listener;
  }

  onDtmf(listener: (digit: string, durationMs: number) => void): void {
    this.dtmfListener = listener;
  }

  private receive(rtp: RtpPacket): void {
    if (this.closed) return;
    const pt = rtp.header.payloadType;
    if (pt === this.telephoneEventPt) {
      const digit = this.dtmf.push(rtp.header.timestamp, rtp.payload);
      if (digit) this.dtmfListener?.(digit.digit, digit.durationMs);
      return;
    }
    const codec: G711 | undefined = pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : undefined;
    if (!codec) return;
    this.stats.packetsReceived++;
    this.audioListener?.(decodeG711(rtp.payload, codec));
  }

  /** The codec the browser accepted for what we send. */
  private sendCodec(): G711 | undefined {
    const mime = this.transceiver?.sender.codec?.mimeType.toUpperCase();
    return mime === 'AUDIO/PCMU' ? 'PCMU' : mime === 'AUDIO/PCMA' ? 'PCMA' : undefined;
  }

  /**
   * One 20 ms frame (160 samples of 16-bit PCM, or already encoded) or nothing (a tick with
   * nothing to play: Asterisk sends no RTP then, but the timestamp keeps running).
   */
  sendFrame(frame: Buffer | EncodedFrame | undefined): void {
    const codec = this.sendCodec();
    if (this.closed || this.stats.connection !== 'connected' || !codec) return;
    if (!frame) {
      this.silentFrames++;
      this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
      return;
    }
    const marker = this.silentFrames > 0 || this.stats.packetsSent === 0;
    this.silentFrames = 0;
    const header = new RtpHeader({ payloadType: codec === 'PCMU' ? 0 : 8, sequenceNumber: this.seq, timestamp: this.timestamp, marker });
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    this.track.writeRtp(new RtpPacket(header, Buffer.isBuffer(frame) ? encodeG711(frame, codec) : frame[codec]));
    this.stats.packetsSent++;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.track.stop();
    await this.pc.close().catch(() => undefined);
  }
}

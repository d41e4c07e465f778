/**
 * RFC 4733 telephone events (DTMF carried in RTP): decoding what a browser's RTCDTMFSender
 * sends. An event is one RTP timestamp: several packets with a growing duration, the last
 * three with the end bit.
 * Pure.
 */

const EVENT_CHARS = '0123456789*#ABCD';

export interface TelephoneEvent {
  digit: string;
  end: boolean;
  volume: number;
  /** In timestamp units (8 kHz: 8 per ms). */
  duration: number;
}

export function decodeTelephoneEvent(payload: Buffer): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  const event = payload.readUInt8(0);
  const digit = EVENT_CHARS[event];
  if (digit === undefined) return undefined;
  const flags = payload.readUInt8(1);
  return { digit, end: (flags & 0x80) !== 0, volume: flags & 0x3f, duration: payload.readUInt16BE(2) };
}

/** Turns the packets of a stream into digits: one per event, reported at its first end packet. */
export class DtmfReceiver {
  private lastEnded?: number;

  constructor(private readonly clockRate = 8000) {}

  /** A digit with its duration in ms when this packet ends an event not yet reported. */
  push(timestamp: number, payload: Buffer): { digit: string; durationMs: number } | undefined {
    const e = decodeTelephoneEvent(payload);
    if (!e || !e.end || this.lastEnded === timestamp) return undefined;
    this.lastEnded = timestamp;
    return { digit: e.digit, durationMs: Math.round((e.duration * 1000) / this.clockRate) };
  }
}

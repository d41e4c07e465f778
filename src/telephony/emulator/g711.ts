/**
 * G.711 frames for the emulator's RTP: whole buffers of 16-bit PCM to µ-law / A-law and
 * back (the per-sample encoders live in wav.ts, next to the recordings that use them).
 */
import { linearToAlaw, linearToUlaw } from './wav.js';

export type G711 = 'PCMU' | 'PCMA';

function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const sign = a & 0x80;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  magnitude = Math.min(magnitude, 32767);
  return sign ? magnitude : -magnitude;
}

/** 16-bit little-endian PCM → one G.711 byte per sample. */
export function encodeG711(pcm: Buffer, codec: G711): Buffer {
  const out = Buffer.alloc(pcm.length >> 1);
  const enc = codec === 'PCMU' ? linearToUlaw : linearToAlaw;
  for (let i = 0; i < out.length; i++) out[i] = enc(pcm.readInt16LE(i * 2));
  return out;
}

/** One G.711 byte per sample → 16-bit little-endian PCM. */
export function decodeG711(payload: Buffer, codec: G711): Buffer {
  const out = Buffer.alloc(payload.length * 2);
  const dec = codec === 'PCMU' ? ulawToLinear : alawToLinear;
  for (let i = 0; i < payload.length; i++) out.writeInt16LE(dec(payload[i] ?? 0), i * 2);
  return out;
}

/** Root-mean-square level of 16-bit PCM: 0 for digital silence. */
export function rms(pcm: Buffer): number {
  const n = pcm.length >> 1;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = pcm.readInt16LE(i * 2);
    sum += v * v;
  }
  return Math.sqrt(sum / n);
}

/**
 * Minimal WAV (RIFF) support: enough to learn a prompt's duration from its header and to
 * write the 8 kHz 16-bit mono PCM files that Asterisk's `wav` format produces.
 */
import { open, writeFile } from 'node:fs/promises';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes of audio in the `data` chunk. */
  dataBytes: number;
  durationMs: number;
}

/** Parses a RIFF/WAVE header; returns undefined when the bytes are not a WAV file. */
export function parseWavHeader(buf: Buffer, fileSize?: number): WavInfo | undefined {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let fmt: { channels: number; sampleRate: number; byteRate: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= buf.length) {
      fmt = {
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        byteRate: buf.readUInt32LE(body + 8),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data' && fmt) {
      // A header written while recording may carry a size of 0 or 0xffffffff: trust the file size then.
      let dataBytes = size;
      if (fileSize !== undefined && (size === 0 || size === 0xffffffff || body + size > fileSize)) dataBytes = Math.max(0, fileSize - body);
      const durationMs = fmt.byteRate > 0 ? Math.round((dataBytes / fmt.byteRate) * 1000) : 0;
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, bitsPerSample: fmt.bitsPerSample, dataBytes, durationMs };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}

/** Reads only the header of a WAV file; undefined when missing or not a WAV. */
export async function readWavInfo(path: string): Promise<WavInfo | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(size, 4096));
    await handle.read(buf, 0, buf.length, 0);
    return parseWavHeader(buf, size);
  } finally {
    await handle.close();
  }
}

/** A 44-byte canonical header for PCM data. */
export function wavHeader(dataBytes: number, sampleRate = 8000, channels = 1, bitsPerSample = 16): Buffer {
  const h = Buffer.alloc(44);
  const blockAlign = (channels * bitsPerSample) / 8;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/**
 * 8 kHz 16-bit mono PCM samples: a tone at `frequency` Hz (0 = silence), `amplitude` in
 * 0..32767. Pulsed tones (on/off every `pulseMs`) survive noise suppression better.
 */
export function pcmTone(durationMs: number, frequency = 0, amplitude = 2000, pulseMs = 0, sampleRate = 8000): Buffer {
  const samples = Math.max(0, Math.round((durationMs / 1000) * sampleRate));
  const pcm = Buffer.alloc(samples * 2);
  if (frequency > 0 && amplitude > 0) {
    for (let i = 0; i < samples; i++) {
      const on = pulseMs <= 0 || Math.floor((i * 1000) / sampleRate / pulseMs) % 2 === 0;
      const v = on ? Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate)) : 0;
      pcm.writeInt16LE(v, i * 2);
    }
  }
  return pcm;
}

/** Writes an 8 kHz 16-bit mono PCM WAV file. */
export async function writeWav(path: string, pcm: Buffer, sampleRate = 8000): Promise<void> {
  await writeFile(path, Buffer.concat([wavHeader(pcm.length, sampleRate), pcm]));
}

/** G.711 µ-law encoding of one 16-bit sample. */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s = Math.min(s, 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** G.711 A-law encoding of one 16-bit sample. */
export function linearToAlaw(sample: number): number {
  let s = sample >> 3;
  let mask: number;
  if (s >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    s = -s - 1;
  }
  const seg = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff].findIndex((end) => s <= end);
  if (seg < 0) return 0x7f ^ mask;
  const aval = (seg << 4) | (seg < 2 ? (s >> 1) & 0x0f : (s >> seg) & 0x0f);
  return aval ^ mask;
}

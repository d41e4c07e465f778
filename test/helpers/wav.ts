/**
 * WAV helpers for tests: write and read 8 kHz 16-bit mono PCM files (the format Asterisk
 * records and plays as `wav`).
 */
import { readFile } from 'node:fs/promises';
import { parseWavHeader, pcmTone, writeWav, type WavInfo } from '../../src/telephony/emulator/wav.js';

export { parseWavHeader, pcmTone, writeWav, type WavInfo };

/** Writes `durationMs` of a tone (or silence with frequency 0) as an 8 kHz 16-bit mono WAV. */
export async function writeToneWav(path: string, durationMs: number, frequency = 440): Promise<void> {
  await writeWav(path, pcmTone(durationMs, frequency, 8000));
}

/** Reads a WAV file's header; throws when the file is not a valid WAV. */
export async function readWav(path: string): Promise<WavInfo & { bytes: Buffer }> {
  const bytes = await readFile(path);
  const info = parseWavHeader(bytes, bytes.length);
  if (!info) throw new Error(`${path} is not a WAV file`);
  return { ...info, bytes };
}

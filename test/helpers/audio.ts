/**
 * Audio fixtures made on the spot with the same ffmpeg the daemon uses, and measurements of
 * what came out (so a test can say "a 440 Hz tone of 3 s went in, a 440 Hz tone of 3 s came out").
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { locateFfmpeg } from '../../src/telephony/media/index.js';
import { readWav, type WavInfo } from './wav.js';

const run = promisify(execFile);

export function ffmpegPath(): string {
  const binary = locateFfmpeg('');
  if (!binary) throw new Error('the bundled ffmpeg (@ffmpeg-installer/ffmpeg) is not installed');
  return binary.path;
}

export interface ToneOptions {
  durationS: number;
  frequency?: number;
  sampleRate?: number;
  channels?: number;
  /** ffmpeg encoder arguments, e.g. `['-c:a', 'libmp3lame', '-b:a', '128k']`. */
  codec: string[];
}

/** Writes a sine tone to `path` in the container its extension names. */
export async function makeTone(path: string, o: ToneOptions): Promise<void> {
  const { durationS, frequency = 440, sampleRate = 44100, channels = 2, codec } = o;
  await run(ffmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=${sampleRate}:duration=${durationS}`,
    '-ac', String(channels), ...codec, path,
  ]);
}

export const MP3 = ['-c:a', 'libmp3lame', '-b:a', '128k'];
export const OGG_VORBIS = ['-c:a', 'libvorbis', '-q:a', '4'];
export const OGG_OPUS = ['-c:a', 'libopus', '-b:a', '48k'];
export const WAV_44K = ['-c:a', 'pcm_s16le'];

export interface Heard extends WavInfo {
  /** Audio format tag from the `fmt ` chunk (1 = PCM). */
  formatTag: number;
  /** Dominant frequency estimated from zero crossings, in Hz. */
  frequency: number;
  /** Root mean square of the samples (0 = silence). */
  rms: number;
}

/** Reads a WAV file and measures what a listener would hear in it. */
export async function listen(path: string): Promise<Heard> {
  const wav = await readWav(path);
  const formatTag = wav.bytes.readUInt16LE(20);
  const pcm = wav.bytes.subarray(wav.bytes.length - wav.dataBytes);
  const n = pcm.length / 2;
  let crossings = 0;
  let sumSquares = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = pcm.readInt16LE(i * 2);
    sumSquares += v * v;
    if (i > 0 && (prev < 0) !== (v < 0)) crossings++;
    prev = v;
  }
  const seconds = n / wav.sampleRate;
  return { ...wav, formatTag, frequency: seconds > 0 ? crossings / 2 / seconds : 0, rms: n > 0 ? Math.sqrt(sumSquares / n) : 0 };
}

/** Length of a raw A-law file in milliseconds (one byte per 8 kHz sample). */
export async function alawMs(path: string): Promise<number> {
  return ((await readFile(path)).length * 1000) / 8000;
}

/** What ffmpeg itself says a file's duration is, in milliseconds. */
export async function sourceDurationMs(path: string): Promise<number> {
  const res = await run(ffmpegPath(), ['-hide_banner', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' }).catch(
    (e: { stderr: string }) => ({ stderr: e.stderr }),
  );
  const times = [...res.stderr.matchAll(/time=(\d+):(\d+):(\d+\.\d+)/g)];
  const last = times[times.length - 1];
  if (!last) throw new Error(`no duration for ${path}: ${res.stderr}`);
  return Math.round((Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3])) * 1000);
}

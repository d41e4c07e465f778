/**
 * The one place that runs ffmpeg (through fluent-ffmpeg): any accepted input in, the files
 * Asterisk plays natively out.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { invalidField, unavailable, type AppError } from '../../kernel/index.js';
import { alawDurationMs, parseFfmpegDuration } from './media.logic.js';
import { TELEPHONY_SAMPLE_RATE, type UploadFormat } from './media.model.js';

export interface FfmpegBinary {
  path: string;
  /** `configured` (ATENDE_FFMPEG_PATH) or `bundled` (the npm package's binary). */
  origin: 'configured' | 'bundled';
}

/**
 * The ffmpeg to run: the configured one, else the binary that `@ffmpeg-installer/ffmpeg`
 * brought with `npm install` for this platform. Undefined when neither exists; conversions
 * then answer 503 naming the setting.
 */
export function locateFfmpeg(configured: string): FfmpegBinary | undefined {
  if (configured.trim() !== '') return { path: configured.trim(), origin: 'configured' };
  try {
    // The package throws (a string) at load on a platform it has no binary for.
    const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string };
    return { path: installer.path, origin: 'bundled' };
  } catch {
    return undefined;
  }
}

export type ConvertInput =
  /** A file whose container was sniffed: ffmpeg is told the format instead of guessing it. */
  | { kind: 'file'; path: string; format: UploadFormat }
  /** Signed 16-bit little-endian mono samples (what the speech synthesizer produces). */
  | { kind: 'pcm'; samples: Buffer; sampleRate: number };

export interface ConvertOptions {
  maxDurationMs: number;
  /** The request field the input came from, named in every error about it. */
  field: string;
  /** A conversion still running after this long is killed (a pathological input). */
  timeoutSeconds?: number;
}

const MAX_CONVERT_SECONDS = 300;

const tooLong = (field: string, maxMs: number) =>
  invalidField(field, `the audio is longer than the ${Math.round(maxMs / 1000)} s allowed`);

function inputOptions(input: ConvertInput, maxDurationMs: number): string[] {
  // Reading a little past the limit is enough to tell that the input exceeds it.
  const readLimit = ['-t', String(Math.ceil(maxDurationMs / 1000) + 1)];
  if (input.kind === 'pcm') return ['-f', 's16le', '-ar', String(input.sampleRate), '-ac', '1', ...readLimit];
  return ['-protocol_whitelist', 'file,pipe', '-f', input.format, ...readLimit];
}

/** The first audio stream, as mono 8 kHz, with no metadata, so the same input gives the same bytes. */
const commonOutput = ['-map', '0:a:0', '-map_metadata', '-1', '-ac', '1', '-ar', String(TELEPHONY_SAMPLE_RATE), '-fflags', '+bitexact'];

/**
 * Converts `input` into `<outBase>.wav` (8 kHz 16-bit mono PCM) and `<outBase>.alaw` (raw
 * A-law) and returns the exact duration in milliseconds. Bad input is a 400 naming
 * `options.field`: not decodable, no audio in it, or longer than allowed.
 */
export async function convertForTelephony(
  binary: FfmpegBinary | undefined,
  input: ConvertInput,
  outBase: string,
  options: ConvertOptions,
): Promise<number> {
  if (!binary) throw unavailable('no ffmpeg: install the npm dependencies or set ATENDE_FFMPEG_PATH', { setting: 'ATENDE_FFMPEG_PATH' });
  // fluent-ffmpeg throws from inside its exit handler when the binary cannot be spawned.
  await access(binary.path, constants.X_OK).catch(() => {
    throw unavailable(`ffmpeg could not be run at ${binary.path}`, { setting: 'ATENDE_FFMPEG_PATH' });
  });
  const { field, maxDurationMs } = options;
  const source = input.kind === 'file' ? input.path : Readable.from([input.samples]);
  const command = ffmpeg(source, { timeout: options.timeoutSeconds ?? MAX_CONVERT_SECONDS })
    .setFfmpegPath(binary.path)
    .inputOptions(inputOptions(input, maxDurationMs))
    .output(`${outBase}.wav`)
    .outputOptions([...commonOutput, '-c:a', 'pcm_s16le', '-flags:a', '+bitexact', '-f', 'wav'])
    .output(`${outBase}.alaw`)
    .outputOptions([...commonOutput, '-c:a', 'pcm_alaw', '-f', 'alaw']);

  await new Promise<void>((resolve, reject) => {
    let refused: AppError | undefined;
    command.on('codecData', (data: { duration?: string }) => {
      const declared = parseFfmpegDuration(data.duration);
      if (declared !== undefined && declared > maxDurationMs) {
        refused = tooLong(field, maxDurationMs);
        command.kill('SIGKILL');
      }
    });
    command.on('end', () => resolve());
    command.on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
      if (refused) return reject(refused);
      if (/timeout/i.test(err.message)) return reject(invalidField(field, 'the audio took too long to convert'));
      if (/matches no streams/.test(stderr ?? '')) return reject(invalidField(field, 'the file contains no audio'));
      const what = input.kind === 'file' ? input.format.toUpperCase() : 'audio';
      reject(invalidField(field, `the file could not be decoded as ${what}`));
    });
    command.run();
  });

  const { size } = await stat(`${outBase}.alaw`);
  if (size === 0) throw invalidField(field, 'the file contains no audio');
  const durationMs = alawDurationMs(size);
  if (durationMs > maxDurationMs) throw tooLong(field, maxDurationMs);
  return durationMs;
}

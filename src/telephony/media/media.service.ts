import { open } from 'node:fs/promises';
import { invalidField, limitConcurrency, type Clock, type Logger } from '../../kernel/index.js';
import { convertForTelephony, locateFfmpeg, type FfmpegBinary } from './ffmpeg.js';
import { SNIFF_BYTES, espeakVoice, sniffAudio } from './media.logic.js';
import type { MediaLimits, SpeechRequest, TelephonyAudio } from './media.model.js';
import { createSpeechSynthesizer, type SpeechSynthesizer } from './tts.js';

/**
 * Turns what an admin gives (an uploaded file, or text to speak) into the two files Asterisk
 * plays, `<outBase>.wav` and `<outBase>.alaw`. Knows nothing of HTTP or of where prompts live.
 */
export interface MediaService {
  readonly ffmpeg: FfmpegBinary | undefined;
  readonly limits: MediaLimits;
  /** Refuses (400 naming `field`) anything that is not WAV, MP3 or OGG audio, whatever its name says. */
  convertUpload(path: string, outBase: string, field: string): Promise<TelephonyAudio>;
  speak(request: SpeechRequest, outBase: string, field: string): Promise<TelephonyAudio>;
  close(): Promise<void>;
}

export interface MediaServiceOptions {
  ffmpegPath: string;
  limits: MediaLimits;
  clock: Clock;
  logger: Logger;
  /** Injected in tests; by default eSpeak NG in a worker thread. */
  synthesizer?: SpeechSynthesizer;
  /** Conversions that may run at once (default 1). */
  maxConversions?: number;
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function createMediaService(o: MediaServiceOptions): MediaService {
  const ffmpeg = locateFfmpeg(o.ffmpegPath);
  const synthesizer = o.synthesizer ?? createSpeechSynthesizer({ clock: o.clock, logger: o.logger });
  const maxDurationMs = o.limits.maxDurationMs;
  // ffmpeg takes a core while it runs; calls are handled on the others.
  const converting = limitConcurrency(o.maxConversions ?? 1);
  if (ffmpeg) o.logger.info({ ffmpeg: ffmpeg.path, origin: ffmpeg.origin }, 'prompt conversion uses this ffmpeg');
  else o.logger.warn('no ffmpeg for this platform: prompt uploads are refused until ATENDE_FFMPEG_PATH names one');

  return {
    ffmpeg,
    limits: o.limits,
    async convertUpload(path, outBase, field) {
      const format = sniffAudio(await readHead(path));
      if (!format) throw invalidField(field, 'the file is not WAV, MP3 or OGG audio');
      const durationMs = await converting(() => convertForTelephony(ffmpeg, { kind: 'file', path, format }, outBase, { maxDurationMs, field }));
      return { durationMs, source: format };
    },
    async speak(request, outBase, field) {
      const text = request.text.trim();
      if (text === '') throw invalidField(field, 'the text to speak is empty');
      const speech = await synthesizer.speak(text, espeakVoice(request.language, request.voice), request.rate);
      if (speech.samples.length === 0) throw invalidField(field, 'the text has nothing to speak');
      const input = { kind: 'pcm' as const, samples: speech.samples, sampleRate: speech.sampleRate };
      const durationMs = await converting(() => convertForTelephony(ffmpeg, input, outBase, { maxDurationMs, field }));
      return { durationMs, source: 'speech' };
    },
    close: () => synthesizer.close(),
  };
}

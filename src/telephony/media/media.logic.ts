import { TELEPHONY_SAMPLE_RATE, type TtsLanguage, type TtsVoice, type UploadFormat } from './media.model.js';

/** How many leading bytes `sniffAudio` needs to decide. */
export const SNIFF_BYTES = 16;

/** A plausible MPEG audio frame header (sync, version, layer, bitrate and rate not reserved). */
function isMpegFrame(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || (b[1]! & 0xe0) !== 0xe0) return false;
  const version = (b[1]! >> 3) & 0x03;
  const layer = (b[1]! >> 1) & 0x03;
  const bitrate = b[2]! >> 4;
  const rate = (b[2]! >> 2) & 0x03;
  return version !== 1 && layer !== 0 && bitrate !== 0x0f && rate !== 0x03;
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/**
 * The container of an uploaded file, from its first bytes only (the name and the declared
 * content type are the sender's claims, not evidence). Undefined when it is none we accept.
 */
export function sniffAudio(head: Uint8Array): UploadFormat | undefined {
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return 'wav';
  if (head.length >= 4 && ascii(head, 0, 4) === 'OggS') return 'ogg';
  if (head.length >= 10 && ascii(head, 0, 3) === 'ID3' && head[3]! < 0xff && head[4]! < 0xff) return 'mp3';
  if (isMpegFrame(head)) return 'mp3';
  return undefined;
}

/** ffmpeg's `HH:MM:SS.cc` duration in milliseconds; undefined for `N/A` or anything else. */
export function parseFfmpegDuration(text: string | undefined): number | undefined {
  const m = /^(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  return Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

/** A-law carries one byte per 8 kHz sample, so its length is the exact duration. */
export const alawDurationMs = (bytes: number): number => Math.round((bytes * 1000) / TELEPHONY_SAMPLE_RATE);

const ESPEAK_LANGUAGE: Record<TtsLanguage, string> = {
  'pt-BR': 'roa/pt-BR',
  'pt-PT': 'roa/pt',
  'en-US': 'gmw/en-US',
  'es-ES': 'roa/es',
};

/** eSpeak's voices are male by default; a variant gives the female timbre. */
const ESPEAK_VARIANT: Record<TtsVoice, string> = { male: '', female: '+f3' };

/** The eSpeak voice name for a language and voice, e.g. `roa/pt-BR+f3`. */
export const espeakVoice = (language: TtsLanguage, voice: TtsVoice): string => `${ESPEAK_LANGUAGE[language]}${ESPEAK_VARIANT[voice]}`;

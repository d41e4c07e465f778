/** The audio containers an admin may upload; anything else is refused before ffmpeg sees it. */
export type UploadFormat = 'wav' | 'mp3' | 'ogg';

export const UPLOAD_FORMATS: readonly UploadFormat[] = ['wav', 'mp3', 'ogg'];

/**
 * What Asterisk plays natively, side by side under one name without extension: `.wav` is
 * 8 kHz 16-bit mono PCM (format_wav, signed linear) and `.alaw` raw G.711 A-law (format_pcm).
 * Asterisk picks the file that needs the least translation for the channel: A-law on an E1
 * span, signed linear elsewhere.
 */
export const TELEPHONY_EXTENSIONS = ['wav', 'alaw'] as const;
export type TelephonyExtension = (typeof TELEPHONY_EXTENSIONS)[number];

export const TELEPHONY_SAMPLE_RATE = 8000;

/** Languages the built-in text-to-speech speaks (BCP 47, as prompts are tagged). */
export const TTS_LANGUAGES = ['pt-BR', 'pt-PT', 'en-US', 'es-ES'] as const;
export type TtsLanguage = (typeof TTS_LANGUAGES)[number];

export const TTS_VOICES = ['female', 'male'] as const;
export type TtsVoice = (typeof TTS_VOICES)[number];

/** What the built-in text to speech offers. Rates are words per minute. */
export const SPEECH_CHOICES = {
  languages: TTS_LANGUAGES,
  voices: TTS_VOICES,
  defaultVoice: 'female',
  minRate: 80,
  maxRate: 300,
  /** Slower than eSpeak's 175, because phone lines blur fast speech. */
  defaultRate: 150,
  maxTextLength: 2000,
} as const;

export interface SpeechRequest {
  text: string;
  language: TtsLanguage;
  voice: TtsVoice;
  rate: number;
}

/** The result of turning any accepted input into the telephony files. */
export interface TelephonyAudio {
  /** Exact, from the number of 8 kHz samples written. */
  durationMs: number;
  /** What the input was (`speech` for text to speech). */
  source: UploadFormat | 'speech';
}

export interface MediaLimits {
  maxUploadBytes: number;
  maxDurationMs: number;
}

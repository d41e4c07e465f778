import { Type, type Static } from '@sinclair/typebox';
import { MultilineText, Nullable, RequiredText, Timestamps, closed } from '../../http/schemas.js';
import { SPEECH_CHOICES as SPEECH, TTS_LANGUAGES, TTS_VOICES, UPLOAD_FORMATS } from '../../telephony/media/index.js';

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});

export const PromptName = RequiredText({ maxLength: 80, description: 'what admins pick it by (unique in the tenant)' });
export const PromptDescription = Nullable(MultilineText({ maxLength: 500 }));
/** BCP 47, as Asterisk's sound directories name languages: `pt-BR`, `en-US`, `es`. */
export const PromptLanguage = Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', maxLength: 6, description: 'language spoken in it (pt-BR when not given)' });

export const SpeechBody = Type.Object(
  {
    text: MultilineText({ minLength: 1, maxLength: SPEECH.maxTextLength, description: 'what the built-in text to speech says' }),
    voice: Type.Optional(literals(TTS_VOICES)),
    rate: Type.Optional(Type.Integer({ minimum: SPEECH.minRate, maximum: SPEECH.maxRate, default: SPEECH.defaultRate, description: 'words per minute' })),
  },
  closed,
);
export type SpeechBody = Static<typeof SpeechBody>;

const AudioFile = Type.String({ format: 'binary', description: 'WAV, MP3 or OGG audio (recognised by its content, not its name)' });

/** Create by text to speech (JSON). */
export const PromptSpeechCreate = Type.Object(
  { name: PromptName, description: Type.Optional(PromptDescription), language: Type.Optional(PromptLanguage), speech: SpeechBody },
  closed,
);
/** Create by upload (multipart/form-data). */
export const PromptUploadCreate = Type.Object(
  { name: PromptName, description: Type.Optional(MultilineText({ maxLength: 500 })), language: Type.Optional(PromptLanguage), file: AudioFile },
  closed,
);
export type PromptSpeechCreate = Static<typeof PromptSpeechCreate>;
export type PromptUploadCreate = Static<typeof PromptUploadCreate>;

export const PromptPatch = Type.Object(
  { name: Type.Optional(PromptName), description: Type.Optional(PromptDescription), language: Type.Optional(PromptLanguage) },
  closed,
);

/** New audio for an existing prompt: new text to speak (JSON) or a new file (multipart). */
export const PromptSpeechAudio = Type.Object({ language: Type.Optional(PromptLanguage), speech: SpeechBody }, closed);
export const PromptUploadAudio = Type.Object({ file: AudioFile }, closed);
export type PromptSpeechAudio = Static<typeof PromptSpeechAudio>;

export const PromptView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  language: Type.String(),
  source: literals(['upload', 'tts'] as const),
  /** For uploads: the file's name as sent and the format found in it. */
  upload: Nullable(Type.Object({ fileName: Nullable(Type.String()), format: Type.String() })),
  /** For text to speech: what it says and how. */
  speech: Nullable(Type.Object({ text: Type.String(), voice: literals(TTS_VOICES), rate: Type.Integer() })),
  durationMs: Type.Integer(),
  /** Size of the 8 kHz WAV a browser downloads. */
  sizeBytes: Type.Integer(),
  /** Where a browser plays it (`<audio src>`). */
  audioUrl: Type.String(),
  ...Timestamps,
});
export type PromptView = Static<typeof PromptView>;

export type PromptSettings = Static<typeof PromptSettings>;
export const PromptSettings = Type.Object({
  maxUploadBytes: Type.Integer(),
  maxDurationSeconds: Type.Integer(),
  uploadFormats: Type.Array(literals(UPLOAD_FORMATS)),
  speech: Type.Object({
    languages: Type.Array(literals(TTS_LANGUAGES)),
    voices: Type.Array(literals(TTS_VOICES)),
    defaultVoice: literals(TTS_VOICES),
    minRate: Type.Integer(),
    maxRate: Type.Integer(),
    defaultRate: Type.Integer(),
    maxTextLength: Type.Integer(),
  }),
});

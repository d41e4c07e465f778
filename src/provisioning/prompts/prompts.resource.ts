import { eq } from 'drizzle-orm';
import { prompts } from '../../db/schema/index.js';
import { API_PREFIX } from '../../http/deps.js';
import { invalidField } from '../../kernel/index.js';
import type { ResourceDef } from '../../resources/index.js';
import { TTS_LANGUAGES, type PromptStore, type TtsLanguage, type TtsVoice } from '../../telephony/media/index.js';
import type { PromptView } from './prompts.schemas.js';

/** What the audio of a prompt is and where it came from. */
export type PromptAudio = {
  durationMs: number;
  wavBytes: number;
  wavSha256: string;
} & (
  | { source: 'upload'; originalName: string | null; format: string }
  | { source: 'tts'; text: string; voice: TtsVoice; rate: number }
);

/** A prompt as the service writes it. `files` is set only when the audio is new. */
export interface PromptInput {
  name: string;
  description: string | null;
  language: string;
  audio: PromptAudio;
  /** Converted files (`<base>.wav`, `<base>.alaw`) to install with the row, in its transaction. */
  files?: { base: string };
}

export const isTtsLanguage = (language: string): language is TtsLanguage => (TTS_LANGUAGES as readonly string[]).includes(language);

export const promptAudioUrl = (id: number) => `${API_PREFIX}/telephony/prompts/${id}/audio`;

type Row = typeof prompts.$inferSelect;

function audioOf(row: Row): PromptAudio {
  const common = { durationMs: row.durationMs, wavBytes: row.wavBytes, wavSha256: row.wavSha256 };
  return row.source === 'tts'
    ? { ...common, source: 'tts', text: row.ttsText ?? '', voice: (row.ttsVoice ?? 'female') as TtsVoice, rate: row.ttsRate ?? 0 }
    : { ...common, source: 'upload', originalName: row.originalName, format: row.sourceFormat ?? '' };
}

/**
 * Áudios. The audio comes from the service (converted before the row is written); the row and
 * the installed files commit together, because the files are placed inside the transaction.
 */
export function promptDef(store: PromptStore): ResourceDef<typeof prompts, PromptInput, PromptView> {
  return {
    label: 'prompt',
    entity: 'prompt',
    table: prompts,
    unique: { name: prompts.name },
    search: [prompts.name, prompts.description],
    sortable: { name: prompts.name, durationMs: prompts.durationMs, createdAt: prompts.createdAt },
    filter: (q) => [
      q.source === undefined ? undefined : eq(prompts.source, q.source as 'upload' | 'tts'),
      q.language === undefined ? undefined : eq(prompts.language, q.language as string),
    ],
    toColumns(input, w) {
      const { audio } = input;
      // Spoken text is in the prompt's language: changing one without the other would lie.
      if (audio.source === 'tts' && w.before && w.before.language !== input.language && !input.files) {
        throw invalidField('language', 'the language of a spoken prompt is the language of its text: give new text with PUT …/audio');
      }
      return {
        name: input.name,
        description: input.description?.trim() || null,
        language: input.language,
        source: audio.source,
        originalName: audio.source === 'upload' ? audio.originalName : null,
        sourceFormat: audio.source === 'upload' ? audio.format : null,
        ttsText: audio.source === 'tts' ? audio.text : null,
        ttsVoice: audio.source === 'tts' ? audio.voice : null,
        ttsRate: audio.source === 'tts' ? audio.rate : null,
        durationMs: audio.durationMs,
        wavBytes: audio.wavBytes,
        wavSha256: audio.wavSha256,
      };
    },
    toInput: (row) => ({ name: row.name, description: row.description, language: row.language, audio: audioOf(row) }),
    toView(row) {
      const audio = audioOf(row);
      return {
        id: row.id,
        tenantId: row.tenantId,
        name: row.name,
        description: row.description,
        language: row.language,
        source: audio.source,
        upload: audio.source === 'upload' ? { fileName: audio.originalName, format: audio.format } : null,
        speech: audio.source === 'tts' ? { text: audio.text, voice: audio.voice, rate: audio.rate } : null,
        durationMs: audio.durationMs,
        sizeBytes: audio.wavBytes,
        audioUrl: promptAudioUrl(row.id),
        createdAt: new Date(row.createdAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
      };
    },
    afterWrite(row, input) {
      if (input.files) store.install({ tenantId: row.tenantId, promptId: row.id }, input.files.base);
    },
  };
}

import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { resourceColumns } from './org.js';

/**
 * Áudios: prompts an admin uploaded or typed for the built-in text to speech. The audio itself
 * is in files named by id (src/telephony/media/prompt-store.ts); a row exists only while its
 * files do. Music-on-hold classes, announcements and IVRs point here by id.
 */
export const prompts = sqliteTable(
  'prompts',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description'),
    /** BCP 47 tag of the spoken language, e.g. `pt-BR`. */
    language: text('language').notNull(),
    source: text('source', { enum: ['upload', 'tts'] }).notNull(),
    /** Uploads: the file name as sent and the container found in its bytes (wav, mp3, ogg). */
    originalName: text('original_name'),
    sourceFormat: text('source_format'),
    /** Text to speech: what was spoken, by which voice, at how many words per minute. */
    ttsText: text('tts_text'),
    ttsVoice: text('tts_voice'),
    ttsRate: integer('tts_rate'),
    durationMs: integer('duration_ms').notNull(),
    /** Of the 8 kHz WAV served to browsers; its SHA-256 is the download's ETag. */
    wavBytes: integer('wav_bytes').notNull(),
    wavSha256: text('wav_sha256').notNull(),
  },
  (t) => [uniqueIndex('prompts_tenant_name_unique').on(t.tenantId, t.name)],
);

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { prompts } from '../../db/schema/index.js';
import type { Actor, ChangeContext } from '../../http/principal.js';
import { invalidField, type Logger } from '../../kernel/index.js';
import type { ResourceContext, ResourceService } from '../../resources/index.js';
import type { Media } from '../../telephony/call-control.js';
import {
  SPEECH_CHOICES,
  UPLOAD_FORMATS,
  type MediaService,
  type PromptStore,
  type ReconcileResult,
  type TelephonyAudio,
  type TtsVoice,
} from '../../telephony/media/index.js';
import { allPromptKeys } from './prompts.repo.js';
import { isTtsLanguage, type PromptAudio, type PromptInput } from './prompts.resource.js';
import type { PromptSettings, PromptSpeechAudio, PromptSpeechCreate, PromptView, SpeechBody } from './prompts.schemas.js';

export const DEFAULT_PROMPT_LANGUAGE = 'pt-BR';

/** A file received from a browser, already on disk in a private scratch directory. */
export interface ReceivedFile {
  path: string;
  /** The name the browser sent (only shown back to admins; never used as a path). */
  fileName: string | null;
}

export interface UploadFields {
  name: string;
  description?: string | undefined;
  language?: string | undefined;
}

/**
 * Prompts: audio an admin uploads or has spoken, converted for Asterisk and kept as files
 * named by id. Reads, metadata changes and deletes go through the generic resource service;
 * what needs a conversion first (create, new audio) starts here and ends in it.
 */
export class PromptService {
  constructor(
    readonly resource: ResourceService<typeof prompts, PromptInput, PromptView>,
    private readonly converter: MediaService,
    readonly store: PromptStore,
    ctx: ResourceContext,
    logger: Logger,
  ) {
    // Files go once the delete has committed; a failure leaves orphans that the next start removes.
    ctx.changes.subscribe((c) => {
      if (c.entity !== 'prompt' || c.action !== 'delete') return;
      try {
        store.remove({ tenantId: c.tenantId, promptId: c.id });
      } catch (err) {
        logger.warn({ err, promptId: c.id }, 'could not remove the files of a deleted prompt');
      }
    });
  }

  async createFromUpload(change: ChangeContext, tenantId: number, fields: UploadFields, file: ReceivedFile): Promise<PromptView> {
    return this.store.scratch(async (dir) => {
      const audio = await this.convertUpload(file, dir);
      return this.resource.create(change, tenantId, {
        name: fields.name,
        description: fields.description ?? null,
        language: fields.language ?? DEFAULT_PROMPT_LANGUAGE,
        audio,
        files: { base: join(dir, 'audio') },
      });
    });
  }

  async createFromSpeech(change: ChangeContext, tenantId: number, body: PromptSpeechCreate): Promise<PromptView> {
    const language = body.language ?? DEFAULT_PROMPT_LANGUAGE;
    return this.store.scratch(async (dir) => {
      const audio = await this.speak(body.speech, language, dir);
      return this.resource.create(change, tenantId, {
        name: body.name,
        description: body.description ?? null,
        language,
        audio,
        files: { base: join(dir, 'audio') },
      });
    });
  }

  /** New audio from a file; name, description and references stay. */
  async replaceWithUpload(change: ChangeContext, id: number, file: ReceivedFile): Promise<PromptView> {
    this.resource.get(change.actor, id);
    return this.store.scratch(async (dir) => {
      const audio = await this.convertUpload(file, dir);
      return this.resource.update(change, id, { audio, files: { base: join(dir, 'audio') } });
    });
  }

  /** New spoken text (and, if given, its language). */
  async replaceWithSpeech(change: ChangeContext, id: number, body: PromptSpeechAudio): Promise<PromptView> {
    const language = body.language ?? this.resource.get(change.actor, id).language;
    return this.store.scratch(async (dir) => {
      const audio = await this.speak(body.speech, language, dir);
      return this.resource.update(change, id, { language, audio, files: { base: join(dir, 'audio') } });
    });
  }

  /** What the upload and text-to-speech forms need to know before they send anything. */
  settings(): PromptSettings {
    const { maxUploadBytes, maxDurationMs } = this.converter.limits;
    return {
      maxUploadBytes,
      maxDurationSeconds: Math.floor(maxDurationMs / 1000),
      uploadFormats: [...UPLOAD_FORMATS],
      speech: { ...SPEECH_CHOICES, languages: [...SPEECH_CHOICES.languages], voices: [...SPEECH_CHOICES.voices] },
    };
  }

  /** The 8 kHz WAV of a prompt the actor may see, for the browser's player. */
  audioFile(actor: Actor, id: number): { path: string; etag: string; filename: string } {
    const view = this.resource.get(actor, id);
    const row = this.resource.row(view.tenantId, id)!;
    return { path: this.store.wavFile({ tenantId: row.tenantId, promptId: id }), etag: row.wavSha256, filename: `${row.name}.wav` };
  }

  /**
   * For resources that list prompts (music on hold, announcements, IVRs): refuses, naming
   * `field`, an id that is not a prompt of the tenant.
   */
  assertPrompts(tenantId: number, ids: readonly number[], field: string): void {
    const missing = ids.filter((id) => !this.resource.row(tenantId, id));
    if (missing.length > 0) throw invalidField(field, `no prompt with id ${missing.join(', ')}`);
  }

  /** What Asterisk plays for a prompt: for a playback, or a music-on-hold playlist entry. */
  media(tenantId: number, id: number): Media & { kind: 'file' } {
    return { kind: 'file', path: this.store.mediaPath({ tenantId, promptId: id }) };
  }

  /** At start: the files of every prompt in place, those of deleted prompts gone. */
  reconcileFiles(): ReconcileResult {
    return this.store.reconcile(allPromptKeys(this.resource.repo.db));
  }

  private async convertUpload(file: ReceivedFile, dir: string): Promise<PromptAudio> {
    const converted = await this.converter.convertUpload(file.path, join(dir, 'audio'), 'file');
    return { ...(await this.measure(dir, converted)), source: 'upload', originalName: file.fileName, format: converted.source };
  }

  private async speak(speech: SpeechBody, language: string, dir: string): Promise<PromptAudio> {
    if (!isTtsLanguage(language)) {
      throw invalidField('language', `the built-in text to speech speaks ${SPEECH_CHOICES.languages.join(', ')}`);
    }
    const voice: TtsVoice = speech.voice ?? SPEECH_CHOICES.defaultVoice;
    const rate = speech.rate ?? SPEECH_CHOICES.defaultRate;
    const spoken = await this.converter.speak({ text: speech.text, language, voice, rate }, join(dir, 'audio'), 'speech.text');
    return { ...(await this.measure(dir, spoken)), source: 'tts', text: speech.text.trim(), voice, rate };
  }

  private async measure(dir: string, converted: TelephonyAudio): Promise<{ durationMs: number; wavBytes: number; wavSha256: string }> {
    const wav = await readFile(join(dir, 'audio.wav'));
    return { durationMs: converted.durationMs, wavBytes: wav.length, wavSha256: createHash('sha256').update(wav).digest('hex') };
  }
}

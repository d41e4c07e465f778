import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import { actorOf, changeContextOf, tenantScope } from '../../auth/index.js';
import { IdParams, TenantQuery, closed } from '../../http/schemas.js';
import { malformedFormErrors } from '../../http/errors.js';
import { fileResponses, sendFile } from '../../http/send-file.js';
import { AppError, invalidField } from '../../kernel/index.js';
import type { prompts as promptsTable } from '../../db/schema/index.js';
import { resourceRoutes, type ResourceService } from '../../resources/index.js';
import type { MediaLimits } from '../../telephony/media/index.js';
import {
  PromptPatch,
  PromptSettings,
  PromptSpeechAudio,
  PromptSpeechCreate,
  PromptUploadAudio,
  PromptUploadCreate,
  PromptView,
} from './prompts.schemas.js';
import type { PromptService, ReceivedFile, UploadFields } from './prompts.service.js';

const PATH = '/telephony/prompts';
const read = { access: { module: 'telephony', action: 'read' } } as const;
const write = { access: { module: 'telephony', action: 'write' } } as const;
const tags = ['prompts'];

/** Room for the other form fields and the multipart framing around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = (maxBytes: number) =>
  new AppError('payload_too_large', `the file is larger than the ${Math.floor(maxBytes / (1024 * 1024))} MiB allowed`, 413, {
    field: 'file',
    maxBytes,
  });


/** JSON for text to speech, multipart/form-data for an upload (a browser can show its progress). */
const bodyOf = <J extends object, M extends object>(json: J, form: M) => ({
  content: { 'application/json': { schema: json }, 'multipart/form-data': { schema: form } },
});

/**
 * `/telephony/prompts`: list, get, change and delete from the resource mechanism; create and
 * new audio by upload or text to speech; the audio for the browser's player.
 */
export function promptRoutes(prompts: PromptService, limits: MediaLimits): FastifyPluginAsync {
  const received = new WeakMap<FastifyRequest, ReceivedFile & { dir: string }>();

  async function receiveFile(this: FastifyRequest, part: MultipartFile): Promise<void> {
    if (part.fieldname !== 'file' || received.has(this)) {
      part.file.resume();
      throw invalidField(part.fieldname, `${part.fieldname}: only one file, named "file", is expected`);
    }
    const dir = prompts.store.openScratch();
    const file = { dir, path: join(dir, 'upload'), fileName: part.filename ? part.filename.slice(0, 255) : null };
    received.set(this, file);
    await pipeline(part.file, createWriteStream(file.path, { mode: 0o600 }));
    // At the limit the parser stops the file short and flags it, rather than failing the stream.
    if (part.file.truncated) throw tooLarge(limits.maxUploadBytes);
    // The body keeps the name only; the bytes stay on disk.
    part.value = part.filename;
  }

  const fileOf = (req: FastifyRequest): ReceivedFile => {
    const file = received.get(req);
    if (!file) throw invalidField('file', 'file: no audio file was sent');
    return file;
  };

  const uploadScope: FastifyPluginAsync = async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', onFile: receiveFile });
    malformedFormErrors(scope);
    const multipartOptions = {
      // Room for a second file, so that receiveFile refuses it naming the field; a third stops the parser.
      limits: { fileSize: limits.maxUploadBytes, files: 2, fields: 8, fieldSize: 4096, parts: 10, headerPairs: 50 },
    };
    scope.addHook('onRequest', async (req) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (req.isMultipart() && declared > limits.maxUploadBytes + FORM_OVERHEAD_BYTES) throw tooLarge(limits.maxUploadBytes);
    });
    const cleanUp = async (req: FastifyRequest) => {
      const file = received.get(req);
      received.delete(req);
      if (file) await prompts.store.closeScratch(file.dir);
    };
    // Before the answer leaves, so that a client that hears back finds nothing left behind.
    scope.addHook('onSend', async (req, _reply, payload) => {
      await cleanUp(req);
      return payload;
    });
    scope.addHook('onRequestAbort', cleanUp);

    scope.post(
      PATH,
      {
        config: { ...write, multipartOptions },
        schema: {
          tags,
          summary: 'Create a prompt from an uploaded WAV/MP3/OGG file (multipart) or from text to speak (JSON)',
          querystring: TenantQuery,
          body: bodyOf(PromptSpeechCreate, PromptUploadCreate),
          response: { 201: PromptView },
        },
      },
      async (req, reply) => {
        const tenantId = tenantScope(req, (req.query as { tenantId?: number }).tenantId);
        const change = changeContextOf(req);
        const view = req.isMultipart()
          ? await prompts.createFromUpload(change, tenantId, req.body as UploadFields, fileOf(req))
          : await prompts.createFromSpeech(change, tenantId, req.body as PromptSpeechCreate);
        return reply.status(201).send(view);
      },
    );

    scope.put(
      `${PATH}/:id/audio`,
      {
        config: { ...write, multipartOptions },
        schema: {
          tags,
          summary: 'Replace the audio of a prompt (what refers to it plays the new audio)',
          params: IdParams,
          body: bodyOf(PromptSpeechAudio, PromptUploadAudio),
          response: { 200: PromptView },
        },
      },
      async (req) => {
        const { id } = req.params as { id: number };
        const change = changeContextOf(req);
        return req.isMultipart()
          ? prompts.replaceWithUpload(change, id, fileOf(req))
          : prompts.replaceWithSpeech(change, id, req.body as PromptSpeechAudio);
      },
    );
  };

  return async (app) => {
    // Create is served above; the generic routes write only PATCH's fields, a part of PromptInput.
    const resource = prompts.resource as unknown as ResourceService<typeof promptsTable, Static<typeof PromptPatch>, PromptView>;
    await app.register(
      resourceRoutes(resource, {
        path: PATH,
        module: 'telephony',
        tag: 'prompts',
        body: PromptPatch,
        patch: PromptPatch,
        view: PromptView,
        filters: {
          source: Type.Optional(Type.Union([Type.Literal('upload'), Type.Literal('tts')])),
          language: Type.Optional(Type.String({ maxLength: 6 })),
        },
        except: ['create'],
      }),
    );
    await app.register(uploadScope);

    app.get(
      `${PATH}/settings`,
      { config: read, schema: { tags, summary: 'Limits and choices for uploads and text to speech', querystring: Type.Object({}, closed), response: { 200: PromptSettings } } },
      async () => prompts.settings(),
    );

    app.get(
      `${PATH}/:id/audio`,
      {
        config: read,
        schema: {
          tags,
          summary: 'The prompt as 8 kHz 16-bit mono WAV (byte ranges for seeking; ETag)',
          params: IdParams,
          response: fileResponses('audio/wav'),
        },
      },
      async (req, reply) => {
        const { id } = req.params as { id: number };
        const file = prompts.audioFile(actorOf(req), id);
        return sendFile(req, reply, { ...file, contentType: 'audio/wav' });
      },
    );
  };
}

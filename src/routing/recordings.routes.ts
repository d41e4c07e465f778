/** The queues' call recordings over HTTP: a call's recordings, and each one's audio for the browser to play. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantScope } from '../auth/index.js';
import { IdParams, Nullable, TenantQuery, closed } from '../http/schemas.js';
import { fileResponses, sendFile } from '../http/send-file.js';
import type { RecordingsService } from './recordings.service.js';

const tags = ['recordings'];
const read = { access: { module: 'recordings', action: 'read' as const } };

const RecordingView = Type.Object({
  id: Type.Integer(),
  callId: Type.String(),
  interactionId: Nullable(Type.String()),
  queueId: Nullable(Type.Integer()),
  startedAt: Type.String({ format: 'date-time' }),
  durationSeconds: Type.Integer(),
  sizeBytes: Type.Integer(),
  expiresAt: Nullable(Type.String({ format: 'date-time', description: 'when the retention purge deletes it; null: kept' })),
  audioUrl: Type.String(),
});
const CallParams = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 64 }) }, closed);

export function recordingsRoutes(recordings: RecordingsService): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/calls/:callId/recordings',
      { config: read, schema: { tags, summary: "A call's recordings, oldest first", params: CallParams, querystring: TenantQuery, response: { 200: Type.Object({ items: Type.Array(RecordingView) }) } } },
      async (req) => ({ items: recordings.ofCall(tenantScope(req, req.query.tenantId), req.params.callId) }),
    );
    app.get(
      '/recordings/:id/audio',
      {
        config: read,
        schema: {
          tags,
          summary: 'A recording as WAV (byte ranges for seeking; ETag)',
          params: IdParams,
          querystring: TenantQuery,
          response: fileResponses('audio/wav'),
        },
      },
      async (req, reply) => sendFile(req, reply, { ...recordings.file(tenantScope(req, req.query.tenantId), req.params.id), contentType: 'audio/wav' }),
    );
  };
}

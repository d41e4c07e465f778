import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError, notFound } from '../kernel/index.js';

export type ByteRange = { start: number; end: number };

/**
 * The one byte range a `Range` header asks of a file of `size` bytes (RFC 9110 §14.1.2):
 * undefined to send the whole file (no header, a unit other than bytes, or several ranges,
 * which a server may answer in full), `unsatisfiable` when it starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

/** `inline; filename="…"` with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export interface SendFileOptions {
  path: string;
  contentType: string;
  /** A strong validator of the content (e.g. its hash), for `If-None-Match`. */
  etag: string;
  /** The name a browser saves it under. */
  filename: string;
}

const binary = (description: string, type: string) => ({ description, content: { [type]: { schema: Type.String({ format: 'binary' }) } } });

/** The OpenAPI responses of a route answered by `sendFile`: whole, a byte range, or unchanged. */
export const fileResponses = (contentType: string) => ({
  200: binary('the whole file', contentType),
  206: binary('the byte range asked for', contentType),
  304: { description: 'unchanged since the ETag sent in If-None-Match', type: 'null' },
});

/**
 * Streams a file with what an `<audio>` element needs: its length, byte ranges (seeking), and
 * a validator so that a replaced file is fetched again but an unchanged one is not.
 */
export async function sendFile(req: FastifyRequest, reply: FastifyReply, o: SendFileOptions): Promise<FastifyReply> {
  const size = await stat(o.path).then(
    (s) => s.size,
    () => {
      throw notFound('audio file');
    },
  );
  const etag = `"${o.etag}"`;
  const range = req.headers['if-range'] === undefined || req.headers['if-range'] === etag ? parseRange(req.headers.range, size) : undefined;
  if (range === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${size}`);
    throw new AppError('range_not_satisfiable', `the file has ${size} bytes`, 416, { field: 'range' });
  }
  void reply
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    .header('cache-control', 'private, no-cache');
  if (req.headers['if-none-match'] === etag) return reply.status(304).send();
  void reply.header('content-type', o.contentType).header('content-disposition', contentDisposition(o.filename));
  if (!range) return reply.status(200).header('content-length', String(size)).send(createReadStream(o.path));
  return reply
    .status(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
    .header('content-length', String(range.end - range.start + 1))
    .send(createReadStream(o.path, { start: range.start, end: range.end }));
}

import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError } from '../kernel/index.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** The field an Ajv error is about, as a dotted path (`address.city`, `phones.0`). */
export function fieldOf(e: AjvError): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const child =
    (e.params.missingProperty as string | undefined) ?? (e.params.additionalProperty as string | undefined);
  return [base, child].filter(Boolean).join('.');
}

function validationBody(err: FastifyError): ErrorBody {
  const errors = (err.validation ?? []) as AjvError[];
  const context = (err as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  // `rule` and `limit` let a client word the problem in its user's language.
  const fields = errors.map((e) => ({
    field: fieldOf(e),
    problem:
      e.keyword === 'additionalProperties'
        ? 'unknown field'
        : e.keyword === 'required'
          ? 'is required'
          : (e.message ?? 'is invalid'),
    rule: e.keyword,
    ...(typeof e.params.limit === 'number' ? { limit: e.params.limit } : {}),
  }));
  const first = fields[0];
  const message = first
    ? `${context}${first.field ? `.${first.field}` : ''} ${first.problem}`
    : `invalid ${context}`;
  return { error: { code: 'invalid_field', message, details: { in: context, field: first?.field ?? '', fields } } };
}

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/** One place where every error becomes `{"error": {...}}`; 5xx details are logged, not sent. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isAppError(err)) {
      if (err.status === 429 && typeof err.details?.retryAfterSeconds === 'number') {
        void reply.header('retry-after', String(err.details.retryAfterSeconds));
      }
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (err.validation) return reply.status(400).send(validationBody(err));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = fastifyCodes[err.code] ?? (err instanceof SyntaxError ? 'malformed_json' : 'bad_request');
      const message = code === 'malformed_json' ? `malformed JSON body: ${err.message}` : err.message;
      return reply.status(status).send({ error: { code, message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );
}

/** JSON schema of the error body, referenced by every route's responses in the OpenAPI document. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

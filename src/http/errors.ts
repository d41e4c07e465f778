import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../kernel/index.js';
import { localeOf, localize, type ApiLocale } from './messages/index.js';

/** Every error a client sees has this one shape; `details` is always an object (maybe empty). */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
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

function validationBody(err: FastifyError, locale: ApiLocale): ErrorBody {
  const errors = (err.validation ?? []) as AjvError[];
  const context = (err as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  // `rule` and `limit` let a client word the problem in its user's language.
  const fields = errors.map((e) => ({
    field: fieldOf(e),
    problem: localize(
      e.keyword === 'additionalProperties' ? 'unknown field' : e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid'),
      locale,
    ),
    rule: e.keyword,
    ...(typeof e.params.limit === 'number' ? { limit: e.params.limit } : {}),
  }));
  const first = fields[0];
  const message = first
    ? `${context}${first.field ? `.${first.field}` : ''} ${first.problem}`
    : localize(`invalid ${context}`, locale);
  return { error: { code: 'invalid_field', message, details: { in: context, field: first?.field ?? '', fields } } };
}

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  // @fastify/multipart, for uploads.
  FST_FILES_LIMIT: 'too_many_files',
  FST_PARTS_LIMIT: 'too_many_parts',
  FST_FIELDS_LIMIT: 'too_many_fields',
  FST_PROTO_VIOLATION: 'invalid_field',
  FST_MP_PREMATURE_CLOSE: 'malformed_form',
  FST_INVALID_JSON_FIELD_ERROR: 'malformed_form',
};

/** Clearer words than a plugin's own, where its message does not say what to change. */
const fastifyMessages: Record<string, string> = {
  FST_PROTO_VIOLATION: 'a form field may not be named __proto__, constructor or after any other Object.prototype property',
  FST_FILES_LIMIT: 'the form carries more files than this request takes',
  FST_PARTS_LIMIT: 'the form has more parts than this request takes',
  FST_FIELDS_LIMIT: 'the form has more fields than this request takes',
};

/**
 * The longest path parameter the router accepts. Far above every schema's maxLength, so that a
 * long parameter is refused by validation naming it; past this the router answers 414 itself.
 */
export const MAX_PARAM_LENGTH = 1000;

/**
 * Errors the router raises before any route or hook runs (a malformed percent-encoding in the
 * path, a path parameter past MAX_PARAM_LENGTH), in the API's one error shape.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return uriTooLong(reply);
  const message = localize('the path is not valid (malformed percent-encoding)', localeOf(req));
  void reply.status(400).send({ error: { code: 'bad_url', message, details: {} } });
}

function uriTooLong(reply: FastifyReply): void {
  const message = localize(`a path parameter is longer than ${MAX_PARAM_LENGTH} characters`, localeOf(reply.request));
  void reply.status(414).send({ error: { code: 'uri_too_long', message, details: {} } });
}

/**
 * For a wildcard route (the web app's): the router hands it a path whose parameter is past
 * MAX_PARAM_LENGTH instead of refusing it, so the wildcard answers the router's 414 itself.
 * Answers whether it did.
 */
export function refuseOverlongSegment(url: string, reply: FastifyReply): boolean {
  const path = url.split('?')[0] ?? '';
  if (!path.split('/').some((segment) => segment.length > MAX_PARAM_LENGTH)) return false;
  uriTooLong(reply);
  return true;
}

/** One place where every error becomes `{"error": {...}}`; 5xx details are logged, not sent. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const locale = localeOf(req);
    if (isAppError(err)) {
      if (err.status === 429 && typeof err.details?.retryAfterSeconds === 'number') {
        void reply.header('retry-after', String(err.details.retryAfterSeconds));
      }
      return reply.status(err.status).send({ error: { code: err.code, message: localize(err.message, locale), details: err.details ?? {} } });
    }
    if (err.validation) return reply.status(400).send(validationBody(err, locale));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = fastifyCodes[err.code] ?? (err instanceof SyntaxError ? 'malformed_json' : 'bad_request');
      const message = code === 'malformed_json' ? `malformed JSON body: ${err.message}` : (fastifyMessages[err.code] ?? err.message);
      return reply.status(status).send({ error: { code, message: localize(message, locale), details: {} } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: localize('internal error', locale), details: {} } });
  });

  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: localize(`no route ${req.method} ${req.url.split('?')[0]}`, localeOf(req)), details: {} } }),
  );
}

/**
 * For a scope that parses `multipart/form-data`: what the form parser throws on a malformed body
 * (no boundary, a body cut short, a part that never ends) carries neither a status nor a code,
 * and would be a 500. Thrown before the route's handler runs, it is the client's doing: a 400
 * `malformed_form`. Anything else goes on to the app's error handler as it is.
 */
export function malformedFormErrors(scope: FastifyInstance): void {
  const parsed = new WeakSet<FastifyRequest>();
  scope.addHook('preHandler', async (req) => {
    parsed.add(req);
  });
  scope.setErrorHandler((err: FastifyError, req) => {
    const fromParser = !parsed.has(req) && !isAppError(err) && err.statusCode === undefined && err.code === undefined && !err.validation;
    if (fromParser) throw new AppError('malformed_form', `the multipart body is malformed: ${err.message}`, 400);
    throw err;
  });
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
      required: ['code', 'message', 'details'],
    },
  },
  required: ['error'],
} as const;

/**
 * The error body to inline in a route's own `response` schemas. Not by reference: a shared
 * schema added in a child plugin gives that plugin a fresh schema controller with Fastify's
 * default Ajv (which drops unknown query fields silently).
 */
const { $id: _id, ...inlineError } = errorSchema;
export const errorBody = inlineError;

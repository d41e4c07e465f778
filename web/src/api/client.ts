import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed client of the daemon's REST API. Paths, parameters and bodies come from the
 * generated `schema.d.ts` (scripts/web-api-types.ts), so a server schema change that breaks a
 * screen breaks `npm run typecheck`.
 *
 *   const page = await ok(api.GET('/api/v1/users', { params: { query: { limit: 20 } } }));
 */
export const api = createClient<paths>({ credentials: 'same-origin' });

let language = 'pt-BR';

/** The language the daemon words its errors in (`Accept-Language`): the app's own, set by the i18n module. */
export const setApiLanguage = (locale: string): void => {
  language = locale;
};

/** The headers every request to the API carries, for requests made without the typed client. */
export const apiHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({ 'accept-language': language, ...extra });

export type Paths = paths;
/** The JSON body a path answers with on success, e.g. `Json<'/api/v1/me', 'get'>`. */
export type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : never
  : never;
/** The JSON request body of a path. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** An answer of the API that is not a success: `{"error": {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The request field the server names (`details.field`), if any. */
  get field(): string | undefined {
    const f = this.details.field;
    return typeof f === 'string' && f !== '' ? f : undefined;
  }

  get retryAfterSeconds(): number | undefined {
    const s = this.details.retryAfterSeconds;
    return typeof s === 'number' ? s : undefined;
  }

  /** The daemon could not be reached at all (stopped, network down). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

type Outcome<D> = { data: D; error?: never; response: Response } | { data?: never; error: unknown; response: Response };

/** The `ApiError` for an answer that is not a success (also for requests made without this client). */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (e && typeof e.code === 'string') {
    const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
    return new ApiError(status, e.code, typeof e.message === 'string' ? e.message : e.code, details);
  }
  return new ApiError(status, status >= 500 ? 'internal' : 'bad_request', `HTTP ${status}`);
}

/** Waits for a request and returns its data, or throws an `ApiError` (status 0 when unreachable). */
export async function ok<D>(request: Promise<Outcome<D>>): Promise<Exclude<D, undefined>> {
  let result: Outcome<D>;
  try {
    result = await request;
  } catch {
    throw new ApiError(0, 'unreachable', 'the server could not be reached');
  }
  if (result.error !== undefined || !result.response.ok) throw apiErrorOf(result.response.status, result.error);
  return result.data as Exclude<D, undefined>;
}

type Listener = (status: number, error: ApiError | undefined, url: string) => void;
const listeners = new Set<Listener>();

/**
 * Every answer (and every failure to get one) is reported here: the session watches for 401,
 * the connection indicator for an unreachable daemon. Returns the unsubscribe function.
 */
export function onApiAnswer(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

api.use({
  onRequest({ request }) {
    request.headers.set('accept-language', language);
    return request;
  },
  async onResponse({ request, response }) {
    let error: ApiError | undefined;
    if (!response.ok && response.headers.get('content-type')?.includes('application/json')) {
      error = apiErrorOf(response.status, await response.clone().json().catch(() => undefined));
    }
    for (const l of listeners) l(response.status, error, request.url);
    return undefined;
  },
  onError({ request }) {
    for (const l of listeners) l(0, undefined, request.url);
    return undefined;
  },
});

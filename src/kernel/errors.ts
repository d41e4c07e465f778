/**
 * One error family for the whole daemon. Every error a client can see has a stable `code`,
 * an HTTP status and optional `details` (e.g. `{ field: 'login' }`). The HTTP error handler
 * maps these to `{"error": {"code", "message", "details"}}`; anything else becomes a 500
 * whose message is hidden from the client.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError('bad_request', message, 400, details);

/** A field failed validation: the field name is always in `details.field`. */
export const invalidField = (field: string, message: string) =>
  new AppError('invalid_field', message, 400, { field });

export const unauthorized = (message = 'authentication required') =>
  new AppError('unauthorized', message, 401);

export const forbidden = (message = 'not allowed') => new AppError('forbidden', message, 403);

export const notFound = (what: string) => new AppError('not_found', `${what} not found`, 404);

export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError('conflict', message, 409, details);

export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError('too_many_requests', message, 429, { retryAfterSeconds });

export const unavailable = (message: string, details?: Record<string, unknown>) =>
  new AppError('unavailable', message, 503, details);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

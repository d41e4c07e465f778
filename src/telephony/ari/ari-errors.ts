import { TelephonyError, type TelephonyErrorCode } from '../call-control.js';
import { statusOf } from './ari-library.js';

export function codeForStatus(status: number): TelephonyErrorCode {
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 400 || status === 422) return 'bad_request';
  return 'failed';
}

/** Asterisk answers errors as `{"message": "..."}`; fall back to the raw body. */
function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the body is the message
  }
  return body.trim() || 'no details';
}

/** Any rejection of an ari-client operation as a TelephonyError with the HTTP status when known. */
export function toTelephonyError(error: unknown, operation: string): TelephonyError {
  if (error instanceof TelephonyError) return error;
  const http = statusOf(error);
  if (http) {
    const message = messageOf(http.body);
    return new TelephonyError(codeForStatus(http.status), `${operation}: ${message} (${http.status})`, http.status, operation);
  }
  const text = error instanceof Error ? error.message : String(error);
  return new TelephonyError('failed', `${operation}: ${text}`, undefined, operation);
}

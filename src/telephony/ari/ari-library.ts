/**
 * Loading `ari-client` and containing the defects of it and of the `swagger-client` 2.0.26 it
 * is built on. Everything here is scoped to those two libraries; nothing is installed on the
 * process (no `uncaughtException` / `unhandledRejection` handler).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import ari, { type AriClient } from 'ari-client';

/** The request object swagger-client hands to its authorizations before sending it. */
interface SwaggerHttpRequest {
  on?: { error?: (response: { status?: number; data?: unknown }) => unknown };
}

interface SwaggerClientModule {
  SwaggerApi: { prototype: { fail(this: { failure(message: unknown): void }, message: unknown): void } };
  authorizations: { add(name: string, auth: { apply(obj: SwaggerHttpRequest): undefined }): unknown };
}

const STATUS_MARK = 'ARI-HTTP-';
const STATUS_RE = /^ARI-HTTP-(\d{3}) ([\s\S]*)$/;

let patched = false;

/**
 * Applied once, to the very swagger-client instance ari-client loaded:
 *
 * 1. `SwaggerApi.prototype.fail` reports a failed resource listing to ari-client (which rejects
 *    `connect()` with it) and then *throws the message string* from inside an HTTP callback —
 *    an uncaught exception that kills the process on a wrong password or any 4xx/5xx while the
 *    listing loads. The patched `fail` only reports. The credentials are also checked with a
 *    plain request before connecting, so this matters only for races (Asterisk restarting, a
 *    password changed between the check and the load).
 * 2. ari-client turns a failed request into `new Error(<raw body>)`, dropping the HTTP status.
 *    swagger-client passes every request through its registered "authorizations" before
 *    sending it; one more of them wraps the error callback so that the body ari-client sees
 *    starts with the status. `statusOf` reads it back.
 */
function patchSwaggerClient(): void {
  if (patched) return;
  patched = true;
  const require = createRequire(import.meta.url);
  const ariDir = dirname(require.resolve('ari-client'));
  const swagger = require(require.resolve('swagger-client', { paths: [ariDir] })) as SwaggerClientModule;

  swagger.SwaggerApi.prototype.fail = function fail(message: unknown) {
    this.failure(message);
  };

  swagger.authorizations.add('atende-http-status', {
    apply(obj) {
      const on = obj.on;
      const original = on?.error;
      if (on && original) {
        on.error = (response) => {
          if (response && typeof response.status === 'number') {
            const body = response.data === undefined || response.data === null ? '' : String(response.data);
            response.data = Buffer.from(`${STATUS_MARK}${response.status} ${body}`);
          }
          return original(response);
        };
      }
      return undefined;
    },
  });
}

/** The HTTP status and raw body of a failed ari-client request, when known. */
export function statusOf(error: unknown): { status: number; body: string } | undefined {
  if (error instanceof Error) {
    const m = STATUS_RE.exec(error.message);
    if (m) return { status: Number(m[1]), body: m[2] ?? '' };
    return undefined;
  }
  if (typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number') {
    const e = error as { status: number; data?: unknown };
    return { status: e.status, body: e.data === undefined ? '' : String(e.data) };
  }
  return undefined;
}

const SWAGGER_NOTICE = 'This API is using a deprecated version of Swagger';
let quietDepth = 0;
let originalLog: typeof console.log | undefined;

/**
 * swagger-client prints "This API is using a deprecated version of Swagger!" through
 * the console's log method, wrapped in an array, every time it loads Asterisk's Swagger 1.1 listing. While a connect
 * is in progress `console.log` drops exactly that call and passes everything else through; it
 * is restored as soon as the last concurrent connect settles.
 */
async function withoutSwaggerNotice<T>(work: () => PromiseLike<T>): Promise<T> {
  if (quietDepth++ === 0) {
    // eslint-disable-next-line no-console -- the one narrow filter described above
    const log = console.log;
    originalLog = log;
    // eslint-disable-next-line no-console -- idem
    console.log = (...args: unknown[]) => {
      const first = args[0];
      if (Array.isArray(first) && typeof first[0] === 'string' && first[0].startsWith(SWAGGER_NOTICE)) return;
      log.apply(console, args);
    };
  }
  try {
    return await work();
  } finally {
    if (--quietDepth === 0 && originalLog) {
      // eslint-disable-next-line no-console -- restoring the original
      console.log = originalLog;
      originalLog = undefined;
    }
  }
}

/**
 * `ari.connect()` (loads the Swagger listing and builds the operations), contained. `within`
 * bounds it in time: a listing request that fails at the TCP level is never reported by
 * swagger-client, so without a limit the promise can stay pending forever.
 *
 * Note: swagger-client keeps one process-wide basic-auth setting that each connect replaces, so
 * every ARI connection in one process must use the same credentials (Atende has one).
 */
export function loadAriClient(
  url: string,
  user: string,
  password: string,
  within: (work: PromiseLike<AriClient>) => Promise<AriClient>,
): Promise<AriClient> {
  patchSwaggerClient();
  return withoutSwaggerNotice(() => within(ari.connect(url, user, password)));
}

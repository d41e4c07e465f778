import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../config/index.js';
import type { AppDeps } from './deps.js';
import { refuseOverlongSegment } from './errors.js';

/** Vite names every file under `assets/` by its content hash: a new build never reuses a name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** `index.html` and the unhashed files must be revalidated, or a browser keeps an old build. */
const REVALIDATE = 'no-cache';

export const webDirOf = (configured: string): string => resolve(configured || resolve(projectRoot, 'web', 'dist'));

/**
 * A path the browser app routes itself (a deep link reloaded): not the API, not a file.
 * A missing asset stays a 404 so that the browser never runs HTML as a script.
 */
export function isAppPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/assets/')) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

/**
 * The web app (`web/`, built by Vite) at `/`: hashed assets cached for a year, `index.html`
 * revalidated on every load, and `index.html` for every other path that is not the API so that
 * the app's own routes survive a reload. `/api`, `/healthz` and `/readyz` are untouched.
 */
export const webAppRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const root = webDirOf(deps.config.http.webDir);
  if (!existsSync(resolve(root, 'index.html'))) {
    deps.logger.warn({ webDir: root }, 'the web app is not built (npm run build:web): / answers 503 until it is');
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.status(503).type('text/plain; charset=utf-8').send('The web app is not built. Run `npm run build:web` and restart Atende.\n'),
    );
    return;
  }

  await app.register(fastifyStatic, {
    root,
    // Routes for the files of this build only (it is fixed while the daemon runs), which leaves
    // the wildcard free for the app's own paths below.
    wildcard: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    schemaHide: true,
    setHeaders: (reply: FastifyReply, path: string) => {
      void reply.header('cache-control', path.includes(`${sep}assets${sep}`) ? IMMUTABLE : REVALIDATE);
    },
  });

  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', REVALIDATE).sendFile('index.html');
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    if (isAppPath(req.url)) return sendIndex(reply);
    if (refuseOverlongSegment(req.url, reply)) return reply;
    return reply.callNotFound();
  });
};

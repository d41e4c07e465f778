/**
 * The web app as the daemon serves it: hashed assets cached for a year, index.html revalidated,
 * the app's own paths answered with index.html (deep links survive a reload), the API and
 * missing files untouched, and a CSP that keeps scripts to this origin.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppPath } from '../../src/http/web.plugin.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="app"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

let t: TestApp;
let webDir: string;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'atende-web-'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, 'index.html'), INDEX);
  writeFileSync(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(webDir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(webDir, 'assets', 'index-abc123.js.gz'), gzipSync(SCRIPT));
  t = await createTestApp({ config: { http: { webDir } } });
});

afterAll(async () => {
  await t?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('the web app at /', () => {
  it('serves index.html at / and at any app path, never cached without revalidation', async () => {
    for (const url of ['/', '/org/users', '/calls?from=2026-01-01T00:00:00.000Z', '/telephony/emulator']) {
      const res = await t.request('GET', url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toBe(INDEX);
    }
  });

  it('serves hashed assets with a year-long immutable cache, compressed when the browser accepts it', async () => {
    const plain = await t.request('GET', '/assets/index-abc123.js');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(SCRIPT);
    const gz = await t.request('GET', '/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 for a missing asset or file instead of the page', async () => {
    for (const url of ['/assets/index-old999.js', '/missing.png']) {
      const res = await t.request('GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('leaves the API alone: unknown API paths stay JSON 404s, real routes answer as before', async () => {
    const unknown = await t.request('GET', '/api/v1/no-such-thing');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await t.request('GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await t.request('GET', '/api')).statusCode).toBe(404);
    expect((await t.request('GET', '/healthz')).json()).toEqual({ status: 'ok' });
  });

  it('sends a CSP that allows scripts from this origin only and styles inline (the component library needs them)', async () => {
    const csp = (await t.request('GET', '/')).headers['content-security-policy'] as string;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
  });

  it('tells which paths belong to the app', () => {
    expect(['/', '/login', '/org/users', '/calls?x=1'].map(isAppPath)).toEqual([true, true, true, true]);
    expect(['/api', '/api/v1/x', '/assets/a.js', '/favicon.ico', '/x/y.png'].map(isAppPath)).toEqual([false, false, false, false, false]);
  });
});

describe('without a built web app', () => {
  it('answers / with 503 and how to build it, and the API still works', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'atende-web-empty-'));
    const other = await createTestApp({ config: { http: { webDir: empty } } });
    try {
      const res = await other.request('GET', '/');
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build:web');
      expect((await other.request('GET', '/api/v1/me')).statusCode).toBe(401);
    } finally {
      await other.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

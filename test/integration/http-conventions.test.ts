import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { AppError, Readiness, silentLogger, systemClock } from '../../src/kernel/index.js';

// These tests exercise the app-wide conventions (validation, error shape, headers) through a
// probe route added to the real app; every area's own tests cover its real routes.
describe('HTTP conventions', () => {
  let app: FastifyInstance;
  let database: Database_;
  const readiness = new Readiness();
  let askedToFail = false;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atende-http-'));
    const config = loadConfig({}, { dataDir });
    database = openDatabase(join(dataDir, 'atende.db'));
    readiness.register('database', () => database.writable());
    readiness.register('asterisk', () => (askedToFail ? { ok: false, reason: 'ARI not connected' } : { ok: true }));
    app = await buildApp({ config, database, logger: silentLogger, clock: systemClock, readiness });
    await app.register(async (probe) => {
      probe.post(
        '/probe',
        {
          config: { public: true },
          schema: {
            body: Type.Object(
              { name: Type.String({ minLength: 5 }), size: Type.Integer({ minimum: 1 }), tags: Type.Optional(Type.Array(Type.String())) },
              { additionalProperties: false },
            ),
          },
        },
        async (req) => req.body,
      );
      probe.get(
        '/probe/:id',
        { config: { public: true }, schema: { params: Type.Object({ id: Type.Integer() }), querystring: Type.Object({ limit: Type.Optional(Type.Integer({ maximum: 100 })) }) } },
        async (req) => ({ params: req.params, query: req.query }),
      );
      probe.get('/probe-boom', { config: { public: true } }, async () => {
        throw new Error('secret internals: db password is hunter2');
      });
      probe.get('/probe-app-error', { config: { public: true } }, async () => {
        throw new AppError('queue_closed', 'queue is closed', 409, { queue: 7 });
      });
    }, { prefix: '/api/v1' });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    database.close();
  });

  const post = (payload: string) =>
    app.inject({ method: 'POST', url: '/api/v1/probe', headers: { 'content-type': 'application/json' }, payload });

  it('accepts a valid body', async () => {
    const r = await post(JSON.stringify({ name: 'abcde', size: 2 }));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ name: 'abcde', size: 2 });
  });

  it.each([
    ['malformed JSON', '{"name": "abcde",', 'malformed_json', undefined],
    ['empty body', '', 'malformed_json', undefined],
    ['missing field', JSON.stringify({ name: 'abcde' }), 'invalid_field', 'size'],
    ['too short', JSON.stringify({ name: 'abc', size: 1 }), 'invalid_field', 'name'],
    ['unknown field', JSON.stringify({ name: 'abcde', size: 1, colour: 'red' }), 'invalid_field', 'colour'],
    ['string where a number belongs', JSON.stringify({ name: 'abcde', size: '3' }), 'invalid_field', 'size'],
    ['wrong item type', JSON.stringify({ name: 'abcde', size: 3, tags: [1] }), 'invalid_field', 'tags.0'],
  ])('%s → 400 with a clear error', async (_label, payload, code, field) => {
    const r = await post(payload);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    if (field) {
      expect(body.error.details.field).toBe(field);
      expect(body.error.message).toContain(field);
    }
  });

  it('coerces path and query parameters but still validates them', async () => {
    expect((await app.inject({ url: '/api/v1/probe/12?limit=5' })).json()).toEqual({ params: { id: 12 }, query: { limit: 5 } });
    const bad = await app.inject({ url: '/api/v1/probe/twelve' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toMatchObject({ in: 'params', field: 'id' });
    const over = await app.inject({ url: '/api/v1/probe/1?limit=1000' });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.details.field).toBe('limit');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/probe', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    expect(r.statusCode).toBe(415);
    expect(r.json().error.code).toBe('unsupported_media_type');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const r = await app.inject({ url: '/api/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/nothing-here', details: {} } });
  });

  it('hides the details of an unexpected error', async () => {
    const r = await app.inject({ url: '/api/v1/probe-boom' });
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('hunter2');
    expect(r.json()).toEqual({ error: { code: 'internal', message: 'internal error', details: {} } });
  });

  it('maps an AppError to its status, code and details', async () => {
    const r = await app.inject({ url: '/api/v1/probe-app-error' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toEqual({ error: { code: 'queue_closed', message: 'queue is closed', details: { queue: 7 } } });
  });

  it('sends security headers and no CORS grant by default', async () => {
    const r = await app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBeDefined();
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    // Served over plain HTTP here (cookieSecure off): no HSTS, no upgrade of subresources to https.
    expect(r.headers['strict-transport-security']).toBeUndefined();
    expect(r.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('serves the OpenAPI document and its UI at /api/docs', async () => {
    const doc = await app.inject({ url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toMatch(/^3\./);
    expect(Object.keys(doc.json().paths)).toContain('/api/v1/probe');
    const ui = await app.inject({ url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('reports readiness per component and 503 when one is down, without the reason to an anonymous caller', async () => {
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    askedToFail = true;
    const r = await app.inject({ url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ ready: false, checks: { database: { ok: true }, asterisk: { ok: false } } });
    askedToFail = false;
  });
});

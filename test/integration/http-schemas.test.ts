/**
 * The routes' schemas are compiled at their first request (see `lazySchemaCompilers`): these
 * tests prove every one still compiles, and that a lazily compiled schema validates and
 * serializes as an eager one did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('route schemas compiled on first use', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a bad body naming the field, and serializes only the declared fields, on the first request to a route', async () => {
    const { cookie } = await t.loginAs('admin');
    const bad = await t.request('POST', '/api/v1/teams', { cookie, body: { name: 42 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/name/);
    // The first GET of this route compiles its response schema: the user's password hash never leaves.
    const me = await t.request('GET', '/api/v1/me', { cookie });
    expect(me.statusCode).toBe(200);
    expect(me.body).not.toMatch(/hash|\$argon|\$scrypt/i);
    expect(me.json()).toMatchObject({ tenantId: t.tenantA });
  });

  it('compiles every schema left (hundreds of routes), none of them broken', () => {
    const compiled = t.app.schemas.compileAll();
    expect(compiled).toBeGreaterThan(300);
    expect(t.app.schemas.compileAll()).toBe(0);
  });
});

/**
 * What a security review of a running instance found, each reproduced through the real app:
 * huge integers, control and bidirectional characters in text, prototype keys in bodies,
 * transport headers, what /readyz tells strangers, and sessions that outlived a deactivation.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, sessionCookie, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.loginAs('admin')).cookie;
});
afterAll(async () => {
  await t.close();
});

describe('integers out of range', () => {
  const lists = ['/api/v1/users', '/api/v1/tenants', '/api/v1/teams', '/api/v1/profiles', '/api/v1/pause-types', '/api/v1/audit', '/api/v1/calls'];

  it.each(lists)('GET %s?offset=9223372036854775807 is a 400 naming offset, not a 500', async (url) => {
    const r = await t.request('GET', `${url}?offset=9223372036854775807`, { cookie: admin });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'invalid_field', details: { field: 'offset' } });
  });

  it('a huge id in a path or a body is a 400 naming it', async () => {
    const path = await t.request('GET', '/api/v1/users/9223372036854775807', { cookie: admin });
    expect(path.statusCode).toBe(400);
    expect(path.json().error.details.field).toBe('id');
    const body = await t.request('POST', '/api/v1/teams', { cookie: admin, body: { name: 'Big', supervisorIds: [2 ** 63] } });
    expect(body.statusCode).toBe(400);
    expect(body.json().error.details.field).toBe('supervisorIds.0');
  });

  it('the largest id a request may carry is still an ordinary 404', async () => {
    const r = await t.request('GET', `/api/v1/users/${Number.MAX_SAFE_INTEGER}`, { cookie: admin });
    expect(r.statusCode).toBe(404);
  });
});

describe('what the router refuses before any route runs', () => {
  it('a path parameter longer than its schema allows is a 400 naming it', async () => {
    const r = await t.request('GET', `/api/v1/calls/${'c'.repeat(200)}`, { cookie: admin });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.field).toBe('callId');
  });

  it('a path parameter past what the router takes is a 414 in the API error shape', async () => {
    const r = await t.request('GET', `/api/v1/calls/${'c'.repeat(1500)}`, { cookie: admin });
    expect(r.statusCode).toBe(414);
    expect(r.json()).toEqual({ error: { code: 'uri_too_long', message: expect.any(String), details: {} } });
  });

  it('a malformed percent-encoding in the path is a 400 in the API error shape', async () => {
    const r = await t.request('GET', '/api/v1/calls/%E0%A4%A', { cookie: admin });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'bad_url', details: {} });
  });
});

describe('control and bidirectional characters in text', () => {
  it.each([
    ['NUL', 'Suporte\u0000N1'],
    ['right-to-left override', 'Suporte \u202Egnp.exe'],
    ['a line feed in a one-line field', 'Suporte\nN1'],
    ['an escape sequence', 'Suporte\u001b[31m'],
  ])('a team name with %s is a 400 naming the field, and nothing is stored', async (_what, name) => {
    const before = t.count('teams');
    const r = await t.request('POST', '/api/v1/teams', { cookie: admin, body: { name } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'invalid_field', details: { field: 'name' } });
    expect(r.json().error.message).toMatch(/^body\.name /);
    expect(t.count('teams')).toBe(before);
  });

  it('a multi-line field keeps its line breaks and tabs, but not other control characters', async () => {
    const ok = await t.request('POST', '/api/v1/teams', {
      cookie: admin,
      body: { name: 'Multi-line', description: 'Primeira linha\r\n\tSegunda linha' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().description).toBe('Primeira linha\r\n\tSegunda linha');
    const bad = await t.request('PATCH', `/api/v1/teams/${ok.json().id}`, { cookie: admin, body: { description: 'a\u0007b' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('description');
  });

  it('a leap second, valid RFC 3339 that no JavaScript date holds, is a 400 naming the field', async () => {
    for (const url of ['/api/v1/calls?from=2016-12-31T23:59:60Z', '/api/v1/audit?to=2016-12-31T23:59:60Z']) {
      const r = await t.request('GET', url, { cookie: admin });
      expect(r.statusCode).toBe(400);
      expect(['from', 'to']).toContain(r.json().error.details.field);
    }
  });

  it('a query string with a NUL is refused too', async () => {
    const r = await t.request('GET', '/api/v1/audit?entity=user%00x', { cookie: admin });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.field).toBe('entity');
  });

  it('accents, emoji and right-to-left names are ordinary text', async () => {
    const r = await t.request('POST', '/api/v1/teams', { cookie: admin, body: { name: 'Atendimento São João 📞 \u200Fעברית' } });
    expect(r.statusCode).toBe(201);
  });
});

describe('prototype keys in a body', () => {
  it.each([
    ['{"name":"x","__proto__":{"admin":true}}', '__proto__'],
    ['{"name":"x","flags":{"constructor":{"prototype":{"a":1}}}}', 'flags.constructor'],
  ])('%s is a 400 that names the key, not "malformed JSON"', async (rawBody, field) => {
    const r = await t.request('POST', '/api/v1/teams', { cookie: admin, rawBody });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('invalid_field');
    expect(r.json().error.details.field).toBe(field);
    expect(r.json().error.message).toContain('not allowed as a key');
    expect(r.json().error.message).not.toMatch(/JSON/);
  });

  it('malformed JSON is still called malformed JSON', async () => {
    const r = await t.request('POST', '/api/v1/teams', { cookie: admin, rawBody: '{"name": ' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('malformed_json');
  });
});

describe('uploads (multipart forms)', () => {
  /** A prompt upload with text fields and files (field → file name), in that order. */
  const upload = (fields: Record<string, string>, files: [string, string][]) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    for (const [field, fileName] of files) f.append(field, new Blob([Buffer.from('RIFF not really audio')]), fileName);
    return t.app.inject({ method: 'POST', url: '/api/v1/telephony/prompts', headers: { cookie: admin }, body: f as never });
  };

  it.each([
    ['a second file', [['file', 'a.wav'], ['file', 'b.wav']], 'file'],
    ['a file under another name', [['file', 'a.wav'], ['extra', 'b.wav'], ['more', 'c.wav']], 'extra'],
    ['a file name with a right-to-left override', [['file', 'hold\u202Evaw.exe']], 'file'],
  ] as [string, [string, string][], string][])('%s is a 400 naming the field, and nothing is stored', async (_what, files, field) => {
    const r = await upload({ name: 'Upload' }, files);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'invalid_field', details: { field } });
    expect(t.count('prompts')).toBe(0);
  });

  const framed = (b: string) =>
    `--${b}\r\nContent-Disposition: form-data; name="name"\r\n\r\nCut\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF1234WAVEfmt \r\n--${b}--\r\n`;
  it.each([
    ['without a boundary', 'multipart/form-data', framed('b')],
    ['with a boundary longer than the parser takes', `multipart/form-data; boundary=${'b'.repeat(300)}`, framed('b'.repeat(300))],
    ['without its final boundary', 'multipart/form-data; boundary=b', framed('b').slice(0, -8)],
    ['cut short inside the file', 'multipart/form-data; boundary=b', framed('b').slice(0, 125)],
    ['cut short inside a header', 'multipart/form-data; boundary=b', framed('b').slice(0, 30)],
  ])('a multipart body %s is a 400 malformed_form, not a 500, and leaves nothing behind', async (_what, type, payload) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/telephony/prompts', headers: { cookie: admin, 'content-type': type }, payload });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'malformed_form', details: {} });
    expect(t.count('prompts')).toBe(0);
    const scratch = join(t.dataDir, 'tmp', 'prompts');
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
  });

  it.each(['__proto__', 'constructor'])('a form field named %s is a 400 invalid_field that says why', async (key) => {
    const r = await upload({ name: 'Proto', [key]: 'x' }, [['file', 'a.wav']]);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'invalid_field', details: {} });
    expect(r.json().error.message).toContain('__proto__, constructor');
  });
});

describe('transport security headers', () => {
  it('sends no HSTS over plain HTTP', async () => {
    const r = await t.request('GET', '/healthz');
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS over HTTPS (here: behind a trusted proxy that says so)', async () => {
    const s = await createTestApp({ config: { http: { trustProxy: true } } });
    try {
      const r = await s.request('GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await s.close();
    }
  });
});

describe('/readyz', () => {
  it('tells an anonymous caller or an agent only ok / not ok, and an admin the details', async () => {
    t.deps.readiness.register('ari', () => ({ ok: false, reason: 'cannot connect to http://10.1.2.3:8088' }));
    t.deps.readiness.register('asterisk', () => ({ ok: true, detail: 'real Asterisk at http://10.1.2.3:8088' }));
    const anonymous = await t.request('GET', '/readyz');
    expect(anonymous.statusCode).toBe(503);
    expect(anonymous.json()).toEqual({ ready: false, checks: { database: { ok: true }, ari: { ok: false }, asterisk: { ok: true } } });
    const agent = await t.loginAs('agent');
    expect((await t.request('GET', '/readyz', { cookie: agent.cookie })).body).not.toContain('10.1.2.3');
    const full = await t.request('GET', '/readyz', { cookie: admin });
    expect(full.json().checks.ari).toEqual({ ok: false, reason: 'cannot connect to http://10.1.2.3:8088' });
    expect(full.json().checks.asterisk.detail).toContain('10.1.2.3');
  });
});

describe('deactivation ends sessions for good', () => {
  it('a user deactivated and reactivated must log in again', async () => {
    const agent = await t.loginAs('agent');
    const off = await t.request('PATCH', `/api/v1/users/${agent.user.id}`, { cookie: admin, body: { active: false } });
    expect(off.statusCode).toBe(200);
    const on = await t.request('PATCH', `/api/v1/users/${agent.user.id}`, { cookie: admin, body: { active: true } });
    expect(on.statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { cookie: agent.cookie })).statusCode).toBe(401);
    expect((await t.login(agent.user.login, TEST_PASSWORD)).length).toBeGreaterThan(0);
  });

  it('every user of a tenant deactivated and reactivated must log in again', async () => {
    const tenant = t.createTenant('Short-lived Ltda');
    const agent = await t.loginAs('agent', { tenantId: tenant });
    const tenantAdmin = await t.loginAs('admin', { tenantId: tenant });
    const superUser = sessionCookie(await t.request('POST', '/api/v1/auth/login', { body: { login: 'admin', password: ADMIN_PASSWORD } }));
    for (const active of [false, true]) {
      const r = await t.request('PATCH', `/api/v1/tenants/${tenant}`, { cookie: superUser, body: { active } });
      expect(r.statusCode).toBe(200);
    }
    expect((await t.request('GET', '/api/v1/me', { cookie: agent.cookie })).statusCode).toBe(401);
    expect((await t.request('GET', '/api/v1/me', { cookie: tenantAdmin.cookie })).statusCode).toBe(401);
    // Other tenants' sessions are untouched.
    expect((await t.request('GET', '/api/v1/me', { cookie: admin })).statusCode).toBe(200);
  });
});

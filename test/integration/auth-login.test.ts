import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, sessionCookie, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const login = (login: string, password: string, ip = '10.0.0.1') =>
  t.request('POST', '/api/v1/auth/login', { body: { login, password }, remoteAddress: ip });

describe('login', () => {
  it('answers 200, the user and an HttpOnly SameSite=Strict session cookie for the right password', async () => {
    const { user } = await t.loginAs('agent');
    const res = await login(user.login, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ totpRequired: false, user: { id: user.id, login: user.login, level: 'agent' } });
    const cookie = res.cookies.find((c) => c.name === 'atende_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.secure).toBeUndefined();
    expect(res.body).not.toContain('passwordHash');

    const me = await t.request('GET', '/api/v1/me', { cookie: sessionCookie(res) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, permissions: expect.arrayContaining(['agent:write']), totpEnabled: false });
  });

  it('answers 401 with the same message for a wrong password and an unknown login', async () => {
    const { user } = await t.loginAs('agent');
    const wrongPassword = await login(user.login, 'not-the-password');
    const unknownLogin = await login('nobody.here', TEST_PASSWORD);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownLogin.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownLogin.json());
    expect(sessionCookie(wrongPassword)).toBeUndefined();
  });

  it('refuses an inactive user with the same 401', async () => {
    const { user } = await t.loginAs('agent');
    t.app.org.repo.updateUser(user.id, { active: false });
    const res = await login(user.login, TEST_PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('invalid login or password');
  });

  it('answers 429 with Retry-After on the 6th attempt within the window, even with the right password', async () => {
    const { user } = await t.loginAs('agent');
    for (let i = 0; i < 5; i++) expect((await login(user.login, `wrong-${i}`, '10.1.1.1')).statusCode).toBe(401);
    const sixth = await login(user.login, TEST_PASSWORD, '10.1.1.1');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error.code).toBe('too_many_requests');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(sessionCookie(sixth)).toBeUndefined();
    // The counter is per login too: another address is refused as well.
    expect((await login(user.login, TEST_PASSWORD, '10.9.9.9')).statusCode).toBe(429);

    t.clock.advance(61_000);
    expect((await login(user.login, TEST_PASSWORD, '10.1.1.1')).statusCode).toBe(200);
  });

  it('limits one address that tries many logins', async () => {
    for (let i = 0; i < 5; i++) expect((await login(`guess.${i}`, 'whatever', '10.2.2.2')).statusCode).toBe(401);
    expect((await login('admin', ADMIN_PASSWORD, '10.2.2.2')).statusCode).toBe(429);
    expect((await login('admin', ADMIN_PASSWORD, '10.3.3.3')).statusCode).toBe(200);
    t.clock.advance(61_000);
  });
});

describe('sessions', () => {
  it('cannot be used after logout (401), and logout is recorded as activity', async () => {
    const { cookie, user } = await t.loginAs('agent');
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(200);
    const out = await t.request('POST', '/api/v1/auth/logout', { cookie });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'atende_session')?.value).toBe('');
    const after = await t.request('GET', '/api/v1/me', { cookie });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
    const kinds = t.deps.database.sqlite
      .prepare('SELECT kind FROM agent_activity WHERE user_id = ? ORDER BY id')
      .all(user.id)
      .map((r) => (r as { kind: string }).kind);
    expect(kinds).toEqual(['login', 'logout']);
  });

  it('answers 401 without a cookie or with a forged one', async () => {
    expect((await t.request('GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await t.request('GET', '/api/v1/me', { cookie: 'atende_session=forged' })).statusCode).toBe(401);
  });

  it('expires after the configured idle time, and activity keeps it alive', async () => {
    const ttl = t.config.auth.sessionTtlMinutes * 60_000;
    const { cookie } = await t.loginAs('agent');
    t.clock.advance(ttl - 60_000);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(200);
    t.clock.advance(ttl - 60_000);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(200);
    t.clock.advance(ttl);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(401);
  });

  it('ends when the user is deactivated', async () => {
    const { cookie, user } = await t.loginAs('agent');
    const admin = await t.loginAs('admin');
    const res = await t.request('PATCH', `/api/v1/users/${user.id}`, { cookie: admin.cookie, body: { active: false } });
    expect(res.statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(401);
  });
});

describe('cookie flags', () => {
  it('marks the cookie Secure when http.cookieSecure is set', async () => {
    const s = await createTestApp({ config: { http: { cookieSecure: true } } });
    try {
      const res = await s.request('POST', '/api/v1/auth/login', { body: { login: 'admin', password: ADMIN_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'atende_session')?.secure).toBe(true);
    } finally {
      await s.close();
    }
  });
});

describe('housekeeping', () => {
  it('forgets sessions that ended more than 30 days ago, at the next login', async () => {
    const { cookie } = await t.loginAs('agent');
    await t.request('POST', '/api/v1/auth/logout', { cookie });
    const before = t.count('sessions');
    t.clock.advance(31 * 24 * 60 * 60_000);
    await t.loginAs('agent');
    expect(t.count('sessions')).toBeLessThan(before);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(401);
  });
});

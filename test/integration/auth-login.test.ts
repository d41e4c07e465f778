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

  it("one agent's typos behind a shared address do not lock the others out", async () => {
    const typist = await t.loginAs('agent');
    const colleague = await t.loginAs('agent');
    for (let i = 0; i < 5; i++) expect((await login(typist.user.login, `typo-${i}`, '10.4.4.4')).statusCode).toBe(401);
    expect((await login(typist.user.login, TEST_PASSWORD, '10.4.4.4')).statusCode).toBe(429);
    expect((await login(colleague.user.login, TEST_PASSWORD, '10.4.4.4')).statusCode).toBe(200);
  });

  it('locks a login out twice as long each time it is locked again', async () => {
    const { user } = await t.loginAs('agent');
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) expect((await login(user.login, `wrong-${round}-${i}`, '10.5.5.5')).statusCode).toBe(401);
      const locked = await login(user.login, TEST_PASSWORD, '10.5.5.5');
      expect(locked.statusCode).toBe(429);
      waits.push(Number(locked.headers['retry-after']));
      t.clock.advance(waits[round]! * 1000);
    }
    expect(waits).toEqual([60, 120, 240]);
    // The right password ends the back-off.
    expect((await login(user.login, TEST_PASSWORD, '10.5.5.5')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) await login(user.login, `again-${i}`, '10.5.5.5');
    expect(Number((await login(user.login, TEST_PASSWORD, '10.5.5.5')).headers['retry-after'])).toBe(60);
    t.clock.advance(61_000);
  });

  it('checks at most the allowed number of passwords of a concurrent batch of guesses', async () => {
    const { user } = await t.loginAs('agent');
    const guesses = Array.from({ length: 100 }, (_, i) => (i === 60 ? TEST_PASSWORD : `guess-${i}`));
    const answers = await Promise.all(guesses.map((g) => login(user.login, g, '10.6.6.6')));
    const statuses = answers.map((r) => r.statusCode);
    // A checked password answers 401 or 200; the rest were refused before any check.
    const checked = statuses.filter((s) => s !== 429);
    expect(checked.length).toBeLessThanOrEqual(t.config.auth.loginMaxFailures);
    expect(statuses[60]).toBe(429);
    expect(answers.some((r) => sessionCookie(r) !== undefined)).toBe(false);
    t.clock.advance(61_000);
  });

  it('takes back the attempt of a right password, so a login that works never locks itself out', async () => {
    const { user } = await t.loginAs('agent');
    for (let i = 0; i < 4; i++) await login(user.login, `wrong-${i}`, '10.7.7.7');
    expect((await login(user.login, TEST_PASSWORD, '10.7.7.7')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(user.login, `wrong-again-${i}`, '10.7.7.7')).statusCode).toBe(401);
    expect((await login(user.login, TEST_PASSWORD, '10.7.7.7')).statusCode).toBe(200);
  });
});

describe('login limit per address', () => {
  it('stops one address that tries many logins at its own limit (ATENDE_LOGIN_MAX_FAILURES_PER_ADDRESS)', async () => {
    const s = await createTestApp({ config: { auth: { loginMaxFailuresPerAddress: 8 } } });
    try {
      const from = (ip: string, l: string, p: string) =>
        s.request('POST', '/api/v1/auth/login', { body: { login: l, password: p }, remoteAddress: ip });
      for (let i = 0; i < 8; i++) expect((await from('10.2.2.2', `guess.${i}`, 'whatever')).statusCode).toBe(401);
      expect((await from('10.2.2.2', 'admin', ADMIN_PASSWORD)).statusCode).toBe(429);
      expect((await from('10.3.3.3', 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('sessions', () => {
  it('cannot be used after logout (401), and logout is recorded as activity', async () => {
    const { cookie, user } = await t.loginAs('agent');
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(200);
    const out = await t.request('POST', '/api/v1/auth/logout', { cookie });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'atende_session');
    expect(cleared?.value).toBe('');
    // The clearing cookie carries the session cookie's own attributes.
    expect(cleared).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
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

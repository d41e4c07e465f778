import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookie, TEST_PASSWORD, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
});
afterAll(async () => {
  await t.close();
});

const createUser = async (login: string, password = 'first-pass-1') => {
  const res = await t.request('POST', '/api/v1/users', {
    cookie: admin.cookie,
    body: { name: 'New Agent', login, password, level: 'agent' },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number };
};
const loginRes = (login: string, password: string) => t.request('POST', '/api/v1/auth/login', { body: { login, password } });

describe('forced password change on first access', () => {
  it('lets the new user in only to see itself, log out or change the password', async () => {
    await createUser('first.access');
    const res = await loginRes('first.access', 'first-pass-1');
    expect(res.statusCode).toBe(200);
    expect(res.json().user.passwordChangeRequired).toBe(true);
    const cookie = sessionCookie(res);

    const blocked = await t.request('GET', '/api/v1/pause-types', { cookie });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    expect((await t.request('POST', '/api/v1/auth/totp/enrol', { cookie, body: { password: 'first-pass-1' } })).json().error.code).toBe(
      'password_change_required',
    );
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(200);

    const same = await t.request('POST', '/api/v1/auth/password', {
      cookie,
      body: { currentPassword: 'first-pass-1', newPassword: 'first-pass-1' },
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.details.field).toBe('newPassword');
    const short = await t.request('POST', '/api/v1/auth/password', { cookie, body: { currentPassword: 'first-pass-1', newPassword: '12345' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details.field).toBe('newPassword');
    const wrong = await t.request('POST', '/api/v1/auth/password', { cookie, body: { currentPassword: 'wrong-one', newPassword: 'mine-now-1' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.field).toBe('currentPassword');

    const changed = await t.request('POST', '/api/v1/auth/password', {
      cookie,
      body: { currentPassword: 'first-pass-1', newPassword: 'mine-now-1' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().passwordChangeRequired).toBe(false);
    expect((await t.request('GET', '/api/v1/pause-types', { cookie })).statusCode).toBe(200);
    expect((await loginRes('first.access', 'first-pass-1')).statusCode).toBe(401);
    expect((await loginRes('first.access', 'mine-now-1')).statusCode).toBe(200);
  });

  it('ends the other sessions of the user but keeps the one that changed it', async () => {
    const { user, cookie } = await t.loginAs('agent');
    const other = await t.login(user.login, TEST_PASSWORD);
    const res = await t.request('POST', '/api/v1/auth/password', {
      cookie,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'another-pass-2' },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { cookie: other })).statusCode).toBe(401);
  });
});

describe('admin password reset', () => {
  it('sets a generated password, ends every session of the user, and forces a change', async () => {
    const { user, cookie } = await t.loginAs('agent');
    const res = await t.request('POST', `/api/v1/users/${user.id}/password-reset`, { cookie: admin.cookie, body: {} });
    expect(res.statusCode).toBe(200);
    const temporary = res.json().temporaryPassword as string;
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    expect(res.json().user.passwordChangeRequired).toBe(true);

    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(401);
    expect((await loginRes(user.login, TEST_PASSWORD)).statusCode).toBe(401);
    const after = await loginRes(user.login, temporary);
    expect(after.statusCode).toBe(200);
    expect(after.json().user.passwordChangeRequired).toBe(true);
    expect((await t.request('GET', '/api/v1/pause-types', { cookie: sessionCookie(after) })).statusCode).toBe(403);
  });

  it('accepts a password chosen by the admin and does not echo it back', async () => {
    const { user } = await t.loginAs('agent');
    const res = await t.request('POST', `/api/v1/users/${user.id}/password-reset`, {
      cookie: admin.cookie,
      body: { newPassword: 'chosen-by-admin' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().temporaryPassword).toBeUndefined();
    expect((await loginRes(user.login, 'chosen-by-admin')).statusCode).toBe(200);
  });

  it('is refused to an agent (403) and for a too-short password (400)', async () => {
    const agent = await t.loginAs('agent');
    expect(
      (await t.request('POST', `/api/v1/users/${admin.user.id}/password-reset`, { cookie: agent.cookie, body: {} })).statusCode,
    ).toBe(403);
    const res = await t.request('POST', `/api/v1/users/${agent.user.id}/password-reset`, {
      cookie: admin.cookie,
      body: { newPassword: '123' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('newPassword');
  });
});

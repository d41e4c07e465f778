import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/auth/index.js';
import { createTestApp, sessionCookie, TEST_PASSWORD, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let user: LoggedIn;
let secret: string;
let recoveryCodes: string[];
const code = (offsetMs = 0) => totp(base32Decode(secret), t.clock.now() + offsetMs);

const passwordStep = async () => {
  const res = await t.request('POST', '/api/v1/auth/login', { body: { login: user.user.login, password: TEST_PASSWORD } });
  expect(res.statusCode).toBe(200);
  expect(sessionCookie(res)).toBeUndefined();
  expect(res.json().totpRequired).toBe(true);
  return res.json().challenge as string;
};
const codeStep = (challenge: string, c: string) =>
  t.request('POST', '/api/v1/auth/login/totp', { body: { challenge, code: c } });

beforeAll(async () => {
  t = await createTestApp();
  user = await t.loginAs('agent');
});
afterAll(async () => {
  await t.close();
});

describe('TOTP second factor', () => {
  it('refuses to enrol on the session alone: the current password is required and checked', async () => {
    const none = await t.request('POST', '/api/v1/auth/totp/enrol', { cookie: user.cookie });
    expect(none.statusCode).toBe(400);
    const wrong = await t.request('POST', '/api/v1/auth/totp/enrol', { cookie: user.cookie, body: { password: 'not-mine-1' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.field).toBe('password');
    expect(t.count('user_totp')).toBe(0);
  });

  it('enrols: a secret and an otpauth URI, not active until confirmed', async () => {
    const res = await t.request('POST', '/api/v1/auth/totp/enrol', { cookie: user.cookie, body: { password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    secret = res.json().secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.json().otpauthUri).toBe(
      `otpauth://totp/Atende:${encodeURIComponent(user.user.login)}?secret=${secret}&issuer=Atende&algorithm=SHA1&digits=6&period=30`,
    );
    expect((await t.request('GET', '/api/v1/me', { cookie: user.cookie })).json().totpEnabled).toBe(false);
    // Until confirmed, the password alone still logs in.
    await t.login(user.user.login, TEST_PASSWORD);
  });

  it('refuses a wrong confirmation code, naming the field', async () => {
    const wrong = code() === '000000' ? '111111' : '000000';
    const res = await t.request('POST', '/api/v1/auth/totp/confirm', { cookie: user.cookie, body: { code: wrong } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('code');
    expect((await t.request('GET', '/api/v1/me', { cookie: user.cookie })).json().totpEnabled).toBe(false);
  });

  it('activates with a right code and gives 10 recovery codes, stored hashed', async () => {
    const res = await t.request('POST', '/api/v1/auth/totp/confirm', { cookie: user.cookie, body: { code: code() } });
    expect(res.statusCode).toBe(200);
    recoveryCodes = res.json().recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await t.request('GET', '/api/v1/me', { cookie: user.cookie })).json().totpEnabled).toBe(true);
    const stored = t.deps.database.sqlite.prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ?').all(user.user.id) as {
      code_hash: string;
    }[];
    expect(stored).toHaveLength(10);
    for (const c of recoveryCodes) expect(stored.map((s) => s.code_hash)).not.toContain(c);
    const again = await t.request('POST', '/api/v1/auth/totp/enrol', { cookie: user.cookie, body: { password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(409);
  });

  it('then logs in in two steps: password → challenge, code → session', async () => {
    t.clock.advance(30_000);
    const challenge = await passwordStep();
    const res = await codeStep(challenge, code());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ totpRequired: false, user: { id: user.user.id, totpEnabled: true } });
    const cookie = sessionCookie(res);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(200);
  });

  it('refuses the same code twice (replay), a wrong code, and an unknown challenge', async () => {
    t.clock.advance(30_000);
    const first = await codeStep(await passwordStep(), code());
    expect(first.statusCode).toBe(200);
    const replay = await codeStep(await passwordStep(), code());
    expect(replay.statusCode).toBe(401);
    const wrong = await codeStep(await passwordStep(), code(5 * 60_000));
    expect(wrong.statusCode).toBe(401);
    expect(sessionCookie(wrong)).toBeUndefined();
    expect((await codeStep('made-up-challenge', code())).statusCode).toBe(401);
  });

  it('lets a challenge expire after five minutes', async () => {
    const challenge = await passwordStep();
    t.clock.advance(5 * 60_000 + 1);
    expect((await codeStep(challenge, code())).statusCode).toBe(401);
  });

  it('accepts a recovery code once only', async () => {
    t.clock.advance(61_000); // clear the failures counted above
    const rc = recoveryCodes[0]!;
    const ok = await codeStep(await passwordStep(), rc.toUpperCase());
    expect(ok.statusCode).toBe(200);
    expect(sessionCookie(ok)).toBeDefined();
    const reused = await codeStep(await passwordStep(), rc);
    expect(reused.statusCode).toBe(401);
    expect((await codeStep(await passwordStep(), recoveryCodes[1]!)).statusCode).toBe(200);
  });

  it('turns off with the password, after which the password alone logs in again', async () => {
    t.clock.advance(61_000);
    const wrong = await t.request('POST', '/api/v1/auth/totp/disable', { cookie: user.cookie, body: { password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.field).toBe('password');
    const res = await t.request('POST', '/api/v1/auth/totp/disable', { cookie: user.cookie, body: { password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(204);
    await t.login(user.user.login, TEST_PASSWORD);
    expect(t.count('recovery_codes')).toBe(0);
  });

  it('is removed by an admin reset that asks for it', async () => {
    const other = await t.loginAs('agent');
    const enrol = await t.request('POST', '/api/v1/auth/totp/enrol', { cookie: other.cookie, body: { password: TEST_PASSWORD } });
    const key = base32Decode(enrol.json().secret);
    await t.request('POST', '/api/v1/auth/totp/confirm', { cookie: other.cookie, body: { code: totp(key, t.clock.now()) } });
    const admin = await t.loginAs('admin');
    const res = await t.request('POST', `/api/v1/users/${other.user.id}/password-reset`, {
      cookie: admin.cookie,
      body: { newPassword: 'fresh-pass-1', disableTotp: true },
    });
    expect(res.statusCode).toBe(200);
    const login = await t.request('POST', '/api/v1/auth/login', { body: { login: other.user.login, password: 'fresh-pass-1' } });
    expect(login.json().totpRequired).toBe(false);
  });
});

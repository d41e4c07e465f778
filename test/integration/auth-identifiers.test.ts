/**
 * Logging in with a login name, e-mail, matrícula or CPF; the fields behind them (unique per
 * tenant, CPF check digits); and identifiers shared by users of different tenants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/auth/index.js';
import { createTestApp, sessionCookie, TEST_PASSWORD, validCpf, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;
let tenantB: number;
let adminB: LoggedIn;

const login = (identifier: string, password = TEST_PASSWORD, ip = '10.1.0.1') =>
  t.request('POST', '/api/v1/auth/login', { body: { login: identifier, password }, remoteAddress: ip });

let n = 0;
const createUser = async (who: LoggedIn, fields: Record<string, unknown>) =>
  t.request('POST', '/api/v1/users', {
    cookie: who.cookie,
    body: { name: 'Operadora', login: `op.ident.${++n}`, password: TEST_PASSWORD, level: 'agent', passwordChangeRequired: false, ...fields },
  });

beforeAll(async () => {
  t = await createTestApp({ config: { auth: { loginMaxFailures: 5, loginWindowSeconds: 60 } } });
  admin = await t.loginAs('admin');
  tenantB = t.createTenant('Tenant B');
  adminB = await t.loginAs('admin', { tenantId: tenantB });
});
afterAll(async () => {
  await t.close();
});

describe('login identifiers', () => {
  it('logs the same user in by login name, e-mail (any case), matrícula or CPF (masked or bare)', async () => {
    const cpf = validCpf(11_000_001);
    const masked = `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
    const res = await createUser(admin, { email: 'Maria.Silva@example.com', employeeNumber: 'M-1001', cpf: masked });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ employeeNumber: 'M-1001', cpf });

    for (const identifier of [user.login, 'maria.silva@EXAMPLE.com', 'M-1001', cpf, masked, ` ${cpf} `]) {
      const r = await login(identifier, TEST_PASSWORD, '10.1.0.2');
      expect(r.statusCode, identifier).toBe(200);
      expect(r.json().user.id).toBe(user.id);
      expect(sessionCookie(r)).toBeDefined();
    }
  });

  it('asks for the TOTP code after any identifier when the user enrolled', async () => {
    const cpf = validCpf(11_000_002);
    const user = (await createUser(admin, { cpf, employeeNumber: '2002' })).json();
    const cookie = await t.login(user.login, TEST_PASSWORD);
    const { secret } = (await t.request('POST', '/api/v1/auth/totp/enrol', { cookie, body: { password: TEST_PASSWORD } })).json();
    const code = () => totp(base32Decode(secret), t.clock.now());
    expect((await t.request('POST', '/api/v1/auth/totp/confirm', { cookie, body: { code: code() } })).statusCode).toBe(200);

    const step = await login(cpf, TEST_PASSWORD, '10.1.0.3');
    expect(step.statusCode).toBe(200);
    expect(step.json()).toMatchObject({ totpRequired: true });
    expect(sessionCookie(step)).toBeUndefined();
    t.clock.advance(30_000);
    const done = await t.request('POST', '/api/v1/auth/login/totp', { body: { challenge: step.json().challenge, code: code() } });
    expect(done.statusCode).toBe(200);
    expect(done.json().user.id).toBe(user.id);
  });

  it('refuses an identifier two users of different tenants share, with the same 401 as a wrong password', async () => {
    const cpf = validCpf(11_000_003);
    const a = (await createUser(admin, { email: 'shared@example.com', employeeNumber: 'X-9', cpf })).json();
    const b = (await createUser(adminB, { email: 'SHARED@example.com', employeeNumber: 'X-9', cpf })).json();
    expect(a.tenantId).not.toBe(b.tenantId);

    const wrongPassword = await login(a.login, 'not-the-password', '10.1.0.4');
    expect(wrongPassword.statusCode).toBe(401);
    for (const identifier of ['shared@example.com', 'X-9', cpf]) {
      const r = await login(identifier, TEST_PASSWORD, '10.1.0.4');
      expect(r.statusCode, identifier).toBe(401);
      expect(r.json()).toEqual(wrongPassword.json());
      expect(sessionCookie(r)).toBeUndefined();
    }
    // Each still logs in by login name, as itself.
    expect((await login(a.login, TEST_PASSWORD, '10.1.0.5')).json().user.id).toBe(a.id);
    expect((await login(b.login, TEST_PASSWORD, '10.1.0.5')).json().user.id).toBe(b.id);
  });

  it('refuses an e-mail that two users of one tenant share', async () => {
    await createUser(admin, { email: 'equipe@example.com' });
    await createUser(admin, { email: 'equipe@example.com' });
    expect((await login('equipe@example.com', TEST_PASSWORD, '10.1.0.6')).statusCode).toBe(401);
  });

  it('a login name wins over another user’s matrícula of the same text', async () => {
    const owner = (await createUser(admin, { login: 'mat.12345' })).json();
    const other = (await createUser(adminB, { employeeNumber: 'mat.12345', password: 'other-password' })).json();
    expect((await login('mat.12345', TEST_PASSWORD, '10.1.0.7')).json().user.id).toBe(owner.id);
    // The matrícula's owner cannot use it (its password is checked against the login's owner only).
    expect((await login('mat.12345', 'other-password', '10.1.0.7')).statusCode).toBe(401);
    expect((await login(other.login, 'other-password', '10.1.0.7')).statusCode).toBe(200);
  });

  it('counts failures against the user however it is named (CPF masks buy no extra guesses)', async () => {
    const cpf = validCpf(11_000_004);
    const user = (await createUser(admin, { cpf, email: 'limit@example.com' })).json();
    const variants = [cpf, `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`, ` ${cpf}`, 'LIMIT@example.com', user.login];
    for (const [i, identifier] of variants.entries()) {
      expect((await login(identifier, 'wrong-password', `10.2.0.${i}`)).statusCode).toBe(401);
    }
    const blocked = await login(user.login, TEST_PASSWORD, '10.2.0.99');
    expect(blocked.statusCode).toBe(429);
    t.clock.advance(61_000);
  });
});

describe('matrícula and CPF fields', () => {
  it('refuses a CPF with wrong check digits, naming the field, and stores nothing', async () => {
    const before = t.count('users');
    const cpf = validCpf(11_000_005);
    const wrong = cpf.slice(0, 10) + String((Number(cpf[10]) + 1) % 10);
    const res = await createUser(admin, { cpf: wrong });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_field', details: { field: 'cpf' } });
    expect((await createUser(admin, { cpf: '123' })).json().error.details.field).toBe('cpf');
    expect(t.count('users')).toBe(before);
  });

  it('keeps matrícula and CPF unique in a tenant (409 naming the field) but not across tenants', async () => {
    const cpf = validCpf(11_000_006);
    expect((await createUser(admin, { employeeNumber: 'U-1', cpf })).statusCode).toBe(201);
    const dupMat = await createUser(admin, { employeeNumber: 'U-1' });
    expect(dupMat.statusCode).toBe(409);
    expect(dupMat.json().error.details.field).toBe('employeeNumber');
    const dupCpf = await createUser(admin, { cpf });
    expect(dupCpf.statusCode).toBe(409);
    expect(dupCpf.json().error.details.field).toBe('cpf');
    expect((await createUser(adminB, { employeeNumber: 'U-1', cpf })).statusCode).toBe(201);
  });

  it('refuses a matrícula with characters outside letters, digits and . / -', async () => {
    const res = await createUser(admin, { employeeNumber: 'M 1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('employeeNumber');
  });

  it('edits and clears them; the old matrícula no longer logs in, the new one does', async () => {
    const user = (await createUser(admin, { employeeNumber: 'OLD-1' })).json();
    const patched = await t.request('PATCH', `/api/v1/users/${user.id}`, {
      cookie: admin.cookie,
      body: { employeeNumber: 'NEW-1', cpf: validCpf(11_000_007) },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ employeeNumber: 'NEW-1', cpf: validCpf(11_000_007) });
    expect((await login('OLD-1', TEST_PASSWORD, '10.1.0.8')).statusCode).toBe(401);
    expect((await login('NEW-1', TEST_PASSWORD, '10.1.0.8')).json().user.id).toBe(user.id);

    const cleared = await t.request('PATCH', `/api/v1/users/${user.id}`, { cookie: admin.cookie, body: { employeeNumber: null, cpf: null } });
    expect(cleared.json()).toMatchObject({ employeeNumber: null, cpf: null });
    expect((await login('NEW-1', TEST_PASSWORD, '10.1.0.8')).statusCode).toBe(401);
  });
});

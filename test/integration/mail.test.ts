/**
 * Outgoing mail against real SMTP servers started here (never a real one): the platform's
 * settings, the test message, each TLS mode, "forgot password" and first-access links.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totp } from '../../src/auth/index.js';
import { createSmtpMailer } from '../../src/mail/index.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { createTestApp, sessionCookie, TEST_PASSWORD, type LoggedIn, type TestApp } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { openSocket } from '../helpers/socket.js';

const PUBLIC_URL = 'https://atende.example.com';
// A self-signed certificate for 127.0.0.1, valid until 2126, made for these tests only.
const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
const cert = readFileSync(join(TLS_DIR, 'test-cert.pem'), 'utf8');
const key = readFileSync(join(TLS_DIR, 'test-key.pem'), 'utf8');

let t: TestApp;
let smtp: TestSmtp;
let su: LoggedIn;
let admin: LoggedIn;

const settings = (over: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port: smtp.port,
  tls: 'none',
  username: 'atende',
  password: 'smtp-secret',
  senderAddress: 'atende@example.com',
  senderName: 'Atende',
  ...over,
});
const putSettings = (who: LoggedIn, body: unknown) => t.request('PUT', '/api/v1/settings/mail', { cookie: who.cookie, body });
const forgot = (login: string, ip = '10.9.0.1') => t.request('POST', '/api/v1/auth/password/forgot', { body: { login }, remoteAddress: ip });
const linkInfo = (token: string, ip = '10.9.1.1') => t.request('POST', '/api/v1/auth/password/link', { body: { token }, remoteAddress: ip });
const reset = (token: string, newPassword: string, ip = '10.9.1.1') =>
  t.request('POST', '/api/v1/auth/password/reset', { body: { token, newPassword }, remoteAddress: ip });
const tokenIn = (text: string, page: string) => {
  const m = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}/${page}#token=([A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no ${page} link in:\n${text}`);
  return m[1]!;
};
const tokensOf = (userId: number) =>
  (t.deps.database.sqlite.prepare('SELECT count(*) AS n FROM password_tokens WHERE user_id = ?').get(userId) as { n: number }).n;

let n = 0;
const newUser = async (fields: Record<string, unknown> = {}) =>
  t.app.org.createUser({ actor: SYSTEM_ACTOR }, t.tenantA, {
    name: 'Maria Souza',
    login: `maria.${++n}`,
    password: TEST_PASSWORD,
    level: 'agent',
    email: `maria.${n}@example.com`,
    passwordChangeRequired: false,
    ...fields,
  });

beforeAll(async () => {
  smtp = await startSmtp({ users: { atende: 'smtp-secret' } });
  t = await createTestApp({ config: { http: { publicUrl: `${PUBLIC_URL}/` } }, mailer: createSmtpMailer({ ca: cert, timeoutMs: 5000 }) });
  su = await t.loginAs('super');
  admin = await t.loginAs('admin');
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('mail settings', () => {
  it('are for super users only (a tenant admin and an agent get 403)', async () => {
    expect((await t.request('GET', '/api/v1/settings/mail', { cookie: admin.cookie })).statusCode).toBe(403);
    expect((await putSettings(admin, settings())).statusCode).toBe(403);
    const agent = await t.loginAs('agent');
    expect((await t.request('GET', '/api/v1/settings/mail', { cookie: agent.cookie })).statusCode).toBe(403);
    expect(t.count('mail_settings')).toBe(0);
  });

  it('say when nothing is configured, and a test then answers 409', async () => {
    expect((await t.request('GET', '/api/v1/settings/mail', { cookie: su.cookie })).json()).toEqual({ configured: false, settings: null });
    const res = await t.request('POST', '/api/v1/settings/mail/test', { cookie: su.cookie, body: { to: 'x@example.com' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('mail_not_configured');
  });

  it('refuses bad values naming the field, and keeps nothing', async () => {
    for (const [over, field] of [
      [{ port: 0 }, 'port'],
      [{ port: 70000 }, 'port'],
      [{ tls: 'ssl' }, 'tls'],
      [{ senderAddress: 'not an address' }, 'senderAddress'],
      [{ host: '' }, 'host'],
      [{ extra: 1 }, 'extra'],
    ] as const) {
      const res = await putSettings(su, settings(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    expect(t.count('mail_settings')).toBe(0);
  });

  it('are stored; the password is write-only: never answered, never audited', async () => {
    const res = await putSettings(su, settings());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      configured: true,
      settings: { host: '127.0.0.1', port: smtp.port, tls: 'none', username: 'atende', passwordSet: true, senderAddress: 'atende@example.com' },
    });
    expect(res.body).not.toContain('smtp-secret');
    expect((await t.request('GET', '/api/v1/settings/mail', { cookie: su.cookie })).body).not.toContain('smtp-secret');
    const audit = (await t.request('GET', '/api/v1/audit', { cookie: su.cookie, query: { entity: 'mail_settings', tenantId: su.user.tenantId } })).json();
    expect(audit.total).toBe(1);
    expect(JSON.stringify(audit)).not.toContain('smtp-secret');
    // Omitting the password keeps it.
    expect((await putSettings(su, { ...settings(), password: undefined })).json().settings.passwordSet).toBe(true);
  });

  it('send a test message through the server, authenticated, from the sender', async () => {
    const res = await t.request('POST', '/api/v1/settings/mail/test', { cookie: su.cookie, body: { to: 'ops@example.com' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sent: true, messageId: expect.any(String) });
    const mail = await smtp.next();
    expect(mail).toMatchObject({ from: 'atende@example.com', to: ['ops@example.com'], user: 'atende', secure: false });
    expect(mail.subject).toContain('teste');
    expect(mail.headers.from).toBe('Atende <atende@example.com>');
  });

  it('report the server’s refusal as 502 with its answer (wrong password, server down)', async () => {
    await putSettings(su, settings({ password: 'wrong' }));
    const refused = await t.request('POST', '/api/v1/settings/mail/test', { cookie: su.cookie, body: { to: 'ops@example.com' } });
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error).toMatchObject({ code: 'mail_failed', message: expect.stringMatching(/Invalid username or password/) });

    const closed = await startSmtp();
    const port = closed.port;
    await closed.close();
    await putSettings(su, settings({ port }));
    const down = await t.request('POST', '/api/v1/settings/mail/test', { cookie: su.cookie, body: { to: 'ops@example.com' } });
    expect(down.statusCode).toBe(502);
    expect(down.json().error.code).toBe('mail_failed');
    await putSettings(su, settings());
  });
});

describe('TLS modes', () => {
  const viaServer = async (server: TestSmtp, tls: string) => {
    await putSettings(su, settings({ port: server.port, tls }));
    return t.request('POST', '/api/v1/settings/mail/test', { cookie: su.cookie, body: { to: 'ops@example.com' } });
  };
  afterAll(async () => {
    await putSettings(su, settings());
  });

  it('starttls upgrades the connection before logging in', async () => {
    const server = await startSmtp({ users: { atende: 'smtp-secret' }, key, cert });
    expect((await viaServer(server, 'starttls')).statusCode).toBe(200);
    expect((await server.next()).secure).toBe(true);
    await server.close();
  });

  it('starttls refuses a server that does not offer it, rather than sending the password in clear', async () => {
    const server = await startSmtp({ users: { atende: 'smtp-secret' }, key, cert, noStartTls: true });
    const res = await viaServer(server, 'starttls');
    expect(res.statusCode).toBe(502);
    expect(server.received).toEqual([]);
    await server.close();
  });

  it('implicit speaks TLS from the first byte', async () => {
    const server = await startSmtp({ users: { atende: 'smtp-secret' }, key, cert, secure: true });
    expect((await viaServer(server, 'implicit')).statusCode).toBe(200);
    expect((await server.next()).secure).toBe(true);
    await server.close();
  });

  it('none never upgrades, even when the server offers STARTTLS', async () => {
    const server = await startSmtp({ users: { atende: 'smtp-secret' }, key, cert });
    expect((await viaServer(server, 'none')).statusCode).toBe(200);
    expect((await server.next()).secure).toBe(false);
    await server.close();
  });
});

describe('forgot password', () => {
  it('answers the same for an unknown identifier, a user without e-mail and a real one; only the real one gets a mail', async () => {
    const noMail = await newUser({ email: null });
    const user = await newUser();
    const answers = [await forgot('nobody.at.all'), await forgot(noMail.login), await forgot(user.email!)];
    for (const a of answers) {
      expect(a.statusCode).toBe(202);
      expect(a.json()).toEqual(answers[0]!.json());
    }
    expect(tokensOf(noMail.id)).toBe(0);
    const mail = await smtp.next();
    expect(mail.to).toEqual([user.email]);
    expect(mail.text).toContain(user.login);
    expect(mail.text).toContain('vale por 1 hora');
    expect(smtp.received).toHaveLength(smtp.received.indexOf(mail) + 1);
  });

  it('mails a link that sets the password once, ends every session, and is refused when used again', async () => {
    const user = await newUser({ employeeNumber: 'F-77' });
    const before = await t.login(user.login, TEST_PASSWORD);
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const socket = await openSocket(`${base.replace(/^http/, 'ws')}/api/v1/events`, { cookie: before, origin: base });
    expect((await forgot('F-77')).statusCode).toBe(202);
    const token = tokenIn((await smtp.next()).text, 'reset-password');
    // Only the hash is stored.
    expect(JSON.stringify(t.deps.database.sqlite.prepare('SELECT * FROM password_tokens').all())).not.toContain(token);

    expect((await linkInfo(token)).json()).toMatchObject({ purpose: 'reset', login: user.login, name: 'Maria Souza' });
    const done = await reset(token, 'a-brand-new-password');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ login: user.login });

    expect((await t.request('GET', '/api/v1/me', { cookie: before })).statusCode).toBe(401);
    expect((await socket.closed).code).toBe(4001);
    expect((await t.request('POST', '/api/v1/auth/login', { body: { login: user.login, password: TEST_PASSWORD } })).statusCode).toBe(401);
    const fresh = await t.login(user.login, 'a-brand-new-password');
    expect((await t.request('GET', '/api/v1/me', { cookie: fresh })).json().passwordChangeRequired).toBe(false);

    const again = await reset(token, 'yet-another-password');
    expect(again.statusCode).toBe(400);
    expect(again.json().error.details.field).toBe('token');
    expect((await linkInfo(token)).statusCode).toBe(400);
    const audit = (await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entityId: String(user.id), action: 'password_reset_by_link' } })).json();
    expect(audit.items[0]).toMatchObject({ actorUserId: user.id, entity: 'user' });
  });

  it('refuses an expired link, and an older link once a newer one was sent', async () => {
    const user = await newUser();
    await forgot(user.login, '10.9.0.2');
    const first = tokenIn((await smtp.next()).text, 'reset-password');
    await forgot(user.login, '10.9.0.2');
    const second = tokenIn((await smtp.next()).text, 'reset-password');
    expect((await reset(first, 'new-password-1', '10.9.1.2')).json().error.details.field).toBe('token');

    t.clock.advance(60 * 60_000);
    const expired = await reset(second, 'new-password-2', '10.9.1.2');
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.details.field).toBe('token');
    await t.login(user.login, TEST_PASSWORD);
  });

  it('still asks for the TOTP code after a reset: a mailbox alone does not pass the second factor', async () => {
    const user = await newUser();
    const cookie = await t.login(user.login, TEST_PASSWORD);
    const { secret } = (await t.request('POST', '/api/v1/auth/totp/enrol', { cookie, body: { password: TEST_PASSWORD } })).json();
    await t.request('POST', '/api/v1/auth/totp/confirm', { cookie, body: { code: totp(base32Decode(secret), t.clock.now()) } });
    await forgot(user.login, '10.9.0.3');
    await reset(tokenIn((await smtp.next()).text, 'reset-password'), 'after-reset-password', '10.9.1.3');
    const login = await t.request('POST', '/api/v1/auth/login', { body: { login: user.login, password: 'after-reset-password' } });
    expect(login.json()).toMatchObject({ totpRequired: true });
    expect(sessionCookie(login)).toBeUndefined();
  });

  it('limits requests per address (429 for everyone alike) and mails one user at most 3 links in 15 minutes', async () => {
    for (let i = 0; i < 5; i++) expect((await forgot(`nobody.${i}`, '10.9.0.50')).statusCode).toBe(202);
    const blocked = await forgot('nobody.5', '10.9.0.50');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();

    const user = await newUser();
    for (let i = 0; i < 4; i++) expect((await forgot(user.login, `10.9.2.${i}`)).statusCode).toBe(202);
    for (let i = 0; i < 3; i++) await smtp.next();
    expect(tokensOf(user.id)).toBe(3);
    t.clock.advance(15 * 60_000);
  });

  it('refuses a malformed token naming the field, and limits guesses per address', async () => {
    const bad = await reset('short', 'whatever-password', '10.9.3.1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('token');
    for (let i = 0; i < 5; i++) expect((await linkInfo('A'.repeat(43), '10.9.3.2')).statusCode).toBe(400);
    expect((await linkInfo('A'.repeat(43), '10.9.3.2')).statusCode).toBe(429);
  });
});

describe('first-access link', () => {
  it('lets an admin mail a new user without a password a link to choose one', async () => {
    const created = await t.request('POST', '/api/v1/users', {
      cookie: admin.cookie,
      body: { name: 'João Lima', login: 'joao.lima', email: 'joao@example.com', level: 'agent' },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    const sent = await t.request('POST', `/api/v1/users/${user.id}/access-link`, { cookie: admin.cookie });
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toEqual({ sentTo: 'joao@example.com', expiresAt: new Date(t.clock.now() + 72 * 3_600_000).toISOString() });
    const mail = await smtp.next();
    expect(mail.to).toEqual(['joao@example.com']);
    expect(mail.text).toContain('joao.lima');
    expect(mail.text).toContain('Tenant A');
    const token = tokenIn(mail.text, 'first-access');
    expect((await linkInfo(token, '10.9.4.1')).json()).toMatchObject({ purpose: 'first_access', login: 'joao.lima' });
    expect((await reset(token, 'joao-chose-this', '10.9.4.1')).statusCode).toBe(200);
    const cookie = await t.login('joao.lima', 'joao-chose-this');
    expect((await t.request('GET', '/api/v1/me', { cookie })).json()).toMatchObject({ login: 'joao.lima', passwordChangeRequired: false });
    const audit = (await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entityId: String(user.id), action: 'access_link_sent' } })).json();
    expect(audit.items[0]).toMatchObject({ actorUserId: admin.user.id, after: { sentTo: 'joao@example.com' } });
  });

  it('stops working after its time', async () => {
    const user = await newUser();
    await t.request('POST', `/api/v1/users/${user.id}/access-link`, { cookie: admin.cookie });
    const token = tokenIn((await smtp.next()).text, 'first-access');
    t.clock.advance(72 * 3_600_000);
    expect((await reset(token, 'too-late-password', '10.9.4.2')).json().error.details.field).toBe('token');
    // The clock also ended the test's sessions.
    admin.cookie = await t.login(admin.user.login, TEST_PASSWORD);
    su.cookie = await t.login(su.user.login, TEST_PASSWORD);
  });

  it('needs an e-mail (400 naming it), a user the admin may manage (404 for another tenant), and users:write', async () => {
    const noMail = await newUser({ email: null });
    const res = await t.request('POST', `/api/v1/users/${noMail.id}/access-link`, { cookie: admin.cookie });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('email');
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    const user = await newUser();
    expect((await t.request('POST', `/api/v1/users/${user.id}/access-link`, { cookie: other.cookie })).statusCode).toBe(404);
    const agent = await t.loginAs('agent');
    expect((await t.request('POST', `/api/v1/users/${user.id}/access-link`, { cookie: agent.cookie })).statusCode).toBe(403);
    expect(tokensOf(user.id)).toBe(0);
  });

  it('is void when the mail server refuses it (502)', async () => {
    const user = await newUser();
    await putSettings(su, settings({ password: 'wrong' }));
    const res = await t.request('POST', `/api/v1/users/${user.id}/access-link`, { cookie: admin.cookie });
    expect(res.statusCode).toBe(502);
    const row = t.deps.database.sqlite.prepare('SELECT used_at FROM password_tokens WHERE user_id = ?').get(user.id) as { used_at: number | null };
    expect(row.used_at).not.toBeNull();
    await putSettings(su, settings());
  });
});

describe('without ATENDE_PUBLIC_URL', () => {
  it('refuses to send a first-access link (409 naming the setting) and mails no reset', async () => {
    const bare = await createTestApp({ mailer: createSmtpMailer() });
    try {
      const s = await bare.loginAs('super');
      await bare.request('PUT', '/api/v1/settings/mail', { cookie: s.cookie, body: settings() });
      const user = await bare.app.org.createUser({ actor: SYSTEM_ACTOR }, bare.tenantA, {
        name: 'Sem URL',
        login: 'sem.url',
        password: TEST_PASSWORD,
        level: 'agent',
        email: 'semurl@example.com',
      });
      const res = await bare.request('POST', `/api/v1/users/${user.id}/access-link`, { cookie: s.cookie });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'public_url_missing', message: expect.stringContaining('ATENDE_PUBLIC_URL') });
      expect((await bare.request('POST', '/api/v1/auth/password/forgot', { body: { login: 'sem.url' } })).statusCode).toBe(202);
      expect(bare.count('password_tokens')).toBe(0);
    } finally {
      await bare.close();
    }
  });
});

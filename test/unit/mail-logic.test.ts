import { describe, expect, it } from 'vitest';
import { accessMail, linkFor, resetMail } from '../../src/account/index.js';
import { transportOptions, type MailSettings } from '../../src/mail/index.js';

const base: MailSettings = {
  host: 'smtp.example.com',
  port: 587,
  tls: 'starttls',
  username: 'atende',
  password: 'secret',
  senderAddress: 'atende@example.com',
  senderName: null,
};

describe('SMTP transport options', () => {
  it.each([
    ['none', { secure: false, requireTLS: false, ignoreTLS: true }],
    ['starttls', { secure: false, requireTLS: true, ignoreTLS: false }],
    ['implicit', { secure: true, requireTLS: false, ignoreTLS: false }],
  ] as const)('%s', (tls, expected) => {
    expect(transportOptions({ ...base, tls }, 15_000)).toMatchObject({ host: 'smtp.example.com', port: 587, ...expected, connectionTimeout: 15_000 });
  });

  it('logs in only when a user is set', () => {
    expect(transportOptions(base, 1000).auth).toEqual({ user: 'atende', pass: 'secret' });
    expect(transportOptions({ ...base, username: null }, 1000).auth).toBeUndefined();
  });
});

describe('password links', () => {
  it('puts the token in the fragment of the page for its purpose', () => {
    expect(linkFor('https://atende.example.com/', 'reset', 'abc_-1')).toBe('https://atende.example.com/reset-password#token=abc_-1');
    expect(linkFor('http://10.0.0.5:8080/atende', 'first_access', 'x')).toBe('http://10.0.0.5:8080/atende/first-access#token=x');
  });

  it('mails say whose login it is and how long the link works, in Portuguese first', () => {
    const reset = resetMail({ to: 'a@example.com', name: 'Ana', login: 'ana.lima', link: 'L', validMinutes: 30 });
    expect(reset.text.indexOf('Olá, Ana')).toBe(0);
    expect(reset.text).toContain('ana.lima');
    expect(reset.text).toContain('30 minutos');
    expect(reset.text).toContain('30 minutes');
    const access = accessMail({ to: 'a@example.com', name: 'Ana', login: 'ana.lima', tenant: 'Empresa X', link: 'L', validHours: 72 });
    expect(access.text).toContain('72 horas');
    expect(access.text).toContain('Empresa X');
  });
});

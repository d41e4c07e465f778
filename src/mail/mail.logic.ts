import type { MailSettings } from './mail.model.js';

/** nodemailer's SMTP options for a TLS mode (kept here, pure, so each mode's meaning is tested). */
export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). */
  secure: boolean;
  /** STARTTLS is mandatory: a server that does not offer it is an error, never a plain-text fallback. */
  requireTLS: boolean;
  /** Never try STARTTLS, even when offered. */
  ignoreTLS: boolean;
  auth?: { user: string; pass: string };
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

export function transportOptions(s: MailSettings, timeoutMs: number): SmtpOptions {
  return {
    host: s.host,
    port: s.port,
    secure: s.tls === 'implicit',
    requireTLS: s.tls === 'starttls',
    ignoreTLS: s.tls === 'none',
    ...(s.username ? { auth: { user: s.username, pass: s.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

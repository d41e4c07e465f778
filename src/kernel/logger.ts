import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LoggerSettings {
  level: string;
  /** Pretty, human-readable lines; used only when stdout is a terminal. */
  pretty: boolean;
}

/** Paths that never reach a log line. */
export const redactPaths = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'body.password',
  'body.currentPassword',
  'body.newPassword',
  'body.code',
];

export function loggerOptions(s: LoggerSettings): LoggerOptions {
  return {
    level: s.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    ...(s.pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}

export function createLogger(s: LoggerSettings): Logger {
  return pino(loggerOptions(s));
}

/** A logger that writes nothing: for tests that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });

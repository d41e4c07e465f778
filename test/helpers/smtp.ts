/**
 * A real SMTP server on a free loopback port (the `smtp-server` package) that keeps what it
 * receives, for tests of outgoing mail. Never a real mail server.
 *
 *   const smtp = await startSmtp({ users: { atende: 'secret' } });
 *   const mail = await smtp.next();            // waits for the next message
 *   await smtp.close();
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EventLog } from './events.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** Decoded header values, lower-case names. */
  headers: Record<string, string>;
  subject: string;
  /** The text body, decoded (quoted-printable or base64). */
  text: string;
  /** Whether the session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  /** The user that authenticated, if any. */
  user: string | undefined;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  /** The next message not yet taken by `next()`. */
  next(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = encoding?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const joined = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < joined.length; i++) {
      if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
        bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=` / `=?UTF-8?B?…?=`) in a header value. */
function decodeHeader(value: string): string {
  return value.replace(/\s*=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*/g, (_m, _charset: string, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'),
  );
}

function parse(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeHeader(line.slice(i + 1).trim());
  }
  return { headers, text: decodeBody(raw.slice(split + 4), headers['content-transfer-encoding']).replace(/\r\n/g, '\n').trimEnd() };
}

export async function startSmtp(o: { users?: Record<string, string>; secure?: boolean; key?: string; cert?: string; noStartTls?: boolean } = {}): Promise<TestSmtp> {
  let push: (m: ReceivedMail) => void = () => undefined;
  const log = new EventLog<ReceivedMail>((l) => {
    push = l;
    return () => undefined;
  });
  let taken = 0;
  const server = new SMTPServer({
    secure: o.secure ?? false,
    ...(o.key ? { key: o.key, cert: o.cert } : {}),
    ...(o.noStartTls ? { disabledCommands: ['STARTTLS'] } : {}),
    authOptional: !o.users,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (o.users && o.users[auth.username ?? ''] === auth.password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { headers, text } = parse(Buffer.concat(chunks).toString('utf8'));
        push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          headers,
          subject: headers.subject ?? '',
          text,
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received: log.events,
    async next(timeoutMs = 10_000) {
      const index = taken++;
      return log.waitFor(() => log.events.length > index, timeoutMs, `mail #${index + 1}`).then(() => log.events[index]!);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The emulator's SIP over WebSocket, spoken byte for byte by a plain WebSocket client: the
 * upgrade needs the `sip` subprotocol, REGISTER is challenged (401 with a digest nonce), a
 * wrong answer is challenged again, the right one registers the contact (the endpoint goes
 * online for the app), and closing the WebSocket removes it. The WebRTC media is proven by
 * the browser test (test/browser/webphone.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { digestResponse, parseDigest } from '../../src/telephony/emulator/sip/digest.js';

const EXT = '2001';
let emulator: Emulator;
let dir: string;
let password: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atende-sipws-'));
  emulator = await startEmulator({ recordingsDir: join(dir, 'rec'), phones: [{ ext: '1001' }] });
  password = emulator.webphonePassword(EXT);
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A SIP client on one WebSocket: send a request, wait for the answer with its CSeq. */
async function connect(protocols: string[] = ['sip']): Promise<{ ws: WebSocket; ask(text: string): Promise<string> }> {
  const ws = new WebSocket(emulator.sipWsUrl, protocols);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waiting: ((m: string) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (/^SIP\/2\.0 1\d\d/.test(text)) return;
    waiting.shift()?.(text);
  });
  return {
    ws,
    ask: (text) =>
      new Promise<string>((resolve) => {
        waiting.push(resolve);
        ws.send(text);
      }),
  };
}

let cseq = 1;
function register(auth?: string, expires = 300): string {
  const n = cseq++;
  return [
    `REGISTER sip:127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/WS abc.invalid;branch=z9hG4bK${n}x${Date.now()}`,
    'Max-Forwards: 70',
    `From: <sip:${EXT}@127.0.0.1>;tag=t1`,
    `To: <sip:${EXT}@127.0.0.1>`,
    'Call-ID: reg-1',
    `CSeq: ${n} REGISTER`,
    `Contact: <sip:u1@abc.invalid;transport=ws>;expires=${expires}`,
    ...(auth ? [`Authorization: ${auth}`] : []),
    'User-Agent: test client',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function answer(challenge: string, pass: string): string {
  const header = /^WWW-Authenticate: (.+)$/im.exec(challenge)?.[1] ?? '';
  const d = parseDigest(header) ?? {};
  const uri = 'sip:127.0.0.1';
  const fields = { username: EXT, realm: d.realm ?? '', nonce: d.nonce ?? '', uri, qop: 'auth', nc: '00000001', cnonce: 'c1' };
  const response = digestResponse({ ...fields, password: pass, method: 'REGISTER' });
  return `Digest username="${EXT}", realm="${fields.realm}", nonce="${fields.nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c1", opaque="${d.opaque ?? ''}"`;
}

describe('SIP over WebSocket', () => {
  it('refuses an upgrade without the sip subprotocol', async () => {
    await expect(connect(['chat'])).rejects.toThrow(/400/);
  });

  it('challenges a REGISTER, challenges a wrong password again, registers with the right one, and drops the contact with its WebSocket', async () => {
    const phone = await connect();
    const challenge = await phone.ask(register());
    expect(challenge).toMatch(/^SIP\/2\.0 401 Unauthorized/);
    expect(challenge).toMatch(/WWW-Authenticate: Digest .*realm="asterisk"/);

    const wrong = await phone.ask(register(answer(challenge, `${password}x`)));
    expect(wrong).toMatch(/^SIP\/2\.0 401/);
    expect(emulator.webphoneRegistrations()).toEqual([]);

    const ok = await phone.ask(register(answer(challenge, password)));
    expect(ok).toMatch(/^SIP\/2\.0 200 OK/);
    expect(ok).toMatch(/Contact: <sip:u1@[^>]+>;expires=300/);
    expect(emulator.webphoneRegistrations()).toMatchObject([{ aor: EXT, userAgent: 'test client' }]);

    phone.ws.close();
    await expect.poll(() => emulator.webphoneRegistrations()).toEqual([]);
  });

  it('keeps the password of a phone once made, and an unknown user is challenged like a wrong password', async () => {
    expect(emulator.webphonePassword(EXT)).toBe(password);
    const phone = await connect();
    const challenge = await phone.ask(register().replaceAll(`sip:${EXT}@`, 'sip:9999@'));
    expect(challenge).toMatch(/^SIP\/2\.0 401/);
    phone.ws.close();
  });
});

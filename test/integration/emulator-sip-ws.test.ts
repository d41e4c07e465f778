/**
 * The emulator's SIP over WebSocket, spoken byte for byte by a plain WebSocket client: the
 * upgrade needs the `sip` subprotocol, REGISTER is challenged (401 with a digest nonce), a
 * wrong answer is challenged again, the right one registers the contact (the endpoint goes
 * online for the app), and closing the WebSocket removes it. The password checked is the one
 * of the applied pjsip.conf: none before the endpoint is configured, the new one after a change
 * is reloaded. The WebRTC media is proven by the browser test (test/browser/webphone.test.ts).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { renderAll, type TenantConf } from '../../src/telephony/confgen/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { digestResponse, parseDigest } from '../../src/telephony/emulator/sip/digest.js';
import { sipSettings } from '../helpers/telephony-conf.js';

const EXT = '2001';
const FIRST_SECRET = 'Web-Secret-2001-a';
let emulator: Emulator;
let dir: string;
let configDir: string;
let password = FIRST_SECRET;

/** Writes pjsip.conf with extension 2001 as a WebRTC one with this secret, and reloads res_pjsip. */
async function apply(secret: string): Promise<void> {
  const tenant: TenantConf = {
    tenantId: 3,
    tenantName: 'T',
    extensions: [{ number: EXT, sipUser: EXT, secret, displayName: 'Web', kind: 'webrtc', codecs: ['ulaw', 'alaw'], maxContacts: 2 }],
    trunks: [],
    spans: [],
    mohClasses: [],
  };
  for (const f of renderAll(sipSettings(), [tenant])) {
    const path = join(configDir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
  }
  await emulator.reload('res_pjsip');
  password = secret;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atende-sipws-'));
  configDir = join(dir, 'asterisk');
  emulator = await startEmulator({ recordingsDir: join(dir, 'rec'), configDir });
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
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

  it('refuses every password for an endpoint pjsip.conf does not have yet', async () => {
    const phone = await connect();
    const challenge = await phone.ask(register());
    expect(await phone.ask(register(answer(challenge, FIRST_SECRET)))).toMatch(/^SIP\/2\.0 401/);
    expect(emulator.webphoneRegistrations()).toEqual([]);
    phone.ws.close();
    await apply(FIRST_SECRET);
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
    expect(emulator.phones().find((p) => p.ext === EXT)?.registered).toBe(true);

    phone.ws.close();
    await expect.poll(() => emulator.webphoneRegistrations()).toEqual([]);
    expect(emulator.phones().find((p) => p.ext === EXT)?.registered).toBe(false);
  });

  it('checks the secret of the configuration reloaded last', async () => {
    const old = password;
    await apply('Web-Secret-2001-b');
    const phone = await connect();
    const challenge = await phone.ask(register());
    expect(await phone.ask(register(answer(challenge, old)))).toMatch(/^SIP\/2\.0 401/);
    expect(await phone.ask(register(answer(challenge, password)))).toMatch(/^SIP\/2\.0 200 OK/);
    phone.ws.close();
    await expect.poll(() => emulator.webphoneRegistrations()).toEqual([]);
  });

  it('an unknown user is challenged like a wrong password', async () => {
    const phone = await connect();
    const challenge = await phone.ask(register().replaceAll(`sip:${EXT}@`, 'sip:9999@'));
    expect(challenge).toMatch(/^SIP\/2\.0 401/);
    phone.ws.close();
  });
});

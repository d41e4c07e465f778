import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/kernel/index.js';
import { start, type Running } from '../../src/main.js';
import { startEmulator } from '../../src/telephony/emulator/index.js';
import { apiClient, provisionInboundDid } from '../helpers/provision.js';

// The whole daemon in emulator mode, as `npm start` runs it: the emulator's ARI and AMI are
// killed and restarted under it while a call is up.
describe('daemon resilience against Asterisk restarts', { timeout: 60_000 }, () => {
  let running: Running;
  let cookie: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);

  const readyz = async () => {
    // Logged in as the admin: the reasons are for admins only.
    const r = await fetch(`${running.url}/readyz`, { headers: { cookie } });
    return { status: r.status, body: (await r.json()) as { checks: Record<string, { ok: boolean; reason?: string }> } };
  };
  const until = async (what: string, pred: () => Promise<boolean>, ms = 20_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await pred()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const callRow = async (channelId: string) => {
    const r = await fetch(`${running.url}/api/v1/calls?limit=50`, { headers: { cookie } });
    const body = (await r.json()) as { items: { channelId: string; state: string; endReason: string | null }[] };
    return body.items.find((c) => c.channelId === channelId);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const dataDir = mkdtempSync(join(tmpdir(), 'atende-resilience-'));
    const config = loadConfig({}, { dataDir, http: { port: 0 }, seedDemo: false, adminPassword: 'resilience-admin' });
    running = await start(config, silentLogger);
    const login = await fetch(`${running.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'resilience-admin' }),
    });
    expect(login.status).toBe(200);
    cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    await until('ready', async () => (await readyz()).status === 200);
    await provisionInboundDid(apiClient(running.url, cookie), { did: '1133334444', span: 1 });
  });

  afterAll(async () => {
    await running?.stop('test over');
    process.off('unhandledRejection', onUnhandled);
  });

  it('goes 503 while ARI is down, comes back by itself, and closes the call that ended meanwhile', async () => {
    const emulator = running.telephony.emulator!;
    const { channelId } = await emulator.placeInboundCall({ did: '1133334444', from: '11987654321', via: { span: 1 } });
    await until('the call answered', async () => emulator.channels().some((c) => c.id === channelId && c.state === 'Up'));
    expect((await callRow(channelId))?.state).toBe('in_progress');

    await emulator.stopAri();
    await until('readyz 503', async () => (await readyz()).status === 503);
    const down = await readyz();
    expect(down.body.checks.ari!.ok).toBe(false);
    expect(down.body.checks.ari!.reason).toMatch(/ARI not connected/);

    // The caller gives up while Atende cannot see it: no event will ever say so.
    await emulator.hangup(channelId, 16);
    await emulator.startAri();
    await until('readyz 200', async () => (await readyz()).status === 200);

    await until('the call reconciled', async () => (await callRow(channelId))?.state === 'ended');
    expect((await callRow(channelId))?.endReason).toMatch(/reconciled/);
    expect(running.calls.activeCalls().some((c) => c.channelId === channelId)).toBe(false);
  });

  it('goes 503 while AMI is down and recovers by itself', async () => {
    const emulator = running.telephony.emulator!;
    await emulator.stopAmi();
    await until('readyz 503', async () => (await readyz()).status === 503);
    expect((await readyz()).body.checks.ami!.ok).toBe(false);
    await emulator.startAmi();
    await until('readyz 200', async () => (await readyz()).status === 200);
  });

  it('saw no unhandled rejection', () => {
    expect(unhandled).toEqual([]);
  });
});

// ATENDE_ARI_URL names an Asterisk (here a stand-alone emulator, as `npm run emulator -- serve`
// would run it) and nothing else changes; a wrong ARI password must not take the daemon down.
describe('daemon pointed at an Asterisk with a wrong ARI password', { timeout: 60_000 }, () => {
  it('logs a clear line, reports 503 with the reason, and stays up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-wrongpw-'));
    const emulator = await startEmulator({ recordingsDir: join(dir, 'recordings') });
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const config = loadConfig(
      {},
      {
        dataDir: dir,
        http: { port: 0 },
        seedDemo: false,
        adminPassword: 'wrongpw-admin',
        asterisk: {
          ari: { url: emulator.ariUrl, user: emulator.ariUser, password: 'not-the-password', app: 'atende' },
          ami: { host: '127.0.0.1', port: emulator.amiPort, user: emulator.amiUser, secret: emulator.amiSecret },
        },
      },
    );
    const running = await start(config, logger);
    try {
      expect(running.telephony.emulator).toBeUndefined();
      const deadline = Date.now() + 20_000;
      while (!lines.some((l) => /ARI rejected the credentials \(401\)/.test(String(l.msg))) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(lines.some((l) => /ARI rejected the credentials \(401\)/.test(String(l.msg)))).toBe(true);
      expect(JSON.stringify(lines)).not.toContain('not-the-password');

      const anonymous = await fetch(`${running.url}/readyz`);
      expect(anonymous.status).toBe(503);
      expect(JSON.stringify(await anonymous.json())).not.toContain(emulator.ariUrl);
      const login = await fetch(`${running.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: 'wrongpw-admin' }),
      });
      const r = await fetch(`${running.url}/readyz`, { headers: { cookie: login.headers.getSetCookie()[0]!.split(';')[0]! } });
      expect(r.status).toBe(503);
      const body = (await r.json()) as { checks: Record<string, { ok: boolean; reason?: string; detail?: string }> };
      expect(body.checks.ari).toMatchObject({ ok: false });
      expect(body.checks.ari!.reason).toMatch(/401|credentials/);
      expect(body.checks.asterisk!.detail).toContain(emulator.ariUrl);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      await running.stop('test over');
      await emulator.close();
    }
  });
});

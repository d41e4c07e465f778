import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('GET /system', () => {
  it('is for admins (an agent and a supervisor get 403)', async () => {
    for (const level of ['agent', 'supervisor'] as const) {
      const u = await t.loginAs(level);
      expect((await t.request('GET', '/api/v1/system', { cookie: u.cookie })).statusCode).toBe(403);
    }
  });

  it('reports version, uptime, data directory, and the links as their probes see them', async () => {
    const admin = await t.loginAs('admin');
    const first = (await t.request('GET', '/api/v1/system', { cookie: admin.cookie })).json();
    expect(first).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      dataDir: resolve(t.dataDir),
      telephony: { mode: 'emulator', asterisk: 'built-in emulator', ari: { connected: false, detail: 'not started' } },
      components: { database: { ok: true } },
    });

    t.deps.readiness.register('ari', () => ({ ok: true, detail: 'ARI connected to 127.0.0.1:8088' }));
    t.deps.readiness.register('ami', () => ({ ok: false, reason: 'AMI down: connection refused' }));
    t.clock.advance(90_000);
    const later = (await t.request('GET', '/api/v1/system', { cookie: admin.cookie })).json();
    expect(later.uptimeSeconds).toBe(first.uptimeSeconds + 90);
    expect(later.ready).toBe(false);
    expect(later.telephony.ari).toEqual({ connected: true, detail: 'ARI connected to 127.0.0.1:8088' });
    expect(later.telephony.ami).toEqual({ connected: false, detail: 'AMI down: connection refused' });
  });
});

/**
 * The daemon as it runs (emulator mode, its own process): what a browser's shell needs first —
 * the system page, a tenant switch, and the events socket fed by the real calls engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_CNPJ } from '../../src/org/seed.js';
import { startDaemon, type Daemon } from '../helpers/daemon.js';
import { apiClient } from '../helpers/provision.js';
import { openSocket } from '../helpers/socket.js';
import { until } from '../helpers/until.js';

const PASSWORD = 'daemon-admin-password';
let d: Daemon;
let cookie: string;

interface Link {
  connected: boolean;
}
interface SystemBody {
  uptimeSeconds: number;
  telephony?: { ari: Link; ami: Link };
}

const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
  const res = await apiClient(d.url, cookie)(method, path, body);
  return { status: res.status, body: res.body as T };
};

beforeAll(async () => {
  d = await startDaemon({ ATENDE_ADMIN_PASSWORD: PASSWORD, ATENDE_SEED_DEMO: 'true' });
  const res = await fetch(`${d.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: PASSWORD }),
  });
  cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
}, 60_000);
afterAll(async () => {
  await d?.stop();
});

describe('the running daemon', { timeout: 60_000 }, () => {
  it('reports itself on GET /system: version, emulator mode, ARI and AMI connected, data directory', async () => {
    // ARI and AMI connect in the background after start-up: poll until both say so (no event to wait on over HTTP).
    let system = await api<SystemBody>('GET', '/system');
    const until = Date.now() + 20_000;
    while (!(system.body.telephony?.ari.connected && system.body.telephony?.ami.connected) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      system = await api<SystemBody>('GET', '/system');
    }
    expect(system.status).toBe(200);
    expect(system.body).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      dataDir: d.dataDir,
      ready: true,
      telephony: { mode: 'emulator', asterisk: 'built-in emulator', app: 'atende', ari: { connected: true }, ami: { connected: true } },
    });
    expect(system.body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('pushes a call placed in the emulator to the socket of the tenant a super user switched to', async () => {
    const tenants = await api<{ items: { id: number; cnpj: string }[] }>('GET', '/tenants');
    const demo = tenants.body.items.find((x) => x.cnpj === DEMO_TENANT_CNPJ)!;
    expect((await api('PUT', '/me/tenant', { tenantId: demo.id })).status).toBe(200);
    // The first start against the emulator gave the demo tenant a span and a DID routed to a
    // conference room, applied as soon as the emulated Asterisk was connected.
    const routes = await api<{ items: { did: string; destination: { label: string } }[] }>('GET', '/telephony/inbound-routes');
    expect(routes.body.items).toEqual([expect.objectContaining({ did: '1133334444', destination: expect.objectContaining({ label: 'conference 5000 (Sala de demonstração)' }) })]);
    await until('the demo telephony applied', async () => (await api<{ pending: boolean }>('GET', '/telephony/apply')).body.pending === false);
    await until('chan_dahdi reloaded', async () => (await api<{ module: string }[]>('GET', '/emulator/reloads')).body.some((r) => r.module === 'chan_dahdi'));

    const socket = await openSocket(`${d.url.replace(/^http/, 'ws')}/api/v1/events?topics=calls,system`, { cookie, origin: d.url });
    expect((await socket.waitFor((m) => m.type === 'hello')).data?.tenantId).toBe(demo.id);
    expect((await socket.waitFor((m) => m.type === 'system.readiness')).data?.ready).toBe(true);

    const placed = await api<{ channelId: string }>('POST', '/emulator/calls', { did: '1133334444', from: '11987654321' });
    expect(placed.status).toBe(201);
    await socket.waitFor((m) => m.type === 'call.answered' && m.data?.call?.from === '11987654321', 'call answered in the conference room', 30_000);
    expect((await api('DELETE', `/emulator/calls/${placed.body.channelId}`)).status).toBe(204);
    const ended = await socket.waitFor((m) => m.type === 'call.ended' && m.data?.call?.from === '11987654321', 'call ended', 30_000);
    const callId = ended.data!.call!.callId;
    const types = socket.messages.filter((m) => m.data?.call?.callId === callId).map((m) => m.type);
    expect(types).toEqual(['call.started', 'call.answered', 'call.ended']);
    // The list the screen resynchronises from shows the same call.
    const list = await api<{ items: unknown[] }>('GET', '/calls');
    expect(list.body.items[0]).toEqual(ended.data!.call);
    socket.close();
  });
});

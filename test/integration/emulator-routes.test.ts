/**
 * The emulator's control surface (/api/v1/emulator/…) in the real app, against a running
 * emulator: validation, error mapping, and who may use it at all (the super user only: the
 * emulated PBX carries every tenant's calls).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emulatorRoutes } from '../../src/telephony/emulator/emulator.routes.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../helpers/app.js';
import { describeOp, fillPath, operationsOf } from '../helpers/openapi.js';

let dir: string;
let emu: Emulator;
let t: TestApp;
let superCookie: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atende-emulator-routes-'));
  emu = await startEmulator({ recordingsDir: dir, speed: 50, spans: [{ span: 1, signalling: 'pri_cpe', group: 1 }], trunks: ['trunk1'] });
  t = await createTestApp({ extendModules: (m) => m.routes.push(async (app) => app.register(emulatorRoutes, { emulator: emu })) });
  superCookie = await t.login('admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await t?.close();
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A request as the super user, whose surface this is. */
const app = { inject: (o: InjectOptions) => t.app.inject({ ...o, headers: { ...o.headers, cookie: superCookie } }) };

describe('who may use the emulator', () => {
  it('every emulator route answers 403 to a tenant admin and a supervisor, and changes nothing', async () => {
    const ops = (await operationsOf(t.app)).filter((o) => o.path.startsWith('/api/v1/emulator/'));
    expect(ops.length).toBeGreaterThanOrEqual(7);
    const { channelId } = (await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '4000', from: '11999990000', via: { span: 1 } } })).json<{
      channelId: string;
    }>();
    for (const level of ['admin', 'supervisor'] as const) {
      const { cookie } = await t.loginAs(level);
      for (const op of ops) {
        const url = fillPath(op.path, { channelId, ext: '1001', span: 1 });
        const payload = op.method === 'GET' || op.method === 'DELETE' ? undefined : { did: '1', from: '2', digits: '1', alarm: 'red', registered: false };
        const r = await t.app.inject({ method: op.method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
        expect({ op: describeOp(op), level, status: r.statusCode }).toEqual({ op: describeOp(op), level, status: 403 });
        expect(r.json().error.code).toBe('forbidden');
      }
    }
    // The span is not in alarm and the phone still registered: nothing the refused requests asked happened.
    expect((await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '4001', from: '2', via: { span: 1 } } })).statusCode).toBe(201);
  });

  it('an anonymous caller gets 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/emulator/channels' })).statusCode).toBe(401);
  });
});

describe('emulator control routes', () => {
  it('places a call, sends digits, lists it and hangs it up', async () => {
    const placed = await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '4000', from: '11999990000', via: { span: 1 } } });
    expect(placed.statusCode).toBe(201);
    const { channelId } = placed.json() as { channelId: string };
    // No app is connected: the call only lives until the dialplan gives up on Stasis.
    const listed = await app.inject({ method: 'GET', url: '/api/v1/emulator/channels' });
    expect(listed.statusCode).toBe(200);
    await vi.waitFor(() => expect(emu.channels().some((c) => c.id === channelId)).toBe(false));
    const gone = await app.inject({ method: 'DELETE', url: `/api/v1/emulator/calls/${channelId}` });
    expect(gone.statusCode).toBe(404);
    const dtmf = await app.inject({ method: 'POST', url: `/api/v1/emulator/calls/${channelId}/dtmf`, payload: { digits: '12' } });
    expect(dtmf.statusCode).toBe(404);
    const hold = await app.inject({ method: 'POST', url: `/api/v1/emulator/calls/${channelId}/hold`, payload: { held: true } });
    expect(hold.statusCode).toBe(404);
  });

  it('rejects bad bodies naming the field', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '4000', from: '1', extra: 1 } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.field).toBe('extra');
    const alarm = await app.inject({ method: 'PUT', url: '/api/v1/emulator/spans/1/alarm', payload: { alarm: 'purple' } });
    expect(alarm.statusCode).toBe(400);
    expect(alarm.json().error.details.field).toBe('alarm');
    const hold = await app.inject({ method: 'POST', url: '/api/v1/emulator/calls/x/hold', payload: { held: 'yes' } });
    expect(hold.statusCode).toBe(400);
    expect(hold.json().error.details.field).toBe('held');
  });

  it('404 for an unknown span, trunk or phone', async () => {
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/spans/9/alarm', payload: { alarm: 'red' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '1', from: '2', via: { trunk: 'nope' } } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/emulator/phones/7777/answer' })).statusCode).toBe(404);
  });

  it('a colleague dialling a phone: 404 for an extension that does not exist, 409 for one that is not registered', async () => {
    const missing = await app.inject({ method: 'POST', url: '/api/v1/emulator/phones/7777/incoming', payload: { from: '1002' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/phones/1003', payload: { registered: false } })).statusCode).toBe(204);
    const unregistered = await app.inject({ method: 'POST', url: '/api/v1/emulator/phones/1003/incoming', payload: { from: '1002' } });
    expect(unregistered.statusCode).toBe(409);
    expect(unregistered.json().error.message).toMatch(/1003 is not registered/);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/phones/1003', payload: { registered: true } })).statusCode).toBe(204);
  });

  it('raises and clears span alarms; a call on a red span is refused', async () => {
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/spans/1/alarm', payload: { alarm: 'red' } })).statusCode).toBe(204);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '1', from: '2', via: { span: 1 } } });
    expect(refused.statusCode).toBe(409);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/spans/1/alarm', payload: { alarm: 'clear' } })).statusCode).toBe(204);
  });

  it('changes a phone and refuses to answer one that is not ringing', async () => {
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/phones/1001', payload: { registered: false, behaviour: 'no-answer' } })).statusCode).toBe(204);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/phones/1001', payload: {} })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/emulator/phones/1001/answer' })).statusCode).toBe(409);
  });
});

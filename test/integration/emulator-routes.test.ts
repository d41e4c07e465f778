/**
 * The emulator's control surface (/api/v1/emulator/…) with the daemon's validation and error
 * handling, against a running emulator.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installErrorHandling } from '../../src/http/errors.js';
import { validatorCompiler } from '../../src/http/validation.js';
import { emulatorRoutes } from '../../src/telephony/emulator/emulator.routes.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';

let dir: string;
let emu: Emulator;
let app: FastifyInstance;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atende-emulator-routes-'));
  emu = await startEmulator({ recordingsDir: dir, speed: 50, spans: [{ span: 1, signalling: 'pri_cpe', group: 1 }], trunks: ['trunk1'] });
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);
  const accesses: unknown[] = [];
  app.addHook('onRoute', (r) => void accesses.push(r.config));
  await app.register(emulatorRoutes, { prefix: '/api/v1', emulator: emu });
  await app.ready();
  // Every route declares its access rule for the auth plugin.
  expect(accesses.every((c) => (c as { access?: { module: string } } | undefined)?.access?.module === 'emulator')).toBe(true);
});

afterAll(async () => {
  await app?.close();
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
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
  });

  it('rejects bad bodies naming the field', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '4000', from: '1', extra: 1 } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.field).toBe('extra');
    const alarm = await app.inject({ method: 'PUT', url: '/api/v1/emulator/spans/1/alarm', payload: { alarm: 'purple' } });
    expect(alarm.statusCode).toBe(400);
    expect(alarm.json().error.details.field).toBe('alarm');
  });

  it('404 for an unknown span, trunk or phone', async () => {
    expect((await app.inject({ method: 'PUT', url: '/api/v1/emulator/spans/9/alarm', payload: { alarm: 'red' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/emulator/calls', payload: { did: '1', from: '2', via: { trunk: 'nope' } } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/emulator/phones/7777/answer' })).statusCode).toBe(404);
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

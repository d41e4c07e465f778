/**
 * The queues' recordings as users meet them: a supervisor lists a call's recordings and plays
 * one (seeking with byte ranges), another tenant and an agent cannot, and the retention purge
 * deletes a recording's file and row once its days have run out — and nothing else.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../src/db/schema/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { writeToneWav } from '../helpers/wav.js';

let t: TestApp;
let supervisor: LoggedIn;
let agent: LoggedIn;
let adminB: LoggedIn;
const DAY = 86_400_000;

/** A kept recording as voice.service.ts leaves it: the WAV under the data dir and its row. */
async function kept(callId: string, name: string, expiresInDays: number | null, tenantId = t.tenantA) {
  const rel = join('recordings', String(tenantId), '2026-12-02', `${name}.wav`);
  const abs = join(t.dataDir, rel);
  mkdirSync(dirname(abs), { recursive: true });
  await writeToneWav(abs, 1500);
  const now = t.clock.now();
  const row = t.modules.routing.service.repo.addRecording({
    tenantId,
    callId,
    interactionId: name,
    queueId: null,
    path: rel,
    format: 'wav',
    startedAt: now,
    durationSeconds: 2,
    sizeBytes: readFileSync(abs).length,
    expiresAt: expiresInDays === null ? null : now + expiresInDays * DAY,
  });
  return { id: row.id, abs };
}

beforeAll(async () => {
  t = await createTestApp();
  supervisor = await t.loginAs('supervisor');
  agent = await t.loginAs('agent');
  adminB = await t.loginAs('admin', { tenantId: t.createTenant('Outra') });
});
afterAll(async () => t?.close());

describe('call recordings', () => {
  it('a supervisor lists a call’s recordings and plays one whole or from a byte range', async () => {
    const first = await kept('call-rec-1', 'i1', 30);
    const second = await kept('call-rec-1', 'i2', null);
    await kept('call-rec-other', 'i3', 30);
    const list = await t.request('GET', '/api/v1/calls/call-rec-1/recordings', { cookie: supervisor.cookie });
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: { id: number; audioUrl: string; expiresAt: string | null; durationSeconds: number }[] }).items;
    expect(items.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(items[0]!.expiresAt).toBe(new Date(t.clock.now() + 30 * DAY).toISOString());
    expect(items[1]!.expiresAt).toBeNull();

    const whole = await t.request('GET', items[0]!.audioUrl, { cookie: supervisor.cookie });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(whole.rawPayload.equals(readFileSync(first.abs))).toBe(true);
    // A browser asking again with the validator it was given is told nothing changed.
    expect(whole.headers.etag).toMatch(/^"rec-\d+-\d+"$/);
    expect((await t.request('GET', items[0]!.audioUrl, { cookie: supervisor.cookie, headers: { 'if-none-match': String(whole.headers.etag) } })).statusCode).toBe(304);
    const part = await t.request('GET', items[0]!.audioUrl, { cookie: supervisor.cookie, headers: { range: 'bytes=44-143' } });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(readFileSync(first.abs).subarray(44, 144))).toBe(true);
  });

  it('the agent’s leg of a recorded call lists the call’s recordings too', async () => {
    const r = await kept('call-rec-4', 'i9', 30);
    const leg = (callId: string, parentCallId: string | null) =>
      t.deps.database.db
        .insert(calls)
        .values({ tenantId: t.tenantA, callId, parentCallId, channelId: `ch-${callId}`, kind: 'agent', direction: 'internal', state: 'ended', startedAt: new Date(t.clock.now()) })
        .run();
    leg('call-rec-4-agent', 'call-rec-4');
    leg('call-rec-5-agent', 'call-rec-5');
    const of = async (callId: string) =>
      ((await t.request('GET', `/api/v1/calls/${callId}/recordings`, { cookie: supervisor.cookie })).json() as { items: { id: number }[] }).items.map((x) => x.id);
    expect(await of('call-rec-4-agent')).toEqual([r.id]);
    expect(await of('call-rec-5-agent')).toEqual([]);
  });

  it('another tenant gets 404 and an agent without the recordings right 403', async () => {
    const r = await kept('call-rec-2', 'i4', 30);
    expect((await t.request('GET', `/api/v1/recordings/${r.id}/audio`, { cookie: adminB.cookie })).statusCode).toBe(404);
    expect((await t.request('GET', '/api/v1/calls/call-rec-2/recordings', { cookie: adminB.cookie })).json()).toEqual({ items: [] });
    expect((await t.request('GET', `/api/v1/recordings/${r.id}/audio`, { cookie: agent.cookie })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/v1/calls/call-rec-2/recordings', { cookie: agent.cookie })).statusCode).toBe(403);
  });

  it('the retention purge deletes what ran out (file and row, a file already gone too) and keeps the rest', async () => {
    const short = await kept('call-rec-3', 'i5', 1);
    const gone = await kept('call-rec-3', 'i6', 1);
    rmSync(gone.abs);
    const long = await kept('call-rec-3', 'i7', 90);
    const forever = await kept('call-rec-3', 'i8', null);
    const purge = () => t.modules.routing.recordings.purge(t.clock.now() + 2 * DAY);
    expect(purge()).toBe(2);
    expect(existsSync(short.abs)).toBe(false);
    expect(existsSync(long.abs) && existsSync(forever.abs)).toBe(true);
    const left = (await t.request('GET', '/api/v1/calls/call-rec-3/recordings', { cookie: supervisor.cookie })).json() as { items: { id: number }[] };
    expect(left.items.map((r) => r.id)).toEqual([long.id, forever.id]);
    expect((await t.request('GET', `/api/v1/recordings/${short.id}/audio`, { cookie: supervisor.cookie })).statusCode).toBe(404);
    expect(purge()).toBe(0);
  });
});

/** `GET /api/v1/calls` and `GET /api/v1/calls/:callId` on the real app: filters, paging, tenancy. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallsRepo, type NewCall } from '../../src/calls/calls.repo.js';
import { users } from '../../src/db/schema/index.js';
import type { CallId, TenantId } from '../../src/kernel/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const T = Date.parse('2026-03-10T12:00:00Z');
const H = 3600_000;

let t: TestApp;
let tenantB: number;
let admin: string;

function leg(tenantId: number, callId: string, over: Partial<NewCall> = {}): NewCall {
  return {
    callId: callId as CallId,
    tenantId: tenantId as TenantId,
    parentCallId: null,
    channelId: `ch-${callId}`,
    channelName: 'DAHDI/i1/4830001234-1',
    kind: 'inbound',
    direction: 'inbound',
    from: '5548999990000',
    fromName: null,
    to: '4830001234',
    trunkRef: 'span:1',
    state: 'ringing',
    startedAt: T,
    answeredAt: null,
    ...over,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  tenantB = t.createTenant('Tenant B');
  const repo = createCallsRepo(t.deps.database.db);
  const a = t.tenantA;
  repo.insert(leg(a, 'a1', { startedAt: T - 3 * H, answeredAt: T - 3 * H + 2000 }));
  repo.close('a1', { endedAt: T - 3 * H + 62_000, cause: 16, causeText: 'Normal call clearing', hangupBy: 'atende', endReason: 'normal' });
  repo.insert(leg(a, 'a2', { startedAt: T - 2 * H, from: '5511988887777', to: '4830001235' }));
  repo.close('a2', { endedAt: T - 2 * H + 5000, cause: 16, causeText: 'Normal call clearing', hangupBy: 'caller', endReason: 'normal' });
  repo.insert(leg(a, 'a3', { startedAt: T - 1 * H, kind: 'dialer', direction: 'outbound', from: '4830001234', to: '5521977776666', trunkRef: null, state: 'in_progress', answeredAt: T - H }));
  repo.insert(leg(a, 'a4', { startedAt: T, kind: 'internal', direction: 'internal', from: '1001', to: '2000', trunkRef: null }));
  repo.insert(leg(tenantB, 'b1', { startedAt: T, from: '5548999990000' }));
  admin = (await t.loginAs('admin')).cookie;
});

afterAll(async () => {
  await t.close();
});

const list = async (cookie: string, query: Record<string, string | number> = {}) => {
  const res = await t.request('GET', '/api/v1/calls', { cookie, query });
  return { status: res.statusCode, body: res.json() as { items: { callId: string }[]; total: number; error?: { details: { field: string } } } };
};
const ids = (body: { items: { callId: string }[] }) => body.items.map((i) => i.callId);

describe('GET /api/v1/calls', () => {
  it('needs a session', async () => {
    expect((await t.request('GET', '/api/v1/calls')).statusCode).toBe(401);
  });

  it("lists the tenant's legs newest first, with their times and how they ended", async () => {
    const { status, body } = await list(admin);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(['a4', 'a3', 'a2', 'a1']);
    expect(body.total).toBe(4);
    expect(body.items[3]).toEqual({
      callId: 'a1',
      parentCallId: null,
      channelId: 'ch-a1',
      channelName: 'DAHDI/i1/4830001234-1',
      kind: 'inbound',
      direction: 'inbound',
      from: '5548999990000',
      fromName: null,
      to: '4830001234',
      trunkRef: 'span:1',
      trunkAttempts: null,
      state: 'ended',
      startedAt: new Date(T - 3 * H).toISOString(),
      answeredAt: new Date(T - 3 * H + 2000).toISOString(),
      endedAt: new Date(T - 3 * H + 62_000).toISOString(),
      durationSeconds: 62,
      talkSeconds: 60,
      cause: 16,
      causeText: 'Normal call clearing',
      hangupBy: 'atende',
      endReason: 'normal',
    });
  });

  it.each([
    [{ direction: 'outbound' }, ['a3']],
    [{ direction: 'internal' }, ['a4']],
    [{ state: 'ended' }, ['a2', 'a1']],
    [{ state: 'ringing' }, ['a4']],
    [{ number: '5511988887777' }, ['a2']],
    [{ number: '4830001234' }, ['a3', 'a1']],
    [{ number: '8887777' }, ['a2']],
    [{ from: new Date(T - 2 * H).toISOString() }, ['a4', 'a3', 'a2']],
    [{ to: new Date(T - 2 * H).toISOString() }, ['a1']],
    [{ from: '2026-03-10T07:00:00-03:00', to: '2026-03-10T08:30:00-03:00' }, ['a3', 'a2']],
    [{ direction: 'inbound', number: '5548' }, ['a1']],
    [{ number: '+55 (11) 98888-7777' }, ['a2']],
    [{ number: '011 98888-7777' }, ['a2']],
    [{ number: '(48) 3000-1234' }, ['a3', 'a1']],
    [{ sort: 'startedAt' }, ['a1', 'a2', 'a3', 'a4']],
    [{ sort: '-duration' }, ['a1', 'a2', 'a4', 'a3']],
    [{ sort: 'duration' }, ['a2', 'a1', 'a3', 'a4']],
    [{ sort: 'from' }, ['a4', 'a3', 'a2', 'a1']],
    [{ sort: '-answeredAt', limit: 2 }, ['a3', 'a1']],
    [{ limit: 2 }, ['a4', 'a3']],
    [{ limit: 2, offset: 2 }, ['a2', 'a1']],
    [{ offset: 10 }, []],
  ])('filters %j', async (query, expected) => {
    const { status, body } = await list(admin, query);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected);
  });

  it('counts the total before paging', async () => {
    const { body } = await list(admin, { limit: 1 });
    expect(body.total).toBe(4);
  });

  it.each([
    [{ direction: 'sideways' }, 'direction'],
    [{ state: 'talking' }, 'state'],
    [{ number: 'abc' }, 'number'],
    [{ number: '()-' }, 'number'],
    [{ sort: 'colour' }, 'sort'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-03-10' }, 'to'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 501 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ colour: 'blue' }, 'colour'],
    [{ from: '2026-03-10T12:00:00Z', to: '2026-03-10T11:00:00Z' }, 'to'],
  ])('a bad filter %j is a 400 naming the field', async (query, field) => {
    const { status, body } = await list(admin, query);
    expect(status).toBe(400);
    expect(body.error?.details.field).toBe(field);
  });

  it("never shows another tenant's calls", async () => {
    const b = (await t.loginAs('admin', { tenantId: tenantB })).cookie;
    expect(ids((await list(b)).body)).toEqual(['b1']);
    expect(ids((await list(b, { number: '5548999990000' })).body)).toEqual(['b1']);
    expect((await t.request('GET', '/api/v1/calls/a1', { cookie: b })).statusCode).toBe(404);
    expect((await t.request('GET', '/api/v1/calls/b1', { cookie: admin })).statusCode).toBe(404);
  });

  it("lets a super user look at another tenant's calls, and nobody else", async () => {
    const superUser = (await t.loginAs('super')).cookie;
    const other = await list(superUser, { tenantId: tenantB });
    expect(other.status).toBe(200);
    expect(ids(other.body)).toEqual(['b1']);
    const one = await t.request('GET', '/api/v1/calls/b1', { cookie: superUser, query: { tenantId: tenantB } });
    expect(one.statusCode).toBe(200);
    expect((await list(admin, { tenantId: tenantB })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/calls/b1', { cookie: admin, query: { tenantId: tenantB } })).statusCode).toBe(404);
  });

  it("shows an agent only the legs of its own extension", async () => {
    const agent = await t.loginAs('agent');
    expect((await list(agent.cookie)).body.items).toEqual([]);
    t.deps.database.db.update(users).set({ extension: '1001' }).where(eq(users.id, agent.user.id)).run();
    expect(ids((await list(agent.cookie)).body)).toEqual(['a4']);
    expect((await t.request('GET', '/api/v1/calls/a4', { cookie: agent.cookie })).statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/calls/a1', { cookie: agent.cookie })).statusCode).toBe(404);
  });
});

describe('GET /api/v1/calls/:callId', () => {
  it('answers one record', async () => {
    const res = await t.request('GET', '/api/v1/calls/a3', { cookie: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ callId: 'a3', direction: 'outbound', state: 'in_progress', endedAt: null, durationSeconds: null });
  });

  it('404 for an unknown call', async () => {
    const res = await t.request('GET', '/api/v1/calls/nope', { cookie: admin });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

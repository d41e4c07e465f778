/**
 * The generic resource mechanism (src/resources) through the real app: a test resource with
 * the same shape as provisioning's (a unique number, a write-only PIN, a rule that needs the
 * whole input, a child table, a referrer that blocks delete).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Type, type Static } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { resourceColumns } from '../../src/db/schema/index.js';
import { Nullable, Timestamps, closed } from '../../src/http/schemas.js';
import { invalidField } from '../../src/kernel/index.js';
import { ResourceService, resourceRoutes, type ResourceChange, type ResourceDef } from '../../src/resources/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

const rooms = sqliteTable('test_rooms', {
  ...resourceColumns(),
  name: text('name').notNull(),
  number: text('number').notNull(),
  pin: text('pin'),
  maxMembers: integer('max_members').notNull(),
  moderated: integer('moderated', { mode: 'boolean' }).notNull(),
});
const roomTags = sqliteTable('test_room_tags', {
  roomId: integer('room_id').notNull(),
  tag: text('tag').notNull(),
});

const RoomBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    number: Type.String({ pattern: '^[0-9]{2,8}$' }),
    pin: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{4,8}$' }))),
    maxMembers: Type.Optional(Type.Integer({ minimum: 2, maximum: 100 })),
    moderated: Type.Optional(Type.Boolean()),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 5 })),
  },
  closed,
);
const RoomView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  number: Type.String(),
  hasPin: Type.Boolean(),
  maxMembers: Type.Integer(),
  moderated: Type.Boolean(),
  tags: Type.Array(Type.String()),
  ...Timestamps,
});
type RoomInput = {
  name: string;
  number: string;
  pin?: string | null;
  maxMembers?: number;
  moderated?: boolean;
  tags?: string[];
};

const DDL = `
CREATE TABLE test_rooms (id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL, number TEXT NOT NULL, pin TEXT, max_members INTEGER NOT NULL, moderated INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE test_room_tags (room_id INTEGER NOT NULL REFERENCES test_rooms(id) ON DELETE CASCADE, tag TEXT NOT NULL);`;

const iso = (ms: number) => new Date(ms).toISOString();

const roomDef: ResourceDef<typeof rooms, RoomInput, Static<typeof RoomView>> = {
  label: 'room',
  entity: 'test_room',
  table: rooms,
  unique: { number: rooms.number, name: rooms.name },
  search: [rooms.name, rooms.number],
  sortable: { name: rooms.name, number: rooms.number },
  filter: (q) => [q.moderated === undefined ? undefined : eq(rooms.moderated, q.moderated as boolean)],
  toColumns(input) {
    // A rule over the whole input: a moderated room needs a PIN, whichever request set which.
    if (input.moderated && !input.pin) throw invalidField('pin', 'pin: a moderated room needs a PIN');
    return {
      // Stored trimmed, as the resources' names are: uniqueness is of the name as stored.
      name: input.name.trim(),
      number: input.number,
      pin: input.pin ?? null,
      maxMembers: input.maxMembers ?? 10,
      moderated: input.moderated ?? false,
    };
  },
  toInput: (row, r) => ({
    name: row.name,
    number: row.number,
    pin: row.pin,
    maxMembers: row.maxMembers,
    moderated: row.moderated,
    tags: r.db.select().from(roomTags).where(eq(roomTags.roomId, row.id)).all().map((t) => t.tag),
  }),
  toView: (row, r) => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    number: row.number,
    hasPin: row.pin !== null,
    maxMembers: row.maxMembers,
    moderated: row.moderated,
    tags: r.db.select().from(roomTags).where(eq(roomTags.roomId, row.id)).all().map((t) => t.tag),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
  afterWrite(row, input, w) {
    if (input.tags?.includes('forbidden')) throw invalidField('tags', 'tags: "forbidden" is not allowed');
    w.db.delete(roomTags).where(eq(roomTags.roomId, row.id)).run();
    for (const tag of new Set(input.tags ?? [])) w.db.insert(roomTags).values({ roomId: row.id, tag }).run();
  },
  beforeDelete(row, _w, options) {
    if (row.name === 'lobby' && options.force !== true) throw invalidField('id', 'the lobby cannot be deleted without force=true');
  },
};

describe('resources: a tenant-scoped, audited resource from one definition', () => {
  let t: TestApp;
  let service!: ResourceService<typeof rooms, RoomInput, Static<typeof RoomView>>;
  let admin: LoggedIn;
  let changes: ResourceChange[];
  /** Rooms named here are "used by" a pretend inbound route (references block their delete). */
  const usedBy = new Map<number, string>();

  beforeEach(async () => {
    changes = [];
    usedBy.clear();
    t = await createTestApp({
      extendModules(modules) {
        modules.resources.database.sqlite.exec(DDL);
        service = new ResourceService(roomDef, modules.resources);
        modules.resources.changes.subscribe((c) => changes.push(c));
        modules.resources.references.add('test_room', (_tenantId, id) =>
          usedBy.has(id) ? [{ entity: 'inbound_route', id: 7, name: usedBy.get(id)! }] : [],
        );
        modules.routes.push(
          resourceRoutes(service, {
            path: '/test/rooms',
            module: 'teams',
            tag: 'test',
            body: RoomBody,
            view: RoomView,
            filters: { moderated: Type.Optional(Type.Boolean()) },
            deleteQuery: { force: Type.Optional(Type.Boolean()) },
            bulk: { maxItems: 10 },
          }),
        );
        modules.routes.push(resourceRoutes(service, { path: '/test/fixed-rooms', module: 'teams', tag: 'test', body: RoomBody, view: RoomView, except: ['create', 'delete'] }));
      },
    });
    admin = await t.loginAs('admin');
  });
  afterEach(async () => t.close());

  const create = (body: object, cookie = admin.cookie) => t.request('POST', '/api/v1/test/rooms', { cookie, body });

  it('creates, reads, lists with search, sort, filter and paging; the PIN is never returned', async () => {
    for (const [name, number] of [['Vendas', '301'], ['Suporte', '302'], ['Cobrança', '303'], ['Suporte 2', '304']] as const) {
      expect((await create({ name, number, pin: '1234', tags: ['a', 'a', 'b'] })).statusCode).toBe(201);
    }
    const list = await t.request('GET', '/api/v1/test/rooms', { cookie: admin.cookie, query: { q: 'SUP', sort: '-name', limit: 1 } });
    expect(list.statusCode).toBe(200);
    const page = list.json();
    expect(page.total).toBe(2);
    expect(page.items.map((r: { name: string }) => r.name)).toEqual(['Suporte 2']);
    expect(page.items[0]).not.toHaveProperty('pin');
    expect(page.items[0]).toMatchObject({ hasPin: true, maxMembers: 10, tags: ['a', 'b'] });
    await t.request('PATCH', `/api/v1/test/rooms/${page.items[0].id}`, { cookie: admin.cookie, body: { moderated: true } });
    const moderated = await t.request('GET', '/api/v1/test/rooms', { cookie: admin.cookie, query: { moderated: true } });
    expect(moderated.json().items.map((r: { number: string }) => r.number)).toEqual(['304']);
    const pct = await t.request('GET', '/api/v1/test/rooms', { cookie: admin.cookie, query: { q: '%' } });
    expect(pct.json().total).toBe(0); // `%` is a character to find, not a wildcard
    const one = await t.request('GET', `/api/v1/test/rooms/${page.items[0].id}`, { cookie: admin.cookie });
    expect(one.json().number).toBe('304');
    const bad = await t.request('GET', '/api/v1/test/rooms', { cookie: admin.cookie, query: { sort: 'pin' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('sort');
  });

  it('a resource may serve some routes itself: those it excepts are not made', async () => {
    const id = (await create({ name: 'Vendas', number: '301' })).json().id;
    const fixed = (method: 'POST' | 'DELETE' | 'GET' | 'PATCH', path: string, body?: object) =>
      t.request(method, `/api/v1/test/fixed-rooms${path}`, { cookie: admin.cookie, body });
    expect((await fixed('POST', '', { name: 'Suporte', number: '302' })).statusCode).toBe(404);
    expect((await fixed('DELETE', `/${id}`)).statusCode).toBe(404);
    expect((await fixed('GET', `/${id}`)).json().name).toBe('Vendas');
    expect((await fixed('PATCH', `/${id}`, { name: 'Vendas SP' })).json().name).toBe('Vendas SP');
  });

  it('a patch is merged over the current values and the whole is checked again', async () => {
    const id = (await create({ name: 'Vendas', number: '301' })).json().id;
    const refused = await t.request('PATCH', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie, body: { moderated: true } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.field).toBe('pin');
    const ok = await t.request('PATCH', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie, body: { moderated: true, pin: '9876' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Vendas', number: '301', moderated: true, hasPin: true });
    const tagsKept = await t.request('PATCH', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie, body: { name: 'Vendas SP' } });
    expect(tagsKept.json()).toMatchObject({ name: 'Vendas SP', moderated: true, hasPin: true });
  });

  it('a duplicate within the tenant is 409 naming the field; another tenant may reuse it', async () => {
    expect((await create({ name: 'Vendas', number: '301' })).statusCode).toBe(201);
    const dup = await create({ name: 'Outra', number: '301' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('number');
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await create({ name: 'Vendas', number: '301' }, other.cookie)).statusCode).toBe(201);
    const second = (await create({ name: 'Suporte', number: '302' })).json().id;
    const clash = await t.request('PATCH', `/api/v1/test/rooms/${second}`, { cookie: admin.cookie, body: { name: 'Vendas' } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.details.field).toBe('name');
    const spaced = await create({ name: 'Vendas ', number: '303' });
    expect(spaced.statusCode).toBe(409);
    expect(spaced.json().error.details.field).toBe('name');
  });

  it("another tenant's rows are 404 on every route and never listed; a super user may name the tenant", async () => {
    const id = (await create({ name: 'Vendas', number: '301' })).json().id;
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'x' }], ['DELETE', undefined]] as const) {
      const res = await t.request(method, `/api/v1/test/rooms/${id}`, { cookie: other.cookie, body });
      expect(res.statusCode).toBe(404);
    }
    expect((await t.request('GET', '/api/v1/test/rooms', { cookie: other.cookie })).json().total).toBe(0);
    const named = await t.request('GET', '/api/v1/test/rooms', { cookie: other.cookie, query: { tenantId: t.tenantA } });
    expect(named.statusCode).toBe(404);
    const sup = await t.loginAs('super', { tenantId: t.createTenant() });
    const asSuper = await t.request('GET', '/api/v1/test/rooms', { cookie: sup.cookie, query: { tenantId: t.tenantA } });
    expect(asSuper.json().total).toBe(1);
    const made = await t.request('POST', '/api/v1/test/rooms', { cookie: sup.cookie, query: { tenantId: t.tenantA }, body: { name: 'S', number: '99' } });
    expect(made.json().tenantId).toBe(t.tenantA);
    const nowhere = await t.request('POST', '/api/v1/test/rooms', { cookie: sup.cookie, query: { tenantId: 999_999 }, body: { name: 'S', number: '98' } });
    expect(nowhere.statusCode).toBe(404);
  });

  it('an agent may not write (403) and the access is declared per module', async () => {
    const agent = await t.loginAs('agent');
    expect((await create({ name: 'Vendas', number: '301' }, agent.cookie)).statusCode).toBe(403);
  });

  it('a delete is refused while something refers to the row, with the referrers listed', async () => {
    const id = (await create({ name: 'Vendas', number: '301' })).json().id;
    usedBy.set(id, 'DID 1133334444');
    const refused = await t.request('DELETE', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('inbound_route DID 1133334444');
    expect(refused.json().error.details.referrers).toEqual([{ entity: 'inbound_route', id: 7, name: 'DID 1133334444' }]);
    usedBy.clear();
    expect((await t.request('DELETE', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie })).statusCode).toBe(204);
    expect((await t.request('GET', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie })).statusCode).toBe(404);
  });

  it('every change is audited with before/after and published after commit; a refused change leaves nothing', async () => {
    const id = (await create({ name: 'Vendas', number: '301', pin: '1234' })).json().id;
    await t.request('PATCH', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie, body: { maxMembers: 20 } });
    await t.request('DELETE', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie });
    expect(changes).toEqual([
      { tenantId: t.tenantA, entity: 'test_room', id, action: 'create' },
      { tenantId: t.tenantA, entity: 'test_room', id, action: 'update' },
      { tenantId: t.tenantA, entity: 'test_room', id, action: 'delete' },
    ]);
    const audit = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entity: 'test_room' } });
    const records = audit.json().items as { action: string; before: { maxMembers: number } | null; after: { maxMembers: number } | null; actorLogin: string }[];
    const update = records.find((r) => r.action === 'update')!;
    expect(update.before!.maxMembers).toBe(10);
    expect(update.after!.maxMembers).toBe(20);
    expect(update.actorLogin).toBe(admin.user.login);
    expect(JSON.stringify(records)).not.toContain('1234');

    changes.length = 0;
    const auditRows = t.count('audit_log');
    // afterWrite throws after the row was inserted: the transaction rolls the row back too.
    const refused = await create({ name: 'Suporte', number: '302', tags: ['forbidden'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.field).toBe('tags');
    expect(t.count('test_rooms')).toBe(0);
    expect(t.count('audit_log')).toBe(auditRows);
    expect(changes).toEqual([]);
  });

  it('beforeDelete may refuse a delete; the row stays; the delete query may confirm it', async () => {
    const id = (await create({ name: 'lobby', number: '300' })).json().id;
    const res = await t.request('DELETE', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie });
    expect(res.statusCode).toBe(400);
    expect(t.count('test_rooms')).toBe(1);
    const unknown = await t.request('DELETE', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie, query: { purge: true } });
    expect(unknown.json().error.details.field).toBe('purge');
    const forced = await t.request('DELETE', `/api/v1/test/rooms/${id}`, { cookie: admin.cookie, query: { force: true } });
    expect(forced.statusCode).toBe(204);
    expect(t.count('test_rooms')).toBe(0);
  });

  it('a bulk save writes creates, updates and deletes together, or nothing, and publishes after commit', async () => {
    const a = (await create({ name: 'Vendas', number: '301' })).json().id;
    const b = (await create({ name: 'Suporte', number: '302' })).json().id;
    changes.length = 0;
    const bulk = (body: object, cookie = admin.cookie) => t.request('PUT', '/api/v1/test/rooms', { cookie, body });
    const refused = await bulk({
      remove: [a],
      update: [{ id: b, patch: { name: 'Suporte 2' } }],
      create: [{ name: 'Novo', number: '302' }, { name: 'Ok', number: '306' }, { name: 'Proibida', number: '305', tags: ['forbidden'] }],
    });
    expect(refused.statusCode).toBe(409);
    // The first refusal is named where it sits in the body, as a request's own validation names it.
    expect(refused.json().error.details.field).toBe('create.0.number');
    // Every refused item is named by its list and index, so a screen shows each next to its row.
    expect(refused.json().error.details.items).toEqual([
      { op: 'create', index: 0, id: null, status: 409, code: 'conflict', field: 'number', message: expect.stringContaining('302') },
      { op: 'create', index: 2, id: null, status: 400, code: 'invalid_field', field: 'tags', message: expect.stringContaining('forbidden') },
    ]);
    expect(t.count('test_room_tags')).toBe(0);
    expect(t.count('test_rooms')).toBe(2);
    expect(changes).toEqual([]);
    const ok = await bulk({ remove: [a], update: [{ id: b, patch: { name: 'Suporte 2' } }], create: [{ name: 'Novo', number: '301' }] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items.map((r: { name: string }) => r.name)).toEqual(['Suporte 2', 'Novo']);
    expect(changes.map((c) => c.action)).toEqual(['delete', 'update', 'create']);
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await bulk({ remove: [b] }, other.cookie)).statusCode).toBe(404);
    expect(t.count('test_rooms')).toBe(2);
  });

  it('the OpenAPI document describes the routes with their schemas (the bulk save too)', async () => {
    const doc = (await t.request('GET', '/api/docs/json')).json();
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/test/rooms']!).sort()).toEqual(['get', 'post', 'put']);
    expect(Object.keys(paths['/api/v1/test/rooms/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
  });
});

/**
 * The API fuzzed from its own OpenAPI document: every operation served under /api/v1 (the
 * emulator's control surface included) gets generated requests — valid ones, and invalid ones
 * per schema: wrong types, missing and unknown fields, boundary and huge integers, long and
 * control-character strings, deep nesting, prototype keys, malformed JSON; for uploads,
 * multipart forms with real and bogus audio, extra files and broken framing — as an anonymous
 * caller, an agent, a supervisor and an admin of tenant A, the admin of tenant B, and a super
 * user (the admin of A and the super user ask for Portuguese, as the web app does, so every
 * error also goes through the message translator). For every answer:
 *   - never a 5xx;
 *   - every error is `{"error": {code, message, details}}`;
 *   - after any 4xx the database is exactly as before;
 *   - no upload file is left in the scratch directory, whatever the answer;
 *   - another tenant's id answers exactly what an id that exists nowhere answers (404 where the
 *     caller may use the route at all), never a 2xx.
 * Ids of rows another tenant owns are found generically: each collection (`GET /x` beside
 * `POST /x`) gets a row per tenant from a generated valid body, and a route with path
 * parameters takes the ids its collection lists to that tenant's admin. A route added anywhere
 * is covered with no change here.
 *
 * Each request runs inside a transaction that is rolled back, so that successful writes
 * (a logout, a deactivation) never change the world the next request sees.
 *
 * Per operation: the other-tenant check, a deterministic sweep of every path parameter, query
 * parameter and body or form field through its boundary values, then ATENDE_FUZZ_RUNS random
 * requests (default 8: about 25 s of CPU for the whole file) with seed ATENDE_FUZZ_SEED
 * (default fixed, `random` for a fresh one). `npm run fuzz` runs 150 per operation with a fresh
 * seed, printed so that a failure can be replayed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createCallsRepo } from '../../src/calls/calls.repo.js';
import { newCallId, type TenantId } from '../../src/kernel/index.js';
import { emulatorRoutes } from '../../src/telephony/emulator/emulator.routes.js';
import { startEmulator } from '../../src/telephony/emulator/index.js';
import { pcmTone, wavHeader } from '../../src/telephony/emulator/wav.js';
import { connectAmi } from '../helpers/ami.js';
import { ADMIN_PASSWORD, createTestApp } from '../helpers/app.js';
import { describeOp, fillPath, operationsOf, type JsonSchema, type Operation } from '../helpers/openapi.js';
import { boundaryValues, invalidValue, validValue } from '../helpers/schema-arbitrary.js';

const RUNS = Number(process.env.ATENDE_FUZZ_RUNS ?? 8);
const seedVar = process.env.ATENDE_FUZZ_SEED;
const SEED = seedVar === undefined ? 20_260_105 : seedVar === 'random' ? Date.now() % 2_147_483_647 : Number(seedVar);
if (seedVar !== undefined) console.log(`[fuzz] ${RUNS} random requests per operation, seed ${SEED} (replay: ATENDE_FUZZ_SEED=${SEED} ATENDE_FUZZ_RUNS=${RUNS} npm run fuzz)`);

// ---------------------------------------------------------------- the world

const dir = mkdtempSync(join(tmpdir(), 'atende-fuzz-'));
// Asterisk as a deployment has it: its configuration directory and AMI, so that apply and its
// preview answer as they would for an admin, not "not configured".
const configDir = join(dir, 'asterisk');
const emulator = await startEmulator({ recordingsDir: dir, speed: 50, trunks: ['trunk1'], configDir });
const ami = await connectAmi(emulator);
const t = await createTestApp({
  asterisk: { ami, configDir },
  extendModules: (m) => m.routes.push(async (app) => app.register(emulatorRoutes, { emulator })),
});
const ops = await operationsOf(t.app);
const sqlite = t.deps.database.sqlite;

const tenantB = t.createTenant('Tenant B Fuzz');
interface Actor {
  name: string;
  cookie?: string;
  tenantId?: number;
  /** `Accept-Language`, as the web app sends it: errors are then translated. */
  language?: string;
}
const actors: Actor[] = [
  { name: 'anonymous' },
  { name: 'agent of A', cookie: (await t.loginAs('agent')).cookie, tenantId: t.tenantA },
  { name: 'supervisor of A', cookie: (await t.loginAs('supervisor')).cookie, tenantId: t.tenantA },
  { name: 'admin of A', cookie: (await t.loginAs('admin')).cookie, tenantId: t.tenantA, language: 'pt-BR' },
  { name: 'admin of B', cookie: (await t.loginAs('admin', { tenantId: tenantB })).cookie, tenantId: tenantB },
  { name: 'super user', cookie: await t.login('admin', ADMIN_PASSWORD), language: 'pt-BR' },
];
const adminOf = (tenantId: number) => actors.find((a) => a.name.startsWith('admin of') && a.tenantId === tenantId)!;

const sample = <T>(arb: fc.Arbitrary<T>, n: number, seed = SEED): T[] => fc.sample(arb, { seed, numRuns: n });

/** One part of a `multipart/form-data` body: a text field or a file. */
type Part = { name: string; value: string } | { name: string; fileName: string; bytes: Buffer };

interface Req {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** An object sent as JSON, the parts of a multipart form, or a raw payload with its content type. */
  body?: { json: unknown } | { parts: Part[] } | { raw: string | Buffer; type: string };
}

const BOUNDARY = 'atende-fuzz-boundary';
const FORM_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart body as a browser writes it; `closed: false` leaves out the final boundary. */
function multipart(parts: Part[], closed = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file = 'bytes' in p;
    const disposition = `form-data; name="${p.name}"${file ? `; filename="${p.fileName.replace(/["\r\n]/g, '_')}"` : ''}`;
    const head = `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${file ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`;
    chunks.push(Buffer.from(head), file ? p.bytes : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  if (closed) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** What an upload may carry: a short real WAV (it is converted), noise, text, nothing. */
const tone = pcmTone(200, 440);
const fileContents = fc.oneof(
  { weight: 2, arbitrary: fc.constant(Buffer.concat([wavHeader(tone.length), tone])) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.alloc(0), Buffer.from('RIFF....WAVEfmt '), Buffer.from('ID3\u0004 not really an mp3')) },
);

const isFile = (s: JsonSchema | undefined): boolean => s?.format === 'binary';

/**
 * The parts for an object of a form schema's shape: a string under a file property is sent as
 * a file of that name, anything else as a text field (non-strings as JSON).
 */
function partsOf(form: JsonSchema, value: unknown, bytes: Buffer): Part[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ name: 'value', value: JSON.stringify(value) }];
  const props = (form.properties as Record<string, JsonSchema> | undefined) ?? {};
  return Object.entries(value).map(([name, v]): Part =>
    isFile(props[name]) && typeof v === 'string' ? { name, fileName: v, bytes } : { name, value: typeof v === 'string' ? v : JSON.stringify(v) },
  );
}

/**
 * A valid form broken in each way a client or a proxy breaks one: a second file, a file in
 * another field, no final boundary, cut short inside the file and inside the first header, no
 * boundary in the content type, a boundary longer than the parser takes.
 */
function brokenForms(form: JsonSchema, value: unknown, bytes: Buffer): NonNullable<Req['body']>[] {
  const fileField = Object.entries((form.properties as Record<string, JsonSchema> | undefined) ?? {}).find(([, v]) => isFile(v))?.[0] ?? 'file';
  const parts = partsOf(form, value, bytes);
  const whole = multipart(parts);
  const fileAt = whole.indexOf('filename=');
  return [
    { parts: [...parts, { name: fileField, fileName: 'second.wav', bytes }] },
    { parts: [...parts, { name: 'other', fileName: 'other.wav', bytes }] },
    { raw: multipart(parts, false), type: FORM_TYPE },
    { raw: whole.subarray(0, fileAt > 0 ? fileAt + 80 : whole.length - 10), type: FORM_TYPE },
    { raw: whole.subarray(0, 40), type: FORM_TYPE },
    { raw: whole, type: 'multipart/form-data' },
    { raw: whole, type: `multipart/form-data; boundary=${'b'.repeat(300)}` },
  ];
}

/** Valid and invalid multipart bodies for an upload form, and broken framing. */
function formBodies(form: JsonSchema): fc.Arbitrary<NonNullable<Req['body']>> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(validValue(form), fileContents).map(([v, bytes]) => ({ parts: partsOf(form, v, bytes) })) },
    { weight: 4, arbitrary: fc.tuple(invalidValue(form), fileContents).map(([v, bytes]) => ({ parts: partsOf(form, v, bytes) })) },
    { weight: 1, arbitrary: fc.tuple(validValue(form), fileContents).chain(([v, bytes]) => fc.constantFrom(...brokenForms(form, v, bytes))) },
  );
}

function send(op: Operation, actor: Actor, r: Req): Promise<LightMyRequestResponse> {
  const query = Object.fromEntries(
    Object.entries(r.query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  const headers: Record<string, string> = { ...(actor.cookie ? { cookie: actor.cookie } : {}), ...(actor.language ? { 'accept-language': actor.language } : {}) };
  let payload: string | Buffer | undefined;
  if (r.body && 'json' in r.body) {
    payload = JSON.stringify(r.body.json);
    headers['content-type'] = 'application/json';
  } else if (r.body && 'parts' in r.body) {
    payload = multipart(r.body.parts);
    headers['content-type'] = FORM_TYPE;
  } else if (r.body) {
    payload = r.body.raw;
    headers['content-type'] = r.body.type;
  }
  return t.app.inject({ method: op.method, url: fillPath(op.path, r.params), query, headers, ...(payload !== undefined ? { payload } : {}) });
}

// Rows every collection holds, for each tenant: the fixture's users, and one generated row per
// collection that takes a POST. Calls have no POST: a leg per tenant is recorded directly.
const collections = ops.filter((o) => o.method === 'GET' && o.pathParams.length === 0);
const callsRepo = createCallsRepo(t.deps.database.db);
for (const tenantId of [t.tenantA, tenantB]) {
  callsRepo.insert({
    callId: newCallId(),
    tenantId: tenantId as TenantId,
    parentCallId: null,
    channelId: `fuzz-${tenantId}`,
    channelName: 'PJSIP/trunk1-00000001',
    kind: 'inbound',
    direction: 'inbound',
    from: '11987654321',
    fromName: null,
    to: '1133334444',
    trunkRef: 'trunk:trunk1',
    state: 'ringing',
    startedAt: t.clock.now(),
    answeredAt: null,
  });
  for (const post of ops.filter((o) => o.method === 'POST' && o.pathParams.length === 0 && o.body && collections.some((c) => c.path === o.path))) {
    for (const body of sample(validValue(post.body!), 25, SEED + tenantId)) {
      const r = await send(post, adminOf(tenantId), { params: {}, query: {}, body: { json: body } });
      if (r.statusCode < 300) break;
    }
  }
}

/** Every GET, by path: the collections a path parameter's value is looked up in. */
const getsByPath = new Map(ops.filter((o) => o.method === 'GET').map((o) => [o.path, o]));

/**
 * Ids of rows a tenant owns for every path parameter of `op`, left to right: the value of
 * `{p}` is taken from the collection at the path before `/{p}` (earlier parameters filled in),
 * listed to that tenant's admin — `/users/{id}/x` from `/users`, `/queues/{id}/agents/{userId}`
 * from `/queues` then `/queues/<id>/agents`. Undefined when a parameter has no such collection.
 */
async function idsOwnedBy(op: Operation, tenantId: number): Promise<Record<string, unknown> | undefined> {
  if (op.pathParams.length === 0) return undefined;
  const values: Record<string, unknown> = {};
  for (const p of op.pathParams) {
    const at = op.path.indexOf(`/{${p.name}}`);
    const list = getsByPath.get(op.path.slice(0, at));
    if (!list) return undefined;
    const r = await send(list, adminOf(tenantId), { params: values, query: list.query.some((q) => q.name === 'limit') ? { limit: 50 } : {} });
    if (r.statusCode !== 200) return undefined;
    const body = r.json<{ items?: Record<string, unknown>[] } | Record<string, unknown>[]>();
    const items = Array.isArray(body) ? body : (body.items ?? []);
    const own = items.find((i) => i.tenantId === undefined || i.tenantId === tenantId);
    const value = own?.[p.name] ?? own?.id;
    if (value === undefined) return undefined;
    values[p.name] = value;
  }
  return values;
}

/** A value for a path parameter that names nothing at all. */
const nowhere = (p: { schema: JsonSchema }): unknown =>
  p.schema.type === 'integer' ? ((p.schema.maximum as number | undefined) ?? 2 ** 31) : 'nonexistent-0000';

// ---------------------------------------------------------------- the checks

// A table WITHOUT ROWID (the contacts' key tables) is read in its primary key's order.
const tables = (sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[]).map(
  (r) => ({ name: r.name, order: /WITHOUT ROWID\s*$/i.test(r.sql) ? 'ORDER BY 1, 2, 3' : 'ORDER BY rowid' }),
);
function databaseHash(): string {
  const h = createHash('sha256');
  for (const { name, order } of tables) h.update(name).update(JSON.stringify(sqlite.prepare(`SELECT * FROM "${name}" ${order}`).raw().all()));
  return h.digest('hex');
}
const baseline = databaseHash();
const scratch = join(t.dataDir, 'tmp', 'prompts');

/** Sends one request inside a transaction that is always rolled back, and checks the rules every answer keeps. */
async function probe(op: Operation, actor: Actor, r: Req): Promise<LightMyRequestResponse> {
  sqlite.exec('BEGIN');
  try {
    const res = await send(op, actor, r);
    const where = `${describeOp(op)} as ${actor.name} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    expect(res.statusCode, where).toBeLessThan(500);
    if (res.statusCode >= 400) {
      let body: { error?: { code?: unknown; message?: unknown; details?: unknown } } = {};
      try {
        body = res.json();
      } catch {
        expect.fail(`${where}: the error body is not JSON`);
      }
      expect(typeof body.error?.code, where).toBe('string');
      expect(typeof body.error?.message, where).toBe('string');
      expect(body.error?.details !== null && typeof body.error?.details === 'object' && !Array.isArray(body.error?.details), where).toBe(true);
      expect(databaseHash(), `${where}: the database changed`).toBe(baseline);
    }
    // Uploads land in a scratch directory first; whatever the answer, nothing is left there.
    expect(existsSync(scratch) ? readdirSync(scratch) : [], `${where}: upload files left behind`).toEqual([]);
    return res;
  } finally {
    sqlite.exec('ROLLBACK');
  }
}

function validQuery(op: Operation): fc.Arbitrary<Record<string, unknown>> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const q of op.query) record[q.name] = validValue(q.schema);
  return fc.record(record, { requiredKeys: op.query.filter((q) => q.required).map((q) => q.name) });
}

function requests(op: Operation, ids: Map<number, Record<string, unknown>>): fc.Arbitrary<Req> {
  const pathValue = (p: Operation['pathParams'][number]) =>
    fc.oneof(
      validValue(p.schema),
      invalidValue(p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      fc.constant(nowhere(p)),
      ...[...ids.values()].map((owned) => fc.constant(owned[p.name])),
    );
  const params = fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, pathValue(p)])));
  const query = op.query.length === 0 ? fc.constant({}) : fc.oneof(validQuery(op), fc.constantFrom(...op.query).chain((q) => validQuery(op).chain((v) => invalidValue(q.schema).map((bad) => ({ ...v, [q.name]: bad })))));
  const json: fc.Arbitrary<Req['body']> | undefined = op.body
    ? fc.oneof(
        { weight: 3, arbitrary: validValue(op.body).map((json) => ({ json })) },
        { weight: 4, arbitrary: invalidValue(op.body).map((json) => ({ json })) },
        { weight: 1, arbitrary: fc.constantFrom({ raw: '{"unterminated": ', type: 'application/json' }, { raw: '', type: 'application/json' }, { raw: 'name=x', type: 'application/x-www-form-urlencoded' }, { raw: 'plain', type: 'text/plain' }) },
      )
    : undefined;
  const form = op.form ? formBodies(op.form) : undefined;
  const body: fc.Arbitrary<Req['body']> =
    json && form
      ? fc.oneof(json, form)
      : (json ?? form ?? fc.constantFrom<Req['body']>(undefined, { json: { unexpected: true } }, { parts: [{ name: 'file', fileName: 'x.wav', bytes: Buffer.from('RIFF') }] }));
  return fc.record({ params, query, body }).map((r) => (r.body === undefined ? { params: r.params, query: r.query } : (r as Req)));
}

afterAll(async () => {
  await t.close();
  await ami.stop();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fuzzing every operation of the OpenAPI document', () => {
  it('covers the whole API, the emulator included', () => {
    expect(ops.length).toBeGreaterThanOrEqual(40);
    expect(ops.some((o) => o.path.startsWith('/api/v1/emulator/'))).toBe(true);
    expect(databaseHash()).toBe(baseline);
    // The check can fail: one changed row changes the hash.
    sqlite.exec('BEGIN');
    sqlite.prepare('UPDATE users SET name = name || ? WHERE id = (SELECT min(id) FROM users)').run('!');
    expect(databaseHash()).not.toBe(baseline);
    sqlite.exec('ROLLBACK');
  });

  it("finds each tenant's rows behind the id-bearing routes of the spine", async () => {
    for (const path of ['/api/v1/tenants/{id}', '/api/v1/users/{id}', '/api/v1/teams/{id}', '/api/v1/profiles/{id}', '/api/v1/pause-types/{id}', '/api/v1/audit/{id}', '/api/v1/calls/{callId}']) {
      const op = ops.find((o) => o.method === 'GET' && o.path === path)!;
      const a = await idsOwnedBy(op, t.tenantA);
      const b = await idsOwnedBy(op, tenantB);
      expect({ path, found: a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b) }).toEqual({ path, found: true });
    }
  });

  it.each(ops.map((op) => [describeOp(op), op] as const))('%s', async (_name, op) => {
    const ids = new Map<number, Record<string, unknown>>();
    for (const tenantId of [t.tenantA, tenantB]) {
      const owned = await idsOwnedBy(op, tenantId);
      if (owned) ids.set(tenantId, owned);
    }

    // Another tenant's id answers exactly as an id that exists nowhere, and never succeeds.
    if (op.pathParams.length > 0) {
      const [validBody] = op.body ? sample(validValue(op.body), 1) : [undefined];
      const [query] = sample(validQuery(op), 1);
      const body = validBody === undefined ? undefined : { json: validBody };
      const none = Object.fromEntries(op.pathParams.map((p) => [p.name, nowhere(p)]));
      for (const actor of actors.filter((a) => a.tenantId !== undefined)) {
        const theirs = [...ids.entries()].find(([tenantId]) => tenantId !== actor.tenantId)?.[1];
        if (!theirs) continue;
        const missing = await probe(op, actor, { params: none, query: query!, ...(body ? { body } : {}) });
        const foreign = await probe(op, actor, { params: theirs, query: query!, ...(body ? { body } : {}) });
        const where = `${describeOp(op)} as ${actor.name} with another tenant's ${JSON.stringify(theirs)}: ${foreign.body.slice(0, 200)}`;
        expect(foreign.statusCode, where).toBe(missing.statusCode);
        expect(foreign.statusCode, where).toBeGreaterThanOrEqual(400);
      }
    }

    // Every field at every boundary, one at a time, as the super user (whom no access rule stops
    // before validation), the rest of the request valid.
    const superUser = actors.find((a) => a.name === 'super user')!;
    const [validBody] = op.body ? sample(validValue(op.body), 1, SEED + 1) : [undefined];
    const [validQ] = sample(validQuery(op), 1, SEED + 1);
    const baseParams = Object.fromEntries(op.pathParams.map((p) => [p.name, ids.get(t.tenantA)?.[p.name] ?? sample(validValue(p.schema), 1)[0]]));
    const base: Req = { params: baseParams, query: validQ!, ...(validBody !== undefined ? { body: { json: validBody } } : {}) };
    for (const p of op.pathParams) {
      for (const v of boundaryValues(p.schema)) await probe(op, superUser, { ...base, params: { ...baseParams, [p.name]: typeof v === 'string' ? v : JSON.stringify(v) } });
    }
    for (const q of op.query) {
      for (const v of boundaryValues(q.schema)) await probe(op, superUser, { ...base, query: { ...validQ, [q.name]: v } });
    }
    const fields = Object.entries((op.body?.properties as Record<string, JsonSchema> | undefined) ?? {});
    for (const [name, schema] of fields) {
      for (const v of boundaryValues(schema)) await probe(op, superUser, { ...base, body: { json: { ...(validBody as object), [name]: v } } });
    }
    if (op.form) {
      const [validForm] = sample(validValue(op.form), 1, SEED + 1);
      const [bytes] = sample(fileContents, 1, SEED + 1);
      for (const [name, schema] of Object.entries((op.form.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        for (const v of boundaryValues(schema)) await probe(op, superUser, { ...base, body: { parts: partsOf(op.form, { ...(validForm as object), [name]: v }, bytes!) } });
      }
      for (const body of brokenForms(op.form, validForm, bytes!)) await probe(op, superUser, { ...base, body });
    }

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...actors), requests(op, ids), async (actor, r) => {
        const res = await probe(op, actor, r);
        const theirs = [...ids.entries()].find(([tenantId]) => actor.tenantId !== undefined && tenantId !== actor.tenantId)?.[1];
        if (theirs && op.pathParams.every((p) => r.params[p.name] === theirs[p.name])) {
          expect(res.statusCode, `${describeOp(op)} as ${actor.name} reached another tenant's row`).toBeGreaterThanOrEqual(400);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 60_000 + RUNS * 1_000);
});

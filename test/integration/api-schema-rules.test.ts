/**
 * The API's input rules, checked on every operation of the served OpenAPI document (the
 * emulator's control surface included): every integer a client may send has a minimum and a
 * maximum, every string a maxLength, every array a maxItems. Without them a huge offset reaches
 * SQLite as a number it cannot hold (a 500), and a megabyte of text reaches a column.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorRoutes } from '../../src/telephony/emulator/emulator.routes.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { describeOp, operationsOf, type JsonSchema, type Operation } from '../helpers/openapi.js';

/** Where `schema` breaks a rule, as dotted paths with the reason. */
export function unboundedParts(schema: unknown, at: string): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as JsonSchema;
  const out: string[] = [];
  const type = s.type;
  const types = Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
  const fixed = 'const' in s || Array.isArray(s.enum);
  if (!fixed && (types.includes('integer') || types.includes('number'))) {
    if (s.minimum === undefined && s.exclusiveMinimum === undefined) out.push(`${at}: integer without minimum`);
    if (s.maximum === undefined && s.exclusiveMaximum === undefined) out.push(`${at}: integer without maximum`);
  }
  // A file part (`format: binary`) is bounded by the upload limits (413), not by a length.
  if (!fixed && types.includes('string') && s.maxLength === undefined && s.format !== 'binary') out.push(`${at}: string without maxLength`);
  if (types.includes('array') && s.maxItems === undefined) out.push(`${at}: array without maxItems`);
  for (const [name, child] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {})) {
    out.push(...unboundedParts(child, `${at}.${name}`));
  }
  if (s.items) out.push(...unboundedParts(s.items, `${at}[]`));
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, child] of ((s[k] as unknown[] | undefined) ?? []).entries()) out.push(...unboundedParts(child, `${at}<${k}${i}>`));
  }
  if (typeof s.additionalProperties === 'object') out.push(...unboundedParts(s.additionalProperties, `${at}.*`));
  return out;
}

function problemsOf(op: Operation): string[] {
  return [
    ...op.pathParams.flatMap((p) => unboundedParts(p.schema, `path.${p.name}`)),
    ...op.query.flatMap((p) => unboundedParts(p.schema, `query.${p.name}`)),
    ...(op.body ? unboundedParts(op.body, 'body') : []),
    ...(op.form ? unboundedParts(op.form, 'form') : []),
  ];
}

describe('request schemas of every route', () => {
  let t: TestApp;
  let emulator: Emulator;
  let dir: string;
  let ops: Operation[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atende-schema-rules-'));
    emulator = await startEmulator({ recordingsDir: dir });
    t = await createTestApp({ extendModules: (m) => m.routes.push(async (app) => app.register(emulatorRoutes, { emulator })) });
    ops = await operationsOf(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the routes of every area in the document', () => {
    const paths = new Set(ops.map((o) => o.path));
    for (const p of ['/api/v1/auth/login', '/api/v1/users/{id}', '/api/v1/calls', '/api/v1/audit', '/api/v1/emulator/calls', '/api/v1/telephony/prompts']) {
      expect(paths).toContain(p);
    }
    // Uploads are read from their multipart schema too.
    expect(ops.find((o) => o.method === 'POST' && o.path === '/api/v1/telephony/prompts')?.form).toBeDefined();
  });

  it('bound every integer, string and array a client may send', () => {
    const problems = ops.flatMap((op) => problemsOf(op).map((p) => `${describeOp(op)} ${p}`));
    expect(problems).toEqual([]);
  });

  it('the checker itself notices a missing bound', () => {
    expect(unboundedParts({ type: 'object', properties: { offset: { type: 'integer', minimum: 0 } } }, 'query')).toEqual([
      'query.offset: integer without maximum',
    ]);
    expect(unboundedParts({ anyOf: [{ type: 'string' }, { type: 'null' }] }, 'body.x')).toEqual(['body.x<anyOf0>: string without maxLength']);
    expect(unboundedParts({ type: 'object', properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string' } } }, 'form')).toEqual([
      'form.name: string without maxLength',
    ]);
    expect(unboundedParts({ type: 'array', items: { type: 'integer', minimum: 1, maximum: 9 } }, 'body.ids')).toEqual([
      'body.ids: array without maxItems',
    ]);
  });
});

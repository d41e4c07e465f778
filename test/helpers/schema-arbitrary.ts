/**
 * fast-check arbitraries driven by JSON Schema, as the served OpenAPI document carries it
 * (TypeBox output converted by @fastify/swagger: `nullable`, `anyOf`, `enum`, `const`,
 * `pattern`, `format`, bounds). `validValue` stays inside the schema; `invalidValue` breaks it
 * in one of the ways a hostile or careless client would.
 */
import fc from 'fast-check';
import { textProblem } from '../../src/http/validation.js';
import type { JsonSchema } from './openapi.js';

const MULTILINE = 'x-multiline';
/** Required text the API trims, refusing what is then blank (RequiredText). */
const TRIMMED = 'x-trimmed';
type Arb = fc.Arbitrary<unknown>;

const typesOf = (s: JsonSchema): string[] => {
  if (Array.isArray(s.type)) return s.type as string[];
  if (typeof s.type === 'string') return [s.type];
  if (s.properties) return ['object'];
  return [];
};
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const codePoints = (s: string): number => [...s].length;

/** Text a person would type, within the length bounds, without the characters the API refuses. */
function plainText(s: JsonSchema): fc.Arbitrary<string> {
  const min = num(s.minLength) ?? 0;
  const max = Math.min(num(s.maxLength) ?? 60, Math.max(min, 60));
  const multiline = s[MULTILINE] === true;
  const unit = fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 0, maxLength: 1 }).filter((c) => c.length === 1) },
    { weight: 1, arbitrary: fc.constantFrom('ã', 'ç', 'é', 'ô', 'Ü', '📞', 'ע', ' ') },
    { weight: multiline ? 1 : 0, arbitrary: fc.constantFrom('\n', '\r\n', '\t') },
  );
  return fc
    .array(unit, { minLength: min, maxLength: max })
    .map((cs) => cs.join(''))
    .filter((t) => codePoints(t) >= min && codePoints(t) <= (num(s.maxLength) ?? Infinity) && textProblem(t, multiline) === undefined);
}

function formatted(format: string, s: JsonSchema): fc.Arbitrary<string> | undefined {
  const max = num(s.maxLength) ?? Infinity;
  const fits = (t: string) => t.length <= max && t.length >= (num(s.minLength) ?? 0);
  switch (format) {
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uuid':
      return fc.uuid();
    case 'uri':
      return fc.webUrl().filter(fits);
    default:
      return undefined;
  }
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  const text = anyValidString(s);
  return s[TRIMMED] === true ? text.filter((t) => t.trim() !== '') : text;
}

function anyValidString(s: JsonSchema): fc.Arbitrary<string> {
  if (typeof s.format === 'string') {
    const f = formatted(s.format, s);
    if (f) return f;
  }
  if (typeof s.pattern === 'string') {
    const min = num(s.minLength) ?? 0;
    const max = num(s.maxLength) ?? Infinity;
    const fits = (t: string) => codePoints(t) >= min && codePoints(t) <= max && textProblem(t, s[MULTILINE] === true) === undefined;
    // `^[class]+$`, `^[class]{m,n}$`…: built character by character, so that the length bounds
    // are met by construction (a filter on stringMatching's short strings could wait for ever).
    const simple = /^\^(\[(?:\\.|[^\]])+\])(\+|\*|\{(\d+)(?:,(\d*))?\})\$$/.exec(s.pattern);
    if (simple) {
      const [, cls, quant, qmin, qmax] = simple;
      const lo = Math.max(min, quant === '+' ? 1 : qmin !== undefined ? Number(qmin) : 0);
      const hi = Math.min(max, qmax !== undefined && qmax !== '' ? Number(qmax) : qmin !== undefined && qmax === undefined ? Number(qmin) : lo + 40);
      return fc.array(fc.stringMatching(new RegExp(`^${cls}$`)), { minLength: lo, maxLength: Math.max(lo, hi) }).map((cs) => cs.join('')).filter(fits);
    }
    return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  }
  return plainText(s);
}

function validNumber(s: JsonSchema, integer: boolean): Arb {
  const min = num(s.minimum) ?? (num(s.exclusiveMinimum) !== undefined ? num(s.exclusiveMinimum)! + 1 : -1_000_000);
  const max = num(s.maximum) ?? (num(s.exclusiveMaximum) !== undefined ? num(s.exclusiveMaximum)! - 1 : 1_000_000);
  if (integer) {
    // Both edges, and the small values ids and counts usually have.
    return fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: Math.max(min, Math.min(max, 0)), max: Math.min(max, Math.max(min, 0) + 50) }) },
      { weight: 2, arbitrary: fc.constantFrom(min, max) },
      { weight: 1, arbitrary: fc.integer({ min, max }) },
    );
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function validObject(s: JsonSchema, depth: number): Arb {
  const props = (s.properties as Record<string, JsonSchema> | undefined) ?? {};
  const required = new Set((s.required as string[] | undefined) ?? []);
  const record: Record<string, Arb> = {};
  for (const [k, v] of Object.entries(props)) record[k] = validValue(v, depth + 1);
  return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
}

/** A value the schema accepts. */
export function validValue(s: JsonSchema, depth = 0): Arb {
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => validValue(a, depth)));
  const base = validOfType(s, depth);
  return s.nullable === true ? fc.option(base, { nil: null, freq: 4 }) : base;
}

function validOfType(s: JsonSchema, depth: number): Arb {
  const [type] = typesOf(s);
  switch (type) {
    case 'string':
      return validString(s);
    case 'integer':
      return validNumber(s, true);
    case 'number':
      return validNumber(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (s.items as JsonSchema | undefined) ?? {};
      return fc.array(validValue(items, depth + 1), { minLength: num(s.minItems) ?? 0, maxLength: Math.min(num(s.maxItems) ?? 5, 5) });
    }
    case 'object':
      return depth > 6 ? fc.constant({}) : validObject(s, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Characters the API refuses in text: controls, separators, bidirectional overrides. */
const hostileChars = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\u2066', '\n'];

/** Values that break a scalar schema: wrong type, out of range, too long, hostile text. */
function breakScalar(s: JsonSchema): Arb {
  const types = typesOf(s);
  const wrongType = fc.constantFrom<unknown>(
    ...[
      types.includes('string') ? 12345 : 'not-a-number',
      types.includes('boolean') ? 'true' : false,
      types.includes('object') ? [] : { nested: { deeper: true } },
      types.includes('array') ? 'x' : [1, 2, 3],
      ...(s.nullable === true ? [] : [null]),
    ],
  );
  const out: Arb[] = [wrongType];
  if (types.includes('integer') || types.includes('number')) {
    const min = num(s.minimum);
    const max = num(s.maximum);
    out.push(
      fc.constantFrom<unknown>(
        ...[min !== undefined ? min - 1 : -1e9, max !== undefined ? max + 1 : 1e12, 2 ** 63, -(2 ** 63), 1e308, 9_223_372_036_854_775_807n.toString()],
        ...(types.includes('integer') ? [1.5] : []),
      ),
    );
  }
  if (types.includes('string')) {
    const max = num(s.maxLength) ?? 1000;
    out.push(
      fc.constantFrom('x'.repeat(max + 1), 'y'.repeat(5_000)),
      fc.tuple(validString(s), fc.constantFrom(...hostileChars.filter((c) => s[MULTILINE] !== true || !'\n\r\t'.includes(c))), fc.nat()).map(([t, c, i]) => {
        const chars = [...t];
        chars.splice(i % (chars.length + 1), 0, c);
        return chars.join('');
      }),
    );
    if (num(s.minLength) !== undefined && num(s.minLength)! > 0) out.push(fc.constant(''));
    if (s[TRIMMED] === true) out.push(fc.constant('   '));
  }
  if (Array.isArray(s.enum) || 'const' in s) out.push(fc.constant('not-one-of-the-values'));
  return fc.oneof(...out);
}

/** An object nested `n` levels deep. */
const deep = (n: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

/** A value the schema refuses, one flaw at a time where possible. */
export function invalidValue(s: JsonSchema): Arb {
  const types = typesOf(s);
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(fc.constant({ matches: 'none of the alternatives' }), fc.constant(deep(200)));
  if (!types.includes('object')) return breakScalar(s);
  const props = (s.properties as Record<string, JsonSchema> | undefined) ?? {};
  const names = Object.keys(props);
  const required = (s.required as string[] | undefined) ?? [];
  const base = validObject(s, 0) as fc.Arbitrary<Record<string, unknown>>;
  const variants: Arb[] = [
    breakScalar(s),
    base.map((o) => ({ ...o, unknownField: 'surprise' })),
    fc.constant(deep(500)),
    // A key that names a prototype, written as JSON would carry it (an own property).
    base.map((o) => JSON.parse(JSON.stringify(o).replace(/^\{/, '{"__proto__":{"polluted":true},').replace(/,\}$/, '}')) as unknown),
  ];
  if (required.length > 0) {
    variants.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([o, k]) => {
        const copy = { ...o };
        delete copy[k];
        return copy;
      }),
    );
  }
  if (names.length > 0) {
    variants.push(
      fc.constantFrom(...names).chain((k) =>
        fc.tuple(base, invalidValue(props[k]!)).map(([o, bad]) => ({ ...o, [k]: bad })),
      ),
    );
  }
  return fc.oneof(...variants);
}

/**
 * Values the field refuses, the ones most likely to break a server, every one of them, for a
 * deterministic sweep:
 * each bound crossed, integers past what JavaScript and SQLite hold, the wrong type, hostile
 * and over-long text, oversized arrays, deep nesting.
 */
export function boundaryValues(s: JsonSchema): unknown[] {
  const types = typesOf(s);
  const out: unknown[] = [s.nullable === true ? undefined : null].filter((v) => v !== undefined);
  if (types.includes('integer') || types.includes('number')) {
    const min = num(s.minimum);
    const max = num(s.maximum);
    out.push(...[min !== undefined ? min - 1 : undefined, max !== undefined ? max + 1 : undefined].filter((v) => v !== undefined));
    out.push(2 ** 53, 2 ** 63, -(2 ** 63), 1e308, '12abc');
    if (types.includes('integer')) out.push(1.5);
  }
  if (types.includes('string')) {
    out.push('x'.repeat((num(s.maxLength) ?? 1000) + 1), 'a\u0000b', 'a\u202eb', 12345);
    if (s[MULTILINE] !== true) out.push('a\nb');
    if (s.format === 'date-time') out.push('2016-12-31T23:59:60Z', '2024-02-30T00:00:00Z');
    if ((num(s.minLength) ?? 0) > 0) out.push('');
    if (s[TRIMMED] === true) out.push('   ');
  }
  if (types.includes('boolean')) out.push('yes', 2);
  if (types.includes('array')) out.push('x', new Array((num(s.maxItems) ?? 100) + 1).fill(1), [deep(50)]);
  if (types.includes('object')) out.push('x', [], deep(100));
  if (Array.isArray(s.enum) || 'const' in s) out.push('not-one-of-the-values');
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) out.push({ matches: 'none of the alternatives' }, 'x', 1e308);
  return out;
}

import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { FastifySchemaCompiler } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * Schema annotation for a text field that may span lines (descriptions, messages): tab, line
 * feed and carriage return are then allowed in it. Every other string refuses them.
 */
export const MULTILINE = 'x-multiline';

/**
 * Schema annotation for text a person types and others pick it by (a name, a title, a subject):
 * surrounding blanks are removed as the request is validated, before the length and pattern are
 * checked, and what is then empty is refused (rule `notBlank`, naming the field). What a handler
 * sees, and so what is stored and compared for uniqueness, is the trimmed text.
 */
export const TRIMMED = 'x-trimmed';

/** The keyword added to every string schema of a request: see `textProblem`. */
const TEXT_KEYWORD = 'x-text';

/**
 * C0 controls, DEL and C1 controls; line and paragraph separators; the bidirectional
 * embeddings, overrides and isolates that make text display differently from what it holds
 * (U+202A–U+202E, U+2066–U+2069). Left-to-right and right-to-left marks stay allowed: real
 * Arabic or Hebrew names need them.
 */
// eslint-disable-next-line no-control-regex
const forbiddenSingleLine = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex
const forbiddenMultiLine = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** What is wrong with a text value, or undefined when nothing is. */
export function textProblem(value: string, multiline: boolean): string | undefined {
  const bad = (multiline ? forbiddenMultiLine : forbiddenSingleLine).exec(value);
  if (!bad) return undefined;
  const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return multiline
    ? `must not contain control or bidirectional-override characters (found U+${code})`
    : `must be one line without control or bidirectional-override characters (found U+${code})`;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `schema` in which every string schema carries the text keyword. */
export function withTextRules(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withTextRules);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    // `properties` maps names to schemas, `const`/`default`/`enum` hold data: only schemas are walked.
    if (k === 'properties' || k === 'patternProperties' || k === '$defs' || k === 'definitions') {
      out[k] = isObject(v) ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, withTextRules(s)])) : v;
    } else if (k === 'const' || k === 'default' || k === 'enum' || k === 'examples') {
      out[k] = v;
    } else {
      out[k] = withTextRules(v);
    }
  }
  const type = schema.type;
  if (type === 'string' || (Array.isArray(type) && type.includes('string'))) {
    out[TEXT_KEYWORD] = schema[MULTILINE] === true ? 'multiline' : 'single';
  }
  return out;
}

const common: Options = {
  removeAdditional: false, // unknown fields are rejected (schemas say additionalProperties: false), never dropped
  useDefaults: true,
  allErrors: false,
  strict: false,
};

function make(opts: Options): Ajv {
  const ajv = new Ajv({ ...common, ...opts });
  addFormats(ajv);
  // RFC 3339 allows a leap second (23:59:60), which JavaScript dates cannot hold: such a value
  // would turn into NaN further in. Refused here, naming the field.
  const rfc3339 = fullFormats['date-time'] as { validate: (s: string) => boolean };
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => rfc3339.validate(s) && Number.isFinite(Date.parse(s)) });
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: 'string',
    schemaType: 'string',
    errors: true,
    validate: function check(mode: string, data: string): boolean {
      const problem = textProblem(data, mode === 'multiline');
      if (problem === undefined) return true;
      (check as unknown as { errors: unknown[] }).errors = [{ keyword: TEXT_KEYWORD, message: problem, params: {} }];
      return false;
    },
  });
  ajv.addKeyword({
    keyword: TRIMMED,
    type: 'string',
    schemaType: 'boolean',
    modifying: true,
    errors: true,
    // Before the length and pattern, so that they judge the text as it will be kept.
    before: 'maxLength',
    validate: function trim(on: boolean, data: string, _schema: unknown, cxt?: { parentData?: Record<string | number, unknown>; parentDataProperty: string | number }): boolean {
      if (!on) return true;
      const trimmed = data.trim();
      // A value at the root has no parent to be replaced in; it is only checked.
      if (trimmed !== data && cxt?.parentData) cxt.parentData[cxt.parentDataProperty] = trimmed;
      if (trimmed !== '') return true;
      (trim as unknown as { errors: unknown[] }).errors = [{ keyword: 'notBlank', message: 'must not be blank', params: {} }];
      return false;
    },
  });
  return ajv;
}

/** Bodies are JSON: a string where a number belongs is a type error, not something to coerce. */
const bodyAjv = make({ coerceTypes: false });
/** Query strings and path params are text by nature, so they are coerced to the declared types. */
const paramsAjv = make({ coerceTypes: 'array' });

type Validator = ReturnType<FastifySchemaCompiler<unknown>> & { errors?: unknown };
type Serializer = (data: unknown) => string;
/**
 * Compiled validators and serializers by part and schema text, shared by every app built in
 * the process (the tests build hundreds): one compiles the same schema once.
 */
const compiledValidators = new Map<string, Validator>();
const compiledSerializers = new Map<string, Serializer>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function compileValidator(schema: unknown, httpPart: string | undefined): Validator {
  const body = httpPart === 'body';
  return cached(compiledValidators, `${body ? 'body' : 'text'} ${JSON.stringify(schema)}`, () =>
    (body ? bodyAjv : paramsAjv).compile(withTextRules(schema) as object) as Validator,
  );
}

function compileSerializer(schema: unknown): Serializer {
  return cached(compiledSerializers, JSON.stringify(schema), () => fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0]) as Serializer);
}

/**
 * An app's schema compilers, compiling each route's schema when a request first needs it.
 * Compiling every route's validators and serializers up front was most of the daemon's start
 * (about 3 s of CPU on 2 cores) and left its heap at 168 MiB (86 MiB now), for routes a site may
 * never call. `compileAll` compiles whatever is left (a test does, so that a broken schema fails
 * there and not at a user's first request).
 */
export function lazySchemaCompilers(): {
  validatorCompiler: FastifySchemaCompiler<unknown>;
  serializerCompiler: (route: { schema: unknown }) => Serializer;
  compileAll(): number;
} {
  const waiting = new Set<() => unknown>();
  /** `make` run at the first call of the function returned, or by `compileAll`. */
  const later = <T>(make: () => T): (() => T) => {
    let value: T | undefined;
    const get = () => {
      if (value === undefined) {
        value = make();
        waiting.delete(get);
      }
      return value;
    };
    waiting.add(get);
    return get;
  };
  return {
    validatorCompiler: ({ schema, httpPart }) => {
      const validator = later(() => compileValidator(schema, httpPart));
      // Fastify reads the errors of a failed validation from the function it was given.
      const lazy: Validator = (data: unknown) => {
        const v = validator();
        const ok = v(data);
        lazy.errors = v.errors;
        return ok;
      };
      return lazy;
    },
    serializerCompiler: ({ schema }) => {
      const serializer = later(() => compileSerializer(schema));
      return (data) => serializer()(data);
    },
    compileAll() {
      const all = [...waiting];
      for (const get of all) get();
      return all.length;
    },
  };
}

/** Compiles at once (the emulator's control API, tests of the schemas). */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => compileValidator(schema, httpPart);

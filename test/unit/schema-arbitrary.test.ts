/**
 * The fuzzing suite's generator checked against the API's own validator: what `validValue`
 * makes, the schema accepts; what `invalidValue` and `boundaryValues` make, it refuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatorCompiler } from '../../src/http/validation.js';
import { boundaryValues, invalidValue, validValue } from '../helpers/schema-arbitrary.js';
import type { JsonSchema } from '../helpers/openapi.js';

const check = (schema: JsonSchema) => validatorCompiler({ schema, httpPart: 'body', method: 'POST', url: '/x' }) as (v: unknown) => boolean;

const schemas: Record<string, JsonSchema> = {
  login: { type: 'string', minLength: 5, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' },
  token: { type: 'string', minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' },
  extension: { type: 'string', maxLength: 10, pattern: '^[0-9]{2,10}$', nullable: true },
  ddd: { type: 'string', maxLength: 4, pattern: '^[0-9]{1,4}$' },
  code: { type: 'string', maxLength: 6, pattern: '^[0-9]{6}$' },
  phone: { type: 'string', maxLength: 20, pattern: '^\\+?[0-9 ()-]{8,20}$' },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  trimmedName: { type: 'string', minLength: 1, maxLength: 80, pattern: '^\\S(.*\\S)?$' },
  requiredText: { type: 'string', minLength: 1, maxLength: 3, 'x-trimmed': true },
  requiredAlias: { type: 'string', maxLength: 40, pattern: '^[A-Za-z0-9_ -]{1,40}$', 'x-trimmed': true },
  language: { type: 'string', maxLength: 6, pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' },
  description: { type: 'string', maxLength: 500, 'x-multiline': true },
  when: { type: 'string', format: 'date-time', maxLength: 40 },
  email: { type: 'string', format: 'email', maxLength: 200 },
  id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  level: { anyOf: [{ type: 'string', enum: ['admin'] }, { type: 'string', enum: ['agent'] }] },
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      teamIds: { type: 'array', maxItems: 5, items: { type: 'integer', minimum: 1, maximum: 1000 } },
      active: { type: 'boolean' },
    },
  },
};

describe('schema-driven generation', () => {
  it.each(Object.entries(schemas))('valid values of %s pass the API validator', (_name, schema) => {
    const valid = check(schema);
    for (const v of fc.sample(validValue(schema), { seed: 1, numRuns: 60 })) expect({ v, ok: valid(v) }).toEqual({ v, ok: true });
  });

  it.each(Object.entries(schemas))('invalid and boundary values of %s are refused', (_name, schema) => {
    const valid = check(schema);
    for (const v of [...fc.sample(invalidValue(schema), { seed: 1, numRuns: 60 }), ...boundaryValues(schema)]) {
      expect({ v, ok: valid(v) }).toEqual({ v, ok: false });
    }
  });
});

import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const common: Options = {
  removeAdditional: false, // unknown fields are rejected (schemas say additionalProperties: false), never dropped
  useDefaults: true,
  allErrors: false,
  strict: false,
};

function make(opts: Options): Ajv {
  const ajv = new Ajv({ ...common, ...opts });
  addFormats(ajv);
  return ajv;
}

/** Bodies are JSON: a string where a number belongs is a type error, not something to coerce. */
const bodyAjv = make({ coerceTypes: false });
/** Query strings and path params are text by nature, so they are coerced to the declared types. */
const paramsAjv = make({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : paramsAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

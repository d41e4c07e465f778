import { Type, type StringOptions, type TSchema } from '@sinclair/typebox';
import { MULTILINE, TRIMMED } from './validation.js';

/**
 * Schemas every area's API shares. Bodies refuse unknown fields (`closed`); every integer has
 * a range and every string a length limit, so that no value can reach SQLite out of range
 * (test/integration/api-schema-rules.test.ts checks every route of the OpenAPI document).
 */
export const closed = { additionalProperties: false } as const;
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/**
 * One of a list of strings (an `anyOf` of constants in the OpenAPI document), typed as the
 * list's union: a union built from a mapped array would otherwise be typed `never`.
 */
export const Literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {}));

/** The largest id or offset a client may send (SQLite's INTEGER is 64-bit; JSON numbers are safe to 2^53). */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** The page a list query asks for (Ajv fills the defaults; this keeps the types honest). */
export const pageOf = (q: { limit?: number | undefined; offset?: number | undefined }) => ({
  limit: q.limit ?? DEFAULT_LIMIT,
  offset: q.offset ?? 0,
});

export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });
export const IdParams = Type.Object({ id: Id }, closed);

/** `limit`/`offset` on every list; `tenantId` lets a super user look at another tenant. */
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID, default: 0 })),
    tenantId: Type.Optional(Id),
  },
  closed,
);

export const TenantQuery = Type.Object({ tenantId: Type.Optional(Id) }, closed);

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

/** An instant as RFC 3339 text with its offset; 40 characters hold any such instant with fractions. */
export const DateTime = (opts: StringOptions = {}) => Type.String({ format: 'date-time', maxLength: 40, ...opts });

export const Timestamps = { createdAt: DateTime(), updatedAt: DateTime() };

export const NoContent = { 204: Type.Null() };

/** Text that may span lines (tab, line feed and carriage return allowed); every other string is one line. */
export const MultilineText = (opts: StringOptions & { maxLength: number }) => Type.String({ ...opts, [MULTILINE]: true });

/**
 * Required text a person types and others pick it by (a name, a title, a subject): kept without
 * surrounding blanks (so that "Vendas " is the name "Vendas", unique as such), and a blank one is
 * a 400 naming the field (rule `notBlank`). See TRIMMED.
 */
export const RequiredText = (opts: StringOptions & { maxLength: number; multiline?: boolean }) => {
  const { multiline, ...rest } = opts;
  return Type.String({ minLength: 1, ...rest, [TRIMMED]: true, ...(multiline ? { [MULTILINE]: true } : {}) });
};

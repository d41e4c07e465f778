/**
 * The API as its served OpenAPI document describes it: every operation with its path,
 * query and body schemas. The fuzz suite and the schema-rules test walk it, so a route added
 * anywhere is covered without touching them.
 */
import type { FastifyInstance } from 'fastify';

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI form: `/api/v1/users/{id}`. */
  path: string;
  pathParams: Parameter[];
  query: Parameter[];
  body?: JsonSchema;
  /** The `multipart/form-data` body, for uploads; a property of format `binary` is a file part. */
  form?: JsonSchema;
  bodyRequired: boolean;
  /** Declared response statuses. */
  responses: string[];
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { required?: boolean; content?: Record<string, { schema: JsonSchema }> }; responses?: Record<string, unknown> }>>;
}

export async function operationsOf(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
  if (res.statusCode !== 200) throw new Error(`GET /api/docs/json answered ${res.statusCode}`);
  const doc = res.json<OpenApiDoc>();
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of methods) {
      const op = item[m];
      if (!op) continue;
      const params = op.parameters ?? [];
      const body = op.requestBody?.content?.['application/json']?.schema;
      const form = op.requestBody?.content?.['multipart/form-data']?.schema;
      ops.push({
        method: m.toUpperCase() as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        ...(body ? { body } : {}),
        ...(form ? { form } : {}),
        bodyRequired: op.requestBody?.required === true,
        responses: Object.keys(op.responses ?? {}),
      });
    }
  }
  return ops;
}

/** `/api/v1/users/{id}` with `{ id: 7 }` → `/api/v1/users/7`. */
export const fillPath = (path: string, values: Record<string, unknown>): string =>
  path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));

export const describeOp = (op: Pick<Operation, 'method' | 'path'>): string => `${op.method} ${op.path}`;

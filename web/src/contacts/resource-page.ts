import type { Page } from '@/kit/useLazyTable';

/** A value the CRM's simple admin forms edit. */
export type FieldValue = string | number | boolean | null | Array<string | number> | Date;
export type Model = Record<string, FieldValue>;

/** One control of a simple CRM form: `key` is also the field the server names in its errors. */
export interface FieldSpec {
  key: string;
  /** Message key of the label. */
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'multi' | 'bool' | 'number' | 'date' | 'colour';
  /** The choices, which may depend on what else the form holds. */
  options?: (model: Model) => { value: string | number; label: string }[];
  required?: boolean;
  maxlength?: number;
  /** Message key of a hint under the control. */
  help?: string;
  /** Shown only when this holds for the model being edited. */
  when?: (m: Model) => boolean;
}

export interface ColumnSpec<T> {
  /** Message key of the header. */
  label: string;
  value: (item: T) => string;
  /** A sort key the API takes. */
  sort?: string;
}

/** A filter above a CRM admin list: typed text, or one of some choices; `key` is the API's query parameter. */
export interface ListFilterSpec {
  key: string;
  /** Message key of the label. */
  label: string;
  kind: 'text' | 'select';
  options?: () => { value: string; label: string }[];
}

/**
 * A CRM admin list (blacklist, shortcuts, FAQ, books, fields, status groups…): the page gives
 * the typed API calls and how a row becomes a form and back; `CrmResourcePage` draws the rest.
 */
export interface ResourcePageSpec<T extends { id: number }> {
  title: string;
  newLabel: string;
  editLabel: string;
  access: string;
  /** `filters` holds the filters that are set (see `filters` below). */
  load: (q: { limit: number; offset: number; sort?: string; filters: Record<string, string> }) => Promise<Page<T>>;
  filters?: ListFilterSpec[];
  create: (m: Model) => Promise<T>;
  update: (id: number, m: Model) => Promise<T>;
  remove: (item: T, options: { confirmed: boolean }) => Promise<unknown>;
  empty: () => Model;
  fromItem: (item: T) => Model;
  label: (item: T) => string;
  fields: FieldSpec[];
  columns: ColumnSpec<T>[];
  wide?: boolean;
}

/** Text fields sent as null when left empty. */
export const textOrNull = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
export const text = (v: FieldValue | undefined): string => (typeof v === 'string' ? v.trim() : '');
export const numberOrNull = (v: FieldValue | undefined): number | null => (typeof v === 'number' ? v : null);
export const list = <T extends string | number>(v: FieldValue | undefined): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** A control of a list edited in place: `select` may show a placeholder for "none". */
export interface BulkFieldSpec extends Pick<FieldSpec, 'key' | 'label' | 'options' | 'required' | 'maxlength'> {
  kind: 'text' | 'textarea' | 'select' | 'bool';
  /** Message key shown in an empty select (what no choice means). */
  placeholder?: string;
}

/** What a bulk save sends: the server's `PUT` of a resource (deletes, updates, creates). */
export interface BulkSave {
  create: Model[];
  update: { id: number; patch: Model }[];
  remove: number[];
}

/** A value of a list edited in place as the API takes it: trimmed text, the chosen id or null, a flag. */
const bulkValue = (kind: BulkFieldSpec['kind'], v: FieldValue | undefined): string | number | boolean | null =>
  kind === 'bool' ? v === true : kind === 'select' ? (typeof v === 'number' || typeof v === 'string' ? v : null) : text(v);

/**
 * The body of a resource's bulk `PUT` (`B`, its request type) from a save: every field of a new
 * row and the changed fields of an edited row, each converted by its control's kind. Typed
 * by the caller: the field specs name the keys, and the server's request schema checks them.
 */
export function bulkBody<B>(ops: BulkSave, fields: readonly BulkFieldSpec[]): B {
  const convert = (m: Model) => Object.fromEntries(fields.filter((f) => f.key in m).map((f) => [f.key, bulkValue(f.kind, m[f.key])]));
  return { remove: ops.remove, update: ops.update.map((u) => ({ id: u.id, patch: convert(u.patch) })), create: ops.create.map(convert) } as B;
}

/** A short list edited in place and saved at once (`BulkListPage`). */
export interface BulkListSpec<T extends { id: number }> {
  title: string;
  /** Message key of the button that adds a row. */
  addLabel: string;
  emptyText: string;
  access: string;
  load: () => Promise<T[]>;
  save: (ops: BulkSave) => Promise<unknown>;
  empty: () => Model;
  fromItem: (item: T) => Model;
  fields: BulkFieldSpec[];
  /** Message keys of the rules shown above the list. */
  hints?: string[];
}

/** One row on screen: what the server has (`original`, null for a new row) and what is typed. */
export interface EditRow {
  key: string;
  id: number | null;
  original: Model | null;
  model: Model;
  removed: boolean;
  /** Errors by field key (`row` for the row as a whole). */
  errors: Record<string, string>;
}

const same = (a: FieldValue | undefined, b: FieldValue | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export interface BulkPlan {
  create: EditRow[];
  update: { row: EditRow; id: number; patch: Model }[];
  remove: { row: EditRow; id: number }[];
}

/** The rows to create, the changed fields of the rows to update, the rows to delete: in the order the server's lists get them. */
export function bulkOps(rows: readonly EditRow[], fields: readonly BulkFieldSpec[]): BulkPlan {
  const plan: BulkPlan = { create: [], update: [], remove: [] };
  for (const row of rows) {
    if (row.id === null) {
      if (!row.removed) plan.create.push(row);
    } else if (row.removed) {
      plan.remove.push({ row, id: row.id });
    } else {
      const patch: Model = {};
      for (const f of fields) if (!same(row.model[f.key], row.original?.[f.key])) patch[f.key] = row.model[f.key] ?? null;
      if (Object.keys(patch).length > 0) plan.update.push({ row, id: row.id, patch });
    }
  }
  return plan;
}

const OPS = ['create', 'update', 'remove'] as const;

/**
 * The server's refusal of a bulk save, item by item, mapped back to the rows on screen: the
 * resource's refusals (`details.items`: list, index, field) and the request schema's
 * (`details.fields`: `create.2.prefix`, `update.0.patch.text`). A field the list does not
 * show is reported on the row as a whole.
 */
export function refusalsByRow(
  e: { message: string; details: Record<string, unknown> },
  sent: BulkPlan,
  fields: readonly BulkFieldSpec[],
): { row: EditRow; field: string; message: string }[] {
  const shown = new Set(fields.map((f) => f.key));
  const out: { row: EditRow; field: string; message: string }[] = [];
  const place = (op: unknown, index: unknown, field: unknown, message: string) => {
    if (!OPS.includes(op as (typeof OPS)[number]) || typeof index !== 'number') return;
    const row = op === 'create' ? sent.create[index] : (op === 'update' ? sent.update[index] : sent.remove[index])?.row;
    if (!row) return;
    out.push({ row, field: typeof field === 'string' && shown.has(field) ? field : 'row', message });
  };
  const items = e.details.items;
  if (Array.isArray(items)) {
    for (const i of items as { op?: unknown; index?: unknown; field?: unknown; message?: unknown }[]) place(i.op, i.index, i.field, typeof i.message === 'string' ? i.message : e.message);
  }
  const schemaFields = e.details.fields;
  if (Array.isArray(schemaFields)) {
    for (const f of schemaFields as { field?: unknown; problem?: unknown }[]) {
      const m = typeof f.field === 'string' ? /^(create|update|remove)\.(\d+)(?:\.patch)?(?:\.(\w+))?/.exec(f.field) : null;
      if (m) place(m[1], Number(m[2]), m[3], `${m[3] ?? ''} ${typeof f.problem === 'string' ? f.problem : ''}`.trim());
    }
  }
  return out;
}

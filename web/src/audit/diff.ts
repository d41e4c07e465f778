/** One field of an audited record, before and after the change. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

type Snapshot = Record<string, unknown> | null;

function flatten(value: Snapshot, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(value ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields of a before/after pair, nested objects as dotted paths (`concurrency.voice`), the
 * changed ones first. A creation has no before, a deletion no after.
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): FieldChange[] {
  const b = flatten(before);
  const a = flatten(after);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows = fields.map((field) => ({ field, before: b[field], after: a[field], changed: !same(b[field], a[field]) }));
  return [...rows.filter((r) => r.changed), ...rows.filter((r) => !r.changed)];
}

/** How a value reads in the diff table. */
export const shown = (v: unknown): string => (v === undefined ? '' : v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

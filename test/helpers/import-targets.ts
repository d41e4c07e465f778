import type { ImportTarget, ImportWriteContext as WriteContext } from '../../src/contacts/index.js';

/**
 * `inner` registered again as `name`, with `beforeWrite(n, w)` called before its n-th batch
 * (from 1) is written: to make a batch fail, or something happen between two batches.
 */
export function withBeforeWrite<O extends object>(inner: ImportTarget<O>, name: string, beforeWrite: (n: number, w: WriteContext) => void): ImportTarget<O> {
  let writes = 0;
  return {
    name,
    options: (db, tenantId, raw) => inner.options(db, tenantId, raw),
    model: (db, tenantId, options) => inner.model(db, tenantId, options),
    undo: (w, limit) => inner.undo(w, limit),
    begin: (db, tenantId, options, header) => {
      const session = inner.begin(db, tenantId, options, header);
      return {
        prepare: (values) => session.prepare(values),
        write: (batch, w) => {
          beforeWrite(++writes, w);
          return session.write(batch, w);
        },
        finish: () => session.finish(),
        end: () => session.end(),
      };
    },
  };
}

import { and, asc, count, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { importErrors, imports, users } from '../../db/schema/index.js';
import type { ImportState, RowProblem } from './importer.model.js';

export type ImportRow = typeof imports.$inferSelect;
export type ImportErrorRow = typeof importErrors.$inferSelect;

/** The SQL of the import history and its per-row problems. */
export class ImportsRepo {
  constructor(private readonly db: Db) {}

  insert(values: typeof imports.$inferInsert): ImportRow {
    return this.db.insert(imports).values(values).returning().get();
  }

  get(id: number): ImportRow | undefined {
    return this.db.select().from(imports).where(eq(imports.id, id)).get();
  }

  list(tenantId: number, target: string | undefined, limit: number, offset: number): { rows: (ImportRow & { createdByLogin: string | null })[]; total: number } {
    const where = and(eq(imports.tenantId, tenantId), target ? eq(imports.target, target) : undefined);
    const rows = this.db
      .select({ i: imports, login: users.login })
      .from(imports)
      .leftJoin(users, eq(users.id, imports.createdBy))
      .where(where)
      .orderBy(desc(imports.startedAt), desc(imports.id))
      .limit(limit)
      .offset(offset)
      .all()
      .map((r) => ({ ...r.i, createdByLogin: r.login }));
    return { rows, total: this.db.select({ n: count() }).from(imports).where(where).get()?.n ?? 0 };
  }

  progress(id: number, p: { bytesRead: number; rows: number; imported: number; rejected: number; problems: number }): void {
    this.db.update(imports).set(p).where(eq(imports.id, id)).run();
  }

  finish(id: number, state: Exclude<ImportState, 'running'>, finishedAt: number, error: string | null): void {
    this.db.update(imports).set({ state, finishedAt, error }).where(eq(imports.id, id)).run();
  }

  /** Imports left running by a stop of the daemon. */
  running(): ImportRow[] {
    return this.db.select().from(imports).where(eq(imports.state, 'running')).all();
  }

  /** A batch's problems, a statement per thousand (7,000 values: SQLite takes up to 32,766). */
  addProblems(importId: number, problems: readonly { line: number; problem: RowProblem }[]): void {
    for (let i = 0; i < problems.length; i += 1000) {
      this.db
        .insert(importErrors)
        .values(problems.slice(i, i + 1000).map(({ line, problem: p }) => ({ importId, line, field: p.field, value: p.value, code: p.code, message: p.message, rejected: p.rejected })))
        .run();
    }
  }

  problems(importId: number, limit: number, offset: number): { rows: ImportErrorRow[]; total: number } {
    const rows = this.db
      .select()
      .from(importErrors)
      .where(eq(importErrors.importId, importId))
      .orderBy(asc(importErrors.line), asc(importErrors.id))
      .limit(limit)
      .offset(offset)
      .all();
    return { rows, total: this.db.select({ n: count() }).from(importErrors).where(eq(importErrors.importId, importId)).get()?.n ?? 0 };
  }

  /** The problems after `afterId`, a page at a time (for the CSV download, in bounded memory). */
  problemsAfter(importId: number, afterId: number, limit: number): ImportErrorRow[] {
    return this.db
      .select()
      .from(importErrors)
      .where(and(eq(importErrors.importId, importId), gt(importErrors.id, afterId)))
      .orderBy(asc(importErrors.id))
      .limit(limit)
      .all();
  }
}


import type { Database, Statement } from 'better-sqlite3';
import { and, asc, count, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { MultiRowInsert } from '../../db/multi-row.js';
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

/**
 * What the importer writes with each batch (its progress, the rows' problems), through the
 * bulk writer's connection, with statements prepared once per import: the query builder
 * prepared a statement per call (a problem, a batch), thousands per import, each holding native
 * memory until the collector finalised it.
 */
export class ImportWrites {
  private readonly progressStatement: Statement;
  private readonly problems: MultiRowInsert;

  constructor(sqlite: Database) {
    this.progressStatement = sqlite.prepare('UPDATE imports SET bytes_read = ?, rows = ?, imported = ?, rejected = ?, problems = ? WHERE id = ?');
    this.problems = new MultiRowInsert(
      sqlite,
      (rows) => `INSERT INTO import_errors (import_id, line, field, value, code, message, rejected) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(',')}`,
      7,
      100,
    );
  }

  progress(id: number, p: { bytesRead: number; rows: number; imported: number; rejected: number; problems: number }): void {
    this.progressStatement.run(p.bytesRead, p.rows, p.imported, p.rejected, p.problems, id);
  }

  addProblems(importId: number, problems: readonly { line: number; problem: RowProblem }[]): void {
    const values: unknown[] = [];
    for (const { line, problem } of problems) values.push(importId, line, problem.field, problem.value, problem.code, problem.message, problem.rejected ? 1 : 0);
    this.problems.run(values, problems.length);
  }
}

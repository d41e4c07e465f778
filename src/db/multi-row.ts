import type { Database, RunResult, Statement } from 'better-sqlite3';

/**
 * Multi-row `INSERT … VALUES (…), (…)` statements, prepared once per row count. Rows go in
 * statements of `max` rows, and what is left in statements of powers of two: a table needs at
 * most log2(max) + 2 statements. Prepared for whatever count a batch ends on, they were up to
 * `max` per table, each holding its compiled program (and its triggers') for as long as the
 * import ran, or, when not kept, until the garbage collector finalised it (an import of
 * 1,000,000 contacts, its RSS sampled: it rose by 24 MiB through the import, 18 MiB since).
 */
export class MultiRowInsert {
  private readonly statements = new Map<number, Statement>();

  constructor(
    private readonly sqlite: Database,
    /** The statement's SQL for `rows` rows. */
    private readonly sql: (rows: number) => string,
    /** Values per row. */
    private readonly width: number,
    /** Rows per statement at most. */
    private readonly max: number,
    /** Whether every row must be inserted (not so for `INSERT OR IGNORE`). */
    private readonly every = true,
  ) {}

  /**
   * Inserts `rows` rows, their values one after another in `values`; `inserted` is told of each
   * statement's rows (the first one's place in `values`, how many, the statement's result).
   */
  run(values: readonly unknown[], rows: number, inserted?: (first: number, count: number, result: RunResult) => void): void {
    if (values.length !== rows * this.width) throw new Error(`${values.length} values for ${rows} rows of ${this.width}`);
    for (let first = 0; first < rows; ) {
      const left = rows - first;
      const count = left >= this.max ? this.max : 2 ** Math.floor(Math.log2(left));
      const part = count === rows ? values : values.slice(first * this.width, (first + count) * this.width);
      const result = this.statement(count).run(part);
      if (this.every && result.changes !== count) throw new Error(`${result.changes} of ${count} rows inserted`);
      inserted?.(first, count, result);
      first += count;
    }
  }

  private statement(rows: number): Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      statement = this.sqlite.prepare(this.sql(rows));
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MultiRowInsert } from '../../src/db/multi-row.js';

describe('MultiRowInsert', () => {
  const setup = (every = true) => {
    const sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT NOT NULL UNIQUE, b INTEGER)');
    let prepared = 0;
    const sql = (rows: number) => {
      prepared++;
      return `INSERT ${every ? '' : 'OR IGNORE '}INTO t (a, b) VALUES ${Array.from({ length: rows }, () => '(?, ?)').join(',')}`;
    };
    return { sqlite, insert: new MultiRowInsert(sqlite, sql, 2, 100, every), prepared: () => prepared };
  };
  const values = (from: number, n: number) => Array.from({ length: n }, (_, i) => [`k${from + i}`, from + i]).flat();

  it('writes every row in order, in statements of the most rows then powers of two, each telling its first row and its ids', () => {
    const { sqlite, insert } = setup();
    const parts: [number, number, number][] = [];
    insert.run(values(0, 237), 237, (first, count, result) => parts.push([first, count, Number(result.lastInsertRowid)]));
    expect(parts).toEqual([[0, 100, 100], [100, 100, 200], [200, 32, 232], [232, 4, 236], [236, 1, 237]]);
    expect(sqlite.prepare('SELECT id, a, b FROM t ORDER BY id').all()).toEqual(Array.from({ length: 237 }, (_, i) => ({ id: i + 1, a: `k${i}`, b: i })));
  });

  it('prepares a few statements whatever the row counts (not one per count)', () => {
    const { insert, prepared } = setup();
    let from = 0;
    for (let n = 1; n <= 300; n++) {
      insert.run(values(from, n), n);
      from += n;
    }
    // 100 and 64, 32, 16, 8, 4, 2, 1.
    expect(prepared()).toBe(8);
  });

  it('refuses values that are not the rows it is told, and a row the table refused, unless ignoring is its way', () => {
    const { insert } = setup();
    expect(() => insert.run(values(0, 3), 4)).toThrow('6 values for 4 rows of 2');
    expect(() => insert.run([...values(0, 2), 'k0', 9], 3)).toThrow(/UNIQUE/);
    const ignoring = setup(false);
    ignoring.insert.run([...values(0, 2), 'k0', 9], 3);
    expect(ignoring.sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
  });
});

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { until } from '../helpers/until.js';

describe('bulk writes (imports): the log is copied into the database by a thread of its own', () => {
  let dir: string;
  let database: Database_;
  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'atende-bulk-'));
    const file = join(dir, 'atende.db');
    database = openDatabase(file);
    database.sqlite.exec('CREATE TABLE bulk (id INTEGER PRIMARY KEY, payload BLOB)');
    return file;
  };
  const interval = () => database.sqlite.pragma('wal_autocheckpoint', { simple: true });

  it('the commits stop checkpointing while any bulk writer runs, and start again after the last', () => {
    open();
    expect(interval()).toBe(1000);
    const first = database.bulkWrites();
    const second = database.bulkWrites();
    expect(interval()).toBe(0);
    first();
    first(); // released twice by mistake: counted once
    expect(interval()).toBe(0);
    second();
    expect(interval()).toBe(1000);
  });

  it('what the bulk writer commits reaches the database file without its commits copying it', async () => {
    const file = open();
    const before = statSync(file).size;
    const release = database.bulkWrites();
    const insert = database.sqlite.prepare('INSERT INTO bulk (payload) VALUES (?)');
    const payload = Buffer.alloc(3000, 7);
    // 16 MB in 40 commits, about 4,000 pages: the commits alone would leave them all in the log.
    for (let t = 0; t < 40; t++) database.sqlite.transaction(() => { for (let i = 0; i < 130; i++) insert.run(payload); })();
    await until('the log copied into the database file', () => statSync(file).size > before + 12 * 1024 * 1024);
    release();
    expect((database.sqlite.prepare('SELECT count(*) AS n FROM bulk').get() as { n: number }).n).toBe(40 * 130);
  });
});

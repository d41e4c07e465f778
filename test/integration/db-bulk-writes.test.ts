import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointEvery } from '../../src/db/checkpoints.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { startWorker } from '../../src/kernel/index.js';
import type { ReadRequest } from '../../src/contacts/import/csv-reader.protocol.js';
import { until } from '../helpers/until.js';

describe('bulk writes (imports): the log is copied into the database by the bulk writer\'s thread, not by the commits', () => {
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
  /** 16 MB in 40 commits, about 4,000 pages: past SQLite's 1,000-page automatic checkpoint. */
  const fillLog = () => {
    const insert = database.sqlite.prepare('INSERT INTO bulk (payload) VALUES (?)');
    const payload = Buffer.alloc(3000, 7);
    for (let t = 0; t < 40; t++) database.sqlite.transaction(() => { for (let i = 0; i < 130; i++) insert.run(payload); })();
  };

  it('the commits stop checkpointing while any bulk writer runs, and start again after the last', () => {
    open();
    expect(interval()).toBe(1000);
    const first = database.bulkWrites();
    const second = database.bulkWrites();
    expect(interval()).toBe(0);
    first.release();
    first.release(); // released twice by mistake: counted once
    expect(interval()).toBe(0);
    second.release();
    expect(interval()).toBe(1000);
  });

  it('what the bulk writer commits stays in the log until checkpointEvery copies it into the database file', async () => {
    const file = open();
    const before = statSync(file).size;
    const bulk = database.bulkWrites();
    expect(bulk.checkpoints).toEqual({ file, everyMs: 25 });
    fillLog();
    expect(statSync(file).size).toBe(before);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(16 * 1024 * 1024);
    const stop = checkpointEvery(bulk.checkpoints!);
    try {
      await until('the log copied into the database file', () => statSync(file).size > before + 12 * 1024 * 1024);
    } finally {
      stop();
      bulk.release();
    }
    expect((database.sqlite.prepare('SELECT count(*) AS n FROM bulk').get() as { n: number }).n).toBe(40 * 130);
  });

  it("an import's CSV reader thread copies the log while it reads", async () => {
    const file = open();
    const before = statSync(file).size;
    const bulk = database.bulkWrites();
    fillLog();
    expect(statSync(file).size).toBe(before);
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, `nome;telefone1\n${Array.from({ length: 20000 }, (_, i) => `Pessoa ${i};5548999${String(i).padStart(6, '0')}`).join('\n')}\n`);
    const reader = startWorker(new URL('../../src/contacts/import/importer.service.ts', import.meta.url).href, 'csv-reader.worker');
    const types: string[] = [];
    reader.on('message', (m: { type: string }) => types.push(m.type));
    try {
      // One message ahead and none taken: the reader waits, its checkpoints go on.
      reader.postMessage({ file: csv, encoding: 'utf-8', delimiter: ';', batchRows: 500, window: 1, checkpoints: bulk.checkpoints } satisfies ReadRequest);
      // Its first rows may reach this thread after its first checkpoints: both are waited for.
      await until('the log copied into the database file while the reader reads', () => statSync(file).size > before + 12 * 1024 * 1024 && types.length > 0);
      // Still reading (the file is not at its end: it waits for its first rows to be taken), so
      // the checkpoints came from its reading; nothing else checkpoints during bulk writes.
      expect(types).not.toContain('end');
    } finally {
      const ended = new Promise((resolve) => reader.once('exit', resolve));
      reader.postMessage('stop');
      await ended;
      bulk.release();
    }
  });

  it('between the bulk transactions the log starts again from its beginning, so it stays small', () => {
    const file = open();
    const insert = database.sqlite.prepare('INSERT INTO bulk (payload) VALUES (?)');
    const write = (bulk: { betweenTransactions(): void } | null) => {
      let largest = 0;
      for (let t = 0; t < 100; t++) {
        database.sqlite.transaction(() => { for (let i = 0; i < 300; i++) insert.run(Buffer.alloc(3000, t)); })();
        bulk?.betweenTransactions();
        largest = Math.max(largest, statSync(`${file}-wal`).size);
      }
      return largest;
    };
    const bulk = database.bulkWrites();
    // About 1.2 MB per transaction (300 pages); the log goes back to 16 MiB once it is rewound.
    expect(write(bulk)).toBeLessThan(48 * 1024 * 1024);
    // Without the calls, nothing rewinds it while the commits do not checkpoint.
    expect(write(null)).toBeGreaterThan(100 * 1024 * 1024);
    bulk.release();
  });

  it('the bulk transactions have a connection of their own, which does not enforce foreign keys, copies the log once released and is closed with the bulk writes', () => {
    open();
    database.sqlite.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id))');
    const orphan = 'INSERT INTO child (parent_id) VALUES (42)';
    expect(() => database.sqlite.exec(orphan)).toThrow(/FOREIGN KEY/);
    const bulk = database.bulkWrites();
    const { sqlite: writer } = bulk.writer;
    expect(writer).not.toBe(database.sqlite);
    // The bulk writer checks the parents of its rows itself, once per transaction.
    writer.transaction(() => writer.exec(orphan))();
    expect(database.sqlite.prepare('SELECT parent_id AS parentId FROM child').all()).toEqual([{ parentId: 42 }]);
    expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    bulk.release();
    // The rows still queued once the reader's thread has ended: the writer's own commits copy the log.
    expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(writer.open).toBe(true);
    bulk.close();
    expect(writer.open).toBe(false);
    expect(database.sqlite.open).toBe(true);
    expect(interval()).toBe(1000);
  });

  it('a database in memory has no log to copy, and its bulk transactions go through its one connection', () => {
    dir = mkdtempSync(join(tmpdir(), 'atende-bulk-'));
    database = openDatabase(':memory:');
    const bulk = database.bulkWrites();
    expect(bulk.checkpoints).toBeNull();
    expect(bulk.writer.sqlite).toBe(database.sqlite);
    bulk.close();
    expect(database.sqlite.open).toBe(true);
  });
});

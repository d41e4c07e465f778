/**
 * Copies the write-ahead log into the database file, off the main thread, while bulk writes
 * (an import) run: see `bulkWrites` in client.ts. A passive checkpoint never waits for the
 * writer and never makes it wait; what it cannot copy yet is copied at the next one.
 */
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointerRequest } from './checkpointer.protocol.js';

const port = parentPort;
if (!port) throw new Error('checkpointer.worker runs only as a worker thread');

port.once('message', ({ file, everyMs }: CheckpointerRequest) => {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
  // A checkpoint copies the log's frames; it reads next to nothing through the page cache.
  db.pragma('cache_size = -512');
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy (another checkpoint, a schema change): the next tick tries again.
    }
  }, everyMs);
  port.once('message', () => {
    clearInterval(timer);
    db.close();
    port.close();
  });
});

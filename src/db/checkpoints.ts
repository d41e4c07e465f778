/**
 * Copying the write-ahead log into the database file while bulk writes (an import) run, from a
 * thread the bulk writer runs anyway (the importer's CSV reader): see `bulkWrites` in client.ts.
 * A passive checkpoint never waits for the writer and never makes it wait; what it cannot copy
 * yet is copied at the next one.
 */
import Database from 'better-sqlite3';

/** The database file and how often to checkpoint it. */
export interface CheckpointRequest {
  file: string;
  everyMs: number;
}

/** Checkpoints `file` every `everyMs` on a connection of its own, in this thread, until the function returned is called (or the thread ends). */
export function checkpointEvery({ file, everyMs }: CheckpointRequest): () => void {
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
  // The thread's work ends when its reading does, not when this timer says.
  timer.unref();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    db.close();
  };
}

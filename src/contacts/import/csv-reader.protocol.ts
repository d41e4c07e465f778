import type { CheckpointRequest } from '../../db/checkpoints.js';
import type { CsvEncoding } from './csv.logic.js';
import type { RowProblem } from './importer.model.js';

/**
 * The importer's CSV reader runs in a worker thread (csv-reader.worker.ts): while it parses,
 * the main thread checks and writes the rows it parsed before. The main thread sends a
 * `ReadRequest` first, then `null` for each message of rows it has taken (the reader stays at
 * most `window` messages ahead, so rows never pile up in memory), and `'stop'` to end the
 * reading early. After its last message (`end` or `error`) the reader's thread ends by itself.
 */
export interface ReadRequest {
  file: string;
  encoding: CsvEncoding;
  delimiter: string;
  /** Rows (records and unreadable ones) per message. */
  batchRows: number;
  /** Messages sent and not yet taken, at most. */
  window: number;
  /**
   * The import's bulk writes (`bulkWrites` in db/client.ts): this thread copies the write-ahead
   * log into the database file while it reads, which saves a thread of its own (some 35 MiB).
   */
  checkpoints: CheckpointRequest | null;
}

/** A record (values in header order) or a record that cannot be read, at the line where it starts. */
export type CsvItem = { line: number; values: string[] } | { line: number; problem: RowProblem };

export type ReaderMessage =
  | { type: 'rows'; bytesRead: number; items: CsvItem[] }
  /** The last rows; the file has been read to its end. `heapBytes`: the most the reader's own heap held (V8's committed size). */
  | { type: 'end'; bytesRead: number; items: CsvItem[]; heapBytes: number }
  | { type: 'error'; message: string };

import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { parse as parseSync } from 'csv-parse/sync';
import type { BulkWrites, Database_ } from '../../db/client.js';
import { AppError, invalidField, notFound, startWorker, type Clock, type Logger } from '../../kernel/index.js';
import { BOM, chooseDelimiter, chooseEncoding, csvLine, firstLine, looksLikeText, type CsvEncoding } from './csv.logic.js';
import type { CsvItem, ReadRequest, ReaderMessage } from './csv-reader.protocol.js';
import type { ImportProgress, ImportPublisher, ImportSession, ImportTarget, RowProblem, WriteContext } from './importer.model.js';
import { ImportsRepo, type ImportRow } from './imports.repo.js';

export interface ImporterDeps {
  database: Database_;
  clock: Clock;
  logger: Logger;
  /** Where uploads are spooled while they are imported. */
  spoolDir: string;
  maxBytes: number;
  publisher: ImportPublisher;
  /**
   * Rows per transaction (500). Small: the rows of a batch wait in memory until it is written,
   * and rows that wait long are promoted to V8's old heap, which then grows by hundreds of MiB
   * over a large file before a full collection (a 1,000,000-row import in 2,000-row batches).
   */
  batchRows?: number;
}

export interface StartImport {
  tenantId: number;
  userId: number | null;
  target: string;
  options: Record<string, unknown>;
  fileName: string;
  /** The declared size, when the client sent one: refused at once if over the limit. */
  contentLength?: number | undefined;
  body: Readable;
}

const SNIFF_BYTES = 64 * 1024;
/** Progress is kept and published every this many rows (and at the end). */
const PROGRESS_ROWS = 2000;
/** Messages of rows the reader may send ahead of the rows checked and written. */
const READ_AHEAD = 4;
/**
 * The reader's young generation: it makes short-lived strings by the million, and V8 grows
 * the space they are made in to 16 MiB semi-spaces by default; 8 MiB in all took 25 MiB off an
 * import's peak RSS (1,000,000 rows). Its old generation is left to V8: one record may hold the
 * rest of the file (a quote left open).
 */
const READER_LIMITS = { maxYoungGenerationSizeMb: 8 };
/** How long a reader told to stop may take to end by itself. */
const READER_END_MS = 5000;
const tooLarge = (maxBytes: number) =>
  new AppError('file_too_large', `file: larger than the ${Math.round(maxBytes / 1024 / 1024)} MiB an import accepts`, 413, { field: 'file', maxBytes });

interface Job {
  cancelled: boolean;
  done: Promise<void>;
  /** Stops reading the file (the reader's thread), once rows are being read. */
  stop?: () => void;
}

/**
 * The one CSV importer. An upload is spooled to a file (bounded memory, size limit, UTF-8
 * check), its header is checked before anything is stored (4xx for a wrong delimiter, a
 * missing or unknown column, a file that is not text), then rows are streamed through the
 * target in batches, each batch one transaction, with progress published and kept. An
 * import that fails or is cancelled is undone; rows refused one by one are reported with
 * their line and field, never dropped silently.
 */
export class ImportService {
  private readonly targets = new Map<string, ImportTarget>();
  private readonly jobs = new Map<number, Job>();
  readonly repo: ImportsRepo;
  private readonly log: Logger;

  constructor(private readonly deps: ImporterDeps) {
    this.repo = new ImportsRepo(deps.database.db);
    this.log = deps.logger.child({ component: 'importer' });
  }

  /**
   * A daemon stopped mid-import left part of a file behind: undo it and say so in the history.
   * Call once the targets are registered.
   */
  async recover(): Promise<void> {
    // Nothing is imported yet: whatever the spool directory holds (uploads, scratch files) was left by a stop.
    if (existsSync(this.deps.spoolDir)) for (const name of readdirSync(this.deps.spoolDir)) rmSync(join(this.deps.spoolDir, name), { force: true, recursive: true });
    for (const row of this.repo.running()) {
      const target = this.targets.get(row.target);
      this.log.warn({ importId: row.id, target: row.target }, 'import interrupted by a stop of the daemon; undoing it');
      if (target) await this.undo(row, target);
      this.repo.progress(row.id, { bytesRead: row.bytesRead, rows: row.rows, imported: 0, rejected: row.rejected, problems: row.problems });
      this.repo.finish(row.id, 'failed', this.deps.clock.now(), 'interrupted by a stop of the daemon; nothing of this file was kept; import it again');
    }
  }

  register<O extends object>(target: ImportTarget<O>): void {
    this.targets.set(target.name, target as unknown as ImportTarget);
  }

  targetNames(): string[] {
    return [...this.targets.keys()];
  }

  private target(name: string): ImportTarget {
    const t = this.targets.get(name);
    if (!t) throw invalidField('target', `target: one of ${this.targetNames().join(', ')}`);
    return t;
  }

  /** The model file of a target: its header and one example row, `;`-separated, UTF-8. */
  model(tenantId: number, targetName: string, rawOptions: Record<string, unknown>): string {
    const target = this.target(targetName);
    const { header, example } = target.model(this.deps.database.db, tenantId, target.options(this.deps.database.db, tenantId, rawOptions));
    return BOM + csvLine(header) + csvLine(example);
  }

  /** Spools the upload, checks its header and starts the import; resolves once rows are being read. */
  async start(req: StartImport): Promise<ImportProgress> {
    const { db } = this.deps.database;
    const target = this.target(req.target);
    const options = target.options(db, req.tenantId, req.options);
    if (req.contentLength !== undefined && req.contentLength > this.deps.maxBytes) {
      req.body.resume();
      throw tooLarge(this.deps.maxBytes);
    }
    mkdirSync(this.deps.spoolDir, { recursive: true, mode: 0o700 });
    const file = join(this.deps.spoolDir, `${randomUUID()}.csv`);
    try {
      const spooled = await this.spool(req.body, file);
      const { encoding, delimiter, header } = await this.sniff(file, spooled);
      const session = target.begin(db, req.tenantId, options, header);
      const row = this.repo.insert({
        tenantId: req.tenantId,
        target: target.name,
        options: options as Record<string, unknown>,
        fileName: req.fileName,
        sizeBytes: spooled.size,
        encoding,
        delimiter,
        state: 'running',
        createdBy: req.userId,
        startedAt: this.deps.clock.now(),
      });
      const job: Job = { cancelled: false, done: Promise.resolve() };
      const bulk = this.deps.database.bulkWrites();
      job.done = this.run(row, target, session, file, encoding, delimiter, job, bulk).finally(() => {
        bulk.close();
        rmSync(file, { force: true });
        this.jobs.delete(row.id);
      });
      this.jobs.set(row.id, job);
      return this.progressOf(row);
    } catch (e) {
      rmSync(file, { force: true });
      throw e;
    }
  }

  /** Resolves when the import has ended (done, failed or cancelled). */
  async settled(id: number): Promise<ImportProgress> {
    await this.jobs.get(id)?.done;
    const row = this.repo.get(id);
    if (!row) throw notFound('import');
    return this.progressOf(row);
  }

  /** Stops a running import; what it stored is removed. */
  cancel(id: number): boolean {
    const job = this.jobs.get(id);
    if (!job) return false;
    job.cancelled = true;
    job.stop?.();
    return true;
  }

  async stop(): Promise<void> {
    for (const job of this.jobs.values()) {
      job.cancelled = true;
      job.stop?.();
    }
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
  }

  progressOf(row: ImportRow): ImportProgress {
    return {
      id: row.id,
      tenantId: row.tenantId,
      target: row.target,
      state: row.state,
      fileName: row.fileName,
      sizeBytes: row.sizeBytes,
      bytesRead: row.bytesRead,
      percent: row.sizeBytes === 0 ? 100 : Math.min(100, Math.floor((row.bytesRead * 100) / row.sizeBytes)),
      rows: row.rows,
      imported: row.imported,
      rejected: row.rejected,
      problems: row.problems,
      error: row.error,
    };
  }

  /** The per-row problems as CSV, a page at a time from the database. */
  /** The problems of an import as CSV, each message in the words `word` gives it. */
  async *problemsCsv(id: number, word: (message: string) => string = (m) => m): AsyncGenerator<string> {
    yield BOM + csvLine(['line', 'field', 'value', 'code', 'message', 'row_rejected']);
    let after = 0;
    for (;;) {
      const page = this.repo.problemsAfter(id, after, 1000);
      if (page.length === 0) return;
      yield page.map((p) => csvLine([p.line, p.field, p.value, p.code, word(p.message), p.rejected ? 'yes' : 'no'])).join('');
      after = page[page.length - 1]!.id;
    }
  }

  private async spool(body: Readable, file: string): Promise<{ size: number; validUtf8: boolean }> {
    let size = 0;
    let validUtf8 = true;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const max = this.deps.maxBytes;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > max) return cb(tooLarge(max));
        if (validUtf8) {
          try {
            decoder.decode(chunk, { stream: true });
          } catch {
            validUtf8 = false;
          }
        }
        cb(null, chunk);
      },
    });
    await pipeline(body, meter, createWriteStream(file, { mode: 0o600 }));
    if (validUtf8) {
      try {
        decoder.decode();
      } catch {
        validUtf8 = false;
      }
    }
    return { size, validUtf8 };
  }

  private async sniff(file: string, spooled: { size: number; validUtf8: boolean }): Promise<{ encoding: CsvEncoding; delimiter: ';' | ','; header: string[] }> {
    if (spooled.size === 0) throw invalidField('file', 'file: empty; the first line must name the columns');
    const handle = await open(file, 'r');
    const sample = Buffer.alloc(Math.min(SNIFF_BYTES, spooled.size));
    try {
      await handle.read(sample, 0, sample.length, 0);
    } finally {
      await handle.close();
    }
    if (!looksLikeText(sample)) throw new AppError('not_csv', 'file: not a CSV text file (binary content)', 415, { field: 'file' });
    const encoding = chooseEncoding(spooled.validUtf8);
    const line = firstLine(new TextDecoder(encoding).decode(sample));
    const choice = chooseDelimiter(line);
    if (!choice.ok) throw invalidField('file', `file: the columns are separated by ${choice.found}; use ; (or , when the header uses commas)`);
    let header: string[];
    try {
      header = (parseSync(line, { delimiter: choice.delimiter, relax_quotes: true }) as string[][])[0] ?? [];
    } catch (e) {
      throw invalidField('file', `file: the header line cannot be read: ${(e as Error).message}`);
    }
    return { encoding, delimiter: choice.delimiter, header: header.map((h) => h.trim()) };
  }

  private async run(
    row: ImportRow,
    target: ImportTarget,
    session: ImportSession<unknown>,
    file: string,
    encoding: CsvEncoding,
    delimiter: string,
    job: Job,
    bulk: BulkWrites,
  ): Promise<void> {
    const { clock } = this.deps;
    const batchRows = this.deps.batchRows ?? 500;
    // The batches go through the bulk writer's connection (see `BulkWrites.writer`), the import's
    // own progress and problems in the same transactions.
    const { writer } = bulk;
    const writerRepo = new ImportsRepo(writer.db);
    const w: WriteContext = { db: writer.db, sqlite: writer.sqlite, tenantId: row.tenantId, importId: row.id, now: clock.now(), scratch: this.scratch(row.id) };
    const counts = { bytesRead: 0, rows: 0, imported: 0, rejected: 0, problems: 0 };
    let batch: { line: number; record: unknown }[] = [];
    let problems: { line: number; problem: RowProblem }[] = [];

    let published = 0;
    const flush = (last = false) => {
      const rejectedLines = new Set(problems.filter((p) => p.problem.rejected).map((p) => p.line));
      writer.sqlite.transaction(() => {
        const found = session.write(
          batch.map((b) => b.record),
          { ...w, now: clock.now() },
        );
        for (const f of found) {
          const line = batch[f.index]!.line;
          problems.push({ line, problem: f.problem });
          if (f.problem.rejected) rejectedLines.add(line);
        }
        const rejectedInBatch = batch.filter((b) => rejectedLines.has(b.line)).length;
        counts.imported += batch.length - rejectedInBatch;
        counts.rejected += rejectedLines.size;
        counts.problems += problems.length;
        writerRepo.addProblems(row.id, problems);
        writerRepo.progress(row.id, counts);
      })();
      bulk.betweenTransactions();
      batch = [];
      problems = [];
      if (last || counts.rows - published >= PROGRESS_ROWS) {
        published = counts.rows;
        this.publish(row.id);
      }
    };

    // The file is parsed in a worker thread while this one checks and writes the rows parsed
    // before: the two cores work at once, and this thread's event loop serves requests between
    // two batches. The reader also copies the write-ahead log into the database file.
    const reader = startWorker(import.meta.url, 'csv-reader.worker', READER_LIMITS);
    const ended = new Promise<void>((resolve) => reader.once('exit', () => resolve()));
    // The reader stops at its next chunk of the file and ends by itself: ended in the middle of a
    // checkpoint, its thread would leave the database locked for a while.
    job.stop = () => reader.postMessage('stop');
    const take = (item: CsvItem) => {
      counts.rows++;
      if ('problem' in item) {
        problems.push(item);
      } else {
        const prepared = session.prepare(item.values);
        for (const problem of prepared.problems) problems.push({ line: item.line, problem });
        if (prepared.record !== null) batch.push({ line: item.line, record: prepared.record });
      }
      if (batch.length >= batchRows || problems.length >= batchRows) flush();
    };
    let readerHeap = 0;
    const read = new Promise<void>((resolved, rejected) => {
      // Once the reading has ended (done, cancelled, failed), rows still queued are not taken:
      // nothing may be written while the import is being undone.
      let over = false;
      const resolve = () => {
        over = true;
        resolved();
      };
      const reject = (e: Error) => {
        over = true;
        rejected(e);
      };
      // One message of rows per turn of the event loop: a port hands over the messages it has
      // in one go (and the reader sends the next as soon as one is taken), which would keep
      // requests, timers and the events socket waiting for as long as the import runs.
      const queue: ReaderMessage[] = [];
      const next = () => {
        const m = queue.shift();
        if (!m || over) return;
        if (job.cancelled) return resolve();
        if (m.type === 'error') return reject(new Error(m.message));
        try {
          counts.bytesRead = m.bytesRead;
          for (const item of m.items) take(item);
        } catch (e) {
          return reject(e as Error);
        }
        if (m.type === 'end') {
          readerHeap = m.heapBytes;
          return resolve();
        }
        reader.postMessage(null);
        if (queue.length > 0) setImmediate(next);
      };
      let last = false;
      reader.on('message', (m: ReaderMessage) => {
        last ||= m.type !== 'rows';
        if (queue.push(m) === 1) setImmediate(next);
      });
      reader.on('error', reject);
      reader.on('exit', (code) => {
        // The reader copied the log into the database file (`bulkWrites`): the commits of the
        // rows still queued copy it themselves.
        bulk.release();
        // After its last message the reader ends by itself; those messages are still taken.
        if (job.cancelled) resolve();
        else if (!last && !over) reject(new Error(`the CSV reader stopped (exit code ${code})`));
      });
    });
    reader.postMessage({ file, encoding, delimiter, batchRows, window: READ_AHEAD, checkpoints: bulk.checkpoints } satisfies ReadRequest);

    try {
      try {
        await read;
      } finally {
        reader.postMessage('stop');
        // A reader that does not end by itself (it never should) is ended: a stop of the daemon waits for this.
        const stuck = setTimeout(() => void reader.terminate(), READER_END_MS);
        await ended;
        clearTimeout(stuck);
      }
      if (!job.cancelled) {
        flush(true);
        // What the target left for the end, a transaction per turn of the event loop.
        while (!job.cancelled && writer.sqlite.transaction(() => session.finish())()) {
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      if (job.cancelled) {
        await this.undo(row, target);
        this.repo.progress(row.id, { ...counts, imported: 0 });
        this.repo.finish(row.id, 'cancelled', clock.now(), 'cancelled; nothing of this file was kept');
      } else {
        counts.bytesRead = row.sizeBytes;
        this.repo.progress(row.id, counts);
        this.repo.finish(row.id, 'done', clock.now(), null);
        this.log.info(
          { importId: row.id, target: target.name, rows: counts.rows, imported: counts.imported, seconds: (clock.now() - row.startedAt) / 1000, readerHeapMiB: Math.round(readerHeap / 2 ** 20) },
          'import done',
        );
      }
    } catch (e) {
      this.log.error({ err: e, importId: row.id }, 'import failed');
      await this.undo(row, target);
      this.repo.progress(row.id, { ...counts, imported: 0 });
      this.repo.finish(row.id, 'failed', clock.now(), `failed at line ${counts.rows + 1}: ${(e as Error).message}; nothing of this file was kept`);
    } finally {
      session.end();
    }
    this.publish(row.id);
  }

  private async undo(row: ImportRow, target: ImportTarget): Promise<void> {
    const w: WriteContext = { db: this.deps.database.db, sqlite: this.deps.database.sqlite, tenantId: row.tenantId, importId: row.id, now: this.deps.clock.now(), scratch: this.scratch(row.id) };
    // In slices, so that other requests are served while a large import is taken back.
    while (this.deps.database.sqlite.transaction(() => target.undo(w, 5000))() > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private scratch(importId: number): string {
    return join(this.deps.spoolDir, `${importId}.scratch`);
  }

  private publish(id: number): void {
    const row = this.repo.get(id);
    if (row) this.deps.publisher.publish(this.progressOf(row));
  }
}

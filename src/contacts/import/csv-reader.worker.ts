/**
 * Reads an import's spooled CSV off the main thread: decoding, line breaks, csv-parse, the line
 * where each record starts and the records that cannot be read. Rows go to the main thread in
 * file order, a batch per message (see csv-reader.protocol.ts).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { parse, type CsvError } from 'csv-parse';
import { checkpointEvery } from '../../db/checkpoints.js';
import type { CsvItem, ReadRequest, ReaderMessage } from './csv-reader.protocol.js';
import type { RowProblem } from './importer.model.js';

const port = parentPort;
if (!port) throw new Error('csv-reader.worker runs only as a worker thread');

const LINE_BREAK = /\r\n?/g;

/**
 * The line where a record starts, from csv-parse's count of lines when it ends (or when an error
 * is found in it) and its raw text: the empty lines before it (in the raw text) and the line
 * break that ends it (not counted yet) aside, each line break in it is a line it spans.
 */
function startLine(lines: number, raw: string): number {
  let from = 0;
  while (raw.charCodeAt(from) === 10) from++;
  let to = raw.length;
  if (to > from && raw.charCodeAt(to - 1) === 10) to--;
  let breaks = 0;
  for (let i = raw.indexOf('\n', from); i >= 0 && i < to; i = raw.indexOf('\n', i + 1)) breaks++;
  return lines - breaks;
}

let credits = 0;
let stopped = false;
let wake: (() => void) | undefined;

port.on('message', (m: ReadRequest | null | 'stop') => {
  if (m === null) credits++;
  if (m === 'stop') stopped = true;
  if (m === null || m === 'stop') return wake?.();
  credits = m.window;
  // The checkpoints end before the last message goes: the main thread may end this thread once
  // it has it, and a thread ended in the middle of a checkpoint leaves the database locked until
  // its connection is torn down (seconds, for a long log).
  const stopCheckpoints = m.checkpoints ? checkpointEvery(m.checkpoints) : () => {};
  read(m)
    .catch((e: unknown): ReaderMessage => ({ type: 'error', message: (e as Error).message ?? String(e) }))
    .then((last) => {
      stopCheckpoints();
      port.postMessage(last);
      port.close();
    });
});

/** Reads the file to its end (or until told to stop), sending its rows; resolves with the last message. */
async function read(req: ReadRequest): Promise<ReaderMessage> {
  let bytesRead = 0;
  let items: CsvItem[] = [];
  let heapBytes = 0;
  const send = () => {
    heapBytes = Math.max(heapBytes, getHeapStatistics().total_heap_size);
    port!.postMessage({ type: 'rows', bytesRead, items } satisfies ReaderMessage);
    items = [];
    credits--;
  };
  const decode = new TextDecoder(req.encoding);
  // 64 KiB reads: a larger chunk, with its decoded copies, may outlive the rows parsed from it
  // and be promoted to the old heap.
  const source = createReadStream(req.file, { highWaterMark: 64 * 1024 });
  // CRLF (and a lone CR, the old Mac line break) becomes LF before parsing: csv-parse counts a
  // CRLF inside quotes as two lines, and the problems report must name the lines of the file.
  const text = Readable.from(
    (async function* () {
      let carry = '';
      for await (const chunk of source as AsyncIterable<Buffer>) {
        // The main thread has not taken the rows sent: wait before reading on.
        while (credits <= 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
        if (stopped) return;
        bytesRead += chunk.length;
        const piece = carry + decode.decode(chunk, { stream: true });
        carry = piece.endsWith('\r') ? '\r' : '';
        yield piece.slice(0, piece.length - carry.length).replace(LINE_BREAK, '\n');
      }
      const rest = (carry + decode.decode()).replace(LINE_BREAK, '\n');
      if (rest) yield rest;
    })(),
  );
  // Records and unreadable records are handled in csv-parse's callbacks, as it reads them: in
  // file order (its stream hands records over later than it reports the unreadable ones).
  let lastSkip: { line: number; problem: RowProblem } | undefined;
  const parser = parse({
    delimiter: req.delimiter,
    bom: true,
    from_line: 2,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // The raw text of each record, for the line where it starts (a quoted value may span lines).
    raw: true,
    on_record: (rec: unknown, info) => {
      // With `raw`, csv-parse hands the record with its raw text (its types do not say so).
      const { record, raw } = rec as { record: string[]; raw: string };
      items.push({ line: startLine(info.lines, raw), values: record });
      if (items.length >= req.batchRows) send();
      return null;
    },
    on_skip: (err, raw): undefined => {
      if (!err) return;
      const at = err as CsvError & { lines: number };
      const line = startLine(at.lines, raw ?? '');
      // A quote left open reads the rest of the file into its record: say which lines are lost.
      const message =
        at.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quoted value is not closed, so lines ${line} to ${at.lines} (the end of the file) cannot be read`
          : `the line cannot be read as CSV: ${at.message}`;
      // A record may break the rules more than once: one problem for it, with the last error.
      if (lastSkip?.line === line) {
        lastSkip.problem.message = message;
        return;
      }
      if (items.length >= req.batchRows) send();
      lastSkip = { line, problem: { field: 'row', value: null, code: 'csv_syntax', message, rejected: true } };
      items.push(lastSkip);
    },
  });
  await pipeline(text, parser.resume());
  heapBytes = Math.max(heapBytes, getHeapStatistics().total_heap_size);
  return { type: 'end', bytesRead, items, heapBytes };
}

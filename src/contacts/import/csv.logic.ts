/**
 * What the importer decides from the first bytes of a file, and how CSV is written back
 * (model files, error reports, exports). Pure.
 */
export type CsvEncoding = 'utf-8' | 'windows-1252';

/**
 * UTF-8 when the whole file decodes as UTF-8 (with or without BOM); otherwise Latin-1, as
 * Excel in Brazil saves CSV (Windows-1252, the superset browsers use for "latin1").
 */
export const chooseEncoding = (validUtf8: boolean): CsvEncoding => (validUtf8 ? 'utf-8' : 'windows-1252');

/** Text files have no NUL bytes and few control characters; spreadsheets and images do. */
export function looksLikeText(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control / sample.length < 0.01;
}

export type DelimiterChoice = { ok: true; delimiter: ';' | ',' } | { ok: false; found: string | null };

/**
 * `;` is the separator; `,` when the header uses commas and no semicolon. A header split by
 * tabs or pipes is refused, naming what was found. Quoted parts of the header are skipped.
 */
export function chooseDelimiter(headerLine: string): DelimiterChoice {
  const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c]!++;
  }
  if (counts[';']! > 0) return { ok: true, delimiter: ';' };
  if (counts[',']! > 0) return { ok: true, delimiter: ',' };
  if (counts['\t']! > 0) return { ok: false, found: 'tab' };
  if (counts['|']! > 0) return { ok: false, found: '|' };
  return { ok: true, delimiter: ';' };
}

/** The first line of the text (the header), without its line break. */
export function firstLine(text: string): string {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.search(/\r?\n/);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Header names compared without case, accents, spaces or dashes: `E-mail` = `email`. */
export const headerKey = (h: string): string =>
  h
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** One CSV line: fields quoted when they hold the separator, a quote or a line break. */
export function csvLine(values: readonly (string | number | null | undefined)[], delimiter = ';'): string {
  return (
    values
      .map((v) => {
        const s = v === null || v === undefined ? '' : String(v);
        return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
      })
      .join(delimiter) + '\r\n'
  );
}

/** A byte order mark, so that Excel opens UTF-8 CSV with its accents intact. */
export const BOM = '\ufeff';

/** A record may span lines (quoted line breaks), up to this many characters. */
export const MAX_RECORD_CHARS = 1 << 20;

/**
 * Splits CSV text into records as it arrives, each with the line it starts on (a quoted value
 * may hold line breaks). Text comes in pieces (`push`), its line breaks already made `\n`; a
 * record cut by the end of a piece waits for the next. What csv-parse did for the importer, at
 * a fraction of its cost on files of millions of rows: a line without quotes is one `split`.
 * The first record (the header, checked before) is left out, and so are empty lines. `"`
 * quotes a value and `""` inside it is a quote; a quote anywhere else, or a quoted value not
 * closed (by the end of the file or within `MAX_RECORD_CHARS`), makes the record unreadable:
 * it is reported (`onError`) and reading goes on at the line after the one it starts on.
 */
export class CsvRecords {
  private rest = '';
  /** The line `rest` starts on. */
  private line = 1;
  private header = true;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (values: string[], line: number) => void,
    private readonly onError: (line: number, message: string) => void,
  ) {}

  push(text: string): void {
    this.read(this.rest === '' ? text : this.rest + text, false);
  }

  end(): void {
    this.read(this.rest, true);
  }

  private read(text: string, last: boolean): void {
    let pos = this.header && text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let line = this.line;
    const length = text.length;
    let quote = text.indexOf('"', pos);
    while (pos < length) {
      let end = text.indexOf('\n', pos);
      if (end < 0) {
        if (!last) break;
        end = length;
      }
      if (end === pos) {
        pos = end + 1;
        line++;
        continue;
      }
      if (quote >= 0 && quote < pos) quote = text.indexOf('"', pos);
      if (quote < 0 || quote > end) {
        this.emit(text.slice(pos, end).split(this.delimiter), line);
        pos = end + 1;
        line++;
        continue;
      }
      const read = this.quoted(text, pos, line, last);
      if (read === undefined) break;
      if (read.values) this.emit(read.values, line);
      else if (this.header) this.header = false;
      else this.onError(line, read.error);
      pos = read.next;
      line = read.line;
    }
    this.rest = pos >= length ? '' : text.slice(pos);
    this.line = line;
  }

  private emit(values: string[], line: number): void {
    if (this.header) this.header = false;
    else this.onRecord(values, line);
  }

  /**
   * The record at `begin`, which has a quote: its values, or why it cannot be read, and where
   * the next record starts (and on which line). Undefined: the text ends inside it, more is coming.
   */
  private quoted(text: string, begin: number, start: number, last: boolean): { values?: string[]; error: string; next: number; line: number } | undefined {
    const d = this.delimiter;
    const values: string[] = [];
    // An unreadable record: reading goes on at the line after the one it starts on.
    const skip = (error: string) => {
      const end = text.indexOf('\n', begin);
      if (end < 0 && !last) return undefined;
      return { error, next: end < 0 ? text.length : end + 1, line: start + 1 };
    };
    const more = (why: string) => (last || text.length - begin > MAX_RECORD_CHARS ? skip(why) : undefined);
    let pos = begin;
    let line = start;
    for (;;) {
      if (text.charCodeAt(pos) === 34 /* " */) {
        let value = '';
        let from = pos + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          // A quote at the very end may be the first of a `""`: wait for the next piece.
          if (close < 0 || (close === text.length - 1 && !last)) return more(`a quoted value (value ${values.length + 1}) is not closed`);
          const piece = text.slice(from, close);
          for (let nl = piece.indexOf('\n'); nl >= 0; nl = piece.indexOf('\n', nl + 1)) line++;
          value += piece;
          if (text.charCodeAt(close + 1) === 34) {
            value += '"';
            from = close + 2;
            continue;
          }
          pos = close + 1;
          break;
        }
        values.push(value);
        if (pos >= text.length) return last ? { values, error: '', next: pos, line: line + 1 } : undefined;
        const after = text[pos];
        if (after === '\n') return { values, error: '', next: pos + 1, line: line + 1 };
        if (after !== d) return skip(`${JSON.stringify(after)} after the closing quote of value ${values.length}, where the separator or the end of the line should be`);
        pos++;
        continue;
      }
      let end = pos;
      while (end < text.length) {
        const c = text[end];
        if (c === d || c === '\n') break;
        if (c === '"') return skip(`a quote inside value ${values.length + 1}, which does not start with one (inside a quoted value, a quote is written "")`);
        end++;
      }
      values.push(text.slice(pos, end));
      if (end >= text.length) return last ? { values, error: '', next: end, line: line + 1 } : undefined;
      if (text[end] === '\n') return { values, error: '', next: end + 1, line: line + 1 };
      pos = end + 1;
    }
  }
}

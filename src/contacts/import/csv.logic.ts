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

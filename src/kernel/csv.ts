/**
 * CSV as spreadsheets in Brazil open it without an import dialog: `;` between fields (the
 * decimal separator there is a comma), CRLF line ends, a UTF-8 byte-order mark, and a field
 * quoted when it holds the separator, a quote or a line break. A field that begins with `=`,
 * `+`, `-` or `@` would run as a formula in a spreadsheet: it is prefixed with `'`.
 */
const SEPARATOR = ';';

function field(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v).replace('.', ',');
  let s = typeof v === 'boolean' ? (v ? 'sim' : 'não') : v;
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export type CsvValue = string | number | boolean | null | undefined;

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(field).join(SEPARATOR)];
  for (const r of rows) lines.push(r.map(field).join(SEPARATOR));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

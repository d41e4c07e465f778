/**
 * The IVR report as a table: one line per IVR and node with what callers did there, and its
 * CSV form (semicolon-separated, UTF-8 with a byte-order mark, as spreadsheet programs set to
 * Portuguese open it).
 */
import { OPTION_DIGITS } from './ivr.model.js';

export interface IvrReportLine {
  ivrId: number;
  ivr: string;
  node: string;
  nodeName: string;
  entries: number;
  options: { digit: string; label: string | null; count: number }[];
  directDials: number;
  collected: number;
  timeouts: number;
  invalids: number;
  exhausted: number;
  exits: number;
  abandons: number;
}

const COUNTS = ['entries', 'directDials', 'collected', 'timeouts', 'invalids', 'exhausted', 'exits', 'abandons'] as const;
const digitColumn = (d: string) => `option_${d === '*' ? 'star' : d === '#' ? 'hash' : d}`;

/** A CSV field: quoted when it holds the separator, a quote or a line break. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function ivrReportCsv(lines: IvrReportLine[]): string {
  const header = ['ivr_id', 'ivr', 'node', 'node_name', ...COUNTS.map((c) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)), ...OPTION_DIGITS.map(digitColumn)];
  const rows = lines.map((l) => {
    const byDigit = new Map(l.options.map((o) => [o.digit, o.count]));
    return [l.ivrId, l.ivr, l.node, l.nodeName, ...COUNTS.map((c) => l[c]), ...OPTION_DIGITS.map((d) => byDigit.get(d) ?? 0)];
  });
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(';')).join('\r\n')}\r\n`;
}

import { useI18n } from 'vue-i18n';
import type { Json } from '@/api/client';

/** The dialer's figures (the monitor's and the report's, defined once in src/dialer/report.logic.ts). */
export type ReportRow = Json<'/api/v1/dialer/report', 'get'>['items'][number];
export type Outcome = keyof ReportRow['byOutcome'];

/** The outcomes of a dial, in the order the screens list them. */
export const OUTCOMES: readonly Outcome[] = ['connected', 'dropped', 'machine', 'busy', 'no_answer', 'failed'];

/** How the screens write a share (0–1) and a duration in seconds; `—` when there is none. */
export function useFigureFormat() {
  const { n } = useI18n();
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${n(Math.round(v * 1000) / 10)} %`);
  const secs = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)} s`);
  return { pct, secs };
}

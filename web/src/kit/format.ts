import { currentLocale } from '@/i18n';

/** Date and time in the user's language, e.g. 05/03/2026 14:07:09. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(currentLocale(), { dateStyle: 'short', timeStyle: 'medium' });
}

/** 75 → 1:15, 3725 → 1:02:05. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A figure in the user's language with at most `digits` decimals; — when there is none. */
export function decimal(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? '—' : v.toLocaleString(currentLocale(), { maximumFractionDigits: digits });
}

import type { Json } from '@/api/client';

export type ImportItem = Json<'/api/v1/imports', 'get'>['items'][number];
export type ImportProgress = Json<'/api/v1/imports/{id}', 'get'>;

/**
 * An import as the screen shows it after a progress event: counts only grow while it runs, so
 * an event that arrives after a newer one (or after the REST snapshot) never moves them back.
 */
export function mergeProgress<T extends ImportProgress>(shown: T, p: ImportProgress): T {
  const finished = shown.state !== 'running' && p.state === 'running';
  if (finished || p.bytesRead < shown.bytesRead) return shown;
  return { ...shown, ...p };
}

import type { Json } from '@/api/client';

export type Call = Json<'/api/v1/calls/{callId}', 'get'>;

export interface CallFilters {
  from?: Date | null;
  to?: Date | null;
  direction?: string | null;
  number?: string | null;
}

/** Would the server list this call under these filters (so a live event belongs on screen)? */
export function matchesFilters(call: Call, f: CallFilters): boolean {
  const started = Date.parse(call.startedAt);
  if (f.from && started < f.from.getTime()) return false;
  if (f.to && started >= f.to.getTime()) return false;
  if (f.direction && call.direction !== f.direction) return false;
  if (f.number && !call.from.includes(f.number) && !call.to.includes(f.number)) return false;
  return true;
}

/**
 * A page of calls (newest first) after a live event: an update replaces the row it is about; a
 * new call that belongs on the first page goes on top, pushing the last row to the next page.
 */
export function applyCallEvent(
  page: { items: Call[]; total: number },
  call: Call,
  opts: { firstPage: boolean; rows: number; filters: CallFilters },
): { items: Call[]; total: number } {
  const at = page.items.findIndex((c) => c.callId === call.callId);
  if (at >= 0) return { items: page.items.map((c, i) => (i === at ? call : c)), total: page.total };
  if (!matchesFilters(call, opts.filters)) return page;
  if (!opts.firstPage) return { items: page.items, total: page.total + 1 };
  return { items: [call, ...page.items].slice(0, opts.rows), total: page.total + 1 };
}

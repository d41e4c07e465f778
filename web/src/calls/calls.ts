import type { Json } from '@/api/client';

export type Call = Json<'/api/v1/calls/{callId}', 'get'>;

export interface CallFilters {
  from?: Date | null;
  to?: Date | null;
  direction?: string | null;
  number?: string | null;
}

/**
 * Would the server list this call under these filters (so a live event belongs on screen)?
 * Undefined when only the server can tell: the number filter matches numbers written in any
 * format (country code, trunk zero), and that rule stays on the server.
 */
export function matchesFilters(call: Call, f: CallFilters): boolean | undefined {
  const started = Date.parse(call.startedAt);
  if (f.from && started < f.from.getTime()) return false;
  if (f.to && started >= f.to.getTime()) return false;
  if (f.direction && call.direction !== f.direction) return false;
  return f.number ? undefined : true;
}

/** The calls list's default order, the one a new call is known to go on top of. */
export const isNewestFirst = (sort: string | undefined) => !sort || sort === '-startedAt';

/**
 * A page of calls (newest first) after a live event: an update replaces the row it is about; a
 * new call that belongs on the first page goes on top, pushing the last row to the next page.
 * `reload` when only the server can place it (another order, a number filter).
 */
export function applyCallEvent(
  page: { items: Call[]; total: number },
  call: Call,
  opts: { firstPage: boolean; rows: number; filters: CallFilters; sort?: string | undefined },
): { items: Call[]; total: number } | 'reload' {
  const at = page.items.findIndex((c) => c.callId === call.callId);
  if (at >= 0) return { items: page.items.map((c, i) => (i === at ? call : c)), total: page.total };
  const matches = matchesFilters(call, opts.filters);
  if (matches === false) return page;
  if (matches === undefined || !isNewestFirst(opts.sort)) return 'reload';
  if (!opts.firstPage) return { items: page.items, total: page.total + 1 };
  return { items: [call, ...page.items].slice(0, opts.rows), total: page.total + 1 };
}

import { or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** `%` and `_` typed by a user are literal in a search, not wildcards. */
const likePattern = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One of `columns` contains what the user typed, in any case (a list's `?q=`). */
export function containsText(columns: readonly SQLiteColumn[], q: string): SQL | undefined {
  const pattern = likePattern(q);
  return or(...columns.map((c) => sql`lower(${c}) like ${pattern} escape '\\'`));
}

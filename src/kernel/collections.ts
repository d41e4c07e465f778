/**
 * Rows grouped by a key, groups in the order first met and each group's rows in their order.
 * Each row is appended to its group: copying the group on every row would make large reports
 * quadratic.
 */
export function groupBy<T, K>(rows: Iterable<T>, key: (row: T) => K): Map<K, T[]>;
export function groupBy<T, K, V>(rows: Iterable<T>, key: (row: T) => K, value: (row: T) => V): Map<K, V[]>;
export function groupBy<T, K, V>(rows: Iterable<T>, key: (row: T) => K, value?: (row: T) => V): Map<K, (T | V)[]> {
  const out = new Map<K, (T | V)[]>();
  for (const row of rows) {
    const k = key(row);
    const v = value ? value(row) : row;
    const group = out.get(k);
    if (group) group.push(v);
    else out.set(k, [v]);
  }
  return out;
}

/**
 * A cache that lives only for the synchronous run that filled it: it is emptied in a
 * microtask, before any other callback (a request, a call event) can run. A burst of work done
 * in one go — a dialer step that originates a hundred calls — reads what the calls share once,
 * and nothing kept here can hide a change made by anything else, which runs later.
 */
export function turnMemo<K, V>(): (key: K, read: () => V) => V {
  const kept = new Map<K, V>();
  let clearing = false;
  return (key, read) => {
    if (kept.has(key)) return kept.get(key)!;
    const value = read();
    kept.set(key, value);
    if (!clearing) {
      clearing = true;
      queueMicrotask(() => {
        kept.clear();
        clearing = false;
      });
    }
    return value;
  };
}

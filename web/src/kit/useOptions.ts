import { onMounted, shallowRef } from 'vue';
import { can } from '@/auth/session';

/**
 * Choices for a select (teams, profiles, users): loaded once when the screen opens; a failure
 * leaves the list empty (the form still works, and the list's own error state says why).
 */
export function useOptions<T>(load: () => Promise<{ items: T[] }>) {
  const items = shallowRef<T[]>([]);
  const reload = async () => {
    items.value = await load()
      .then((p) => p.items)
      .catch(() => []);
  };
  onMounted(() => void reload());
  return { items, reload };
}

/**
 * Choices from another module's list: empty, without asking, for a user who may not read
 * `module` (the request would only answer 403, and the form is still usable without them).
 */
export function useReadableOptions<T>(module: string, load: () => Promise<{ items: T[] }>) {
  return useOptions(() => (can({ module, action: 'read' }) ? load() : Promise.resolve({ items: [] as T[] })));
}

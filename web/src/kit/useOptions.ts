import { onMounted, shallowRef } from 'vue';

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

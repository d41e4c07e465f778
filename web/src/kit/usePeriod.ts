import { computed, ref, shallowRef } from 'vue';

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/**
 * A report's period as the user picks it: two days in the browser's zone (the last `days` up to
 * today by default), and the instants the API takes (`to` is the end of its day).
 */
export function usePeriod(days = 7) {
  const today = new Date();
  const from = ref(day(new Date(today.getTime() - (days - 1) * 86_400_000)));
  const to = ref(day(today));
  const range = computed(() => ({ from: new Date(`${from.value}T00:00`).toISOString(), to: new Date(new Date(`${to.value}T00:00`).getTime() + 86_400_000).toISOString() }));
  return { from, to, range };
}

/** A download link's URL: `path` with the query's defined values. */
export function csvHref(path: string, query: Record<string, string | number | undefined>): string {
  const params = Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]));
  return `${path}?${new URLSearchParams(params).toString()}`;
}

/** A report's figures: fetched by `load` (again on each "Mostrar"), with its error and loading state. */
export function useReport<T>(fetch: () => Promise<T>) {
  const data = shallowRef<T | null>(null);
  const error = ref<unknown>(null);
  const loading = ref(false);
  async function load(): Promise<void> {
    loading.value = true;
    try {
      data.value = await fetch();
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }
  return { data, error, loading, load };
}

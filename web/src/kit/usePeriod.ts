import { computed, ref, shallowRef } from 'vue';

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** What is wrong with a period as typed: a day left empty, or an end before the start. */
export type PeriodProblem = { field: 'from' | 'to'; reason: 'missing' | 'endsBefore' };

/**
 * A report's period as the user picks it: two days in the browser's zone (the last `days` up to
 * today by default), what is wrong with them, and the instants the API takes (`to` is the end of
 * its day; while a day is missing, the default one stands in — the filters ask nothing then).
 */
export function usePeriod(days = 7) {
  const today = new Date();
  const first = day(new Date(today.getTime() - (days - 1) * 86_400_000));
  const last = day(today);
  const from = ref(first);
  const to = ref(last);
  const problem = computed<PeriodProblem | null>(() => {
    if (!from.value) return { field: 'from', reason: 'missing' };
    if (!to.value) return { field: 'to', reason: 'missing' };
    return to.value < from.value ? { field: 'to', reason: 'endsBefore' } : null;
  });
  const range = computed(() => ({
    from: new Date(`${from.value || first}T00:00`).toISOString(),
    to: new Date(new Date(`${to.value || last}T00:00`).getTime() + 86_400_000).toISOString(),
  }));
  return { from, to, problem, range };
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

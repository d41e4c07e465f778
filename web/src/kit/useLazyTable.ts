import { computed, onMounted, reactive, ref, shallowRef, watch, type UnwrapNestedRefs } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { DataTablePageEvent, DataTableSortEvent } from 'primevue/datatable';

/** How a filter is written in the URL: text, a whole number, yes/no, or a date-time (ISO 8601). */
export type FilterKind = 'text' | 'int' | 'bool' | 'date';
type FilterValue<K extends FilterKind> = K extends 'int' ? number : K extends 'bool' ? boolean : K extends 'date' ? Date : string;
export type FilterValues<S extends Record<string, FilterKind>> = { [K in keyof S]: FilterValue<S[K]> | null };

export interface Page<T> {
  items: T[];
  total: number;
}

export interface LazyTableOptions<T, S extends Record<string, FilterKind>> {
  /** The filters of this list and their kinds. */
  filters: S;
  /** Loads one page. `filters` holds only the filters that are set; `sort` is `field` or `-field`. */
  load: (q: { limit: number; offset: number; filters: Partial<FilterValues<S>>; sort?: string }) => Promise<Page<T>>;
  rows?: number;
}

function fromQuery(kind: FilterKind, raw: unknown): FilterValue<FilterKind> | null {
  if (typeof raw !== 'string' || raw === '') return null;
  switch (kind) {
    case 'int':
      return /^\d+$/.test(raw) ? Number(raw) : null;
    case 'bool':
      return raw === 'true' ? true : raw === 'false' ? false : null;
    case 'date': {
      const d = new Date(raw);
      return Number.isNaN(d.getTime()) ? null : d;
    }
    default:
      return raw;
  }
}

const toQuery = (v: unknown): string | undefined =>
  v === null || v === undefined || v === '' ? undefined : v instanceof Date ? v.toISOString() : String(v);

/**
 * A server-paged list for PrimeVue's DataTable in lazy mode: page, page size, order and filters live in
 * the URL (a reload or a shared link shows the same page), loading / error / empty states, and
 * `reload()` for live updates and after a save.
 *
 *   const table = useLazyTable({ filters: { level: 'text' }, load: ({ limit, offset, filters }) => … });
 *   <DataTable lazy :value="table.items.value" :total-records="table.total.value" :first="table.first.value"
 *              :rows="table.rows.value" :loading="table.loading.value" paginator @page="table.onPage" />
 */
export function useLazyTable<T, S extends Record<string, FilterKind>>(options: LazyTableOptions<T, S>) {
  const route = useRoute();
  const router = useRouter();
  const kinds = options.filters;
  const readFilters = (q: LocationQuery) =>
    Object.fromEntries(Object.entries(kinds).map(([k, kind]) => [k, fromQuery(kind, q[k])])) as FilterValues<S>;

  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const rows = ref(Number(route.query.rows) || options.rows || 20);
  const first = ref(Number(route.query.first) || 0);
  /** Server-side order, as the API takes it: `name` ascending, `-name` descending. */
  const sort = ref(typeof route.query.sort === 'string' ? route.query.sort : '');
  const sortField = computed(() => sort.value.replace(/^-/, '') || undefined);
  const sortOrder = computed(() => (sort.value === '' ? undefined : sort.value.startsWith('-') ? -1 : 1));
  /** What the filter controls edit; applied to the URL (and the list) by `applyFilters`. */
  const filters = reactive(readFilters(route.query)) as UnwrapNestedRefs<FilterValues<S>>;
  /** The filters the list on screen was loaded with (the URL's), not the ones being edited. */
  const applied = computed(() => readFilters(route.query));
  let generation = 0;

  async function reload(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const active = Object.fromEntries(
        Object.entries(readFilters(route.query)).filter(([, v]) => v !== null),
      ) as Partial<FilterValues<S>>;
      const page = await options.load({ limit: rows.value, offset: first.value, filters: active, ...(sort.value ? { sort: sort.value } : {}) });
      if (mine !== generation) return;
      // Past the end (rows deleted elsewhere): go back to the last page that has rows.
      if (page.items.length === 0 && page.total > 0 && first.value > 0) {
        first.value = Math.max(0, Math.floor((page.total - 1) / rows.value) * rows.value);
        return void writeUrl();
      }
      items.value = page.items;
      total.value = page.total;
      error.value = null;
    } catch (e) {
      if (mine === generation) error.value = e;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function writeUrl(): void {
    const query: Record<string, string | undefined> = { ...(route.query as Record<string, string>) };
    for (const k of Object.keys(kinds)) query[k] = toQuery((filters as Record<string, unknown>)[k]);
    query.first = first.value > 0 ? String(first.value) : undefined;
    query.rows = rows.value !== (options.rows ?? 20) ? String(rows.value) : undefined;
    query.sort = sort.value || undefined;
    void router.replace({ query });
  }

  function onPage(e: DataTablePageEvent): void {
    first.value = e.first;
    rows.value = e.rows;
    writeUrl();
  }

  function onSort(e: DataTableSortEvent): void {
    const field = typeof e.sortField === 'string' ? e.sortField : '';
    sort.value = field === '' || !e.sortOrder ? '' : `${e.sortOrder < 0 ? '-' : ''}${field}`;
    first.value = 0;
    writeUrl();
  }

  function applyFilters(): void {
    first.value = 0;
    writeUrl();
  }

  function clearFilters(): void {
    for (const k of Object.keys(kinds)) (filters as Record<string, unknown>)[k] = null;
    applyFilters();
  }

  // The URL is the source of truth: back/forward and reloads show what it says.
  const ownKeys = [...Object.keys(kinds), 'first', 'rows', 'sort'];
  watch(
    () => JSON.stringify(ownKeys.map((k) => route.query[k] ?? null)),
    () => {
      const q = route.query;
      first.value = Number(q.first) || 0;
      rows.value = Number(q.rows) || options.rows || 20;
      sort.value = typeof q.sort === 'string' ? q.sort : '';
      Object.assign(filters, readFilters(q));
      void reload();
    },
  );
  onMounted(() => void reload());

  return { items, total, loading, error, rows, first, sortField, sortOrder, filters, applied, reload, onPage, onSort, applyFilters, clearFilters };
}

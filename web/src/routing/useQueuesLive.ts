import { onMounted, onUnmounted, ref } from 'vue';
import { duration } from '@/kit/format';
import { api, ok, type Json } from '@/api/client';
import { subscribe } from '@/events/socket';
import { SeenCustomers } from './seen';

export type QueueLive = Json<'/api/v1/queues/live', 'get'>['items'][number];
export type QueueMetrics = Json<'/api/v1/queues/today', 'get'>['items'][number];
export type Waiting = QueueLive['waiting'][number];

export type FigureKey = 'waiting' | 'longestWait' | 'serviceLevel' | 'asa' | 'aht' | 'abandoned';

/** A percentage for a figure, or a dash when unknown. */
const percent = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)}%`);

/**
 * The day's figures (the panel's metrics, the charts) are read again from the server, where they
 * are recomputed from every interaction of the day, this long after a queue's change: a burst of
 * changes is one read.
 */
export const READ_AFTER_MS = 2000;

/** How often customers seen waiting are swept: one gone is forgotten at the second sweep. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Every queue now: the REST snapshot, replaced one queue at a time by the `queues` topic's
 * `queue.changed`, loaded again when the socket reconnects. Hooks: `queue` hears each queue that
 * arrives (in a snapshot or an event), `loaded` each snapshot, `changed` each event.
 */
export function useQueueSnapshot(hooks: { queue?: (q: QueueLive) => void; loaded?: () => void; changed?: () => void } = {}) {
  const queues = ref<QueueLive[]>([]);
  const loading = ref(true);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      queues.value = (await ok(api.GET('/api/v1/queues/live'))).items;
      if (hooks.queue) queues.value.forEach(hooks.queue);
    } finally {
      loading.value = false;
    }
    hooks.loaded?.();
  }

  onQueueChanges(
    () => void load(),
    (q) => {
      hooks.queue?.(q);
      const i = queues.value.findIndex((x) => x.queueId === q.queueId);
      if (i >= 0) queues.value.splice(i, 1, q);
      else void load();
      hooks.changed?.();
    },
  );
  return { queues, loading };
}

/**
 * While the component is mounted: `load` now and after each reconnect of the events socket,
 * `changed` with each queue of the `queues` topic's `queue.changed`, and `hidden` (by default
 * `load`) when a queue was deleted or one of the viewer's teams no longer works it
 * (`queue.hidden`: the server no longer pushes that queue to everyone who had it).
 */
export function onQueueChanges(load: () => void, changed: (q: QueueLive) => void, hidden: (queueId: number) => void = load): void {
  let stop: (() => void) | undefined;
  onMounted(() => {
    load();
    stop = subscribe(
      'queues',
      (m) => {
        const q = m.data?.queue as QueueLive | undefined;
        if (m.type === 'queue.changed' && q) changed(q);
        else if (m.type === 'queue.hidden' && typeof m.data?.queueId === 'number') hidden(m.data.queueId);
      },
      load,
    );
  });
  onUnmounted(() => stop?.());
}

/**
 * Every queue now, for the supervisor's panel and the wallboard: the live snapshot
 * (`useQueueSnapshot`); today's metrics (service level, ASA, handle time, abandons: the live
 * snapshot has none of them) reloaded after changes; a clock ticking each second so that waits
 * count up between events; and the customers seen waiting by interaction, with their queue, so
 * that a panel can still name them once an agent has taken them. `inService` names the
 * interactions agents hold now: the customers neither waiting nor held are forgotten.
 */
export function useQueuesLive(inService: () => Iterable<string> = () => []) {
  const metrics = ref(new Map<number, QueueMetrics>());
  /** false: the day's figures could not be read: they show as unknown. */
  const metricsOk = ref(true);
  const now = ref(Date.now());
  const seen = new SeenCustomers<Waiting>();

  let metricsTimer: number | undefined;
  const metricsSoon = () => {
    if (metricsTimer === undefined) {
      metricsTimer = window.setTimeout(() => {
        metricsTimer = undefined;
        void loadMetrics();
      }, READ_AFTER_MS);
    }
  };
  const { queues, loading } = useQueueSnapshot({
    queue: (q) => seen.remember(q.queueId, q.waiting),
    loaded: () => void loadMetrics(),
    changed: metricsSoon,
  });

  const sweep = () => seen.sweep([...inService(), ...queues.value.flatMap((q) => q.waiting.map((w) => w.id))]);

  /** Today is the tenant's (`ATENDE_TIMEZONE`), from its local midnight: the server says which day. */
  async function loadMetrics(): Promise<void> {
    try {
      const items = (await ok(api.GET('/api/v1/queues/today'))).items;
      metrics.value = new Map(items.map((m) => [m.queueId, m]));
      metricsOk.value = true;
    } catch {
      metricsOk.value = false;
    }
  }

  let tick: number | undefined;
  let sweeper: number | undefined;
  onMounted(() => {
    tick = window.setInterval(() => (now.value = Date.now()), 1000);
    sweeper = window.setInterval(sweep, SWEEP_EVERY_MS);
  });
  onUnmounted(() => {
    window.clearInterval(tick);
    window.clearInterval(sweeper);
    window.clearTimeout(metricsTimer);
  });

  /** Seconds since an instant, by the ticking clock. */
  const since = (iso: string) => Math.max(0, Math.floor((now.value - Date.parse(iso)) / 1000));
  /** The longest wait now: the earliest arrival still waiting. */
  const longestWait = (q: QueueLive) => (q.waiting.length === 0 ? null : Math.max(...q.waiting.map((w) => since(w.enteredAt))));
  const customerOf = (interactionId: string) => seen.get(interactionId);

  /**
   * A queue's headline figures: live ones from the snapshot, the day's (service level, ASA,
   * handle time, abandons) from the metrics. The snapshot's handle time is a smoothed estimate
   * for announcements that starts from a default, not a measure a supervisor should read.
   */
  function figures(q: QueueLive): { key: FigureKey; value: string }[] {
    const m = metrics.value.get(q.queueId);
    const day = metricsOk.value ? m : undefined;
    const secs = (v: number | null | undefined) => duration(v === null || v === undefined ? null : Math.round(v));
    return [
      { key: 'waiting', value: String(q.waiting.length) },
      { key: 'longestWait', value: duration(longestWait(q)) },
      { key: 'serviceLevel', value: percent(day?.serviceLevel) },
      { key: 'asa', value: secs(day?.asaSeconds) },
      { key: 'aht', value: secs(day?.ahtSeconds) },
      { key: 'abandoned', value: day ? String(day.abandoned) : '—' },
    ];
  }

  return { queues, metricsOk, loading, since, customerOf, figures };
}


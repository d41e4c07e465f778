import { computed, onMounted, shallowRef } from 'vue';
import { api, ok } from '@/api/client';
import { DESTINATION_KINDS, ROW_DESTINATION_KINDS, type DestinationKind } from '@server/calls/destination.model';

/**
 * The one destination type of every form that routes a call (inbound routes, announcements,
 * IVR options, time conditions, queues' overflow), as the API carries it: the kind and the one
 * field that kind uses. The rules are the server's.
 */
export { DESTINATION_KINDS, ROW_DESTINATION_KINDS, type DestinationKind };

export interface DestinationInput {
  kind: DestinationKind;
  id?: number;
  number?: string;
  cause?: number;
}

/** Rows a destination may name, by kind, as the picker lists them. */
export type DestinationChoices = Partial<Record<DestinationKind, { id: number; label: string }[]>>;

/** The request's destination from a form: only the field its kind uses (the picker trims the number). */
export function destinationBody(d: DestinationInput): DestinationInput {
  switch (d.kind) {
    case 'external':
      return { kind: d.kind, number: d.number ?? '' };
    case 'hangup':
      return d.cause === undefined ? { kind: d.kind } : { kind: d.kind, cause: d.cause };
    default:
      return d.id === undefined ? { kind: d.kind } : { kind: d.kind, id: d.id };
  }
}

const ALL = { params: { query: { limit: 500 } } };

/**
 * The rows of every kind a destination may name, loaded when the screen opens (a list the user
 * may not read stays empty) unless `manual` (the caller's own `reload()` loads them then).
 */
export function useDestinationChoices(opts: { manual?: boolean } = {}) {
  const rows = shallowRef<DestinationChoices>({});
  const quietly = <T>(p: Promise<{ items: T[] }>) => p.then((r) => r.items).catch(() => [] as T[]);
  async function reload(): Promise<void> {
    const [ivr, queue, extension, timeCondition, announcement, conference, voicemail] = await Promise.all([
      quietly(ok(api.GET('/api/v1/flows/ivrs', ALL))),
      quietly(ok(api.GET('/api/v1/queues', ALL))),
      quietly(ok(api.GET('/api/v1/telephony/extensions', ALL))),
      quietly(ok(api.GET('/api/v1/flows/time-conditions', ALL))),
      quietly(ok(api.GET('/api/v1/telephony/announcements', ALL))),
      quietly(ok(api.GET('/api/v1/telephony/conferences', ALL))),
      quietly(ok(api.GET('/api/v1/flows/voicemail-boxes', ALL))),
    ]);
    rows.value = {
      ivr: ivr.map((r) => ({ id: r.id, label: r.name })),
      queue: queue.map((r) => ({ id: r.id, label: `${r.number} ${r.name}` })),
      extension: extension.map((r) => ({ id: r.id, label: `${r.number} ${r.displayName}` })),
      time_condition: timeCondition.map((r) => ({ id: r.id, label: r.name })),
      announcement: announcement.map((r) => ({ id: r.id, label: r.name })),
      conference: conference.map((r) => ({ id: r.id, label: `${r.number} ${r.name}` })),
      voicemail: voicemail.map((r) => ({ id: r.id, label: r.name })),
    };
  }
  if (!opts.manual) onMounted(() => void reload());
  /** Names of the rows by kind and id, for showing where a destination leads. */
  const names = computed(() => Object.fromEntries(Object.entries(rows.value).map(([kind, list]) => [kind, new Map(list.map((r) => [r.id, r.label]))])) as Partial<Record<DestinationKind, ReadonlyMap<number, string>>>);
  return { choices: rows, names, reload };
}

/** The server's error for a destination field, whichever of its parts it names (`destination.id`…). */
export function destinationError(errors: Record<string, string | undefined>, field: string): string | undefined {
  return errors[field] ?? errors[`${field}.kind`] ?? errors[`${field}.id`] ?? errors[`${field}.number`] ?? errors[`${field}.cause`];
}

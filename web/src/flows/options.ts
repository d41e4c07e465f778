import { computed, onMounted, shallowRef } from 'vue';
import { api, ok } from '@/api/client';
import type { RowNames } from './flows';

const ALL = { limit: 500 };

/**
 * What the flow editors choose from: the rows destinations may point at (IVRs, time
 * conditions, voicemail boxes, surveys), the tenant's prompts and Atende's own. Loaded when the
 * screen opens; `reload()` after a change elsewhere.
 */
export function useFlowChoices() {
  const ivrs = shallowRef<{ id: number; name: string }[]>([]);
  const timeConditions = shallowRef<{ id: number; name: string }[]>([]);
  const voicemail = shallowRef<{ id: number; name: string }[]>([]);
  const surveys = shallowRef<{ id: number; name: string }[]>([]);
  const calendars = shallowRef<{ id: number; name: string }[]>([]);
  const prompts = shallowRef<{ id: number; name: string }[]>([]);
  const sounds = shallowRef<string[]>([]);
  const quietly = <T>(p: Promise<{ items: T[] }>) => p.then((r) => r.items).catch(() => [] as T[]);

  async function reload(): Promise<void> {
    const [a, b, c, d, e, f, g] = await Promise.all([
      quietly(ok(api.GET('/api/v1/flows/ivrs', { params: { query: ALL } }))),
      quietly(ok(api.GET('/api/v1/flows/time-conditions', { params: { query: ALL } }))),
      quietly(ok(api.GET('/api/v1/flows/voicemail-boxes', { params: { query: ALL } }))),
      quietly(ok(api.GET('/api/v1/flows/surveys', { params: { query: ALL } }))),
      quietly(ok(api.GET('/api/v1/flows/holiday-calendars', { params: { query: ALL } }))),
      quietly(ok(api.GET('/api/v1/telephony/prompts', { params: { query: ALL } }))),
      ok(api.GET('/api/v1/flows/sounds'))
        .then((r) => r.names)
        .catch(() => [] as string[]),
    ]);
    ivrs.value = a;
    timeConditions.value = b;
    voicemail.value = c;
    surveys.value = d;
    calendars.value = e;
    prompts.value = f;
    sounds.value = g;
  }
  onMounted(() => void reload());

  const byId = (list: { id: number; name: string }[]) => new Map(list.map((r) => [r.id, r.name]));
  const names = computed<RowNames>(() => ({ ivr: byId(ivrs.value), time_condition: byId(timeConditions.value), voicemail: byId(voicemail.value) }));
  return { ivrs, timeConditions, voicemail, surveys, calendars, prompts, sounds, names, reload };
}

export type FlowChoices = ReturnType<typeof useFlowChoices>;

import { onMounted, shallowRef } from 'vue';
import { api, ok } from '@/api/client';
import { useDestinationChoices } from '@/kit/destinations';

const ALL = { limit: 500 };

/**
 * What the flow editors choose from: the rows destinations may point at (every kind, the
 * picker's), surveys, holiday calendars, the tenant's prompts and Atende's own. Loaded when the
 * screen opens; `reload()` after a change elsewhere.
 */
export function useFlowChoices() {
  const destinations = useDestinationChoices({ manual: true });
  const surveys = shallowRef<{ id: number; name: string }[]>([]);
  const calendars = shallowRef<{ id: number; name: string }[]>([]);
  const prompts = shallowRef<{ id: number; name: string }[]>([]);
  const sounds = shallowRef<string[]>([]);
  const quietly = <T>(p: Promise<{ items: T[] }>) => p.then((r) => r.items).catch(() => [] as T[]);

  async function reload(): Promise<void> {
    const [, d, e, f, g] = await Promise.all([
      destinations.reload(),
      quietly(ok(api.GET('/api/v1/flows/surveys', { params: { query: ALL } }))),
      quietly(ok(api.GET('/api/v1/flows/holiday-calendars', { params: { query: ALL } }))),
      quietly(ok(api.GET('/api/v1/telephony/prompts', { params: { query: ALL } }))),
      ok(api.GET('/api/v1/flows/sounds'))
        .then((r) => r.names)
        .catch(() => [] as string[]),
    ]);
    surveys.value = d;
    calendars.value = e;
    prompts.value = f;
    sounds.value = g;
  }
  onMounted(() => void reload());

  return { destinations: destinations.choices, names: destinations.names, surveys, calendars, prompts, sounds, reload };
}

export type FlowChoices = ReturnType<typeof useFlowChoices>;

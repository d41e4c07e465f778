import { computed, inject, ref, type InjectionKey, type Ref } from 'vue';
import { api, ok, type Json } from '@/api/client';
import { can } from '@/auth/session';
import { dial, webphone } from '@/webphone/phone';

type Agent = Json<'/api/v1/agent', 'get'>;
export type PhoneMode = 'webphone' | 'other_tab' | 'softphone';

/** The desk's agent, provided by the desk page to what it holds (click-to-call buttons). */
export const DESK_AGENT: InjectionKey<Ref<Agent | null>> = Symbol('desk agent');

/**
 * Which phone carries the agent's calls: this tab's webphone (registered as the agent's
 * extension), the webphone of another tab, or — the extension registered by something else —
 * a softphone or desk phone. Null: none is registered.
 */
export function phoneModeOf(agent: Pick<Agent, 'extension' | 'registered'> | null): PhoneMode | null {
  if (webphone.registration === 'registered' && (!agent?.extension || webphone.extension === agent.extension)) return 'webphone';
  if (webphone.registration === 'other_tab') return 'other_tab';
  if (agent?.registered) return 'softphone';
  return null;
}

const busyWebphone = () => ['ringing', 'active', 'connecting', 'calling'].includes(webphone.call.state);

/**
 * Calling a number from the desk: the webphone of this tab dials it; with a softphone or desk
 * phone the server rings that phone first (answer it, and the number is dialled). Only for
 * users allowed to call outside, logged in and not already on a call.
 */
export function useManualCall() {
  const agent = inject(DESK_AGENT, ref(null));
  const mode = computed(() => phoneModeOf(agent.value));
  const placing = ref(false);
  const ready = computed(() => {
    const a = agent.value;
    if (mode.value === 'webphone') return !busyWebphone();
    if (mode.value !== 'softphone' || !a || !can({ module: 'dialout', action: 'write' })) return false;
    return a.state !== 'offline' && a.state !== 'busy' && a.state !== 'offered' && !placing.value;
  });
  /** Answers the number the server will dial (softphone), or undefined (the webphone dials it itself). */
  async function call(number: string, contactId?: number | null): Promise<string | undefined> {
    if (mode.value === 'webphone') {
      dial(number);
      return undefined;
    }
    placing.value = true;
    try {
      const placed = await ok(api.POST('/api/v1/agent/dial', { body: { number, ...(contactId != null ? { contactId } : {}) } }));
      return placed.number;
    } finally {
      placing.value = false;
    }
  }
  return { mode, ready, placing, call };
}

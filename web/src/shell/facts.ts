import { reactive } from 'vue';
import { api, ok } from '@/api/client';
import type { ServerFacts } from '@/kit/area';

/** What the shell knows about this server (filled after login). */
export const serverFacts = reactive<ServerFacts>({ emulator: false });

/** The emulator's control surface exists only in emulator mode. */
export async function loadServerFacts(): Promise<void> {
  serverFacts.emulator = await ok(api.GET('/api/v1/emulator/channels'))
    .then(() => true)
    .catch(() => false);
}

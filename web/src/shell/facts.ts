import { reactive } from 'vue';
import { api, ok } from '@/api/client';
import { can } from '@/auth/session';
import type { ServerFacts } from '@/kit/area';

/** What the shell knows about this server (filled after login). */
export const serverFacts = reactive<ServerFacts>({ emulator: false });

/**
 * Emulator mode, from `GET /system` when the profile may read it; otherwise from whether the
 * emulator's control surface answers (it exists in emulator mode only).
 */
export async function loadServerFacts(): Promise<void> {
  if (can({ module: 'system', action: 'read' })) {
    serverFacts.emulator = await ok(api.GET('/api/v1/system'))
      .then((s) => s.telephony.mode === 'emulator')
      .catch(() => false);
    return;
  }
  serverFacts.emulator =
    can({ module: 'emulator', action: 'read' }) &&
    (await ok(api.GET('/api/v1/emulator/channels'))
      .then(() => true)
      .catch(() => false));
}

import type { ToastServiceMethods } from 'primevue/toastservice';
import { i18n } from '@/i18n';
import { ApiError } from '@/api/client';

let toast: ToastServiceMethods | undefined;

/** App.vue hands over PrimeVue's toast service once it exists. */
export const useToastService = (service: ToastServiceMethods): void => {
  toast = service;
};

const LIFE = 5000;

export const notifySuccess = (text: string): void => toast?.add({ severity: 'success', summary: text, life: 3000 });
export const notifyError = (text: string): void => toast?.add({ severity: 'error', summary: text, life: LIFE });
export const notifyInfo = (text: string): void => toast?.add({ severity: 'info', summary: text, life: LIFE });

/**
 * The message a person reads for an error the screen does not handle itself: the server's own
 * words for what they did wrong (4xx) or for what a system behind it answered (502), a generic
 * sentence for a server failure (other 5xx, never its details), and the reconnecting notice when the server is unreachable.
 */
export function errorText(e: unknown): string {
  const t = i18n.global.t;
  if (!(e instanceof ApiError)) return t('common.states.error');
  if (e.unreachable) return t('common.states.unreachable');
  // 502: a system behind the daemon (the mail server) refused; its answer helps the admin.
  if (e.status === 502) return t('common.states.upstream', { message: e.message });
  if (e.status >= 500) return t('common.states.error');
  if (e.status === 403) return t('common.states.forbidden');
  if (e.status === 404) return t('common.states.notFound');
  if (e.status === 409) return t('common.states.conflict', { message: e.message });
  if (e.status === 429) return t('common.states.tooMany', { seconds: e.retryAfterSeconds ?? 60 });
  return t('common.states.invalid', { message: e.message });
}

/** Shows `errorText(e)` as a toast; a 401 is left to the session (it sends the user to log in). */
export function reportError(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) return;
  notifyError(errorText(e));
}

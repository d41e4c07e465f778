import { reactive } from 'vue';
import { allows } from '@server/auth/permissions';
import { api, ApiError, ok, onApiAnswer, type Json } from '@/api/client';
import type { Access } from '@/kit/area';

export type Me = Json<'/api/v1/me', 'get'>;

/** Who is logged in. `checked` turns true once the server has been asked. */
export const session = reactive<{ me: Me | null; checked: boolean }>({ me: null, checked: false });

/** Asks the server who this browser is logged in as (null: nobody). Throws when unreachable. */
export async function loadSession(): Promise<Me | null> {
  try {
    session.me = await ok(api.GET('/api/v1/me'));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    session.me = null;
  }
  session.checked = true;
  return session.me;
}

export function signedIn(me: Me): void {
  session.me = me;
  session.checked = true;
}

/** Does the logged-in user's profile allow `access`? Super users may do everything. */
export function can(access: Access | undefined): boolean {
  const me = session.me;
  if (!me) return false;
  if (!access || me.superUser) return true;
  return allows(me.permissions, access);
}

export async function logout(): Promise<void> {
  await ok(api.POST('/api/v1/auth/logout')).catch(() => undefined);
  session.me = null;
}

type ExpiryHandler = (reason: 'expired' | 'password') => void;
let expiryHandler: ExpiryHandler | undefined;

/** The router decides where an ended session or a forced password change leads. */
export const onSessionInterrupted = (handler: ExpiryHandler): void => {
  expiryHandler = handler;
};

onApiAnswer((status, error, url) => {
  if (!session.me) return;
  // A 401 anywhere but the login itself: the session expired or was ended (logout elsewhere,
  // password changed, an admin deactivated the user).
  if (status === 401 && !url.includes('/api/v1/auth/login')) {
    session.me = null;
    expiryHandler?.('expired');
  } else if (status === 403 && error?.code === 'password_change_required') {
    session.me = { ...session.me, passwordChangeRequired: true };
    expiryHandler?.('password');
  }
});

import type { User } from '../org/index.js';

/** The session cookie. HttpOnly and SameSite=Strict always; Secure when `http.cookieSecure`. */
export const SESSION_COOKIE = 'atende_session';

/** How long the second login step (TOTP code) may follow the password step. */
export const TOTP_CHALLENGE_TTL_MS = 5 * 60_000;

/** A sliding session is extended at most this often, to avoid a write on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

export const RECOVERY_CODE_COUNT = 10;

/** Ended sessions are kept this long (for "where was I logged in" questions), then deleted. */
export const ENDED_SESSION_RETENTION_MS = 30 * 24 * 60 * 60_000;

export interface RequestMeta {
  ip: string;
  userAgent?: string | undefined;
}

export interface TenantRef {
  id: number;
  legalName: string;
  active: boolean;
}

/** What `/me` and a successful login answer. */
export interface Me extends User {
  permissions: string[];
  totpEnabled: boolean;
  /** The user's own tenant. */
  tenant: TenantRef;
  /** The tenant requests act on when they name none (a super user's choice, else `tenant`). */
  activeTenant: TenantRef;
  /** Super users only: every tenant they may switch to (`PUT /api/v1/me/tenant`). */
  switchableTenants?: TenantRef[];
}

export type LoginOutcome =
  | { kind: 'session'; token: string; me: Me }
  | { kind: 'totp'; challenge: string };

/** Password links: "forgot password" resets a user asks for, first-access links an admin sends. */

export type LinkPurpose = 'reset' | 'first_access';

/** What the page behind a link shows before the user types a new password. */
export interface LinkInfo {
  purpose: LinkPurpose;
  login: string;
  name: string;
  /** ISO 8601. */
  expiresAt: string;
}

/** "Forgot password" requests allowed per address and per identifier in the window; more get 429. */
export const FORGOT_MAX_REQUESTS = 5;
/** Reset mails one user receives at most in the window; more requests are answered the same and mail nothing. */
export const FORGOT_MAX_MAILS_PER_USER = 3;
export const FORGOT_WINDOW_MS = 15 * 60_000;

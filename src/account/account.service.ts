import { createHash, randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { FailureCounter, hashPassword, type AuthService } from '../auth/index.js';
import type { Config } from '../config/index.js';
import type { Database_ } from '../db/client.js';
import type { ChangeContext } from '../http/principal.js';
import { AppError, conflict, invalidField, tooManyRequests, type Clock, type Logger } from '../kernel/index.js';
import { mailNotConfigured, type MailService } from '../mail/index.js';
import type { OrgService } from '../org/index.js';
import { accessMail, linkFor, resetMail } from './account.logic.js';
import { FORGOT_MAX_MAILS_PER_USER, FORGOT_MAX_REQUESTS, FORGOT_WINDOW_MS, type LinkInfo, type LinkPurpose } from './account.model.js';
import { AccountRepo, type PasswordTokenRow } from './account.repo.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

const publicUrlMissing = () =>
  new AppError('public_url_missing', 'links cannot be mailed until ATENDE_PUBLIC_URL says where users reach Atende', 409);

/** One message for every link that cannot be used: no hint whether it existed. */
const badLink = () => invalidField('token', 'this link is invalid, was already used or has expired; ask for a new one');

/**
 * Password links: a user who forgot the password asks for a reset link; an admin mails a new
 * user a first-access link. A link works once, until it expires; only its SHA-256 is stored.
 * Setting the password through it ends every session of the user. The TOTP step, when enrolled,
 * still follows at the next login: a mailbox alone never opens an account with a second factor.
 */
export class AccountService {
  private readonly repo: AccountRepo;
  /** Requests to mail a reset, per address and per identifier (429 beyond the limit). */
  private readonly forgotRequests: FailureCounter;
  /** Reset mails per user (silently none beyond the limit: a 429 would tell that the user exists). */
  private readonly resetMails: FailureCounter;
  /** Unusable links presented, per address. */
  private readonly badLinks: FailureCounter;

  constructor(
    private readonly deps: { config: Config; database: Database_; clock: Clock; logger: Logger },
    private readonly org: OrgService,
    private readonly auth: AuthService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {
    this.repo = new AccountRepo(deps.database.db);
    this.forgotRequests = new FailureCounter(deps.clock, { maxFailures: FORGOT_MAX_REQUESTS, windowMs: FORGOT_WINDOW_MS });
    this.resetMails = new FailureCounter(deps.clock, { maxFailures: FORGOT_MAX_MAILS_PER_USER, windowMs: FORGOT_WINDOW_MS });
    const { loginMaxFailures, loginWindowSeconds } = deps.config.auth;
    this.badLinks = new FailureCounter(deps.clock, { maxFailures: loginMaxFailures, windowMs: loginWindowSeconds * 1000 });
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  /** A new link for the user; older unused links stop working. Answers the token (to mail) and its row. */
  private issue(userId: number, tenantId: number, purpose: LinkPurpose, validMs: number, createdBy: number | null): { token: string; row: PasswordTokenRow } {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const row = this.deps.database.sqlite.transaction(() => {
      this.repo.retireAll(userId, now);
      return this.repo.insert({ tenantId, userId, tokenHash: sha256(token), purpose, createdAt: now, expiresAt: now + validMs, createdBy });
    })();
    return { token, row };
  }

  /**
   * "Forgot password": mails a reset link when the identifier names exactly one active user
   * with an e-mail, and does nothing otherwise. The caller answers the same in every case, so
   * this never tells whether an account exists; the mail goes out in the background so that
   * the answer takes no longer for a real account.
   */
  requestReset(identifier: string, ip: string): void {
    const keys = [`ip:${ip}`, `id:${identifier.trim().toLowerCase()}`];
    const wait = Math.max(...keys.map((k) => this.forgotRequests.retryAfterSeconds(k)));
    if (wait > 0) throw tooManyRequests(`too many password reset requests; try again in ${wait} s`, wait);
    for (const k of keys) this.forgotRequests.fail(k);

    const user = this.org.userForLogin(identifier);
    const tenant = user && this.org.repo.getTenant(user.tenantId);
    if (!user || !user.active || !tenant?.active || !user.email) {
      this.log.info({ ip }, 'password reset asked for no reachable user; nothing mailed');
      return;
    }
    const publicUrl = this.deps.config.http.publicUrl;
    if (!publicUrl || !this.mail.configured()) {
      this.log.warn({ userId: user.id }, 'password reset asked, but mail or ATENDE_PUBLIC_URL is not configured; nothing mailed');
      return;
    }
    const userKey = `user:${user.id}`;
    if (this.resetMails.retryAfterSeconds(userKey) > 0) {
      this.log.warn({ userId: user.id, ip }, 'password reset asked too often for one user; nothing mailed');
      return;
    }
    this.resetMails.fail(userKey);
    const minutes = this.deps.config.auth.passwordResetMinutes;
    const { token } = this.issue(user.id, user.tenantId, 'reset', minutes * 60_000, null);
    this.log.info({ userId: user.id, tenantId: user.tenantId }, 'password reset link issued');
    const mail = resetMail({ to: user.email, name: user.name, login: user.login, link: linkFor(publicUrl, 'reset', token), validMinutes: minutes });
    // Failures are logged by the mail service; the user simply receives nothing and may ask again.
    void this.mail.send(mail).catch(() => undefined);
  }

  /** An admin mails a user a first-access link to set their password. */
  async sendAccessLink(ctx: ChangeContext, userId: number): Promise<{ sentTo: string; expiresAt: string }> {
    const user = this.org.manageableUser(ctx.actor, userId);
    if (!user.email) throw invalidField('email', 'the user has no e-mail address; set one first');
    if (!user.active) throw conflict('the user is inactive; activate it first', { field: 'active' });
    const publicUrl = this.deps.config.http.publicUrl;
    if (!publicUrl) throw publicUrlMissing();
    if (!this.mail.configured()) throw mailNotConfigured();
    const tenant = this.org.repo.getTenant(user.tenantId);
    const hours = this.deps.config.auth.accessLinkHours;
    const { token, row } = this.issue(user.id, user.tenantId, 'first_access', hours * 3_600_000, ctx.actor.userId);
    try {
      await this.mail.send(
        accessMail({ to: user.email, name: user.name, login: user.login, tenant: tenant?.legalName ?? '', link: linkFor(publicUrl, 'first_access', token), validHours: hours }),
      );
    } catch (err) {
      // A link nobody received must not stay usable.
      this.repo.use(row.id, this.deps.clock.now());
      throw err;
    }
    this.audit.record({
      tenantId: user.tenantId,
      actor: { userId: ctx.actor.userId, login: ctx.actor.login },
      entity: 'user',
      entityId: user.id,
      action: 'access_link_sent',
      after: { sentTo: user.email, expiresAt: new Date(row.expiresAt).toISOString() },
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
    return { sentTo: user.email, expiresAt: new Date(row.expiresAt).toISOString() };
  }

  /** The link's row when it can still be used; a 400 naming `token` (and a counted failure) otherwise. */
  private usable(token: string, ip: string): PasswordTokenRow {
    const key = `ip:${ip}`;
    const wait = this.badLinks.retryAfterSeconds(key);
    if (wait > 0) throw tooManyRequests(`too many invalid links; try again in ${wait} s`, wait);
    const row = this.repo.byHash(sha256(token));
    const user = row && this.org.repo.getUser(row.userId);
    const tenant = user && this.org.repo.getTenant(user.tenantId);
    if (!row || row.usedAt !== null || row.expiresAt <= this.deps.clock.now() || !user?.active || !tenant?.active) {
      this.badLinks.fail(key);
      throw badLink();
    }
    return row;
  }

  /** What the page behind a link shows (whose password it sets); 400 naming `token` when it cannot be used. */
  linkInfo(token: string, ip: string): LinkInfo {
    const row = this.usable(token, ip);
    const user = this.org.repo.getUser(row.userId)!;
    return { purpose: row.purpose, login: user.login, name: user.name, expiresAt: new Date(row.expiresAt).toISOString() };
  }

  /** Sets the password through a link, once; every session of the user ends. Answers the login. */
  async setPassword(token: string, newPassword: string, ip: string): Promise<{ login: string }> {
    this.usable(token, ip);
    const hash = await hashPassword(newPassword);
    return this.deps.database.sqlite.transaction(() => {
      // Checked again inside the transaction: the same link may have been used meanwhile.
      const row = this.usable(token, ip);
      const user = this.org.repo.getUser(row.userId)!;
      if (!this.repo.use(row.id, this.deps.clock.now())) throw badLink();
      this.repo.retireAll(user.id, this.deps.clock.now());
      this.auth.setPasswordFromLink(user.id, hash);
      this.audit.record({
        tenantId: user.tenantId,
        actor: { userId: user.id, login: user.login },
        entity: 'user',
        entityId: user.id,
        action: row.purpose === 'reset' ? 'password_reset_by_link' : 'password_set_by_access_link',
        ip,
      });
      this.log.info({ userId: user.id, tenantId: user.tenantId, purpose: row.purpose }, 'password set through a mailed link; sessions ended');
      return { login: user.login };
    })();
  }
}

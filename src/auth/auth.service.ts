import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { Database_ } from '../db/client.js';
import type { Principal } from '../http/principal.js';
import { AppError, conflict, invalidField, notFound, tooManyRequests, unauthorized, type Clock, type Logger } from '../kernel/index.js';
import { toUser, type Actor, type ChangeContext, type OrgService, type User } from '../org/index.js';
import {
  ENDED_SESSION_RETENTION_MS,
  RECOVERY_CODE_COUNT,
  SESSION_TOUCH_INTERVAL_MS,
  TOTP_CHALLENGE_TTL_MS,
  type LoginOutcome,
  type Me,
  type TenantRef,
  type RequestMeta,
} from './auth.model.js';
import { AuthRepo } from './auth.repo.js';
import { burnVerification, hashPassword, verifyPassword } from './password.js';
import { LoginLimits } from './rate-limit.js';
import { base32Encode, otpauthUri, verifyTotp } from './totp.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Same message for an unknown login and a wrong password: no hint which part was wrong. */
const BAD_CREDENTIALS = 'invalid login or password';

export const passwordChangeRequired = () =>
  new AppError('password_change_required', 'you must change your password before doing anything else', 403);

/** What the auth hook learns from a session token. */
export interface Authenticated {
  principal: Principal;
  permissions: readonly string[];
  passwordChangeRequired: boolean;
}

/** Recovery codes look like `k7m2p-q9x4t`: easy to type, ~50 bits each. */
function newRecoveryCode(): string {
  const s = base32Encode(randomBytes(7)).toLowerCase().slice(0, 10);
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
const normaliseRecoveryCode = (code: string): string => code.trim().toLowerCase().replace(/[\s-]/g, '');

/**
 * Login, sessions, password changes and TOTP. Holds the failed-login counters and pending
 * TOTP challenges in memory; one instance per app.
 */
export class AuthService {
  private readonly repo: AuthRepo;
  private readonly limits: LoginLimits;
  private readonly challenges = new Map<string, { userId: number; expiresAt: number }>();

  constructor(
    private readonly deps: { config: Config; database: Database_; clock: Clock; logger: Logger },
    private readonly org: OrgService,
    private readonly audit: AuditService,
  ) {
    this.repo = new AuthRepo(deps.database.db);
    const a = deps.config.auth;
    this.limits = new LoginLimits(deps.clock, {
      perLogin: a.loginMaxFailures,
      perAddress: a.loginMaxFailuresPerAddress,
      windowMs: a.loginWindowSeconds * 1000,
      maxLockoutMs: a.loginMaxLockoutSeconds * 1000,
    });
  }

  private get ttlMs(): number {
    return this.deps.config.auth.sessionTtlMinutes * 60_000;
  }

  private tx<T>(fn: () => T): T {
    return this.deps.database.sqlite.transaction(fn)();
  }

  /**
   * Refuses with 429 while the login or the address is locked out; otherwise counts the attempt
   * before the caller checks it (see rate-limit.ts), and returns it to be taken back on success.
   */
  private attempt(login: string | undefined, ip: string) {
    const wait = this.limits.retryAfterSeconds(login, ip);
    if (wait > 0) throw tooManyRequests(`too many failed logins; try again in ${wait} s`, wait);
    return this.limits.attempt(login, ip);
  }

  /** The user, its permissions and tenants; `activeTenantId` is the session's (default: its own tenant). */
  me(userId: number, activeTenantId?: number): Me {
    const row = this.org.repo.getUser(userId);
    if (!row) throw unauthorized();
    const totp = this.repo.totp(userId);
    const ref = (id: number): TenantRef => {
      const t = this.org.repo.getTenant(id);
      if (!t) throw unauthorized();
      return { id: t.id, legalName: t.legalName, active: t.active };
    };
    const tenant = ref(row.tenantId);
    return {
      ...toUser(row),
      permissions: [...this.org.permissionsOf(row)],
      totpEnabled: Boolean(totp?.enabledAt),
      tenant,
      activeTenant: activeTenantId === undefined || activeTenantId === row.tenantId ? tenant : ref(activeTenantId),
      ...(row.superUser ? { switchableTenants: this.org.repo.tenantRefs() } : {}),
    };
  }

  /**
   * Chooses the tenant this session acts on. Super users may choose any tenant; anyone else
   * only their own (naming another answers 404, as everywhere).
   */
  setActiveTenant(principal: Principal, tenantId: number): Me {
    if (tenantId !== principal.tenantId && !principal.superUser) throw notFound('tenant');
    if (!this.org.repo.getTenant(tenantId)) throw notFound('tenant');
    this.repo.setActiveTenant(principal.sessionId, tenantId === principal.tenantId ? null : tenantId);
    this.deps.logger.info({ userId: principal.userId, activeTenantId: tenantId }, 'session switched tenant');
    return this.me(principal.userId, tenantId);
  }

  /** `identifier` is a login name, e-mail, matrícula or CPF (see `OrgService.userForLogin`). */
  async login(identifier: string, password: string, meta: RequestMeta): Promise<LoginOutcome> {
    const user = this.org.userForLogin(identifier);
    // Failures count against the user however it was named, so that switching between its
    // login, e-mail, matrícula and CPF (or CPF masks) buys no extra guesses.
    const login = user?.login ?? identifier;
    const attempt = this.attempt(login, meta.ip);
    if (!user) {
      await burnVerification(password);
      throw unauthorized(BAD_CREDENTIALS);
    }
    const ok = await verifyPassword(user.passwordHash, password);
    const tenant = this.org.repo.getTenant(user.tenantId);
    if (!ok || !user.active || !tenant?.active) throw unauthorized(BAD_CREDENTIALS);
    attempt.succeeded();
    if (this.repo.totp(user.id)?.enabledAt) {
      const challenge = randomBytes(24).toString('base64url');
      this.pruneChallenges();
      this.challenges.set(sha256(challenge), { userId: user.id, expiresAt: this.deps.clock.now() + TOTP_CHALLENGE_TTL_MS });
      return { kind: 'totp', challenge };
    }
    this.limits.forgive(login);
    return this.openSession(user.id, meta);
  }

  /** Second step for TOTP users: a current code or an unused recovery code. */
  loginTotp(challenge: string, code: string, meta: RequestMeta): LoginOutcome {
    const key = sha256(challenge);
    const pending = this.challenges.get(key);
    const now = this.deps.clock.now();
    if (!pending || pending.expiresAt <= now) {
      this.challenges.delete(key);
      this.attempt(undefined, meta.ip);
      throw unauthorized('login expired; enter your login and password again');
    }
    const user = this.org.repo.getUser(pending.userId);
    if (!user) throw unauthorized(BAD_CREDENTIALS);
    const attempt = this.attempt(user.login, meta.ip);
    if (!this.acceptSecondFactor(user.id, code)) throw unauthorized(BAD_CREDENTIALS);
    attempt.succeeded();
    this.challenges.delete(key);
    this.limits.forgive(user.login);
    return this.openSession(user.id, meta);
  }

  private acceptSecondFactor(userId: number, code: string): boolean {
    const now = this.deps.clock.now();
    return this.tx(() => {
      const totp = this.repo.totp(userId);
      if (!totp?.secret || !totp.enabledAt) return false;
      const trimmed = code.trim();
      if (/^\d{6}$/.test(trimmed)) {
        const step = verifyTotp(totp.secret, trimmed, now, totp.lastStep);
        if (step === null) return false;
        this.repo.setTotpLastStep(userId, step);
        return true;
      }
      return this.repo.useRecoveryCode(userId, sha256(normaliseRecoveryCode(trimmed)), now);
    });
  }

  private pruneChallenges(): void {
    const now = this.deps.clock.now();
    for (const [k, c] of this.challenges) if (c.expiresAt <= now) this.challenges.delete(k);
  }

  private openSession(userId: number, meta: RequestMeta): LoginOutcome {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const me = this.tx(() => {
      const user = this.org.repo.getUser(userId);
      if (!user) throw unauthorized(BAD_CREDENTIALS);
      this.repo.insertSession({
        id: randomUUID(),
        tenantId: user.tenantId,
        userId,
        tokenHash: sha256(token),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: now + this.ttlMs,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      this.org.recordActivity(user.tenantId, userId, 'login');
      this.repo.deleteSessionsEndedBefore(now - ENDED_SESSION_RETENTION_MS);
      return this.me(userId);
    });
    this.deps.logger.info({ userId, tenantId: me.tenantId }, 'user logged in');
    return { kind: 'session', token, me };
  }

  /**
   * The principal behind a session token, or null when the session is unknown, expired or
   * revoked, or its user or tenant inactive. A request extends the session's idle lifetime;
   * `touch: false` checks without extending it (an open events socket is not user activity).
   */
  authenticate(token: string | undefined, opts: { touch?: boolean } = {}): Authenticated | null {
    if (!token) return null;
    const found = this.repo.sessionByTokenHash(sha256(token));
    if (!found) return null;
    const { session, user, tenantActive } = found;
    // Compare the hashes in constant time even though the lookup used an index on them.
    if (!timingSafeEqual(Buffer.from(session.tokenHash), Buffer.from(sha256(token)))) return null;
    const now = this.deps.clock.now();
    if (session.revokedAt !== null || session.expiresAt <= now || !user.active || !tenantActive) return null;
    if (opts.touch !== false && now - session.lastSeenAt >= SESSION_TOUCH_INTERVAL_MS) {
      this.repo.touchSession(session.id, now, now + this.ttlMs);
    }
    return {
      principal: {
        userId: user.id,
        tenantId: user.tenantId,
        login: user.login,
        level: user.level,
        superUser: user.superUser,
        activeTenantId: (user.superUser ? session.activeTenantId : null) ?? user.tenantId,
        sessionId: session.id,
      },
      permissions: this.org.permissionsOf(user),
      passwordChangeRequired: user.mustChangePassword,
    };
  }

  logout(principal: Principal): void {
    const now = this.deps.clock.now();
    this.tx(() => {
      this.repo.revokeSession(principal.sessionId, now);
      this.org.recordActivity(principal.tenantId, principal.userId, 'logout');
    });
    this.deps.logger.info({ userId: principal.userId, tenantId: principal.tenantId }, 'user logged out');
  }

  /** The user's own change; other sessions of the user are revoked, this one stays. */
  async changePassword(ctx: ChangeContext, current: string, next: string, meta: RequestMeta): Promise<Me> {
    const { actor } = ctx;
    await this.confirmPassword(actor, current, 'currentPassword', meta);
    const user = this.org.repo.getUser(actor.userId);
    if (!user) throw unauthorized();
    if (current === next) throw invalidField('newPassword', 'newPassword must differ from the current password');
    const hash = await hashPassword(next);
    const now = this.deps.clock.now();
    this.tx(() => {
      this.repo.setPassword(actor.userId, hash, now);
      this.repo.revokeUserSessions(actor.userId, now, actor.sessionId);
      this.auditSelf(ctx, user.tenantId, 'password_change');
    });
    return this.me(actor.userId, actor.activeTenantId);
  }

  /** Admin reset: a new (possibly generated) password, required to change, and every session revoked. */
  async resetPassword(
    ctx: ChangeContext,
    userId: number,
    opts: { newPassword?: string | undefined; disableTotp?: boolean | undefined },
  ): Promise<{ user: User; temporaryPassword?: string }> {
    const result = await this.org.resetPassword(ctx, userId, opts.newPassword);
    const now = this.deps.clock.now();
    this.tx(() => {
      this.repo.revokeUserSessions(userId, now);
      if (opts.disableTotp && this.repo.totp(userId)) {
        this.repo.deleteTotp(userId);
        this.audit.record({
          tenantId: result.user.tenantId,
          actor: { userId: ctx.actor.userId, login: ctx.actor.login },
          entity: 'user',
          entityId: userId,
          action: 'totp_disable',
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
      }
    });
    return result;
  }

  /**
   * Checks the signed-in user's own password, counted like a login attempt: a stolen session
   * alone must not be enough to change the credentials that protect the account.
   */
  private async confirmPassword(actor: Actor, password: string, field: string, meta: RequestMeta): Promise<void> {
    const attempt = this.attempt(actor.login, meta.ip);
    const user = this.org.repo.getUser(actor.userId);
    if (!user) throw unauthorized();
    if (!(await verifyPassword(user.passwordHash, password))) throw invalidField(field, `${field} is wrong`);
    attempt.succeeded();
  }

  /**
   * Sets a password the user chose through a mailed link (src/account): no change is required
   * afterwards, and every session of the user ends. Synchronous, for the caller's transaction.
   */
  setPasswordFromLink(userId: number, passwordHash: string): void {
    const now = this.deps.clock.now();
    this.repo.setPassword(userId, passwordHash, now);
    this.repo.revokeUserSessions(userId, now);
  }

  async enrolTotp(actor: Actor, password: string, meta: RequestMeta): Promise<{ secret: string; otpauthUri: string }> {
    await this.confirmPassword(actor, password, 'password', meta);
    const existing = this.repo.totp(actor.userId);
    if (existing?.enabledAt) throw conflict('TOTP is already enabled; disable it first', { field: 'totp' });
    const secret = base32Encode(randomBytes(20));
    this.repo.upsertTotp({ userId: actor.userId, tenantId: actor.tenantId, secret: null, pendingSecret: secret, enabledAt: null, lastStep: null });
    return { secret, otpauthUri: otpauthUri('Atende', actor.login, secret) };
  }

  /** Confirms an enrolment with a first code; answers the recovery codes, shown this once only. */
  confirmTotp(ctx: ChangeContext, code: string): { recoveryCodes: string[] } {
    const { actor } = ctx;
    const now = this.deps.clock.now();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    this.tx(() => {
      const row = this.repo.totp(actor.userId);
      if (!row?.pendingSecret) throw conflict('no TOTP enrolment in progress; enrol first', { field: 'totp' });
      const step = verifyTotp(row.pendingSecret, code, now, null);
      if (step === null) throw invalidField('code', 'code does not match; check the time on your device');
      this.repo.upsertTotp({ userId: actor.userId, tenantId: actor.tenantId, secret: row.pendingSecret, pendingSecret: null, enabledAt: now, lastStep: step });
      this.repo.replaceRecoveryCodes(actor.tenantId, actor.userId, codes.map((c) => sha256(normaliseRecoveryCode(c))));
      this.auditSelf(ctx, actor.tenantId, 'totp_enable');
    });
    return { recoveryCodes: codes };
  }

  async disableTotp(ctx: ChangeContext, password: string, meta: RequestMeta): Promise<void> {
    const { actor } = ctx;
    await this.confirmPassword(actor, password, 'password', meta);
    this.tx(() => {
      this.repo.deleteTotp(actor.userId);
      this.auditSelf(ctx, actor.tenantId, 'totp_disable');
    });
  }

  unusedRecoveryCodes(userId: number): number {
    return this.repo.unusedRecoveryCodes(userId);
  }

  private auditSelf(ctx: ChangeContext, tenantId: number, action: string): void {
    this.audit.record({
      tenantId,
      actor: { userId: ctx.actor.userId, login: ctx.actor.login },
      entity: 'user',
      entityId: ctx.actor.userId,
      action,
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
  }
}

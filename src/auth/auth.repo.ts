import { and, eq, isNull, lt, ne, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { recoveryCodes, sessions, tenants, users, userTotp } from '../db/schema/index.js';

export type SessionRow = typeof sessions.$inferSelect;
export type TotpRow = typeof userTotp.$inferSelect;

/** SQL for sessions, TOTP and recovery codes. Synchronous so services can compose transactions. */
export class AuthRepo {
  constructor(private readonly db: Db) {}

  insertSession(v: typeof sessions.$inferInsert): void {
    this.db.insert(sessions).values(v).run();
  }

  /** The session with this token hash, with its user and whether the user and tenant are active. */
  sessionByTokenHash(tokenHash: string) {
    return this.db
      .select({ session: sessions, user: users, tenantActive: tenants.active })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .where(eq(sessions.tokenHash, tokenHash))
      .get();
  }

  /** Forgets sessions that ended (expired or revoked) before `before`. */
  deleteSessionsEndedBefore(before: number): void {
    this.db
      .delete(sessions)
      .where(or(lt(sessions.expiresAt, before), lt(sessions.revokedAt, before)))
      .run();
  }

  touchSession(id: string, lastSeenAt: number, expiresAt: number): void {
    this.db.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.id, id)).run();
  }

  setActiveTenant(id: string, tenantId: number | null): void {
    this.db.update(sessions).set({ activeTenantId: tenantId }).where(eq(sessions.id, id)).run();
  }

  revokeSession(id: string, at: number): void {
    this.db
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
      .run();
  }

  /** Revokes every live session of a user, except `keepId` when given. */
  revokeUserSessions(userId: number, at: number, keepId?: string): void {
    const conds = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
    if (keepId !== undefined) conds.push(ne(sessions.id, keepId));
    this.db
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(...conds))
      .run();
  }

  setPassword(userId: number, passwordHash: string, at: number): void {
    this.db
      .update(users)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: at, updatedAt: at })
      .where(eq(users.id, userId))
      .run();
  }

  totp(userId: number): TotpRow | undefined {
    return this.db.select().from(userTotp).where(eq(userTotp.userId, userId)).get();
  }

  upsertTotp(v: typeof userTotp.$inferInsert): void {
    this.db
      .insert(userTotp)
      .values(v)
      .onConflictDoUpdate({ target: userTotp.userId, set: { ...v } })
      .run();
  }

  setTotpLastStep(userId: number, lastStep: number): void {
    this.db.update(userTotp).set({ lastStep }).where(eq(userTotp.userId, userId)).run();
  }

  deleteTotp(userId: number): void {
    this.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
    this.db.delete(userTotp).where(eq(userTotp.userId, userId)).run();
  }

  replaceRecoveryCodes(tenantId: number, userId: number, hashes: string[]): void {
    this.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
    this.db
      .insert(recoveryCodes)
      .values(hashes.map((codeHash) => ({ tenantId, userId, codeHash })))
      .run();
  }

  /** Marks the unused recovery code with this hash as used; false when there is none. */
  useRecoveryCode(userId: number, codeHash: string, at: number): boolean {
    const res = this.db
      .update(recoveryCodes)
      .set({ usedAt: at })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
      .run();
    return res.changes > 0;
  }

  unusedRecoveryCodes(userId: number): number {
    return this.db
      .select({ id: recoveryCodes.id })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
      .all().length;
  }
}

import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { passwordTokens } from '../db/schema/index.js';

export type PasswordTokenRow = typeof passwordTokens.$inferSelect;

/** SQL for password links. Synchronous, so the service can compose a transaction. */
export class AccountRepo {
  constructor(private readonly db: Db) {}

  insert(v: typeof passwordTokens.$inferInsert): PasswordTokenRow {
    return this.db.insert(passwordTokens).values(v).returning().get();
  }

  byHash(tokenHash: string): PasswordTokenRow | undefined {
    return this.db.select().from(passwordTokens).where(eq(passwordTokens.tokenHash, tokenHash)).get();
  }

  /** Marks one link used; false when it already was (used twice at once: only one wins). */
  use(id: number, at: number): boolean {
    return (
      this.db
        .update(passwordTokens)
        .set({ usedAt: at })
        .where(and(eq(passwordTokens.id, id), isNull(passwordTokens.usedAt)))
        .run().changes === 1
    );
  }

  /** Every unused link of a user stops working (a newer one was sent, or the password was set). */
  retireAll(userId: number, at: number): void {
    this.db
      .update(passwordTokens)
      .set({ usedAt: at })
      .where(and(eq(passwordTokens.userId, userId), isNull(passwordTokens.usedAt)))
      .run();
  }
}

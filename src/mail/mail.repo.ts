import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { mailSettings } from '../db/schema/index.js';

export type MailSettingsRow = typeof mailSettings.$inferSelect;

/** The one row of platform mail settings (id 1). Platform-wide, so not looked up by tenant. */
const ROW_ID = 1;

export class MailRepo {
  constructor(private readonly db: Db) {}

  get(): MailSettingsRow | undefined {
    return this.db.select().from(mailSettings).where(eq(mailSettings.id, ROW_ID)).get();
  }

  save(v: Omit<typeof mailSettings.$inferInsert, 'id'>): MailSettingsRow {
    return this.db
      .insert(mailSettings)
      .values({ ...v, id: ROW_ID })
      .onConflictDoUpdate({ target: mailSettings.id, set: v })
      .returning()
      .get();
  }
}

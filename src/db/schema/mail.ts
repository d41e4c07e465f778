import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenantColumn } from './org.js';

/**
 * The platform's outgoing mail server (password resets, first-access links, test mails).
 * One row (id 1) for the whole platform, edited by super users only; `tenant_id` is the tenant
 * of the super user who saved it. The SMTP password must be usable to log in, so it is stored as
 * is: it is never returned by the API and never written to the audit log.
 */
export const mailSettings = sqliteTable('mail_settings', {
  id: integer('id').primaryKey(),
  tenantId: tenantColumn(),
  host: text('host').notNull(),
  port: integer('port').notNull(),
  tls: text('tls', { enum: ['none', 'starttls', 'implicit'] }).notNull(),
  username: text('username'),
  password: text('password'),
  senderAddress: text('sender_address').notNull(),
  senderName: text('sender_name'),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: integer('updated_by'),
});

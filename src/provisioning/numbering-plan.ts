/**
 * A tenant's numbering plan: the numbers its phones dial inside — extensions and conferences —
 * share one space, so a number means one thing.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { conferences, extensions } from '../db/schema/index.js';
import { conflict } from '../kernel/index.js';

export type NumberOwner = { kind: 'extension'; id: number } | { kind: 'conference'; id: number };

/** What a dialled number is in the tenant, if anything. */
export function numberOwner(db: Db, tenantId: number, number: string): NumberOwner | undefined {
  const ext = db.select({ id: extensions.id }).from(extensions).where(and(eq(extensions.tenantId, tenantId), eq(extensions.number, number))).get();
  if (ext) return { kind: 'extension', id: ext.id };
  const conf = db.select({ id: conferences.id }).from(conferences).where(and(eq(conferences.tenantId, tenantId), eq(conferences.number, number))).get();
  return conf ? { kind: 'conference', id: conf.id } : undefined;
}

/** Refuses a number another kind of thing already has (a clash with the same kind is the resource's own uniqueness). */
export function assertNumberFree(db: Db, tenantId: number, number: string, kind: NumberOwner['kind']): void {
  const owner = numberOwner(db, tenantId, number);
  if (owner && owner.kind !== kind) {
    throw conflict(owner.kind === 'extension' ? `number ${number} is an extension's number` : `number ${number} is a conference's number`, { field: 'number' });
  }
}

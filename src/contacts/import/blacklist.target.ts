import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { blacklist } from '../../db/schema/index.js';
import { invalidField } from '../../kernel/index.js';
import { blacklistKey } from '../blacklist.logic.js';
import { parseDate } from '../fields.logic.js';
import { headerKey } from './csv.logic.js';
import type { ImportSession, ImportTarget, PreparedRow, RowProblem, WriteContext } from './importer.model.js';

export interface BlacklistImportOptions {
  direction: 'inbound' | 'outbound';
}

interface Entry {
  number: string;
  match: 'number' | 'prefix';
  reason: string | null;
  expiresAt: number | null;
}

const NUMBER = new Set(['numero', 'telefone', 'number', 'phone']);
const PREFIX = new Set(['prefixo', 'prefix']);
const REASON = new Set(['motivo', 'reason']);
const EXPIRES = new Set(['validade', 'expira_em', 'expires_at']);

/** Blacklist entries of one direction from CSV: a number (or prefix) column, optional reason and expiry date. */
export class BlacklistImportTarget implements ImportTarget<BlacklistImportOptions> {
  readonly name = 'blacklist';

  options(_db: Db, _tenantId: number, raw: Record<string, unknown>): BlacklistImportOptions {
    if (raw.direction !== 'inbound' && raw.direction !== 'outbound') throw invalidField('direction', 'direction: inbound or outbound');
    return { direction: raw.direction };
  }

  model(): { header: string[]; example: string[] } {
    return { header: ['numero', 'motivo', 'validade'], example: ['5548999999999', 'pediu para não receber ligações', '31/12/2030'] };
  }

  begin(_db: Db, _tenantId: number, options: BlacklistImportOptions, header: readonly string[]): ImportSession<Entry> {
    const keys = header.map(headerKey);
    const unknown = header.find((_h, i) => ![NUMBER, PREFIX, REASON, EXPIRES].some((set) => set.has(keys[i]!)));
    if (unknown !== undefined) throw invalidField('file', `file: unknown column "${unknown}"; the columns are numero (or prefixo), motivo, validade`);
    const numberAt = keys.findIndex((k) => NUMBER.has(k) || PREFIX.has(k));
    if (numberAt < 0) throw invalidField('file', 'file: no numero (or prefixo) column');
    const match = PREFIX.has(keys[numberAt]!) ? 'prefix' : 'number';
    const reasonAt = keys.findIndex((k) => REASON.has(k));
    const expiresAt = keys.findIndex((k) => EXPIRES.has(k));
    const field = header[numberAt]!;
    return {
      prepare(values): PreparedRow<Entry> {
        const raw = (values[numberAt] ?? '').trim();
        const key = blacklistKey(options.direction, match, raw);
        if (!key.ok) return { record: null, problems: [{ field, value: raw, code: 'number', message: key.message, rejected: true }] };
        const problems: RowProblem[] = [];
        let expires: number | null = null;
        const expiry = expiresAt < 0 ? '' : (values[expiresAt] ?? '').trim();
        if (expiry !== '') {
          const date = parseDate(expiry);
          if (date) expires = Date.parse(`${date}T23:59:59-03:00`);
          else problems.push({ field: header[expiresAt]!, value: expiry, code: 'date', message: 'a date is DD/MM/AAAA or AAAA-MM-DD; the entry does not expire', rejected: false });
        }
        const reason = reasonAt < 0 ? '' : (values[reasonAt] ?? '').trim().slice(0, 200);
        return { record: { number: key.number, match, reason: reason || null, expiresAt: expires }, problems };
      },
      write(batch, w: WriteContext) {
        const numbers = batch.map((b) => b.number);
        const existing = new Set(
          w.db
            .select({ number: blacklist.number })
            .from(blacklist)
            .where(and(eq(blacklist.tenantId, w.tenantId), eq(blacklist.direction, options.direction), eq(blacklist.match, match), inArray(blacklist.number, numbers)))
            .all()
            .map((r) => r.number),
        );
        const found: { index: number; problem: RowProblem }[] = [];
        batch.forEach((e, index) => {
          if (existing.has(e.number)) {
            found.push({ index, problem: { field, value: e.number, code: 'duplicate', message: `already in the ${options.direction} blacklist`, rejected: true } });
            return;
          }
          existing.add(e.number);
          w.db.insert(blacklist).values({ tenantId: w.tenantId, direction: options.direction, ...e, importId: w.importId, createdAt: w.now, updatedAt: w.now }).run();
        });
        return found;
      },
      finish: () => false,
      end: () => undefined,
    };
  }

  undo(w: WriteContext, limit: number): number {
    return w.sqlite.prepare('DELETE FROM blacklist WHERE id IN (SELECT id FROM blacklist WHERE import_id = ? LIMIT ?)').run(w.importId, limit).changes;
  }
}

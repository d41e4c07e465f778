import { Type, type Static } from '@sinclair/typebox';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { faqs, shortcuts } from '../db/schema/index.js';
import { Id, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { Flag, iso } from './schemas.js';
import { checkServices } from './services.ref.js';
import { unknownVariables } from './template.logic.js';

export const SHORTCUT_PREFIX = '^[\\p{L}\\p{N}_.-]{1,30}$';

export const ShortcutBody = Type.Object(
  {
    prefix: Type.String({ minLength: 1, maxLength: 30, description: 'typed after / on the agent desktop: letters, digits, _ . - (no spaces)' }),
    text: RequiredText({ maxLength: 4000, multiline: true, description: 'may use {{primeiro_nome}}, {{nome}}, {{protocolo}}, {{agente}}, {{servico}}' }),
    serviceId: Type.Optional(Nullable(Id)),
    active: Flag,
  },
  closed,
);
export type ShortcutInput = Static<typeof ShortcutBody>;
export const ShortcutView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  prefix: Type.String(),
  text: Type.String(),
  serviceId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  ...Timestamps,
});
export type ShortcutView = Static<typeof ShortcutView>;

const prefixPattern = new RegExp(SHORTCUT_PREFIX, 'u');

export const shortcutDef: ResourceDef<typeof shortcuts, ShortcutInput, ShortcutView> = {
  label: 'shortcut',
  entity: 'shortcut',
  table: shortcuts,
  search: [shortcuts.prefix, shortcuts.text],
  sortable: { prefix: shortcuts.prefix },
  filter: (q) => [
    q.serviceId === undefined ? undefined : eq(shortcuts.serviceId, q.serviceId as number),
    q.active === undefined ? undefined : eq(shortcuts.active, q.active as boolean),
  ],
  toColumns(input, w) {
    const prefix = input.prefix.replace(/^\//, '');
    if (!prefixPattern.test(prefix)) {
      throw invalidField('prefix', `prefix: "${input.prefix}" may hold only letters, digits, _ . and - (no spaces); it is typed after /`);
    }
    const unknown = unknownVariables(input.text);
    if (unknown.length > 0) throw invalidField('text', `text: unknown variable {{${unknown[0]}}}`);
    const serviceId = input.serviceId ?? null;
    if (serviceId !== null) checkServices(w.db, w.tenantId, 'serviceId', [serviceId]);
    const clash = w.db
      .select({ id: shortcuts.id })
      .from(shortcuts)
      .where(and(eq(shortcuts.tenantId, w.tenantId), eq(shortcuts.prefix, prefix), serviceId === null ? isNull(shortcuts.serviceId) : eq(shortcuts.serviceId, serviceId), ...(w.before ? [ne(shortcuts.id, w.before.id)] : [])))
      .get();
    if (clash) throw conflict(`the shortcut /${prefix} already exists for that service`, { field: 'prefix' });
    return { prefix, text: input.text, serviceId, active: input.active ?? true };
  },
  toInput: (row) => ({ prefix: row.prefix, text: row.text, serviceId: row.serviceId, active: row.active }),
  toView: (row) => ({
    id: row.id,
    tenantId: row.tenantId,
    prefix: row.prefix,
    text: row.text,
    serviceId: row.serviceId,
    active: row.active,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
};

export const FaqBody = Type.Object(
  {
    question: RequiredText({ maxLength: 300 }),
    answer: RequiredText({ maxLength: 4000, multiline: true }),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    active: Flag,
  },
  closed,
);
export type FaqInput = Static<typeof FaqBody>;
export const FaqView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  question: Type.String(),
  answer: Type.String(),
  position: Type.Integer(),
  active: Type.Boolean(),
  ...Timestamps,
});
export type FaqView = Static<typeof FaqView>;

/** Perguntas frequentes: answers an agent sends with a click. */
export const faqDef: ResourceDef<typeof faqs, FaqInput, FaqView> = {
  label: 'FAQ entry',
  entity: 'faq',
  table: faqs,
  // The question arrives trimmed (RequiredText): with a trailing space it is still the same question.
  unique: { question: faqs.question },
  search: [faqs.question, faqs.answer],
  sortable: { position: faqs.position, question: faqs.question },
  filter: (q) => [q.active === undefined ? undefined : eq(faqs.active, q.active as boolean)],
  toColumns(input) {
    return { question: input.question, answer: input.answer, position: input.position ?? 0, active: input.active ?? true };
  },
  toInput: (row) => ({ question: row.question, answer: row.answer, position: row.position, active: row.active }),
  toView: (row) => ({
    id: row.id,
    tenantId: row.tenantId,
    question: row.question,
    answer: row.answer,
    position: row.position,
    active: row.active,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
};

import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, or } from 'drizzle-orm';
import { containsText } from '../db/search.js';
import type { Database_, Db } from '../db/client.js';
import {
  callbacks,
  calls,
  contactEmails,
  contactForms,
  contactInteractions,
  contactPhones,
  contacts,
  crmSettings,
  shortcuts,
  statusGroupTeams,
  statusGroups,
  statuses,
  tags,
  ticketEvents,
  tickets,
  users,
  type InteractionKind,
} from '../db/schema/index.js';
import type { Actor } from '../http/principal.js';
import { conflict, invalidField, notFound, type Clock } from '../kernel/index.js';
import { activeFields, fieldRule, type FieldScope } from './fields.resource.js';
import { checkFieldValue, type FieldValue } from './fields.logic.js';
import { resolveItems } from './forms.resource.js';
import { checkPhone } from './phone.logic.js';
import { mergeActions, planFinish, type FinishCommand } from './tabulation.logic.js';
import { firstName, renderTemplate, type TemplateValues } from './template.logic.js';

export type Channel = (typeof contactInteractions.$inferSelect)['channel'];
export type InteractionRow = typeof contactInteractions.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
type TicketStatus = TicketRow['status'];

export interface OpenInteraction {
  contactId?: number | null;
  address?: string | null;
  kind: InteractionKind;
  channel: Channel;
  serviceId?: number | null;
  serviceName?: string | null;
  agentUserId?: number | null;
  callId?: string | null;
  /** The service or campaign demands a tabulation before it may finish. */
  requiresTabulation?: boolean;
  details?: Record<string, unknown>;
  startedAt?: number;
}

export interface Finish {
  /** Keep it open as "pending" (the agent comes back to it); no tabulation needed. */
  pending?: boolean;
  /** The form the agent filled: its required items are checked here too. */
  formId?: number | null;
  statusId?: number | null;
  note?: string | null;
  externalProtocol?: string | null;
  tagIds?: number[];
  formValues?: Record<string, FieldValue | null>;
  /** When the next contact is due (required by a status that schedules a callback). */
  nextContactAt?: number | null;
  /** The callback goes to the same agent (else to anyone). */
  nextContactSameAgent?: boolean;
}

export interface Finished {
  interaction: InteractionRow;
  /** What the engine that runs the interaction must do now. */
  commands: FinishCommand[];
  callbackId: number | null;
}

export interface Settings {
  requireProtocol: boolean;
  ticketMode: 'every_interaction' | 'on_demand';
}

const DIGITAL: readonly Channel[] = ['whatsapp', 'webchat', 'email', 'mercadolivre'];

/** Checks values against the tenant's custom fields of one scope (only those given, unless `all`). */
export function checkScoped(db: Db, tenantId: number, scope: FieldScope, values: Record<string, FieldValue | null>, field: string, all: boolean): Record<string, FieldValue> {
  const fields = activeFields(db, tenantId, scope);
  const unknown = Object.keys(values).find((k) => !fields.some((f) => f.key === k));
  if (unknown) throw invalidField(`${field}.${unknown}`, `${field}.${unknown}: no such ${scope} field`);
  const out: Record<string, FieldValue> = {};
  for (const f of fields) {
    if (!all && !(f.key in values)) continue;
    const checked = checkFieldValue(fieldRule(f), values[f.key]);
    if (!checked.ok) throw invalidField(`${field}.${f.key}`, `${field}.${f.key}: ${checked.message}`);
    if (checked.value !== null) out[f.key] = checked.value;
  }
  return out;
}

/**
 * Interactions as the contact's history and the agent's after-call work see them: opened by
 * the engine that routes them (or registered in person), linked to a contact, tabulated with
 * a status and tags whose actions run here (do-not-call, invalid phone, owner, callback) or are
 * handed back as commands; tickets opened per interaction or on demand; the timeline.
 */
export class InteractionsService {
  private readonly db: Db;

  constructor(
    private readonly database: Database_,
    private readonly clock: Clock,
  ) {
    this.db = database.db;
  }

  settings(tenantId: number): Settings {
    const row = this.db.select().from(crmSettings).where(eq(crmSettings.tenantId, tenantId)).get();
    return { requireProtocol: row?.requireProtocol ?? false, ticketMode: row?.ticketMode ?? 'every_interaction' };
  }

  saveSettings(tenantId: number, s: Partial<Settings>): Settings {
    const next = { ...this.settings(tenantId), ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) };
    this.db
      .insert(crmSettings)
      .values({ tenantId, ...next, updatedAt: this.clock.now() })
      .onConflictDoUpdate({ target: crmSettings.tenantId, set: { ...next, updatedAt: this.clock.now() } })
      .run();
    return next;
  }

  /** The row if `actor` may see it (its tenant, or a super user). */
  visible(actor: Actor, id: number): InteractionRow {
    const row = this.db.select().from(contactInteractions).where(eq(contactInteractions.id, id)).get();
    if (!row || (!actor.superUser && row.tenantId !== actor.tenantId)) throw notFound('interaction');
    return row;
  }

  private contactOf(tenantId: number, contactId: number) {
    const c = this.db.select().from(contacts).where(eq(contacts.id, contactId)).get();
    if (c?.tenantId !== tenantId) throw invalidField('contactId', 'contactId: no such contact');
    return c;
  }

  /** Opens an interaction (the ACD or dialer when it starts; the desktop for a manual one). */
  open(tenantId: number, o: OpenInteraction): InteractionRow {
    return this.database.sqlite.transaction(() => {
      if (o.contactId != null) this.contactOf(tenantId, o.contactId);
      const now = o.startedAt ?? this.clock.now();
      const phone = o.address ? checkPhone(o.address) : undefined;
      const address = phone?.ok ? phone.number : (o.address ?? null);
      const row = this.db
        .insert(contactInteractions)
        .values({
          tenantId,
          contactId: o.contactId ?? null,
          address,
          // Replaced below, once the row has its id.
          protocol: randomUUID(),
          kind: o.kind,
          channel: o.channel,
          serviceId: o.serviceId ?? null,
          serviceName: o.serviceName ?? null,
          agentUserId: o.agentUserId ?? null,
          callId: o.callId ?? null,
          state: 'open',
          requiresTabulation: o.requiresTabulation ?? false,
          startedAt: now,
          tagIds: [],
          formValues: {},
          details: o.details ?? {},
        })
        .returning()
        .get();
      // Protocol: the day and a number unique in the tenant, as customers read it out.
      const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
      const protocol = `${day}${String(row.id).padStart(6, '0')}`;
      this.db.update(contactInteractions).set({ protocol }).where(eq(contactInteractions.id, row.id)).run();
      const opened = { ...row, protocol };
      if (row.contactId !== null && this.settings(tenantId).ticketMode === 'every_interaction') this.openTicketFor(opened, o.agentUserId ?? null);
      return opened;
    })();
  }

  private openTicketFor(row: InteractionRow, userId: number | null): void {
    const now = this.clock.now();
    const t = this.db
      .insert(tickets)
      .values({ tenantId: row.tenantId, contactId: row.contactId!, interactionId: row.id, subject: `${row.serviceName ?? row.channel} ${row.protocol}`, status: 'open', custom: {}, createdBy: userId, createdAt: now, updatedAt: now })
      .returning()
      .get();
    this.db.insert(ticketEvents).values({ ticketId: t.id, at: now, userId, interactionId: row.id, changes: { status: { from: null, to: 'open' } } }).run();
  }

  /** The agent links an unknown caller to a contact (or the contact created from the call). */
  link(actor: Actor, id: number, contactId: number): InteractionRow {
    return this.database.sqlite.transaction(() => {
      const row = this.visible(actor, id);
      this.contactOf(row.tenantId, contactId);
      this.db.update(contactInteractions).set({ contactId }).where(eq(contactInteractions.id, id)).run();
      const linked = { ...row, contactId };
      const hasTicket = this.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.interactionId, id)).get();
      if (!hasTicket && this.settings(row.tenantId).ticketMode === 'every_interaction') this.openTicketFor(linked, actor.userId || null);
      return linked;
    })();
  }

  /** Tabulates and finishes (or leaves pending); runs the status's and tags' actions. */
  finish(actor: Actor, id: number, f: Finish): Finished {
    return this.database.sqlite.transaction((): Finished => {
      const row = this.visible(actor, id);
      if (row.state === 'finished') throw conflict('the interaction is already finished', { field: 'id' });
      const now = this.clock.now();
      const note = f.note ?? null;
      const formValues = { ...row.formValues, ...checkScoped(this.db, row.tenantId, 'interaction', f.formValues ?? {}, 'formValues', false) };
      if (f.pending) {
        this.db.update(contactInteractions).set({ state: 'pending', note, formValues }).where(eq(contactInteractions.id, id)).run();
        return { interaction: { ...row, state: 'pending', note, formValues }, commands: [], callbackId: null };
      }
      const statusId = f.statusId ?? null;
      if (statusId === null && row.requiresTabulation) throw invalidField('statusId', 'statusId: this service requires a tabulation to finish');
      const status = statusId === null ? undefined : this.db.select().from(statuses).where(eq(statuses.id, statusId)).get();
      if (statusId !== null && (status?.tenantId !== row.tenantId || !status.active)) throw invalidField('statusId', 'statusId: no such active status');
      const group = status ? this.db.select().from(statusGroups).where(eq(statusGroups.id, status.groupId)).get() : undefined;
      if (status && !status.kinds.includes(row.kind)) throw invalidField('statusId', `statusId: ${status.name} does not apply to ${row.kind} interactions`);
      if (group && !group.active) throw invalidField('statusId', `statusId: the group ${group.name} is inactive`);
      const agentId = row.agentUserId ?? (actor.userId || null);
      if (group && !group.allTeams && !this.offeredTo(group.id, this.teamOf(agentId))) {
        throw invalidField('statusId', `statusId: the group ${group.name} is not offered to this agent's team`);
      }
      const protocolNeeded = this.settings(row.tenantId).requireProtocol || status?.requiresProtocol === true;
      const externalProtocol = f.externalProtocol?.trim() || null;
      if (protocolNeeded && !externalProtocol) throw invalidField('externalProtocol', 'externalProtocol: required to finish with this tabulation');
      const tagIds = f.tagIds ?? [];
      const tagRows = tagIds.length ? this.db.select().from(tags).where(and(eq(tags.tenantId, row.tenantId), inArray(tags.id, tagIds))).all() : [];
      for (const tagId of tagIds) {
        const tag = tagRows.find((t) => t.id === tagId);
        if (!tag?.active) throw invalidField('tagIds', `tagIds: no active tag ${tagId}`);
        if (!tag.kinds.includes(row.kind)) throw invalidField('tagIds', `tagIds: ${tag.title} does not apply to ${row.kind} interactions`);
        if (tag.serviceIds.length > 0 && (row.serviceId === null || !tag.serviceIds.includes(row.serviceId))) throw invalidField('tagIds', `tagIds: ${tag.title} is not offered in this service`);
      }
      if (status?.requiresTag && tagIds.length === 0) throw invalidField('tagIds', `tagIds: ${status.name} requires a tag`);
      const nextAt = f.nextContactAt ?? null;
      if (status?.schedulesCallback && nextAt === null) throw invalidField('nextContactAt', `nextContactAt: ${status.name} schedules the next contact; pick its date and time`);
      if (nextAt !== null && nextAt <= now) throw invalidField('nextContactAt', 'nextContactAt: must be in the future');
      if (nextAt !== null && row.contactId === null) throw invalidField('nextContactAt', 'nextContactAt: link the interaction to a contact first');

      const contact = row.contactId === null ? undefined : this.db.select().from(contacts).where(eq(contacts.id, row.contactId)).get();
      if (f.formId != null) this.checkForm(row.tenantId, f.formId, contact, formValues);
      const plan = planFinish(mergeActions([status?.actions ?? {}, ...tagRows.map((t) => t.actions)]), DIGITAL.includes(row.channel), this.templateValues(row, contact, agentId), now);
      if (contact) {
        const set: Partial<typeof contacts.$inferInsert> = {};
        if (plan.contact.doNotCall) set.doNotCall = true;
        if (plan.contact.owner?.set === true && agentId !== null) Object.assign(set, { ownerUserId: agentId, ownerUntil: plan.contact.owner.until });
        if (plan.contact.owner?.set === false) Object.assign(set, { ownerUserId: null, ownerUntil: null });
        if (Object.keys(set).length > 0) this.db.update(contacts).set({ ...set, updatedAt: now }).where(eq(contacts.id, contact.id)).run();
        if (plan.contact.phoneInvalid && row.address) {
          this.db
            .update(contactPhones)
            .set({ valid: false, invalidReason: `tabulated ${status?.name ?? 'invalid'} (${row.protocol})` })
            .where(and(eq(contactPhones.contactId, contact.id), eq(contactPhones.number, row.address)))
            .run();
        }
      }
      let callbackId: number | null = null;
      if (nextAt !== null) {
        callbackId = this.db
          .insert(callbacks)
          .values({
            tenantId: row.tenantId,
            contactId: row.contactId!,
            interactionId: row.id,
            phone: row.address,
            serviceId: row.serviceId,
            agentUserId: f.nextContactSameAgent ? agentId : null,
            dueAt: nextAt,
            note,
            state: 'pending',
            createdAt: now,
          })
          .returning()
          .get().id;
      }
      const done = {
        state: 'finished' as const,
        endedAt: row.endedAt ?? now,
        statusId,
        statusName: status?.name ?? null,
        groupName: group?.name ?? null,
        note,
        externalProtocol,
        tagIds,
        formValues,
        tabulatedAt: now,
        tabulatedBy: actor.userId || null,
      };
      this.db.update(contactInteractions).set(done).where(eq(contactInteractions.id, id)).run();
      return { interaction: { ...row, ...done }, commands: plan.commands, callbackId };
    })();
  }

  private teamOf(userId: number | null): number | null {
    return userId === null ? null : (this.db.select({ teamId: users.teamId }).from(users).where(eq(users.id, userId)).get()?.teamId ?? null);
  }

  private offeredTo(groupId: number, teamId: number | null): boolean {
    if (teamId === null) return false;
    return this.db.select({ g: statusGroupTeams.groupId }).from(statusGroupTeams).where(and(eq(statusGroupTeams.groupId, groupId), eq(statusGroupTeams.teamId, teamId))).get() !== undefined;
  }

  /** What `{{…}}` variables of a closing message or a shortcut become for this interaction. */
  private templateValues(row: InteractionRow, contact: typeof contacts.$inferSelect | undefined, agentId: number | null): TemplateValues {
    const agent = agentId === null ? undefined : this.db.select({ name: users.name }).from(users).where(eq(users.id, agentId)).get();
    return { primeiro_nome: contact ? firstName(contact.name) : null, nome: contact?.name ?? null, protocolo: row.protocol, agente: agent?.name ?? null, servico: row.serviceName };
  }

  /**
   * What the agent may tabulate this interaction with: the active groups offered to the agent's
   * team (or to all teams), each with its active statuses that apply to the interaction's kind,
   * and the active tags of that kind offered in its service.
   */
  tabulationsFor(actor: Actor, id: number) {
    const row = this.visible(actor, id);
    const teamId = this.teamOf(row.agentUserId ?? (actor.userId || null));
    const groups = this.db
      .select()
      .from(statusGroups)
      .where(and(eq(statusGroups.tenantId, row.tenantId), eq(statusGroups.active, true)))
      .orderBy(asc(statusGroups.name))
      .all()
      .filter((g) => g.allTeams || this.offeredTo(g.id, teamId));
    const offered = groups.length
      ? this.db.select().from(statuses).where(and(inArray(statuses.groupId, groups.map((g) => g.id)), eq(statuses.active, true))).orderBy(asc(statuses.name)).all()
      : [];
    const tagRows = this.db.select().from(tags).where(and(eq(tags.tenantId, row.tenantId), eq(tags.active, true))).orderBy(asc(tags.title)).all();
    return {
      groups: groups.map((g) => ({ group: g, statuses: offered.filter((st) => st.groupId === g.id && st.kinds.includes(row.kind)) })).filter((g) => g.statuses.length > 0),
      tags: tagRows.filter((t) => t.kinds.includes(row.kind) && (t.serviceIds.length === 0 || (row.serviceId !== null && t.serviceIds.includes(row.serviceId)))),
    };
  }

  /** The shortcuts of the interaction's service (and those of every service), their variables filled in. */
  shortcutsFor(actor: Actor, id: number, prefix: string | undefined) {
    const row = this.visible(actor, id);
    const contact = row.contactId === null ? undefined : this.db.select().from(contacts).where(eq(contacts.id, row.contactId)).get();
    const values = this.templateValues(row, contact, row.agentUserId ?? (actor.userId || null));
    return this.db
      .select()
      .from(shortcuts)
      .where(
        and(
          eq(shortcuts.tenantId, row.tenantId),
          eq(shortcuts.active, true),
          row.serviceId === null ? isNull(shortcuts.serviceId) : or(isNull(shortcuts.serviceId), eq(shortcuts.serviceId, row.serviceId)),
        ),
      )
      .orderBy(asc(shortcuts.prefix))
      .all()
      .filter((sc) => !prefix || sc.prefix.toLowerCase().startsWith(prefix.replace(/^\//, '').toLowerCase()))
      .map((sc) => ({ id: sc.id, prefix: sc.prefix, text: renderTemplate(sc.text, values) }));
  }

  /** The required items of the form: interaction fields among the values, contact fields on the contact. */
  private checkForm(tenantId: number, formId: number, contact: typeof contacts.$inferSelect | undefined, values: Record<string, FieldValue>): void {
    const form = this.db.select().from(contactForms).where(eq(contactForms.id, formId)).get();
    if (form?.tenantId !== tenantId || !form.active) throw invalidField('formId', 'formId: no such active form');
    for (const item of resolveItems(this.db, tenantId, form.items)) {
      if (!item.required) continue;
      if (item.source === 'interaction') {
        if (values[item.key] === undefined) throw invalidField(`formValues.${item.key}`, `formValues.${item.key}: ${item.label ?? item.key} is required by the form`);
        continue;
      }
      if (!contact) throw invalidField('contactId', 'contactId: the form needs a contact; link the interaction first');
      const builtIn: Record<string, unknown> = {
        ...contact,
        phones: this.db.select({ id: contactPhones.id }).from(contactPhones).where(eq(contactPhones.contactId, contact.id)).get(),
        emails: this.db.select({ id: contactEmails.id }).from(contactEmails).where(eq(contactEmails.contactId, contact.id)).get(),
      };
      const value = item.builtIn ? builtIn[item.key] : contact.custom[item.key];
      if (value === undefined || value === null || value === '') {
        throw invalidField(`contact.${item.key}`, `contact.${item.key}: ${item.label ?? item.key} is required by the form; fill it on the contact`);
      }
    }
  }

  /** An attendance in person, registered by the agent: already finished. */
  inPerson(actor: Actor, tenantId: number, p: { contactId: number; serviceId?: number | null; serviceName?: string | null; description: string }): InteractionRow {
    const row = this.open(tenantId, {
      contactId: p.contactId,
      kind: 'contact',
      channel: 'in_person',
      serviceId: p.serviceId ?? null,
      serviceName: p.serviceName ?? null,
      agentUserId: actor.userId || null,
      details: { description: p.description },
    });
    const now = this.clock.now();
    this.db.update(contactInteractions).set({ state: 'finished', endedAt: now, note: p.description, tabulatedAt: now, tabulatedBy: actor.userId || null }).where(eq(contactInteractions.id, row.id)).run();
    return { ...row, state: 'finished', endedAt: now, note: p.description };
  }

  /** The contact's interactions on every channel, newest first. */
  history(contactId: number, q: { kind?: InteractionKind | undefined; channel?: Channel | undefined; from?: number | undefined; to?: number | undefined; limit: number; offset: number }) {
    const where = and(
      eq(contactInteractions.contactId, contactId),
      q.kind ? eq(contactInteractions.kind, q.kind) : undefined,
      q.channel ? eq(contactInteractions.channel, q.channel) : undefined,
      q.from === undefined ? undefined : gte(contactInteractions.startedAt, q.from),
      q.to === undefined ? undefined : lt(contactInteractions.startedAt, q.to),
    );
    const rows = this.db
      .select({
        i: contactInteractions,
        agent: users.name,
        call: {
          direction: calls.direction,
          from: calls.fromNumber,
          to: calls.toNumber,
          answeredAt: calls.answeredAt,
          endedAt: calls.endedAt,
          cause: calls.causeText,
          hangupBy: calls.hangupBy,
        },
      })
      .from(contactInteractions)
      .leftJoin(users, eq(users.id, contactInteractions.agentUserId))
      .leftJoin(calls, eq(calls.callId, contactInteractions.callId))
      .where(where)
      .orderBy(desc(contactInteractions.startedAt), desc(contactInteractions.id))
      .limit(q.limit)
      .offset(q.offset)
      .all();
    return { rows, total: this.db.select({ n: count() }).from(contactInteractions).where(where).get()?.n ?? 0 };
  }

  // Tickets

  /** The tenant's tickets, most recently changed first, with their contact's name. */
  tickets(tenantId: number, q: { status?: TicketStatus | undefined; contactId?: number | undefined; q?: string | undefined; limit: number; offset: number }) {
    const where = and(
      eq(tickets.tenantId, tenantId),
      q.status === undefined ? undefined : eq(tickets.status, q.status),
      q.contactId === undefined ? undefined : eq(tickets.contactId, q.contactId),
      q.q ? containsText([tickets.subject], q.q) : undefined,
    );
    const rows = this.db
      .select({ t: tickets, contactName: contacts.name })
      .from(tickets)
      .innerJoin(contacts, eq(contacts.id, tickets.contactId))
      .where(where)
      .orderBy(desc(tickets.updatedAt), desc(tickets.id))
      .limit(q.limit)
      .offset(q.offset)
      .all();
    return { rows, total: this.db.select({ n: count() }).from(tickets).where(where).get()?.n ?? 0 };
  }

  ticketsOf(contactId: number): TicketRow[] {
    return this.db.select().from(tickets).where(eq(tickets.contactId, contactId)).orderBy(desc(tickets.updatedAt), desc(tickets.id)).all();
  }

  visibleTicket(actor: Actor, id: number): TicketRow {
    const t = this.db.select().from(tickets).where(eq(tickets.id, id)).get();
    if (!t || (!actor.superUser && t.tenantId !== actor.tenantId)) throw notFound('ticket');
    return t;
  }

  openTicket(actor: Actor, tenantId: number, t: { contactId: number; interactionId?: number | null; subject: string; status?: TicketStatus; custom?: Record<string, FieldValue | null> }): TicketRow {
    return this.database.sqlite.transaction(() => {
      this.contactOf(tenantId, t.contactId);
      if (t.interactionId != null) {
        const i = this.visible(actor, t.interactionId);
        if (i.contactId !== t.contactId) throw invalidField('interactionId', 'interactionId: the interaction is not of this contact');
      }
      const custom = checkScoped(this.db, tenantId, 'ticket', t.custom ?? {}, 'custom', true);
      const now = this.clock.now();
      const row = this.db
        .insert(tickets)
        .values({ tenantId, contactId: t.contactId, interactionId: t.interactionId ?? null, subject: t.subject, status: t.status ?? 'open', custom, createdBy: actor.userId || null, createdAt: now, updatedAt: now })
        .returning()
        .get();
      this.db.insert(ticketEvents).values({ ticketId: row.id, at: now, userId: actor.userId || null, interactionId: t.interactionId ?? null, changes: { status: { from: null, to: row.status } } }).run();
      return row;
    })();
  }

  /** Changes a ticket from an interaction (or not); every change is kept in its history. */
  updateTicket(actor: Actor, id: number, patch: { subject?: string; status?: TicketStatus; custom?: Record<string, FieldValue | null>; interactionId?: number | null }): TicketRow {
    return this.database.sqlite.transaction(() => {
      const before = this.visibleTicket(actor, id);
      const custom = patch.custom ? checkScoped(this.db, before.tenantId, 'ticket', { ...before.custom, ...patch.custom }, 'custom', true) : before.custom;
      const after = { subject: patch.subject ?? before.subject, status: patch.status ?? before.status, custom };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (after.subject !== before.subject) changes.subject = { from: before.subject, to: after.subject };
      if (after.status !== before.status) changes.status = { from: before.status, to: after.status };
      for (const k of new Set([...Object.keys(before.custom), ...Object.keys(custom)])) {
        if (before.custom[k] !== custom[k]) changes[`custom.${k}`] = { from: before.custom[k] ?? null, to: custom[k] ?? null };
      }
      if (Object.keys(changes).length === 0) return before;
      if (patch.interactionId != null) this.visible(actor, patch.interactionId);
      const now = this.clock.now();
      this.db.update(tickets).set({ ...after, updatedAt: now }).where(eq(tickets.id, id)).run();
      this.db.insert(ticketEvents).values({ ticketId: id, at: now, userId: actor.userId || null, interactionId: patch.interactionId ?? null, changes }).run();
      return { ...before, ...after, updatedAt: now };
    })();
  }

  ticketEvents(ticketId: number) {
    return this.db
      .select({ e: ticketEvents, login: users.login })
      .from(ticketEvents)
      .leftJoin(users, eq(users.id, ticketEvents.userId))
      .where(eq(ticketEvents.ticketId, ticketId))
      .orderBy(ticketEvents.id)
      .all();
  }

  // Callbacks

  callbacks(tenantId: number, q: { agentUserId?: number | undefined; state?: 'pending' | 'done' | 'cancelled' | undefined; dueBefore?: number | undefined; limit: number; offset: number }) {
    const where = and(
      eq(callbacks.tenantId, tenantId),
      q.agentUserId === undefined ? undefined : eq(callbacks.agentUserId, q.agentUserId),
      q.state === undefined ? undefined : eq(callbacks.state, q.state),
      q.dueBefore === undefined ? undefined : lt(callbacks.dueAt, q.dueBefore),
    );
    const rows = this.db.select().from(callbacks).where(where).orderBy(callbacks.dueAt, callbacks.id).limit(q.limit).offset(q.offset).all();
    return { rows, total: this.db.select({ n: count() }).from(callbacks).where(where).get()?.n ?? 0 };
  }

  setCallbackState(actor: Actor, id: number, state: 'done' | 'cancelled') {
    const row = this.db.select().from(callbacks).where(eq(callbacks.id, id)).get();
    if (!row || (!actor.superUser && row.tenantId !== actor.tenantId)) throw notFound('callback');
    if (row.state !== 'pending') throw conflict(`the callback is already ${row.state}`, { field: 'state' });
    this.db.update(callbacks).set({ state }).where(eq(callbacks.id, id)).run();
    return { ...row, state };
  }
}

import { randomUUID } from 'node:crypto';
import type { Database_, Db } from '../db/client.js';
import type { InteractionKind } from '../db/schema/index.js';
import type { Actor } from '../http/principal.js';
import { conflict, invalidField, notFound, type Clock } from '../kernel/index.js';
import { checkScoped } from './fields.resource.js';
import type { FieldValue } from './fields.logic.js';
import { resolveItems } from './forms.resource.js';
import { InteractionsRepo, type CallMedia, type CallbackQuery, type OpenQuery, type Channel, type ContactRow, type HistoryQuery, type InteractionRow, type TicketQuery, type TicketRow, type TicketStatus } from './interactions.repo.js';
import { checkPhone } from './phone.logic.js';
import { mergeActions, planFinish, type FinishCommand } from './tabulation.logic.js';
import { firstName, renderTemplate, type TemplateValues } from './template.logic.js';

export type { Channel, InteractionRow, TicketRow } from './interactions.repo.js';

export interface OpenInteraction {
  contactId?: number | null;
  address?: string | null;
  kind: InteractionKind;
  channel: Channel;
  serviceId?: number | null;
  serviceName?: string | null;
  agentUserId?: number | null;
  callId?: string | null;
  /** The campaign or caller demands a tabulation before it may finish (a service that demands one always does). */
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

/** A queue's call an agent answered, as the routing engine reports it. */
export interface AnsweredCall {
  tenantId: number;
  /** The queue visit (routing's interaction id) the agent answered. */
  visitId: string;
  kind: InteractionKind;
  channel: Channel;
  callId: string | null;
  address: string;
  contactId: number | null;
  serviceId: number;
  agentUserId: number;
  /** When the call entered its first queue: the interaction's TTA counts from here, across transfers. */
  startedAt: number;
}

export interface Settings {
  requireProtocol: boolean;
  ticketMode: 'every_interaction' | 'on_demand';
}

const NO_MEDIA: CallMedia = { recordings: [], ivrPath: [] };
const DIGITAL: readonly Channel[] = ['whatsapp', 'webchat', 'email', 'mercadolivre'];

/**
 * Interactions as the contact's history and the agent's after-call work see them: opened by
 * the engine that routes them (or registered in person), linked to a contact, tabulated with
 * a status and tags whose actions run here (do-not-call, invalid phone, owner, callback) or are
 * handed back as commands; tickets opened per interaction or on demand; the timeline.
 */
export class InteractionsService {
  private readonly db: Db;
  private readonly repo: InteractionsRepo;
  private readonly settledListeners = new Set<(row: InteractionRow) => void>();

  constructor(
    database: Database_,
    private readonly clock: Clock,
  ) {
    this.db = database.db;
    this.repo = new InteractionsRepo(database);
  }

  settings(tenantId: number): Settings {
    const row = this.repo.settings(tenantId);
    return { requireProtocol: row?.requireProtocol ?? false, ticketMode: row?.ticketMode ?? 'every_interaction' };
  }

  saveSettings(tenantId: number, s: Partial<Settings>): Settings {
    const next = { ...this.settings(tenantId), ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) };
    this.repo.saveSettings(tenantId, next, this.clock.now());
    return next;
  }

  /** The row if `actor` may see it (its tenant, or a super user). */
  visible(actor: Actor, id: number): InteractionRow {
    const row = this.repo.interaction(actor.superUser ? null : actor.tenantId, id);
    if (!row) throw notFound('interaction');
    return row;
  }

  private contactOf(tenantId: number, contactId: number): ContactRow {
    const c = this.repo.contact(tenantId, contactId);
    if (!c) throw invalidField('contactId', 'contactId: no such contact');
    return c;
  }

  /** Opens an interaction (the ACD or dialer when it starts; the desktop for a manual one). */
  open(tenantId: number, o: OpenInteraction): InteractionRow {
    return this.repo.transaction(() => {
      if (o.contactId != null) this.contactOf(tenantId, o.contactId);
      const service = o.serviceId == null ? undefined : this.repo.service(tenantId, o.serviceId);
      if (o.serviceId != null && !service) throw invalidField('serviceId', `serviceId: there is no service (queue) ${o.serviceId} in this tenant`);
      const now = o.startedAt ?? this.clock.now();
      const phone = o.address ? checkPhone(o.address) : undefined;
      const address = phone?.ok ? phone.number : (o.address ?? null);
      const row = this.repo.insertInteraction({
          tenantId,
          contactId: o.contactId ?? null,
          address,
          // Replaced below, once the row has its id.
          protocol: randomUUID(),
          kind: o.kind,
          channel: o.channel,
          serviceId: o.serviceId ?? null,
          serviceName: o.serviceName ?? service?.name ?? null,
          agentUserId: o.agentUserId ?? null,
          callId: o.callId ?? null,
          state: 'open',
          // A caller may add the demand (a campaign's), never lift the service's own.
          requiresTabulation: (o.requiresTabulation ?? false) || (service?.requireTabulation ?? false),
          startedAt: now,
          tagIds: [],
          formValues: {},
        details: o.details ?? {},
      });
      // Protocol: the day and a number unique in the tenant, as customers read it out.
      const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
      const protocol = `${day}${String(row.id).padStart(6, '0')}`;
      this.repo.updateInteraction(tenantId, row.id, { protocol });
      const opened = { ...row, protocol };
      if (row.contactId !== null && this.settings(tenantId).ticketMode === 'every_interaction') this.openTicketFor(opened, o.agentUserId ?? null);
      return opened;
    });
  }

  /**
   * An agent answered a queue's call: the customer's interaction opens then, or — the call was
   * transferred — passes to the agent who answered now, keeping its protocol, its start (so its
   * TTA survives the transfer) and what was noted. Answers the visit it passed from.
   */
  answered(call: AnsweredCall): { movedFrom: string | null } {
    return this.repo.transaction(() => {
      const service = this.repo.service(call.tenantId, call.serviceId);
      const current = call.callId === null ? undefined : this.repo.unfinishedOfCall(call.tenantId, call.callId);
      if (current) {
        const movedFrom = typeof current.details.visitId === 'string' && current.details.visitId !== call.visitId ? current.details.visitId : null;
        this.repo.updateInteraction(call.tenantId, current.id, {
          agentUserId: call.agentUserId,
          serviceId: call.serviceId,
          serviceName: service?.name ?? current.serviceName,
          requiresTabulation: current.requiresTabulation || (service?.requireTabulation ?? false),
          details: { ...current.details, visitId: call.visitId },
        });
        return { movedFrom };
      }
      const contactId = call.contactId !== null && this.repo.contact(call.tenantId, call.contactId) ? call.contactId : null;
      this.open(call.tenantId, {
        contactId,
        address: call.address,
        kind: call.kind,
        channel: call.channel,
        serviceId: call.serviceId,
        agentUserId: call.agentUserId,
        callId: call.callId,
        startedAt: call.startedAt,
        details: { visitId: call.visitId },
      });
      return { movedFrom: null };
    });
  }

  /** Called after an interaction is finished or left pending (the routing engine ends a wrap-up held for it). */
  onSettled(listener: (row: InteractionRow) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** An agent's open work (or the tenant's), oldest first: open, in wrap-up or pending. */
  listOpen(tenantId: number, q: OpenQuery) {
    return this.repo.listOpen(tenantId, q);
  }

  private openTicketFor(row: InteractionRow, userId: number | null): void {
    const now = this.clock.now();
    this.repo.insertTicket(
      { tenantId: row.tenantId, contactId: row.contactId!, interactionId: row.id, subject: `${row.serviceName ?? row.channel} ${row.protocol}`, status: 'open', custom: {}, createdBy: userId, createdAt: now, updatedAt: now },
      userId,
    );
  }

  /** The agent links an unknown caller to a contact (or the contact created from the call). */
  link(actor: Actor, id: number, contactId: number): InteractionRow {
    return this.repo.transaction(() => {
      const row = this.visible(actor, id);
      this.contactOf(row.tenantId, contactId);
      this.repo.updateInteraction(row.tenantId, id, { contactId });
      const linked = { ...row, contactId };
      if (!this.repo.hasTicket(row.tenantId, id) && this.settings(row.tenantId).ticketMode === 'every_interaction') this.openTicketFor(linked, actor.userId || null);
      return linked;
    });
  }

  /** Tabulates and finishes (or leaves pending); runs the status's and tags' actions. */
  finish(actor: Actor, id: number, f: Finish): Finished {
    const done = this.settle(actor, id, f);
    for (const listener of this.settledListeners) listener(done.interaction);
    return done;
  }

  private settle(actor: Actor, id: number, f: Finish): Finished {
    return this.repo.transaction((): Finished => {
      const row = this.visible(actor, id);
      if (row.state === 'finished') throw conflict('the interaction is already finished', { field: 'id' });
      const now = this.clock.now();
      const note = f.note ?? null;
      const formValues = { ...row.formValues, ...checkScoped(this.db, row.tenantId, 'interaction', f.formValues ?? {}, 'formValues', false) };
      if (f.pending) {
        this.repo.updateInteraction(row.tenantId, id, { state: 'pending', note, formValues });
        return { interaction: { ...row, state: 'pending', note, formValues }, commands: [], callbackId: null };
      }
      const statusId = f.statusId ?? null;
      if (statusId === null && row.requiresTabulation) throw invalidField('statusId', 'statusId: this service requires a tabulation to finish');
      const status = statusId === null ? undefined : this.repo.status(row.tenantId, statusId);
      if (statusId !== null && !status?.active) throw invalidField('statusId', 'statusId: no such active status');
      const group = status ? this.repo.statusGroup(row.tenantId, status.groupId) : undefined;
      if (status && !status.kinds.includes(row.kind)) throw invalidField('statusId', `statusId: "${status.name}" does not apply to ${row.kind} interactions`);
      if (group && !group.active) throw invalidField('statusId', `statusId: the group "${group.name}" is inactive`);
      const agentId = row.agentUserId ?? (actor.userId || null);
      if (group && !group.allTeams && !this.offeredTo(group.id, this.teamOf(agentId))) {
        throw invalidField('statusId', `statusId: the group "${group.name}" is not offered to this agent's team`);
      }
      const protocolNeeded = this.settings(row.tenantId).requireProtocol || status?.requiresProtocol === true;
      const externalProtocol = f.externalProtocol?.trim() || null;
      if (protocolNeeded && !externalProtocol) throw invalidField('externalProtocol', 'externalProtocol: required to finish with this tabulation');
      const tagIds = f.tagIds ?? [];
      const tagRows = this.repo.tags(row.tenantId, tagIds);
      for (const tagId of tagIds) {
        const tag = tagRows.find((t) => t.id === tagId);
        if (!tag?.active) throw invalidField('tagIds', `tagIds: no active tag ${tagId}`);
        if (!tag.kinds.includes(row.kind)) throw invalidField('tagIds', `tagIds: "${tag.title}" does not apply to ${row.kind} interactions`);
        if (tag.serviceIds.length > 0 && (row.serviceId === null || !tag.serviceIds.includes(row.serviceId))) throw invalidField('tagIds', `tagIds: "${tag.title}" is not offered in this service`);
      }
      if (status?.requiresTag && tagIds.length === 0) throw invalidField('tagIds', `tagIds: "${status.name}" requires a tag`);
      const nextAt = f.nextContactAt ?? null;
      if (status?.schedulesCallback && nextAt === null) throw invalidField('nextContactAt', `nextContactAt: "${status.name}" schedules the next contact; pick its date and time`);
      if (nextAt !== null && nextAt <= now) throw invalidField('nextContactAt', 'nextContactAt: must be in the future');
      if (nextAt !== null && row.contactId === null) throw invalidField('nextContactAt', 'nextContactAt: link the interaction to a contact first');

      const contact = row.contactId === null ? undefined : this.repo.contact(row.tenantId, row.contactId);
      if (f.formId != null) this.checkForm(row.tenantId, f.formId, contact, formValues);
      const plan = planFinish(mergeActions([status?.actions ?? {}, ...tagRows.map((t) => t.actions)]), DIGITAL.includes(row.channel), this.templateValues(row, contact, agentId), now);
      if (contact) {
        const set: Partial<Pick<ContactRow, 'doNotCall' | 'ownerUserId' | 'ownerUntil'>> = {};
        if (plan.contact.doNotCall) set.doNotCall = true;
        if (plan.contact.owner?.set === true && agentId !== null) Object.assign(set, { ownerUserId: agentId, ownerUntil: plan.contact.owner.until });
        if (plan.contact.owner?.set === false) Object.assign(set, { ownerUserId: null, ownerUntil: null });
        if (Object.keys(set).length > 0) this.repo.updateContact(row.tenantId, contact.id, { ...set, updatedAt: now });
        if (plan.contact.phoneInvalid && row.address) this.repo.markPhoneInvalid(row.tenantId, contact.id, row.address, `tabulated ${status?.name ?? 'invalid'} (${row.protocol})`);
      }
      let callbackId: number | null = null;
      if (nextAt !== null) {
        callbackId = this.repo.insertCallback({
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
        });
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
      this.repo.updateInteraction(row.tenantId, id, done);
      return { interaction: { ...row, ...done }, commands: plan.commands, callbackId };
    });
  }

  private teamOf(userId: number | null): number | null {
    return userId === null ? null : this.repo.teamOf(userId);
  }

  private offeredTo(groupId: number, teamId: number | null): boolean {
    if (teamId === null) return false;
    return this.repo.groupOfferedTo(groupId, teamId);
  }

  /** What `{{…}}` variables of a closing message or a shortcut become for this interaction. */
  private templateValues(row: InteractionRow, contact: ContactRow | undefined, agentId: number | null): TemplateValues {
    const agent = agentId === null ? null : this.repo.userName(agentId);
    return { primeiro_nome: contact ? firstName(contact.name) : null, nome: contact?.name ?? null, protocolo: row.protocol, agente: agent, servico: row.serviceName };
  }

  /**
   * What the agent may tabulate this interaction with: the active groups offered to the agent's
   * team (or to all teams), each with its active statuses that apply to the interaction's kind,
   * and the active tags of that kind offered in its service.
   */
  tabulationsFor(actor: Actor, id: number) {
    const row = this.visible(actor, id);
    const teamId = this.teamOf(row.agentUserId ?? (actor.userId || null));
    const groups = this.repo.activeGroups(row.tenantId).filter((g) => g.allTeams || this.offeredTo(g.id, teamId));
    const offered = this.repo.activeStatuses(
      row.tenantId,
      groups.map((g) => g.id),
    );
    const tagRows = this.repo.activeTags(row.tenantId);
    return {
      tenantId: row.tenantId,
      groups: groups.map((g) => ({ group: g, statuses: offered.filter((st) => st.groupId === g.id && st.kinds.includes(row.kind)) })).filter((g) => g.statuses.length > 0),
      tags: tagRows.filter((t) => t.kinds.includes(row.kind) && (t.serviceIds.length === 0 || (row.serviceId !== null && t.serviceIds.includes(row.serviceId)))),
    };
  }

  /** The shortcuts of the interaction's service (and those of every service), their variables filled in. */
  shortcutsFor(actor: Actor, id: number, prefix: string | undefined) {
    const row = this.visible(actor, id);
    const contact = row.contactId === null ? undefined : this.repo.contact(row.tenantId, row.contactId);
    const values = this.templateValues(row, contact, row.agentUserId ?? (actor.userId || null));
    return this.repo
      .shortcutsFor(row.tenantId, row.serviceId)
      .filter((sc) => !prefix || sc.prefix.toLowerCase().startsWith(prefix.replace(/^\//, '').toLowerCase()))
      .map((sc) => ({ id: sc.id, prefix: sc.prefix, text: renderTemplate(sc.text, values) }));
  }

  /** The required items of the form: interaction fields among the values, contact fields on the contact. */
  private checkForm(tenantId: number, formId: number, contact: ContactRow | undefined, values: Record<string, FieldValue>): void {
    const form = this.repo.form(tenantId, formId);
    if (!form?.active) throw invalidField('formId', 'formId: no such active form');
    for (const item of resolveItems(this.db, tenantId, form.items)) {
      if (!item.required) continue;
      if (item.source === 'interaction') {
        if (values[item.key] === undefined) throw invalidField(`formValues.${item.key}`, `formValues.${item.key}: ${item.label ?? item.key} is required by the form`);
        continue;
      }
      if (!contact) throw invalidField('contactId', 'contactId: the form needs a contact; link the interaction first');
      const reach = this.repo.reachability(tenantId, contact.id);
      const builtIn: Record<string, unknown> = { ...contact, phones: reach.phones || null, emails: reach.emails || null };
      const value = item.builtIn ? builtIn[item.key] : contact.custom[item.key];
      if (value === undefined || value === null || value === '') {
        throw invalidField(`contact.${item.key}`, `contact.${item.key}: ${item.label ?? item.key} is required by the form; fill it on the contact`);
      }
    }
  }

  /** An attendance in person, registered by the agent: already finished. */
  inPerson(actor: Actor, tenantId: number, p: { contactId: number; serviceId?: number | null; serviceName?: string | null; description: string }): InteractionRow {
    const { description } = p;
    const row = this.open(tenantId, {
      contactId: p.contactId,
      kind: 'contact',
      channel: 'in_person',
      serviceId: p.serviceId ?? null,
      serviceName: p.serviceName ?? null,
      agentUserId: actor.userId || null,
      details: { description },
    });
    const now = this.clock.now();
    this.repo.updateInteraction(tenantId, row.id, { state: 'finished', endedAt: now, note: description, tabulatedAt: now, tabulatedBy: actor.userId || null });
    return { ...row, state: 'finished', endedAt: now, note: description };
  }

  /** The contact's interactions on every channel, newest first; a call's with its recordings and IVR path. */
  history(tenantId: number, contactId: number, q: HistoryQuery) {
    const page = this.repo.history(tenantId, contactId, q);
    const media = this.repo.callMedia(tenantId, [...new Set(page.rows.flatMap((r) => (r.i.callId === null ? [] : [r.i.callId])))]);
    return { total: page.total, rows: page.rows.map((r) => ({ ...r, media: (r.i.callId === null ? undefined : media.get(r.i.callId)) ?? NO_MEDIA })) };
  }

  // Tickets

  /** The tenant's tickets, most recently changed first, with their contact's name. */
  tickets(tenantId: number, q: TicketQuery) {
    return this.repo.tickets(tenantId, q);
  }

  ticketsOf(tenantId: number, contactId: number): TicketRow[] {
    return this.repo.ticketsOf(tenantId, contactId);
  }

  visibleTicket(actor: Actor, id: number): TicketRow {
    const t = this.repo.ticket(actor.superUser ? null : actor.tenantId, id);
    if (!t) throw notFound('ticket');
    return t;
  }

  openTicket(actor: Actor, tenantId: number, t: { contactId: number; interactionId?: number | null; subject: string; status?: TicketStatus; custom?: Record<string, FieldValue | null> }): TicketRow {
    return this.repo.transaction(() => {
      this.contactOf(tenantId, t.contactId);
      if (t.interactionId != null) {
        const i = this.visible(actor, t.interactionId);
        if (i.contactId !== t.contactId) throw invalidField('interactionId', 'interactionId: the interaction is not of this contact');
      }
      const custom = checkScoped(this.db, tenantId, 'ticket', t.custom ?? {}, 'custom', true);
      const now = this.clock.now();
      return this.repo.insertTicket(
        { tenantId, contactId: t.contactId, interactionId: t.interactionId ?? null, subject: t.subject, status: t.status ?? 'open', custom, createdBy: actor.userId || null, createdAt: now, updatedAt: now },
        actor.userId || null,
      );
    });
  }

  /** Changes a ticket from an interaction (or not); every change is kept in its history. */
  updateTicket(actor: Actor, id: number, patch: { subject?: string; status?: TicketStatus; custom?: Record<string, FieldValue | null>; interactionId?: number | null }): TicketRow {
    return this.repo.transaction(() => {
      const before = this.visibleTicket(actor, id);
      const custom = patch.custom ? checkScoped(this.db, before.tenantId, 'ticket', { ...before.custom, ...patch.custom }, 'custom', true, before.custom) : before.custom;
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
      this.repo.updateTicket(before.tenantId, id, { ...after, updatedAt: now }, { userId: actor.userId || null, interactionId: patch.interactionId ?? null, changes });
      return { ...before, ...after, updatedAt: now };
    });
  }

  ticketEvents(ticketId: number) {
    return this.repo.ticketEvents(ticketId);
  }

  // Callbacks

  callbacks(tenantId: number, q: CallbackQuery) {
    return this.repo.callbacks(tenantId, q);
  }

  setCallbackState(actor: Actor, id: number, state: 'done' | 'cancelled') {
    const row = this.repo.callback(actor.superUser ? null : actor.tenantId, id);
    if (!row) throw notFound('callback');
    if (row.state !== 'pending') throw conflict(`the callback is already ${row.state}`, { field: 'state' });
    this.repo.setCallbackState(row.tenantId, id, state);
    return { ...row, state };
  }
}

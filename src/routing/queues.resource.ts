/**
 * Serviços / filas on the resource mechanism: a queue's strategy, timers, limits, rules,
 * announcements, service-level settings, recording and its members (agents and plain
 * extensions with their priority there). A queue is deleted only when nobody is linked to it
 * and it has no history; otherwise it is deactivated.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../db/client.js';
import { contactBooks, pauseTypes, queueMembers, queues, routedInteractions, users } from '../db/schema/index.js';
import { DestinationBody, DestinationView, destinationFromColumns, type DestinationColumns, type DestinationInput } from '../calls/index.js';
import { destinationColumns, destinationOf, registerDestinationReferrers, type Destinations } from '../provisioning/index.js';
import { Id, Literals, MultilineText, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { conflict, groupBy, invalidField } from '../kernel/index.js';
import type { ReferenceRegistry, ResourceDef, WriteContext } from '../resources/index.js';
import { checkPriorityRules } from './queue.logic.js';
import { JOIN_RULES, LEAVE_RULES, STICKY_MODES, STRATEGIES } from './routing.model.js';

export const MemberBody = Type.Object(
  {
    userId: Type.Optional(Id),
    extension: Type.Optional(Type.String({ pattern: '^[0-9]{2,8}$', maxLength: 8, description: 'a plain extension that rings without login' })),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: '1 is offered first' })),
  },
  closed,
);

const Seconds = (max: number, description?: string) => Type.Integer({ minimum: 0, maximum: max, ...(description ? { description } : {}) });

export const QueueBody = Type.Object(
  {
    name: RequiredText({ maxLength: 80 }),
    number: Type.String({ pattern: '^[0-9]{2,8}$', maxLength: 8, description: 'the queue number (digits)' }),
    description: Type.Optional(Nullable(MultilineText({ maxLength: 300 }))),
    active: Type.Optional(Type.Boolean()),
    strategy: Type.Optional(Literals(STRATEGIES)),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'interactions of higher-priority queues are served first by shared agents' })),
    maxWaiting: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'waiting interactions allowed at once; 0: no limit' })),
    maxWaitSeconds: Type.Optional(Seconds(86_400, 'longest wait before the destination; 0: no limit')),
    ringSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 300, description: 'how long one agent rings' })),
    autoPauseAfter: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, description: 'unanswered offers in a row that pause the agent; 0: never' })),
    autoPauseTypeId: Type.Optional(Nullable(Id)),
    wrapUpSeconds: Type.Optional(Seconds(3600)),
    stickySeconds: Type.Optional(Seconds(3600, 'how long the sticky agent alone is offered the interaction; 0: off')),
    stickyMode: Type.Optional(Literals(STICKY_MODES)),
    priorityRules: Type.Optional(
      Type.Array(Type.Object({ afterSeconds: Seconds(86_400), maxPriority: Type.Integer({ minimum: 1, maximum: 10 }) }, closed), {
        maxItems: 10,
        description: 'member priorities widening with wait time; empty: every member, lower priorities first',
      }),
    ),
    joinRule: Type.Optional(Literals(JOIN_RULES)),
    leaveRule: Type.Optional(Literals(LEAVE_RULES)),
    mohClass: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_-]+$' }))),
    announcePosition: Type.Optional(Type.Boolean()),
    announceWait: Type.Optional(Type.Boolean()),
    announceEverySeconds: Type.Optional(Seconds(3600, 'seconds between position / expected-wait announcements; 0: none')),
    slaPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'service-level target: this % answered within slaSeconds' })),
    slaSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    shortAbandonSeconds: Type.Optional(Seconds(600, 'abandons within this are left out of the service level')),
    record: Type.Optional(Type.Boolean()),
    retentionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, description: 'days recordings are kept; 0: for ever' })),
    showOnDesktop: Type.Optional(Type.Boolean()),
    /** The contact book its callers are looked up in (the screen pop) and created in when unknown; null: the tenant's default book. */
    contactBookId: Type.Optional(Nullable(Id)),
    requireTabulation: Type.Optional(Type.Boolean({ description: 'its interactions are finished only with a tabulation' })),
    /** Where an interaction goes when it leaves the queue without an agent ("mensagem não atendida"). */
    destination: Type.Optional(DestinationBody),
    members: Type.Optional(Type.Array(MemberBody, { maxItems: 1000 })),
  },
  closed,
);
export type QueueInput = Static<typeof QueueBody>;

const MemberView = Type.Object({
  userId: Nullable(Type.Integer()),
  extension: Nullable(Type.String()),
  name: Type.String(),
  priority: Type.Integer(),
});

export const QueueView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  number: Type.String(),
  description: Nullable(Type.String()),
  active: Type.Boolean(),
  strategy: Type.String(),
  priority: Type.Integer(),
  maxWaiting: Type.Integer(),
  maxWaitSeconds: Type.Integer(),
  ringSeconds: Type.Integer(),
  autoPauseAfter: Type.Integer(),
  autoPauseTypeId: Nullable(Type.Integer()),
  wrapUpSeconds: Type.Integer(),
  stickySeconds: Type.Integer(),
  stickyMode: Type.String(),
  priorityRules: Type.Array(Type.Object({ afterSeconds: Type.Integer(), maxPriority: Type.Integer() })),
  joinRule: Type.String(),
  leaveRule: Type.String(),
  mohClass: Nullable(Type.String()),
  announcePosition: Type.Boolean(),
  announceWait: Type.Boolean(),
  announceEverySeconds: Type.Integer(),
  slaPercent: Type.Integer(),
  slaSeconds: Type.Integer(),
  shortAbandonSeconds: Type.Integer(),
  record: Type.Boolean(),
  retentionDays: Type.Integer(),
  showOnDesktop: Type.Boolean(),
  contactBookId: Nullable(Type.Integer()),
  requireTabulation: Type.Boolean(),
  destination: DestinationView,
  members: Type.Array(MemberView),
  ...Timestamps,
});
export type QueueViewT = Static<typeof QueueView>;

export type QueueRow = typeof queues.$inferSelect;
type MemberRow = typeof queueMembers.$inferSelect;

export function membersOf(db: Db, queueIds: readonly number[]): Map<number, MemberRow[]> {
  if (queueIds.length === 0) return new Map();
  const rows = db.select().from(queueMembers).where(inArray(queueMembers.queueId, [...queueIds])).orderBy(queueMembers.position).all();
  return groupBy(rows, (r) => r.queueId);
}

/** The overflow as stored; on update, one that would bring a caller nobody serves back to this queue is refused. */
function overflowColumns(w: WriteContext<typeof queues>, destinations: Destinations, input: DestinationInput): DestinationColumns {
  const columns = destinationColumns(w.db, w.tenantId, input, 'destination');
  if (w.before) destinations.checkNoSilentLoop(w.tenantId, { kind: 'queue', id: w.before.id }, [destinationFromColumns(columns)], 'destination.id');
  return columns;
}

function checkMembers(w: WriteContext<typeof queues>, members: NonNullable<QueueInput['members']>): void {
  const seenUsers = new Set<number>();
  const seenExtensions = new Set<string>();
  members.forEach((m, i) => {
    const field = `members.${i}`;
    if ((m.userId === undefined) === (m.extension === undefined)) throw invalidField(field, `${field}: give either userId (an agent) or extension (a plain extension)`);
    if (m.userId !== undefined) {
      if (seenUsers.has(m.userId)) throw invalidField(`${field}.userId`, `${field}.userId: user ${m.userId} is listed twice`);
      seenUsers.add(m.userId);
    } else {
      if (seenExtensions.has(m.extension!)) throw invalidField(`${field}.extension`, `${field}.extension: extension ${m.extension} is listed twice`);
      seenExtensions.add(m.extension!);
    }
  });
  if (seenUsers.size > 0) {
    const found = new Set(
      w.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.tenantId, w.tenantId), inArray(users.id, [...seenUsers])))
        .all()
        .map((u) => u.id),
    );
    const i = members.findIndex((m) => m.userId !== undefined && !found.has(m.userId));
    if (i >= 0) throw invalidField(`members.${i}.userId`, `members.${i}.userId: there is no user ${members[i]!.userId} in this tenant`);
  }
}

/** The queue's own settings, as both the input and the view carry them. */
function settingsOf(row: QueueRow) {
  const { id: _id, tenantId: _t, createdAt: _c, updatedAt: _u, destKind: _k, destId: _i, destNumber: _n, destCause: _x, ...rest } = row;
  return rest;
}

export const queueDef = (destinations: Destinations): ResourceDef<typeof queues, QueueInput, QueueViewT> => ({
  label: 'queue',
  entity: 'queue',
  table: queues,
  unique: { number: queues.number, name: queues.name },
  search: [queues.name, queues.number],
  sortable: { name: queues.name, number: queues.number },
  filter: (q) => [q.active === undefined ? undefined : eq(queues.active, q.active as boolean)],
  toColumns(input, w) {
    const rules = input.priorityRules ?? [];
    const bad = checkPriorityRules(rules);
    if (bad) throw invalidField(`priorityRules.${bad.index}.${bad.field}`, `priorityRules.${bad.index}.${bad.field}: ${bad.message}`);
    const autoPauseAfter = input.autoPauseAfter ?? 0;
    const autoPauseTypeId = input.autoPauseTypeId ?? null;
    if (autoPauseAfter > 0 && autoPauseTypeId === null) throw invalidField('autoPauseTypeId', 'autoPauseTypeId: the pause agents are put in after unanswered offers is required');
    if (autoPauseTypeId !== null) {
      const p = w.db.select().from(pauseTypes).where(and(eq(pauseTypes.id, autoPauseTypeId), eq(pauseTypes.tenantId, w.tenantId))).get();
      if (!p) throw invalidField('autoPauseTypeId', `autoPauseTypeId: there is no pause type ${autoPauseTypeId} in this tenant`);
      if (p.wrapUp) throw invalidField('autoPauseTypeId', `autoPauseTypeId: "${p.reason}" is the automatic wrap-up pause`);
    }
    if (input.members) checkMembers(w, input.members);
    const contactBookId = input.contactBookId ?? null;
    if (contactBookId !== null && !w.db.select({ id: contactBooks.id }).from(contactBooks).where(and(eq(contactBooks.id, contactBookId), eq(contactBooks.tenantId, w.tenantId))).get()) {
      throw invalidField('contactBookId', `contactBookId: there is no contact book ${contactBookId} in this tenant`);
    }
    return {
      name: input.name,
      number: input.number,
      description: input.description ?? null,
      active: input.active ?? true,
      strategy: input.strategy ?? 'longest_idle',
      priority: input.priority ?? 0,
      maxWaiting: input.maxWaiting ?? 0,
      maxWaitSeconds: input.maxWaitSeconds ?? 0,
      ringSeconds: input.ringSeconds ?? 15,
      autoPauseAfter,
      autoPauseTypeId,
      wrapUpSeconds: input.wrapUpSeconds ?? 0,
      stickySeconds: input.stickySeconds ?? 0,
      stickyMode: input.stickyMode ?? 'owner',
      priorityRules: [...rules].sort((a, b) => a.afterSeconds - b.afterSeconds),
      joinRule: input.joinRule ?? 'always',
      leaveRule: input.leaveRule ?? 'never',
      mohClass: input.mohClass ?? null,
      announcePosition: input.announcePosition ?? false,
      announceWait: input.announceWait ?? false,
      announceEverySeconds: input.announceEverySeconds ?? 0,
      slaPercent: input.slaPercent ?? 80,
      slaSeconds: input.slaSeconds ?? 20,
      shortAbandonSeconds: input.shortAbandonSeconds ?? 3,
      record: input.record ?? false,
      retentionDays: input.retentionDays ?? 0,
      showOnDesktop: input.showOnDesktop ?? true,
      contactBookId,
      requireTabulation: input.requireTabulation ?? false,
      ...overflowColumns(w, destinations, input.destination ?? { kind: 'hangup' }),
    };
  },
  toInput(row, r) {
    const members = membersOf(r.db, [row.id]).get(row.id) ?? [];
    return {
      ...settingsOf(row),
      destination: destinationFromColumns(row),
      members: members.map((m) => (m.userId !== null ? { userId: m.userId, priority: m.priority } : { extension: m.extension!, priority: m.priority })),
    };
  },
  toView(row, r) {
    const members = membersOf(r.db, [row.id]).get(row.id) ?? [];
    const names = new Map(
      members.some((m) => m.userId !== null)
        ? r.db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(inArray(users.id, members.flatMap((m) => (m.userId === null ? [] : [m.userId]))))
            .all()
            .map((u) => [u.id, u.name])
        : [],
    );
    return {
      id: row.id,
      tenantId: row.tenantId,
      ...settingsOf(row),
      destination: destinationOf(r.db, row.tenantId, row),
      members: members.map((m) => ({
        userId: m.userId,
        extension: m.extension,
        name: m.userId !== null ? (names.get(m.userId) ?? `user ${m.userId}`) : `extension ${m.extension}`,
        priority: m.priority,
      })),
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  },
  afterWrite(row, input, w) {
    if (!input.members) return;
    w.db.delete(queueMembers).where(eq(queueMembers.queueId, row.id)).run();
    input.members.forEach((m, position) => {
      w.db
        .insert(queueMembers)
        .values({ tenantId: w.tenantId, queueId: row.id, userId: m.userId ?? null, extension: m.extension ?? null, priority: m.priority ?? 1, position })
        .run();
    });
  },
  beforeDelete(row, w) {
    const linked = w.db.select({ id: queueMembers.id }).from(queueMembers).where(eq(queueMembers.queueId, row.id)).limit(1).get();
    if (linked) throw conflict(`the queue "${row.name}" still has members (agents or extensions); remove them first, or deactivate it`, { field: 'members' });
    const used = w.db.select({ id: routedInteractions.id }).from(routedInteractions).where(eq(routedInteractions.queueId, row.id)).limit(1).get();
    if (used) throw conflict(`the queue "${row.name}" has interactions in its history; deactivate it instead (active: false)`, { field: 'id' });
  },
});

/** Queues whose overflow goes to a row (another queue, an IVR, an extension…) keep it from being deleted; so do the contact books queues name. */
export function registerQueueReferences(references: ReferenceRegistry, db: Db): void {
  references.add('contact_book', (tenantId, id) =>
    db
      .select({ id: queues.id, name: queues.name })
      .from(queues)
      .where(and(eq(queues.tenantId, tenantId), eq(queues.contactBookId, id)))
      .all()
      .map((q) => ({ entity: 'queue', id: q.id, name: q.name })),
  );
  registerDestinationReferrers(references, db, queues, 'queue', (q) => q.name);
}

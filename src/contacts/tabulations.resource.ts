import { Type, type Static } from '@sinclair/typebox';
import { and, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { statusGroupTeams, statusGroups, statuses, tags, teams, type TabulationActions } from '../db/schema/index.js';
import { Id, Nullable, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import type { ResourceDef, RowOf, WriteContext } from '../resources/index.js';
import { Actions, Flag, Kinds, Literals, Name, OptionalText, iso } from './schemas.js';
import { checkServices } from './services.ref.js';
import { unknownVariables } from './template.logic.js';

/** Checks the actions of a status or a tag; `field` is where they sit in the body. */
function checkActions(actions: TabulationActions | undefined, field = 'actions'): TabulationActions {
  const a = actions ?? {};
  if (a.closingMessage) {
    const unknown = unknownVariables(a.closingMessage);
    if (unknown.length > 0) throw invalidField(`${field}.closingMessage`, `${field}.closingMessage: unknown variable {{${unknown[0]}}}`);
  }
  if (a.ownerDays != null && a.owner !== 'set') throw invalidField(`${field}.ownerDays`, `${field}.ownerDays: only when owner is "set"`);
  if (a.markPhoneInvalid && a.redialAfterMinutes != null) {
    throw invalidField(`${field}.redialAfterMinutes`, `${field}.redialAfterMinutes: a number marked invalid is not redialled`);
  }
  if (a.markContactDoNotCall && a.redialAfterMinutes != null) {
    throw invalidField(`${field}.redialAfterMinutes`, `${field}.redialAfterMinutes: a do-not-call contact is not redialled`);
  }
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined && v !== null && v !== false)) as TabulationActions;
}

// Status groups

export const GroupBody = Type.Object(
  {
    name: Name(),
    description: OptionalText(500),
    allTeams: Flag,
    teamIds: Type.Optional(Type.Array(Id, { maxItems: 500, uniqueItems: true, description: 'the teams it is offered to when allTeams is false' })),
    active: Flag,
  },
  closed,
);
export type GroupInput = Static<typeof GroupBody>;
export const GroupView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  allTeams: Type.Boolean(),
  teamIds: Type.Array(Type.Integer()),
  active: Type.Boolean(),
  statusCount: Type.Integer(),
  ...Timestamps,
});
export type GroupView = Static<typeof GroupView>;

const groupTeams = (db: Db, groupId: number): number[] =>
  db.select({ teamId: statusGroupTeams.teamId }).from(statusGroupTeams).where(eq(statusGroupTeams.groupId, groupId)).all().map((r) => r.teamId);

export const groupDef: ResourceDef<typeof statusGroups, GroupInput, GroupView> = {
  label: 'status group',
  entity: 'status_group',
  table: statusGroups,
  unique: { name: statusGroups.name },
  search: [statusGroups.name],
  sortable: { name: statusGroups.name },
  filter: (q) => [q.active === undefined ? undefined : eq(statusGroups.active, q.active as boolean)],
  toColumns(input, w) {
    const allTeams = input.allTeams ?? true;
    const teamIds = input.teamIds ?? [];
    if (!allTeams && teamIds.length === 0) throw invalidField('teamIds', 'teamIds: name the teams, or offer the group to all teams');
    if (teamIds.length > 0) {
      const found = w.db.select({ id: teams.id }).from(teams).where(and(eq(teams.tenantId, w.tenantId), inArray(teams.id, teamIds))).all();
      const missing = teamIds.find((id) => !found.some((t) => t.id === id));
      if (missing !== undefined) throw invalidField('teamIds', `teamIds: no team ${missing}`);
    }
    return { name: input.name, description: input.description ?? null, allTeams, active: input.active ?? true };
  },
  toInput: (row, r) => ({ name: row.name, description: row.description, allTeams: row.allTeams, teamIds: groupTeams(r.db, row.id), active: row.active }),
  toView: (row, r) => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    description: row.description,
    allTeams: row.allTeams,
    teamIds: row.allTeams ? [] : groupTeams(r.db, row.id),
    active: row.active,
    statusCount: r.db.select({ n: count() }).from(statuses).where(eq(statuses.groupId, row.id)).get()?.n ?? 0,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
  afterWrite(row, input, w) {
    w.db.delete(statusGroupTeams).where(eq(statusGroupTeams.groupId, row.id)).run();
    if (!row.allTeams) for (const teamId of input.teamIds ?? []) w.db.insert(statusGroupTeams).values({ groupId: row.id, teamId }).run();
  },
};

/** A group with statuses is in use by them. */
export const statusesOfGroup = (db: Db) => (_tenantId: number, id: number) =>
  db
    .select({ id: statuses.id, name: statuses.name })
    .from(statuses)
    .where(eq(statuses.groupId, id))
    .all()
    .map((s) => ({ entity: 'status', id: s.id, name: s.name }));

// Statuses

export const StatusBody = Type.Object(
  {
    groupId: Id,
    name: Name(),
    description: OptionalText(500),
    integrationCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
    category: Literals(['positive', 'neutral', 'negative'] as const),
    kinds: Kinds,
    productive: Flag,
    isDefault: Flag,
    schedulesCallback: Flag,
    requiresProtocol: Flag,
    requiresTag: Flag,
    actions: Type.Optional(Actions),
    active: Flag,
  },
  closed,
);
export type StatusInput = Static<typeof StatusBody>;
export const StatusView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  groupId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  integrationCode: Nullable(Type.String()),
  category: Type.String(),
  kinds: Type.Array(Type.String()),
  productive: Type.Boolean(),
  isDefault: Type.Boolean(),
  schedulesCallback: Type.Boolean(),
  requiresProtocol: Type.Boolean(),
  requiresTag: Type.Boolean(),
  actions: Actions,
  active: Type.Boolean(),
  ...Timestamps,
});
export type StatusView = Static<typeof StatusView>;
type StatusRow = RowOf<typeof statuses>;

function statusInput(row: StatusRow) {
  return {
    groupId: row.groupId,
    name: row.name,
    description: row.description,
    integrationCode: row.integrationCode,
    category: row.category,
    kinds: row.kinds,
    productive: row.productive,
    isDefault: row.isDefault,
    schedulesCallback: row.schedulesCallback,
    requiresProtocol: row.requiresProtocol,
    requiresTag: row.requiresTag,
    actions: row.actions,
    active: row.active,
  };
}

export const statusDef: ResourceDef<typeof statuses, StatusInput, StatusView> = {
  label: 'status',
  entity: 'status',
  table: statuses,
  search: [statuses.name, statuses.integrationCode],
  sortable: { name: statuses.name },
  filter: (q) => [
    q.groupId === undefined ? undefined : eq(statuses.groupId, q.groupId as number),
    q.active === undefined ? undefined : eq(statuses.active, q.active as boolean),
  ],
  toColumns(input, w) {
    const group = w.db.select().from(statusGroups).where(eq(statusGroups.id, input.groupId)).get();
    if (group?.tenantId !== w.tenantId) throw invalidField('groupId', 'groupId: no such status group');
    const clash = w.db
      .select({ id: statuses.id })
      .from(statuses)
      .where(and(eq(statuses.groupId, input.groupId), eq(statuses.name, input.name), ...(w.before ? [ne(statuses.id, w.before.id)] : [])))
      .get();
    if (clash) throw conflict(`the group already has a status named "${input.name}"`, { field: 'name' });
    if (input.actions?.transferServiceId) checkServices(w.db, w.tenantId, 'actions.transferServiceId', [input.actions.transferServiceId]);
    return {
      groupId: input.groupId,
      name: input.name,
      description: input.description ?? null,
      integrationCode: input.integrationCode ?? null,
      category: input.category,
      kinds: input.kinds,
      productive: input.productive ?? false,
      isDefault: input.isDefault ?? false,
      schedulesCallback: input.schedulesCallback ?? false,
      requiresProtocol: input.requiresProtocol ?? false,
      requiresTag: input.requiresTag ?? false,
      actions: checkActions(input.actions),
      active: input.active ?? true,
    };
  },
  toInput: statusInput,
  toView: (row: StatusRow) => ({
    id: row.id,
    tenantId: row.tenantId,
    ...statusInput(row),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
  afterWrite(row, _input, w) {
    // One default per group: the status preselected when an agent opens the group.
    if (row.isDefault) w.db.update(statuses).set({ isDefault: false }).where(and(eq(statuses.groupId, row.groupId), ne(statuses.id, row.id))).run();
  },
};

// Tags

export const TagBody = Type.Object(
  {
    parentId: Type.Optional(Nullable(Id)),
    title: Name(60),
    description: OptionalText(500),
    colour: Type.String({ pattern: '^#[0-9a-fA-F]{6}$', maxLength: 7, description: '#RRGGBB' }),
    icon: Type.Optional(Nullable(Type.String({ pattern: '^[a-z0-9 -]{1,40}$', maxLength: 40, description: 'an icon name, e.g. pi pi-star' }))),
    kinds: Kinds,
    serviceIds: Type.Optional(Type.Array(Id, { maxItems: 500, uniqueItems: true, description: 'services it is offered in; empty: all' })),
    actions: Type.Optional(Actions),
    active: Flag,
  },
  closed,
);
export type TagInput = Static<typeof TagBody>;
export const TagView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  title: Type.String(),
  description: Nullable(Type.String()),
  colour: Type.String(),
  icon: Nullable(Type.String()),
  kinds: Type.Array(Type.String()),
  serviceIds: Type.Array(Type.Integer()),
  actions: Actions,
  active: Type.Boolean(),
  children: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })),
  ...Timestamps,
});
export type TagView = Static<typeof TagView>;

const childrenOf = (db: Db, id: number) => db.select({ id: tags.id, title: tags.title }).from(tags).where(eq(tags.parentId, id)).all();

function checkParent(input: TagInput, w: WriteContext<typeof tags>): number | null {
  const parentId = input.parentId ?? null;
  if (parentId === null) return null;
  const parent = w.db.select().from(tags).where(eq(tags.id, parentId)).get();
  if (parent?.tenantId !== w.tenantId) throw invalidField('parentId', 'parentId: no such tag');
  if (w.before && parent.id === w.before.id) throw invalidField('parentId', 'parentId: a tag cannot be its own macro tag');
  if (parent.parentId !== null) throw invalidField('parentId', 'parentId: a child tag cannot have children; pick a macro tag');
  if (w.before && childrenOf(w.db, w.before.id).length > 0) throw invalidField('parentId', 'parentId: this macro tag has children and cannot become a child');
  return parentId;
}

/** Powertags: macro tags and their children; deleting a macro with children needs `?withChildren=true`. */
export const tagDef: ResourceDef<typeof tags, TagInput, TagView> = {
  label: 'tag',
  entity: 'tag',
  table: tags,
  search: [tags.title],
  sortable: { title: tags.title },
  filter: (q) => [
    q.parentId === undefined ? undefined : eq(tags.parentId, q.parentId as number),
    q.root === true ? isNull(tags.parentId) : undefined,
    q.active === undefined ? undefined : eq(tags.active, q.active as boolean),
  ],
  toColumns(input, w) {
    const parentId = checkParent(input, w);
    const siblings = w.db
      .select({ id: tags.id })
      .from(tags)
      .where(and(eq(tags.tenantId, w.tenantId), parentId === null ? isNull(tags.parentId) : eq(tags.parentId, parentId), eq(tags.title, input.title), ...(w.before ? [ne(tags.id, w.before.id)] : [])))
      .get();
    if (siblings) throw conflict(`a tag titled "${input.title}" already exists there`, { field: 'title' });
    checkServices(w.db, w.tenantId, 'serviceIds', input.serviceIds ?? [], true);
    if (input.actions?.transferServiceId) checkServices(w.db, w.tenantId, 'actions.transferServiceId', [input.actions.transferServiceId]);
    return {
      parentId,
      title: input.title,
      description: input.description ?? null,
      colour: input.colour.toLowerCase(),
      icon: input.icon ?? null,
      kinds: input.kinds,
      serviceIds: input.serviceIds ?? [],
      actions: checkActions(input.actions),
      active: input.active ?? true,
    };
  },
  toInput: (row) => ({
    parentId: row.parentId,
    title: row.title,
    description: row.description,
    colour: row.colour,
    icon: row.icon,
    kinds: row.kinds,
    serviceIds: row.serviceIds,
    actions: row.actions,
    active: row.active,
  }),
  toView: (row, r) => ({
    id: row.id,
    tenantId: row.tenantId,
    parentId: row.parentId,
    title: row.title,
    description: row.description,
    colour: row.colour,
    icon: row.icon,
    kinds: row.kinds,
    serviceIds: row.serviceIds,
    actions: row.actions,
    active: row.active,
    children: childrenOf(r.db, row.id),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
  beforeDelete(row, w, options) {
    const children = childrenOf(w.db, row.id);
    if (children.length > 0 && options.withChildren !== true) {
      throw conflict(`the macro tag has ${children.length} child tags; confirm with withChildren=true to delete them too`, {
        field: 'withChildren',
        children,
      });
    }
  },
};

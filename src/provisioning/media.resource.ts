/**
 * Music-on-hold classes, announcements and conferences: what plays or gathers a call inside
 * Atende. Prompts (the audio) belong to the prompts module and are named by id through the
 * `PromptCatalog`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { announcements, conferences, mohClasses } from '../db/schema/index.js';
import { Id, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import { stamps } from './views.js';
import type { ResourceDef } from '../resources/index.js';
import { destinationFromColumns } from '../calls/index.js';
import { DestinationBody, DestinationView, destinationColumns, destinationOf, type Destinations } from './destination.js';
import { assertNumberFree } from './numbering-plan.js';
import type { PromptCatalog } from './prompts.js';

const PromptIds = (min: number) => Type.Array(Id, { minItems: min, maxItems: 50, description: 'prompt ids, in playing order' });

function checkPrompts(prompts: PromptCatalog, tenantId: number, ids: readonly number[], field: string): void {
  const missing = prompts.missing(tenantId, ids);
  if (missing.length > 0) throw invalidField(field, `${field}: there is no prompt ${missing.join(', ')} in this tenant`);
}

// ---------------------------------------------------------------- music on hold

export const MohClassBody = Type.Object(
  {
    name: RequiredText({ maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    random: Type.Optional(Type.Boolean({ description: 'play the files in random order instead of the listed order' })),
    promptIds: PromptIds(0),
  },
  closed,
);
export type MohClassInput = Static<typeof MohClassBody>;
export const MohClassView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  random: Type.Boolean(),
  promptIds: Type.Array(Type.Integer()),
  /** The class name Asterisk knows (what queues and holds ask for). */
  asteriskClass: Type.String(),
  ...Timestamps,
});
export type MohClassViewT = Static<typeof MohClassView>;

/** The name of a class in musiconhold.conf: unique on the server, stable when the admin renames it. */
export const asteriskMohClass = (tenantId: number, id: number): string => `atende-t${tenantId}-moh${id}`;

export const mohClassDef = (prompts: PromptCatalog): ResourceDef<typeof mohClasses, MohClassInput, MohClassViewT> => ({
  label: 'music-on-hold class',
  entity: 'moh_class',
  table: mohClasses,
  unique: { name: mohClasses.name },
  search: [mohClasses.name],
  sortable: { name: mohClasses.name },
  toColumns(input, w) {
    checkPrompts(prompts, w.tenantId, input.promptIds, 'promptIds');
    return { name: input.name, description: input.description ?? '', random: input.random ?? false, promptIds: input.promptIds };
  },
  toInput: (row) => ({ name: row.name, description: row.description, random: row.random, promptIds: row.promptIds }),
  toView: (row) => ({
    name: row.name,
    description: row.description,
    random: row.random,
    promptIds: row.promptIds,
    asteriskClass: asteriskMohClass(row.tenantId, row.id),
    ...stamps(row),
  }),
});

// ---------------------------------------------------------------- announcements

export const AnnouncementBody = Type.Object(
  {
    name: RequiredText({ maxLength: 80 }),
    promptIds: PromptIds(1),
    destination: DestinationBody,
  },
  closed,
);
export type AnnouncementInput = Static<typeof AnnouncementBody>;
export const AnnouncementView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  promptIds: Type.Array(Type.Integer()),
  destination: DestinationView,
  ...Timestamps,
});
export type AnnouncementViewT = Static<typeof AnnouncementView>;

export const announcementDef = (prompts: PromptCatalog, destinations: Destinations): ResourceDef<typeof announcements, AnnouncementInput, AnnouncementViewT> => ({
  label: 'announcement',
  entity: 'announcement',
  table: announcements,
  unique: { name: announcements.name },
  search: [announcements.name],
  sortable: { name: announcements.name },
  toColumns(input, w) {
    checkPrompts(prompts, w.tenantId, input.promptIds, 'promptIds');
    const dest = destinationColumns(w.db, w.tenantId, input.destination, 'destination');
    if (w.before) destinations.checkNoSilentLoop(w.tenantId, { kind: 'announcement', id: w.before.id }, [destinationFromColumns(dest)], 'destination.id');
    return { name: input.name, promptIds: input.promptIds, ...dest };
  },
  toInput: (row) => ({ name: row.name, promptIds: row.promptIds, destination: destinationFromColumns(row) }),
  toView: (row, r) => ({
    name: row.name,
    promptIds: row.promptIds,
    destination: destinationOf(r.db, row.tenantId, row),
    ...stamps(row),
  }),
});

// ---------------------------------------------------------------- conferences

export const ConferenceBody = Type.Object(
  {
    name: RequiredText({ maxLength: 80 }),
    number: Type.String({ pattern: '^[0-9]{2,8}$', maxLength: 8, description: 'the number extensions dial to join' }),
    pin: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{4,12}$', maxLength: 12, description: 'asked before joining; null for none' }))),
    maxMembers: Type.Optional(Nullable(Type.Integer({ minimum: 2, maximum: 100 }))),
  },
  closed,
);
export type ConferenceInput = Static<typeof ConferenceBody>;
export const ConferenceView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  number: Type.String(),
  hasPin: Type.Boolean(),
  maxMembers: Nullable(Type.Integer()),
  ...Timestamps,
});
export type ConferenceViewT = Static<typeof ConferenceView>;

export const conferenceDef: ResourceDef<typeof conferences, ConferenceInput, ConferenceViewT> = {
  label: 'conference',
  entity: 'conference',
  table: conferences,
  unique: { number: conferences.number },
  search: [conferences.name, conferences.number],
  sortable: { name: conferences.name, number: conferences.number },
  toColumns(input, w) {
    assertNumberFree(w.db, w.tenantId, input.number, 'conference');
    return { name: input.name, number: input.number, pin: input.pin ?? null, maxMembers: input.maxMembers ?? null };
  },
  toInput: (row) => ({ name: row.name, number: row.number, pin: row.pin, maxMembers: row.maxMembers }),
  toView: (row) => ({
    name: row.name,
    number: row.number,
    hasPin: row.pin !== null,
    maxMembers: row.maxMembers,
    ...stamps(row),
  }),
};

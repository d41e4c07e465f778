import { index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { resourceColumns, tenantColumn, tenants, teams, users } from './org.js';

/**
 * The CRM side (src/contacts): contact books, custom fields and forms, contacts with their
 * phones and e-mails, CSV imports, tabulations and tags, blacklist, shortcuts, FAQ, tickets,
 * interactions as a contact's history sees them, and scheduled callbacks. Times are epoch ms.
 */

/** Where a service's callers are searched and, when unknown, created (the CRM's "campanha"). */
export const contactBooks = sqliteTable(
  'contact_books',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description'),
    /** The form the agent desktop shows for this book's contacts; null: the tenant's default form. */
    formId: integer('form_id').references((): AnySQLiteColumn => contactForms.id),
    /** Its campaign type, whose form applies when the book names none. */
    campaignTypeId: integer('campaign_type_id').references((): AnySQLiteColumn => campaignTypes.id),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('contact_books_tenant_name_unique').on(t.tenantId, t.name)],
);

/** A custom field of contacts, tickets or interactions (scope), defined per tenant. */
export const customFields = sqliteTable(
  'custom_fields',
  {
    ...resourceColumns(),
    scope: text('scope', { enum: ['contact', 'ticket', 'interaction'] }).notNull(),
    /** The name in the API and the CSV header: `plano`, `data_nascimento`. */
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: ['text', 'number', 'date', 'select'] }).notNull(),
    /** `9` a digit, `A` a letter, `*` either; anything else is literal: `99999-999`. */
    mask: text('mask'),
    required: integer('required', { mode: 'boolean' }).notNull().default(false),
    options: text('options', { mode: 'json' }).$type<string[]>(),
    maxLength: integer('max_length'),
    min: integer('min'),
    max: integer('max'),
    position: integer('position').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('custom_fields_tenant_scope_key_unique').on(t.tenantId, t.scope, t.key)],
);

/** One item of a form: a contact field (built-in or custom) or an interaction-only field. */
export interface FormItem {
  source: 'contact' | 'interaction';
  key: string;
  /** A form may make an optional field required (never the reverse). */
  required: boolean;
}

/** Formulário CRM: what the agent desktop shows and the server validates on save. */
export const contactForms = sqliteTable(
  'contact_forms',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description'),
    items: text('items', { mode: 'json' }).$type<FormItem[]>().notNull(),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('contact_forms_tenant_name_unique').on(t.tenantId, t.name)],
);

/**
 * Tipo de campanha: groups the dialer's campaigns (and books) that serve one kind of customer;
 * its form is the one the agent desktop shows for their interactions.
 */
export const campaignTypes = sqliteTable(
  'campaign_types',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description'),
    formId: integer('form_id')
      .notNull()
      .references(() => contactForms.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('campaign_types_tenant_name_unique').on(t.tenantId, t.name), index('campaign_types_form_idx').on(t.formId)],
);

export const contacts = sqliteTable(
  'contacts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    bookId: integer('book_id')
      .notNull()
      .references(() => contactBooks.id),
    name: text('name').notNull(),
    /** Lower case without accents, for search. */
    nameKey: text('name_key').notNull(),
    /** CPF (11 digits) or CNPJ (14 characters), normalised. */
    document: text('document'),
    company: text('company'),
    street: text('street'),
    streetNumber: text('street_number'),
    complement: text('complement'),
    district: text('district'),
    city: text('city'),
    state: text('state'),
    postalCode: text('postal_code'),
    /** Custom field values by key. */
    custom: text('custom', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
    /** Carteirização: the agent who owns this contact, until `owner_until` (null: no end). */
    ownerUserId: integer('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    ownerUntil: integer('owner_until'),
    doNotCall: integer('do_not_call', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** The import that created it (an import that fails is undone by this). */
    importId: integer('import_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('contacts_tenant_document_idx').on(t.tenantId, t.document),
    index('contacts_book_idx').on(t.bookId),
    index('contacts_import_idx').on(t.importId),
  ],
);

export const contactPhones = sqliteTable(
  'contact_phones',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    bookId: integer('book_id').notNull(),
    /** 55 + DDD + number: `5511987654321`. */
    number: text('number').notNull(),
    kind: text('kind', { enum: ['mobile', 'landline'] }).notNull(),
    label: text('label', { enum: ['mobile', 'home', 'work', 'other'] }),
    position: integer('position').notNull(),
    /** False once a tabulation said the number is wrong. */
    valid: integer('valid', { mode: 'boolean' }).notNull().default(true),
    invalidReason: text('invalid_reason'),
    doNotCall: integer('do_not_call', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('contact_phones_contact_idx').on(t.contactId)],
);

export const contactEmails = sqliteTable(
  'contact_emails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** Lower case. */
    email: text('email').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [index('contact_emails_contact_idx').on(t.contactId)],
);

/*
 * The keys a contact is found by (its name, its phones' numbers, its e-mails), each in a table
 * of its own (`WITHOUT ROWID`: the table is its key's B-tree) instead of an index on the row's
 * table. Triggers keep them (migration 0017), except for the rows an import writes
 * through the bulk writer's connection: the import files those keys itself, sorted (the
 * numbers a few thousand at a time, the names and e-mails once the file is read: `ContactKeys`),
 * instead of one at a random place of each B-tree per row,
 * which made an import of a million contacts spend most of its time writing index pages.
 * A key may outlive its row's value for a moment (a phone edited while its import still holds
 * its key): queries join the row and compare the value again.
 */

/** A contact's `name_key`, for sorting and searching by name. */
export const contactNameKeys = sqliteTable(
  'contact_name_keys',
  {
    tenantId: integer('tenant_id').notNull(),
    nameKey: text('name_key').notNull(),
    contactId: integer('contact_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.nameKey, t.contactId] })],
);

/** A phone's number: the screen pop's lookup. */
export const contactPhoneKeys = sqliteTable(
  'contact_phone_keys',
  {
    tenantId: integer('tenant_id').notNull(),
    number: text('number').notNull(),
    phoneId: integer('phone_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.number, t.phoneId] })],
);

/** An e-mail address. */
export const contactEmailKeys = sqliteTable(
  'contact_email_keys',
  {
    tenantId: integer('tenant_id').notNull(),
    email: text('email').notNull(),
    emailId: integer('email_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.email, t.emailId] })],
);

/** What a tabulation or a tag does when an agent picks it. */
export interface TabulationActions {
  /** Sent to the customer on digital channels when the interaction closes. */
  closingMessage?: string | null;
  /** The interaction goes on in this service (queue). */
  transferServiceId?: number | null;
  markPhoneInvalid?: boolean;
  markContactDoNotCall?: boolean;
  /** The dialer calls the number again after this many minutes. */
  redialAfterMinutes?: number | null;
  /** Make the agent the contact's owner (for `ownerDays`, null: no end), or clear the owner. */
  owner?: 'set' | 'clear' | null;
  ownerDays?: number | null;
}

export const INTERACTION_KINDS = ['contact', 'chat', 'dialer', 'manual', 'preview', 'inbound', 'email'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** Grupo de status. */
export const statusGroups = sqliteTable(
  'status_groups',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description'),
    /** Offered to every team, or only to those in status_group_teams. */
    allTeams: integer('all_teams', { mode: 'boolean' }).notNull().default(true),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('status_groups_tenant_name_unique').on(t.tenantId, t.name)],
);

export const statusGroupTeams = sqliteTable(
  'status_group_teams',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => statusGroups.id, { onDelete: 'cascade' }),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.teamId] })],
);

/** Status (tabulação). */
export const statuses = sqliteTable(
  'statuses',
  {
    ...resourceColumns(),
    groupId: integer('group_id')
      .notNull()
      .references(() => statusGroups.id),
    name: text('name').notNull(),
    description: text('description'),
    integrationCode: text('integration_code'),
    category: text('category', { enum: ['positive', 'neutral', 'negative'] }).notNull(),
    kinds: text('kinds', { mode: 'json' }).$type<InteractionKind[]>().notNull(),
    productive: integer('productive', { mode: 'boolean' }).notNull().default(false),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    schedulesCallback: integer('schedules_callback', { mode: 'boolean' }).notNull().default(false),
    requiresProtocol: integer('requires_protocol', { mode: 'boolean' }).notNull().default(false),
    requiresTag: integer('requires_tag', { mode: 'boolean' }).notNull().default(false),
    actions: text('actions', { mode: 'json' }).$type<TabulationActions>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('statuses_group_name_unique').on(t.groupId, t.name), index('statuses_tenant_idx').on(t.tenantId)],
);

/** Powertags: nested (macro tag → child tags), deleting a macro deletes its children. */
export const tags = sqliteTable(
  'tags',
  {
    ...resourceColumns(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => tags.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description'),
    colour: text('colour').notNull(),
    icon: text('icon'),
    kinds: text('kinds', { mode: 'json' }).$type<InteractionKind[]>().notNull(),
    /** Services (queues) it is offered in; empty: all. */
    serviceIds: text('service_ids', { mode: 'json' }).$type<number[]>().notNull(),
    actions: text('actions', { mode: 'json' }).$type<TabulationActions>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('tags_tenant_parent_title_unique').on(t.tenantId, t.parentId, t.title)],
);

export const contactTags = sqliteTable(
  'contact_tags',
  {
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.tagId] }), index('contact_tags_tag_idx').on(t.tagId)],
);

export const blacklist = sqliteTable(
  'blacklist',
  {
    ...resourceColumns(),
    /** Inbound: callers are rejected. Outbound: never dialled. */
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    /** A whole number, or every number that starts with it. */
    match: text('match', { enum: ['number', 'prefix'] }).notNull(),
    number: text('number').notNull(),
    reason: text('reason'),
    expiresAt: integer('expires_at'),
    importId: integer('import_id'),
  },
  (t) => [
    uniqueIndex('blacklist_tenant_direction_match_number_unique').on(t.tenantId, t.direction, t.match, t.number),
    index('blacklist_import_idx').on(t.importId),
  ],
);

export const shortcuts = sqliteTable(
  'shortcuts',
  {
    ...resourceColumns(),
    /** Typed after `/` on the agent desktop. */
    prefix: text('prefix').notNull(),
    text: text('text').notNull(),
    /** The service (queue) it belongs to; null: every service. */
    serviceId: integer('service_id'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('shortcuts_tenant_prefix_service_unique').on(t.tenantId, t.prefix, t.serviceId)],
);

export const faqs = sqliteTable(
  'faqs',
  {
    ...resourceColumns(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    position: integer('position').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('faqs_tenant_question_unique').on(t.tenantId, t.question)],
);

/** Tenant-wide CRM switches. */
export const crmSettings = sqliteTable('crm_settings', {
  tenantId: integer('tenant_id')
    .primaryKey()
    .references(() => tenants.id),
  /** Every finish needs the external protocol. */
  requireProtocol: integer('require_protocol', { mode: 'boolean' }).notNull().default(false),
  /** `every_interaction`: each new interaction opens a ticket; `on_demand`: only when the agent opens one. */
  ticketMode: text('ticket_mode', { enum: ['every_interaction', 'on_demand'] }).notNull().default('every_interaction'),
  updatedAt: integer('updated_at').notNull(),
});

/** An interaction as the contact's history and after-call work see it. */
export const contactInteractions = sqliteTable(
  'contact_interactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    /** Null while the caller is unknown (the agent links or creates the contact). */
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    /** The customer's number or address on this channel. */
    address: text('address'),
    /** Atendimento's own protocol number, shown to the customer. */
    protocol: text('protocol').notNull(),
    kind: text('kind', { enum: ['contact', 'chat', 'dialer', 'manual', 'preview', 'inbound', 'email'] }).notNull(),
    channel: text('channel', { enum: ['voice', 'whatsapp', 'webchat', 'email', 'mercadolivre', 'in_person'] }).notNull(),
    serviceId: integer('service_id'),
    serviceName: text('service_name'),
    agentUserId: integer('agent_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The call record (calls.call_id) of a voice interaction. */
    callId: text('call_id'),
    state: text('state', { enum: ['open', 'pending', 'finished'] }).notNull(),
    /** The service or campaign demands a tabulation before it may finish. */
    requiresTabulation: integer('requires_tabulation', { mode: 'boolean' }).notNull().default(false),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    statusId: integer('status_id').references(() => statuses.id, { onDelete: 'set null' }),
    statusName: text('status_name'),
    groupName: text('group_name'),
    note: text('note'),
    externalProtocol: text('external_protocol'),
    tagIds: text('tag_ids', { mode: 'json' }).$type<number[]>().notNull(),
    formValues: text('form_values', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
    /** What the channel adds: IVR path, recording id, transcript, subject, … */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    tabulatedAt: integer('tabulated_at'),
    tabulatedBy: integer('tabulated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('contact_interactions_contact_started_idx').on(t.contactId, t.startedAt),
    index('contact_interactions_tenant_started_idx').on(t.tenantId, t.startedAt),
    index('contact_interactions_call_idx').on(t.callId),
    uniqueIndex('contact_interactions_tenant_protocol_unique').on(t.tenantId, t.protocol),
  ],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** The interaction that opened it. */
    interactionId: integer('interaction_id').references(() => contactInteractions.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    status: text('status', { enum: ['open', 'in_progress', 'resolved', 'closed'] }).notNull(),
    custom: text('custom', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('tickets_contact_idx').on(t.contactId), index('tickets_tenant_updated_idx').on(t.tenantId, t.updatedAt)],
);

/** Every change of a ticket: who, when, from which interaction, what changed. */
export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    interactionId: integer('interaction_id'),
    changes: text('changes', { mode: 'json' }).$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId)],
);

/** The next contact a tabulation scheduled (callback), for the same agent or anyone. */
export const callbacks = sqliteTable(
  'callbacks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    interactionId: integer('interaction_id').references(() => contactInteractions.id, { onDelete: 'set null' }),
    phone: text('phone'),
    serviceId: integer('service_id'),
    /** Null: any agent. */
    agentUserId: integer('agent_user_id').references(() => users.id, { onDelete: 'set null' }),
    dueAt: integer('due_at').notNull(),
    note: text('note'),
    state: text('state', { enum: ['pending', 'done', 'cancelled'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('callbacks_tenant_state_due_idx').on(t.tenantId, t.state, t.dueAt), index('callbacks_agent_idx').on(t.agentUserId)],
);

/** One CSV import (contacts, blacklist, the dialer's contact groups): its progress and outcome. */
export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    /** Which target filled: `contacts`, `blacklist`, … */
    target: text('target').notNull(),
    /** The target's options (book, blacklist direction, contact group). */
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    encoding: text('encoding'),
    delimiter: text('delimiter'),
    state: text('state', { enum: ['running', 'done', 'failed', 'cancelled'] }).notNull(),
    bytesRead: integer('bytes_read').notNull().default(0),
    rows: integer('rows').notNull().default(0),
    imported: integer('imported').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    /** Problems reported per row (a row may have several and still be imported). */
    problems: integer('problems').notNull().default(0),
    error: text('error'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('imports_tenant_started_idx').on(t.tenantId, t.startedAt)],
);

export const importErrors = sqliteTable(
  'import_errors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    importId: integer('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    /** Line of the file (the header is line 1). */
    line: integer('line').notNull(),
    field: text('field').notNull(),
    value: text('value'),
    code: text('code').notNull(),
    message: text('message').notNull(),
    /** True when the whole row was left out; false when only this value was. */
    rejected: integer('rejected', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('import_errors_import_idx').on(t.importId, t.line)],
);

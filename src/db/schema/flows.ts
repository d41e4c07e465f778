import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Destination } from '../../flows/destination.js';
import type { OwnHoliday, HolidayType } from '../../flows/holidays.logic.js';
import type { IvrDefinition, PromptRef } from '../../flows/ivr.model.js';
import type { SurveyQuestion } from '../../flows/survey.model.js';
import type { Period, TimeRange } from '../../flows/time-condition.model.js';
import { resourceColumns, tenantColumn, users } from './org.js';

/**
 * Call flows (src/flows). Destinations and IVR definitions are JSON in the shapes the flow
 * logic reads; who points at what is found by the flows module's reference finders.
 */

/** Calendário de feriados: the library's days of a region, less the ones not observed, plus own days. */
export const holidayCalendars = sqliteTable(
  'holiday_calendars',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    state: text('state'),
    city: text('city'),
    types: text('types', { mode: 'json' }).$type<HolidayType[]>().notNull(),
    excluded: text('excluded', { mode: 'json' }).$type<string[]>().notNull(),
    own: text('own', { mode: 'json' }).$type<OwnHoliday[]>().notNull(),
  },
  (t) => [uniqueIndex('holiday_calendars_tenant_name_unique').on(t.tenantId, t.name)],
);

/** A one-off day of a time condition (inventory, a strike), with its own hours and destination. */
export interface StoredExceptionDay {
  date: string;
  name: string;
  openHours: TimeRange[];
  destination: Destination | null;
}

/** Condição de horário. */
export const timeConditions = sqliteTable(
  'time_conditions',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    periods: text('periods', { mode: 'json' }).$type<Period[]>().notNull(),
    exceptions: text('exceptions', { mode: 'json' }).$type<StoredExceptionDay[]>().notNull(),
    calendarId: integer('calendar_id').references(() => holidayCalendars.id),
    openDestination: text('open_destination', { mode: 'json' }).$type<Destination>().notNull(),
    closedDestination: text('closed_destination', { mode: 'json' }).$type<Destination>().notNull(),
    holidayDestination: text('holiday_destination', { mode: 'json' }).$type<Destination>(),
    /** Manual override: forced open or closed until `override_until` (epoch ms) or until cleared (null). */
    overrideState: text('override_state', { enum: ['open', 'closed'] }),
    overrideUntil: integer('override_until'),
  },
  (t) => [uniqueIndex('time_conditions_tenant_name_unique').on(t.tenantId, t.name), index('time_conditions_calendar_idx').on(t.calendarId)],
);

/** Pesquisa de satisfação. */
export const surveys = sqliteTable(
  'surveys',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    intro: text('intro', { mode: 'json' }).$type<PromptRef[]>().notNull(),
    questions: text('questions', { mode: 'json' }).$type<SurveyQuestion[]>().notNull(),
    invalidPrompt: text('invalid_prompt', { mode: 'json' }).$type<PromptRef[]>().notNull(),
    thanks: text('thanks', { mode: 'json' }).$type<PromptRef[]>().notNull(),
    timeoutSeconds: integer('timeout_seconds').notNull(),
    retries: integer('retries').notNull(),
  },
  (t) => [uniqueIndex('surveys_tenant_name_unique').on(t.tenantId, t.name)],
);

/** URA. The definition lives in versions; a call keeps the version it entered. */
export const ivrs = sqliteTable(
  'ivrs',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** The version new calls run. */
    version: integer('version').notNull(),
    /** Survey the caller hears after an agent leg reached from this IVR ends. */
    surveyId: integer('survey_id').references(() => surveys.id),
  },
  (t) => [uniqueIndex('ivrs_tenant_name_unique').on(t.tenantId, t.name), index('ivrs_survey_idx').on(t.surveyId)],
);

export const ivrVersions = sqliteTable(
  'ivr_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    ivrId: integer('ivr_id')
      .notNull()
      .references(() => ivrs.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: text('definition', { mode: 'json' }).$type<IvrDefinition>().notNull(),
    createdAt: integer('created_at').notNull(),
    /** The version this one copied when it was made by a restore. */
    restoredFrom: integer('restored_from'),
  },
  (t) => [uniqueIndex('ivr_versions_ivr_version_unique').on(t.ivrId, t.version)],
);

/** Caixa postal. */
export const voicemailBoxes = sqliteTable(
  'voicemail_boxes',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    /** Mailbox number, unique in the tenant. */
    number: text('number').notNull(),
    greeting: text('greeting', { mode: 'json' }).$type<PromptRef[]>().notNull(),
    maxMessageSeconds: integer('max_message_seconds').notNull(),
    maxMessages: integer('max_messages').notNull(),
    language: text('language').notNull(),
  },
  (t) => [uniqueIndex('voicemail_boxes_tenant_number_unique').on(t.tenantId, t.number)],
);

export const voicemailMessages = sqliteTable(
  'voicemail_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    boxId: integer('box_id')
      .notNull()
      .references(() => voicemailBoxes.id, { onDelete: 'cascade' }),
    callId: text('call_id').notNull(),
    fromNumber: text('from_number').notNull(),
    fromName: text('from_name'),
    durationMs: integer('duration_ms').notNull(),
    /** File name under the data dir's voicemail directory. */
    file: text('file').notNull(),
    bytes: integer('bytes').notNull(),
    recordedAt: integer('recorded_at').notNull(),
    heardAt: integer('heard_at'),
    heardBy: integer('heard_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('voicemail_messages_box_idx').on(t.boxId, t.recordedAt), index('voicemail_messages_tenant_idx').on(t.tenantId)],
);

/** Every step a caller took in an IVR, for the IVR report and the call's history. */
export const ivrTraces = sqliteTable(
  'ivr_traces',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    callId: text('call_id').notNull(),
    ivrId: integer('ivr_id').notNull(),
    version: integer('version').notNull(),
    node: text('node').notNull(),
    event: text('event', { enum: ['entered', 'option', 'direct_dial', 'collected', 'invalid', 'timeout', 'exhausted', 'exit', 'abandon'] }).notNull(),
    /** The digits pressed (option, direct dial, invalid entry). Collected values are call data, not traces. */
    digits: text('digits'),
    destination: text('destination', { mode: 'json' }).$type<Destination>(),
    at: integer('at').notNull(),
  },
  (t) => [index('ivr_traces_tenant_ivr_at_idx').on(t.tenantId, t.ivrId, t.at), index('ivr_traces_call_idx').on(t.callId)],
);

/** Values a call gathered on its way (a CPF collected by the IVR), for the agent and the reports. */
export const callData = sqliteTable(
  'call_data',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    callId: text('call_id').notNull(),
    name: text('name').notNull(),
    value: text('value').notNull(),
    setAt: integer('set_at').notNull(),
  },
  (t) => [uniqueIndex('call_data_call_name_unique').on(t.callId, t.name)],
);

/** Respostas da pesquisa: one row per call and question. */
export const surveyAnswers = sqliteTable(
  'survey_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    surveyId: integer('survey_id').notNull(),
    callId: text('call_id').notNull(),
    alias: text('alias').notNull(),
    value: integer('value').notNull(),
    answeredAt: integer('answered_at').notNull(),
  },
  (t) => [uniqueIndex('survey_answers_call_alias_unique').on(t.callId, t.surveyId, t.alias), index('survey_answers_tenant_survey_idx').on(t.tenantId, t.surveyId, t.answeredAt)],
);

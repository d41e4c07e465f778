/**
 * TypeBox schemas of the call-flow API. Bodies are closed; every integer has a range and every
 * string a length. Node fields a caller leaves out get the defaults of `normaliseIvr`, and what
 * is stored (and returned) is the complete definition.
 */
import { Type, type Static, type TLiteral } from '@sinclair/typebox';
import { Id, Nullable, RequiredText, Timestamps, closed, DateTime } from '../http/schemas.js';
import { DestinationBody } from '../calls/index.js';
import { HOLIDAY_TYPES } from './holidays.logic.js';
import { DIGIT_VALIDATORS, OPTION_DIGITS } from './ivr.model.js';
import { IVR_LIMITS } from './ivr-check.logic.js';

const literals = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)) as TLiteral<T[number]>[],
    description ? { description } : {},
  );

// ---- shared pieces

/** The one destination type (src/calls/destination.model.ts), as every routing resource carries it. */
export const DestinationSchema = DestinationBody;

export const PromptRefSchema = Type.Union([
  Type.Object({ kind: Type.Literal('prompt'), id: Id }, closed),
  Type.Object({ kind: Type.Literal('sound'), name: Type.String({ pattern: '^[a-z0-9-]{1,64}$', maxLength: 64, description: "one of Atende's own prompts" }) }, closed),
]);
const Prompts = Type.Array(PromptRefSchema, { maxItems: 20 });

const Clock = (description: string) => Type.String({ pattern: '^[0-9]{2}:[0-9]{2}$', maxLength: 5, description });
const TimeRangeSchema = Type.Object({ start: Clock('HH:MM'), end: Clock('HH:MM, 24:00 = end of day') }, closed);
const Name = RequiredText({ maxLength: 80 });
const Language = Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$', maxLength: 5, description: 'BCP 47, e.g. pt-BR' });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/Sao_Paulo' });
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', maxLength: 10, description: 'YYYY-MM-DD' });

// ---- holiday calendars

const OwnHolidaySchema = Type.Object(
  {
    name: Name,
    rule: Type.String({ minLength: 5, maxLength: 20, description: 'MM-DD (every year), YYYY-MM-DD (once) or "easter -2"' }),
    openHours: Type.Optional(Type.Array(TimeRangeSchema, { maxItems: 4 })),
  },
  closed,
);
const HolidayTypeSchema = literals(HOLIDAY_TYPES);
export const HolidayCalendarBody = Type.Object(
  {
    name: Name,
    state: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2, description: 'state (UF) whose holidays are observed' }))),
    city: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2,10}$', maxLength: 10, description: "the holiday library's city code in that state" }))),
    types: Type.Optional(Type.Array(HolidayTypeSchema, { maxItems: 4, description: 'kinds of day observed (default public)' })),
    excluded: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 100, description: "library days (by rule) not observed" })),
    own: Type.Optional(Type.Array(OwnHolidaySchema, { maxItems: 100 })),
  },
  closed,
);
export const HolidayCalendarView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  state: Nullable(Type.String()),
  city: Nullable(Type.String()),
  types: Type.Array(HolidayTypeSchema),
  excluded: Type.Array(Type.String()),
  own: Type.Array(OwnHolidaySchema),
  ...Timestamps,
});
export const HolidayDayView = Type.Object({
  date: Type.String(),
  name: Type.String(),
  openHours: Type.Array(TimeRangeSchema),
});
export const CatalogQuery = Type.Object(
  {
    year: Type.Integer({ minimum: 1970, maximum: 2200 }),
    state: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2 })),
    city: Type.Optional(Type.String({ pattern: '^[A-Z]{2,10}$', maxLength: 10 })),
  },
  closed,
);
export const CatalogView = Type.Object({
  states: Type.Record(Type.String(), Type.String()),
  cities: Type.Record(Type.String(), Type.String()),
  holidays: Type.Array(
    Type.Object({ date: Type.String(), name: Type.String(), rule: Type.String(), type: HolidayTypeSchema, scope: literals(['national', 'state', 'city'] as const) }),
  ),
});

// ---- time conditions

const PeriodSchema = Type.Object(
  {
    weekdays: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7, description: '0 = Sunday … 6 = Saturday; empty: every day' })),
    monthDays: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 31 }), { maxItems: 31 })),
    months: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { maxItems: 12 })),
    start: Clock('HH:MM'),
    end: Clock('HH:MM, 24:00 = end of day'),
    crossesMidnight: Type.Optional(Type.Boolean({ description: 'required when end is at or before start' })),
  },
  closed,
);
const ExceptionDaySchema = Type.Object(
  {
    date: IsoDate,
    name: Name,
    openHours: Type.Optional(Type.Array(TimeRangeSchema, { maxItems: 4, description: 'hours open that day; empty: closed all day' })),
    destination: Type.Optional(Nullable(DestinationSchema)),
  },
  closed,
);
export const OverrideBody = Type.Object(
  {
    state: literals(['open', 'closed'] as const),
    until: Type.Optional(Nullable(DateTime({ description: 'absent or null: until cleared' }))),
  },
  closed,
);
export const TimeConditionBody = Type.Object(
  {
    name: Name,
    timeZone: Type.Optional(TimeZone),
    periods: Type.Array(PeriodSchema, { maxItems: 50 }),
    exceptions: Type.Optional(Type.Array(ExceptionDaySchema, { maxItems: 200 })),
    calendarId: Type.Optional(Nullable(Id)),
    openDestination: DestinationSchema,
    closedDestination: DestinationSchema,
    holidayDestination: Type.Optional(Nullable(DestinationSchema)),
    override: Type.Optional(Nullable(OverrideBody)),
  },
  closed,
);
const OverrideView = Type.Object({ state: literals(['open', 'closed'] as const), until: Nullable(DateTime()) });
export const TimeConditionView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  timeZone: Type.String(),
  periods: Type.Array(PeriodSchema),
  exceptions: Type.Array(Type.Object({ date: Type.String(), name: Type.String(), openHours: Type.Array(TimeRangeSchema), destination: Nullable(DestinationSchema) })),
  calendarId: Nullable(Type.Integer()),
  openDestination: DestinationSchema,
  closedDestination: DestinationSchema,
  holidayDestination: Nullable(DestinationSchema),
  override: Nullable(OverrideView),
  ...Timestamps,
});
const RuleView = Type.Object({
  kind: literals(['override', 'exception', 'period', 'no_period'] as const),
  until: Type.Optional(Nullable(DateTime())),
  source: Type.Optional(literals(['exception', 'holiday'] as const)),
  date: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  index: Type.Optional(Type.Integer()),
});
export const TimeConditionStatusView = Type.Object({
  at: DateTime(),
  localTime: Type.String({ description: 'wall clock in the condition’s zone, YYYY-MM-DD HH:MM' }),
  state: literals(['open', 'closed'] as const),
  rule: RuleView,
  destination: DestinationSchema,
});
export const StatusQuery = Type.Object({ at: Type.Optional(DateTime({ description: 'default: now' })) }, closed);

// ---- IVRs

/** A node's id inside its IVR. */
const NodeId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$', maxLength: 40 });
const Seconds = (r: { min: number; max: number }, description: string) => Type.Integer({ minimum: r.min, maximum: r.max, description });
export const NodeTargetSchema = Type.Union([
  Type.Object({ node: NodeId }, closed),
  Type.Object({ destination: DestinationSchema }, closed),
]);
const waitingFields = {
  id: NodeId,
  name: Type.Optional(Type.String({ maxLength: 80 })),
  bargeIn: Type.Optional(Type.Boolean({ description: 'a digit stops the prompt (default true)' })),
  timeoutSeconds: Type.Optional(Seconds(IVR_LIMITS.timeoutSeconds, 'wait for the first digit after the prompt (default 5)')),
  interDigitSeconds: Type.Optional(Seconds(IVR_LIMITS.interDigitSeconds, 'wait between digits (default 3)')),
  retries: Type.Optional(Seconds(IVR_LIMITS.retries, 'prompt repeated after an invalid entry or a timeout (default 2)')),
  invalidPrompt: Type.Optional(Prompts),
  timeoutPrompt: Type.Optional(Prompts),
  exhaustedPrompt: Type.Optional(Prompts),
  onExhausted: Type.Optional(NodeTargetSchema),
};
const MenuNodeSchema = Type.Object(
  {
    ...waitingFields,
    kind: Type.Literal('menu'),
    greeting: Type.Optional(Prompts),
    prompt: Prompts,
    options: Type.Optional(
      Type.Array(Type.Object({ digit: literals(OPTION_DIGITS), target: NodeTargetSchema, label: Type.Optional(Type.String({ maxLength: 80 })) }, closed), { maxItems: 12 }),
    ),
    directDialLength: Type.Optional(Nullable(Seconds(IVR_LIMITS.directDialLength, 'digits of an extension dialled directly; null: off'))),
  },
  closed,
);
const CollectNodeSchema = Type.Object(
  {
    ...waitingFields,
    kind: Type.Literal('collect'),
    prompt: Prompts,
    variable: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', maxLength: 40, description: "name of the value in the call's data" }),
    minDigits: Type.Optional(Seconds(IVR_LIMITS.digits, 'default 1')),
    maxDigits: Seconds(IVR_LIMITS.digits, 'digits at most'),
    terminator: Type.Optional(Nullable(literals(['#', '*'] as const))),
    validator: Type.Optional(literals(DIGIT_VALIDATORS)),
    range: Type.Optional(Nullable(Type.Object({ min: Type.Integer({ minimum: 0, maximum: 99_999_999 }), max: Type.Integer({ minimum: 0, maximum: 99_999_999 }) }, closed))),
    next: NodeTargetSchema,
  },
  closed,
);
const PlayNodeSchema = Type.Object(
  {
    id: waitingFields.id,
    name: waitingFields.name,
    kind: Type.Literal('play'),
    prompts: Prompts,
    next: NodeTargetSchema,
  },
  closed,
);
export const IvrDefinitionSchema = Type.Object(
  {
    language: Type.Optional(Language),
    root: NodeId,
    nodes: Type.Array(Type.Union([MenuNodeSchema, CollectNodeSchema, PlayNodeSchema]), { minItems: 1, maxItems: IVR_LIMITS.nodes }),
  },
  closed,
);
export type IvrDefinitionInput = Static<typeof IvrDefinitionSchema>;

export const IvrBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 500 })),
    surveyId: Type.Optional(Nullable(Id)),
    definition: IvrDefinitionSchema,
  },
  closed,
);
/** The stored, complete definition: every default filled in. */
const CompleteDefinition = Type.Object({
  language: Language,
  root: IvrDefinitionSchema.properties.root,
  nodes: Type.Array(Type.Union([Type.Required(MenuNodeSchema), Type.Required(CollectNodeSchema), Type.Required(PlayNodeSchema)])),
});
export const IvrView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  surveyId: Nullable(Type.Integer()),
  version: Type.Integer(),
  definition: CompleteDefinition,
  ...Timestamps,
});
export const IvrVersionView = Type.Object({
  version: Type.Integer(),
  createdAt: DateTime(),
  restoredFrom: Nullable(Type.Integer()),
  current: Type.Boolean(),
  definition: CompleteDefinition,
});
export const VersionParams = Type.Object({ id: Id, version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, closed);

// ---- surveys

const SurveyQuestionSchema = Type.Object(
  {
    alias: RequiredText({ pattern: '^[A-Za-z0-9_ -]{1,40}$', maxLength: 40, description: "the question's title: the answer's key and report column" }),
    prompt: Prompts,
    min: Type.Integer({ minimum: 0, maximum: 9 }),
    max: Type.Integer({ minimum: 0, maximum: 9 }),
  },
  closed,
);
export const SurveyBody = Type.Object(
  {
    name: Name,
    language: Type.Optional(Language),
    intro: Type.Optional(Prompts),
    questions: Type.Array(SurveyQuestionSchema, { minItems: 1, maxItems: 20 }),
    invalidPrompt: Type.Optional(Prompts),
    thanks: Type.Optional(Prompts),
    timeoutSeconds: Type.Optional(Seconds(IVR_LIMITS.timeoutSeconds, 'time to answer a question (default 5)')),
    retries: Type.Optional(Seconds(IVR_LIMITS.retries, 'a question asked again after no or a wrong answer (default 1)')),
  },
  closed,
);
export const SurveyView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  language: Type.String(),
  intro: Prompts,
  questions: Type.Array(SurveyQuestionSchema),
  invalidPrompt: Prompts,
  thanks: Prompts,
  timeoutSeconds: Type.Integer(),
  retries: Type.Integer(),
  ...Timestamps,
});

// ---- voicemail

export const VoicemailBoxBody = Type.Object(
  {
    name: Name,
    number: Type.String({ pattern: '^[0-9]{2,10}$', maxLength: 10 }),
    greeting: Type.Optional(Prompts),
    maxMessageSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 600, description: 'default 120' })),
    maxMessages: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })),
    language: Type.Optional(Language),
  },
  closed,
);
export const VoicemailBoxView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  number: Type.String(),
  greeting: Prompts,
  maxMessageSeconds: Type.Integer(),
  maxMessages: Type.Integer(),
  language: Type.String(),
  messages: Type.Integer(),
  unheard: Type.Integer(),
  ...Timestamps,
});
export const VoicemailMessageView = Type.Object({
  id: Type.Integer(),
  boxId: Type.Integer(),
  callId: Type.String(),
  from: Type.String(),
  fromName: Nullable(Type.String()),
  durationMs: Type.Integer(),
  recordedAt: DateTime(),
  heardAt: Nullable(DateTime()),
  heardBy: Nullable(Type.Integer()),
  audioUrl: Type.String(),
});
export const MessageParams = Type.Object({ id: Id, messageId: Id }, closed);
export const MessagePatch = Type.Object({ heard: Type.Boolean() }, closed);

// ---- traces and the IVR report

export const IvrReportQuery = Type.Object(
  {
    from: DateTime({ description: 'from this instant (inclusive)' }),
    to: DateTime({ description: 'to this instant (exclusive); at most 366 days after from' }),
    ivrId: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'only these IVRs (repeat the parameter)' })),
    tenantId: Type.Optional(Id),
  },
  closed,
);
const Count = Type.Integer({ minimum: 0 });
export const IvrReportLineView = Type.Object({
  ivrId: Type.Integer(),
  ivr: Type.String(),
  node: Type.String(),
  nodeName: Type.String(),
  entries: Count,
  options: Type.Array(Type.Object({ digit: Type.String(), label: Nullable(Type.String()), count: Count })),
  directDials: Count,
  collected: Count,
  timeouts: Count,
  invalids: Count,
  exhausted: Count,
  exits: Count,
  abandons: Count,
});
export const IvrReportView = Type.Object({ from: DateTime(), to: DateTime(), lines: Type.Array(IvrReportLineView) });

export const SurveyReportQuery = Type.Object(
  {
    surveyId: Id,
    from: DateTime({ description: 'answers given from this instant (inclusive)' }),
    to: DateTime({ description: 'to this instant (exclusive); at most 366 days after from' }),
    queueId: Type.Optional(Id),
    tenantId: Type.Optional(Id),
  },
  closed,
);
const Mean = Nullable(Type.Number({ description: 'mean mark, two decimals; null with no answer' }));
export const SurveyReportView = Type.Object({
  from: DateTime(),
  to: DateTime(),
  questions: Type.Array(
    Type.Object({
      alias: Type.String(),
      min: Type.Integer(),
      max: Type.Integer(),
      answers: Count,
      average: Mean,
      distribution: Type.Array(Type.Object({ value: Type.Integer(), count: Count })),
    }),
  ),
  weightedAverage: Mean,
  answers: Count,
  respondents: Count,
  byService: Type.Array(Type.Object({ queueId: Nullable(Type.Integer()), name: Nullable(Type.String()), answers: Count, average: Mean })),
  byAgent: Type.Array(Type.Object({ userId: Nullable(Type.Integer()), name: Nullable(Type.String()), answers: Count, average: Mean })),
  calls: Type.Array(
    Type.Object({
      callId: Type.String(),
      answeredAt: DateTime(),
      caller: Nullable(Type.String()),
      queueName: Nullable(Type.String()),
      agentName: Nullable(Type.String()),
      values: Type.Record(Type.String(), Nullable(Type.Integer())),
    }),
  ),
});

export const CallFlowParams = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 64 }) }, closed);
export const CallFlowView = Type.Object({
  callId: Type.String(),
  traces: Type.Array(
    Type.Object({
      ivrId: Type.Integer(),
      version: Type.Integer(),
      node: Type.String(),
      event: literals(['entered', 'option', 'direct_dial', 'collected', 'invalid', 'timeout', 'exhausted', 'exit', 'abandon'] as const),
      digits: Nullable(Type.String()),
      destination: Nullable(DestinationSchema),
      at: DateTime(),
    }),
  ),
  data: Type.Record(Type.String(), Type.String()),
  answers: Type.Array(Type.Object({ surveyId: Type.Integer(), alias: Type.String(), value: Type.Integer(), answeredAt: DateTime() })),
});

/** The routing API's request and response schemas (TypeBox; they are the OpenAPI document). */
import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id, Literals, Nullable, RequiredText, closed } from '../http/schemas.js';
import { DISPLAY_STATES } from './agent.logic.js';
import { SL_VARIANTS } from './metrics.logic.js';
import { AGENT_NOTICES } from './acd.model.js';

const PerChannel = Type.Object({ voice: Type.Integer(), chat: Type.Integer(), email: Type.Integer() });

export const AgentState = Type.Object({
  userId: Nullable(Type.Integer()),
  extension: Nullable(Type.String()),
  name: Type.String(),
  teamId: Nullable(Type.Integer()),
  state: Literals(DISPLAY_STATES),
  since: DateTime({ description: 'when the state began' }),
  pause: Nullable(
    Type.Object({
      pauseTypeId: Type.Integer(),
      reason: Type.String(),
      startedAt: DateTime(),
      maxSeconds: Nullable(Type.Integer()),
      overrun: Type.Boolean({ description: 'past its maximum (overrun allowed): panels flag it' }),
      cause: Type.String({ description: 'requested, forced (by a supervisor) or no_answer (unanswered offers)' }),
    }),
  ),
  pendingPause: Nullable(Type.Object({ pauseTypeId: Type.Integer(), reason: Type.String() }, { description: 'asked for while busy; begins when the agent is free' })),
  wrapUntil: Nullable(DateTime()),
  registered: Type.Boolean({ description: "the agent's phone is registered (calls are offered only then)" }),
  active: PerChannel,
  offers: PerChannel,
  taken: Type.Integer({ description: 'interactions taken since login' }),
  queueIds: Type.Array(Type.Integer()),
  interactionIds: Type.Array(Type.String()),
  calls: Type.Array(
    Type.Object({ interactionId: Type.String(), queueId: Type.Integer(), address: Type.String({ description: "the customer's number or address" }), ringing: Type.Boolean() }),
    { description: "the queue interactions ringing at the agent (ringing) or in its hands: the desk pops their caller from the queue's contact book" },
  ),
  ownCalls: Type.Array(
    Type.Object({ id: Type.String(), address: Type.String({ description: 'the number called' }), answered: Type.Boolean({ description: 'the far end answered: its id is among interactionIds' }) }),
    { description: "the agent's own calls outside (manual calls) now" },
  ),
});

export const PauseBody = Type.Object({ pauseTypeId: Id }, closed);

/** The agent's call: its interaction, as the agent's state lists it. */
export const InteractionParams = Type.Object({ interactionId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) });
export const OnBody = Type.Object({ on: Type.Boolean() }, closed);
export const DialBody = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 40, description: 'the number to call, as the agent sees it (spaces, dashes, dots, parentheses and a leading + accepted)' }),
    contactId: Type.Optional(Nullable(Id)),
  },
  closed,
);
export const DialView = Type.Object({
  /** The number dialled, as the outbound route receives it before its strip and prefix. */
  number: Type.String(),
  /** The outbound route that will carry the call. */
  route: Type.String(),
});
export const TalkStateView = Type.Object({
  held: Type.Boolean({ description: 'the customer is on hold (also while the agent consults)' }),
  muted: Type.Boolean(),
  consult: Type.Union([
    Type.Object({
      kind: Type.Union([Type.Literal('queue'), Type.Literal('agent'), Type.Literal('external')]),
      name: Type.String({ description: "the agent's or queue's name, or the number" }),
      phase: Type.Union([Type.Literal('ringing'), Type.Literal('talking'), Type.Literal('conference')], { description: 'ringing; talking: the agent with the target alone; conference: the three together' }),
    }),
    Type.Null(),
  ]),
});

/** A transfer (blind) or a consult (attended): `queue` names only `queueId`, `agent` only `userId`, `external` only `number`. */
export const TransferBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('queue'), Type.Literal('agent'), Type.Literal('external')]),
    queueId: Type.Optional(Id),
    userId: Type.Optional(Id),
    number: Type.Optional(Type.String({ minLength: 2, maxLength: 40, pattern: '^[0-9+*#]+$', description: 'as it would be dialled from an extension' })),
  },
  closed,
);
export type TransferInput = Static<typeof TransferBody>;

/** Where an agent may transfer a call: active queues shown on the desktop, and the agents logged in. */
export const TransferTargetsView = Type.Object({
  queues: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), number: Type.String() })),
  agents: Type.Array(Type.Object({ userId: Type.Integer(), name: Type.String(), state: Literals(DISPLAY_STATES) })),
});
export const UserParams = Type.Object({ userId: Id }, closed);

/** A supervisor on an agent's call: listen, whisper (the agent hears, the customer does not), barge (both hear). */
export const MonitorBody = Type.Object(
  { mode: Type.Union([Type.Literal('listen'), Type.Literal('whisper'), Type.Literal('barge')], { description: 'listen; whisper: only the agent hears you; barge: both hear you' }) },
  closed,
);
/** What a supervisor does on a call in conversation. */
const SupervisionModeSchema = Type.Union([Type.Literal('listen'), Type.Literal('whisper'), Type.Literal('barge'), Type.Literal('takeover')]);

export const SupervisionView = Type.Object({
  interactionId: Type.String({ description: "the agent's call in conversation" }),
  mode: SupervisionModeSchema,
  extension: Type.String({ description: 'the supervisor’s phone' }),
  rung: Type.Boolean({ description: 'true: the phone is ringing and the mode starts when it answers; false: the leg already on the call changed mode' }),
});

const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5, description: 'HH:MM local time' });

export const SettingsBody = Type.Object(
  {
    skills: Type.Array(RequiredText({ maxLength: 40 }), { maxItems: 50 }),
    workingHours: Type.Array(
      Type.Object(
        {
          days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7, uniqueItems: true, description: '0 = Sunday … 6 = Saturday' }),
          from: Clock,
          to: Type.String({ ...Clock, description: 'HH:MM; earlier than from runs past midnight' }),
        },
        closed,
      ),
      { maxItems: 21, description: 'when the agent may be logged in (ATENDE_TIMEZONE); empty: any time' },
    ),
  },
  closed,
);

export const SettingsView = Type.Object({
  userId: Type.Integer(),
  skills: Type.Array(Type.String()),
  workingHours: Type.Array(Type.Object({ days: Type.Array(Type.Integer()), from: Type.String(), to: Type.String() })),
  services: Type.Array(Type.Object({ queueId: Type.Integer(), priority: Type.Integer() })),
});

export const ServicesBody = Type.Object(
  {
    userIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
    add: Type.Optional(Type.Array(Type.Object({ queueId: Id, priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) }, closed), { maxItems: 200 })),
    remove: Type.Optional(Type.Array(Id, { maxItems: 200, uniqueItems: true })),
  },
  closed,
);

export const ServicesView = Type.Object({
  items: Type.Array(Type.Object({ userId: Type.Integer(), services: Type.Array(Type.Object({ queueId: Type.Integer(), priority: Type.Integer() })) })),
});

const WholeSeconds = Type.Integer({ minimum: 0 });
export const AgentTodayView = Type.Object({
  date: Type.String({ description: 'the local day (the configured time zone)' }),
  from: Type.String({ format: 'date-time', description: 'its local midnight' }),
  answered: Type.Integer({ minimum: 0, description: 'queue calls answered' }),
  made: Type.Integer({ minimum: 0, description: 'calls placed from the agent’s extension' }),
  talkSeconds: WholeSeconds,
  holdSeconds: WholeSeconds,
  loggedSeconds: Type.Integer({ minimum: 0, description: 'time logged in to the queues' }),
  byState: Type.Object({ available: WholeSeconds, offered: WholeSeconds, busy: WholeSeconds, wrap_up: WholeSeconds, paused: WholeSeconds }),
  pauses: Type.Array(Type.Object({ reason: Type.String(), seconds: WholeSeconds, count: Type.Integer({ minimum: 1 }) })),
  services: Type.Array(
    Type.Object({
      queueId: Type.Integer(),
      name: Type.String(),
      waiting: Type.Integer({ minimum: 0 }),
      longestWaitSeconds: Type.Union([WholeSeconds, Type.Null()]),
      agentsAvailable: Type.Integer({ minimum: 0 }),
      agentsLoggedIn: Type.Integer({ minimum: 0 }),
    }),
  ),
});

export const MyServicesView = Type.Object({
  items: Type.Array(Type.Object({ queueId: Type.Integer(), name: Type.String(), priority: Type.Integer(), active: Type.Boolean() })),
});

export const QueueLive = Type.Object({
  queueId: Type.Integer(),
  name: Type.String(),
  active: Type.Boolean(),
  waiting: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      contact: Type.Object({ address: Type.String(), name: Nullable(Type.String()), contactId: Nullable(Type.Integer()) }),
      priority: Type.Integer(),
      enteredAt: DateTime(),
      waitingSeconds: Type.Integer(),
      position: Type.Integer(),
      offeredTo: Type.Array(Type.String()),
    }),
  ),
  longestWaitSeconds: Nullable(Type.Integer()),
  agents: Type.Object({
    loggedIn: Type.Integer(),
    available: Type.Integer(),
    offered: Type.Integer(),
    busy: Type.Integer(),
    wrapUp: Type.Integer(),
    paused: Type.Integer(),
  }),
  ahtSeconds: Type.Integer({ description: 'recent mean handle time (expected-wait announcements)' }),
});

export const PeriodQuery = Type.Object(
  {
    from: DateTime({ description: 'interactions that entered at or after' }),
    to: DateTime({ description: 'and before' }),
    queueId: Type.Optional(Id),
    slVariant: Type.Optional(Literals(SL_VARIANTS)),
    tenantId: Type.Optional(Id),
  },
  closed,
);

export const ExportQuery = Type.Object(
  {
    from: DateTime({ description: 'interactions (or activity) at or after' }),
    to: DateTime({ description: 'and before' }),
    by: Type.Optional(Literals(['date', 'hour'] as const, 'one row per local date (default) or per local hour, per queue')),
    queueId: Type.Optional(Id),
    tenantId: Type.Optional(Id),
  },
  closed,
);

export const ActivityQuery = Type.Object(
  {
    from: DateTime(),
    to: DateTime(),
    userId: Type.Optional(Id),
    tenantId: Type.Optional(Id),
  },
  closed,
);

const Seconds = Nullable(Type.Number({ description: 'seconds, one decimal; null with nothing to measure' }));
export const CallsReportView = Type.Object({
  items: Type.Array(
    Type.Object({
      date: Type.String({ description: 'local date (the server time zone)' }),
      hour: Nullable(Type.String({ description: 'local hour, HH:00, with by=hour' })),
      queueId: Type.Integer(),
      queueNumber: Type.String(),
      queueName: Type.String(),
      offered: Type.Integer(),
      answered: Type.Integer(),
      abandoned: Type.Integer({ description: 'the caller hung up while waiting' }),
      shortAbandons: Type.Integer(),
      offeredNotAnswered: Type.Integer({ description: "rang at agents' positions and was not answered" }),
      timeouts: Type.Integer(),
      transferred: Type.Integer(),
      serviceLevel: Nullable(Type.Number()),
      asaSeconds: Seconds,
      ahtSeconds: Seconds,
      longestWaitSeconds: Seconds,
    }),
  ),
});
export const ActivityReportView = Type.Object({
  items: Type.Array(
    Type.Object({
      agent: Type.String(),
      userId: Type.Integer(),
      state: Type.String(),
      pauseReason: Nullable(Type.String()),
      pauseCause: Nullable(Type.String()),
      overrun: Type.Boolean(),
      start: Type.String({ description: 'local time, YYYY-MM-DD HH:MM:SS' }),
      end: Nullable(Type.String({ description: 'null while it lasts' })),
      seconds: Type.Integer(),
    }),
  ),
});

export const Csv = Type.String({ description: 'text/csv; UTF-8 with a byte-order mark, fields separated by ;' });


export const QueueMetricsView = Type.Object({
  queueId: Type.Integer(),
  name: Type.String(),
  offered: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer({ description: 'the customer left while waiting' }),
  shortAbandons: Type.Integer({ description: 'of those, within the short-abandon threshold' }),
  offeredNotAnswered: Type.Integer({ description: 'rang at one or more agents and never answered ("abandonadas" on the reference platform)' }),
  unansweredOffers: Type.Integer(),
  timeouts: Type.Integer(),
  leftEmpty: Type.Integer(),
  transferred: Type.Integer(),
  refused: Type.Integer(),
  lost: Type.Integer(),
  waiting: Type.Integer(),
  answeredWithinTarget: Type.Integer(),
  serviceLevel: Nullable(Type.Number({ description: 'percent' })),
  slVariant: Type.String(),
  slSeconds: Type.Integer(),
  slTargetPercent: Type.Integer(),
  abandonRate: Nullable(Type.Number()),
  asaSeconds: Seconds,
  msaSeconds: Seconds,
  ahtSeconds: Seconds,
  mhtSeconds: Seconds,
  longestWaitSeconds: Seconds,
  occupancy: Nullable(Type.Number({ description: "percent of the queue's agents' unpaused logged-in time spent handling" })),
});

/** What the routing module pushes on the events socket (`queues`, `agents`), as the OpenAPI document shows it. */
export const routingEventSchemas = [
  { type: 'queue.changed', topic: 'queues', data: Type.Object({ queue: QueueLive }) },
  {
    type: 'queue.hidden',
    topic: 'queues',
    data: Type.Object(
      { queueId: Type.Integer() },
      { description: 'a queue was deleted, or a team no longer works it: read the queues again (GET /api/v1/queues/live)' },
    ),
  },
  { type: 'agent.changed', topic: 'agents', data: Type.Object({ agent: AgentState }) },
  {
    type: 'agent.notice',
    topic: 'agents',
    data: Type.Object({
      agent: AgentState,
      code: Literals(AGENT_NOTICES, 'pause_limit_returned: back to available at the pause limit; pause_overrun: past the limit (allowed); auto_paused: unanswered offers; working_hours_ended: logged out; phone_unreachable: the phone stopped answering; desk_closed: logged out after every tab of the desk closed'),
      pauseTypeId: Type.Optional(Type.Integer()),
      reason: Type.Optional(Type.String()),
    }),
  },
  {
    type: 'supervision.refused',
    topic: 'queues',
    data: Type.Object(
      {
        supervisorUserId: Type.Integer(),
        agentUserId: Type.Integer(),
        agentName: Type.String(),
        interactionId: Type.String(),
        mode: SupervisionModeSchema,
        reason: Literals(['ended', 'consult'] as const, 'ended: the call ended (or its agent left it) before the supervisor was put on it; consult: a take over while the agent consults a transfer'),
      },
      { description: 'the phone rung for a supervisor (listen, whisper, barge, take over) stopped without putting the supervisor on the call: the panel of that supervisor says why' },
    ),
  },
  {
    type: 'agent.call',
    topic: 'agents',
    data: Type.Object({
      agent: AgentState,
      call: Type.Intersect([Type.Object({ interactionId: Type.String({ description: 'the agent’s call in conversation whose controls changed (its phone held, a consult answered…)' }) }), TalkStateView]),
    }),
  },
];

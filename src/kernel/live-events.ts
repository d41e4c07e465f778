/**
 * The port through which services push live events to browsers (the events socket,
 * `GET /api/v1/events`). Services depend on this interface only; the hub in `src/events/`
 * implements it. Nothing here knows about HTTP or WebSockets.
 */

/**
 * Every topic a browser may subscribe to: the permission module a subscriber needs (`read`),
 * whether agents see only events about their own phone, and whether supervisors see only
 * events about the teams they supervise. Adding a topic is one line here.
 */
export const TOPICS = {
  calls: { module: 'calls', agentsOwnOnly: true, supervisorsOwnTeams: false, about: 'call.started, call.answered, call.ended' },
  system: { module: 'self', agentsOwnOnly: false, supervisorsOwnTeams: false, about: 'system.readiness: database, ARI and AMI up or down' },
  queues: { module: 'queues', agentsOwnOnly: false, supervisorsOwnTeams: true, about: 'queue.changed: a queue’s waiting interactions, longest wait and agents by state; supervision.refused: a supervisor’s phone rung for nothing, and why' },
  agents: { module: 'agent', agentsOwnOnly: true, supervisorsOwnTeams: true, about: 'agent.changed (state, pause, wrap-up, phone), agent.notice (pause limit, automatic pause, working hours ended)' },
  telephony: { module: 'telephony', agentsOwnOnly: false, supervisorsOwnTeams: false, about: 'telephony.status: spans in alarm, trunks registered, phones registered or unreachable' },
  dialer: { module: 'dialer', agentsOwnOnly: false, supervisorsOwnTeams: false, about: 'dialer.campaign: a running campaign’s live monitor (calls, agents, rates), every 2 s' },
  imports: { module: 'imports', agentsOwnOnly: false, supervisorsOwnTeams: false, about: 'import.progressed: rows read, imported and rejected while a CSV import runs, and its end' },
} as const satisfies Record<string, { module: string; agentsOwnOnly: boolean; supervisorsOwnTeams: boolean; about: string }>;

export type Topic = keyof typeof TOPICS;
export const TOPIC_NAMES = Object.keys(TOPICS) as Topic[];
export const isTopic = (t: string): t is Topic => Object.hasOwn(TOPICS, t);

/** One event as a service publishes it. `data` must be plain JSON (a broker may carry it). */
export interface LiveEvent {
  /** Past tense, dotted: `call.answered`, `system.readiness`. */
  type: string;
  data: Record<string, unknown>;
  /**
   * Phone numbers or extensions the event is about; on topics where agents see only their own
   * events (`agentsOwnOnly`), an agent receives it only when its extension is among them.
   */
  parties?: readonly string[];
  /**
   * Teams the event is about (an agent's team; the teams of a queue's members); on topics where
   * supervisors see only their teams (`supervisorsOwnTeams`), a supervisor receives it only when
   * it supervises one of them.
   */
  teams?: readonly number[];
}

export interface EventPublisher {
  /** Publishes to the subscribers of `topic` in `tenantId`; `null` for platform events every tenant sees. */
  publish(topic: Topic, tenantId: number | null, event: LiveEvent): void;
}

/** For services started without a hub (tests, tools): events go nowhere. */
export const noEvents: EventPublisher = { publish: () => undefined };

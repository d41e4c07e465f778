/**
 * The port through which services push live events to browsers (the events socket,
 * `GET /api/v1/events`). Services depend on this interface only; the hub in `src/events/`
 * implements it. Nothing here knows about HTTP or WebSockets.
 */

/**
 * Every topic a browser may subscribe to: the permission module a subscriber needs (`read`),
 * and whether agents see only events about their own phone. Adding a topic is one line here
 * (e.g. `queues: { module: 'queues', agentsOwnOnly: false, about: '…' }` with the ACD).
 */
export const TOPICS = {
  calls: { module: 'calls', agentsOwnOnly: true, about: 'call.started, call.answered, call.ended' },
  system: { module: 'self', agentsOwnOnly: false, about: 'system.readiness: database, ARI and AMI up or down' },
  imports: { module: 'imports', agentsOwnOnly: false, about: 'import.progressed: rows read, imported and rejected while a CSV import runs, and its end' },
} as const satisfies Record<string, { module: string; agentsOwnOnly: boolean; about: string }>;

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
}

export interface EventPublisher {
  /** Publishes to the subscribers of `topic` in `tenantId`; `null` for platform events every tenant sees. */
  publish(topic: Topic, tenantId: number | null, event: LiveEvent): void;
}

/** For services started without a hub (tests, tools): events go nowhere. */
export const noEvents: EventPublisher = { publish: () => undefined };

import { Type, type TSchema } from '@sinclair/typebox';
import { TOPIC_NAMES } from '../kernel/index.js';

/**
 * The events socket's messages as JSON Schema, published in the OpenAPI document's
 * `components.schemas` (`EventServerMessage`, `EventClientMessage`) so that the browser's types
 * come from the server like every other API type. Topic events bring their own `data` schemas.
 */
const Topic = Type.Union(TOPIC_NAMES.map((t) => Type.Literal(t)));
const Seq = Type.Integer({ minimum: 1, description: 'this connection’s message number, from 1, without gaps' });
const At = Type.String({ format: 'date-time' });

const message = (type: string, data?: TSchema, topic?: string) =>
  Type.Object({
    seq: Seq,
    type: Type.Literal(type),
    at: At,
    ...(topic ? { topic: Type.Literal(topic) } : {}),
    ...(data ? { data } : {}),
  });

const controlMessages = [
  message(
    'hello',
    Type.Object({
      connectionId: Type.String(),
      userId: Type.Integer(),
      tenantId: Type.Integer(),
      heartbeatSeconds: Type.Number(),
      topics: Type.Array(Topic, { description: 'the topics this user may subscribe to' }),
    }),
  ),
  message('subscribed', Type.Object({ topics: Type.Array(Topic) })),
  message('unsubscribed', Type.Object({ topics: Type.Array(Topic), reason: Type.Union([Type.Literal('requested'), Type.Literal('no longer allowed')]) })),
  message('heartbeat'),
  message('pong'),
  message(
    'error',
    Type.Object({
      code: Type.Union([Type.Literal('invalid_message'), Type.Literal('unknown_topic'), Type.Literal('forbidden')]),
      message: Type.String(),
      field: Type.String(),
    }),
  ),
  message('tenant.changed', Type.Object({ tenantId: Type.Integer() })),
];

/** `system.readiness` on the `system` topic. */
export const readinessData = Type.Object({
  ready: Type.Boolean(),
  components: Type.Record(Type.String(), Type.Object({ ok: Type.Boolean() }), { description: 'database, asterisk, ari, ami' }),
});

/** A topic event's schema: its type, its topic, and what `data` holds. */
export interface TopicEventSchema {
  type: string;
  topic: string;
  data: TSchema;
}

export function eventSchemas(topicEvents: readonly TopicEventSchema[]): Record<string, TSchema> {
  return {
    EventServerMessage: Type.Union([...controlMessages, ...topicEvents.map((e) => message(e.type, e.data, e.topic))], {
      description: 'What GET /api/v1/events sends (discriminated by type)',
    }),
    EventClientMessage: Type.Union(
      [
        Type.Object({ type: Type.Literal('subscribe'), topics: Type.Array(Topic, { minItems: 1, maxItems: 20 }) }),
        Type.Object({ type: Type.Literal('unsubscribe'), topics: Type.Array(Topic, { minItems: 1, maxItems: 20 }) }),
        Type.Object({ type: Type.Literal('ping') }),
      ],
      { description: 'What a browser may send on GET /api/v1/events' },
    ),
  };
}

/** A queue's day so far, per hour and by wait, for the supervisor's charts. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOf, tenantScope } from '../auth/index.js';
import { IdParams, Nullable, TenantQuery } from '../http/schemas.js';
import { QueueMetricsView } from './routing.schemas.js';
import type { QueueDayService } from './queue-day.service.js';

const Percent = Nullable(Type.Number({ minimum: 0, maximum: 100, description: 'percent; null when nothing counts toward it' }));

/** Which day "today" is: the configured time zone's, whatever the browser's. */
const Today = {
  date: Type.String({ description: 'today in the configured time zone, YYYY-MM-DD' }),
  timeZone: Type.String(),
  from: Type.String({ format: 'date-time', description: 'local midnight: interactions that entered since' }),
};

export const QueuesTodayView = Type.Object({ ...Today, items: Type.Array(QueueMetricsView) });

export const QueueTodayView = Type.Object({
  queueId: Type.Integer(),
  name: Type.String(),
  ...Today,
  slSeconds: Type.Integer({ description: "the queue's service-level target time" }),
  slTargetPercent: Type.Integer({ description: "the queue's service-level goal" }),
  offered: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer({ description: 'the customer hung up while waiting' }),
  serviceLevel: Percent,
  hours: Type.Array(
    Type.Object({
      hour: Type.String({ description: 'local hour, HH:00, from 00:00 to the current hour' }),
      offered: Type.Integer(),
      answered: Type.Integer(),
      abandoned: Type.Integer(),
      serviceLevel: Percent,
    }),
  ),
  waits: Type.Array(
    Type.Object({
      overSeconds: Type.Integer(),
      upToSeconds: Nullable(Type.Integer({ description: 'included; null: no upper bound' })),
      abandoned: Type.Integer(),
      answered: Type.Integer(),
    }),
    { description: "today's abandoned and answered calls by how long they waited" },
  ),
});

export function queueDayRoutes(queueDay: QueueDayService): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/queues/today',
      {
        config: { access: { module: 'supervision', action: 'read' } },
        schema: {
          tags: ['routing'],
          summary: "Every queue's metrics for today so far, from local midnight in the configured time zone (a supervisor's: the queues its teams' agents are members of)",
          querystring: TenantQuery,
          response: { 200: QueuesTodayView },
        },
      },
      async (req) => queueDay.allToday(actorOf(req), tenantScope(req, req.query.tenantId)),
    );
    app.get(
      '/queues/:id/today',
      {
        config: { access: { module: 'supervision', action: 'read' } },
        schema: {
          tags: ['routing'],
          summary: "A queue's day so far: calls and service level per local hour, abandoned and answered calls by wait (a supervisor sees its teams' queues)",
          params: IdParams,
          querystring: TenantQuery,
          response: { 200: QueueTodayView },
        },
      },
      async (req) => queueDay.today(actorOf(req), tenantScope(req, req.query.tenantId), req.params.id),
    );
  };
}

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { allows, principalOf, SESSION_COOKIE, type Authenticated } from '../auth/index.js';
import { API_PREFIX, type AppDeps } from '../http/deps.js';
import { errorBody } from '../http/errors.js';
import { AppError, TOPIC_NAMES, TOPICS } from '../kernel/index.js';
import { originAllowed, topicsOfQuery } from './events.logic.js';
import type { EventHub, Viewer } from './events.hub.js';
import { watchReadiness } from './readiness-watch.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The events hub: `app.events.publish(topic, tenantId, event)`. */
    events: EventHub;
  }
}

const topicList = Object.entries(TOPICS)
  .map(
    ([name, t]) =>
      `\`${name}\` (needs ${t.module}:read${t.agentsOwnOnly ? '; agents get only their own extension’s' : ''}${t.supervisorsOwnTeams ? '; supervisors only their teams’' : ''}): ${t.about}`,
  )
  .join('; ');

const description = `A WebSocket (send \`Upgrade: websocket\`; a plain GET answers 426). Authenticated by the session cookie; the page's Origin must be this server or one of ATENDE_CORS_ORIGINS. Scoped to the session's tenant (a super user's choice: PUT /api/v1/me/tenant).

Server → browser, JSON: \`{"seq", "type", "at", "topic"?, "data"?}\`; \`seq\` counts this connection's messages from 1 without gaps. Types: \`hello\` (data: connectionId, userId, tenantId, heartbeatSeconds, topics allowed), \`subscribed\` (data.topics: all current), \`unsubscribed\` (data.topics, data.reason), \`heartbeat\` (every heartbeatSeconds; none for two periods means the link is dead), \`pong\`, \`error\` (data: code, message, field), \`tenant.changed\` (data.tenantId: resynchronise), and topic events: \`call.started\` / \`call.answered\` / \`call.ended\` (topic calls, data.call: as in GET /api/v1/calls) and \`system.readiness\` (topic system, data: ready, components.{name}.ok; sent at once on subscribing, then on every change).

Browser → server: \`{"type":"subscribe","topics":["calls","system"]}\`, \`{"type":"unsubscribe","topics":[…]}\`, \`{"type":"ping"}\`; or subscribe at once with \`?topics=calls,system\`. An unknown or forbidden topic refuses the whole request with an \`error\`. Topics: ${topicList}.

Close codes: 1001 server stopping (reconnect with backoff), 1013 too slow (reconnect, resynchronise), 4001 session ended (log in again). After any reconnect, resynchronise by REST.`;

/** The session's viewer as the hub filters for it. */
function viewerOf(app: FastifyInstance, found: Pick<Authenticated, 'principal' | 'permissions'>): Viewer {
  const p = found.principal;
  return {
    userId: p.userId,
    tenantId: p.activeTenantId,
    level: p.level,
    superUser: p.superUser,
    topics: TOPIC_NAMES.filter((t) => p.superUser || allows(found.permissions, { module: TOPICS[t].module, action: 'read' })),
    extension: app.org.repo.getUser(p.userId)?.extension ?? null,
    supervisedTeams: p.level === 'supervisor' && !p.superUser ? app.org.repo.teamsSupervisedBy(p.activeTenantId, p.userId) : [],
  };
}

/**
 * `GET /api/v1/events` and what keeps its sockets honest: sessions are checked again on every
 * heartbeat and right after any successful write by a session (a logout, a password change, a
 * deactivation end sessions as a side effect of many different requests) — only the writer's
 * tenant's sockets unless a super user wrote — and after a public route marked `endsSessions`.
 * Logins and other public requests check nothing. Readiness changes are pushed.
 * Registered on the root instance so that its response hook sees every route.
 */
async function events(instance: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const hub = instance.events;

  hub.setRevalidator((token) => {
    const found = instance.auth.authenticate(token, { touch: false });
    return found && !found.passwordChangeRequired ? viewerOf(instance, found) : null;
  });
  const readiness = watchReadiness({ readiness: deps.readiness, hub, clock: deps.clock });
  instance.addHook('onClose', async () => readiness.stop());

  // A successful write by a session, or by a route that says it ends sessions (a password set
  // through a mailed link), may have ended sessions: check the sockets it can concern.
  instance.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || reply.statusCode >= 400) return;
    if (!req.routeOptions.url?.startsWith(`${API_PREFIX}/`)) return;
    const p = req.principal;
    if (p) hub.recheckSoon(p.superUser ? null : p.tenantId);
    else if (req.routeOptions.config.endsSessions === true) hub.recheckSoon(null);
  });

  app.route({
    method: 'GET',
    url: `${API_PREFIX}/events`,
    config: { access: { module: 'self', action: 'read' } },
    schema: {
      tags: ['events'],
      summary: 'The events socket: live calls and readiness, by topic',
      description,
      querystring: Type.Object(
        { topics: Type.Optional(Type.String({ maxLength: 200, pattern: '^[a-z,]*$', description: 'topics to subscribe at once, comma-separated' })) },
        { additionalProperties: false },
      ),
      response: { 401: errorBody, 403: errorBody, 426: errorBody },
    },
    onRequest: async (req) => {
      if (!originAllowed(req.headers.origin, req.host, deps.config.http.corsOrigins)) {
        throw new AppError('forbidden_origin', `origin ${req.headers.origin ?? ''} may not open the events socket`, 403);
      }
    },
    handler: async (_req, reply) => {
      void reply.header('upgrade', 'websocket');
      throw new AppError('upgrade_required', `${API_PREFIX}/events is a WebSocket: send Upgrade: websocket`, 426);
    },
    wsHandler: (socket, req) => {
      const principal = principalOf(req);
      const viewer = viewerOf(instance, { principal, permissions: req.permissions ?? [] });
      const token = req.cookies[SESSION_COOKIE] ?? '';
      const conn = hub.connect(
        {
          send: (text) => socket.send(text),
          close: (code, reason) => socket.close(code, reason),
          terminate: () => socket.terminate(),
          ping: () => socket.ping(),
          buffered: () => socket.bufferedAmount,
        },
        viewer,
        token,
        topicsOfQuery((req.query as { topics?: string }).topics),
      );
      socket.on('message', (data, isBinary) => conn.receive(isBinary ? '' : data.toString()));
      socket.on('pong', () => conn.pong());
      socket.on('close', () => conn.closed());
    },
  });
}

// Same effect as wrapping in fastify-plugin: the response hook applies to the whole app.
(events as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
export const eventsPlugin = events;

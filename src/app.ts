import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { API_PREFIX, type AppDeps } from './http/deps.js';
import { frameworkErrors, installErrorHandling, MAX_PARAM_LENGTH } from './http/errors.js';
import { installJsonBodyParser } from './http/json-body.js';
import { installStrictTransportSecurity } from './http/hsts.js';
import { lazySchemaCompilers } from './http/validation.js';
import { apiRoutes } from './http/routes.js';
import { systemRoutes } from './http/system.routes.js';
import { authPlugin } from './auth/index.js';
import { webAppRoutes } from './http/web.plugin.js';
import { Type } from '@sinclair/typebox';
import { CallSchema } from './calls/index.js';
import { ImportProgressSchema } from './contacts/index.js';
import { EventHub, eventSchemas, eventsPlugin, MAX_CLIENT_MESSAGE_BYTES, readinessData } from './events/index.js';
import { createModules, type Modules } from './modules.js';
import { routingEventSchemas } from './routing/index.js';
import { dialerEventSchemas } from './dialer/index.js';
import { TelephonyStatusView } from './provisioning/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** The routes' schemas, compiled at their first request (`compileAll` compiles the rest). */
    schemas: { compileAll(): number };
  }
}

export type { AppDeps };
export { API_PREFIX };

/**
 * Builds the Fastify app exactly as production runs it; tests call `app.inject` on it.
 * `events` is the hub services publish to (the composition root shares it with the calls
 * engine); without one the app makes its own.
 */
export async function buildApp(deps: AppDeps & { modules?: Modules; events?: EventHub }): Promise<FastifyInstance> {
  const ownModules = deps.modules === undefined;
  const modules = deps.modules ?? createModules(deps);
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: deps.config.http.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  // Modules handed in belong to the caller (main.ts closes them after the engines); these are ours.
  if (ownModules) app.addHook('onClose', () => modules.close());
  app.decorate('mail', modules.mail);
  const events = deps.events ?? new EventHub({ clock: deps.clock, logger: deps.logger });
  app.decorate('events', events);
  const unfollowDesks = modules.routing.service.followDesks(events, deps.config.routing.closedDeskLogoutSeconds * 1000);
  app.addHook('onClose', async () => unfollowDesks());
  const schemas = lazySchemaCompilers();
  app.decorate('schemas', schemas);
  app.setValidatorCompiler(schemas.validatorCompiler);
  app.setSerializerCompiler(schemas.serializerCompiler);
  installErrorHandling(app);
  // A JSON API: plain-text bodies are refused with 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');
  installJsonBodyParser(app);

  await app.register(helmet, {
    global: true,
    // Call centres often reach an on-premise server over plain HTTP on a LAN address, where
    // upgrading every subresource to https would break the pages; only ask for it behind HTTPS.
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: deps.config.http.cookieSecure ? [] : null,
        // Scripts stay 'self' only. The web app's component library (PrimeVue, styled mode)
        // writes its theme into <style> elements and positions overlays with style attributes
        // at run time; a nonce cannot cover style attributes, so inline styles are allowed, and
        // nothing else from outside this origin is.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The events WebSocket is same-origin (CSP 3 'self' covers ws:/wss: of this host); the
        // webphone's SIP WebSocket is Asterisk's own HTTP server.
        connectSrc: ["'self'", ...(deps.connectSources ?? [])],
      },
    },
    // Sent per request, only over HTTPS (see hsts.ts).
    strictTransportSecurity: false,
  });
  installStrictTransportSecurity(app);
  if (deps.config.http.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...deps.config.http.corsOrigins], credentials: true });
  }
  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES },
    preClose(done) {
      events.stop();
      this.websocketServer.close();
      done();
    },
  });
  // Before any route: it checks every /api/v1 route's access declaration and guards requests.
  await app.register(authPlugin, { ...deps, orgChanged: (c) => modules.routing.service.orgChanged(c) });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Atende API', version: '1', description: 'Contact-center server: REST API under /api/v1.' },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'atende_session' } },
        schemas: eventSchemas([
          ...(['started', 'answered', 'ended'] as const).map((k) => ({ type: `call.${k}`, topic: 'calls', data: Type.Object({ call: CallSchema }) })),
          { type: 'system.readiness', topic: 'system', data: readinessData },
          ...routingEventSchemas,
          ...dialerEventSchemas,
          { type: 'telephony.status', topic: 'telephony', data: Type.Object({ status: TelephonyStatusView }) },
          { type: 'import.progressed', topic: 'imports', data: Type.Object({ import: ImportProgressSchema }) },
        ]),
      },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await app.register(systemRoutes, deps);
  await app.register(eventsPlugin, deps);
  for (const routes of apiRoutes) await app.register(routes, { ...deps, prefix: API_PREFIX });
  for (const routes of [...modules.routes, ...(deps.extraRoutes ?? [])]) await app.register(routes, { prefix: API_PREFIX });
  await app.register(webAppRoutes, deps);
  return app as unknown as FastifyInstance;
}

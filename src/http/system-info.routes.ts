import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { projectRoot, usesEmulator } from '../config/index.js';
import type { ProbeResult } from '../kernel/index.js';
import type { AppDeps } from './deps.js';

const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

const Link = Type.Object({
  connected: Type.Boolean(),
  detail: Type.String({ description: 'where it is connected, or why not' }),
});
const SystemView = Type.Object({
  version: Type.String({ description: 'of Atende' }),
  node: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  uptimeSeconds: Type.Integer({ minimum: 0 }),
  dataDir: Type.String({ description: 'absolute path of the data directory' }),
  ready: Type.Boolean(),
  telephony: Type.Object({
    mode: Type.Union([Type.Literal('emulator'), Type.Literal('asterisk')]),
    asterisk: Type.String({ description: 'the ARI URL of the Asterisk named, or "built-in emulator"' }),
    app: Type.String({ description: 'the Stasis application name' }),
    ari: Link,
    ami: Link,
  }),
  components: Type.Record(
    Type.String(),
    Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) }),
  ),
});

const linkOf = (p: ProbeResult | undefined): { connected: boolean; detail: string } =>
  !p ? { connected: false, detail: 'not started' } : p.ok ? { connected: true, detail: p.detail ?? 'connected' } : { connected: false, detail: p.reason };

/** `GET /system`: what an admin checks first when something is wrong. */
export const systemInfoRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const startedAt = deps.clock.now();
  const emulator = usesEmulator(deps.config);

  app.get(
    '/system',
    {
      config: { access: { module: 'system', action: 'read' } },
      schema: {
        tags: ['system'],
        summary: 'Version, uptime, data directory, which Asterisk (or the emulator) and the state of ARI, AMI and the database',
        response: { 200: SystemView },
      },
    },
    async () => {
      const { ready, checks } = deps.readiness.check();
      const now = deps.clock.now();
      return {
        version,
        node: process.version,
        startedAt: new Date(startedAt).toISOString(),
        uptimeSeconds: Math.max(0, Math.floor((now - startedAt) / 1000)),
        dataDir: resolve(deps.config.dataDir),
        ready,
        telephony: {
          mode: emulator ? ('emulator' as const) : ('asterisk' as const),
          asterisk: emulator ? 'built-in emulator' : deps.config.asterisk.ari.url,
          app: deps.config.asterisk.ari.app,
          ari: linkOf(checks.ari),
          ami: linkOf(checks.ami),
        },
        components: checks,
      };
    },
  );
};

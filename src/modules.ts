import type { FastifyPluginAsync } from 'fastify';
import { AuditService } from './audit/index.js';
import type { Database_ } from './db/client.js';
import type { Clock, Logger } from './kernel/index.js';
import { ChangeFeed, ReferenceRegistry, type ResourceContext } from './resources/index.js';
import { createProvisioning, type Provisioning } from './provisioning/index.js';
import type { AmiClient } from './telephony/ami/index.js';

/**
 * The feature modules, made once per process: main.ts hands the same instances to the HTTP app
 * and to the engines (calls, ACD, dialer), so that both act on one state. Add a module here.
 */
export interface Modules {
  /** What every resource service shares: audit, cross-module references, the change feed. */
  resources: ResourceContext;
  /** Route plugins of the modules, mounted under /api/v1. */
  routes: FastifyPluginAsync[];
  /** The telecom admin's resources and what Asterisk is configured from. */
  provisioning: Provisioning;
}

export interface ModuleDeps {
  database: Database_;
  clock: Clock;
  logger: Logger;
  /** The Asterisk the modules configure and watch; absent where there is none (tests of the resources alone). */
  asterisk?: {
    ami: AmiClient;
    /** Its configuration directory (ATENDE_ASTERISK_CONFIG_DIR, or the emulator's). */
    configDir: string | undefined;
  };
}

const NO_CONFIG_DIR = 'ATENDE_ASTERISK_CONFIG_DIR is not set: set it to Asterisk’s configuration directory (usually /etc/asterisk) so that Atende can write its files there';

export function createModules(deps: ModuleDeps): Modules {
  const resources: ResourceContext = {
    database: deps.database,
    clock: deps.clock,
    audit: new AuditService(deps.database, deps.clock),
    references: new ReferenceRegistry(),
    changes: new ChangeFeed(deps.logger),
  };
  const configDir = deps.asterisk?.configDir;
  const provisioning = createProvisioning({
    resources,
    logger: deps.logger,
    configDir: configDir ? { path: configDir } : { missing: NO_CONFIG_DIR },
    ...(deps.asterisk ? { asterisk: deps.asterisk.ami } : {}),
  });
  return { resources, routes: [...provisioning.routes], provisioning };
}

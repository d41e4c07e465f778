import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { AuditService } from './audit/index.js';
import type { Config } from './config/index.js';
import { ContactsService, contactsRoutes, crmResourceRoutes, interactionsRoutes } from './contacts/index.js';
import type { Database_ } from './db/client.js';
import type { Clock, Logger } from './kernel/index.js';
import { ChangeFeed, ReferenceRegistry, type ResourceContext } from './resources/index.js';

/**
 * The feature modules, made once per process: main.ts hands the same instances to the HTTP app
 * and to the engines (calls, ACD, dialer), so that both act on one state. Add a module here.
 */
export interface Modules {
  /** What every resource service shares: audit, cross-module references, the change feed. */
  resources: ResourceContext;
  /** Contacts, CRM resources, the CSV importer, tabulations (screen pop and blacklist for the engines). */
  contacts: ContactsService;
  /** Route plugins of the modules, mounted under /api/v1. */
  routes: FastifyPluginAsync[];
  /** Starts what runs in the background (undo of interrupted imports). */
  start(): Promise<void>;
  /** Stops it (running imports are cancelled and undone). */
  stop(): Promise<void>;
}

export interface ModuleDeps {
  config: Pick<Config, 'dataDir' | 'contacts'>;
  database: Database_;
  clock: Clock;
  logger: Logger;
}

export function createModules(deps: ModuleDeps): Modules {
  const resources: ResourceContext = {
    database: deps.database,
    clock: deps.clock,
    audit: new AuditService(deps.database, deps.clock),
    references: new ReferenceRegistry(),
    changes: new ChangeFeed(deps.logger),
  };
  const contacts = new ContactsService({
    resources,
    logger: deps.logger,
    spoolDir: join(resolve(deps.config.dataDir), 'imports'),
    importMaxBytes: deps.config.contacts.importMaxMb * 1024 * 1024,
    // Progress is kept with the import (GET /imports/:id); the events socket will carry it too.
    importPublisher: { publish: () => undefined },
  });
  return {
    resources,
    contacts,
    routes: [...crmResourceRoutes(contacts), contactsRoutes(contacts), interactionsRoutes(contacts)],
    start: () => contacts.start(),
    stop: () => contacts.stop(),
  };
}

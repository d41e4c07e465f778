import type { FastifyPluginAsync } from 'fastify';
import { AuditService } from './audit/index.js';
import type { Database_ } from './db/client.js';
import type { Clock, Logger } from './kernel/index.js';
import { createSmtpMailer, MailService, mailRoutes, type Mailer } from './mail/index.js';
import { ChangeFeed, ReferenceRegistry, type ResourceContext } from './resources/index.js';

/**
 * The feature modules, made once per process: main.ts hands the same instances to the HTTP app
 * and to the engines (calls, ACD, dialer), so that both act on one state. Add a module here.
 */
export interface Modules {
  /** What every resource service shares: audit, cross-module references, the change feed. */
  resources: ResourceContext;
  /** The platform's outgoing mail (password resets, access links). */
  mail: MailService;
  /** Route plugins of the modules, mounted under /api/v1. */
  routes: FastifyPluginAsync[];
}

export interface ModuleDeps {
  database: Database_;
  clock: Clock;
  logger: Logger;
  /** The SMTP adapter; default: nodemailer with the system's certificate authorities. */
  mailer?: Mailer;
}

export function createModules(deps: ModuleDeps): Modules {
  const resources: ResourceContext = {
    database: deps.database,
    clock: deps.clock,
    audit: new AuditService(deps.database, deps.clock),
    references: new ReferenceRegistry(),
    changes: new ChangeFeed(deps.logger),
  };
  const mail = new MailService({ ...deps, audit: resources.audit, mailer: deps.mailer ?? createSmtpMailer() });
  return { resources, mail, routes: [mailRoutes(mail)] };
}

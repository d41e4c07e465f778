import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { AuditService } from '../audit/index.js';
import { ConfigError, type Config } from '../config/index.js';
import { MIN_PASSWORD_LENGTH } from '../auth/password.js';
import type { Database_ } from '../db/client.js';
import type { AccessLevel } from '../http/principal.js';
import { ensurePrivateDir, writePrivateFile, type Clock, type Logger } from '../kernel/index.js';
import { readablePassword } from './org.logic.js';
import { OrgService, SYSTEM_ACTOR } from './org.service.js';

/**
 * The super user `admin` lives in a tenant of its own, the "system" tenant, so that it never
 * appears among a customer's users. That tenant's CNPJ is this placeholder (fourteen zeros,
 * which the API refuses for real tenants); a super user may change it to the operator's own.
 */
export const SYSTEM_TENANT_CNPJ = '00000000000000';
export const SYSTEM_TENANT_NAME = 'Atende (sistema)';
export const ADMIN_LOGIN = 'admin';
export const ADMIN_PASSWORD_FILE = 'admin-password.txt';
export const DEMO_PASSWORD_FILE = 'demo-password.txt';
/** A valid CNPJ for the demo tenant (check digits computed, not a real company of ours). */
export const DEMO_TENANT_CNPJ = '11222333000181';

export interface BootstrapDeps {
  config: Config;
  database: Database_;
  logger: Logger;
  clock: Clock;
}

export interface BootstrapResult {
  /** True when this start created the super user `admin`. */
  adminCreated: boolean;
  /** Set when the admin password was generated (and written to this file). */
  adminPasswordFile?: string;
  /** Set when this start created the demo tenant. */
  demo?: { tenantId: number; logins: string[]; passwordFile: string };
}

function writeSecretFile(path: string, content: string): void {
  ensurePrivateDir(resolve(path, '..'));
  writePrivateFile(path, content);
}

function baseUrl(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? 'localhost' : config.http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
}

/**
 * Run once after the database opens, before the app listens. Creates the super user `admin`
 * when no super user exists; with `seedDemo` and an empty database, also a demo tenant.
 * Safe to run on every start: it changes nothing once these exist.
 */
export async function bootstrap(deps: BootstrapDeps): Promise<BootstrapResult> {
  const { config, logger, clock } = deps;
  const audit = new AuditService(deps.database, clock);
  const org = new OrgService(deps.database, clock, audit);
  const dataDir = resolve(config.dataDir);
  const wasEmpty = org.repo.countTenants() === 0;
  const ctx = { actor: SYSTEM_ACTOR };
  const result: BootstrapResult = { adminCreated: false };

  if (!org.repo.anySuperUser()) {
    if (org.repo.userByLogin(ADMIN_LOGIN)) {
      logger.error(`no super user exists and the login "${ADMIN_LOGIN}" is taken by an ordinary user; create a super user by hand`);
    } else {
      const system =
        org.repo.tenantByCnpj(SYSTEM_TENANT_CNPJ) ??
        org.repo.insertTenant({ legalName: SYSTEM_TENANT_NAME, cnpj: SYSTEM_TENANT_CNPJ, createdAt: new Date(clock.now()), updatedAt: new Date(clock.now()) });
      const fromEnv = config.adminPassword !== undefined && config.adminPassword !== '';
      if (fromEnv && config.adminPassword!.length < MIN_PASSWORD_LENGTH) {
        throw new ConfigError('ATENDE_ADMIN_PASSWORD', `must have at least ${MIN_PASSWORD_LENGTH} characters`);
      }
      const password = fromEnv ? config.adminPassword! : readablePassword(randomBytes(16));
      await org.createUser(ctx, system.id, {
        name: 'Administrator',
        login: ADMIN_LOGIN,
        password,
        level: 'admin',
        superUser: true,
        passwordChangeRequired: !fromEnv,
      });
      result.adminCreated = true;
      if (!fromEnv) {
        const file = join(dataDir, ADMIN_PASSWORD_FILE);
        writeSecretFile(file, `login: ${ADMIN_LOGIN}\npassword: ${password}\n\nYou will be asked to change it at the first login. Delete this file afterwards.\n`);
        result.adminPasswordFile = file;
        logger.warn(
          { login: ADMIN_LOGIN, file },
          `first start: super user "${ADMIN_LOGIN}" created with password ${password} (also written to ${file}); change it at the first login`,
        );
      } else {
        logger.info({ login: ADMIN_LOGIN }, 'first start: super user created with the password from ATENDE_ADMIN_PASSWORD');
      }
    }
  }

  if (config.seedDemo && wasEmpty) result.demo = await seedDemo(org, dataDir, config, logger);
  return result;
}

async function seedDemo(org: OrgService, dataDir: string, config: Config, logger: Logger): Promise<BootstrapResult['demo']> {
  const ctx = { actor: SYSTEM_ACTOR };
  const tenant = org.createTenant(ctx, {
    legalName: 'Demonstração Atende Ltda',
    cnpj: DEMO_TENANT_CNPJ,
    contactName: 'Equipe Demo',
    contactEmail: 'demo@example.com',
    ddi: '55',
    ddd: '11',
    cnl: '11000',
  });
  const t = tenant.id;
  const password = readablePassword(randomBytes(10));
  const user = (login: string, name: string, level: AccessLevel, extra: { teamId?: number; extension?: string } = {}) =>
    org.createUser(ctx, t, { name, login, password, level, email: `${login}@example.com`, passwordChangeRequired: false, ...extra });

  await user('demo.admin', 'Ana Administradora', 'admin');
  const supervisor = await user('demo.supervisor', 'Sérgio Supervisor', 'supervisor');
  const support = org.createTeam(ctx, t, { name: 'Atendimento', description: 'Suporte e SAC', supervisorIds: [supervisor.id] });
  const sales = org.createTeam(ctx, t, { name: 'Vendas', description: 'Vendas ativas e receptivas', supervisorIds: [supervisor.id] });
  const agents = ['Alice', 'Bruno', 'Carla', 'Diego', 'Elisa'];
  for (const [i, name] of agents.entries()) {
    await user(`demo.agent${i + 1}`, name, 'agent', { teamId: i < 3 ? support.id : sales.id, extension: String(1001 + i) });
  }
  const pause = (reason: string, description: string, extra: Record<string, unknown>) =>
    org.createPauseType(ctx, t, { reason, description, ...extra });
  pause('Almoço', 'Lunch', { maxDurationMinutes: 60, maxAgents: 2, overrunAllowed: false });
  pause('Intervalo', 'Short break', { maxDurationMinutes: 15, maxAgents: 2 });
  pause('Treinamento', 'Training', { maxDurationMinutes: 120, transferWhilePaused: false, hideOnPanels: true });
  pause('Pós-atendimento', 'Wrap-up after an interaction', { maxDurationMinutes: 5, wrapUp: true });

  const logins = ['demo.admin', 'demo.supervisor', ...agents.map((_, i) => `demo.agent${i + 1}`)];
  const passwordFile = join(dataDir, DEMO_PASSWORD_FILE);
  writeSecretFile(passwordFile, `Demo tenant logins (all with the same password):\n${logins.join('\n')}\n\npassword: ${password}\n`);
  const url = baseUrl(config);
  logger.warn(
    { url, logins, file: passwordFile },
    `demo data created: open ${url}/api/docs and log in (POST /api/v1/auth/login) as demo.admin, demo.supervisor or demo.agent1..5 with password ${password} (also in ${passwordFile})`,
  );
  return { tenantId: t, logins, passwordFile };
}

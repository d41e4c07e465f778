/**
 * Apply: render a tenant's Asterisk configuration (and the server-wide files every tenant
 * includes), show what changes file by file, write the changed files atomically, reload the
 * modules that read them over AMI and check that Asterisk loaded what was generated. If a
 * reload fails or an object is missing afterwards, the previous files are written back and
 * reloaded, and the error is reported: the old configuration keeps running.
 *
 * DAHDI is not reloaded: a new span needs `dahdi_cfg` (root, on the Asterisk host) and then
 * chan_dahdi's reload or a restart; the result says what to run.
 */
import type { ChangeContext, ResourceContext } from '../resources/index.js';
import { unavailable, type Logger } from '../kernel/index.js';
import { hintsContext, INDEX_FILES, renderAll, type GeneratedFile, type TenantConf } from '../telephony/confgen/index.js';
import type { ConfigFiles } from './config-files.js';
import { tenantConf, type TenantRows } from './confgen-input.js';
import { unifiedDiff } from './diff.logic.js';
import type { PromptCatalog } from './prompts.js';
import type { SipSettingsService } from './sip-settings.js';

/** What apply needs of the AMI adapter (src/telephony/ami implements it). */
export interface AsteriskConfigLink {
  connectionState(): 'connecting' | 'up' | 'down';
  /** `Action: Reload` of one module; rejects when Asterisk refuses (no such module, error). */
  reload(module: string): Promise<void>;
  endpoints(): Promise<{ name: string }[]>;
  dialplanHints(context: string): Promise<Map<string, string> | undefined>;
  mohClasses(): Promise<string[]>;
}

export type ConfigModule = GeneratedFile['module'];

const RELOAD: Record<Exclude<ConfigModule, 'dahdi'>, string> = {
  pjsip: 'res_pjsip.so',
  dialplan: 'pbx_config.so',
  moh: 'res_musiconhold.so',
};
const RELOAD_ORDER: Exclude<ConfigModule, 'dahdi'>[] = ['pjsip', 'dialplan', 'moh'];

export interface FileChange {
  path: string;
  module: ConfigModule;
  change: 'created' | 'changed' | 'unchanged';
  /** Unified diff; '' when unchanged. */
  diff: string;
}

export interface ModuleResult {
  module: ConfigModule;
  /** The AMI Reload action, e.g. res_pjsip.so; null for DAHDI (not reloaded by Atende). */
  reload: string | null;
  /** Asterisk took the reload and loaded every object generated for it. */
  accepted: boolean;
  problems: string[];
}

export interface ApplyResult {
  dryRun: boolean;
  /** Something differs between the database and the files Asterisk reads. */
  pending: boolean;
  ok: boolean;
  files: FileChange[];
  modules: ModuleResult[];
  /** The previous files were written back and reloaded after a failure. */
  rolledBack: boolean;
  error: string | null;
  /** What the admin must still do by hand (DAHDI, transports). */
  notes: string[];
}

export interface ApplyDeps {
  resources: ResourceContext;
  settings: SipSettingsService;
  /** The tenants with configuration, and each one's rows. */
  rows: { tenants(): number[]; of(tenantId: number): TenantRows };
  prompts: PromptCatalog;
  files: ConfigFiles | undefined;
  /** Why there is no configuration directory, when `files` is undefined. */
  filesMissingReason?: string;
  asterisk: AsteriskConfigLink | undefined;
  logger: Logger;
}

interface Planned {
  file: GeneratedFile;
  before: string | null;
}

/** Everything before the first template of atende/pjsip.conf: the transports. */
const transportPart = (index: string | null): string => (index ?? '').split('(!)')[0] ?? '';

export class ApplyService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly deps: ApplyDeps) {
    this.log = deps.logger.child({ component: 'telephony-apply' });
  }

  /** One apply at a time on the server: the index files are shared by every tenant. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private files(): ConfigFiles {
    if (!this.deps.files) throw unavailable(this.deps.filesMissingReason ?? 'no Asterisk configuration directory is set', { field: 'configDir' });
    return this.deps.files;
  }

  private render(tenantId: number): { files: GeneratedFile[]; tenant: TenantConf } {
    const ids = new Set(this.deps.rows.tenants());
    ids.add(tenantId);
    const tenants = [...ids].map((id) => tenantConf(this.deps.rows.of(id), this.deps.prompts));
    const files = renderAll(this.deps.settings.settings(), tenants).filter((f) => f.tenantId === null || f.tenantId === tenantId);
    return { files, tenant: tenants.find((t) => t.tenantId === tenantId)! };
  }

  private async plan(tenantId: number): Promise<{ planned: Planned[]; tenant: TenantConf }> {
    const files = this.files();
    const { files: rendered, tenant } = this.render(tenantId);
    const planned = await Promise.all(rendered.map(async (file) => ({ file, before: await files.read(file.path) })));
    return { planned, tenant };
  }

  private changes(planned: Planned[]): FileChange[] {
    return planned.map(({ file, before }) => ({
      path: file.path,
      module: file.module,
      change: before === file.content ? 'unchanged' : before === null ? 'created' : 'changed',
      diff: unifiedDiff(file.path, before, file.content),
    }));
  }

  /** What apply would change now, without writing anything. */
  async preview(tenantId: number): Promise<ApplyResult> {
    return this.serialized(async () => {
      const { planned } = await this.plan(tenantId);
      const files = this.changes(planned);
      const pending = files.some((f) => f.change !== 'unchanged');
      return { dryRun: true, pending, ok: true, files, modules: [], rolledBack: false, error: null, notes: this.notes(planned) };
    });
  }

  private notes(planned: Planned[]): string[] {
    const notes: string[] = [];
    const changed = planned.filter((p) => p.before !== p.file.content);
    if (changed.some((p) => p.file.module === 'dahdi')) {
      notes.push(
        'E1 spans changed: Atende does not reload DAHDI. On the Asterisk host, link atende/dahdi-system.conf as /etc/dahdi/system.conf and run `dahdi_cfg -vv`, then `asterisk -rx "module reload chan_dahdi"` (a new span may need `asterisk -rx "core restart when convenient"`).',
      );
    }
    const index = changed.find((p) => p.file.path === INDEX_FILES.pjsip);
    if (index && transportPart(index.before) !== transportPart(index.file.content)) {
      notes.push('SIP transports changed (ports, NAT, WebSocket): PJSIP applies transport changes only after `asterisk -rx "core restart when convenient"`.');
    }
    return notes;
  }

  /** Writes the changed files, reloads what reads them and checks the result; restores everything on failure. */
  async apply(change: ChangeContext, tenantId: number): Promise<ApplyResult> {
    return this.serialized(async () => {
      const files = this.files();
      const link = this.deps.asterisk;
      if (!link || link.connectionState() !== 'up') {
        throw unavailable('Asterisk is not reachable over AMI: nothing was written; try again when it is connected');
      }
      const { planned, tenant } = await this.plan(tenantId);
      const fileChanges = this.changes(planned);
      const notes = this.notes(planned);
      const changed = planned.filter((p) => p.before !== p.file.content);
      const base: ApplyResult = { dryRun: false, pending: false, ok: true, files: fileChanges, modules: [], rolledBack: false, error: null, notes };
      if (changed.length === 0) return base;

      const written: Planned[] = [];
      let result: ApplyResult;
      try {
        for (const p of changed) {
          await files.write(p.file.path, p.file.content);
          written.push(p);
        }
        const modules = await this.reloadAndCheck(link, new Set(changed.map((p) => p.file.module)), tenant);
        const failed = modules.filter((m) => !m.accepted);
        if (failed.length === 0) {
          result = { ...base, modules };
        } else {
          const error = failed.map((m) => `${m.reload ?? m.module}: ${m.problems.join('; ')}`).join(' | ');
          await this.restore(files, link, written);
          result = { ...base, ok: false, pending: true, modules, rolledBack: true, error };
        }
      } catch (err) {
        // A file could not be written: put back the ones that were, before Asterisk reads them.
        await this.restore(files, link, written);
        result = { ...base, ok: false, pending: true, rolledBack: written.length > 0, error: `could not write the configuration: ${(err as Error).message}` };
      }
      this.deps.resources.audit.record({
        tenantId,
        actor: change.actor.userId > 0 ? { userId: change.actor.userId, login: change.actor.login } : null,
        entity: 'telephony_apply',
        entityId: tenantId,
        action: result.ok ? 'apply' : 'apply_failed',
        before: null,
        after: {
          files: result.files.filter((f) => f.change !== 'unchanged').map((f) => `${f.change} ${f.path}`),
          modules: result.modules.map((m) => `${m.module}: ${m.accepted ? 'accepted' : m.problems.join('; ')}`),
          error: result.error,
        },
        ip: change.ip,
        requestId: change.requestId,
      });
      this.log.info({ tenantId, ok: result.ok, files: changed.map((p) => p.file.path), error: result.error }, 'telephony configuration applied');
      return result;
    });
  }

  private async reloadAndCheck(link: AsteriskConfigLink, modules: Set<ConfigModule>, tenant: TenantConf): Promise<ModuleResult[]> {
    const out: ModuleResult[] = [];
    for (const module of RELOAD_ORDER) {
      if (!modules.has(module)) continue;
      const reload = RELOAD[module];
      try {
        await link.reload(reload);
      } catch (err) {
        out.push({ module, reload, accepted: false, problems: [`Asterisk refused the reload: ${(err as Error).message}`] });
        return out;
      }
      const problems = await this.check(link, module, tenant).catch((err: unknown) => [`could not check the result: ${(err as Error).message}`]);
      out.push({ module, reload, accepted: problems.length === 0, problems });
      // The rest stays on the old configuration: everything is put back anyway.
      if (problems.length > 0) return out;
    }
    if (modules.has('dahdi')) out.push({ module: 'dahdi', reload: null, accepted: true, problems: [] });
    return out;
  }

  /** What Asterisk did not load of what was generated for this tenant (empty: all of it). */
  private async check(link: AsteriskConfigLink, module: ConfigModule, tenant: TenantConf): Promise<string[]> {
    if (module === 'pjsip') {
      const loaded = new Set((await link.endpoints()).map((e) => e.name));
      const wanted = [...tenant.extensions.map((e) => e.sipUser), ...tenant.trunks.map((t) => t.name)];
      return wanted.filter((n) => !loaded.has(n)).map((n) => `endpoint ${n} was not loaded (see the Asterisk log for the reason)`);
    }
    if (module === 'dialplan') {
      const hints = await link.dialplanHints(hintsContext(tenant.tenantId));
      if (!hints) return [`context ${hintsContext(tenant.tenantId)} was not loaded: is atende/extensions.conf included in extensions.conf?`];
      return tenant.extensions.filter((e) => !hints.has(e.number)).map((e) => `hint ${e.number} was not loaded`);
    }
    if (module === 'moh') {
      const classes = new Set(await link.mohClasses());
      return tenant.mohClasses.filter((c) => c.entries.length > 0 && !classes.has(c.className)).map((c) => `music-on-hold class ${c.className} was not loaded`);
    }
    return [];
  }

  private async restore(files: ConfigFiles, link: AsteriskConfigLink, written: Planned[]): Promise<void> {
    for (const p of written) {
      try {
        await files.write(p.file.path, p.before);
      } catch (err) {
        this.log.error({ err, path: p.file.path }, 'could not restore a configuration file');
      }
    }
    for (const module of RELOAD_ORDER) {
      if (!written.some((p) => p.file.module === module)) continue;
      await link.reload(RELOAD[module]).catch((err: unknown) => this.log.error({ err, module }, 'reload of the restored configuration failed'));
    }
  }
}

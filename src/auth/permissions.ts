import type { Access, AccessAction, AccessLevel } from '../http/principal.js';

/**
 * The single source of truth for what a route may ask in `config.access`, and for what each
 * access level may do when its user has no custom profile.
 *
 * A permission is the string `"<module>:<action>"`. `write` implies `read`. A route whose
 * `access.module` is not listed here makes start-up fail, so add the module here first.
 *
 * Rights are per tenant: nothing here lets anyone see another tenant (only super users do).
 * "Own stuff only" for agents is the route's job: an agent granted `calls:read` must be shown
 * only its own calls; routes decide that from `request.principal.level`.
 */
export const MODULES = {
  self: 'own account: /me, logout, password change, TOTP (always granted)',
  tenants: 'tenants (empresas); creating one needs a super user',
  users: 'users and their password resets',
  teams: 'teams and their supervisors',
  profiles: 'profiles (which modules and actions a user may use)',
  pauses: 'pause types',
  audit: 'the audit log',
  agent: "an agent's own state: log in to queues, pause, become available",
  calls: 'live and past calls',
  interactions: 'interactions on every channel (agent desktop)',
  supervision: 'real-time panels; listen, whisper, barge into calls',
  telephony: 'E1 spans, SIP trunks, routes, prompts, music on hold, SIP settings, apply to Asterisk, live status',
  extensions: 'extensions (ramais): phones, webphones and their secrets',
  dialout: "external calls from the user's phone (write: may dial out)",
  flows: 'IVRs, time conditions, announcements, conferences',
  queues: 'services (queues) and their agents',
  tabulations: 'status groups, statuses and tags',
  contacts: "contacts, their tickets, interactions and history, callbacks; an agent's after-call work",
  crm: 'contact books, custom fields, forms, shortcuts, FAQ and the CRM switches',
  blacklist: 'inbound and outbound blacklists',
  imports: 'CSV imports and exports of contacts, blacklists and contact groups',
  dialer: 'dialer campaigns and contact lists',
  channels: 'WhatsApp, web chat, e-mail, Mercado Livre accounts and broadcasts',
  reports: 'metrics, CSV exports, scheduled reports',
  recordings: 'call recordings',
  emulator: 'the built-in Asterisk emulator (development and demos)',
  system: 'the platform: Asterisk and daemon status (GET /system); outgoing mail settings (super users only)',
} as const;

export type Module = keyof typeof MODULES;
export const ACTIONS: readonly AccessAction[] = ['read', 'write'];
export type Permission = `${Module}:${AccessAction}`;

export const isModule = (m: string): m is Module => Object.hasOwn(MODULES, m);

/** Every permission there is, in catalogue order (what a super user holds). */
export const ALL_PERMISSIONS: readonly Permission[] = (Object.keys(MODULES) as Module[]).flatMap((m) =>
  ACTIONS.map((a) => `${m}:${a}` as Permission),
);

export const isPermission = (p: string): p is Permission => (ALL_PERMISSIONS as readonly string[]).includes(p);

const rw = (...modules: Module[]): Permission[] => modules.flatMap((m) => [`${m}:read`, `${m}:write`] as Permission[]);
const r = (...modules: Module[]): Permission[] => modules.map((m) => `${m}:read` as Permission);

/**
 * What a user without a custom profile may do, by access level.
 * - admin: everything in its tenant (creating tenants still needs a super user);
 * - supervisor: reads nearly everything, runs supervision, the dialer and reports, but changes
 *   people, teams and pauses only when a custom profile allows it;
 * - agent: its own state and the interactions, contacts and calls it handles.
 */
export const DEFAULT_PERMISSIONS: Record<AccessLevel, readonly Permission[]> = {
  admin: ALL_PERMISSIONS,
  supervisor: [
    ...rw('self', 'agent', 'supervision', 'dialer', 'interactions', 'contacts', 'reports', 'blacklist', 'imports', 'dialout'),
    ...r('tenants', 'users', 'teams', 'profiles', 'pauses', 'calls', 'telephony', 'extensions', 'flows', 'queues'),
    ...r('tabulations', 'crm', 'channels', 'recordings', 'emulator'),
  ],
  // Agents of a call centre make calls: they may dial out unless a profile says otherwise. Their own
  // queues and state come through `agent`; the queues' configuration and every agent's live state
  // (`queues`) are for supervisors.
  agent: [...rw('self', 'agent', 'interactions', 'contacts', 'dialout'), ...r('calls', 'pauses', 'tabulations', 'crm')],
};

/** Does this set of permissions allow `access`? `write` implies `read`; `self` is always allowed. */
export function allows(permissions: readonly string[], access: Access): boolean {
  if (access.module === 'self') return true;
  if (permissions.includes(`${access.module}:${access.action}`)) return true;
  return access.action === 'read' && permissions.includes(`${access.module}:write`);
}

/** The permissions in `wanted` that `held` does not cover (to stop anyone granting more than they hold). */
export function notCovered(held: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((p) => {
    const [module, action] = p.split(':') as [string, AccessAction];
    return !allows(held, { module, action });
  });
}

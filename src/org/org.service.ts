import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { ALL_PERMISSIONS, DEFAULT_PERMISSIONS, isPermission, notCovered } from '../auth/permissions.js';
import { hashPassword } from '../auth/password.js';
import type { Database_ } from '../db/client.js';
import type { AccessLevel } from '../http/principal.js';
import { conflict, forbidden, invalidField, notFound, type Clock } from '../kernel/index.js';
import { canManageLevel, normaliseCnpj, normaliseCpf, pickLoginUser, readablePassword, validDdd } from './org.logic.js';
import type {
  Actor,
  ChangeContext,
  Page,
  PageQuery,
  PauseType,
  PauseTypeInput,
  Profile,
  ProfileInput,
  Team,
  TeamInput,
  Tenant,
  TenantInput,
  User,
  UserFilter,
  UserInput,
  UserPatch,
  OrgChange,
} from './org.model.js';
import { OrgRepo, type PauseTypeRow, type ProfileRow, type TeamRow, type TenantRow, type UserRow } from './org.repo.js';

/** The actor for changes the daemon makes by itself (first start, demo data); audited with no user. */
export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  tenantId: 0,
  login: 'system',
  level: 'admin',
  superUser: true,
  activeTenantId: 0,
  sessionId: '',
  permissions: ALL_PERMISSIONS,
};

const iso = (ms: number | Date): string => new Date(ms).toISOString();

export const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  legalName: r.legalName,
  cnpj: r.cnpj,
  contactName: r.contactName,
  contactEmail: r.contactEmail,
  contactPhone: r.contactPhone,
  ddi: r.ddi,
  ddd: r.ddd,
  cnl: r.cnl,
  active: r.active,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export const toUser = (r: UserRow): User => ({
  id: r.id,
  tenantId: r.tenantId,
  name: r.name,
  login: r.login,
  email: r.email,
  employeeNumber: r.employeeNumber,
  cpf: r.cpf,
  level: r.level,
  profileId: r.profileId,
  teamId: r.teamId,
  extension: r.extension,
  concurrency: { voice: r.maxVoice, chat: r.maxChat, email: r.maxEmail },
  flags: {
    callCenter: r.callCenter,
    chat: r.chat,
    autoConnectChat: r.autoConnectChat,
    email: r.emailChannel,
    internalChat: r.internalChat,
    auditor: r.auditor,
  },
  active: r.active,
  superUser: r.superUser,
  passwordChangeRequired: r.mustChangePassword,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

const toProfile = (r: ProfileRow): Profile => ({
  id: r.id,
  tenantId: r.tenantId,
  name: r.name,
  description: r.description,
  permissions: [...r.permissions],
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

/** The columns of a user that other rows refer to or that must be unique. */
interface UserKeys {
  level: AccessLevel;
  profileId: number | null;
  teamId: number | null;
  superUser: boolean;
  extension: string | null;
  login: string;
  employeeNumber: string | null;
  cpf: string | null;
}

/** The stored form of a CPF from the API (masked or bare); 400 naming `cpf` when it is not valid. */
function cpfOf(input: string | null | undefined): string | null {
  if (input === undefined || input === null) return null;
  const cpf = normaliseCpf(input);
  if (!cpf) throw invalidField('cpf', 'cpf is not a valid CPF (check digits do not match)');
  return cpf;
}

const visible = (actor: Actor, tenantId: number): boolean => actor.superUser || actor.tenantId === tenantId;

/** Rules for tenants, users, teams, profiles and pause types; every change is audited in its transaction. */
export class OrgService {
  readonly repo: OrgRepo;

  constructor(
    private readonly database: Database_,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    /** Hears users and pause types changed, once committed (the routing engine keeps copies of them). */
    private readonly changed: (c: OrgChange) => void = () => undefined,
  ) {
    this.repo = new OrgRepo(database.db);
  }

  private tx<T>(fn: () => T): T {
    return this.database.sqlite.transaction(fn)();
  }

  private record(ctx: ChangeContext, tenantId: number, entity: string, id: number, action: string, before: unknown, after: unknown): void {
    this.audit.record({
      tenantId,
      actor: ctx.actor.userId > 0 ? { userId: ctx.actor.userId, login: ctx.actor.login } : null,
      entity,
      entityId: id,
      action,
      before,
      after,
      ip: ctx.ip,
      requestId: ctx.requestId,
    });
  }

  private own<T extends { tenantId: number }>(row: T | undefined, actor: Actor, what: string): T {
    if (!row || !visible(actor, row.tenantId)) throw notFound(what);
    return row;
  }

  // ── Tenants ──────────────────────────────────────────────────────────────
  listTenants(actor: Actor, page: PageQuery): Page<Tenant> {
    const { rows, total } = this.repo.listTenants(actor.superUser ? null : actor.tenantId, page.limit, page.offset);
    return { items: rows.map(toTenant), total, ...page };
  }

  getTenant(actor: Actor, id: number): Tenant {
    const row = this.repo.getTenant(id);
    if (!row || !visible(actor, row.id)) throw notFound('tenant');
    return toTenant(row);
  }

  private checkTenant(input: Partial<TenantInput>, currentDdi: string, exceptId?: number): { cnpj?: string } {
    const out: { cnpj?: string } = {};
    if (input.cnpj !== undefined) {
      const cnpj = normaliseCnpj(input.cnpj);
      if (!cnpj) throw invalidField('cnpj', 'cnpj is not a valid CNPJ (check digits do not match)');
      const other = this.repo.tenantByCnpj(cnpj);
      if (other && other.id !== exceptId) throw conflict('a tenant with this CNPJ already exists', { field: 'cnpj' });
      out.cnpj = cnpj;
    }
    const ddi = input.ddi ?? currentDdi;
    if (input.ddd !== undefined && input.ddd !== null && !validDdd(ddi, input.ddd)) {
      throw invalidField('ddd', `ddd ${input.ddd} is not an area code of DDI ${ddi}`);
    }
    return out;
  }

  createTenant(ctx: ChangeContext, input: TenantInput): Tenant {
    if (!ctx.actor.superUser) throw forbidden('only a super user creates tenants');
    return this.tx(() => {
      const { cnpj } = this.checkTenant(input, '55');
      const now = new Date(this.clock.now());
      const row = this.repo.insertTenant({ ...input, cnpj: cnpj!, createdAt: now, updatedAt: now });
      const tenant = toTenant(row);
      this.record(ctx, row.id, 'tenant', row.id, 'create', null, tenant);
      return tenant;
    });
  }

  updateTenant(ctx: ChangeContext, id: number, patch: Partial<TenantInput>): Tenant {
    return this.tx(() => {
      const row = this.repo.getTenant(id);
      if (!row || !visible(ctx.actor, row.id)) throw notFound('tenant');
      if (patch.active !== undefined && patch.active !== row.active && !ctx.actor.superUser) {
        throw forbidden('only a super user activates or deactivates a tenant');
      }
      const { cnpj } = this.checkTenant(patch, row.ddi, row.id);
      const after = this.repo.updateTenant(id, { ...patch, ...(cnpj ? { cnpj } : {}), updatedAt: new Date(this.clock.now()) });
      // Deactivation ends the sessions for good: reactivating must not bring them back.
      if (row.active && !after.active) this.repo.endSessions({ tenantId: id }, this.clock.now());
      const result = toTenant(after);
      this.record(ctx, id, 'tenant', id, 'update', toTenant(row), result);
      return result;
    });
  }

  // ── Users ────────────────────────────────────────────────────────────────
  /** The permissions a user holds: its profile's, or its level's defaults; everything for a super user. */
  permissionsOf(user: Pick<UserRow, 'level' | 'profileId' | 'superUser'>): readonly string[] {
    if (user.superUser) return ALL_PERMISSIONS;
    if (user.profileId !== null) {
      const profile = this.repo.getProfile(user.profileId);
      if (profile) return profile.permissions;
    }
    return DEFAULT_PERMISSIONS[user.level];
  }

  listUsers(
    actor: Actor,
    tenantId: number,
    filter: UserFilter,
    page: PageQuery,
  ): Page<User> {
    const { rows, total } = this.repo.listUsers(tenantId, filter, page.limit, page.offset);
    return { items: rows.map(toUser), total, ...page };
  }

  getUser(actor: Actor, id: number): User {
    return toUser(this.own(this.repo.getUser(id), actor, 'user'));
  }

  /** The user a login identifier names (login, e-mail, matrícula or CPF); undefined when none, or ambiguous. */
  userForLogin(identifier: string): UserRow | undefined {
    const trimmed = identifier.trim();
    const byLogin = this.repo.userByLogin(trimmed);
    const byOther = byLogin ? [] : this.repo.usersByIdentifier(trimmed, normaliseCpf(trimmed));
    const id = pickLoginUser({ byLogin, byOther });
    return byLogin ?? byOther.find((u) => u.id === id);
  }

  /** The user row if `actor` may see it and change it (level at or below its own); 404 / 403 otherwise. */
  manageableUser(actor: Actor, id: number): UserRow {
    const row = this.own(this.repo.getUser(id), actor, 'user');
    if (!canManageLevel(actor, row.level) || (row.superUser && !actor.superUser)) {
      throw forbidden('you may not change a user above your own level');
    }
    return row;
  }

  /** Checks the references and privileges of a user write; throws the first problem. */
  private checkUser(
    actor: Actor,
    tenantId: number,
    next: UserKeys,
    exceptId?: number,
  ): void {
    if (next.superUser && !actor.superUser) throw forbidden('only a super user grants the super-user flag');
    if (!canManageLevel(actor, next.level)) throw forbidden(`you may not grant the level ${next.level}`);
    if (next.profileId !== null) {
      const p = this.repo.getProfile(next.profileId);
      if (!p || p.tenantId !== tenantId) throw invalidField('profileId', 'profileId: no such profile in this tenant');
    }
    if (next.teamId !== null) {
      const t = this.repo.getTeam(next.teamId);
      if (!t || t.tenantId !== tenantId) throw invalidField('teamId', 'teamId: no such team in this tenant');
    }
    if (!actor.superUser) {
      const missing = notCovered(actor.permissions, this.permissionsOf(next));
      if (missing.length > 0) throw forbidden(`you may not grant permissions you do not hold: ${missing.join(', ')}`);
    }
    const byLogin = this.repo.userByLogin(next.login);
    if (byLogin && byLogin.id !== exceptId) throw conflict(`login ${next.login} is already taken`, { field: 'login' });
    if (next.extension !== null && this.repo.userByExtension(tenantId, next.extension, exceptId)) {
      throw conflict(`extension ${next.extension} already belongs to another user`, { field: 'extension' });
    }
    if (next.employeeNumber !== null && this.repo.userByEmployeeNumber(tenantId, next.employeeNumber, exceptId)) {
      throw conflict(`employeeNumber ${next.employeeNumber} already belongs to another user of this tenant`, { field: 'employeeNumber' });
    }
    if (next.cpf !== null && this.repo.userByCpf(tenantId, next.cpf, exceptId)) {
      throw conflict('cpf already belongs to another user of this tenant', { field: 'cpf' });
    }
  }

  async createUser(ctx: ChangeContext, tenantId: number, input: UserInput): Promise<User> {
    // No password given: a random one nobody knows, until the user follows an access link.
    const passwordHash = await hashPassword(input.password ?? randomBytes(32).toString('base64url'));
    return this.tx(() => {
      if (!this.repo.getTenant(tenantId)) throw notFound('tenant');
      const next: UserKeys = {
        level: input.level,
        profileId: input.profileId ?? null,
        teamId: input.teamId ?? null,
        superUser: input.superUser ?? false,
        extension: input.extension ?? null,
        login: input.login,
        employeeNumber: input.employeeNumber ?? null,
        cpf: cpfOf(input.cpf),
      };
      this.checkUser(ctx.actor, tenantId, next);
      const now = this.clock.now();
      const row = this.repo.insertUser({
        tenantId,
        name: input.name,
        passwordHash,
        email: input.email ?? null,
        ...next,
        ...columnsOf(input),
        mustChangePassword: input.passwordChangeRequired ?? true,
        createdAt: now,
        updatedAt: now,
      });
      const user = toUser(row);
      this.record(ctx, tenantId, 'user', row.id, 'create', null, user);
      return user;
    });
  }

  updateUser(ctx: ChangeContext, id: number, patch: UserPatch): User {
    const user = this.tx(() => {
      const row = this.manageableUser(ctx.actor, id);
      const next: UserKeys = {
        level: patch.level ?? row.level,
        profileId: patch.profileId !== undefined ? patch.profileId : row.profileId,
        teamId: patch.teamId !== undefined ? patch.teamId : row.teamId,
        superUser: patch.superUser ?? row.superUser,
        extension: patch.extension !== undefined ? patch.extension : row.extension,
        login: patch.login ?? row.login,
        employeeNumber: patch.employeeNumber !== undefined ? patch.employeeNumber : row.employeeNumber,
        cpf: patch.cpf !== undefined ? cpfOf(patch.cpf) : row.cpf,
      };
      if (next.superUser !== row.superUser && !ctx.actor.superUser) throw forbidden('only a super user changes the super-user flag');
      this.checkUser(ctx.actor, row.tenantId, next, row.id);
      const after = this.repo.updateUser(id, {
        ...next,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...columnsOf(patch),
        updatedAt: this.clock.now(),
      });
      if (row.active && !after.active) this.repo.endSessions({ userId: id }, this.clock.now());
      const user = toUser(after);
      this.record(ctx, row.tenantId, 'user', id, 'update', toUser(row), user);
      return user;
    });
    this.changed({ tenantId: user.tenantId, entity: 'user', id, action: 'update' });
    return user;
  }

  /**
   * Sets a new password chosen by an admin (or a random readable one) and requires the user
   * to change it at the next access. Returns the temporary password when it was generated.
   * Revoking the user's sessions is left to the caller (auth owns sessions).
   */
  async resetPassword(ctx: ChangeContext, id: number, newPassword?: string): Promise<{ user: User; temporaryPassword?: string }> {
    this.manageableUser(ctx.actor, id);
    const temporaryPassword = newPassword ?? readablePassword(randomBytes(12));
    const passwordHash = await hashPassword(temporaryPassword);
    const user = this.tx(() => {
      const row = this.manageableUser(ctx.actor, id);
      const now = this.clock.now();
      const after = this.repo.updateUser(id, { passwordHash, mustChangePassword: true, passwordChangedAt: now, updatedAt: now });
      this.record(ctx, row.tenantId, 'user', id, 'password_reset', toUser(row), toUser(after));
      return toUser(after);
    });
    return newPassword === undefined ? { user, temporaryPassword } : { user };
  }

  // ── Teams ────────────────────────────────────────────────────────────────
  private teams(rows: TeamRow[]): Team[] {
    const sups = this.repo.supervisorsOf(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenantId,
      name: r.name,
      description: r.description,
      takeoverMessage: r.takeoverMessage,
      supervisorIds: sups.get(r.id) ?? [],
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
    }));
  }

  listTeams(_actor: Actor, tenantId: number, page: PageQuery): Page<Team> {
    const { rows, total } = this.repo.listTeams(tenantId, page.limit, page.offset);
    return { items: this.teams(rows), total, ...page };
  }

  getTeam(actor: Actor, id: number): Team {
    return this.teams([this.own(this.repo.getTeam(id), actor, 'team')])[0]!;
  }

  private checkTeam(tenantId: number, input: Partial<TeamInput>, exceptId?: number): void {
    if (input.name !== undefined) {
      const other = this.repo.teamByName(tenantId, input.name);
      if (other && other.id !== exceptId) throw conflict(`a team named ${input.name} already exists`, { field: 'name' });
    }
    if (input.supervisorIds) {
      const ids = [...new Set(input.supervisorIds)];
      const found = this.repo.usersIn(tenantId, ids).filter((u) => u.level !== 'agent');
      if (found.length !== ids.length) {
        throw invalidField('supervisorIds', 'supervisorIds: every supervisor must be a supervisor or admin of this tenant');
      }
    }
  }

  createTeam(ctx: ChangeContext, tenantId: number, input: TeamInput): Team {
    return this.tx(() => {
      if (!this.repo.getTenant(tenantId)) throw notFound('tenant');
      this.checkTeam(tenantId, input);
      const now = this.clock.now();
      const row = this.repo.insertTeam({
        tenantId,
        name: input.name,
        description: input.description ?? null,
        takeoverMessage: input.takeoverMessage ?? null,
        createdAt: now,
        updatedAt: now,
      });
      this.repo.setSupervisors(tenantId, row.id, [...new Set(input.supervisorIds ?? [])]);
      const team = this.teams([row])[0]!;
      this.record(ctx, tenantId, 'team', row.id, 'create', null, team);
      return team;
    });
  }

  updateTeam(ctx: ChangeContext, id: number, patch: Partial<TeamInput>): Team {
    return this.tx(() => {
      const row = this.own(this.repo.getTeam(id), ctx.actor, 'team');
      const before = this.teams([row])[0]!;
      this.checkTeam(row.tenantId, patch, id);
      const { supervisorIds, ...fields } = patch;
      const after = this.repo.updateTeam(id, { ...fields, updatedAt: this.clock.now() });
      if (supervisorIds) this.repo.setSupervisors(row.tenantId, id, [...new Set(supervisorIds)]);
      const team = this.teams([after])[0]!;
      this.record(ctx, row.tenantId, 'team', id, 'update', before, team);
      return team;
    });
  }

  deleteTeam(ctx: ChangeContext, id: number): void {
    this.tx(() => {
      const row = this.own(this.repo.getTeam(id), ctx.actor, 'team');
      const members = this.repo.usersOfTeam(id);
      if (members > 0) throw conflict(`the team still has ${members} user(s); move them first`, { field: 'id' });
      const before = this.teams([row])[0]!;
      this.repo.deleteTeam(id);
      this.record(ctx, row.tenantId, 'team', id, 'delete', before, null);
    });
  }

  // ── Profiles ─────────────────────────────────────────────────────────────
  listProfiles(_actor: Actor, tenantId: number, page: PageQuery): Page<Profile> {
    const { rows, total } = this.repo.listProfiles(tenantId, page.limit, page.offset);
    return { items: rows.map(toProfile), total, ...page };
  }

  getProfile(actor: Actor, id: number): Profile {
    return toProfile(this.own(this.repo.getProfile(id), actor, 'profile'));
  }

  private checkProfile(actor: Actor, tenantId: number, input: Partial<ProfileInput>, exceptId?: number): string[] | undefined {
    if (input.name !== undefined) {
      const other = this.repo.profileByName(tenantId, input.name);
      if (other && other.id !== exceptId) throw conflict(`a profile named ${input.name} already exists`, { field: 'name' });
    }
    if (!input.permissions) return undefined;
    const unknown = input.permissions.filter((p) => !isPermission(p));
    if (unknown.length > 0) throw invalidField('permissions', `permissions: unknown permission ${unknown[0]}`);
    if (!actor.superUser) {
      const missing = notCovered(actor.permissions, input.permissions);
      if (missing.length > 0) throw forbidden(`you may not grant permissions you do not hold: ${missing.join(', ')}`);
    }
    return [...new Set(input.permissions)].sort();
  }

  createProfile(ctx: ChangeContext, tenantId: number, input: ProfileInput): Profile {
    return this.tx(() => {
      if (!this.repo.getTenant(tenantId)) throw notFound('tenant');
      const permissions = this.checkProfile(ctx.actor, tenantId, input)!;
      const now = this.clock.now();
      const row = this.repo.insertProfile({
        tenantId,
        name: input.name,
        description: input.description ?? null,
        permissions,
        createdAt: now,
        updatedAt: now,
      });
      const profile = toProfile(row);
      this.record(ctx, tenantId, 'profile', row.id, 'create', null, profile);
      return profile;
    });
  }

  updateProfile(ctx: ChangeContext, id: number, patch: Partial<ProfileInput>): Profile {
    return this.tx(() => {
      const row = this.own(this.repo.getProfile(id), ctx.actor, 'profile');
      if (!ctx.actor.superUser && notCovered(ctx.actor.permissions, row.permissions).length > 0) {
        throw forbidden('you may not change a profile that grants more than you hold');
      }
      const permissions = this.checkProfile(ctx.actor, row.tenantId, patch, id);
      const after = this.repo.updateProfile(id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(permissions ? { permissions } : {}),
        updatedAt: this.clock.now(),
      });
      const profile = toProfile(after);
      this.record(ctx, row.tenantId, 'profile', id, 'update', toProfile(row), profile);
      return profile;
    });
  }

  deleteProfile(ctx: ChangeContext, id: number): void {
    this.tx(() => {
      const row = this.own(this.repo.getProfile(id), ctx.actor, 'profile');
      const inUse = this.repo.usersOfProfile(id);
      if (inUse > 0) throw conflict(`the profile is assigned to ${inUse} user(s)`, { field: 'id' });
      this.repo.deleteProfile(id);
      this.record(ctx, row.tenantId, 'profile', id, 'delete', toProfile(row), null);
    });
  }

  // ── Pause types ──────────────────────────────────────────────────────────
  private pauses(rows: PauseTypeRow[]): PauseType[] {
    const teamsOf = this.repo.teamsOfPauses(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenantId,
      reason: r.reason,
      description: r.description,
      maxDurationMinutes: r.maxDurationMinutes,
      maxAgents: r.maxAgents,
      overrunAllowed: r.overrunAllowed,
      transferWhilePaused: r.transferWhilePaused,
      wrapUp: r.wrapUp,
      hideOnPanels: r.hideOnPanels,
      teamIds: teamsOf.get(r.id) ?? [],
      active: r.active,
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
    }));
  }

  listPauseTypes(_actor: Actor, tenantId: number, page: PageQuery): Page<PauseType> {
    const { rows, total } = this.repo.listPauseTypes(tenantId, page.limit, page.offset);
    return { items: this.pauses(rows), total, ...page };
  }

  getPauseType(actor: Actor, id: number): PauseType {
    return this.pauses([this.own(this.repo.getPauseType(id), actor, 'pause type')])[0]!;
  }

  private checkPause(tenantId: number, input: Partial<PauseTypeInput>, current?: PauseTypeRow): void {
    if (input.reason !== undefined) {
      const other = this.repo.pauseTypeByReason(tenantId, input.reason);
      if (other && other.id !== current?.id) throw conflict(`a pause named ${input.reason} already exists`, { field: 'reason' });
    }
    // Agents enter the wrap-up pause automatically after an interaction: there can be only one.
    if ((input.wrapUp ?? current?.wrapUp ?? false) && (input.active ?? current?.active ?? true)) {
      const other = this.repo.activeWrapUpPause(tenantId);
      if (other && other.id !== current?.id) {
        throw conflict(`${other.reason} is already the automatic wrap-up pause`, { field: 'wrapUp' });
      }
    }
    if (input.teamIds) {
      const ids = [...new Set(input.teamIds)];
      if (this.repo.teamsIn(tenantId, ids).length !== ids.length) {
        throw invalidField('teamIds', 'teamIds: every team must belong to this tenant');
      }
    }
  }

  createPauseType(ctx: ChangeContext, tenantId: number, input: PauseTypeInput): PauseType {
    const created = this.tx(() => {
      if (!this.repo.getTenant(tenantId)) throw notFound('tenant');
      this.checkPause(tenantId, input);
      const now = this.clock.now();
      const { teamIds, ...fields } = input;
      const row = this.repo.insertPauseType({ ...fields, tenantId, createdAt: now, updatedAt: now });
      this.repo.setPauseTeams(tenantId, row.id, [...new Set(teamIds ?? [])]);
      const pause = this.pauses([row])[0]!;
      this.record(ctx, tenantId, 'pause_type', row.id, 'create', null, pause);
      return pause;
    });
    this.changed({ tenantId, entity: 'pause_type', id: created.id, action: 'create' });
    return created;
  }

  updatePauseType(ctx: ChangeContext, id: number, patch: Partial<PauseTypeInput>): PauseType {
    const updated = this.tx(() => {
      const row = this.own(this.repo.getPauseType(id), ctx.actor, 'pause type');
      const before = this.pauses([row])[0]!;
      this.checkPause(row.tenantId, patch, row);
      const { teamIds, ...fields } = patch;
      const after = this.repo.updatePauseType(id, { ...fields, updatedAt: this.clock.now() });
      if (teamIds) this.repo.setPauseTeams(row.tenantId, id, [...new Set(teamIds)]);
      const pause = this.pauses([after])[0]!;
      this.record(ctx, row.tenantId, 'pause_type', id, 'update', before, pause);
      return pause;
    });
    this.changed({ tenantId: updated.tenantId, entity: 'pause_type', id, action: 'update' });
    return updated;
  }

  deletePauseType(ctx: ChangeContext, id: number): void {
    const tenantId = this.tx(() => {
      const row = this.own(this.repo.getPauseType(id), ctx.actor, 'pause type');
      if (this.repo.pauseUsed(id)) {
        throw conflict('agents have used this pause; deactivate it instead (active: false)', { field: 'id' });
      }
      const before = this.pauses([row])[0]!;
      this.repo.deletePauseType(id);
      this.record(ctx, row.tenantId, 'pause_type', id, 'delete', before, null);
      return row.tenantId;
    });
    this.changed({ tenantId, entity: 'pause_type', id, action: 'delete' });
  }

  /** Login/logout/pause/return, for the activity report. */
  recordActivity(tenantId: number, userId: number, kind: 'login' | 'logout' | 'pause' | 'return', pauseTypeId?: number): void {
    this.repo.recordActivity({ tenantId, userId, kind, pauseTypeId: pauseTypeId ?? null, at: this.clock.now() });
  }
}

/** The optional user columns present in an input or patch. */
function columnsOf(input: Partial<UserInput>): Partial<UserRow> {
  const out: Partial<UserRow> = {};
  const c = input.concurrency;
  if (c?.voice !== undefined) out.maxVoice = c.voice;
  if (c?.chat !== undefined) out.maxChat = c.chat;
  if (c?.email !== undefined) out.maxEmail = c.email;
  const f = input.flags;
  if (f?.callCenter !== undefined) out.callCenter = f.callCenter;
  if (f?.chat !== undefined) out.chat = f.chat;
  if (f?.autoConnectChat !== undefined) out.autoConnectChat = f.autoConnectChat;
  if (f?.email !== undefined) out.emailChannel = f.email;
  if (f?.internalChat !== undefined) out.internalChat = f.internalChat;
  if (f?.auditor !== undefined) out.auditor = f.auditor;
  if (input.active !== undefined) out.active = input.active;
  return out;
}

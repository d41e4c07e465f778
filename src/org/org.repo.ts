import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { containsText } from '../db/search.js';
import {
  agentActivity,
  pauseTypes,
  pauseTypeTeams,
  profiles,
  sessions,
  teams,
  teamSupervisors,
  tenants,
  users,
} from '../db/schema/index.js';
import type { UserFilter } from './org.model.js';
import { groupBy } from '../kernel/index.js';

export type TenantRow = typeof tenants.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;
export type PauseTypeRow = typeof pauseTypes.$inferSelect;

const userSortColumns = { name: users.name, login: users.login, level: users.level, createdAt: users.createdAt } as const;

/** ORDER BY for the user list: `name`, `-createdAt`…; creation order when none (or unknown). */
function userOrder(sort: string | undefined): SQL[] {
  const descending = sort?.startsWith('-') ?? false;
  const key = descending ? sort!.slice(1) : sort;
  const col = key !== undefined && Object.hasOwn(userSortColumns, key) ? userSortColumns[key as keyof typeof userSortColumns] : undefined;
  if (!col) return [asc(users.id)];
  return descending ? [desc(sql`lower(${col})`), desc(users.id)] : [asc(sql`lower(${col})`), asc(users.id)];
}

/**
 * Every query of the organisation area. All methods are synchronous (better-sqlite3) so that
 * services can compose them inside one transaction. Methods that take `tenantId` never return
 * another tenant's rows.
 */
export class OrgRepo {
  constructor(private readonly db: Db) {}

  // Tenants
  countTenants(): number {
    return this.db.select({ n: count() }).from(tenants).get()?.n ?? 0;
  }
  listTenants(onlyId: number | null, limit: number, offset: number): { rows: TenantRow[]; total: number } {
    const where = onlyId === null ? undefined : eq(tenants.id, onlyId);
    const rows = this.db.select().from(tenants).where(where).orderBy(asc(tenants.id)).limit(limit).offset(offset).all();
    return { rows, total: this.db.select({ n: count() }).from(tenants).where(where).get()?.n ?? 0 };
  }
  /** Every tenant's id, name and state, by name (a super user's tenant switcher). */
  tenantRefs(): { id: number; legalName: string; active: boolean }[] {
    return this.db
      .select({ id: tenants.id, legalName: tenants.legalName, active: tenants.active })
      .from(tenants)
      .orderBy(asc(tenants.legalName), asc(tenants.id))
      .all();
  }
  getTenant(id: number): TenantRow | undefined {
    return this.db.select().from(tenants).where(eq(tenants.id, id)).get();
  }
  tenantByCnpj(cnpj: string): TenantRow | undefined {
    return this.db.select().from(tenants).where(eq(tenants.cnpj, cnpj)).get();
  }
  insertTenant(v: typeof tenants.$inferInsert): TenantRow {
    return this.db.insert(tenants).values(v).returning().get();
  }
  updateTenant(id: number, v: Partial<typeof tenants.$inferInsert>): TenantRow {
    return this.db.update(tenants).set(v).where(eq(tenants.id, id)).returning().get();
  }

  // Users
  countUsers(): number {
    return this.db.select({ n: count() }).from(users).get()?.n ?? 0;
  }
  anySuperUser(): boolean {
    return this.db.select({ id: users.id }).from(users).where(eq(users.superUser, true)).limit(1).get() !== undefined;
  }
  listUsers(tenantId: number, f: UserFilter, limit: number, offset: number): { rows: UserRow[]; total: number } {
    const conds: (SQL | undefined)[] = [eq(users.tenantId, tenantId)];
    if (f.teamId !== undefined) conds.push(eq(users.teamId, f.teamId));
    if (f.level !== undefined) conds.push(eq(users.level, f.level));
    if (f.active !== undefined) conds.push(eq(users.active, f.active));
    if (f.q !== undefined) conds.push(containsText([users.name, users.login, users.email, users.employeeNumber], f.q));
    const where = and(...conds);
    const rows = this.db.select().from(users).where(where).orderBy(...userOrder(f.sort)).limit(limit).offset(offset).all();
    return { rows, total: this.db.select({ n: count() }).from(users).where(where).get()?.n ?? 0 };
  }
  getUser(id: number): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }
  userByLogin(login: string): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.login, login)).get();
  }
  userByExtension(tenantId: number, extension: string, exceptId?: number): UserRow | undefined {
    return this.userWhere(tenantId, eq(users.extension, extension), exceptId);
  }
  userByEmployeeNumber(tenantId: number, employeeNumber: string, exceptId?: number): UserRow | undefined {
    return this.userWhere(tenantId, eq(users.employeeNumber, employeeNumber), exceptId);
  }
  userByCpf(tenantId: number, cpf: string, exceptId?: number): UserRow | undefined {
    return this.userWhere(tenantId, eq(users.cpf, cpf), exceptId);
  }
  private userWhere(tenantId: number, cond: SQL, exceptId?: number): UserRow | undefined {
    const conds = [eq(users.tenantId, tenantId), cond];
    if (exceptId !== undefined) conds.push(ne(users.id, exceptId));
    return this.db.select().from(users).where(and(...conds)).get();
  }
  /**
   * Users of any tenant whose e-mail (any case), matrícula or CPF is the identifier, at most a
   * few: login needs to know only whether there is exactly one.
   */
  usersByIdentifier(identifier: string, cpf: string | null): UserRow[] {
    const conds = [sql`lower(${users.email}) = lower(${identifier})`, eq(users.employeeNumber, identifier)];
    if (cpf !== null) conds.push(eq(users.cpf, cpf));
    return this.db.select().from(users).where(or(...conds)).limit(3).all();
  }
  insertUser(v: typeof users.$inferInsert): UserRow {
    return this.db.insert(users).values(v).returning().get();
  }
  updateUser(id: number, v: Partial<typeof users.$inferInsert>): UserRow {
    return this.db.update(users).set(v).where(eq(users.id, id)).returning().get();
  }
  /** Ends every live session of one user, or of every user of one tenant. */
  endSessions(of: { userId: number } | { tenantId: number }, at: number): void {
    const who = 'userId' in of ? eq(sessions.userId, of.userId) : eq(sessions.tenantId, of.tenantId);
    this.db
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(who, isNull(sessions.revokedAt)))
      .run();
  }
  usersOfTeam(teamId: number): number {
    return this.db.select({ n: count() }).from(users).where(eq(users.teamId, teamId)).get()?.n ?? 0;
  }
  usersOfProfile(profileId: number): number {
    return this.db.select({ n: count() }).from(users).where(eq(users.profileId, profileId)).get()?.n ?? 0;
  }
  usersIn(tenantId: number, ids: number[]): UserRow[] {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)))
      .all();
  }

  // Teams
  listTeams(tenantId: number, limit: number, offset: number): { rows: TeamRow[]; total: number } {
    const where = eq(teams.tenantId, tenantId);
    const rows = this.db.select().from(teams).where(where).orderBy(asc(teams.id)).limit(limit).offset(offset).all();
    return { rows, total: this.db.select({ n: count() }).from(teams).where(where).get()?.n ?? 0 };
  }
  getTeam(id: number): TeamRow | undefined {
    return this.db.select().from(teams).where(eq(teams.id, id)).get();
  }
  teamByName(tenantId: number, name: string): TeamRow | undefined {
    return this.db
      .select()
      .from(teams)
      .where(and(eq(teams.tenantId, tenantId), eq(teams.name, name)))
      .get();
  }
  teamsIn(tenantId: number, ids: number[]): TeamRow[] {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(teams)
      .where(and(eq(teams.tenantId, tenantId), inArray(teams.id, ids)))
      .all();
  }
  insertTeam(v: typeof teams.$inferInsert): TeamRow {
    return this.db.insert(teams).values(v).returning().get();
  }
  updateTeam(id: number, v: Partial<typeof teams.$inferInsert>): TeamRow {
    return this.db.update(teams).set(v).where(eq(teams.id, id)).returning().get();
  }
  deleteTeam(id: number): void {
    this.db.delete(teams).where(eq(teams.id, id)).run();
  }
  supervisorsOf(teamIds: number[]): Map<number, number[]> {
    if (teamIds.length === 0) return new Map();
    const rows = this.db.select().from(teamSupervisors).where(inArray(teamSupervisors.teamId, teamIds)).all();
    const out = groupBy(rows, (r) => r.teamId, (r) => r.userId);
    for (const list of out.values()) list.sort((a, b) => a - b);
    return out;
  }
  /** The teams of a tenant a user supervises. */
  teamsSupervisedBy(tenantId: number, userId: number): number[] {
    return this.db
      .select({ teamId: teamSupervisors.teamId })
      .from(teamSupervisors)
      .where(and(eq(teamSupervisors.tenantId, tenantId), eq(teamSupervisors.userId, userId)))
      .orderBy(asc(teamSupervisors.teamId))
      .all()
      .map((r) => r.teamId);
  }
  setSupervisors(tenantId: number, teamId: number, userIds: number[]): void {
    this.db.delete(teamSupervisors).where(eq(teamSupervisors.teamId, teamId)).run();
    if (userIds.length > 0) {
      this.db
        .insert(teamSupervisors)
        .values(userIds.map((userId) => ({ tenantId, teamId, userId })))
        .run();
    }
  }

  // Profiles
  listProfiles(tenantId: number, limit: number, offset: number): { rows: ProfileRow[]; total: number } {
    const where = eq(profiles.tenantId, tenantId);
    const rows = this.db.select().from(profiles).where(where).orderBy(asc(profiles.id)).limit(limit).offset(offset).all();
    return { rows, total: this.db.select({ n: count() }).from(profiles).where(where).get()?.n ?? 0 };
  }
  getProfile(id: number): ProfileRow | undefined {
    return this.db.select().from(profiles).where(eq(profiles.id, id)).get();
  }
  profileByName(tenantId: number, name: string): ProfileRow | undefined {
    return this.db
      .select()
      .from(profiles)
      .where(and(eq(profiles.tenantId, tenantId), eq(profiles.name, name)))
      .get();
  }
  insertProfile(v: typeof profiles.$inferInsert): ProfileRow {
    return this.db.insert(profiles).values(v).returning().get();
  }
  updateProfile(id: number, v: Partial<typeof profiles.$inferInsert>): ProfileRow {
    return this.db.update(profiles).set(v).where(eq(profiles.id, id)).returning().get();
  }
  deleteProfile(id: number): void {
    this.db.delete(profiles).where(eq(profiles.id, id)).run();
  }

  // Pause types
  listPauseTypes(tenantId: number, limit: number, offset: number): { rows: PauseTypeRow[]; total: number } {
    const where = eq(pauseTypes.tenantId, tenantId);
    const rows = this.db
      .select()
      .from(pauseTypes)
      .where(where)
      .orderBy(asc(pauseTypes.id))
      .limit(limit)
      .offset(offset)
      .all();
    return { rows, total: this.db.select({ n: count() }).from(pauseTypes).where(where).get()?.n ?? 0 };
  }
  getPauseType(id: number): PauseTypeRow | undefined {
    return this.db.select().from(pauseTypes).where(eq(pauseTypes.id, id)).get();
  }
  pauseTypeByReason(tenantId: number, reason: string): PauseTypeRow | undefined {
    return this.db
      .select()
      .from(pauseTypes)
      .where(and(eq(pauseTypes.tenantId, tenantId), eq(pauseTypes.reason, reason)))
      .get();
  }
  /** The tenant's active automatic wrap-up pause, if any. */
  activeWrapUpPause(tenantId: number): PauseTypeRow | undefined {
    return this.db
      .select()
      .from(pauseTypes)
      .where(and(eq(pauseTypes.tenantId, tenantId), eq(pauseTypes.wrapUp, true), eq(pauseTypes.active, true)))
      .get();
  }
  insertPauseType(v: typeof pauseTypes.$inferInsert): PauseTypeRow {
    return this.db.insert(pauseTypes).values(v).returning().get();
  }
  updatePauseType(id: number, v: Partial<typeof pauseTypes.$inferInsert>): PauseTypeRow {
    return this.db.update(pauseTypes).set(v).where(eq(pauseTypes.id, id)).returning().get();
  }
  deletePauseType(id: number): void {
    this.db.delete(pauseTypes).where(eq(pauseTypes.id, id)).run();
  }
  pauseUsed(id: number): boolean {
    return (
      this.db.select({ id: agentActivity.id }).from(agentActivity).where(eq(agentActivity.pauseTypeId, id)).limit(1).get() !==
      undefined
    );
  }
  teamsOfPauses(ids: number[]): Map<number, number[]> {
    if (ids.length === 0) return new Map();
    const rows = this.db.select().from(pauseTypeTeams).where(inArray(pauseTypeTeams.pauseTypeId, ids)).all();
    const out = groupBy(rows, (r) => r.pauseTypeId, (r) => r.teamId);
    for (const list of out.values()) list.sort((a, b) => a - b);
    return out;
  }
  setPauseTeams(tenantId: number, pauseTypeId: number, teamIds: number[]): void {
    this.db.delete(pauseTypeTeams).where(eq(pauseTypeTeams.pauseTypeId, pauseTypeId)).run();
    if (teamIds.length > 0) {
      this.db
        .insert(pauseTypeTeams)
        .values(teamIds.map((teamId) => ({ tenantId, pauseTypeId, teamId })))
        .run();
    }
  }

  // Activity
  recordActivity(v: typeof agentActivity.$inferInsert): void {
    this.db.insert(agentActivity).values(v).run();
  }
}

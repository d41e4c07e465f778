/**
 * The users report and the interaction map over a period: checks the period and the filters
 * (each unknown one is a 400 naming it), reads the stored facts and hands them to the pure
 * reports (`users-report.logic.ts`, `interaction-map.logic.ts`).
 */
import { groupBy, invalidField, type Clock } from '../kernel/index.js';
import { interactionMap, interactionMapCsv, type InteractionMap } from './interaction-map.logic.js';
import type { ReportsRepo, CrmChannel } from './reports.repo.js';
import type { RoutingRepo } from './routing.repo.js';
import { checkFilterIds, checkPeriod } from './routing.service.js';
import { usersReport, usersReportCsv, type AgentFacts, type UserReportLine } from './users-report.logic.js';

export interface UsersFilter {
  teamId?: number | undefined;
  queueId?: number | undefined;
  userId?: number | undefined;
}

export interface MapFilter {
  queueId?: number | undefined;
  channel?: CrmChannel | undefined;
  userId?: number | undefined;
}

/** The line of the interactions left without a tabulation, in the CSV (the screen names it in the user's language). */
const UNTABULATED = 'Sem tabulação';

const byUser = <T extends { userId: number }>(rows: readonly T[]) => groupBy(rows, (r) => r.userId);

export class RoutingReports {
  constructor(
    private readonly routing: RoutingRepo,
    private readonly repo: ReportsRepo,
    private readonly clock: Clock,
  ) {}

  private checkFilters(tenantId: number, f: { teamId?: number | undefined; queueId?: number | undefined; userId?: number | undefined }): void {
    if (f.teamId !== undefined && !this.repo.team(tenantId, f.teamId)) throw invalidField('teamId', `teamId: there is no team ${f.teamId}`);
    checkFilterIds(this.routing, tenantId, f);
  }

  /**
   * One line per agent with anything in [from, to): time in each state (not per queue), and —
   * of one queue when `queueId` is given — the visits answered, offers and calls placed (those
   * belong to no queue, so a queue's report has none). A queue's report lists its members and
   * whoever answered its interactions.
   */
  users(tenantId: number, from: number, to: number, f: UsersFilter): UserReportLine[] {
    checkPeriod(from, to);
    this.checkFilters(tenantId, f);
    const visits = byUser(this.repo.answeredVisits(tenantId, from, to, f.queueId));
    const offers = byUser(this.repo.offers(tenantId, from, to, f.queueId));
    const states = byUser(this.routing.statesBetween(tenantId, from, to, f.userId));
    const members = f.queueId === undefined ? null : new Set(this.routing.members(f.queueId).flatMap((m) => (m.userId === null ? [] : [m.userId])));
    const facts: AgentFacts[] = this.repo.agents(tenantId, f).flatMap((u) => {
      const mine = visits.get(u.id) ?? [];
      if (members && !members.has(u.id) && mine.length === 0) return [];
      const placed = f.queueId === undefined && u.extension ? this.routing.callsPlacedFrom(tenantId, u.extension, from, to) : [];
      const a = {
        userId: u.id,
        name: u.name,
        team: u.team,
        states: states.get(u.id) ?? [],
        visits: mine,
        placed,
        offers: (offers.get(u.id) ?? []).map((o) => ({ answered: o.outcome === 'answered' })),
      };
      return a.states.length + a.visits.length + a.placed.length + a.offers.length === 0 ? [] : [a];
    });
    return usersReport(facts, from, Math.min(this.clock.now(), to));
  }

  usersCsv(tenantId: number, from: number, to: number, f: UsersFilter): string {
    return usersReportCsv(this.users(tenantId, from, to, f));
  }

  /** The CRM's interactions started in [from, to) by the status they were tabulated with. */
  interactionMap(tenantId: number, from: number, to: number, f: MapFilter): InteractionMap {
    checkPeriod(from, to);
    this.checkFilters(tenantId, f);
    return interactionMap(this.repo.tabulated(tenantId, from, to, f));
  }

  interactionMapCsv(tenantId: number, from: number, to: number, f: MapFilter): string {
    return interactionMapCsv(this.interactionMap(tenantId, from, to, f), UNTABULATED);
  }
}

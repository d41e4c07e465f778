/**
 * The interaction map (the reference CRM's "Mapa de Interações"): the interactions of a period
 * by the status (tabulação) they were finished with, grouped by status group — how many, their
 * share of all, and their times (total and mean, from the interaction's start to its end). The
 * interactions left without a tabulation are a line of their own. Pure: the interactions as
 * stored (status and group names as they read when tabulated) in, lines out.
 */
import { groupBy, toCsv } from '../kernel/index.js';

export interface TabulatedFacts {
  statusId: number | null;
  /** The status's and its group's names when it was tabulated (null: not tabulated). */
  statusName: string | null;
  groupName: string | null;
  startedAt: number;
  /** Null while it is still open or pending: counted, not timed. */
  endedAt: number | null;
}

export interface MapFigures {
  count: number;
  /** Share of every interaction of the report, percent, one decimal. */
  share: number;
  /** Interactions that ended, whose times are known. */
  timed: number;
  totalSeconds: number;
  /** Mean duration of those that ended, seconds, one decimal; null with none. */
  averageSeconds: number | null;
}

export interface MapLine extends MapFigures {
  /** Null on the line of the interactions without a tabulation. */
  group: string | null;
  status: string | null;
  statusId: number | null;
}

export interface InteractionMap {
  total: number;
  groups: (MapFigures & { group: string | null })[];
  lines: MapLine[];
}

const tenths = (n: number) => Math.round(n * 10) / 10;

function figures(facts: readonly TabulatedFacts[], total: number): MapFigures {
  const ended = facts.filter((f) => f.endedAt !== null);
  const ms = ended.reduce((s, f) => s + Math.max(0, f.endedAt! - f.startedAt), 0);
  return {
    count: facts.length,
    share: total === 0 ? 0 : tenths((facts.length * 100) / total),
    timed: ended.length,
    totalSeconds: Math.round(ms / 1000),
    averageSeconds: ended.length === 0 ? null : tenths(ms / 1000 / ended.length),
  };
}

const tabulated = (f: TabulatedFacts) => f.statusName !== null;

/** By group, then status, by name; the untabulated last. */
export function interactionMap(facts: readonly TabulatedFacts[]): InteractionMap {
  const total = facts.length;
  const groupOf = (f: TabulatedFacts) => (tabulated(f) ? (f.groupName ?? '') : null);
  const byStatus = groupBy(facts, (f) => JSON.stringify([groupOf(f), tabulated(f) ? f.statusName : null]));
  const byGroup = groupBy(facts, (f) => JSON.stringify(groupOf(f)));
  const order = (a: string | null, b: string | null) => (a === null ? 1 : 0) - (b === null ? 1 : 0) || (a ?? '').localeCompare(b ?? '', 'pt-BR');
  const lines = [...byStatus.entries()]
    .map(([key, list]) => {
      const [group, status] = JSON.parse(key) as [string | null, string | null];
      // The status may have been deleted since (its id then reads null): the latest id seen stands.
      const statusId = list.reduce<number | null>((id, f) => f.statusId ?? id, null);
      return { group, status, statusId, ...figures(list, total) };
    })
    .sort((a, b) => order(a.group, b.group) || order(a.status, b.status));
  const groups = [...byGroup.entries()].map(([key, list]) => ({ group: JSON.parse(key) as string | null, ...figures(list, total) })).sort((a, b) => order(a.group, b.group));
  return { total, groups, lines };
}

/** One line per status (and the untabulated), with its group. */
export function interactionMapCsv(map: InteractionMap, untabulated: string): string {
  const header = ['grupo de status', 'status', 'quantidade', 'percentual (%)', 'tempo total (s)', 'tempo médio (s)'];
  return toCsv(
    header,
    map.lines.map((l) => [l.group ?? '', l.status ?? untabulated, l.count, l.share, l.totalSeconds, l.averageSeconds]),
  );
}

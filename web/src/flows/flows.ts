/**
 * Pure helpers of the call-flow screens: how a destination reads, the IVR as a tree, the open
 * hours of a week. The rules themselves are the server's (imported through `@server`), so the
 * screens and the calls agree.
 */
import type { Destination } from '@server/flows/destination';
import { inPeriod } from '@server/flows/time-condition.logic';
import type { LocalTime, Period } from '@server/flows/time-condition.model';
import type { IvrDefinition, IvrNode, IvrTraceEvent, NodeTarget } from '@server/flows/ivr.model';
import { simulateIvr } from '@server/flows/ivr-sim.logic';

export type { Destination, IvrDefinition, IvrNode, IvrTraceEvent, NodeTarget, Period };

/** Names of the rows a destination may point at, by kind and id (loaded by the screen). */
export type RowNames = Partial<Record<Destination['kind'], ReadonlyMap<number, string>>>;

/** The parts a screen translates: the kind, and the row's name, number or cause. */
export function destinationParts(d: Destination, names: RowNames): { kind: Destination['kind']; what: string } {
  if (d.kind === 'hangup') return { kind: d.kind, what: String(d.cause ?? 16) };
  if (d.kind === 'external') return { kind: d.kind, what: d.number };
  return { kind: d.kind, what: names[d.kind]?.get(d.id) ?? `#${d.id}` };
}

/** One line of the IVR tree: a node, or where an option or the exhausted path leads. */
export interface TreeItem {
  key: string;
  /** `1`, `*`, `exhausted`, `next`, or `` for the root. */
  via: string;
  /** The node it leads into (expanded once; later mentions are links back). */
  node?: IvrNode;
  /** A node already shown higher up (a "back to the main menu" option). */
  backTo?: string;
  destination?: Destination;
  children: TreeItem[];
}

const targetsOf = (n: IvrNode): { via: string; target: NodeTarget }[] => {
  if (n.kind === 'menu') return [...n.options.map((o) => ({ via: o.digit, target: o.target })), { via: 'exhausted', target: n.onExhausted }];
  if (n.kind === 'collect') return [{ via: 'next', target: n.next }, { via: 'exhausted', target: n.onExhausted }];
  return [{ via: 'next', target: n.next }];
};

/** The definition as a tree from its root: each node once, loops shown as a link back. */
export function ivrTree(def: IvrDefinition): TreeItem | undefined {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const walk = (id: string, via: string, key: string): TreeItem => {
    const node = byId.get(id);
    if (!node || seen.has(id)) return { key, via, backTo: id, children: [] };
    seen.add(id);
    const children = targetsOf(node).map(({ via: v, target }, i) =>
      'node' in target ? walk(target.node, v, `${key}.${i}`) : { key: `${key}.${i}`, via: v, destination: target.destination, children: [] },
    );
    return { key, via, node, children };
  };
  return byId.has(def.root) ? walk(def.root, '', 'root') : undefined;
}

/** Nodes nothing leads to (left over after an edit): the editor lists them under the tree. */
export function unreachableNodes(def: IvrDefinition): IvrNode[] {
  const reached = new Set<string>();
  const collect = (item: TreeItem | undefined) => {
    if (!item) return;
    if (item.node) reached.add(item.node.id);
    item.children.forEach(collect);
  };
  collect(ivrTree(def));
  return def.nodes.filter((n) => !reached.has(n.id));
}

/** A week of open hours: per weekday (0 = Sunday), the ranges open as `HH:MM–HH:MM`. */
export type WeekHours = { weekday: number; ranges: [string, string][] }[];

const STEP = 5;
const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * The open hours of a typical week from the periods (month and day-of-month limits left out:
 * the screen says which periods have them). A period crossing midnight shows on both days.
 */
export function weekHours(periods: readonly Period[]): WeekHours {
  const weekly = periods.map((p) => ({ ...p, months: [], monthDays: [] }));
  // 1 to 7 January 2023 ran Sunday to Saturday.
  const day = (weekday: number, minute: number): LocalTime => ({ date: `2023-01-0${weekday + 1}`, year: 2023, month: 1, day: weekday + 1, weekday: weekday as LocalTime['weekday'], minute });
  return [0, 1, 2, 3, 4, 5, 6].map((weekday) => {
    const ranges: [string, string][] = [];
    let from: number | null = null;
    for (let m = 0; m <= 1440; m += STEP) {
      const open = m < 1440 && weekly.some((p) => inPeriod(p, day(weekday, m)));
      if (open && from === null) from = m;
      if (!open && from !== null) {
        ranges.push([clock(from), clock(m)]);
        from = null;
      }
    }
    return { weekday, ranges };
  });
}


/** Where a caller who presses `keys` (one a second, from the first second on) ends up, step by step. */
export function tryKeys(def: IvrDefinition, keys: string): { steps: IvrTraceEvent[]; exit: Destination | undefined } {
  const script = [...keys].map((press, i) => ({ at: 1000 * (i + 1), press }));
  const { traces, exit } = simulateIvr(def, script, { promptMs: 4000 });
  return { steps: traces, exit };
}

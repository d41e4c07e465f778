/**
 * Checks of an IVR definition that need nothing but the definition: node ids, targets, option
 * digits, limits, and loops a silent caller would go round forever. References to prompts and
 * destinations outside the IVR are listed (with the field that holds them) for the service to
 * look up.
 */
import type { Destination } from './destination.js';
import type { IvrDefinition, IvrNode, NodeTarget, PromptRef } from './ivr.model.js';
import type { Problem } from './time-condition.logic.js';

export const IVR_LIMITS = {
  nodes: 50,
  directDialLength: { min: 2, max: 8 },
  digits: { min: 1, max: 32 },
  timeoutSeconds: { min: 1, max: 60 },
  interDigitSeconds: { min: 1, max: 30 },
  retries: { min: 0, max: 9 },
} as const;

/** Where prompts and destinations appear in a definition, by field path (`nodes.0.options.1.target`). */
export interface IvrReferences {
  prompts: { field: string; ref: PromptRef }[];
  destinations: { field: string; destination: Destination }[];
}

const promptFields = (node: IvrNode): [string, PromptRef[]][] => {
  switch (node.kind) {
    case 'play':
      return [['prompts', node.prompts]];
    case 'menu':
      return [
        ['greeting', node.greeting],
        ['prompt', node.prompt],
        ['invalidPrompt', node.invalidPrompt],
        ['timeoutPrompt', node.timeoutPrompt],
        ['exhaustedPrompt', node.exhaustedPrompt],
      ];
    case 'collect':
      return [
        ['prompt', node.prompt],
        ['invalidPrompt', node.invalidPrompt],
        ['timeoutPrompt', node.timeoutPrompt],
        ['exhaustedPrompt', node.exhaustedPrompt],
      ];
  }
};

/** Every target of a node with its field and whether reaching it needs the caller to press something. */
export function targetsOf(node: IvrNode): { field: string; target: NodeTarget; silent: boolean }[] {
  switch (node.kind) {
    case 'play':
      return [{ field: 'next', target: node.next, silent: true }];
    case 'menu':
      return [
        ...node.options.map((o, j) => ({ field: `options.${j}.target`, target: o.target, silent: false })),
        { field: 'onExhausted', target: node.onExhausted, silent: true },
      ];
    case 'collect':
      return [
        { field: 'next', target: node.next, silent: false },
        { field: 'onExhausted', target: node.onExhausted, silent: true },
      ];
  }
}

export function ivrReferences(def: IvrDefinition): IvrReferences {
  const refs: IvrReferences = { prompts: [], destinations: [] };
  def.nodes.forEach((node, i) => {
    for (const [field, list] of promptFields(node)) {
      list.forEach((ref, k) => refs.prompts.push({ field: `nodes.${i}.${field}.${k}`, ref }));
    }
    for (const t of targetsOf(node)) {
      if ('destination' in t.target) refs.destinations.push({ field: `nodes.${i}.${t.field}`, destination: t.target.destination });
    }
  });
  return refs;
}

/** Destinations a caller who never presses anything can reach from the IVR's entry. */
export function silentExits(def: IvrDefinition): Destination[] {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const out: Destination[] = [];
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = byId.get(id);
    if (!node) return;
    for (const t of targetsOf(node)) {
      if (!t.silent) continue;
      if ('node' in t.target) visit(t.target.node);
      else out.push(t.target.destination);
    }
  };
  visit(def.root);
  return out;
}

const outOf = (value: number, r: { min: number; max: number }) => !Number.isInteger(value) || value < r.min || value > r.max;

function nodeProblem(node: IvrNode, at: string): Problem | undefined {
  const limit = (field: string, value: number, r: { min: number; max: number }): Problem | undefined =>
    outOf(value, r) ? { field: `${at}.${field}`, message: `${at}.${field}: ${value} is not within ${r.min}–${r.max}` } : undefined;
  if (node.kind === 'play') {
    return node.prompts.length === 0 ? { field: `${at}.prompts`, message: `${at}.prompts: a message node needs something to play` } : undefined;
  }
  const common =
    (node.prompt.length === 0 ? { field: `${at}.prompt`, message: `${at}.prompt: the node needs a prompt that tells the caller what to press` } : undefined) ??
    limit('timeoutSeconds', node.timeoutSeconds, IVR_LIMITS.timeoutSeconds) ??
    limit('interDigitSeconds', node.interDigitSeconds, IVR_LIMITS.interDigitSeconds) ??
    limit('retries', node.retries, IVR_LIMITS.retries);
  if (common) return common;
  if (node.kind === 'menu') {
    const seen = new Map<string, number>();
    for (const [j, o] of node.options.entries()) {
      const first = seen.get(o.digit);
      if (first !== undefined) {
        return { field: `${at}.options.${j}.digit`, message: `${at}.options.${j}.digit: ${o.digit} is already option ${first}` };
      }
      seen.set(o.digit, j);
    }
    if (node.directDialLength !== null) return limit('directDialLength', node.directDialLength, IVR_LIMITS.directDialLength);
    return node.options.length === 0 ? { field: `${at}.options`, message: `${at}.options: a menu with neither options nor direct dial` } : undefined;
  }
  const digits = limit('minDigits', node.minDigits, IVR_LIMITS.digits) ?? limit('maxDigits', node.maxDigits, IVR_LIMITS.digits);
  if (digits) return digits;
  if (node.minDigits > node.maxDigits) {
    return { field: `${at}.minDigits`, message: `${at}.minDigits: ${node.minDigits} is more than maxDigits ${node.maxDigits}` };
  }
  if (node.validator === 'range') {
    if (!node.range) return { field: `${at}.range`, message: `${at}.range: the range validator needs a range` };
    if (node.range.min > node.range.max) return { field: `${at}.range`, message: `${at}.range: ${node.range.min}–${node.range.max} is empty` };
  }
  return undefined;
}

/** The first thing wrong with a definition, naming the field; undefined when it can be saved. */
export function ivrProblem(def: IvrDefinition): Problem | undefined {
  if (def.nodes.length === 0) return { field: 'nodes', message: 'nodes: an IVR needs at least one node' };
  if (def.nodes.length > IVR_LIMITS.nodes) return { field: 'nodes', message: `nodes: at most ${IVR_LIMITS.nodes} nodes` };
  const index = new Map<string, number>();
  for (const [i, n] of def.nodes.entries()) {
    if (index.has(n.id)) return { field: `nodes.${i}.id`, message: `nodes.${i}.id: ${n.id} is already node ${index.get(n.id)}` };
    index.set(n.id, i);
  }
  if (!index.has(def.root)) return { field: 'root', message: `root: there is no node ${def.root}` };
  for (const [i, n] of def.nodes.entries()) {
    const p = nodeProblem(n, `nodes.${i}`);
    if (p) return p;
    for (const t of targetsOf(n)) {
      if ('node' in t.target && !index.has(t.target.node)) {
        return { field: `nodes.${i}.${t.field}`, message: `nodes.${i}.${t.field}: there is no node ${t.target.node}` };
      }
    }
  }
  return silentCycle(def, index);
}

/** A cycle of nodes a caller who presses nothing goes round (message → menu exhausted → message). */
function silentCycle(def: IvrDefinition, index: Map<string, number>): Problem | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    const node = def.nodes[index.get(id)!]!;
    for (const t of targetsOf(node)) {
      if (!t.silent || !('node' in t.target)) continue;
      const cycle = visit(t.target.node);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const n of def.nodes) {
    const cycle = visit(n.id);
    if (cycle) {
      const i = index.get(cycle[0]!)!;
      const field = def.nodes[i]!.kind === 'play' ? 'next' : 'onExhausted';
      return {
        field: `nodes.${i}.${field}`,
        message: `nodes.${i}.${field}: a caller who presses nothing would go round ${cycle.join(' → ')} forever`,
      };
    }
  }
  return undefined;
}

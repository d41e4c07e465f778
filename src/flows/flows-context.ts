import { invalidField } from '../kernel/index.js';
import { checkPromptRef, type DestinationCatalog, type PromptCatalog } from './catalogs.js';
import type { PromptRef } from './ivr.model.js';
import type { Problem } from './time-condition.logic.js';

/** What the flows resources check their input against, shared by all of them. */
export interface FlowsContext {
  destinations: DestinationCatalog;
  /** The tenants' prompts; undefined until the prompts module is wired in. */
  prompts: () => PromptCatalog | undefined;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** The timestamps of a resource row as the API shows them. */
export const timestamps = (row: { createdAt: number; updatedAt: number }) => ({ createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) });

export function throwProblem(p: Problem | undefined): void {
  if (p) throw invalidField(p.field, p.message);
}

export function checkPrompts(ctx: FlowsContext, tenantId: number, refs: readonly PromptRef[], field: string): void {
  refs.forEach((r, i) => checkPromptRef(ctx.prompts(), tenantId, r, `${field}.${i}`));
}

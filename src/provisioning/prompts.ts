import type { PromptService } from './prompts/index.js';

/**
 * What the telephony resources need of prompts (music-on-hold classes and announcements point
 * at them by id): whether they exist and which file Asterisk plays.
 */
export interface PromptCatalog {
  /** The prompt ids of `ids` that do not exist in the tenant. */
  missing(tenantId: number, ids: readonly number[]): number[];
  /** The prompt's file as Asterisk reads it: absolute path without extension; undefined if unknown. */
  fileOf(tenantId: number, id: number): string | undefined;
}

export function promptCatalog(prompts: PromptService): PromptCatalog {
  const exists = (tenantId: number, id: number) => prompts.resource.row(tenantId, id) !== undefined;
  return {
    missing: (tenantId, ids) => ids.filter((id) => !exists(tenantId, id)),
    fileOf: (tenantId, id) => (exists(tenantId, id) ? prompts.media(tenantId, id).path : undefined),
  };
}

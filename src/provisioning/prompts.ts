/**
 * Audio prompts are another module's (uploads, conversion, TTS). Provisioning only points at
 * them by id — music-on-hold classes and announcements — through this small interface, which
 * the prompts module implements when it lands.
 */
export interface PromptCatalog {
  /** True when prompts can be checked: until then ids are kept as given and checked later. */
  readonly available: boolean;
  /** The prompt ids of `ids` that do not exist in the tenant. */
  missing(tenantId: number, ids: readonly number[]): number[];
  /** The prompt's file as Asterisk reads it: absolute path without extension; undefined if unknown. */
  fileOf(tenantId: number, id: number): string | undefined;
  /** What the admin calls it, for messages. */
  nameOf(tenantId: number, id: number): string | undefined;
}

/**
 * Before the prompts module exists: nothing can be checked or played. Ids are accepted (so
 * that classes and announcements can be set up) and resolved once prompts land.
 */
export const noPrompts: PromptCatalog = {
  available: false,
  missing: () => [],
  fileOf: () => undefined,
  nameOf: () => undefined,
};

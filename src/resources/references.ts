import type { Referrer } from './resource.model.js';

/** Finds what points at `id` of the target entity within a tenant. */
export type ReferrerFinder = (tenantId: number, id: number) => Referrer[];

/**
 * Who points at what, across modules. A module whose rows point at another's (an inbound
 * route's destination at an IVR, an announcement at a prompt) registers a finder for that
 * target; deleting a target asks every finder first and is refused with the list.
 */
export class ReferenceRegistry {
  private readonly finders = new Map<string, ReferrerFinder[]>();

  /** `finder` reports the rows that point at rows of `targetEntity`. */
  add(targetEntity: string, finder: ReferrerFinder): void {
    const list = this.finders.get(targetEntity) ?? [];
    list.push(finder);
    this.finders.set(targetEntity, list);
  }

  referrersOf(targetEntity: string, tenantId: number, id: number): Referrer[] {
    return (this.finders.get(targetEntity) ?? []).flatMap((find) => find(tenantId, id));
  }
}

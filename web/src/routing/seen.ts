/**
 * The customers a panel has seen waiting, by interaction, with the queue they waited in, so that
 * it can still name them once an agent has taken them. One no longer waiting nor held by an agent
 * is forgotten at the second sweep that finds it gone (a customer just taken may be missing from
 * the agents for a moment, until the agent's event arrives), so a screen left open all day keeps
 * only the customers of now.
 */
export class SeenCustomers<W extends { id: string }> {
  /** `stale`: gone at the last sweep; dropped if still gone at the next. */
  private readonly entries = new Map<string, { customer: W & { queueId: number }; stale: boolean }>();

  /** The customers waiting in a queue now (from a snapshot or an event). */
  remember(queueId: number, waiting: readonly W[]): void {
    for (const w of waiting) this.entries.set(w.id, { customer: { ...w, queueId }, stale: false });
  }

  /** The customer of an interaction, with the last queue it was seen waiting in. */
  get(interactionId: string): (W & { queueId: number }) | null {
    return this.entries.get(interactionId)?.customer ?? null;
  }

  /** `alive`: the interactions waiting or held by an agent now. */
  sweep(alive: Iterable<string>): void {
    const keep = new Set(alive);
    for (const [id, entry] of this.entries) {
      if (keep.has(id)) entry.stale = false;
      else if (entry.stale) this.entries.delete(id);
      else entry.stale = true;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * What `/readyz` reports. Each component (database, ARI, AMI) registers a probe that answers
 * synchronously from state it already keeps; `/readyz` is 200 only when every probe is ok.
 */
export type ProbeResult = { ok: true; detail?: string } | { ok: false; reason: string };

export class Readiness {
  private probes = new Map<string, () => ProbeResult>();
  private listeners = new Set<() => void>();

  /** Says that a component's state may have changed (a connection went up or down). */
  changed(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Called on every `changed()`; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  register(name: string, probe: () => ProbeResult): void {
    this.probes.set(name, probe);
  }

  check(): { ready: boolean; checks: Record<string, ProbeResult> } {
    const checks: Record<string, ProbeResult> = {};
    for (const [name, probe] of this.probes) {
      try {
        checks[name] = probe();
      } catch (e) {
        checks[name] = { ok: false, reason: (e as Error).message };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}

/** The colour of an agent's state wherever it is shown (the desk, the supervisor's panel). */
export function stateSeverity(state: string): string {
  return ({ offline: 'secondary', available: 'success', offered: 'info', busy: 'warn', wrap_up: 'info', paused: 'danger' } as Record<string, string>)[state] ?? 'secondary';
}

/**
 * Test helpers around the IVR simulator (src/flows/ivr-sim.logic.ts): traces as short lines.
 */
import type { IvrTraceEvent } from '../../src/flows/index.js';

export { simulateIvr, type CallerAction, type SimResult } from '../../src/flows/index.js';

/** Traces as short strings for table tests: `entered main`, `option main 1`, `exit main queue 1`. */
export function traceLine(t: IvrTraceEvent): string {
  switch (t.event) {
    case 'option':
    case 'direct_dial':
    case 'invalid':
      return `${t.event} ${t.node} ${t.digits}`;
    case 'collected':
      return `collected ${t.node} ${t.variable}`;
    case 'exit': {
      const d = t.destination;
      const what = d.kind === 'external' ? d.number : d.kind === 'hangup' ? String(d.cause ?? 16) : String(d.id);
      return `exit ${t.node} ${d.kind} ${what}`;
    }
    default:
      return `${t.event} ${t.node}`;
  }
}

/**
 * Loops across resources: an IVR whose silent exit is a time condition that leads back to the
 * same IVR would keep a silent caller forever. Each kind says where a caller who presses
 * nothing goes next from one of its rows; a save that would close such a circle is refused.
 * Loops through an option the caller chooses ("9: back to the main menu") are legitimate.
 */
import { describeDestination, type Destination } from './destination.model.js';

/** Where a silent caller goes from `d` (time condition: every branch; announcement: its next; IVR: exhausted exits). */
export type SilentExitsOf = (d: Destination) => Destination[];

/** A circle through `start` of silent steps, as the destinations passed (`ivr 1 → time_condition 2 → ivr 1`), or undefined. */
export function silentLoopThrough(start: Destination, exitsOf: SilentExitsOf, maxSteps = 1000): Destination[] | undefined {
  const key = describeDestination(start);
  const seen = new Set<string>();
  const stack: { at: Destination; path: Destination[] }[] = [{ at: start, path: [start] }];
  let steps = 0;
  while (stack.length > 0 && steps++ < maxSteps) {
    const { at, path } = stack.pop()!;
    for (const next of exitsOf(at)) {
      const k = describeDestination(next);
      if (k === key) return [...path, next];
      if (seen.has(k)) continue;
      seen.add(k);
      stack.push({ at: next, path: [...path, next] });
    }
  }
  return undefined;
}

export const describeLoop = (loop: Destination[]): string => loop.map(describeDestination).join(' → ');

/** How many destinations one call may pass through before it is hung up (a loop that slipped past the checks). */
export const MAX_DESTINATION_HOPS = 50;

/**
 * What a waiting caller hears, as lists of prompt names (the product's own pt-BR recordings in
 * `sounds/pt-BR/`, made by scripts/make-sounds.sh): its position in the queue and the
 * expected wait, with numbers spoken from the number prompts.
 */
import { numberPrompts } from '../calls/number-prompts.logic.js';

/** The largest position announced; beyond it the caller hears only the expected wait. */
export const MAX_ANNOUNCED_POSITION = 999;

/** The sentences' own prompts, besides the numbers. */
export const ANNOUNCEMENT_PROMPTS = {
  position: 'atende-queue-position',
  positionEnd: 'atende-queue-position-end',
  wait: 'atende-queue-wait',
  lessThanAMinute: 'atende-queue-less-than-a-minute',
  minute: 'atende-minute',
  minutes: 'atende-minutes',
} as const;

const P = ANNOUNCEMENT_PROMPTS;

/** "Você é o" + number + "da fila". Undefined when there is nothing to say. */
export function positionAnnouncement(position: number): string[] | undefined {
  if (position < 1 || position > MAX_ANNOUNCED_POSITION) return undefined;
  return [P.position, ...numberPrompts(position), P.positionEnd];
}

/**
 * "O tempo estimado de espera é de" + minutes, rounded up: "menos de um minuto" under one
 * minute, "um minuto", "N minutos". Beyond 99 minutes nothing is said: an estimate that far
 * out is too uncertain to promise.
 */
export function expectedWaitAnnouncement(waitMs: number | undefined): string[] | undefined {
  if (waitMs === undefined || waitMs < 0) return undefined;
  if (waitMs < 60_000) return [P.wait, P.lessThanAMinute];
  const minutes = Math.ceil(waitMs / 60_000);
  if (minutes > 99) return undefined;
  return [P.wait, ...numberPrompts(minutes), minutes === 1 ? P.minute : P.minutes];
}

/**
 * What a waiting caller of a queue hears at each announcement: the position, then the expected
 * wait, as the queue asks for them; empty when there is nothing to say (the position beyond
 * what is announced, nobody serving the queue).
 */
export function queueAnnouncement(q: { announcePosition: boolean; announceWait: boolean }, position: number | undefined, waitMs: number | undefined): string[] {
  return [...((q.announcePosition && positionAnnouncement(position ?? 0)) || []), ...((q.announceWait && expectedWaitAnnouncement(waitMs)) || [])];
}

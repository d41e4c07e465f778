/**
 * What a waiting caller hears, as lists of prompt names (the product's own pt-BR recordings in
 * `sounds/pt-BR/`, made by scripts/make-sounds.sh): its position in the queue and the
 * expected wait, with numbers spoken from the number prompts.
 */

/** Prompts of the numbers 0–999 in Brazilian Portuguese (masculine: "um", "dois", as "número" and "minuto" take). */
export function numberPrompts(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new RangeError(`no prompts for ${n}`);
  if (n === 0) return ['atende-num-0'];
  if (n === 100) return ['atende-num-100'];
  const parts: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) parts.push(hundreds === 1 ? 'atende-num-cento' : `atende-num-${hundreds * 100}`);
  if (rest > 0) {
    if (parts.length > 0) parts.push('atende-num-e');
    if (rest < 20) parts.push(`atende-num-${rest}`);
    else {
      parts.push(`atende-num-${Math.floor(rest / 10) * 10}`);
      if (rest % 10 > 0) parts.push('atende-num-e', `atende-num-${rest % 10}`);
    }
  }
  return parts;
}

/** Every number prompt `numberPrompts` may name (scripts/make-sounds.sh records exactly these). */
export const NUMBER_PROMPTS: readonly string[] = [
  ...Array.from({ length: 20 }, (_, i) => `atende-num-${i}`),
  ...[20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900].map((n) => `atende-num-${n}`),
  'atende-num-cento',
  'atende-num-e',
];

/** The largest position announced; beyond it the caller hears only the expected wait. */
export const MAX_ANNOUNCED_POSITION = 999;

/** "Sua posição na fila é" + number. Undefined when there is nothing to say. */
export function positionAnnouncement(position: number): string[] | undefined {
  if (position < 1 || position > MAX_ANNOUNCED_POSITION) return undefined;
  return ['atende-queue-position', ...numberPrompts(position)];
}

/**
 * "O tempo estimado de espera é de" + minutes, rounded up: "menos de um minuto" under one
 * minute, "um minuto", "N minutos". Beyond 99 minutes nothing is said: an estimate that far
 * out is too uncertain to promise.
 */
export function expectedWaitAnnouncement(waitMs: number | undefined): string[] | undefined {
  if (waitMs === undefined || waitMs < 0) return undefined;
  if (waitMs < 60_000) return ['atende-queue-wait', 'atende-queue-less-than-a-minute'];
  const minutes = Math.ceil(waitMs / 60_000);
  if (minutes > 99) return undefined;
  return ['atende-queue-wait', ...numberPrompts(minutes), minutes === 1 ? 'atende-queue-minute' : 'atende-queue-minutes'];
}

/**
 * Numbers spoken from Atende's own pt-BR number prompts (`sounds/pt-BR/atende-num-*.wav`, made
 * by scripts/make-sounds.sh): queue announcements say positions and minutes with them, and
 * flows may name any of them as a sound.
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
    if (parts.length > 0) parts.push('atende-num-and');
    if (rest <= 20) parts.push(`atende-num-${rest}`);
    else {
      parts.push(`atende-num-${Math.floor(rest / 10) * 10}`);
      if (rest % 10 > 0) parts.push('atende-num-and', `atende-num-${rest % 10}`);
    }
  }
  return parts;
}

/** Every number prompt there is (scripts/make-sounds.sh records exactly these). */
export const NUMBER_PROMPTS: readonly string[] = [
  ...Array.from({ length: 21 }, (_, i) => `atende-num-${i}`),
  ...[30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900].map((n) => `atende-num-${n}`),
  'atende-num-cento',
  'atende-num-and',
];

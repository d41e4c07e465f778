/**
 * Asterisk extension patterns, as the dialplan reads them (main/pbx.c): checking, matching and
 * ordering. A pattern starts with `_`; then `X` is 0-9, `Z` 1-9, `N` 2-9, `[…]` a set (ranges
 * like `1-4` allowed), `.` one or more of anything and `!` zero or more (only at the end), and
 * `-` is ignored (eye candy, as in `_NXX-XXXX`). Anything without `_` is a literal extension.
 * Pure.
 */

export const DIALLED = /^[0-9*#+]{1,40}$/;
const LITERAL_CHARS = /^[0-9*#+]$/;

export interface PatternProblem {
  /** 0-based position in the pattern. */
  position: number;
  message: string;
}

type Token = { kind: 'set'; chars: Set<string>; weight: number; bits: Uint8Array } | { kind: 'any1' } | { kind: 'any0' };

const SETS: Record<string, string> = { X: '0123456789', Z: '123456789', N: '23456789' };

function bitsOf(chars: Iterable<string>): Uint8Array {
  const bits = new Uint8Array(32);
  for (const c of chars) {
    const code = c.charCodeAt(0);
    bits[code >> 3]! |= 1 << (7 - (code & 7));
  }
  return bits;
}

function setToken(chars: Set<string>): Token {
  const min = Math.min(...[...chars].map((c) => c.charCodeAt(0)));
  // pbx.c ext_cmp_pattern_pos: bits 8-15 the size of the set, bits 0-7 its lowest character.
  return { kind: 'set', chars, weight: (chars.size << 8) | min, bits: bitsOf(chars) };
}

/** Tokens of a pattern body (after `_`), or the first problem found. */
function tokenize(body: string, offset: number): Token[] | PatternProblem {
  const tokens: Token[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const at = i + offset;
    if (c === '-') continue;
    const upper = c.toUpperCase();
    if (SETS[upper]) tokens.push(setToken(new Set(SETS[upper])));
    else if (c === '.' || c === '!') {
      if (body.slice(i + 1).replace(/-/g, '') !== '') return { position: at, message: `'${c}' may only end a pattern` };
      tokens.push({ kind: c === '.' ? 'any1' : 'any0' });
    } else if (c === '[') {
      const end = body.indexOf(']', i + 1);
      if (end < 0) return { position: at, message: "'[' is never closed by ']'" };
      const inner = body.slice(i + 1, end);
      const chars = new Set<string>();
      for (let j = 0; j < inner.length; j++) {
        const a = inner[j]!;
        if (!LITERAL_CHARS.test(a)) return { position: at + 1 + j, message: `'${a}' cannot stand in a set (digits, *, # or +)` };
        if (inner[j + 1] === '-' && j + 2 < inner.length) {
          const b = inner[j + 2]!;
          if (!LITERAL_CHARS.test(b) || b < a) return { position: at + 1 + j, message: `bad range '${a}-${b}'` };
          for (let code = a.charCodeAt(0); code <= b.charCodeAt(0); code++) chars.add(String.fromCharCode(code));
          j += 2;
        } else chars.add(a);
      }
      if (chars.size === 0) return { position: at, message: 'empty set []' };
      tokens.push(setToken(chars));
      i = end;
    } else if (LITERAL_CHARS.test(c)) tokens.push(setToken(new Set([c])));
    else return { position: at, message: `'${c}' is not allowed in a pattern` };
  }
  if (tokens.length === 0) return { position: offset, message: 'the pattern is empty after _' };
  return tokens;
}

/** Why a dial pattern is not valid Asterisk syntax, or null when it is. */
export function checkPattern(pattern: string): PatternProblem | null {
  if (pattern.length === 0) return { position: 0, message: 'the pattern is empty' };
  if (pattern.length > 80) return { position: 80, message: 'the pattern is longer than 80 characters' };
  if (!pattern.startsWith('_')) {
    const bad = [...pattern].findIndex((c) => !LITERAL_CHARS.test(c));
    return bad < 0 ? null : { position: bad, message: `'${pattern[bad]}' is not a digit, *, # or + (a pattern starts with _)` };
  }
  const tokens = tokenize(pattern.slice(1), 1);
  return Array.isArray(tokens) ? null : tokens;
}

function tokensOf(pattern: string): Token[] {
  const tokens = tokenize(pattern.slice(1), 1);
  if (!Array.isArray(tokens)) throw new Error(`invalid pattern ${pattern}: ${tokens.message}`);
  return tokens;
}

/** Does `dialled` match the pattern (or equal the literal extension)? The whole string must match. */
export function matchesPattern(pattern: string, dialled: string): boolean {
  if (!pattern.startsWith('_')) return pattern === dialled;
  const tokens = tokensOf(pattern);
  let i = 0;
  for (const t of tokens) {
    if (t.kind === 'any0') return true;
    if (t.kind === 'any1') return i < dialled.length;
    const c = dialled[i];
    if (c === undefined || !t.chars.has(c)) return false;
    i++;
  }
  return i === dialled.length;
}

// Weights of the end and the wildcards, as pbx.c gives them, above every set.
const WEIGHT_ANY1 = 0x18000;
const WEIGHT_ANY0 = 0x28000;
const WEIGHT_END = 0x30000;

const weightOf = (t: Token | undefined): number =>
  t === undefined ? WEIGHT_END : t.kind === 'any1' ? WEIGHT_ANY1 : t.kind === 'any0' ? WEIGHT_ANY0 : t.weight;

/**
 * Asterisk's order of extensions in a context (pbx.c `ext_cmp`): literal extensions first, then
 * patterns position by position, the smaller character set first (a literal digit before N,
 * N before Z before X, a set of three before X), `.` after any set, `!` after `.`, and the
 * end of a pattern after all of them (so `_9XXXXXXXX` sorts before `_9XXXXXXX`). Negative when `a` is more specific.
 */
export function comparePatterns(a: string, b: string): number {
  const aPattern = a.startsWith('_');
  const bPattern = b.startsWith('_');
  if (!aPattern || !bPattern) {
    if (aPattern !== bPattern) return aPattern ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const ta = tokensOf(a);
  const tb = tokensOf(b);
  for (let i = 0; ; i++) {
    const x = ta[i];
    const y = tb[i];
    const diff = weightOf(x) - weightOf(y);
    if (diff !== 0) return diff;
    if (x?.kind === 'set' && y?.kind === 'set') {
      // Same size and lowest character: the set holding lower characters comes first.
      for (let k = 0; k < 32; k++) {
        const d = y.bits[k]! - x.bits[k]!;
        if (d !== 0) return d;
      }
    }
    if (x === undefined || x.kind !== 'set') return 0;
  }
}

/**
 * The API's error messages in another language. A catalogue maps the English sentence, as the
 * code writes it, to its translation: `{0}`, `{1}`… stand for the values the code puts into the
 * sentence (its `${…}` in order), and the translation uses the same ones, in any order.
 */
export type Catalogue = Readonly<Record<string, string>>;

/** The languages the API answers in. English is the code's own. */
export const API_LOCALES = ['en', 'pt-BR'] as const;
export type ApiLocale = (typeof API_LOCALES)[number];

const PLACEHOLDER = /\{(\d+)\}/g;

/** The placeholders a sentence uses, sorted (`{1}` twice counts once). */
export const placeholdersOf = (s: string): string[] => [...new Set([...s.matchAll(PLACEHOLDER)].map((m) => m[0]))].sort();

interface Entry {
  /** The sentence's fixed text around its values: one more piece than there are values. */
  readonly pieces: readonly string[];
  /** How much fixed text the sentence has: the most specific sentence is tried first. */
  readonly fixed: number;
  readonly to: string;
  /** Values written between quotes: user data (a name), never translated themselves. */
  readonly quoted: ReadonlySet<number>;
  /** The sentence itself has a `;`. */
  readonly joins: boolean;
}

/** Sentences with no more fixed text than this are too vague to recognise (`{0}: {1}`). */
const MIN_FIXED_LETTERS = 3;

/**
 * A sentence as pieces of fixed text and values, or undefined when it cannot be recognised:
 * too little fixed text, or two values with nothing between them (where would one end?).
 */
function compile(from: string, to: string): Entry | undefined {
  const split = from.split(PLACEHOLDER);
  // split keeps the captured number at odd positions: [text, "0", text, "1", text]
  const pieces = split.filter((_, i) => i % 2 === 0);
  const order = split.filter((_, i) => i % 2 === 1).map(Number);
  if ((pieces.join('').match(/\p{L}/gu) ?? []).length < MIN_FIXED_LETTERS) return undefined;
  if (pieces.slice(1, -1).some((p) => p === '')) return undefined;
  const quoted = new Set<number>();
  order.forEach((_, i) => {
    if (/["'“«(]$/.test(pieces[i]!) && /^["'”»)]/.test(pieces[i + 1]!)) quoted.add(i);
  });
  // A value is numbered by where it stands in the English sentence; the translation names the
  // code's placeholder, so map each placeholder to its place.
  const place = new Map(order.map((n, i) => [n, i]));
  const renumbered = to.replace(PLACEHOLDER, (m, n: string) => {
    const c = place.get(Number(n));
    return c === undefined ? m : `{${c}}`;
  });
  return { pieces, fixed: pieces.join('').length, to: renumbered, quoted, joins: pieces.some((p) => p.includes(';')) };
}

/**
 * The values of `message` if it is the entry's sentence: it starts with the first piece, ends
 * with the last, and each piece between is found at its first place after the value before it
 * (every value at least one character). One pass over the message, never a search that
 * backtracks: a long message cannot make a request slow.
 */
function valuesIn(e: Entry, message: string): string[] | undefined {
  const { pieces } = e;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (!message.startsWith(first) || !message.endsWith(last)) return undefined;
  const end = message.length - last.length;
  const values: string[] = [];
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = message.indexOf(pieces[i]!, at + 1);
    if (found < 0 || found + pieces[i]!.length > end) return undefined;
    values.push(message.slice(at, found));
    at = found + pieces[i]!.length;
  }
  if (end - at < 1) return undefined;
  values.push(message.slice(at, end));
  return values;
}

/** Sentences that cannot be recognised in a message (see `compile`): they stay in English. */
export const unrecognisable = (catalogue: Catalogue): string[] =>
  Object.entries(catalogue)
    .filter(([from, to]) => placeholdersOf(from).length > 0 && compile(from, to) === undefined)
    .map(([from]) => from);

/** A message's parts between `; `, a `; ` between double quotes (in a name) left inside its part. */
function sentencesOf(message: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === '"') quoted = !quoted;
    else if (!quoted && message[i] === ';' && message[i + 1] === ' ') {
      parts.push(message.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  parts.push(message.slice(start));
  return parts;
}

/** Longer messages are not translated: no sentence of the code is this long without a user's text. */
const MAX_TRANSLATED = 4000;

/** A field's path at the head of a sentence: `phones.0.number: …`, `rules[0].pattern: …`. */
const FIELD_PREFIX = /^([A-Za-z_$][\w$]*(?:\.[\w$]+|\[\d+\])*): ([\s\S]+)$/;

/**
 * Translates messages with one catalogue. A message matches the catalogue's sentence whose fixed
 * text is longest (the most specific); the values found in it are translated in turn when they
 * are themselves sentences (a problem a rule returned, put into a longer message), except those
 * the sentence quotes. A message no sentence matches is returned as it is.
 */
export function translator(catalogue: Catalogue): (message: string) => string {
  const exact = new Map(Object.entries(catalogue).filter(([from]) => placeholdersOf(from).length === 0));
  const entries = Object.entries(catalogue)
    .filter(([from]) => placeholdersOf(from).length > 0)
    .map(([from, to]) => compile(from, to))
    .filter((e): e is Entry => e !== undefined)
    .sort((a, b) => b.fixed - a.fixed);

  const translate = (message: string, depth: number): string => {
    const known = exact.get(message);
    if (known !== undefined) return known;
    if (depth > 3 || message.length > MAX_TRANSLATED) return message;
    // A field's path first: a sentence that starts with a value (`{0} must be {1}`) would
    // otherwise take the path for its value.
    const prefixed = FIELD_PREFIX.exec(message);
    if (prefixed) {
      const rest = translate(prefixed[2]!, depth + 1);
      if (rest !== prefixed[2]) return `${prefixed[1]}: ${rest}`;
    }
    for (const e of entries) {
      const values = valuesIn(e, message);
      if (!values) continue;
      // A value that runs over a `; ` the sentence does not have is a list of sentences (below).
      if (!e.joins && values.some((v, i) => !e.quoted.has(i) && v.includes('; '))) continue;
      return e.to.replace(PLACEHOLDER, (all, n: string) => {
        const i = Number(n);
        const value = values[i];
        if (value === undefined) return all;
        return e.quoted.has(i) ? value : translate(value, depth + 1);
      });
    }
    // Sentences joined by `; ` (the reasons for one refusal), each translated on its own.
    if (message.includes('; ')) {
      const parts = sentencesOf(message);
      const worded = parts.map((p) => translate(p, depth + 1));
      if (worded.some((w, i) => w !== parts[i])) return worded.join('; ');
    }
    return message;
  };
  return (message) => translate(message, 0);
}

/**
 * The language a request asks for in `Accept-Language`: the preferred one the API speaks
 * (`pt`, `pt-BR`, `pt-PT` → pt-BR), English when it names none of them or is absent.
 */
export function requestedLocale(header: string | undefined): ApiLocale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      // A weight that is not a number makes the language unwanted, as q=0 does.
      const q = params.map((p) => /^\s*q=(.*)$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : /^\s*[\d.]+\s*$/.test(q) ? Number(q) : 0, i };
    })
    .filter((l) => l.tag && Number.isFinite(l.q) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const l of ranked) {
    if (l.tag === 'pt' || l.tag.startsWith('pt-')) return 'pt-BR';
    if (l.tag === 'en' || l.tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

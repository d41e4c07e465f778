/**
 * The sentences the daemon's code can send as an API error, found in its source: the message of
 * every `AppError` it raises (through `badRequest`, `invalidField`, `conflict`, … or `new
 * AppError`) and every `message:` / `problem:` a rule returns, written as a string or a template
 * (`${…}` becomes `{0}`, `{1}`… in order, as the message catalogues write them).
 *
 * Run it to list what a catalogue lacks: `npx tsx test/helpers/message-templates.ts [src/area]`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Code whose messages are not the API's own words: the emulated Asterisk and its adapters speak as Asterisk does, the CLI to a terminal. */
const NOT_API = ['src/telephony/emulator/', 'src/telephony/ari/', 'src/telephony/ami/', 'src/cli/', 'src/http/messages/'];

const MESSAGE_ARG: Record<string, number> = {
  badRequest: 0,
  conflict: 0,
  tooManyRequests: 0,
  unavailable: 0,
  unauthorized: 0,
  forbidden: 0,
  invalidField: 1,
};

export interface Template {
  readonly text: string;
  readonly where: string;
}

function templateOf(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.templateSpans.reduce((s, span, i) => `${s}{${i}}${span.literal.text}`, node.head.text);
  if (ts.isParenthesizedExpression(node)) return templateOf(node.expression);
  return undefined;
}

export interface SourceMessages {
  /** What the code sends as an error message, where. */
  readonly raised: Template[];
  /** Every string and template the code writes: a catalogue's sentence must be one of them. */
  readonly literals: ReadonlySet<string>;
}

export function sourceMessages(under = 'src/'): SourceMessages {
  const files = execFileSync('git', ['ls-files', '--', `${under}*.ts`, `${under}**/*.ts`], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.endsWith('.d.ts') && !NOT_API.some((p) => f.startsWith(p)));
  const raised: Template[] = [];
  const literals = new Set<string>();
  for (const file of [...new Set(files)]) {
    const source = ts.createSourceFile(file, readFileSync(`${ROOT}/${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
    const at = (n: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node): void => {
      const literal = templateOf(n);
      if (literal !== undefined && !ts.isParenthesizedExpression(n)) literals.add(literal);
      let message: ts.Node | undefined;
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const i = MESSAGE_ARG[n.expression.text];
        if (i !== undefined) message = n.arguments[i];
      } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'AppError') {
        message = n.arguments?.[1];
      } else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && (n.name.text === 'message' || n.name.text === 'problem')) {
        message = n.initializer;
      }
      // A choice between two sentences counts as both.
      const candidates = message && ts.isConditionalExpression(message) ? [message.whenTrue, message.whenFalse] : message ? [message] : [];
      for (const c of candidates) {
        const text = templateOf(c);
        if (text !== undefined) raised.push({ text, where: at(c) });
      }
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return { raised, literals };
}

/** A field's path at the head of a sentence (`phones.{0}.number: `, `rules[{0}].pattern: `), which the translator keeps as it is. */
const FIELD_PREFIX = /^(?:[A-Za-z_$]|\{\d+\})[\w${}]*(?:\.[\w${}]+|\[[\w{}]+\])*: /;

/**
 * The sentence a catalogue must hold for a message: without the field's path at its head, its
 * placeholders numbered again from {0}; undefined when nothing is left to translate.
 */
export function sentenceOf(template: string): string | undefined {
  const rest = template.replace(FIELD_PREFIX, '');
  if ((rest.replace(/\{\d+\}/g, '').match(/\p{L}/gu) ?? []).length < 3) return undefined;
  if (rest === template) return template;
  const order = new Map<string, number>();
  return rest.replace(/\{(\d+)\}/g, (_, n: string) => `{${order.get(n) ?? order.set(n, order.size).get(n)!}}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ptBR } = await import('../../src/http/messages/index.js');
  const missing = new Map<string, string>();
  for (const t of sourceMessages(process.argv[2] ?? 'src/').raised) {
    const sentence = sentenceOf(t.text);
    if (sentence !== undefined && ptBR[sentence] === undefined && !missing.has(sentence)) missing.set(sentence, t.where);
  }
  for (const [text, where] of missing) console.log(`  // ${where}\n  ${JSON.stringify(text)}: '',`);
  console.error(`${missing.size} sentences have no Portuguese`);
}

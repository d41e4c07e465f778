/**
 * The web app's texts: every language has the same keys as pt-BR (the reference), and every
 * key a component asks for with a literal `t('…')` exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const webSrc = join(import.meta.dirname, '..', '..', 'web', 'src');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function keysOf(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

/** Message files per area: common in i18n/, each area's in <area>/locales/. */
const catalogues = [
  { id: 'common', dir: join(webSrc, 'i18n') },
  ...readdirSync(webSrc, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ id: e.name, dir: join(webSrc, e.name, 'locales') }))
    .filter((c) => readdirSync(join(c.dir, '..')).includes('locales')),
];

const all = (lang: string) => catalogues.flatMap((c) => keysOf(json(join(c.dir, `${lang}.json`)), c.id));

describe('web app messages', () => {
  it('English has exactly the keys of pt-BR, area by area', () => {
    for (const c of catalogues) {
      expect(keysOf(json(join(c.dir, 'en.json'))).sort(), relative(webSrc, c.dir)).toEqual(keysOf(json(join(c.dir, 'pt-BR.json'))).sort());
    }
  });

  it('every literal key a component or module asks for exists', () => {
    const known = new Set(all('pt-BR'));
    const missing: string[] = [];
    for (const file of filesUnder(webSrc).filter((f) => /\.(vue|ts)$/.test(f) && !f.endsWith('.d.ts'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-zA-Z][\w.-]*)'/g)) if (!known.has(m[1]!)) missing.push(`${relative(webSrc, file)}: ${m[1]}`);
      for (const m of text.matchAll(/title: '([a-z][\w.-]*)'/g)) if (!known.has(m[1]!)) missing.push(`${relative(webSrc, file)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});

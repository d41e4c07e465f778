/**
 * Reading Asterisk configuration files the way main/config.c does, for the emulator: sections
 * `[name]`, templates `[name](!)`, inheritance `[name](tpl,…)`, `key=value` and
 * `key => value`, `;` comments (`\;` is a literal semicolon), `;-- … --;` block comments, and
 * `#include` / `#tryinclude` resolved against the configuration directory.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

export interface ConfSection {
  name: string;
  /** Defined with `(!)`: a template, not an object. */
  template: boolean;
  /** Its variables, inherited ones first, in order. */
  entries: [string, string][];
  file: string;
  line: number;
}

export interface ConfFile {
  sections: ConfSection[];
  /** Variables before the first section (none in the files Atende reads). */
  problems: string[];
}

const MAX_INCLUDE_DEPTH = 10;

function stripComment(line: string, inBlock: { open: boolean }): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (inBlock.open) {
      if (line.startsWith('--;', i)) {
        inBlock.open = false;
        i += 2;
      }
      continue;
    }
    const c = line[i]!;
    if (c === '\\' && line[i + 1] === ';') {
      out += ';';
      i++;
    } else if (c === ';') {
      if (line.startsWith(';--', i)) {
        inBlock.open = true;
        i += 2;
        continue;
      }
      break;
    } else out += c;
  }
  return out.trim();
}

/** Reads `file` (relative to `dir` unless absolute) with its includes. A missing top file is an empty config. */
export async function readAsteriskConfig(dir: string, file: string): Promise<ConfFile> {
  const sections: ConfSection[] = [];
  const problems: string[] = [];
  const templates = new Map<string, ConfSection>();
  let current: ConfSection | undefined;

  const load = async (name: string, depth: number, optional: boolean): Promise<void> => {
    const path = isAbsolute(name) ? name : join(dir, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      if (!optional) problems.push(`The file '${name}' was listed as a #include but it does not exist.`);
      return;
    }
    const inBlock = { open: false };
    const lines = text.split(/\r?\n/);
    for (let n = 0; n < lines.length; n++) {
      const raw = lines[n]!;
      const trimmed = raw.trim();
      const directive = /^#(include|tryinclude)\s+(.+)$/.exec(trimmed);
      if (directive && !inBlock.open) {
        if (depth >= MAX_INCLUDE_DEPTH) {
          problems.push(`${name}:${n + 1}: includes nested too deep`);
          continue;
        }
        const target = directive[2]!.trim().replace(/^["<](.*)[">]$/, '$1');
        await load(target, depth + 1, directive[1] === 'tryinclude');
        continue;
      }
      const line = stripComment(raw, inBlock);
      if (!line) continue;
      const head = /^\[([^\]]+)\](?:\(([^)]*)\))?$/.exec(line);
      if (head) {
        const opts = (head[2] ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const entries: [string, string][] = [];
        for (const t of opts.filter((o) => o !== '!')) {
          const tpl = templates.get(t);
          if (!tpl) problems.push(`${name}:${n + 1}: inheritance requested, but template '${t}' does not exist`);
          else entries.push(...tpl.entries);
        }
        current = { name: head[1]!.trim(), template: opts.includes('!'), entries, file: name, line: n + 1 };
        if (current.template) templates.set(current.name, current);
        sections.push(current);
        continue;
      }
      const kv = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
      if (!kv) {
        problems.push(`${name}:${n + 1}: no '=' in '${line}'`);
        continue;
      }
      if (!current) {
        problems.push(`${name}:${n + 1}: '${kv[1]}' outside any section`);
        continue;
      }
      current.entries.push([kv[1]!.trim(), kv[2]!.trim()]);
    }
  };

  await load(file, 0, true);
  return { sections, problems };
}

/** The last value of `key` in a section (later lines override earlier and inherited ones). */
export function valueOf(s: ConfSection, key: string): string | undefined {
  for (let i = s.entries.length - 1; i >= 0; i--) if (s.entries[i]![0] === key) return s.entries[i]![1];
  return undefined;
}

/** Every value of a repeatable key, in order (`allow`, `match`, `entry`, `local_net`). */
export const valuesOf = (s: ConfSection, key: string): string[] => s.entries.filter(([k]) => k === key).map(([, v]) => v);

/**
 * The emulated Asterisk's configuration directory (its /etc/asterisk): it reads pjsip.conf,
 * chan_dahdi.conf, musiconhold.conf and extensions.conf with their includes at start and again
 * when a module is reloaded, the way the real modules do, and hands the resulting objects to
 * the resources. An object Asterisk would refuse (an unknown option, a missing template, a
 * registration whose server cannot be resolved) is left out and the problem is logged.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir, FILE_MODES } from '../../kernel/file-modes.js';
import { CONTEXTS } from '../confgen/confgen.model.js';
import { PJSIP_OPTIONS } from '../confgen/pjsip-options.js';
import { readAsteriskConfig, valueOf, valuesOf, type ConfSection } from './asterisk-config.js';
import type { SpanSignalling } from './types.js';

export type ReloadModule = 'res_pjsip' | 'pbx_config' | 'res_musiconhold' | 'chan_dahdi';

/** What an installation's top-level files contain before anyone edits them: Atende's includes. */
const TOP_FILES: Record<ReloadModule, { file: string; include: string }> = {
  res_pjsip: { file: 'pjsip.conf', include: '#include atende/pjsip.conf' },
  pbx_config: { file: 'extensions.conf', include: '#include atende/extensions.conf' },
  res_musiconhold: { file: 'musiconhold.conf', include: '#include atende/musiconhold.conf' },
  chan_dahdi: { file: 'chan_dahdi.conf', include: '#include atende/chan_dahdi.conf' },
};

export interface PhoneEndpoint {
  name: string;
  /** From `callerid="Name" <number>`: what calls from this phone carry. */
  callerId: { name: string; number: string } | undefined;
  password: string | undefined;
  maxContacts: number;
  qualifySeconds: number;
}

export interface TrunkEndpoint {
  name: string;
  host: string;
  qualifySeconds: number;
  /** An outbound registration to the provider, if configured. */
  registration?: { id: string; clientUri: string; serverUri: string; resolvable: boolean };
}

export interface PjsipObjects {
  phones: PhoneEndpoint[];
  trunks: TrunkEndpoint[];
  problems: string[];
}

export interface DahdiSpanConfig {
  span: number;
  signalling: SpanSignalling;
  group: number;
  channels: number[];
}

/** A host that can never resolve (RFC 6761 `.invalid`): its registration fails as a DNS failure does. */
const unresolvable = (host: string): boolean => /\.invalid$/i.test(host);

const hostOfUri = (uri: string): string => uri.replace(/^sips?:/, '').replace(/^[^@]*@/, '').split(/[:;>]/)[0] ?? '';

/** PJSIP objects as res_pjsip would load them from these sections. */
export function pjsipObjects(sections: readonly ConfSection[]): PjsipObjects {
  const problems: string[] = [];
  const byType = new Map<string, Map<string, ConfSection>>();
  for (const s of sections) {
    if (s.template) continue;
    const type = valueOf(s, 'type');
    const known = type === undefined ? undefined : PJSIP_OPTIONS[type];
    if (!type || !known) {
      problems.push(`${s.file}:${s.line}: [${s.name}] has no known type ('${type ?? ''}')`);
      continue;
    }
    const unknown = s.entries.find(([k]) => !known.has(k));
    if (unknown) {
      problems.push(`${s.file}:${s.line}: Could not find option suitable for category '${s.name}' named '${unknown[0]}'`);
      continue;
    }
    const list = byType.get(type) ?? new Map<string, ConfSection>();
    list.set(s.name, s);
    byType.set(type, list);
  }
  const aors = byType.get('aor') ?? new Map<string, ConfSection>();
  const auths = byType.get('auth') ?? new Map<string, ConfSection>();
  const registrations = [...(byType.get('registration') ?? new Map<string, ConfSection>()).values()];
  const phones: PhoneEndpoint[] = [];
  const trunks: TrunkEndpoint[] = [];
  for (const e of (byType.get('endpoint') ?? new Map<string, ConfSection>()).values()) {
    const aorName = (valueOf(e, 'aors') ?? '').split(',')[0]?.trim() ?? '';
    const aor = aors.get(aorName);
    const qualifySeconds = Number(aor ? (valueOf(aor, 'qualify_frequency') ?? 0) : 0);
    if (valueOf(e, 'context') === CONTEXTS.trunks) {
      const contact = aor ? (valueOf(aor, 'contact') ?? '') : '';
      const reg = registrations.find((r) => valueOf(r, 'endpoint') === e.name);
      const serverUri = reg ? (valueOf(reg, 'server_uri') ?? '') : '';
      trunks.push({
        name: e.name,
        host: hostOfUri(contact),
        qualifySeconds,
        ...(reg
          ? { registration: { id: reg.name, clientUri: valueOf(reg, 'client_uri') ?? '', serverUri, resolvable: !unresolvable(hostOfUri(serverUri)) } }
          : {}),
      });
    } else {
      const auth = auths.get((valueOf(e, 'auth') ?? '').trim());
      const cid = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(valueOf(e, 'callerid') ?? '');
      phones.push({
        name: e.name,
        callerId: cid ? { name: cid[1]!.trim(), number: cid[2]!.trim() } : undefined,
        password: auth ? valueOf(auth, 'password') : undefined,
        maxContacts: Number(aor ? (valueOf(aor, 'max_contacts') ?? 1) : 1),
        qualifySeconds,
      });
    }
  }
  return { phones, trunks, problems };
}

function parseChannels(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map((x) => Number(x.trim()));
    if (a === undefined || !Number.isInteger(a)) continue;
    for (let ch = a; ch <= (b !== undefined && Number.isInteger(b) ? b : a); ch++) out.push(ch);
  }
  return out;
}

/** chan_dahdi's `[channels]`: settings accumulate, each `channel =>` takes the ones above it. */
export function dahdiSpans(sections: readonly ConfSection[]): DahdiSpanConfig[] {
  const spans = new Map<number, DahdiSpanConfig>();
  for (const s of sections.filter((x) => x.name === 'channels')) {
    let signalling: SpanSignalling | undefined;
    let group = 0;
    for (const [k, v] of s.entries) {
      if (k === 'signalling' && (v === 'pri_cpe' || v === 'pri_net' || v === 'mfcr2')) signalling = v;
      else if (k === 'group') group = Number(v);
      else if (k === 'channel' && signalling) {
        for (const ch of parseChannels(v)) {
          const span = Math.floor((ch - 1) / 31) + 1;
          const cfg = spans.get(span) ?? { span, signalling, group, channels: [] };
          cfg.signalling = signalling;
          cfg.group = group;
          cfg.channels.push(ch);
          spans.set(span, cfg);
        }
      }
    }
  }
  return [...spans.values()].sort((a, b) => a.span - b.span);
}

/** MOH classes (name → files); a playlist without entries is not a class. */
export function mohClasses(sections: readonly ConfSection[]): Map<string, { mode: string; files: string[] }> {
  const out = new Map<string, { mode: string; files: string[] }>();
  for (const s of sections) {
    if (s.template) continue;
    const mode = valueOf(s, 'mode') ?? 'files';
    const files = mode === 'playlist' ? valuesOf(s, 'entry') : [];
    if (mode === 'playlist' && files.length === 0) continue;
    out.set(s.name, { mode, files });
  }
  return out;
}

/** Hints of the dialplan by context: exten → device. */
export function dialplanHints(sections: readonly ConfSection[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const s of sections) {
    if (s.name === 'general' || s.name === 'globals') continue;
    const hints = out.get(s.name) ?? new Map<string, string>();
    for (const [k, v] of s.entries) {
      const m = /^([^,]+),hint,(.+)$/.exec(v);
      if (k === 'exten' && m) hints.set(m[1]!, m[2]!);
    }
    out.set(s.name, hints);
  }
  return out;
}

export interface ReloadRecord {
  module: ReloadModule;
  at: number;
  /** What the module logged about the files (objects it left out). */
  problems: string[];
}

/** The configuration directory and what was last read from it. */
export class EmulatedConfig {
  moh = new Map<string, { mode: string; files: string[] }>();
  hints = new Map<string, Map<string, string>>();

  constructor(readonly dir: string) {}

  /** Writes the top-level files with Atende's include line when they do not exist yet (the installer's step). */
  async install(): Promise<void> {
    // Owner only, like everything in Atende's data dir, where the emulated Asterisk lives.
    ensureDir(join(this.dir, 'atende'), 'private');
    for (const { file, include } of Object.values(TOP_FILES)) {
      const path = join(this.dir, file);
      const present = await stat(path).then(
        () => true,
        () => false,
      );
      if (!present) await writeFile(path, `; Emulated Asterisk: ${file}\n${include}\n`, { mode: FILE_MODES.private.file });
    }
  }

  async read(module: ReloadModule): Promise<ConfSection[]> {
    const conf = await readAsteriskConfig(this.dir, TOP_FILES[module].file);
    this.lastProblems = conf.problems;
    return conf.sections;
  }

  /** Problems of the last read (missing includes, bad lines). */
  lastProblems: string[] = [];
}

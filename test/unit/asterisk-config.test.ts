/**
 * The Asterisk files shipped in dialplan/ and config/asterisk/ checked against each other and
 * against the emulator: every application and function the dialplan calls is loaded by a
 * module modules.conf requires (so the hand-off survives autoload=no), the dialplan releases
 * calls with the temporary failure the emulator models when Atende is absent, and the guide
 * names every file it ships.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_MASK } from '../../src/telephony/ami/ami.client.js';
import { AMD_DEFAULTS, amdVariables } from '../../src/dialer/index.js';
import { AMD_VARIABLES } from '../../src/telephony/confgen/confgen.model.js';
import { stasisFailedCause } from '../../src/telephony/emulator/far-end.js';

const root = resolve(import.meta.dirname, '..', '..');
const read = (...p: string[]) => readFileSync(join(root, ...p), 'utf8');
const dialplanFiles = readdirSync(join(root, 'dialplan')).filter((f) => f.endsWith('.conf'));
/** Dialplan lines without comments. */
const dialplanLines = dialplanFiles.flatMap((f) =>
  read('dialplan', f)
    .split('\n')
    .map((l) => l.replace(/;.*$/, '').trim())
    .filter((l) => /^(exten|same)\s*=>/.test(l)),
);

/** Where each dialplan application or function Atende uses comes from (Asterisk 22). */
const providers: Record<string, string> = {
  // applications (main/pbx_builtins.c is the core, always there)
  NoOp: 'core',
  Answer: 'core',
  Hangup: 'core',
  Wait: 'core',
  Set: 'core',
  Busy: 'core',
  Congestion: 'core',
  Ringing: 'core',
  Stasis: 'app_stasis',
  AMD: 'app_amd',
  Playback: 'app_playback',
  SendDTMF: 'app_senddtmf',
  PJSIPHangup: 'chan_pjsip',
  // functions
  IF: 'func_logic',
  LEN: 'func_strings',
  CHANNEL: 'func_channel',
};

function applicationsAndFunctions(): Set<string> {
  const names = new Set<string>();
  for (const line of dialplanLines) {
    const app = /^(?:exten\s*=>\s*[^,]+,|same\s*=>\s*)[^,]+,\s*([A-Za-z]+)\(/.exec(line);
    if (app) names.add(app[1]!);
    for (const fn of line.matchAll(/\$\{([A-Z_]+)\(/g)) names.add(fn[1]!);
  }
  return names;
}

const required = new Set(
  read('config', 'asterisk', 'modules.conf')
    .split('\n')
    .map((l) => /^\s*require\s*=>?\s*([a-z_0-9]+)\.so/.exec(l)?.[1])
    .filter((m): m is string => m !== undefined),
);

describe('modules.conf', () => {
  it('requires the module of every application and function the dialplan uses', () => {
    const used = applicationsAndFunctions();
    expect([...used]).toEqual(expect.arrayContaining(['Stasis', 'IF', 'LEN', 'CHANNEL', 'Hangup']));
    const unknown = [...used].filter((n) => !(n in providers));
    expect(unknown, 'add these to the providers table of this test').toEqual([]);
    const missing = [...used].map((n) => providers[n]!).filter((m) => m !== 'core' && !required.has(m));
    expect(missing).toEqual([]);
  });

  it('requires res_musiconhold, which musiconhold.conf configures', () => {
    expect(required.has('res_musiconhold')).toBe(true);
    const settings = read('config', 'asterisk', 'musiconhold.conf')
      .split('[default]')[1]!
      .split('\n')
      .map((l) => l.replace(/;.*$/, '').trim())
      .filter(Boolean);
    expect(settings).toContain('mode=files');
    expect(settings.find((l) => l.startsWith('directory='))).toMatch(/\/moh\/default$/);
  });
});

describe('the hand-off when Atende is absent', () => {
  const contexts = new Map<string, string[]>();
  let current = '';
  for (const raw of read('dialplan', 'atende.conf').split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) contexts.set((current = header[1]!), []);
    else if (line) contexts.get(current)?.push(line);
  }
  const failedCauses = (context: string) =>
    (contexts.get(context) ?? []).map((l) => /STASISSTATUS\}" = "FAILED"\]\?(\d+):/.exec(l)?.[1]).filter(Boolean).map(Number);

  it.each(['atende-from-pstn', 'atende-from-trunk', 'atende-from-phones'])(
    '%s releases with the same temporary failure the emulator models',
    (context) => {
      const causes = failedCauses(context);
      expect(causes.length).toBeGreaterThan(0);
      expect(new Set(causes)).toEqual(new Set([stasisFailedCause(context)]));
    },
  );

  it('SIP legs get a cause chan_pjsip sends as 503, never 41 (603 Decline)', () => {
    for (const context of ['atende-from-trunk', 'atende-from-phones']) {
      for (const cause of failedCauses(context)) expect([34, 42]).toContain(cause);
    }
    expect(failedCauses('atende-from-pstn')).toEqual([41, 41]);
  });
});

describe('answering-machine detection for the dialer', () => {
  const lines = read('dialplan', 'atende.conf')
    .split('\n[atende-amd]\n')[1]!
    .split('\n')
    .map((l) => l.replace(/;.*$/, '').trim())
    .filter((l) => /^(exten|same)\s*=>/.test(l));

  it('AMD() takes its nine arguments from the channel variables a campaign sets, in app_amd’s order', () => {
    const amd = lines.find((l) => /,AMD\(/.test(l))!;
    const args = /AMD\((.*)\)$/.exec(amd)![1]!.split(',');
    expect(args).toEqual(AMD_VARIABLES.map(([name]) => `\${${name}}`));
  });

  it('an empty variable takes app_amd’s built-in default, set before AMD() runs', () => {
    const amdAt = lines.findIndex((l) => /,AMD\(/.test(l));
    for (const [name, fallback] of AMD_VARIABLES) {
      const set = lines.findIndex((l) => l.includes(`Set(${name}=`));
      expect(set, name).toBeGreaterThan(0);
      expect(set, name).toBeLessThan(amdAt);
      expect(lines[set]).toContain(`$["\${${name}}" = ""]?${fallback}:\${${name}}`);
    }
  });

  it('a campaign’s parameters become those variables, its defaults the same as the dialplan’s', () => {
    expect(amdVariables(AMD_DEFAULTS)).toEqual(Object.fromEntries(AMD_VARIABLES.map(([name, fallback]) => [name, String(fallback)])));
    expect(amdVariables({ ...AMD_DEFAULTS, initialSilence: 3000, maximumNumberOfWords: 4 })).toMatchObject({ ATENDE_AMD_INITIAL_SILENCE: '3000', ATENDE_AMD_MAX_WORDS: '4' });
  });
});

describe('docs/real-asterisk.md', () => {
  const guide = read('docs', 'real-asterisk.md');

  it('names every file of config/asterisk', () => {
    for (const f of readdirSync(join(root, 'config', 'asterisk'))) expect(guide).toContain(`\`${f}\``);
  });

  it('says where ATENDE_SOUNDS_DIR defaults to as the code does: the project’s own sounds/', () => {
    expect(guide).not.toMatch(/ATENDE_DATA_DIR>\/sounds/);
    expect(guide).toMatch(/unset.{0,80}project's own `sounds\/`/s);
  });

  it('quotes what Asterisk 22 prints without DAHDI, not an older message', () => {
    expect(guide).toContain("Unable to open '/dev/dahdi/channel'");
    expect(guide).toContain('failure ignored: ignore_failed_channels');
  });

  it('names no AMI action that does not exist', () => {
    for (const text of [guide, read('config', 'asterisk', 'manager.conf')]) expect(text).not.toMatch(/ModuleReload/);
  });
});

describe('manager.conf', () => {
  const user = read('config', 'asterisk', 'manager.conf').split('[atende]')[1]!;
  const classes = (key: string) =>
    (new RegExp(`^${key}\\s*=\\s*(.*)$`, 'm').exec(user)?.[1] ?? '').replace(/;.*$/, '').trim().split(',').map((c) => c.trim()).sort();

  it('lets Atende read exactly the event classes its AMI client asks for', () => {
    expect(classes('read')).toEqual(DEFAULT_EVENT_MASK.split(',').sort());
  });

  it('reaches the AMI from loopback only', () => {
    expect(user).toMatch(/^deny=0\.0\.0\.0\/0\.0\.0\.0$/m);
    expect(user).toMatch(/^permit=127\.0\.0\.1\/255\.255\.255\.255$/m);
  });
});

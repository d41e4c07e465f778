/**
 * Builds what the e2e scenarios run against: the product's own ARI and AMI adapters, connected
 * to a real Asterisk (from ATENDE_E2E_* variables) or to the emulator. The ARI adapter talks
 * through a loopback relay so that a scenario can cut its link mid-call.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom, silentLogger } from '../../src/kernel/index.js';
import type { CallControl, Media } from '../../src/telephony/call-control.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import { createAmiClient, type AmiClient } from '../../src/telephony/ami/index.js';
import { startLinkCutter, type LinkCutter } from './link-cutter.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TargetSettings {
  /** Shown in test names: "real Asterisk", "emulator". */
  label: string;
  ari: { url: string; user: string; password: string; app: string };
  ami: { host: string; port: number; user: string; secret: string };
  /**
   * Directory, as the target's Asterisk sees it, holding `atende-welcome.wav` (from
   * sounds/pt-BR) and the fixtures of test/e2e/sounds. Undefined: this checkout's own files,
   * which works only when Asterisk runs on this machine and may read them.
   */
  soundsDir?: string;
}

export interface E2eTarget {
  readonly label: string;
  readonly app: string;
  readonly callControl: CallControl;
  /**
   * A second ARI connection under another app name (`<app>-probe`), not through the link
   * cutter: it places calls while Atende's own app is absent.
   */
  readonly probe: CallControl;
  readonly ami: AmiClient;
  /** Atende's own welcome prompt (about 6 s). */
  readonly welcome: Media;
  /** Variables every originated e2e leg carries (the far end reads its fixtures through them). */
  readonly legVariables: Record<string, string>;
  /** Cuts the ARI link (events WebSocket and requests) until `restoreAri()`. */
  cutAri(): void;
  restoreAri(): void;
  close(): Promise<void>;
}

/** The variables the real-Asterisk run needs; ATENDE_E2E_SOUNDS_DIR and ATENDE_E2E_ARI_APP are optional. */
export const requiredEnv = [
  'ATENDE_E2E_ARI_URL',
  'ATENDE_E2E_ARI_USER',
  'ATENDE_E2E_ARI_PASSWORD',
  'ATENDE_E2E_AMI_HOST',
  'ATENDE_E2E_AMI_PORT',
  'ATENDE_E2E_AMI_USER',
  'ATENDE_E2E_AMI_SECRET',
] as const;

export function missingEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return requiredEnv.filter((k) => !env[k]);
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): TargetSettings {
  const get = (k: (typeof requiredEnv)[number]): string => {
    const v = env[k];
    if (!v) throw new Error(`${k} is not set`);
    return v;
  };
  const port = Number(get('ATENDE_E2E_AMI_PORT'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ATENDE_E2E_AMI_PORT must be a port number`);
  return {
    label: 'real Asterisk',
    ari: {
      url: get('ATENDE_E2E_ARI_URL'),
      user: get('ATENDE_E2E_ARI_USER'),
      password: get('ATENDE_E2E_ARI_PASSWORD'),
      app: env.ATENDE_E2E_ARI_APP || 'atende',
    },
    ami: { host: get('ATENDE_E2E_AMI_HOST'), port, user: get('ATENDE_E2E_AMI_USER'), secret: get('ATENDE_E2E_AMI_SECRET') },
    ...(env.ATENDE_E2E_SOUNDS_DIR ? { soundsDir: env.ATENDE_E2E_SOUNDS_DIR.replace(/\/+$/, '') } : {}),
  };
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function openTarget(settings: TargetSettings): Promise<E2eTarget> {
  const cutter: LinkCutter = await startLinkCutter(settings.ari.url);
  const ari: AriCallControlHandle = createAriCallControl({
    url: cutter.url,
    user: settings.ari.user,
    password: settings.ari.password,
    app: settings.ari.app,
    logger: silentLogger,
    random: seededRandom(1),
    initialBackoffMs: 200,
    maxBackoffMs: 2_000,
  });
  const ami = createAmiClient({
    host: settings.ami.host,
    port: settings.ami.port,
    user: settings.ami.user,
    secret: settings.ami.secret,
    logger: silentLogger,
    random: seededRandom(2),
    actionTimeoutMs: 10_000,
  });
  const probe: AriCallControlHandle = createAriCallControl({
    url: settings.ari.url,
    user: settings.ari.user,
    password: settings.ari.password,
    app: `${settings.ari.app}-probe`,
    logger: silentLogger,
    random: seededRandom(3),
    initialBackoffMs: 200,
    maxBackoffMs: 2_000,
  });
  const close = async (): Promise<void> => {
    await Promise.allSettled([ari.stop(), probe.stop(), ami.stop()]);
    await cutter.close();
  };
  try {
    ari.start();
    probe.start();
    ami.start();
    await until(
      `ARI adapter connected to ${settings.ari.url} (${JSON.stringify(ari.readinessProbe())})`,
      () => ari.callControl.connectionState() === 'up',
      20_000,
    );
    await until(`probe ARI connection (${JSON.stringify(probe.readinessProbe())})`, () => probe.callControl.connectionState() === 'up', 20_000);
    await until(
      `AMI client logged in to ${settings.ami.host}:${settings.ami.port} (${JSON.stringify(ami.readinessProbe())})`,
      () => ami.connectionState() === 'up',
      20_000,
    );
  } catch (e) {
    await close();
    throw e;
  }

  const fixtures = settings.soundsDir ?? join(repoRoot, 'test', 'e2e', 'sounds');
  const prompts = settings.soundsDir ?? join(repoRoot, 'sounds', 'pt-BR');
  return {
    label: settings.label,
    app: settings.ari.app,
    callControl: ari.callControl,
    probe: probe.callControl,
    ami,
    welcome: { kind: 'file', path: join(prompts, 'atende-welcome') },
    legVariables: { ATENDE_E2E_SOUNDS: fixtures },
    cutAri: () => cutter.cut(),
    restoreAri: () => cutter.restore(),
    close,
  };
}

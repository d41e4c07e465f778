/**
 * The real-Asterisk e2e scenarios (test/e2e/scenarios.ts), run against the Asterisk emulator
 * over loopback at real speed: proof that the suite runs, and that the emulator honours the
 * same far ends (dialplan/e2e.conf) and the same AMD convention (dialplan/atende.conf).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { openTarget, type E2eTarget } from '../e2e/harness.js';
import { defineScenarios } from '../e2e/scenarios.js';

describe('e2e scenarios on the Asterisk emulator', () => {
  let dir: string;
  let emulator: Emulator | undefined;
  let target: E2eTarget | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atende-e2e-emulator-'));
    emulator = await startEmulator({ recordingsDir: dir, speed: 1 });
    target = await openTarget({
      label: 'emulator',
      ari: { url: emulator.ariUrl, user: emulator.ariUser, password: emulator.ariPassword, app: 'atende' },
      ami: { host: '127.0.0.1', port: emulator.amiPort, user: emulator.amiUser, secret: emulator.amiSecret },
    });
  });

  afterAll(async () => {
    await target?.close();
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  defineScenarios(() => {
    if (!target) throw new Error('the emulator target is not open');
    return target;
  });
});

/**
 * Real prompts for tests of what plays them (music on hold, announcements): a short generated
 * tone converted by the prompts module as an upload would be.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import type { TestApp } from './app.js';
import { writeToneWav } from './wav.js';

export async function makePrompt(t: TestApp, name: string, tenantId = t.tenantA): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'atende-prompt-src-'));
  try {
    const path = join(dir, 'tone.wav');
    await writeToneWav(path, 400);
    const view = await t.modules.prompts.createFromUpload({ actor: SYSTEM_ACTOR }, tenantId, { name }, { path, fileName: 'tone.wav' });
    return view.id;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The e2e scenarios against a real Asterisk named by ATENDE_E2E_* variables (see
 * docs/real-asterisk.md). Without them the suite is skipped, says why, and passes.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { missingEnv, openTarget, settingsFromEnv, type E2eTarget } from './harness.js';
import { defineScenarios } from './scenarios.js';

const missing = missingEnv();
if (missing.length > 0) {
  console.log(
    `\n[e2e] skipped: no real Asterisk configured (missing ${missing.join(', ')}).\n` +
      '[e2e] Set them to run the suite against Asterisk 20/22 with dialplan/atende.conf and dialplan/e2e.conf ' +
      'included; see docs/real-asterisk.md.\n',
  );
}

describe.skipIf(missing.length > 0)('e2e on a real Asterisk', () => {
  let target: E2eTarget | undefined;

  beforeAll(async () => {
    target = await openTarget(settingsFromEnv());
  });
  afterAll(async () => {
    await target?.close();
  });

  defineScenarios(() => {
    if (!target) throw new Error('the real-Asterisk target is not open');
    return target;
  });
});

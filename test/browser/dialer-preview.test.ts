/**
 * Preview dialing on the agent's desk, in a real browser over the emulator: the agent of a
 * running preview campaign's service is shown the next contact; a skip asks for a reason and
 * shows the following contact; "Ligar" dials that contact, who answers (the emulator's PSTN)
 * and is connected to this agent's phone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dialerTenant } from './dialer-setup.js';
import { browserTestFile, seriousA11yViolations, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-preview-1';
const PASSWORD = 'senha-da-agente-2';
const EXTENSION = '1201';

const file = browserTestFile();
let atende: Atende;
let root: Api;
let manager: Api;
let page: Page;
let problems: string[];
let campaignId = 0;

type Channel = { id: string; name: string; state: string };

beforeAll(async () => {
  ({ atende, root } = await file.start(ADMIN_PASSWORD));
  const d = await dialerTenant(atende, root, {
    company: 'Preview Cobranças Ltda',
    cnpjSeed: 47,
    password: PASSWORD,
    agent: { name: 'Ana Preview', login: 'ana.preview', extension: EXTENSION },
    queue: { name: 'Cobrança', number: '720' },
    contacts: [
      ['Helena Souza', '11987652010'],
      ['Igor Lima', '11987652020'],
    ],
    campaign: { name: 'Cobrança preview', mode: 'preview' },
  });
  ({ manager, campaignId } = d);
  await d.agent.must('POST', '/api/v1/agent/login');

  ({ page, problems } = await file.open('ana.preview', PASSWORD, { allow: [/WebSocket connection to .* failed/] }));
});

describe('agent desk: preview dialing', () => {
  it('shows the next contact, skips one with a reason, and dials the next on "Ligar", connecting it to the agent', async () => {
    await page.getByRole('heading', { name: 'Minha mesa', level: 1 }).waitFor();
    // Nothing is shown before the campaign runs.
    expect(await page.getByTestId('dialer-preview').count()).toBe(0);
    await manager.must('POST', `/api/v1/dialer/campaigns/${campaignId}/start`);

    const preview = page.getByTestId('dialer-preview');
    await preview.getByRole('heading', { name: 'Preview — Cobrança preview' }).waitFor();
    await preview.getByTestId('preview-name').getByText('Helena Souza').waitFor();
    expect(await preview.getByTestId('preview-phone').textContent()).toBe('5511987652010');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await preview.getByRole('button', { name: 'Pular' }).click();
    const reason = preview.getByLabel('Motivo para pular');
    await reason.waitFor();
    // No skip without a reason.
    expect(await preview.getByRole('button', { name: 'Pular contato' }).isDisabled()).toBe(true);
    await reason.fill('Cliente em reunião');
    await preview.getByRole('button', { name: 'Pular contato' }).click();
    await preview.getByTestId('preview-name').getByText('Igor Lima').waitFor();
    // Nothing was dialled while the agent read and skipped.
    expect((await root.must<Channel[]>('GET', '/api/v1/emulator/channels')).filter((c) => c.name.startsWith('PJSIP/operadora-'))).toEqual([]);

    await preview.getByRole('button', { name: 'Ligar' }).click();
    await page.getByText('Ligando para Igor Lima').waitFor();
    await preview.waitFor({ state: 'hidden' });
    await page.getByTestId('agent-state').getByText('Em atendimento').waitFor();
    const channels = await root.must<Channel[]>('GET', '/api/v1/emulator/channels');
    expect(channels.filter((c) => c.name.startsWith('PJSIP/operadora-')).map((c) => c.state)).toEqual(['Up']);
    expect(channels.filter((c) => c.name.startsWith(`PJSIP/${EXTENSION}-`)).map((c) => c.state)).toEqual(['Up']);
    expect(problems).toEqual([]);
  });
});

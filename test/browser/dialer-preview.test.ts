/**
 * Preview dialing on the agent's desk, in a real browser over the emulator: the agent of a
 * running preview campaign's service is shown the next contact; a skip asks for a reason and
 * shows the following contact; "Ligar" dials that contact, who answers (the emulator's PSTN)
 * and is connected to this agent's phone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { until } from '../helpers/until.js';
import { keepFailure, launchBrowser, logIn, newContext, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-preview-1';
const PASSWORD = 'senha-da-agente-2';
const EXTENSION = '1201';

let atende: Atende;
let root: Api;
let ana: Api;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let problems: string[];
let tenantQuery = '';
let campaignId = 0;

type Channel = { id: string; name: string; state: string };

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD });
  root = await atende.api('admin', ADMIN_PASSWORD);
  const tenant = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Preview Cobranças Ltda', cnpj: validCnpj(47), ddd: '11' })).id;
  tenantQuery = `?tenantId=${tenant}`;
  const anaId = (
    await root.must<{ id: number }>('POST', `/api/v1/users${tenantQuery}`, {
      name: 'Ana Preview',
      login: 'ana.preview',
      level: 'agent',
      password: PASSWORD,
      passwordChangeRequired: false,
      extension: EXTENSION,
      flags: { callCenter: true },
      concurrency: { voice: 1 },
    })
  ).id;
  const phone = await root.must<{ secret: string }>('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: EXTENSION, displayName: 'Ana Preview', kind: 'softphone', userId: anaId });
  const queue = await root.must<{ id: number }>('POST', `/api/v1/queues${tenantQuery}`, { name: 'Cobrança', number: '720', members: [{ userId: anaId }] });
  const trunk = await root.must<{ id: number }>('POST', `/api/v1/telephony/trunks${tenantQuery}`, { name: 'operadora', host: 'sip.provider.example.net' });
  await root.must('POST', `/api/v1/telephony/outbound-routes${tenantQuery}`, { name: 'Saída', rules: [{ pattern: '_X.' }], trunks: [{ trunkId: trunk.id }] });
  expect((await root.must<{ ok: boolean }>('POST', `/api/v1/telephony/apply${tenantQuery}`, {})).ok).toBe(true);
  await root.must('PUT', `/api/v1/emulator/phones/${EXTENSION}`, { registered: true, behaviour: 'answer', password: phone.secret });

  for (const [name, number] of [
    ['Helena Souza', '11987652010'],
    ['Igor Lima', '11987652020'],
  ]) {
    await root.must('POST', `/api/v1/contacts${tenantQuery}`, { name, phones: [{ number }] });
  }
  const list = await root.must<{ id: number }>('POST', `/api/v1/dialer/lists${tenantQuery}`, { name: 'Atrasados' });
  await root.must('POST', `/api/v1/dialer/lists/${list.id}/fill${tenantQuery}`, { filter: {} });
  // Open around the clock, whatever time the suite runs.
  const always = await root.must<{ id: number }>('POST', `/api/v1/flows/time-conditions${tenantQuery}`, {
    name: 'Sempre',
    periods: [{ start: '00:00', end: '24:00' }],
    openDestination: { kind: 'hangup', cause: 16 },
    closedDestination: { kind: 'hangup', cause: 16 },
  });
  const strategy = await root.must<{ id: number }>('POST', `/api/v1/dialer/strategies${tenantQuery}`, {
    name: 'Preview',
    maxAttemptsPerPhone: 1,
    maxAttemptsPerContact: 1,
    maxAttemptsPerDay: 1,
    timeConditionId: always.id,
  });
  campaignId = (
    await root.must<{ id: number }>('POST', `/api/v1/dialer/campaigns${tenantQuery}`, {
      name: 'Cobrança preview',
      mode: 'preview',
      strategyId: strategy.id,
      queueId: queue.id,
      ringTimeoutSeconds: 20,
      abandonTargetPercent: 2,
      listIds: [list.id],
    })
  ).id;
  ana = await atende.api('ana.preview', PASSWORD);
  await until('the agent’s phone is registered', async () => (await ana.must<{ registered: boolean }>('GET', '/api/v1/agent')).registered);
  await ana.must('POST', '/api/v1/agent/login');

  browser = await launchBrowser();
  context = await newContext(browser, atende);
  page = await context.newPage();
  problems = watchProblems(page, [/WebSocket connection to .* failed/]);
  await logIn(page, 'ana.preview', PASSWORD);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await atende?.close();
});

describe('agent desk: preview dialing', () => {
  it('shows the next contact, skips one with a reason, and dials the next on "Ligar", connecting it to the agent', async () => {
    await page.getByRole('heading', { name: 'Minha mesa', level: 1 }).waitFor();
    // Nothing is shown before the campaign runs.
    expect(await page.getByTestId('dialer-preview').count()).toBe(0);
    await root.must('POST', `/api/v1/dialer/campaigns/${campaignId}/start${tenantQuery}`);

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

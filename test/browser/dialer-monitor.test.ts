/**
 * The live campaign monitor and the dialer report in a real browser over the emulator: a
 * running progressive campaign with nobody logged in shows no agent waiting; when its agent logs
 * in, the monitor follows without a reload (pushed over the events socket) — the call dialled,
 * connected, then counted as an answered attempt today; the report shows the day's row with its
 * rates and offers the CSV.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dialerTenant } from './dialer-setup.js';
import { browserTestFile, seriousA11yViolations, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-monitor-1';
const PASSWORD = 'senha-monitor-2';
const EXTENSION = '1301';

const file = browserTestFile();
let atende: Atende;
let root: Api;
let manager: Api;
let ana: Api;
let page: Page;
let problems: string[];
let campaignId = 0;

type Channel = { id: string; name: string; state: string };

beforeAll(async () => {
  ({ atende, root } = await file.start(ADMIN_PASSWORD));
  const d = await dialerTenant(atende, root, {
    company: 'Monitor Vendas Ltda',
    cnpjSeed: 48,
    password: PASSWORD,
    agent: { name: 'Ana Monitor', login: 'ana.monitor', extension: EXTENSION },
    queue: { name: 'Vendas', number: '730' },
    contacts: [['Paula Reis', '11987653010']],
    campaign: { name: 'Vendas dezembro', mode: 'progressive', abandonMaxPercent: 3, stopWhenExhausted: false },
  });
  ({ manager, agent: ana, campaignId } = d);
  await manager.must('POST', `/api/v1/dialer/campaigns/${campaignId}/start`);

  ({ page, problems } = await file.open('gerente.monitor', PASSWORD, { allow: [/WebSocket connection to .* failed/] }));
  await page.getByRole('navigation', { name: 'Navegação' }).first().waitFor();
});

const pstn = async () => (await root.must<Channel[]>('GET', '/api/v1/emulator/channels')).filter((c) => c.name.startsWith('PJSIP/operadora-'));

describe('dialer: live monitor and report', () => {
  it('follows a running campaign live — agent logs in, the call connects, the answered attempt is counted — without a reload', async () => {
    await page.goto('/dialer/campaigns');
    await page.getByRole('link', { name: 'Monitor Vendas dezembro' }).click();
    await page.getByRole('heading', { name: 'Monitor — Vendas dezembro', level: 1 }).waitFor();
    await page.getByTestId('monitor-waiting-agents').getByText('0', { exact: true }).waitFor();
    await page.getByText('nenhum agente logado').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));

    await ana.must('POST', '/api/v1/agent/login');
    await page.getByTestId('monitor-connected').getByText('1', { exact: true }).waitFor({ timeout: 20_000 });
    const [customer] = await pstn();
    expect(customer?.state).toBe('Up');
    await root.must('DELETE', `/api/v1/emulator/calls/${customer!.id}`);
    await page.getByTestId('monitor-today-connected').getByText('1', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('monitor-attempts-today').textContent()).toBe('1');
    expect(await page.getByTestId('monitor-abandon-today').textContent()).toBe('0 %');
    // The estimate beside it (detection off: nobody it could have hung up on), against the cap.
    await page.getByRole('rowheader', { name: 'Abandono estimado (limite 3 %)' }).waitFor();
    expect(await page.getByTestId('monitor-estimated-today').textContent()).toBe('0 %');
    await page.getByTestId('monitor-agents').getByText('Ana Monitor').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('shows the day’s row of the dialer report with its rates, and links the CSV', async () => {
    await page.goto('/dialer/report');
    await page.getByRole('heading', { name: 'Relatório do discador', level: 1 }).waitFor();
    const row = page.getByTestId('dialer-report').getByRole('row').filter({ hasText: 'Vendas dezembro' });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    // attempts 1, connected 1; % connect and % human 100 %, abandon measured and estimated 0 %.
    expect(cells.slice(2, 4)).toEqual(['1', '1']);
    expect(cells.slice(9, 13)).toEqual(['100 %', '100 %', '0 %', '0 %']);
    await page.getByTestId('dialer-report').getByRole('columnheader', { name: '% abandono estimado' }).waitFor();
    const href = await page.getByRole('link', { name: 'Baixar CSV' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/dialer\/report\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv).toContain('Vendas dezembro;1;1;0;0;0;0;0;100;100;0;0;');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

/**
 * The dialer's screens in a real browser: a strategy created; a campaign refused for a ring
 * timeout under 15 s next to its field, then created with a contact group and started,
 * paused and stopped, saying why it dials nothing; the group shown locked with its counts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { keepFailure, launchBrowser, logIn, newContext, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-1';
const PASSWORD = 'senha-teste-1';

let atende: Atende;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let manager: Api;

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD });
  const root = await atende.api('admin', ADMIN_PASSWORD);
  const tenant = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Cobra Bem Ltda', cnpj: validCnpj(41) })).id;
  await root.must('POST', `/api/v1/users?tenantId=${tenant}`, { name: 'Gerente Cobra', login: 'gerente.cobra', level: 'admin', password: PASSWORD, passwordChangeRequired: false });
  manager = await atende.api('gerente.cobra', PASSWORD);
  browser = await launchBrowser();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
  await context?.close();
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
});

async function open(path: string): Promise<void> {
  context = await newContext(browser, atende);
  page = await context.newPage();
  problems = watchProblems(page, [/WebSocket connection to .* failed/]);
  await logIn(page, 'gerente.cobra', PASSWORD);
  await page.getByRole('navigation', { name: 'Navegação' }).first().waitFor();
  await page.goto(path);
}

describe('dialer screens', () => {
  it('creates a strategy, then a campaign (refusing a ring timeout under 15 s) and starts, pauses and stops it; the group shows it is locked', async () => {
    await manager.must('POST', '/api/v1/contacts', { name: 'Maria', phones: [{ number: '11 98765-4321' }] });
    await manager.must('POST', '/api/v1/contacts', { name: 'João', phones: [{ number: '48 99999-9999' }] });
    const list = await manager.must<{ id: number }>('POST', '/api/v1/dialer/lists', { name: 'Atrasados' });
    await manager.must('POST', `/api/v1/dialer/lists/${list.id}/fill`, { filter: {} });

    await open('/dialer/strategies');
    await page.getByRole('heading', { name: 'Estratégias de discagem', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Nova estratégia' }).click();
    const sDialog = page.getByRole('dialog', { name: 'Nova estratégia' });
    await sDialog.getByLabel('Nome', { exact: true }).fill('Padrão');
    await sDialog.getByRole('button', { name: 'Salvar' }).click();
    await sDialog.waitFor({ state: 'hidden' });
    const sRow = page.getByRole('row').filter({ hasText: 'Padrão' });
    await sRow.waitFor();
    expect(await sRow.textContent()).toContain('Seg–sex 9h–21h');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto('/dialer/campaigns');
    await page.getByRole('heading', { name: 'Campanhas', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Nova campanha' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nova campanha' });
    await dialog.getByLabel('Nome', { exact: true }).fill('Cobrança março');
    await dialog.getByRole('combobox', { name: 'Estratégia' }).click();
    await page.getByRole('option', { name: 'Padrão' }).click();
    await dialog.locator('[data-field="listIds"] .p-multiselect').click();
    await page.getByRole('option', { name: 'Atrasados' }).click();
    await page.keyboard.press('Escape');
    await dialog.getByLabel('Serviço (fila)').fill('1');
    await dialog.getByLabel('Tempo de chamada (s)').fill('10');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.locator('[data-field="ringTimeoutSeconds"]').getByRole('alert').waitFor();
    await dialog.getByLabel('Tempo de chamada (s)').fill('25');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'Cobrança março' });
    await expect.poll(() => row.textContent()).toContain('Rascunho');

    await row.getByRole('button', { name: 'Iniciar Cobrança março' }).click();
    await expect.poll(() => row.textContent()).toContain('Em execução');
    await row.getByRole('button', { name: 'Pausar Cobrança março' }).click();
    await expect.poll(() => row.textContent()).toContain('Pausada');
    await row.getByRole('button', { name: 'Parar Cobrança março' }).click();
    await expect.poll(() => row.textContent()).toContain('Parada');
    const campaigns = await manager.must<{ items: { state: string; startedAt: string | null }[] }>('GET', '/api/v1/dialer/campaigns');
    expect(campaigns.items[0]).toMatchObject({ state: 'stopped' });
    expect(campaigns.items[0]!.startedAt).not.toBeNull();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto('/dialer/lists');
    const listRow = page.getByRole('row').filter({ hasText: 'Atrasados' });
    await listRow.waitFor();
    expect(await listRow.textContent()).toContain('Cobrança março');
    expect((await listRow.getByRole('cell').allTextContents()).slice(1, 3)).toEqual(['2', '2']);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

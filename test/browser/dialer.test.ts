/**
 * The dialer's screens in a real browser: a strategy created; a campaign refused for a ring
 * timeout under 15 s next to its field, then created with a contact group and started,
 * paused and stopped, saying why it dials nothing; the group shown locked with its counts; a
 * group's page filled by a filter and by a CSV, with its members.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { chooseOption, keepFailure, launchBrowser, logIn, newContext, openedDialog, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

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
    await manager.must('POST', '/api/v1/queues', { name: 'Cobrança', number: '900' });

    await open('/dialer/strategies');
    await page.getByRole('heading', { name: 'Estratégias de discagem', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Nova estratégia' }).click();
    const sDialog = await openedDialog(page, 'Nova estratégia');
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
    const dialog = await openedDialog(page, 'Nova campanha');
    await dialog.getByLabel('Nome', { exact: true }).fill('Cobrança março');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Estratégia' }), 'Padrão');
    await dialog.locator('[data-field="listIds"] .p-multiselect').click();
    await page.getByRole('option', { name: 'Atrasados' }).click();
    await page.keyboard.press('Escape');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Serviço (fila)' }), '900 Cobrança');
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

  it("a group's page fills it from the contacts by a filter and from a CSV through the import screen, and lists its members", async () => {
    await manager.must('POST', '/api/v1/contacts', { name: 'Ana Paula Reis', phones: [{ number: '11 97777-1111' }] });
    await manager.must('POST', '/api/v1/contacts', { name: 'Bruno Costa', phones: [{ number: '21 3333-2222' }] });
    await manager.must('POST', '/api/v1/dialer/lists', { name: 'Clientes SP' });
    await open('/dialer/lists');
    await page.getByRole('button', { name: 'Abrir o grupo Clientes SP' }).click();
    await page.getByRole('heading', { name: 'Grupo Clientes SP', level: 1 }).waitFor();
    expect(await page.getByText('0 contatos, 0 a discar.').count()).toBe(1);

    const fill = page.getByRole('form', { name: 'Adicionar contatos' });
    await fill.getByLabel('Nome contém').fill('ana paula');
    await fill.getByRole('button', { name: 'Adicionar contatos' }).click();
    await page.getByText('1 contatos encontrados: 1 adicionados, 0 já estavam no grupo.').waitFor();
    await page.getByRole('row').filter({ hasText: 'Ana Paula Reis' }).waitFor();
    await page.getByText('1 contatos, 1 a discar.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await fill.getByRole('link', { name: 'Importar CSV para este grupo' }).click();
    await page.getByRole('heading', { name: 'Importação de contatos', level: 1 }).waitFor();
    // The group is chosen from the link; its name shows once the groups have loaded.
    await expect.poll(() => page.getByRole('combobox', { name: 'Grupo de contatos', exact: true }).textContent()).toContain('Clientes SP');
    // A row without a valid phone is refused; Ana, already in the group, is not added twice.
    const csv = ['nome;telefone1', 'Carlos Lima;(21) 98888-7777', 'Sem DDD;(20) 98765-4321', 'Ana de novo;11977771111'].join('\n');
    await page.getByLabel('Arquivo CSV').setInputFiles({ name: 'grupo.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    const progress = page.getByRole('region', { name: 'Progresso da importação' });
    await expect.poll(() => progress.getByRole('status').textContent()).toContain('Concluída');
    expect(await progress.getByRole('status').textContent()).toContain('3 linhas lidas, 1 importadas, 2 recusadas');

    await page.goBack();
    await page.getByRole('heading', { name: 'Grupo Clientes SP', level: 1 }).waitFor();
    await page.getByText('2 contatos, 2 a discar.').waitFor();
    const members = page.getByRole('row').filter({ hasText: /Ana Paula Reis|Carlos Lima/ });
    await expect.poll(() => members.count()).toBe(2);
    expect(await page.getByRole('row').filter({ hasText: 'Sem DDD' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

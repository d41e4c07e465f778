/**
 * Queue screens in a real browser: an admin creates a queue with its strategy, timers and
 * members (an agent with its priority and a plain extension); a bad queue number is refused
 * next to its field; the live queues follow an agent's login over the events socket.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { keepFailure, launchBrowser, logIn, newContext, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const PASSWORD = 'admin-browser-routing-1';
let atende: Atende;
let browser: Browser;
let page: Page;
let root: Api;
let problems: string[];
let anaId: number;

const nav = () => page.getByRole('navigation', { name: 'Navegação' });
const open = async (menu: string) => {
  await nav().getByRole('link', { name: menu, exact: true }).click();
  await page.getByRole('heading', { name: menu, level: 1 }).waitFor();
};

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: PASSWORD });
  root = await atende.api('admin', PASSWORD);
  const { tenantId } = await root.must<{ tenantId: number }>('GET', '/api/v1/me');
  const ana = await root.must<{ id: number }>('POST', `/api/v1/users?tenantId=${tenantId}`, { name: 'Ana Agente', login: 'ana.agente', level: 'agent', password: PASSWORD, passwordChangeRequired: false });
  anaId = ana.id;
  await root.must('PATCH', `/api/v1/users/${ana.id}`, { extension: '2001', flags: { callCenter: true }, concurrency: { voice: 1 } });
  browser = await launchBrowser();
  page = await (await newContext(browser, atende)).newPage();
  problems = watchProblems(page);
  await logIn(page, 'admin', PASSWORD);
  await nav().waitFor();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await keepFailure(page, ctx.task.name);
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
});

describe('queues', () => {
  it('an admin creates a queue with its strategy and members; a bad number is refused next to its field', async () => {
    await open('Filas');
    await page.getByRole('button', { name: 'Nova fila' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nova fila' });
    await dialog.getByLabel('Nome').fill('Suporte');
    await dialog.getByLabel('Fila', { exact: true }).fill('60a');
    await dialog.getByRole('combobox', { name: 'Estratégia' }).click();
    await page.getByRole('option', { name: 'Chamar aleatório com memória', exact: true }).click();
    await dialog.getByRole('button', { name: 'Adicionar agente' }).click();
    await dialog.getByRole('combobox', { name: 'Agente do membro 1' }).click();
    await page.getByRole('option', { name: 'Ana Agente', exact: true }).click();
    await dialog.getByLabel('Prioridade do membro 1').fill('2');
    await dialog.getByRole('button', { name: 'Adicionar ramal' }).click();
    await dialog.getByLabel('Ramal do membro 2').fill('3001');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.locator('[data-field="number"] [role="alert"]').waitFor();
    await dialog.getByLabel('Fila', { exact: true }).fill('600');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: 'Suporte' });
    await expect.poll(() => row.textContent()).toContain('Chamar aleatório com memória');
    expect(await row.textContent()).toContain('Ana Agente (2)');
    expect(await row.textContent()).toContain('Ramal 3001 (1)');
    const queues = await root.must<{ items: { name: string; number: string; strategy: string; members: { userId: number | null; extension: string | null; priority: number }[] }[] }>('GET', '/api/v1/queues');
    expect(queues.items).toEqual([
      expect.objectContaining({ name: 'Suporte', number: '600', strategy: 'random_memory', members: [expect.objectContaining({ userId: anaId, priority: 2 }), expect.objectContaining({ userId: null, extension: '3001', priority: 1 })] }),
    ]);
    expect(problems).toEqual([]);
  });

  it('the live queues follow an agent logging in, over the events socket', async () => {
    await open('Filas ao vivo');
    const row = page.getByRole('row').filter({ hasText: 'Suporte' });
    await expect.poll(() => row.locator('[data-cell="loggedIn"]').textContent()).toBe('1');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const ana = await atende.api('ana.agente', PASSWORD);
    await ana.must('POST', '/api/v1/agent/login');
    await expect.poll(() => row.locator('[data-cell="loggedIn"]').textContent(), { timeout: 10_000 }).toBe('2');
    await ana.must('POST', '/api/v1/agent/logout');
    await expect.poll(() => row.locator('[data-cell="loggedIn"]').textContent(), { timeout: 10_000 }).toBe('1');
    expect(problems).toEqual([]);
  });
});

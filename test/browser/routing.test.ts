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

describe('agents and services', () => {
  it('an admin puts two selected agents in a queue at once, then gives one skills and working hours; a refused change is shown next to its field', async () => {
    const { tenantId } = await root.must<{ tenantId: number }>('GET', '/api/v1/me');
    const bruno = await root.must<{ id: number }>('POST', `/api/v1/users?tenantId=${tenantId}`, { name: 'Bruno Agente', login: 'bruno.agente', level: 'agent', password: PASSWORD, passwordChangeRequired: false });
    await root.must('PATCH', `/api/v1/users/${bruno.id}`, { flags: { callCenter: true } });
    const cobranca = await root.must<{ id: number }>('POST', '/api/v1/queues', { name: 'Cobrança', number: '700' });

    await open('Agentes e serviços');
    const anaRow = page.getByRole('row').filter({ hasText: 'Ana Agente' });
    const brunoRow = page.getByRole('row').filter({ hasText: 'Bruno Agente' });
    await page.getByRole('checkbox', { name: 'Selecionar Ana Agente' }).click();
    await page.getByRole('checkbox', { name: 'Selecionar Bruno Agente' }).click();
    await page.getByRole('button', { name: 'Alterar serviços (2)' }).click();
    let dialog = page.getByRole('dialog', { name: 'Alterar serviços de 2 usuário(s)' });
    await dialog.waitFor();
    await page.locator('.p-dialog-enter-active').waitFor({ state: 'detached' });
    // Ticks a queue in a multiple select and closes its list by clicking beside it.
    const toggleQueue = async (field: 'add' | 'remove', option: string) => {
      const select = dialog.locator(`[data-field="${field}"] [data-pc-name="multiselect"]`);
      const ticked = (await select.textContent())?.includes(option);
      await select.click();
      await page.getByRole('listbox').waitFor();
      await page.locator('.p-anchored-overlay-enter-active').waitFor({ state: 'detached' });
      await page.getByRole('option', { name: option }).click();
      await dialog.getByText('Ana Agente, Bruno Agente').click();
      await page.getByRole('listbox').waitFor({ state: 'hidden' });
      await expect.poll(async () => (await select.textContent())?.includes(option)).toBe(!ticked);
    };
    // The same queue in both lists is refused, and said under the list to add to.
    await toggleQueue('add', 'Cobrança (700)');
    await toggleQueue('remove', 'Cobrança (700)');
    await dialog.getByLabel('Prioridade nessas filas').fill('3');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const refusal = dialog.locator('[data-field="add"] [role="alert"]');
    await expect.poll(() => refusal.textContent()).toContain('both added and removed');
    expect(await refusal.textContent()).not.toContain('add.0.queueId');
    await toggleQueue('remove', 'Cobrança (700)');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => anaRow.textContent()).toContain('Cobrança (3)');
    await expect.poll(() => brunoRow.textContent()).toContain('Cobrança (3)');
    const members = (await root.must<{ members: { userId: number | null; priority: number }[] }>('GET', `/api/v1/queues/${cobranca.id}`)).members;
    expect(members).toEqual(expect.arrayContaining([expect.objectContaining({ userId: anaId, priority: 3 }), expect.objectContaining({ userId: bruno.id, priority: 3 })]));

    // Ana's skills and hours: a period that starts and ends at the same time is refused next to its end.
    await page.getByRole('button', { name: 'Atendimento de Ana Agente' }).click();
    dialog = page.getByRole('dialog', { name: 'Atendimento de Ana Agente' });
    await dialog.waitFor();
    await page.locator('.p-dialog-enter-active').waitFor({ state: 'detached' });
    await dialog.getByLabel('Habilidades').fill('inglês, cobrança');
    await dialog.getByRole('button', { name: 'Adicionar horário' }).click();
    await dialog.getByLabel('Início do horário 1').fill('08:00');
    await dialog.getByLabel('Fim do horário 1').fill('08:00');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.locator('[data-field="workingHours.0.to"] [role="alert"]').waitFor();
    await dialog.getByLabel('Fim do horário 1').fill('17:00');
    // The week drawn under the form follows what is typed.
    await expect.poll(() => dialog.getByRole('table').getByRole('row').filter({ hasText: 'Segunda' }).textContent()).toContain('08:00–17:00');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => anaRow.textContent()).toContain('Seg, Ter, Qua, Qui, Sex 08:00–17:00');
    expect(await anaRow.textContent()).toContain('inglês');
    expect(await root.must('GET', `/api/v1/agents/${anaId}/settings`)).toEqual(
      expect.objectContaining({ skills: ['inglês', 'cobrança'], workingHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }] }),
    );
    expect(problems).toEqual([]);
  });
});

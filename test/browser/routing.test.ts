/**
 * Queue screens in a real browser: an admin creates a queue with its strategy, timers,
 * members (an agent with its priority and a plain extension), the contact book its callers are
 * looked up in and a required tabulation; a bad queue number is refused
 * next to its field; the live queues follow an agent's login over the events socket; the calls
 * report (per day, chart, CSV) and the agents' activity report.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chooseOption, keepFailure, launchBrowser, logIn, newContext, openOptions, openedDialog, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

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
  it('an admin creates a queue with its strategy, members, contact book and required tabulation; a bad number is refused next to its field', async () => {
    const vip = await root.must<{ id: number }>('POST', '/api/v1/crm/books', { name: 'Clientes VIP' });
    await open('Filas');
    await page.getByRole('button', { name: 'Nova fila' }).click();
    const dialog = await openedDialog(page, 'Nova fila');
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
    await dialog.getByRole('combobox', { name: 'Agenda de contatos' }).click();
    await page.getByRole('option', { name: 'Clientes VIP', exact: true }).click();
    await dialog.getByLabel('Exigir tabulação para finalizar').check();
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
    type Queue = { name: string; number: string; strategy: string; contactBookId: number | null; requireTabulation: boolean; members: { userId: number | null; extension: string | null; priority: number }[] };
    const queues = await root.must<{ items: Queue[] }>('GET', '/api/v1/queues');
    expect(queues.items).toEqual([
      expect.objectContaining({
        name: 'Suporte',
        number: '600',
        strategy: 'random_memory',
        contactBookId: vip.id,
        requireTabulation: true,
        members: [expect.objectContaining({ userId: anaId, priority: 2 }), expect.objectContaining({ userId: null, extension: '3001', priority: 1 })],
      }),
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

describe('queue rules', () => {
  it('an admin sets the rules a queue routes by: auto-pause (refused without its pause, next to it), preferred agent, joining, widening priorities; the overflow is another queue, never itself', async () => {
    await root.must('POST', '/api/v1/pause-types', { reason: 'Não atendeu' });
    const retention = await root.must<{ id: number }>('POST', '/api/v1/queues', { name: 'Retenção', number: '800' });
    await open('Filas');
    await page.getByRole('button', { name: 'Editar Suporte' }).click();
    const dialog = await openedDialog(page, 'Editar fila');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Destino sem atendimento: tipo' }), 'Fila');
    const offered = await openOptions(page, dialog.getByRole('combobox', { name: 'Destino sem atendimento: qual' }));
    await expect.poll(() => offered.allTextContents()).toEqual(['800 Retenção']);
    await page.keyboard.press('Escape');
    const choose = async (select: string, option: string) => {
      await dialog.getByRole('combobox', { name: select, exact: true }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    await dialog.getByLabel('Pausar o agente após N chamadas não atendidas (0: nunca)').fill('2');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.locator('[data-field="autoPauseTypeId"] [role="alert"]').waitFor();
    await choose('Pausa automática por não atender', 'Não atendeu');
    await choose('Agente preferencial', 'Último agente que atendeu');
    await dialog.getByLabel('Agente preferencial por até (s)').fill('60');
    await choose('Entrar na fila', 'Só com agentes logados');
    await dialog.getByRole('button', { name: 'Adicionar regra' }).click();
    await dialog.getByLabel('Após (s), regra 1').fill('45');
    await dialog.getByLabel('Até a prioridade, regra 1').fill('2');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const queue = (await root.must<{ items: Record<string, unknown>[] }>('GET', '/api/v1/queues')).items.find((q) => q.name === 'Suporte');
    expect(queue).toEqual(
      expect.objectContaining({
        autoPauseAfter: 2,
        stickyMode: 'last_agent',
        stickySeconds: 60,
        joinRule: 'agents_logged_in',
        leaveRule: 'never',
        priorityRules: [{ afterSeconds: 45, maxPriority: 2 }],
        destination: expect.objectContaining({ kind: 'queue', id: retention.id }),
      }),
    );
    expect(queue?.autoPauseTypeId).toEqual(expect.any(Number));
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
    let dialog = await openedDialog(page, 'Alterar serviços de 2 usuário(s)');
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
    await toggleQueue('add', '700 Cobrança');
    await toggleQueue('remove', '700 Cobrança');
    await dialog.getByLabel('Prioridade nessas filas').fill('3');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const refusal = dialog.locator('[data-field="add"] [role="alert"]');
    await expect.poll(() => refusal.textContent()).toContain('aparece ao mesmo tempo para adicionar e para retirar');
    expect(await refusal.textContent()).not.toContain('add.0.queueId');
    await toggleQueue('remove', '700 Cobrança');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => anaRow.textContent()).toContain('Cobrança (3)');
    await expect.poll(() => brunoRow.textContent()).toContain('Cobrança (3)');
    const members = (await root.must<{ members: { userId: number | null; priority: number }[] }>('GET', `/api/v1/queues/${cobranca.id}`)).members;
    expect(members).toEqual(expect.arrayContaining([expect.objectContaining({ userId: anaId, priority: 3 }), expect.objectContaining({ userId: bruno.id, priority: 3 })]));

    // Ana's skills and hours: a period that starts and ends at the same time is refused next to its end.
    await page.getByRole('button', { name: 'Atendimento de Ana Agente' }).click();
    dialog = await openedDialog(page, 'Atendimento de Ana Agente');
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

describe('reports', () => {
  it('the calls report sums a queue’s calls per day with a chart and its CSV; the activity report lists an agent’s login and logout', async () => {
    const queue = (await root.must<{ items: { id: number; name: string; tenantId: number }[] }>('GET', '/api/v1/queues')).items.find((q) => q.name === 'Suporte')!;
    const db = new Database(join(atende.dataDir, 'atende.db'));
    const insert = db.prepare(
      "INSERT INTO routed_interactions (id, tenant_id, queue_id, kind, contact_address, priority, entered_at, joined, outcome, answered_at, left_at, handled, talk_ms) VALUES (?, ?, ?, 'voice_in', '11999990000', 0, ?, 1, ?, ?, ?, 1, ?)",
    );
    const at = Date.now() - 120_000;
    insert.run('report-1', queue.tenantId, queue.id, at, 'answered', at + 8000, at + 8000, 60_000);
    insert.run('report-2', queue.tenantId, queue.id, at + 1000, 'abandoned', null, at + 31_000, 0);
    db.close();

    await open('Relatório de chamadas');
    const row = page.getByRole('row').filter({ hasText: 'Suporte' });
    await expect.poll(() => row.locator('td').allTextContents()).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), 'Suporte', '2', '1', '1', '0', expect.any(String), '8', expect.any(String)]);
    await page.getByRole('img', { name: 'Chamadas ao longo do período' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csv = await page.evaluate(async (url: string) => (await fetch(url)).text(), (await page.getByRole('link', { name: 'Baixar CSV' }).getAttribute('href'))!);
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[1]).toMatch(/^\d{4}-\d{2}-\d{2};600;Suporte;2;1;1;/);
    // A period that ends before it starts is said under "Até", and neither the report nor its CSV is offered.
    await page.getByLabel('Até', { exact: true }).fill('2020-01-01');
    await expect.poll(() => page.locator('[data-field="to"] [role=alert]').textContent()).toBe('termina antes do início');
    expect(await page.getByRole('button', { name: 'Mostrar' }).isDisabled()).toBe(true);
    expect(await page.getByRole('link', { name: 'Baixar CSV' }).count()).toBe(0);

    await open('Relatório de atividade');
    const ana = page.getByRole('row').filter({ hasText: 'Ana Agente' });
    // The live-queues test logged her in and out: one stretch available, then offline (ongoing).
    await expect.poll(() => ana.count()).toBeGreaterThanOrEqual(1);
    expect(await ana.first().textContent()).toContain('Disponível');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

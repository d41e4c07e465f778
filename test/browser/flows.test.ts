/**
 * Call-flow screens in a real browser: an admin builds a two-level IVR in the editor and the
 * path 2 → 1 ends at the voicemail box the editor shows, routes a DID to it in the inbound-route
 * form and an emulated call that presses 2 then 1 ends there, saves versions and restores one; a
 * time condition with its week of open hours, the holiday list and a forced closing, with a
 * period that ends before it starts refused next to its field; a holiday calendar by state;
 * voicemail messages heard in the browser and marked heard; a survey whose range is empty is
 * refused; the IVR report with a chart per node and its CSV; the satisfaction survey report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { VoicemailStore } from '../../src/flows/voicemail-store.js';
import { writeToneWav } from '../helpers/wav.js';
import { browserClock, keepFailure, launchBrowser, logIn, newContext, openedDialog, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

/** The part of an `<audio>` element the test drives (the test itself runs without the DOM types). */
type Audio = { play(): Promise<void>; pause(): void; currentTime: number; duration: number };

const PASSWORD = 'admin-browser-flows-1';
let atende: Atende;
let browser: Browser;
let page: Page;
let api: Api;
let problems: string[];
let tenantId: number;
let boxId: number;
let ivrId: number;

const nav = () => page.getByRole('navigation', { name: 'Navegação' });
const open = async (menu: string, heading = menu) => {
  await nav().getByRole('link', { name: menu, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
};
/** Picks an option; a long list is searched first by typing into its search box, which a screen reader names. */
const choose = async (combobox: string, option: string, within: Page | ReturnType<Page['locator']> = page, search?: string) => {
  await within.getByRole('combobox', { name: combobox, exact: true }).click();
  if (search !== undefined) await page.getByRole('searchbox', { name: 'Pesquisar' }).fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
};

/** Types into a number field as a person does: select what is there, type, leave the field. */
const typeNumber = async (field: ReturnType<Page['locator']>, value: string) => {
  await field.selectText();
  await field.pressSequentially(value);
  await field.press('Tab');
};

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: PASSWORD });
  api = await atende.api('admin', PASSWORD);
  tenantId = (await api.must<{ tenantId: number }>('GET', '/api/v1/me')).tenantId;
  boxId = (await api.must<{ id: number }>('POST', '/api/v1/flows/voicemail-boxes', { name: 'Suporte', number: '500' })).id;
  browser = await launchBrowser();
  page = await (await newContext(browser, atende)).newPage();
  problems = watchProblems(page, [/WebSocket connection to .* failed/]);
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

describe('call flows', () => {
  it('an admin builds a two-level IVR; 2 then 1 ends at the voicemail box the editor shows; versions are kept and restored', async () => {
    await open('URAs');
    await page.getByRole('button', { name: 'Nova URA' }).click();
    const dialog = await openedDialog(page, 'Nova URA');
    await dialog.getByLabel('Nome').fill('Atendimento');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('heading', { name: 'URA Atendimento', level: 1 }).waitFor();
    ivrId = Number(/\/flows\/ivrs\/(\d+)/.exec(page.url())![1]);
    await page.getByText('Versão atual: 1').waitFor();

    // A submenu under the main menu: the next free key (2) leads to it.
    await page.getByRole('button', { name: 'Novo submenu' }).click();
    const flow = page.getByRole('region', { name: 'Fluxo' });
    await flow.getByRole('button', { name: 'Menu: Submenu 1' }).waitFor();
    await expect.poll(() => flow.textContent()).toMatch(/Tecla 2\s*Menu: Submenu 1/);
    // In the submenu, key 1 goes to the Suporte voicemail box.
    const node = page.getByRole('region', { name: 'Nó Submenu 1' });
    await choose('Tecla 1 leva a', 'Um destino…', node);
    await choose('Tecla 1 leva a: tipo', 'Caixa postal', node);
    await choose('Tecla 1 leva a: qual', 'Suporte', node);
    await expect.poll(() => flow.textContent()).toContain('Caixa postal Suporte');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Salvar nova versão' }).click();
    await page.getByText('Versão atual: 2').waitFor();

    await page.getByLabel('Teclas').fill('21');
    await page.getByRole('button', { name: 'Testar', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'A ligação termina em' }).textContent()).toBe('A ligação termina em: Caixa postal Suporte');
    const steps = page.getByRole('region', { name: 'Testar o caminho' }).getByRole('listitem');
    await expect.poll(() => steps.allTextContents()).toEqual(['Entra em Menu principal', 'Em Menu principal, tecla 2', 'Entra em Submenu 1', 'Em Submenu 1, tecla 1', 'Sai de Submenu 1']);

    // What the server stored is what the editor showed.
    const saved = await api.must<{ version: number; definition: { nodes: { id: string; options?: { digit: string; target: unknown }[] }[] } }>('GET', `/api/v1/flows/ivrs/${ivrId}`);
    expect(saved.version).toBe(2);
    expect(saved.definition.nodes.find((n) => n.id === 'menu1')?.options).toEqual([{ digit: '1', target: { destination: { kind: 'voicemail', id: boxId } } }]);

    // Restoring version 1 makes version 3, and 2 then 1 no longer reaches the box.
    await page.getByRole('button', { name: 'Restaurar a versão 1' }).click();
    await page.getByText('Versão atual: 3').waitFor();
    await page.getByRole('button', { name: 'Testar', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'A ligação termina em' }).textContent()).toBe('A ligação termina em: Desligar, causa 16');
    const versions = page.getByRole('region', { name: 'Versões' }).getByRole('row');
    await expect.poll(() => versions.nth(1).textContent()).toContain('restaurada da versão 1');
    expect(problems).toEqual([]);
  });

  it('a time condition shows its week and the holidays of its calendar, refuses a period that ends before it starts, and is forced closed', async () => {
    const calendar = await api.must<{ id: number }>('POST', '/api/v1/flows/holiday-calendars', { name: 'São Paulo', state: 'SP' });
    await open('Condições de horário');
    await page.getByRole('button', { name: 'Nova condição de horário' }).click();
    const dialog = await openedDialog(page, 'Nova condição de horário');
    await dialog.getByLabel('Nome', { exact: true }).fill('Comercial');
    const week = dialog.getByRole('table', { name: 'Semana de atendimento' });
    await expect.poll(() => week.getByRole('row', { name: /Segunda/ }).textContent()).toContain('08:00–18:00');
    await expect.poll(() => week.getByRole('row', { name: /Domingo/ }).textContent()).toContain('fechado');

    await dialog.getByLabel('Fim do período 1').fill('07:00');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const endField = dialog.locator('[data-field="periods.0.end"]');
    await endField.getByRole('alert').waitFor();
    expect(await endField.getByRole('alert').textContent()).toContain('07:00 não é depois do início 08:00');
    await dialog.getByLabel('Fim do período 1').fill('18:00');

    await choose('Calendário de feriados', 'São Paulo', dialog);
    const year = browserClock(Date.now()).year;
    await dialog.getByText(`${year}-12-25 — Natal`).waitFor();
    await dialog.getByText(`${year}-07-09 — Revolução Constitucionalista`).waitFor();
    await choose('Forçar', 'Forçar fechado', dialog);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: 'Comercial' });
    await expect.poll(() => row.textContent()).toMatch(/Fechado\s*\(forçado manualmente\)/);
    const stored = await api.must<{ items: { calendarId: number; override: { state: string; until: string | null } }[] }>('GET', '/api/v1/flows/time-conditions');
    expect(stored.items[0]).toMatchObject({ calendarId: calendar.id, override: { state: 'closed', until: null } });
    expect(problems).toEqual([]);
  });

  it("a holiday calendar offers a state's cities and shows the year's days", async () => {
    await open('Feriados');
    await page.getByRole('button', { name: 'Novo calendário de feriados' }).click();
    const dialog = await openedDialog(page, 'Novo calendário de feriados');
    await dialog.getByLabel('Nome', { exact: true }).fill('Rio');
    await choose('Estado', 'Rio de Janeiro', dialog, 'Rio de J');
    await dialog.getByText(/-04-23 — Dia de São Jorge/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /^Rio RJ 0/ }).waitFor();
  });

  it('a voicemail message is played in the browser and marked heard', async () => {
    const wav = join(atende.dataDir, 'recado.wav');
    await writeToneWav(wav, 2000, 440);
    const file = new VoicemailStore(atende.dataDir).save({ tenantId, boxId }, readFileSync(wav));
    const db = new Database(join(atende.dataDir, 'atende.db'));
    db.prepare(
      'INSERT INTO voicemail_messages (tenant_id, box_id, call_id, from_number, from_name, duration_ms, file, bytes, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(tenantId, boxId, 'call-vm-1', '+5511987654321', 'Maria', 2000, file, readFileSync(wav).length, Date.now());
    db.close();

    await open('Caixas postais');
    const boxRow = page.getByRole('row').filter({ hasText: 'Suporte' });
    await expect.poll(() => boxRow.textContent()).toContain('1 (1 não ouvidas)');
    await page.getByRole('button', { name: 'Mensagens de Suporte' }).click();
    const player = page.getByLabel('Ouvir a mensagem de Maria (+5511987654321)');
    await player.evaluate((a: Audio) => a.play());
    await expect.poll(() => player.evaluate((a: Audio) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.2);
    expect(Math.abs((await player.evaluate((a: Audio) => a.duration)) - 2)).toBeLessThan(0.05);
    await player.evaluate((a: Audio) => a.pause());
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Marcar como ouvida a mensagem de Maria (+5511987654321)' }).click();
    await expect.poll(() => boxRow.textContent()).toContain('1 (0 não ouvidas)');
    await page.getByRole('button', { name: 'Marcar como não ouvida a mensagem de Maria (+5511987654321)' }).waitFor();
    await page.getByText('Só as não ouvidas').click();
    await page.getByText('Nenhuma mensagem.').waitFor();
    expect(problems).toEqual([]);
  });

  it('a survey question without a title, or whose range is empty, is refused next to its field; fixed, the survey is listed', async () => {
    await open('Pesquisas de satisfação');
    await page.getByRole('button', { name: 'Nova pesquisa' }).click();
    const dialog = await openedDialog(page, 'Nova pesquisa');
    await dialog.getByLabel('Nome', { exact: true }).fill('Pós-atendimento');
    await dialog.getByLabel('Título da pergunta 1').fill('   ');
    // The prompt list opens from the keyboard (its box is drawn over the combobox input).
    await dialog.getByRole('combobox', { name: 'Áudio da pergunta 1' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'Atende: survey-intro' }).click();
    await page.keyboard.press('Escape');
    await typeNumber(dialog.getByLabel('Menor nota da pergunta 1'), '5');
    await typeNumber(dialog.getByLabel('Maior nota da pergunta 1'), '1');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    // A title of spaces only is no title: the server's refusal is shown under it.
    const aliasField = dialog.locator('[data-field="questions.0.alias"]');
    await aliasField.getByRole('alert').waitFor();
    expect(await aliasField.getByRole('alert').textContent()).toContain('obrigatório');
    await dialog.getByLabel('Título da pergunta 1').fill('Atendimento');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    const maxField = dialog.locator('[data-field="questions.0.max"]');
    await maxField.getByRole('alert').waitFor();
    expect(await maxField.getByRole('alert').textContent()).toContain('a faixa 5–1 está vazia');
    await typeNumber(dialog.getByLabel('Menor nota da pergunta 1'), '1');
    await typeNumber(dialog.getByLabel('Maior nota da pergunta 1'), '5');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'Pós-atendimento' }).textContent()).toContain('Atendimento (1–5)');
  });

  it('the IVR report counts per node, draws a chart per node and downloads as CSV', async () => {
    const db = new Database(join(atende.dataDir, 'atende.db'));
    const trace = db.prepare('INSERT INTO ivr_traces (tenant_id, call_id, ivr_id, version, node, event, digits, destination, at) VALUES (?, ?, ?, 3, ?, ?, ?, ?, ?)');
    const now = Date.now();
    for (const [call, digit] of [['c1', '1'], ['c2', '1'], ['c3', null]] as const) {
      trace.run(tenantId, call, ivrId, 'main', 'entered', null, null, now - 60_000);
      if (digit) trace.run(tenantId, call, ivrId, 'main', 'option', digit, null, now - 59_000);
      else trace.run(tenantId, call, ivrId, 'main', 'abandon', null, null, now - 59_000);
    }
    db.close();

    await open('Relatório de URA');
    const row = page.getByRole('row').filter({ hasText: 'Menu principal' });
    await expect.poll(() => row.allTextContents()).toEqual([expect.stringMatching(/^AtendimentoMenu principal3.*1: 2.*1/)]);
    await page.getByRole('img', { name: 'Gráfico de Atendimento, nó Menu principal' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const href = await page.getByRole('link', { name: 'Baixar CSV' }).getAttribute('href');
    const csv = await page.evaluate(async (url: string) => (await fetch(url)).text(), href!);
    expect(csv).toContain('Atendimento');
    expect(csv.split('\n').length).toBeGreaterThan(1);
    expect(problems).toEqual([]);
  });

  it('the satisfaction survey report averages the answers, draws the marks per question and downloads one column per question', async () => {
    const survey = (await api.must<{ items: { id: number; name: string }[] }>('GET', '/api/v1/flows/surveys')).items.find((x) => x.name === 'Pós-atendimento')!;
    const db = new Database(join(atende.dataDir, 'atende.db'));
    const answer = db.prepare('INSERT INTO survey_answers (tenant_id, survey_id, call_id, alias, value, answered_at) VALUES (?, ?, ?, ?, ?, ?)');
    const now = Date.now();
    for (const [call, value] of [['s1', 5], ['s2', 4], ['s3', 2]] as const) answer.run(tenantId, survey.id, call, 'Atendimento', value, now - 60_000);
    db.close();

    await open('Pesquisa de satisfação');
    await expect.poll(() => page.locator('[data-figure="weighted"]').textContent()).toBe('3,67');
    expect(await page.locator('[data-figure="respondents"]').textContent()).toBe('3');
    await page.getByRole('img', { name: 'Notas por pergunta' }).waitFor();
    // Per question, then per service and per agent (calls no agent answered), then one row per call.
    expect(await page.getByRole('row').filter({ hasText: /^Atendimento3/ }).textContent()).toBe('Atendimento33,67');
    expect(await page.getByRole('row').filter({ hasText: /^Sem serviço/ }).textContent()).toBe('Sem serviço33,67');
    expect(await page.getByRole('row').filter({ hasText: /\d{2}:\d{2}:\d{2}/ }).allTextContents()).toEqual([
      expect.stringMatching(/Sem serviçoSem agente5$/),
      expect.stringMatching(/Sem serviçoSem agente4$/),
      expect.stringMatching(/Sem serviçoSem agente2$/),
    ]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const href = await page.getByRole('link', { name: 'Baixar CSV' }).getAttribute('href');
    const csv = await page.evaluate(async (url: string) => (await fetch(url)).text(), href!);
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('data;hora;chamada;telefone;fila;agente;Atendimento');
    expect(csv).toContain(';s1;;;;5');
    expect(problems).toEqual([]);
  });

  it('an admin routes a DID to the IVR in the inbound-route form; an emulated call that presses 2 then 1 ends at the voicemail box', async () => {
    // Version 2 is the two-level IVR the editor built (the first test restored version 1 after it).
    await api.must('POST', `/api/v1/flows/ivrs/${ivrId}/versions/2/restore`);
    await api.must('POST', '/api/v1/telephony/trunks', { name: 'operadora', host: '203.0.113.10' });
    await api.must('POST', '/api/v1/telephony/apply', {});
    await open('Rotas de entrada');
    await page.getByRole('button', { name: 'Nova rota de entrada' }).click();
    const routeDialog = await openedDialog(page, 'Nova rota de entrada');
    await routeDialog.getByLabel('Nome', { exact: true }).fill('Central');
    await routeDialog.getByLabel('DID (número chamado)').fill('1130004000');
    await choose('Destino: tipo', 'URA', routeDialog);
    await choose('Destino: qual', 'Atendimento', routeDialog);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await routeDialog.getByRole('button', { name: 'Salvar' }).click();
    await routeDialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'Central' }).textContent()).toContain('IVR Atendimento');
    const { channelId } = await api.must<{ channelId: string }>('POST', '/api/v1/emulator/calls', { did: '1130004000', from: '11987654321', via: { trunk: 'operadora' } });
    let callId = '';
    await expect
      .poll(async () => (callId = (await api.must<{ items: { callId: string; channelId: string }[] }>('GET', '/api/v1/calls')).items.find((c) => c.channelId === channelId)?.callId ?? ''))
      .not.toBe('');
    const traces = async () => (await api.must<{ traces: { node: string; event: string; destination: unknown }[] }>('GET', `/api/v1/flows/calls/${callId}`)).traces;
    const reached = async (node: string, event: string) => (await traces()).some((x) => x.node === node && x.event === event);
    await expect.poll(() => reached('main', 'entered')).toBe(true);
    await api.must('POST', `/api/v1/emulator/calls/${channelId}/dtmf`, { digits: '2' });
    await expect.poll(() => reached('menu1', 'entered')).toBe(true);
    await api.must('POST', `/api/v1/emulator/calls/${channelId}/dtmf`, { digits: '1' });
    await expect.poll(async () => (await traces()).at(-1)).toMatchObject({ node: 'menu1', event: 'exit', destination: { kind: 'voicemail', id: boxId } });
    await api.must('DELETE', `/api/v1/emulator/calls/${channelId}`);

    expect(problems).toEqual([]);
  });
});

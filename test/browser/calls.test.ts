/**
 * Calls in a real browser: a call placed from the emulator's phone panel appears in the calls
 * list and in the count of calls in progress without a reload, and ends there when the caller
 * hangs up (or when Atende does, after an announcement); the daemon stopped shows the
 * disconnected state, and the page recovers by itself when it is back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { provisionInboundDid } from '../helpers/provision.js';
import { keepFailure, launchBrowser, logIn, newContext, screenshot, seriousA11yViolations, startAtende, watchProblems, type Atende } from './harness.js';

const PASSWORD = 'super-senha-1';
const CALLER = '11987650001';
/** Routed to a conference room: the call stays up until someone hangs up. */
const ROOM_DID = '1133334444';
/** Routed to a spoken announcement, after which Atende hangs up. */
const WELCOME_DID = '1133335555';

let atende: Atende;
let browser: Browser;
let context: BrowserContext;
let calls: Page;
let panel: Page | undefined;
let problems: string[];

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: PASSWORD });
  const admin = await atende.api('admin', PASSWORD);
  const api = (method: string, path: string, body?: unknown) => admin.call(method, `/api/v1${path}`, body);
  await provisionInboundDid(api, { did: ROOM_DID, span: 1 });
  await provisionInboundDid(api, { did: WELCOME_DID, target: { say: 'Bem-vindo ao Atende.' } });
  browser = await launchBrowser();
  context = await newContext(browser, atende);
  calls = await context.newPage();
  problems = watchProblems(calls);
  await logIn(calls, 'admin', PASSWORD);
  await calls.getByRole('navigation').first().waitFor();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    await keepFailure(calls, `${ctx.task.name}-calls`);
    if (panel) await keepFailure(panel, `${ctx.task.name}-panel`);
  }
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
});

const indicator = (page: Page, name: string) => page.getByTestId(`connection-${name}`);

describe('calls, live', () => {
  it('a call placed from the emulator panel appears in the calls list without a reload, and ends there when hung up', async () => {
    await calls.goto('/calls');
    await calls.getByRole('heading', { name: 'Ligações', level: 1 }).waitFor();
    await expect.poll(() => indicator(calls, 'events').getAttribute('data-state')).toBe('up');
    await calls.evaluate('window.__sameDocument = true');

    const emulator = await context.newPage();
    panel = emulator;
    await emulator.goto('/telephony/emulator');
    await emulator.getByRole('heading', { name: 'Emulador', level: 1 }).waitFor();
    // The panel offers what was applied: span 1 only (no SIP trunk exists).
    await expect.poll(() => emulator.getByRole('combobox', { name: 'Entrada por' }).textContent()).toBe('Tronco E1 1');
    await emulator.getByLabel('Número discado (DID)', { exact: true }).fill(ROOM_DID);
    await emulator.getByLabel('Número de origem', { exact: true }).fill(CALLER);
    await emulator.getByRole('button', { name: 'Ligar' }).click();

    const row = calls.getByRole('row').filter({ hasText: CALLER });
    await row.waitFor();
    await expect.poll(() => calls.getByTestId('calls-active').textContent()).toBe('1 ligação em andamento');
    expect(await row.getByText(/Chamando|Em andamento/).count()).toBe(1);

    const channel = emulator.getByRole('row').filter({ hasText: CALLER });
    await channel.getByRole('button', { name: /^Desligar/ }).click();
    await row.getByText('Encerrada').waitFor();
    await expect.poll(() => calls.getByTestId('calls-active').textContent()).toBe('nenhuma ligação em andamento');
    expect(await row.textContent()).toContain('pela origem');
    expect(await calls.evaluate('window.__sameDocument')).toBe(true);

    expect(await seriousA11yViolations(calls), 'calls').toEqual([]);
    await screenshot(calls, 'calls');
    await emulator.getByLabel('Número discado (DID)', { exact: true }).fill(WELCOME_DID);
    await emulator.getByLabel('Número de origem', { exact: true }).fill('11987650002');
    await emulator.getByRole('button', { name: 'Ligar' }).click();
    await emulator.getByRole('row').filter({ hasText: '11987650002' }).waitFor();
    expect(await seriousA11yViolations(emulator), 'emulator panel').toEqual([]);
    await screenshot(emulator, 'emulator');
    await emulator.close();
    panel = undefined;
    // Left alone, the call hears the announcement and Atende hangs up: the list says so.
    const second = calls.getByRole('row').filter({ hasText: '11987650002' });
    await second.getByText('Encerrada').waitFor();
    expect(await second.textContent()).toContain('pelo Atende');
    await expect.poll(() => calls.getByTestId('calls-active').textContent()).toBe('nenhuma ligação em andamento');
    expect(problems).toEqual([]);
  });

  it('filters by a number in any format and by direction; the filters are in the URL and survive a reload', async () => {
    await calls.goto('/calls');
    await calls.getByLabel('Número', { exact: true }).fill('(11) 98765-0002');
    await calls.getByRole('button', { name: 'Pesquisar' }).click();
    await expect.poll(() => new URL(calls.url()).searchParams.get('number')).toBe('(11) 98765-0002');
    await calls.getByRole('row').filter({ hasText: '11987650002' }).waitFor();
    await expect.poll(() => calls.getByRole('row').filter({ hasText: CALLER }).count()).toBe(0);
    await calls.reload();
    await calls.getByRole('row').filter({ hasText: '11987650002' }).waitFor();
    expect(await calls.getByRole('row').filter({ hasText: CALLER }).count()).toBe(0);
    expect(await calls.getByLabel('Número', { exact: true }).inputValue()).toBe('(11) 98765-0002');

    await calls.getByRole('combobox', { name: 'Direção' }).click();
    await calls.getByRole('option', { name: 'Saída' }).click();
    await calls.getByRole('button', { name: 'Pesquisar' }).click();
    await calls.getByText('Nenhum registro encontrado.').waitFor();
    await calls.getByRole('button', { name: 'Limpar filtros' }).click();
    await calls.getByRole('row').filter({ hasText: CALLER }).waitFor();
    expect(problems).toEqual([]);
  });

  it('a stopped daemon shows the disconnected state; the page recovers by itself when it is back', async () => {
    await calls.goto('/calls');
    await expect.poll(() => indicator(calls, 'events').getAttribute('data-state')).toBe('up');
    await atende.stop();
    await expect.poll(() => indicator(calls, 'api').getAttribute('data-state'), { timeout: 20_000 }).toBe('down');
    await calls.getByText('Conexão com o servidor perdida').waitFor();
    await atende.start();
    await expect.poll(() => indicator(calls, 'api').getAttribute('data-state'), { timeout: 30_000 }).toBe('up');
    await expect.poll(() => indicator(calls, 'events').getAttribute('data-state'), { timeout: 30_000 }).toBe('up');
    expect(await calls.getByText('Conexão com o servidor perdida').count()).toBe(0);
    // Still logged in, and the list still works.
    await calls.getByRole('button', { name: 'Pesquisar' }).click();
    await calls.getByRole('row').filter({ hasText: CALLER }).waitFor();
  }, 120_000);
});

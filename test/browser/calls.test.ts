/**
 * Calls in a real browser: a call placed from the emulator's phone panel appears in the calls
 * list and in the count of calls in progress without a reload, and ends there when the caller
 * hangs up (or when Atende does, after an announcement); a recorded queue call plays from the
 * calls list and from the customer's history; the daemon stopped shows the disconnected
 * state, and the page recovers by itself when it is back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { provisionInboundDid } from '../helpers/provision.js';
import { browserClock, keepFailure, launchBrowser, logIn, newContext, openedDialog, screenshot, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const PASSWORD = 'super-senha-1';
const CALLER = '11987650001';
/** Routed to a conference room: the call stays up until someone hangs up. */
const ROOM_DID = '1133334444';
/** Routed to a spoken announcement, after which Atende hangs up. */
const WELCOME_DID = '1133335555';
/** Routed to a queue that records, whose agent's phone answers. */
const RECORDED_DID = '1133336666';

let atende: Atende;
let admin: Api;
let browser: Browser;
let context: BrowserContext;
let calls: Page;
let panel: Page | undefined;
let problems: string[];

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: PASSWORD });
  admin = await atende.api('admin', PASSWORD);
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

/** What the browser gets for the first bytes of an audio player's address: a WAV starts with RIFF. */
const firstBytes = async (audio: Locator) =>
  calls.evaluate(async (src) => {
    const res = await fetch(src, { headers: { range: 'bytes=0-11' } });
    return { status: res.status, text: new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).subarray(0, 4)) };
  }, (await audio.getAttribute('src'))!);

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

  it('a date and time typed into the period filter (24-hour clock) is the filter applied', async () => {
    await calls.goto('/calls');
    await calls.getByRole('row').filter({ hasText: CALLER }).waitFor();
    // As the browser's clock reads: dd/mm/yyyy HH:MM.
    const typed = (ms: number) => {
      const { date, time } = browserClock(ms);
      return `${date} ${time}`;
    };
    const from = calls.getByLabel('Início a partir de', { exact: true });
    const later = typed(Date.now() + 2 * 3_600_000);
    await from.fill(later);
    await from.press('Tab');
    await calls.getByRole('button', { name: 'Pesquisar' }).click();
    await calls.getByText('Nenhum registro encontrado.').waitFor();
    expect(await from.inputValue()).toBe(later);

    const earlier = typed(Date.now() - 2 * 3_600_000);
    await from.fill(earlier);
    await from.press('Tab');
    await calls.getByRole('button', { name: 'Pesquisar' }).click();
    await calls.getByRole('row').filter({ hasText: CALLER }).waitFor();
    expect(await from.inputValue()).toBe(earlier);
    await calls.getByRole('button', { name: 'Limpar filtros' }).click();
    expect(problems).toEqual([]);
  });

  it('a queue call an agent answered is recorded: the recording plays from the customer’s call, from the agent’s leg and from the customer’s history', async () => {
    const agentId = (
      await admin.must<{ id: number }>('POST', '/api/v1/users', {
        name: 'Ana Gravada',
        login: 'ana.gravada',
        level: 'agent',
        password: 'senha-da-agente-1',
        passwordChangeRequired: false,
        extension: '2001',
        flags: { callCenter: true },
        concurrency: { voice: 1 },
      })
    ).id;
    const phone = await admin.must<{ secret: string }>('POST', '/api/v1/telephony/extensions', { number: '2001', displayName: 'Ana Gravada', kind: 'softphone', userId: agentId });
    const queue = await admin.must<{ id: number }>('POST', '/api/v1/queues', { name: 'Gravada', number: '790', strategy: 'linear', record: true, members: [{ userId: agentId }] });
    await admin.must('POST', '/api/v1/telephony/inbound-routes', { name: 'Gravada', did: RECORDED_DID, destination: { kind: 'queue', id: queue.id } });
    expect((await admin.must<{ ok: boolean }>('POST', '/api/v1/telephony/apply', {})).ok).toBe(true);
    await admin.must('PUT', '/api/v1/emulator/phones/2001', { registered: true, behaviour: 'answer', password: phone.secret });
    await (await atende.api('ana.gravada', 'senha-da-agente-1')).must('POST', '/api/v1/agent/login');

    const customer = await admin.must<{ id: number }>('POST', '/api/v1/contacts', { name: 'Cliente Gravado', phones: [{ number: '11987650003' }] });
    const { channelId } = await admin.must<{ channelId: string }>('POST', '/api/v1/emulator/calls', { did: RECORDED_DID, from: '11987650003', via: { span: 1 } });
    const talking = async () => (await admin.must<{ name: string; state: string }[]>('GET', '/api/v1/emulator/channels')).some((c) => c.name.startsWith('PJSIP/2001') && c.state === 'Up');
    await expect.poll(talking).toBe(true);
    // A few seconds of conversation, then the customer hangs up.
    await calls.waitForTimeout(2000);
    await admin.must('DELETE', `/api/v1/emulator/calls/${channelId}`);

    await calls.goto('/calls?number=11987650003');
    const rows = calls.getByRole('row').filter({ hasText: '11987650003' });
    await expect.poll(() => rows.getByText('Encerrada').count()).toBe(2);
    for (const direction of ['Entrada', 'Interna']) {
      await rows.filter({ hasText: direction }).getByRole('button', { name: /^Gravações/ }).click();
      const dialog = await openedDialog(calls, /^Gravações/);
      const audio = dialog.locator('audio');
      await audio.waitFor();
      expect(await audio.count()).toBe(1);
      // The player's address serves the WAV Asterisk wrote.
      expect(await firstBytes(audio)).toEqual({ status: 206, text: 'RIFF' });
      expect(await seriousA11yViolations(calls)).toEqual([]);
      await calls.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }

    // The customer's history has the call with its recording, played from there too.
    await calls.goto(`/contacts/${customer.id}`);
    const timeline = calls.getByRole('region', { name: 'Histórico' });
    const call = timeline.getByRole('row').filter({ hasText: 'Gravada' });
    await call.waitFor();
    const player = call.locator('audio');
    expect(await player.count()).toBe(1);
    expect(await player.getAttribute('aria-label')).toMatch(/^Gravação 1 de \d{14}, \d+:\d\d$/);
    expect(await firstBytes(player)).toEqual({ status: 206, text: 'RIFF' });
    expect(await seriousA11yViolations(calls)).toEqual([]);
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

/**
 * The supervisor's live panel and the wallboard in a real browser: a supervisor watches a queue
 * while an agent of its team logs in, forces the agent into a pause with a reason and sees the
 * state change; a customer's call (from the emulator) waits, then, the pause ended from the panel,
 * is answered on the agent's desk (a second browser context with its webphone): the customer
 * moves from waiting to in service with the agent, all without a reload, and the supervisor
 * listens in on its own (emulated) phone, then stops listening. Another agent's manual call is
 * listened to as well, then taken over. Once the agent belongs
 * to another team, the panel says the action was refused. The wallboard shows the queue's
 * figures large and moves on to the next queue.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseOption, FAKE_MEDIA, keepFailure, launchBrowser, logIn, newContext, openedDialog, screenshot, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-painel-1';
const PASSWORD = 'senha-do-painel-1';
const DID = '1133338000';
const CALLER = '11976543210';

let atende: Atende;
let root: Api;
let ana: Api;
let browser: Browser;
let page: Page;
let desk: BrowserContext | undefined;
let problems: string[];
let anaId = 0;
let vendasId = 0;
let verdeId = 0;
let betoId = 0;
let q = '';

const user = async (name: string, login: string, level: 'agent' | 'supervisor', extra: Record<string, unknown> = {}) =>
  (await root.must<{ id: number }>('POST', `/api/v1/users${q}`, { name, login, level, password: PASSWORD, passwordChangeRequired: false, ...extra })).id;

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD });
  root = await atende.api('admin', ADMIN_PASSWORD);
  const { tenantId } = await root.must<{ tenantId: number }>('GET', '/api/v1/me');
  q = `?tenantId=${tenantId}`;
  const sara = await user('Sara Supervisora', 'sara.supervisora', 'supervisor', { extension: '2109' });
  const vitor = await user('Vitor Supervisor', 'vitor.supervisor', 'supervisor');
  const azul = (await root.must<{ id: number }>('POST', `/api/v1/teams${q}`, { name: 'Equipe Azul', supervisorIds: [sara] })).id;
  verdeId = (await root.must<{ id: number }>('POST', `/api/v1/teams${q}`, { name: 'Equipe Verde', supervisorIds: [vitor] })).id;
  anaId = await user('Ana Agente', 'ana.agente', 'agent', { teamId: azul, extension: '2101', flags: { callCenter: true }, concurrency: { voice: 1 } });
  await root.must('POST', `/api/v1/telephony/extensions${q}`, { number: '2101', displayName: 'Ana Agente', kind: 'webrtc', userId: anaId });
  const saraPhone = await root.must<{ secret: string }>('POST', `/api/v1/telephony/extensions${q}`, { number: '2109', displayName: 'Sara Supervisora', kind: 'softphone', userId: sara });
  // Beto, of Sara's team too, keeps Suporte on her panel when Ana leaves the team (last test).
  const beto = await user('Beto Agente', 'beto.agente', 'agent', { teamId: azul, extension: '2102', flags: { callCenter: true }, concurrency: { voice: 1 } });
  betoId = beto;
  const betoPhone = await root.must<{ secret: string }>('POST', `/api/v1/telephony/extensions${q}`, { number: '2102', displayName: 'Beto Agente', kind: 'softphone', userId: beto });
  const suporte = await root.must<{ id: number }>('POST', `/api/v1/queues${q}`, { name: 'Suporte', number: '710', strategy: 'linear', members: [{ userId: anaId }, { userId: beto }] });
  vendasId = (await root.must<{ id: number }>('POST', `/api/v1/queues${q}`, { name: 'Vendas', number: '711', strategy: 'linear', members: [{ userId: anaId }] })).id;
  const trunk = await root.must<{ id: number }>('POST', `/api/v1/telephony/trunks${q}`, { name: 'operadora', host: 'sip.provider.example.net' });
  await root.must('POST', `/api/v1/telephony/outbound-routes${q}`, { name: 'Internacional', rules: [{ pattern: '_00.' }], trunks: [{ trunkId: trunk.id }] });
  await root.must('POST', `/api/v1/telephony/inbound-routes${q}`, { name: 'Suporte', did: DID, destination: { kind: 'queue', id: suporte.id } });
  await root.must('POST', `/api/v1/pause-types${q}`, { reason: 'Café', maxDurationMinutes: 10 });
  await root.must('POST', `/api/v1/pause-types${q}`, { reason: 'Feedback', maxDurationMinutes: 30 });
  expect((await root.must<{ ok: boolean }>('POST', `/api/v1/telephony/apply${q}`, {})).ok).toBe(true);
  // The supervisor's desk phone answers when Atende rings it.
  await root.must('PUT', '/api/v1/emulator/phones/2109', { registered: true, behaviour: 'answer', password: saraPhone.secret });
  await root.must('PUT', '/api/v1/emulator/phones/2102', { registered: true, behaviour: 'answer', password: betoPhone.secret });
  ana = await atende.api('ana.agente', PASSWORD);
  // The agent's desk registers its webphone with a fake microphone.
  browser = await launchBrowser(FAKE_MEDIA);
  page = await (await newContext(browser, atende)).newPage();
  problems = watchProblems(page);
  await logIn(page, 'sara.supervisora', PASSWORD);
  await page.getByRole('navigation', { name: 'Navegação' }).waitFor();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
});

afterAll(async () => {
  await desk?.close();
  await browser?.close();
  await atende?.close();
});

const anaRow = () => page.getByTestId('agents').getByRole('row', { name: /Ana Agente/ });
const anaState = () => root.must<{ state: string; pause: { reason: string; cause: string } | null }>('GET', `/api/v1/agents/${anaId}${q}`);
/** The value of one of the panel's figures ("Em espera", "Maior espera"…). */
const figure = async (key: string) => ((await page.getByTestId('figures').locator(`[data-figure="${key}"] .figure-value`).textContent()) ?? '').trim();

describe('supervisor panel', () => {
  it('shows an agent logging in, a pause it forces, a waiting call and then the call in service, without a reload', async () => {
    await page.getByRole('navigation', { name: 'Navegação' }).getByRole('link', { name: 'Painel do supervisor', exact: true }).click();
    await page.getByRole('heading', { name: 'Painel do supervisor', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Fila' }).getByText('Suporte').waitFor();
    await anaRow().getByText('Fora das filas').waitFor();
    await page.getByTestId('waiting').getByText('Ninguém esperando.').waitFor();
    expect(await figure('waiting')).toBe('0');
    expect(await figure('longestWait')).toBe('—');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await ana.must('POST', '/api/v1/agent/login');
    await anaRow().getByText('Disponível').waitFor();

    await anaRow().getByRole('button', { name: 'Forçar pausa de Ana Agente' }).click();
    const dialog = await openedDialog(page, 'Forçar pausa de Ana Agente');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Motivo da pausa' }), 'Feedback');
    await dialog.getByRole('button', { name: 'Pausar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await anaRow().getByText('Em pausa').waitFor();
    await anaRow().getByText('Feedback').waitFor();
    const paused = await anaState();
    expect(paused.state).toBe('paused');
    expect(paused.pause).toMatchObject({ reason: 'Feedback', cause: 'forced' });

    // Nobody free: the customer waits, and the panel shows it at once.
    await root.must('POST', '/api/v1/emulator/calls', { did: DID, from: CALLER, via: { trunk: 'operadora' } });
    const waiting = page.getByTestId('waiting').getByRole('row', { name: new RegExp(CALLER) });
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('Voz');
    await expect.poll(() => figure('waiting')).toBe('1');
    expect(await figure('longestWait')).toMatch(/^0:\d\d$/);
    // The time in queue counts up by itself between events.
    const first = await waiting.locator('[data-cell="wait"]').textContent();
    await expect.poll(async () => waiting.locator('[data-cell="wait"]').textContent()).not.toBe(first);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Ana opens her desk (its webphone registers); the supervisor ends her pause; the call rings there.
    desk = await newContext(browser, atende);
    const agentPage = await desk.newPage();
    await logIn(agentPage, 'ana.agente', PASSWORD);
    await agentPage.getByTestId('desk-phone').getByText('Registrado').waitFor();
    await expect.poll(async () => (await root.must<{ registered: boolean }>('GET', `/api/v1/agents/${anaId}${q}`)).registered).toBe(true);
    await anaRow().getByRole('button', { name: 'Tirar da pausa: Ana Agente' }).click();
    await agentPage.getByRole('button', { name: 'Atender' }).click();

    const inService = page.getByTestId('in-service').getByRole('row', { name: new RegExp(CALLER) });
    await inService.waitFor();
    expect(await inService.textContent()).toContain('Ana Agente');
    await page.getByTestId('waiting').getByText('Ninguém esperando.').waitFor();
    await anaRow().getByText('Em atendimento').waitFor();
    expect(await anaRow().textContent()).toContain(`Voz: ${CALLER}`);
    expect(await figure('waiting')).toBe('0');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The panel from its top: the figures and the queue's charts.
    await page.getByRole('heading', { name: 'Painel do supervisor', level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, 'supervisor-panel');

    // Sara listens in: her own phone rings and answers, bridged with a snoop on Ana's leg.
    await anaRow().getByRole('button', { name: 'Ouvir a chamada de Ana Agente' }).click();
    await page.getByTestId('supervising').getByText('Seu ramal 2109 está tocando: atenda para ouvir a chamada (Ana Agente).').waitFor();
    const channels = async () => root.must<{ name: string; state: string }[]>('GET', '/api/v1/emulator/channels');
    await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('PJSIP/2109-') && c.state === 'Up')).toBe(true);
    await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('Snoop/'))).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Taking the call over hangs Ana up: it is asked first, and may be called off.
    await anaRow().getByRole('button', { name: /^Puxar chamada de Ana Agente/ }).click();
    const takeOver = page.getByRole('alertdialog', { name: 'Puxar a chamada de Ana Agente?' });
    await takeOver.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await takeOver.getByRole('button', { name: 'Cancelar' }).click();
    await takeOver.waitFor({ state: 'hidden' });
    expect((await anaState()).state).toBe('busy');

    // Sara stops listening: her phone's leg and the snoop are hung up; Ana's call goes on.
    await anaRow().getByRole('button', { name: 'Parar de ouvir a ligação de Ana Agente' }).click();
    await page.getByTestId('supervising').getByText('Você saiu da ligação de Ana Agente.').waitFor();
    await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('PJSIP/2109-') || c.name.startsWith('Snoop/'))).toBe(false);
    expect(await anaRow().getByRole('button', { name: 'Parar de ouvir a ligação de Ana Agente' }).count()).toBe(0);
    expect((await anaState()).state).toBe('busy');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Ana is in Vendas too, but the customer waited in Suporte: nobody is in service in Vendas.
    await chooseOption(page, page.getByRole('combobox', { name: 'Fila' }), 'Vendas');
    await page.getByTestId('in-service').getByText('Ninguém em atendimento nesta fila.').waitFor();
    expect(await page.getByTestId('in-service').textContent()).not.toContain(CALLER);
    await chooseOption(page, page.getByRole('combobox', { name: 'Fila' }), 'Suporte');
    await inService.waitFor();
  });

  it('the wallboard shows the queue large and moves on to the next queue', async () => {
    await page.getByRole('link', { name: 'Wallboard' }).first().click();
    // Held on the first queue while it is read.
    await page.getByRole('button', { name: 'Parar a rotação' }).click();
    await page.getByTestId('wallboard-queue').getByText('Suporte').waitFor();
    expect(await page.getByText('Fila 1 de 2').count()).toBe(1);
    const board = page.getByTestId('wallboard');
    const value = async (what: string) => ((await board.locator(`[${what}] .wb-value`).textContent()) ?? '').trim();
    await expect.poll(() => value('data-agents="busy"')).toBe('1');
    expect(await value('data-figure="waiting"')).toBe('0');
    await expect.poll(() => value('data-figure="abandoned"')).toBe('0');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'wallboard');
    await page.getByRole('button', { name: 'Próxima fila' }).click();
    await page.getByTestId('wallboard-queue').getByText('Vendas').waitFor();
    // Left alone, it comes back round to the first queue after the chosen period.
    await chooseOption(page, page.getByRole('combobox', { name: 'Trocar a cada' }), '10 s');
    await page.getByRole('button', { name: 'Retomar a rotação' }).click();
    await page.getByTestId('wallboard-queue').getByText('Suporte').waitFor({ timeout: 25_000 });
    expect(new URL(page.url()).searchParams.get('every')).toBe('10');
    // Ana, the only agent of Sara's team in Vendas, leaves it: the wallboard drops it without a reload.
    await root.must('PATCH', `/api/v1/queues/${vendasId}${q}`, { members: [] });
    await page.getByText('Fila 1 de 1').waitFor();
    await page.getByTestId('wallboard-queue').getByText('Suporte').waitFor();
  });

  const channels = async () => root.must<{ id: string; name: string; state: string; connected: { number: string } }[]>('GET', '/api/v1/emulator/channels');
  /**
   * On the supervisor panel, Beto (logged in) calls `number` from his desk: his softphone rings
   * and answers, then the number answers on the trunk (Ana's customer came in on it too).
   */
  async function betoCalls(number: string) {
    await page.getByRole('navigation', { name: 'Navegação' }).getByRole('link', { name: 'Painel do supervisor', exact: true }).click();
    const betoRow = page.getByTestId('agents').getByRole('row', { name: /Beto Agente/ });
    const beto = await atende.api('beto.agente', PASSWORD);
    await beto.must('POST', '/api/v1/agent/login');
    await expect.poll(async () => (await root.must<{ registered: boolean }>('GET', `/api/v1/agents/${betoId}${q}`)).registered).toBe(true);
    await beto.must('POST', '/api/v1/agent/dial', { number });
    const outside = async () => (await channels()).find((c) => c.name.startsWith('PJSIP/operadora-') && c.connected.number === number);
    await expect.poll(async () => (await outside())?.state).toBe('Up');
    return { beto, betoRow, outside };
  }

  it('an agent’s own (manual) call is listened to from the panel, then taken over', async () => {
    const { beto, betoRow, outside } = await betoCalls('0012125551230');
    await betoRow.getByText('Em atendimento').waitFor();
    // Answered outside, the call is his interaction now; the panel says whom he called, and the queue's customers do not list it.
    await betoRow.getByText('Ligação manual: 0012125551230').waitFor();
    expect(await page.getByTestId('in-service').textContent()).not.toContain('Beto Agente');
    const listen = betoRow.getByRole('button', { name: 'Ouvir a chamada de Beto Agente' });
    await listen.waitFor();
    expect(await betoRow.getByRole('button', { name: /^Sussurrar para Beto Agente/ }).count()).toBe(1);
    await listen.click();
    await page.getByTestId('supervising').getByText('Seu ramal 2109 está tocando: atenda para ouvir a chamada (Beto Agente).').waitFor();
    await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('PJSIP/2109-') && c.state === 'Up')).toBe(true);
    await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('Snoop/'))).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Sara takes the call over (asked first): Beto's phone is hung up and he is free; Sara talks on with the number.
    await betoRow.getByRole('button', { name: /^Puxar chamada de Beto Agente/ }).click();
    const takeOver = page.getByRole('alertdialog', { name: 'Puxar a chamada de Beto Agente?' });
    await takeOver.getByRole('button', { name: 'Puxar chamada' }).click();
    await takeOver.waitFor({ state: 'hidden' });
    await betoRow.getByText('Disponível').waitFor();
    const now = await channels();
    expect(now.some((c) => c.name.startsWith('PJSIP/2102-'))).toBe(false);
    expect(now.find((c) => c.name.startsWith('PJSIP/2109-'))?.state).toBe('Up');
    expect((await outside())?.state).toBe('Up');
    // The number hangs up: Sara's phone is hung up with the call.
    await root.must('DELETE', `/api/v1/emulator/calls/${encodeURIComponent((await outside())!.id)}`);
    await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('PJSIP/2109-') || c.name.startsWith('Snoop/'))).toBe(false);
    await beto.must('POST', '/api/v1/agent/logout');
  });

  it('a listen whose call ends while the supervisor’s phone rings says so on the panel', async () => {
    const { beto, betoRow, outside } = await betoCalls('0012125551231');
    await betoRow.getByText('Ligação manual: 0012125551231').waitFor();
    // Sara's phone rings and is not answered; meanwhile the number hangs up.
    await root.must('PUT', '/api/v1/emulator/phones/2109', { behaviour: 'no-answer' });
    try {
      await betoRow.getByRole('button', { name: 'Ouvir a chamada de Beto Agente' }).click();
      await page.getByTestId('supervising').getByText('Seu ramal 2109 está tocando: atenda para ouvir a chamada (Beto Agente).').waitFor();
      await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('PJSIP/2109-'))).toBe(true);
      await root.must('DELETE', `/api/v1/emulator/calls/${encodeURIComponent((await outside())!.id)}`);
      await page.getByTestId('refusal').getByText('A ligação de Beto Agente terminou antes de você atender: não foi possível ouvir a chamada.').waitFor();
      expect(await page.getByTestId('supervising').count()).toBe(0);
      await expect.poll(async () => (await channels()).some((c) => c.name.startsWith('PJSIP/2109-'))).toBe(false);
      expect(await betoRow.getByRole('button', { name: /^Parar de ouvir/ }).count()).toBe(0);
    } finally {
      await root.must('PUT', '/api/v1/emulator/phones/2109', { behaviour: 'answer' });
      await beto.must('POST', '/api/v1/agent/logout');
    }
  });

  it('a supervisor cannot act on an agent of a team it does not supervise: the refusal is shown', async () => {
    const vitor = await atende.api('vitor.supervisor', PASSWORD);
    expect((await vitor.call('POST', `/api/v1/agents/${anaId}/logout`)).status).toBe(403);
    expect((await vitor.must<{ items: { userId: number }[] }>('GET', '/api/v1/agents')).items.map((a) => a.userId)).not.toContain(anaId);

    await page.getByRole('navigation', { name: 'Navegação' }).getByRole('link', { name: 'Painel do supervisor', exact: true }).click();
    await anaRow().getByText('Em atendimento').waitFor();
    // Ana moves to the green team while the panel still lists her.
    await root.must('PATCH', `/api/v1/users/${anaId}`, { teamId: verdeId });
    await anaRow().getByRole('button', { name: 'Forçar saída de Ana Agente' }).click();
    await page.getByTestId('refusal').getByText('Recusado: Ana Agente não está numa equipe que você supervisiona.').waitFor();
    expect((await anaState()).state).toBe('busy');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

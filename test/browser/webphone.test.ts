/**
 * The webphone in a real browser with a fake microphone: an agent's extension registers over
 * SIP WebSocket to the emulated Asterisk, a call rings, is answered, and audio really flows
 * both ways over DTLS-SRTP (the page's WebRTC statistics show a non-silent inbound level; the
 * emulator hears the fake microphone), DTMF arrives as RFC 4733 events, hold reaches the
 * emulator, and hanging up ends the channel. A refused password, an unreachable WebSocket and
 * a user without an extension are each said plainly, and the phone is then not registered.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { keepFailure, launchBrowser, logIn, newContext, screenshot, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-1';
const PASSWORD = 'senha-do-agente-1';
const EXTENSION = '1005';

interface Webphones {
  registrations: { aor: string; userAgent: string }[];
  calls: { channelId: string; aor: string; held: boolean; connection: string; packetsSent: number; packetsReceived: number; peakLevel: number; digits: string }[];
}

let atende: Atende;
let root: Api;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  atende = await startAtende({ ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD });
  root = await atende.api('admin', ADMIN_PASSWORD);
  const tenant = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Central Verde Ltda', cnpj: validCnpj(41) })).id;
  const user = { level: 'agent', password: PASSWORD, passwordChangeRequired: false };
  await root.must('POST', `/api/v1/users?tenantId=${tenant}`, { ...user, name: 'Ana Operadora', login: 'ana.operadora', extension: EXTENSION });
  await root.must('POST', `/api/v1/users?tenantId=${tenant}`, { ...user, name: 'Bruno Sem Ramal', login: 'bruno.silva' });
  browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await atende?.close();
});

async function openPhone(login: string): Promise<string[]> {
  context = await newContext(browser, atende);
  page = await context.newPage();
  const problems = watchProblems(page);
  await logIn(page, login, PASSWORD);
  await page.getByRole('navigation').first().waitFor();
  await page.goto('/webphone');
  await page.getByRole('heading', { name: 'Telefone', level: 1 }).waitFor();
  return problems;
}

const registration = () => page.getByTestId('registration');
const webphones = () => root.must<Webphones>('GET', '/api/v1/emulator/webphones');

describe('webphone', () => {
  it('registers, rings, answers with audio both ways, sends DTMF, holds and hangs up', async () => {
    const problems = await openPhone('ana.operadora');
    await registration().getByText('Registrado').waitFor();
    expect(await registration().textContent()).toContain(`Ramal ${EXTENSION}`);
    await expect.poll(async () => (await webphones()).registrations.map((r) => r.aor)).toEqual([EXTENSION]);
    expect((await webphones()).registrations[0]?.userAgent).toBe('Atende webphone');

    // The second fake microphone is the one the call uses (the emulator hears it below).
    await page.getByRole('combobox', { name: 'Microfone' }).click();
    const mics = page.getByRole('option');
    await expect.poll(() => mics.count()).toBeGreaterThan(1);
    const chosen = (await mics.nth(1).textContent()) ?? '';
    await mics.nth(1).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Microfone' }).textContent()).toBe(chosen);
    await page.getByRole('button', { name: 'Tocar som de teste' }).click();

    const { channelId } = await root.must<{ channelId: string }>('POST', `/api/v1/emulator/phones/${EXTENSION}/calls`, { from: '2001', name: 'Colega' });
    await page.getByText('Ligação de Colega (2001)').waitFor();
    await page.getByRole('button', { name: 'Atender' }).click();
    await page.getByText(/Em ligação com 2001/).waitFor();

    // Media, not only signalling: DTLS-SRTP connected, packets both ways, and neither side silent.
    await expect.poll(async () => (await webphones()).calls.find((c) => c.channelId === channelId)?.connection).toBe('connected');
    await expect.poll(async () => Number(await page.getByTestId('packets-received').textContent())).toBeGreaterThan(50);
    await expect.poll(async () => Number(await page.getByTestId('audio-level').getAttribute('value'))).toBeGreaterThan(0.01);
    await expect.poll(async () => (await webphones()).calls[0]?.peakLevel ?? 0).toBeGreaterThan(100);
    expect((await webphones()).calls[0]?.packetsSent).toBeGreaterThan(0);
    await page.getByTestId('quality').getByText(/Boa|Regular|Ruim/).waitFor();

    await page.getByRole('button', { name: 'Tecla 5' }).click();
    await page.getByRole('button', { name: 'Tecla #' }).click();
    await page.getByText('Dígitos enviados: 5#').waitFor();
    await expect.poll(async () => (await webphones()).calls[0]?.digits).toBe('5#');

    await page.getByRole('button', { name: 'Espera' }).click();
    await page.getByText('Em espera').waitFor();
    await expect.poll(async () => (await webphones()).calls[0]?.held).toBe(true);
    await page.getByRole('button', { name: 'Retomar' }).click();
    await expect.poll(async () => (await webphones()).calls[0]?.held).toBe(false);

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'webphone');

    await page.getByRole('button', { name: 'Desligar' }).click();
    await page.getByText('Ligação encerrada.').waitFor();
    await expect.poll(async () => (await root.must<{ id: string }[]>('GET', '/api/v1/emulator/channels')).some((c) => c.id === channelId)).toBe(false);
    expect((await webphones()).calls).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('a refused password is said plainly and the phone stays unregistered', async () => {
    context = await newContext(browser, atende);
    await context.route('**/api/v1/webphone/account', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { password: string };
      await route.fulfill({ response: res, json: { ...body, password: `${body.password}x` } });
    });
    page = await context.newPage();
    await logIn(page, 'ana.operadora', PASSWORD);
    await page.getByRole('navigation').first().waitFor();
    await page.goto('/webphone');
    await registration().getByText('Senha recusada').waitFor();
    await page.getByRole('alert').getByText(/recusou a senha do ramal/).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('401');
    expect((await webphones()).registrations).toEqual([]);
  });

  it('an unreachable WebSocket is said plainly', async () => {
    context = await newContext(browser, atende);
    await context.route('**/api/v1/webphone/account', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { wsUrl: string };
      // Allowed by the page's policy, but nothing there speaks SIP: the upgrade is refused.
      await route.fulfill({ response: res, json: { ...body, wsUrl: `${atende.url.replace(/^http/, 'ws')}/ws` } });
    });
    page = await context.newPage();
    await logIn(page, 'ana.operadora', PASSWORD);
    await page.getByRole('navigation').first().waitFor();
    await page.goto('/webphone');
    await registration().getByText('Servidor inacessível').waitFor();
    await page.getByRole('alert').getByText(/Não foi possível conectar ao servidor de telefonia/).waitFor();
  });

  it('a user without an extension is told to ask for one', async () => {
    const problems = await openPhone('bruno.silva');
    await registration().getByText('Sem ramal').waitFor();
    await page.getByRole('alert').getByText(/Você não tem um ramal WebRTC/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

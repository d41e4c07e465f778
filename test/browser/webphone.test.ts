/**
 * The webphone in a real browser with a fake microphone: the agent's WebRTC extension (Ramais,
 * linked to the user, applied) registers over SIP WebSocket to the emulated Asterisk, a call
 * rings, is answered, and audio really flows both ways over DTLS-SRTP (the page's WebRTC
 * statistics show a non-silent inbound level; the emulator hears the fake microphone), DTMF
 * arrives as RFC 4733 events, hold reaches the emulator, and hanging up ends the channel. The
 * browser dials another extension and an outside number through the outbound route; a network
 * blip is survived by registering again. A secret changed but not applied, an unreachable
 * WebSocket and a user without an extension are each said plainly, and the phone is then not
 * registered.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { FAKE_MEDIA, keepFailure, launchBrowser, logIn, newContext, screenshot, seriousA11yViolations, startAtende, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-1';
const PASSWORD = 'senha-do-agente-1';
const EXTENSION = '1005';
const DESK = '1006';
const DESK_SECRET = 'Mesa-Carla-Segredo-7';
let tenantQuery = '';
let extensionId = 0;

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
  tenantQuery = `?tenantId=${tenant}`;
  const user = { level: 'agent', password: PASSWORD, passwordChangeRequired: false };
  const ana = await root.must<{ id: number }>('POST', `/api/v1/users${tenantQuery}`, { ...user, name: 'Ana Operadora', login: 'ana.operadora', extension: EXTENSION });
  await root.must('POST', `/api/v1/users${tenantQuery}`, { ...user, name: 'Bruno Sem Ramal', login: 'bruno.silva' });
  // Provisioning: Ana's WebRTC extension, a colleague's desk phone, a trunk and the route out.
  extensionId = (
    await root.must<{ id: number }>('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: EXTENSION, displayName: 'Ana Operadora', kind: 'webrtc', userId: ana.id })
  ).id;
  await root.must('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: DESK, displayName: 'Carla Mesa', secret: DESK_SECRET });
  const trunk = await root.must<{ id: number }>('POST', `/api/v1/telephony/trunks${tenantQuery}`, { name: 'operadora', host: 'sip.provider.example.net' });
  await root.must('POST', `/api/v1/telephony/outbound-routes${tenantQuery}`, { name: 'Brasil', rules: [{ pattern: '_0XX.', strip: 1 }], trunks: [{ trunkId: trunk.id }] });
  await applyTelephony();
  await root.must('PUT', `/api/v1/emulator/phones/${DESK}`, { registered: true, password: DESK_SECRET, behaviour: 'answer', answerAfterMs: 300 });
  browser = await launchBrowser(FAKE_MEDIA);
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

async function applyTelephony(): Promise<void> {
  const applied = await root.must<{ ok: boolean }>('POST', `/api/v1/telephony/apply${tenantQuery}`, {});
  expect(applied.ok).toBe(true);
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

    const { channelId } = await root.must<{ channelId: string }>('POST', `/api/v1/emulator/phones/${EXTENSION}/incoming`, { from: '2001', name: 'Colega' });
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

  it('dials another extension and an outside number through the outbound route', async () => {
    const problems = await openPhone('ana.operadora');
    await registration().getByText('Registrado').waitFor();

    await page.getByLabel('Número').fill(DESK);
    await page.getByRole('button', { name: 'Ligar' }).click();
    await page.getByText(`Em ligação com ${DESK}`).waitFor();
    // The desk phone answered and is bridged: the browser hears it, the emulator hears the browser.
    await expect.poll(async () => Number(await page.getByTestId('audio-level').getAttribute('value'))).toBeGreaterThan(0.01);
    await expect.poll(async () => (await webphones()).calls[0]?.peakLevel ?? 0).toBeGreaterThan(100);
    const desk = async () => (await root.must<{ name: string }[]>('GET', '/api/v1/emulator/channels')).filter((c) => c.name.startsWith(`PJSIP/${DESK}-`));
    expect(await desk()).toHaveLength(1);
    await page.getByRole('button', { name: 'Desligar' }).click();
    await page.getByText('Ligação encerrada.').waitFor();
    await expect.poll(async () => (await desk()).length).toBe(0);

    // 0 + area code + number: the route strips the 0 and sends it to the trunk (a number ending in 0 answers).
    await page.getByLabel('Número').fill('0 11 3333-4440');
    await page.getByRole('button', { name: 'Ligar' }).click();
    await page.getByText('Tocando em 01133334440…').waitFor();
    await page.getByText('Em ligação com 01133334440').waitFor();
    const out = async () => (await root.must<{ name: string; connected: { number: string } }[]>('GET', '/api/v1/emulator/channels')).filter((c) => c.name.startsWith('PJSIP/operadora-'));
    expect((await out())[0]?.connected.number).toBe('1133334440');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Desligar' }).click();
    await expect.poll(async () => (await out()).length).toBe(0);

    // A busy number ends the call with the reason said.
    await page.getByLabel('Número').fill('01133334445');
    await page.getByRole('button', { name: 'Ligar' }).click();
    await page.getByText('Ligação encerrada: ocupado.').waitFor();
    expect(problems).toEqual([]);
  });

  it('registers again after a network blip', async () => {
    await openPhone('ana.operadora');
    await registration().getByText('Registrado').waitFor();
    expect((await root.must<{ dropped: number }>('POST', '/api/v1/emulator/webphones/drop', {})).dropped).toBe(1);
    await registration().getByText('Reconectando…').waitFor();
    await page.getByText('A conexão com o servidor de telefonia caiu').waitFor();
    await registration().getByText('Registrado').waitFor();
    await expect.poll(async () => (await webphones()).registrations.map((r) => r.aor)).toEqual([EXTENSION]);
  });

  it('a secret changed but not applied is refused by the server, said plainly, and registers once applied', async () => {
    await root.must('PATCH', `/api/v1/telephony/extensions/${extensionId}`, { secret: 'Outro-Segredo-Ana-x9' });
    try {
      await openPhone('ana.operadora');
      await registration().getByText('Senha recusada').waitFor();
      await page.getByRole('alert').getByText(/recusou a senha do ramal/).waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('401');
      expect((await webphones()).registrations).toEqual([]);
      expect(await seriousA11yViolations(page)).toEqual([]);
    } finally {
      await applyTelephony();
    }
    await page.getByRole('button', { name: 'Tentar de novo' }).click();
    await registration().getByText('Registrado').waitFor();
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

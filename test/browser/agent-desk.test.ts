/**
 * The agent's desk in a real browser (with a fake microphone for its webphone): an agent lands
 * on it after logging in, sees the services (queues) it works, logs in to them, pauses with a
 * reason and sees the time left, comes back; its state follows the events socket. A customer's
 * call to a DID routed to the agent's queue is offered to the agent: it rings on the desk's
 * webphone, pops the contact with the caller's number from the book the queue names, is answered and hung up from the desk,
 * and the wrap-up ends with Pronto; an unknown number is said to be unknown. The frequently asked
 * questions are searched on the desk.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { browserTestFile, screenshot, seriousA11yViolations, type Api } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-desk-1';
const PASSWORD = 'senha-da-agente-1';
const EXTENSION = '1007';
const DID = '1133337000';

const file = browserTestFile();
let root: Api;
let page: Page;
let problems: string[];
let anaId = 0;
let tenantQuery = '';

beforeAll(async () => {
  ({ root } = await file.start(ADMIN_PASSWORD));
  const tenant = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Central Azul Ltda', cnpj: validCnpj(43) })).id;
  tenantQuery = `?tenantId=${tenant}`;
  anaId = (
    await root.must<{ id: number }>('POST', `/api/v1/users${tenantQuery}`, {
      name: 'Ana Atendente',
      login: 'ana.atendente',
      level: 'agent',
      password: PASSWORD,
      passwordChangeRequired: false,
      extension: EXTENSION,
      flags: { callCenter: true },
      concurrency: { voice: 1 },
    })
  ).id;
  await root.must('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: EXTENSION, displayName: 'Ana Atendente', kind: 'webrtc', userId: anaId });
  // Suporte looks its callers up in a book of its own; the default book has another contact with the same number.
  const book = await root.must<{ id: number }>('POST', `/api/v1/crm/books${tenantQuery}`, { name: 'Clientes do Suporte' });
  const suporte = await root.must<{ id: number }>('POST', `/api/v1/queues${tenantQuery}`, {
    name: 'Suporte', number: '700', strategy: 'linear', wrapUpSeconds: 600, members: [{ userId: anaId }], contactBookId: book.id,
  });
  await root.must('POST', `/api/v1/queues${tenantQuery}`, { name: 'Vendas', number: '701', strategy: 'linear', members: [{ userId: anaId, priority: 2 }] });
  await root.must('POST', `/api/v1/telephony/trunks${tenantQuery}`, { name: 'operadora', host: 'sip.provider.example.net' });
  await root.must('POST', `/api/v1/telephony/inbound-routes${tenantQuery}`, { name: 'Suporte', did: DID, destination: { kind: 'queue', id: suporte.id } });
  await root.must('POST', `/api/v1/pause-types${tenantQuery}`, { reason: 'Café', maxDurationMinutes: 10 });
  const applied = await root.must<{ ok: boolean }>('POST', `/api/v1/telephony/apply${tenantQuery}`, {});
  expect(applied.ok).toBe(true);
  await root.must('POST', `/api/v1/contacts${tenantQuery}`, { name: 'Maria Cliente', bookId: book.id, phones: [{ number: '11987654321' }] });
  await root.must('POST', `/api/v1/contacts${tenantQuery}`, { name: 'Maria Lead', phones: [{ number: '11987654321' }] });
  ({ page, problems } = await file.open('ana.atendente', PASSWORD, { media: true }));
});

const agentState = () => page.getByTestId('agent-state');
const mine = () => root.must<{ state: string; pause: { reason: string } | null }>('GET', `/api/v1/agents/${anaId}${tenantQuery}`);

describe('agent desk', () => {
  it('is where the agent lands; logs in to its services, pauses with the time left and comes back', async () => {
    await page.getByRole('heading', { name: 'Minha mesa', level: 1 }).waitFor();
    await page.getByTestId('desk-phone').getByText('Registrado').waitFor();
    expect(await page.getByTestId('desk-phone').textContent()).toContain(`Ramal ${EXTENSION}`);
    await agentState().getByText('Fora das filas').waitFor();
    const services = page.getByTestId('services').getByRole('listitem');
    await expect.poll(async () => (await services.allTextContents()).map((s) => s.trim())).toEqual(['Suporte', 'Vendas']);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Entrar nas filas' }).click();
    await agentState().getByText('Disponível').waitFor();
    await expect.poll(async () => (await mine()).state).toBe('available');
    await expect.poll(() => services.filter({ hasText: 'Logado' }).count()).toBe(2);

    await page.getByRole('combobox', { name: 'Motivo da pausa' }).click();
    await page.getByRole('option', { name: 'Café' }).click();
    await page.getByRole('button', { name: 'Pausar' }).click();
    await agentState().getByText('Em pausa').waitFor();
    await page.getByText('Pausa: Café').waitFor();
    // Ten minutes allowed: what is left counts down from there.
    await expect.poll(async () => (await page.getByTestId('pause-left').textContent()) ?? '').toMatch(/^Restam (10:00|09:[0-5]\d) de pausa$/);
    expect((await mine()).pause?.reason).toBe('Café');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'agent-desk');

    await page.getByRole('button', { name: 'Voltar da pausa' }).click();
    await agentState().getByText('Disponível').waitFor();
    await expect.poll(async () => (await mine()).state).toBe('available');
  });

  it('follows a change made elsewhere without a reload (a supervisor forcing a pause)', async () => {
    const pauses = await root.must<{ items: { id: number; reason: string }[] }>('GET', `/api/v1/pause-types${tenantQuery}`);
    const cafe = pauses.items.find((p) => p.reason === 'Café')!;
    await root.must('POST', `/api/v1/agents/${anaId}/pause${tenantQuery}`, { pauseTypeId: cafe.id });
    await agentState().getByText('Em pausa').waitFor();
    await page.getByRole('button', { name: 'Voltar da pausa' }).click();
    await agentState().getByText('Disponível').waitFor();
  });

  it('a customer’s call to the queue is offered, rings on the desk with the contact, is answered, hung up and wrapped up', async () => {
    await page.getByTestId('desk-phone').getByText('Registrado').waitFor();
    await expect.poll(async () => (await root.must<{ registered: boolean }>('GET', `/api/v1/agents/${anaId}${tenantQuery}`)).registered).toBe(true);
    const { channelId } = await root.must<{ channelId: string }>('POST', '/api/v1/emulator/calls', { did: DID, from: '11987654321', via: { trunk: 'operadora' } });
    await page.getByText(/Ligação de .*11987654321/).waitFor();
    await agentState().getByText('Recebendo chamada').waitFor();
    const pop = page.getByTestId('contact-pop');
    await pop.getByRole('link', { name: 'Maria Cliente' }).waitFor();
    expect(await pop.textContent()).toContain('(11) 98765-4321');
    // Only the queue's book: the lead of the default book with the same number is not this caller.
    await expect.poll(() => pop.getByRole('link').allTextContents()).toEqual(['Maria Cliente']);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Atender' }).click();
    await page.getByText(/Em atendimento com .*11987654321/).waitFor();
    await agentState().getByText('Em atendimento').waitFor();
    await page.getByRole('button', { name: 'Desligar' }).click();
    await expect.poll(async () => (await root.must<{ id: string }[]>('GET', '/api/v1/emulator/channels')).some((c) => c.id === channelId)).toBe(false);
    await expect.poll(() => page.getByTestId('contact-pop').count()).toBe(0);
    await agentState().getByText('Pós-atendimento').waitFor();
    await page.getByRole('button', { name: 'Pronto' }).click();
    await agentState().getByText('Disponível').waitFor();
  });

  it('logging in to the queues at once, before the page has read the agent, stays logged in', async () => {
    await page.getByRole('button', { name: 'Sair das filas' }).click();
    await agentState().getByText('Fora das filas').waitFor();
    // The page's first read of the agent is answered (offline), and its answer held back until after the click.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/agent', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await page.reload();
    await page.getByRole('button', { name: 'Entrar nas filas' }).click();
    await expect.poll(async () => (await mine()).state).toBe('available');
    await agentState().getByText('Disponível').waitFor();
    release();
    await page.waitForResponse('**/api/v1/agent');
    await page.unroute('**/api/v1/agent');
    // The older answer does not put the desk back to "Fora das filas": the agent can still dial and pause.
    await page.getByRole('button', { name: 'Pausar' }).waitFor();
    expect(await agentState().textContent()).toContain('Disponível');
  });

  it('the frequently asked questions are on the desk: the active ones, searched as the agent types, each answer under its question', async () => {
    await root.must('POST', `/api/v1/crm/faq${tenantQuery}`, { question: 'Como tiro a segunda via do boleto?', answer: 'Pelo site, em Minha conta.\nOu pelo aplicativo.', position: 1 });
    await root.must('POST', `/api/v1/crm/faq${tenantQuery}`, { question: 'Qual o horário da loja?', answer: 'Das 9h às 18h.', position: 2 });
    await root.must('POST', `/api/v1/crm/faq${tenantQuery}`, { question: 'Pergunta antiga sobre boleto', answer: 'Não vale mais.', active: false });
    await page.reload();
    const faq = page.getByTestId('desk-faq');
    const questions = () => faq.locator('summary').allTextContents();
    await expect.poll(questions).toEqual(['Como tiro a segunda via do boleto?', 'Qual o horário da loja?']);
    await faq.getByRole('searchbox', { name: 'Buscar nas perguntas frequentes' }).fill('boleto');
    await expect.poll(questions).toEqual(['Como tiro a segunda via do boleto?']);
    const answer = faq.getByText('Pelo site, em Minha conta.');
    expect(await answer.isVisible()).toBe(false);
    await faq.getByText('Como tiro a segunda via do boleto?').click();
    await answer.waitFor();
    // The answer keeps its lines.
    expect(await answer.innerText()).toBe('Pelo site, em Minha conta.\nOu pelo aplicativo.');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await faq.getByRole('searchbox', { name: 'Buscar nas perguntas frequentes' }).fill('garantia');
    await faq.getByText('Nenhuma pergunta encontrada.').waitFor();
    expect(await questions()).toEqual([]);
  });

  it('a direct call from an unknown number says no contact has it', async () => {
    await root.must('POST', `/api/v1/emulator/phones/${EXTENSION}/incoming`, { from: '4833334444', name: '' });
    await page.getByText('Ligação de 4833334444').waitFor();
    await page.getByText('Nenhum contato com este número.').waitFor();
    await page.getByRole('button', { name: 'Recusar' }).click();
    await expect.poll(() => page.getByTestId('contact-pop').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

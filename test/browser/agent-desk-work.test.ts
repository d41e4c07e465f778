/**
 * The agent's work on the desk, in a real browser with a fake microphone: a customer's call to
 * a queue that requires a tabulation is answered on the webphone and shows among the agent's
 * open interactions (cards and list, searched and filtered, with the contact popped); the
 * wrap-up waits for the tabulation, whose form offers only the statuses that apply and shows
 * the server's refusal next to the field; the status's action marks the contact do-not-call.
 * The callbacks scheduled for the agent are marked done, an in-person attendance is registered,
 * a call left pending gets a ticket and is finished later with a callback to the agent herself,
 * the agent's figures of the day follow what happened. The desk says which phone carries the
 * calls: this tab's webphone, another tab's (only one tab rings), or a softphone — from which
 * the agent places a manual call: the phone rings first, then the number is dialled and the
 * call is among the agent's open interactions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { browserClock, browserTestFile, chooseOption, logIn, newContext, openedDialog, openOptions, screenshot, seriousA11yViolations, watchProblems, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-mesa-1';
const PASSWORD = 'senha-da-agente-1';
const EXTENSION = '1207';
const SOFTPHONE = '1208';
const DID = '1133337200';
const MARIA = '11987650001';

const file = browserTestFile();
let atende: Atende;
let root: Api;
let ana: Api;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let tenantQuery = '';
let mariaId = 0;
let anaId = 0;
let callbackId = 0;

beforeAll(async () => {
  ({ atende, root } = await file.start(ADMIN_PASSWORD));
  const tenant = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Central Mesa Ltda', cnpj: validCnpj(45) })).id;
  tenantQuery = `?tenantId=${tenant}`;
  const user = (name: string, login: string, extension: string) =>
    root.must<{ id: number }>('POST', `/api/v1/users${tenantQuery}`, { name, login, level: 'agent', password: PASSWORD, passwordChangeRequired: false, extension, flags: { callCenter: true }, concurrency: { voice: 1 } });
  anaId = (await user('Ana Atendente', 'ana.mesa', EXTENSION)).id;
  const brunoId = (await user('Bruno Balcão', 'bruno.mesa', SOFTPHONE)).id;
  await root.must('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: EXTENSION, displayName: 'Ana Atendente', kind: 'webrtc', userId: anaId });
  const brunoPhone = await root.must<{ secret: string }>('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: SOFTPHONE, displayName: 'Bruno Balcão', kind: 'softphone', userId: brunoId });
  const suporte = await root.must<{ id: number }>('POST', `/api/v1/queues${tenantQuery}`, { name: 'Suporte', number: '720', strategy: 'linear', requireTabulation: true, members: [{ userId: anaId }] });
  await root.must('POST', `/api/v1/queues${tenantQuery}`, { name: 'Vendas', number: '721', strategy: 'linear', members: [{ userId: anaId }, { userId: brunoId }] });
  const trunk = await root.must<{ id: number }>('POST', `/api/v1/telephony/trunks${tenantQuery}`, { name: 'operadora', host: 'sip.provider.example.net' });
  // Manual calls outside must be tabulated ("Exige tabulação").
  await root.must('POST', `/api/v1/telephony/outbound-routes${tenantQuery}`, { name: 'Saída', requireTabulation: true, rules: [{ pattern: '_0X.' }], trunks: [{ trunkId: trunk.id }] });
  await root.must('POST', `/api/v1/telephony/inbound-routes${tenantQuery}`, { name: 'Suporte', did: DID, destination: { kind: 'queue', id: suporte.id } });
  await root.must('POST', `/api/v1/pause-types${tenantQuery}`, { reason: 'Café', maxDurationMinutes: 10 });
  expect((await root.must<{ ok: boolean }>('POST', `/api/v1/telephony/apply${tenantQuery}`, {})).ok).toBe(true);
  await root.must('PUT', `/api/v1/emulator/phones/${SOFTPHONE}`, { registered: true, behaviour: 'answer', password: brunoPhone.secret });

  const group = await root.must<{ id: number }>('POST', `/api/v1/tabulations/groups${tenantQuery}`, { name: 'Geral' });
  await root.must('POST', `/api/v1/tabulations/statuses${tenantQuery}`, { groupId: group.id, name: 'Resolvido', category: 'positive', kinds: ['inbound'] });
  await root.must('POST', `/api/v1/tabulations/statuses${tenantQuery}`, { groupId: group.id, name: 'Não ligar mais', category: 'negative', kinds: ['inbound'], actions: { markContactDoNotCall: true } });
  await root.must('POST', `/api/v1/tabulations/statuses${tenantQuery}`, { groupId: group.id, name: 'Só no discador', category: 'neutral', kinds: ['dialer'] });
  const retorno = await root.must<{ id: number }>('POST', `/api/v1/tabulations/statuses${tenantQuery}`, { groupId: group.id, name: 'Retornar', category: 'neutral', kinds: ['manual'], schedulesCallback: true });
  const cobranca = await root.must<{ id: number }>('POST', `/api/v1/tabulations/tags${tenantQuery}`, { title: 'Cobrança', colour: '#aa5500', kinds: ['manual'] });
  await root.must('POST', `/api/v1/tabulations/tags${tenantQuery}`, { title: 'Acordo', colour: '#aa5500', kinds: ['manual'], parentId: cobranca.id });
  mariaId = (await root.must<{ id: number }>('POST', `/api/v1/contacts${tenantQuery}`, { name: 'Maria Cliente', phones: [{ number: MARIA }] })).id;
  const joao = await root.must<{ id: number }>('POST', `/api/v1/contacts${tenantQuery}`, { name: 'João Retorno', phones: [{ number: '11912340002' }] });

  ana = await atende.api('ana.mesa', PASSWORD);
  // Earlier work of Ana's: a manual call to João left pending, and one tabulated to call him back tomorrow.
  await ana.must('POST', '/api/v1/interactions', { contactId: joao.id, address: '11912340002', kind: 'manual', channel: 'voice' }).then((ix) =>
    ana.must('POST', `/api/v1/interactions/${(ix as { id: number }).id}/finish`, { pending: true, note: 'ligar de novo' }),
  );
  const earlier = await ana.must<{ id: number }>('POST', '/api/v1/interactions', { contactId: joao.id, address: '11912340002', kind: 'manual', channel: 'voice' });
  const due = new Date(Date.now() + 24 * 3600_000).toISOString();
  callbackId = (await ana.must<{ callbackId: number }>('POST', `/api/v1/interactions/${earlier.id}/finish`, { statusId: retorno.id, nextContactAt: due, nextContactSameAgent: true })).callbackId;

  ({ browser, context, page, problems } = await file.open('ana.mesa', PASSWORD, { media: true }));
});

const agentState = () => page.getByTestId('agent-state');
const openWork = () => page.getByTestId('open-interactions');
const mine = () => ana.must<{ state: string }>('GET', '/api/v1/agent');

describe('the agent’s work on the desk', () => {
  it('shows the open interactions as cards and as a list, searched and filtered, and pops the contact of the one selected', async () => {
    await page.getByRole('heading', { name: 'Minha mesa', level: 1 }).waitFor();
    await page.getByTestId('desk-phone').getByText('Registrado').waitFor();
    await page.getByTestId('phone-mode').getByText('Você atende pelo webphone desta aba.').waitFor();
    await page.getByRole('button', { name: 'Entrar nas filas' }).click();
    await agentState().getByText('Disponível').waitFor();
    await expect.poll(async () => (await ana.must<{ registered: boolean }>('GET', '/api/v1/agent')).registered).toBe(true);

    await root.must('POST', '/api/v1/emulator/calls', { did: DID, from: MARIA, via: { trunk: 'operadora' } });
    await page.getByRole('button', { name: 'Atender' }).click();
    await agentState().getByText('Em atendimento').waitFor();

    const cards = openWork().getByRole('list', { name: 'Meus atendimentos em aberto' }).getByRole('listitem');
    const maria = cards.filter({ hasText: 'Maria Cliente' });
    await maria.getByText('Em conversa').waitFor();
    expect(await maria.textContent()).toMatch(/Suporte.*Protocolo \d{14}.*TTA \d+:\d\d/);
    await cards.filter({ hasText: 'João Retorno' }).getByText('Pendente').waitFor();
    expect(await cards.count()).toBe(2);

    // The call in conversation is the one popped: its contact's data, history and tickets.
    const pop = page.getByTestId('interaction-pop');
    await pop.getByRole('heading', { name: 'Maria Cliente', level: 3 }).waitFor();
    await pop.getByRole('heading', { name: 'Histórico', level: 3 }).waitFor();
    await pop.getByRole('heading', { name: 'Tickets', level: 3 }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await openWork().scrollIntoViewIfNeeded();
    await screenshot(page, 'agent-desk-interactions');

    const search = openWork().getByRole('searchbox', { name: 'Buscar' });
    await search.fill('retorno');
    await expect.poll(async () => (await cards.allTextContents()).map((c) => c.includes('João Retorno'))).toEqual([true]);
    await search.fill('zzz');
    await openWork().getByText('Nenhum atendimento corresponde aos filtros.').waitFor();
    await search.fill('');
    await chooseOption(page, openWork().getByRole('combobox', { name: 'Situação' }), 'Pendente');
    await expect.poll(() => cards.count()).toBe(1);
    await chooseOption(page, openWork().getByRole('combobox', { name: 'Situação' }), 'Em conversa');
    await expect.poll(async () => (await cards.allTextContents()).every((c) => c.includes('Maria Cliente'))).toBe(true);

    await openWork().getByRole('button', { name: 'Lista' }).click();
    const rows = openWork().getByRole('row');
    await rows.filter({ hasText: 'Maria Cliente' }).waitFor();
    expect(await rows.filter({ hasText: 'Maria Cliente' }).textContent()).toContain('Suporte');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await openWork().getByRole('button', { name: 'Cartões' }).click();
    await page.locator('.p-select-clear-icon').first().click();
    await expect.poll(() => cards.count()).toBe(2);
  });

  it('holds the wrap-up until the tabulation; the form offers what applies, shows the server’s refusal, and the action runs', async () => {
    await page.getByRole('button', { name: 'Desligar' }).click();
    await agentState().getByText('Pós-atendimento').waitFor();
    const maria = openWork().getByRole('listitem').filter({ hasText: 'Maria Cliente' });
    await maria.getByText('Pós-atendimento').waitFor();
    // Suporte requires a tabulation: Pronto does not end the wrap-up.
    await page.getByTestId('wrap-up-held').getByText(/O serviço exige tabulação: você sai do pós-atendimento quando finalizar \(ou deixar pendente\) o atendimento \d{14}\./).waitFor();
    await page.getByRole('button', { name: 'Pronto' }).click();
    await page.getByText(/o serviço exige tabulação: finalize o atendimento \(ou deixe-o pendente\) primeiro/).waitFor();
    expect((await mine()).state).toBe('wrap_up');

    await maria.getByRole('button').click();
    await page.getByTestId('interaction-pop').getByRole('button', { name: 'Finalizar' }).click();
    const dialog = await openedDialog(page, /Finalizar atendimento \d{14}/);
    const finish = dialog.getByRole('button', { name: 'Finalizar' });
    expect(await finish.isDisabled()).toBe(true);
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Grupo de status' }), 'Geral');
    const offered = await openOptions(page, dialog.getByRole('combobox', { name: 'Status', exact: true }));
    // The dialer's status does not apply to a queue call.
    expect((await offered.allTextContents()).sort()).toEqual(['Não ligar mais', 'Resolvido']);
    await page.keyboard.press('Escape');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Status', exact: true }), 'Não ligar mais');
    await dialog.getByLabel('Observação').fill('pediu para não ligar');
    // Meanwhile the tenant starts requiring the external protocol: the server says so, next to the field.
    await root.must('PUT', `/api/v1/crm/settings${tenantQuery}`, { requireProtocol: true });
    await finish.click();
    await dialog.getByRole('alert').getByText('obrigatório para finalizar com esta tabulação').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByLabel('Protocolo externo').fill('EXT-77');
    await finish.click();
    await dialog.waitFor({ state: 'hidden' });
    await agentState().getByText('Disponível').waitFor();
    await expect.poll(() => openWork().getByRole('listitem').filter({ hasText: 'Maria Cliente' }).count()).toBe(0);
    const contact = await root.must<{ doNotCall: boolean }>('GET', `/api/v1/contacts/${mariaId}`);
    expect(contact.doNotCall).toBe(true);
    const history = await root.must<{ items: { statusName: string | null; externalProtocol: string | null; channel: string }[] }>('GET', `/api/v1/contacts/${mariaId}/history`);
    expect(history.items[0]).toMatchObject({ statusName: 'Não ligar mais', externalProtocol: 'EXT-77', channel: 'voice' });
    await root.must('PUT', `/api/v1/crm/settings${tenantQuery}`, { requireProtocol: false });
  });

  it('lists the callbacks scheduled for the agent and marks one done; registers an in-person attendance; counts the day', async () => {
    const callbacks = page.getByTestId('desk-callbacks');
    const joao = callbacks.getByRole('listitem').filter({ hasText: 'João Retorno' });
    await joao.waitFor();
    expect(await joao.textContent()).toContain('5511912340002');
    await joao.getByRole('button', { name: 'Ligar para 5511912340002' }).waitFor();
    await joao.getByRole('button', { name: 'Marcar retorno de João Retorno como feito' }).click();
    await callbacks.getByText('Nenhum retorno agendado para você.').waitFor();
    const after = await ana.must<{ items: { id: number; state: string }[] }>('GET', '/api/v1/callbacks?mine=true');
    expect(after.items.find((c) => c.id === callbackId)?.state).toBe('done');

    await callbacks.getByRole('combobox', { name: 'Contato' }).pressSequentially('Mari');
    await page.getByRole('option', { name: 'Maria Cliente' }).click();
    await callbacks.getByRole('button', { name: 'Registrar' }).click();
    const visit = await openedDialog(page, 'Atendimento presencial');
    await chooseOption(page, visit.getByRole('combobox', { name: 'Serviço' }), 'Vendas');
    await visit.getByLabel('Descrição').fill('Trouxe o contrato assinado');
    await visit.getByRole('button', { name: 'Salvar' }).click();
    await visit.waitFor({ state: 'hidden' });
    const history = await root.must<{ items: { channel: string; serviceName: string | null; note: string | null }[] }>('GET', `/api/v1/contacts/${mariaId}/history`);
    expect(history.items[0]).toMatchObject({ channel: 'in_person', serviceName: 'Vendas', note: 'Trouxe o contrato assinado' });

    await page.getByRole('combobox', { name: 'Motivo da pausa' }).click();
    await page.getByRole('option', { name: 'Café' }).click();
    await page.getByRole('button', { name: 'Pausar' }).click();
    await agentState().getByText('Em pausa').waitFor();
    await page.getByRole('button', { name: 'Voltar da pausa' }).click();
    await agentState().getByText('Disponível').waitFor();
    const today = page.getByTestId('desk-today');
    await expect.poll(async () => (await today.getByTestId('today-pauses').textContent()) ?? '').toMatch(/^Café: \d+:\d\d \(1x\)$/);
    expect(await today.getByTestId('today-answered').textContent()).toBe('1');
    expect(await today.getByTestId('today-made').textContent()).toBe('0');
    const services = today.getByTestId('today-services').getByRole('row');
    // Back from the pause: the only agent of Suporte is available again.
    await expect.poll(async () => (await services.filter({ hasText: 'Suporte' }).locator('th, td').allTextContents()).map((c) => c.trim())).toEqual(['Suporte', '0', '1 de 1']);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('finishes the call left pending with a callback to the agent herself, after opening a ticket from it; a child tag is offered under its macro tag', async () => {
    const joao = openWork().getByRole('listitem').filter({ hasText: 'João Retorno' });
    await joao.getByText('Pendente').waitFor();
    await joao.getByRole('button').click();
    const pop = page.getByTestId('interaction-pop');
    await pop.getByRole('heading', { name: 'João Retorno', level: 3 }).waitFor();
    // A ticket opened from the popped contact is the interaction's.
    await pop.getByRole('button', { name: 'Novo ticket' }).click();
    const opening = await openedDialog(page, 'Novo ticket');
    await opening.getByLabel('Assunto').fill('Renegociar a dívida');
    await opening.getByRole('button', { name: 'Salvar' }).click();
    await opening.waitFor({ state: 'hidden' });
    await pop.getByRole('row').filter({ hasText: 'Renegociar a dívida' }).waitFor();
    const open = await ana.must<{ items: { id: number; contactName: string | null }[] }>('GET', '/api/v1/interactions?state=pending');
    const joaoId = (await ana.must<{ items: { id: number; name: string }[] }>('GET', '/api/v1/contacts?name=Jo%C3%A3o%20Retorno')).items[0]!.id;
    const tickets = await ana.must<{ items: { subject: string; interactionId: number | null }[] }>('GET', `/api/v1/contacts/${joaoId}/tickets`);
    expect(tickets.items.find((x) => x.subject === 'Renegociar a dívida')?.interactionId).toBe(open.items.find((i) => i.contactName === 'João Retorno')?.id);
    await pop.getByRole('button', { name: 'Finalizar' }).click();
    const dialog = await openedDialog(page, /Finalizar atendimento \d{14}/);
    // What the agent noted when leaving it pending comes back.
    expect(await dialog.getByLabel('Observação').inputValue()).toBe('ligar de novo');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Grupo de status' }), 'Geral');
    await chooseOption(page, dialog.getByRole('combobox', { name: 'Status', exact: true }), 'Retornar');
    await dialog.locator('[data-field="tagIds"] [data-pc-name="multiselect"]').click();
    const tags = page.getByRole('listbox').getByRole('option');
    await expect.poll(async () => (await tags.allTextContents()).sort()).toEqual(['Cobrança', 'Cobrança › Acordo']);
    await page.getByRole('option', { name: 'Cobrança › Acordo' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    // The day after tomorrow, picked on the calendar (at the time it shows, now's).
    const now = browserClock(Date.now());
    const when = browserClock(Date.now() + 2 * 24 * 3600_000);
    await dialog.getByLabel('Próximo contato').click();
    const calendar = page.getByRole('dialog', { name: 'Escolher data' });
    await calendar.waitFor();
    if (when.month !== now.month) await calendar.getByRole('button', { name: 'Próximo mês' }).click();
    await calendar.locator('td:not([data-p-other-month="true"]) span', { hasText: new RegExp(`^${when.day}$`) }).click();
    // Escape in the field closes its calendar, not the dialog.
    await dialog.getByLabel('Próximo contato').press('Escape');
    await calendar.waitFor({ state: 'hidden' });
    await dialog.getByLabel('Retornar eu mesmo').check();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Finalizar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The callback is Ana's own: it is on her list.
    await page.getByTestId('desk-callbacks').getByRole('listitem').filter({ hasText: 'João Retorno' }).waitFor();
    const pending = await ana.must<{ items: { contactName: string; agentUserId: number | null; dueAt: string }[] }>('GET', '/api/v1/callbacks?mine=true&state=pending');
    expect(pending.items).toEqual([expect.objectContaining({ contactName: 'João Retorno', agentUserId: anaId })]);
    expect(browserClock(new Date(pending.items[0]!.dueAt)).day).toBe(when.day);
  });

  it('runs the webphone in one tab only: a second tab says the phone is in the other one, does not ring, and takes over when it closes', async () => {
    const second = await context.newPage();
    const secondProblems = watchProblems(second);
    await second.goto('/desk');
    await second.getByTestId('desk-phone').getByText('Em outra aba').waitFor();
    await second.getByTestId('phone-mode').getByText('O telefone está em outra aba.').waitFor();
    expect(await seriousA11yViolations(second)).toEqual([]);

    await root.must('POST', `/api/v1/emulator/phones/${EXTENSION}/incoming`, { from: '4833330000', name: '' });
    await page.getByText('Ligação de 4833330000').waitFor();
    expect(await second.getByRole('button', { name: 'Atender' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Recusar' }).click();

    await page.close();
    page = second;
    await second.getByTestId('desk-phone').getByText('Registrado').waitFor();
    await second.getByTestId('phone-mode').getByText('Você atende pelo webphone desta aba.').waitFor();
    expect(secondProblems).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('says that an agent on a softphone answers on the phone, and places a manual call from there', async () => {
    const other = await newContext(browser, atende);
    try {
      const bruno = await other.newPage();
      await logIn(bruno, 'bruno.mesa', PASSWORD);
      await bruno.getByRole('heading', { name: 'Minha mesa', level: 1 }).waitFor();
      await bruno.getByRole('button', { name: 'Entrar nas filas' }).click();
      const mode = bruno.getByTestId('phone-mode');
      await mode.getByText('Você atende por um softphone ou telefone de mesa.').waitFor();
      await mode.getByText('Quando tocar, atenda no aparelho; espera, mudo e transferência funcionam por aqui.').waitFor();
      expect(await seriousA11yViolations(bruno)).toEqual([]);

      // A number no route takes is refused beside the field; nothing rings.
      const number = bruno.getByLabel('Ligar para um número');
      await number.fill('9999');
      await bruno.getByRole('button', { name: 'Ligar', exact: true }).click();
      await bruno.getByRole('alert').getByText(/nenhuma rota de saída casa com/).waitFor();
      // Maria's number as an agent keys it in: Bruno's softphone rings (and answers), then her number is dialled.
      await number.fill('(011) 98765-0001');
      await bruno.getByRole('button', { name: 'Ligar', exact: true }).click();
      await bruno.getByText('Seu telefone está tocando: atenda para ligar para 011987650001.').waitFor();
      await bruno.getByTestId('agent-state').getByText('Em atendimento').waitFor();
      const card = bruno.getByTestId('open-interactions').getByRole('listitem').filter({ hasText: 'Maria Cliente' });
      await card.waitFor();
      const channels = await root.must<{ name: string; state: string; connected: { number: string } }[]>('GET', '/api/v1/emulator/channels');
      expect(channels.find((c) => c.name.startsWith('PJSIP/operadora-'))).toMatchObject({ state: 'Up', connected: { number: '011987650001' } });
      // Hung up, the route's rule holds Bruno in wrap-up until he tabulates.
      // Hanging up one leg may end the other before its own DELETE arrives: a 404 then is that.
      for (const c of channels) {
        const hangup = await root.call('DELETE', `/api/v1/emulator/calls/${encodeURIComponent((c as unknown as { id: string }).id)}`);
        expect([204, 404]).toContain(hangup.status);
      }
      await bruno.getByTestId('agent-state').getByText('Pós-atendimento').waitFor();
    } finally {
      await other.close();
    }
  });
});

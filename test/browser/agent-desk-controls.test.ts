/**
 * The agent's call controls on the desk, in a real browser with a fake microphone: a customer's
 * call to the agent's queue is answered on the desk's webphone; the agent puts the customer on
 * hold and takes them back, mutes, and the server's state of the call says the same; the
 * transfer dialog refuses, next to the field, an agent who logged out meanwhile and a number
 * that cannot be dialled, then hands the call blind to a second queue, whose agent (an emulated
 * softphone that answers) is then busy with the customer while the desk goes to wrap-up. On a
 * second call the phone's own hold shows on the desk without a reload, and the agent transfers
 * attended: consults Bruno (the customer on hold), cancels, consults again, brings the three
 * into a conference and leaves the customer with Bruno.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { validCnpj } from '../helpers/app.js';
import { browserTestFile, openedDialog, openOptions, seriousA11yViolations, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-controles-1';
const PASSWORD = 'senha-da-agente-1';
const ANA_EXTENSION = '1107';
const BRUNO_EXTENSION = '1108';
const DID = '1133337100';
const CUSTOMER = '11987651234';

const file = browserTestFile();
let atende: Atende;
let root: Api;
let ana: Api;
let bruno: Api;
let carla: Api;
let page: Page;
let problems: string[];
let brunoId = 0;
let tenantQuery = '';

type AgentView = { state: string; interactionIds: string[] };

beforeAll(async () => {
  ({ atende, root } = await file.start(ADMIN_PASSWORD));
  const tenant = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: 'Central Verde Ltda', cnpj: validCnpj(44) })).id;
  tenantQuery = `?tenantId=${tenant}`;
  const agent = (name: string, login: string, extension: string) =>
    root.must<{ id: number }>('POST', `/api/v1/users${tenantQuery}`, {
      name,
      login,
      level: 'agent',
      password: PASSWORD,
      passwordChangeRequired: false,
      extension,
      flags: { callCenter: true },
      concurrency: { voice: 1 },
    });
  const anaId = (await agent('Ana Atendente', 'ana.controles', ANA_EXTENSION)).id;
  brunoId = (await agent('Bruno Retenção', 'bruno.retencao', BRUNO_EXTENSION)).id;
  await agent('Carla Reserva', 'carla.reserva', '1109');
  await root.must('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: ANA_EXTENSION, displayName: 'Ana Atendente', kind: 'webrtc', userId: anaId });
  const brunoPhone = await root.must<{ secret: string }>('POST', `/api/v1/telephony/extensions${tenantQuery}`, { number: BRUNO_EXTENSION, displayName: 'Bruno Retenção', kind: 'softphone', userId: brunoId });
  const suporte = await root.must<{ id: number }>('POST', `/api/v1/queues${tenantQuery}`, { name: 'Suporte', number: '710', strategy: 'linear', wrapUpSeconds: 600, members: [{ userId: anaId }] });
  await root.must('POST', `/api/v1/queues${tenantQuery}`, { name: 'Retenção', number: '711', strategy: 'linear', members: [{ userId: brunoId }] });
  await root.must('POST', `/api/v1/telephony/trunks${tenantQuery}`, { name: 'operadora', host: 'sip.provider.example.net' });
  await root.must('POST', `/api/v1/telephony/inbound-routes${tenantQuery}`, { name: 'Suporte', did: DID, destination: { kind: 'queue', id: suporte.id } });
  expect((await root.must<{ ok: boolean }>('POST', `/api/v1/telephony/apply${tenantQuery}`, {})).ok).toBe(true);
  await root.must('PUT', `/api/v1/emulator/phones/${BRUNO_EXTENSION}`, { registered: true, behaviour: 'answer', password: brunoPhone.secret });
  ana = await atende.api('ana.controles', PASSWORD);
  bruno = await atende.api('bruno.retencao', PASSWORD);
  await bruno.must('POST', '/api/v1/agent/login');
  carla = await atende.api('carla.reserva', PASSWORD);
  await carla.must('POST', '/api/v1/agent/login');

  ({ page, problems } = await file.open('ana.controles', PASSWORD, { media: true }));
});

const agentState = () => page.getByTestId('agent-state');
const brunoNow = () => root.must<AgentView>('GET', `/api/v1/agents/${brunoId}${tenantQuery}`);

describe('agent desk: the call’s controls', () => {
  it('holds, takes back, mutes and blind-transfers a queue call to another queue, whose agent then talks to the customer', async () => {
    await page.getByRole('heading', { name: 'Minha mesa', level: 1 }).waitFor();
    await page.getByTestId('desk-phone').getByText('Registrado').waitFor();
    await page.getByRole('button', { name: 'Entrar nas filas' }).click();
    await agentState().getByText('Disponível').waitFor();
    await expect.poll(async () => (await ana.must<{ registered: boolean }>('GET', '/api/v1/agent')).registered).toBe(true);
    expect((await brunoNow()).state).toBe('available');

    const { channelId } = await root.must<{ channelId: string }>('POST', '/api/v1/emulator/calls', { did: DID, from: CUSTOMER, via: { trunk: 'operadora' } });
    await page.getByText(new RegExp(`Ligação de .*${CUSTOMER}`)).waitFor();
    // No controls before the call is answered: there is nothing to hold yet.
    expect(await page.getByTestId('call-controls').count()).toBe(0);
    await page.getByRole('button', { name: 'Atender' }).click();
    await agentState().getByText('Em atendimento').waitFor();
    const controls = page.getByTestId('call-controls');
    await controls.getByText('Em conversa').waitFor();
    const interactionId = (await ana.must<AgentView>('GET', '/api/v1/agent')).interactionIds[0]!;
    const talk = () => ana.must<{ held: boolean; muted: boolean }>('GET', `/api/v1/agent/calls/${interactionId}`);
    expect(await talk()).toEqual({ held: false, muted: false, consult: null });
    expect(await seriousA11yViolations(page)).toEqual([]);

    await controls.getByRole('button', { name: 'Espera' }).click();
    await controls.getByText('Em espera').waitFor();
    expect(await talk()).toEqual({ held: true, muted: false, consult: null });
    await controls.getByRole('button', { name: 'Retomar' }).click();
    await controls.getByText('Em conversa').waitFor();
    expect(await talk()).toEqual({ held: false, muted: false, consult: null });

    await controls.getByRole('button', { name: 'Mudo' }).click();
    await controls.getByText('Microfone mudo').waitFor();
    expect(await talk()).toEqual({ held: false, muted: true, consult: null });
    expect(await seriousA11yViolations(page)).toEqual([]);

    await controls.getByRole('button', { name: 'Transferir' }).click();
    const dialog = await openedDialog(page, 'Transferir chamada');
    await dialog.getByRole('combobox', { name: 'Serviço (fila)' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // An agent who logs out between being chosen and the transfer is refused next to the field.
    await dialog.getByText('@ Agente').click();
    const agents = await openOptions(page, dialog.getByRole('combobox', { name: 'Agente' }));
    // Only the others logged in, by name: never the agent itself.
    await expect.poll(async () => (await agents.allTextContents()).map((s) => s.trim())).toEqual(['@Bruno Retenção · Disponível', '@Carla Reserva · Disponível']);
    await agents.filter({ hasText: 'Carla Reserva' }).click();
    await carla.must('POST', '/api/v1/agent/logout');
    await dialog.getByRole('button', { name: 'Transferir' }).click();
    await dialog.getByText('Este agente não está mais logado nas filas.').waitFor();

    await dialog.getByText('Número externo').click();
    await dialog.getByRole('textbox', { name: 'Número' }).fill('9');
    await dialog.getByRole('button', { name: 'Transferir' }).click();
    await dialog.getByText('Número inválido: use de 2 a 40 dígitos (e + * #).').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Refused: the call is still the agent's, as it was.
    expect(await talk()).toEqual({ held: false, muted: true, consult: null });

    await dialog.getByText('# Serviço').click();
    const queues = await openOptions(page, dialog.getByRole('combobox', { name: 'Serviço (fila)' }));
    // The tenant's queues the desk shows, by name, with their numbers.
    await expect.poll(async () => (await queues.allTextContents()).map((s) => s.trim())).toEqual(['#711 Retenção', '#710 Suporte']);
    await queues.filter({ hasText: 'Retenção' }).click();
    await dialog.getByRole('button', { name: 'Transferir' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Chamada transferida.').waitFor();
    await agentState().getByText('Pós-atendimento').waitFor();
    expect(await page.getByTestId('call-controls').count()).toBe(0);
    // Over for the agent: its interaction is in wrap-up, no longer in conversation.
    expect((await ana.call('GET', `/api/v1/agent/calls/${interactionId}`)).status).toBe(409);

    // The customer goes on to Retenção, where Bruno's phone answers: he is busy with the customer.
    await expect.poll(async () => (await brunoNow()).state).toBe('busy');
    expect((await brunoNow()).interactionIds).toHaveLength(1);
    const channels = await root.must<{ id: string; name: string; state: string }[]>('GET', '/api/v1/emulator/channels');
    expect(channels.some((c) => c.id === channelId)).toBe(true);
    expect(channels.some((c) => c.name.startsWith(`PJSIP/${BRUNO_EXTENSION}`) && c.state === 'Up')).toBe(true);
    expect(channels.some((c) => c.name.startsWith(`PJSIP/${ANA_EXTENSION}`))).toBe(false);

    await page.getByRole('button', { name: 'Pronto' }).click();
    await agentState().getByText('Disponível').waitFor();
    await root.must('DELETE', `/api/v1/emulator/calls/${channelId}`);
    await expect.poll(async () => (await brunoNow()).state).not.toBe('busy');
    expect(problems).toEqual([]);
  });

  it('shows the phone’s own hold without a reload, and transfers attended: consult, cancel, consult again, conference, and leaves the customer with Bruno', async () => {
    await expect.poll(async () => (await brunoNow()).state).toBe('available');
    await agentState().getByText('Disponível').waitFor();
    const { channelId } = await root.must<{ channelId: string }>('POST', '/api/v1/emulator/calls', { did: DID, from: CUSTOMER, via: { trunk: 'operadora' } });
    await page.getByText(new RegExp(`Ligação de .*${CUSTOMER}`)).waitFor();
    await page.getByRole('button', { name: 'Atender' }).click();
    const controls = page.getByTestId('call-controls');
    await controls.getByText('Em conversa').waitFor();
    const interactionId = (await ana.must<AgentView>('GET', '/api/v1/agent')).interactionIds[0]!;
    const talk = () => ana.must<{ held: boolean; consult: { name: string; phase: string } | null }>('GET', `/api/v1/agent/calls/${interactionId}`);

    // The phone itself holds (a re-INVITE): the desk says so at once, and the button resumes.
    const channels = await root.must<{ id: string; name: string }[]>('GET', '/api/v1/emulator/channels');
    const anaLeg = channels.find((c) => c.name.startsWith(`PJSIP/${ANA_EXTENSION}-`))!.id;
    await root.must('POST', `/api/v1/emulator/calls/${anaLeg}/hold`, { held: true });
    await controls.getByText('Em espera').waitFor();
    await controls.getByRole('button', { name: 'Retomar' }).waitFor();
    await root.must('POST', `/api/v1/emulator/calls/${anaLeg}/hold`, { held: false });
    await controls.getByText('Em conversa').waitFor();

    const consultBruno = async () => {
      await controls.getByRole('button', { name: 'Transferir' }).click();
      const dialog = await openedDialog(page, 'Transferir chamada');
      await dialog.getByText('Assistida (consulta antes)').click();
      await dialog.getByText('O cliente fica em espera enquanto você fala com o destino').waitFor();
      await dialog.getByText('@ Agente').click();
      const agents = await openOptions(page, dialog.getByRole('combobox', { name: 'Agente' }));
      await agents.filter({ hasText: 'Bruno Retenção' }).click();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Consultar' }).click();
      await dialog.waitFor({ state: 'detached' });
      // Bruno's softphone answers: Ana talks with him while the customer waits.
      await controls.getByText('Falando com @Bruno Retenção; o cliente está em espera.').waitFor();
    };
    await consultBruno();
    const consult = page.getByTestId('consult');
    // The customer is on hold for the consult: the hold button is not the agent's to use meanwhile.
    expect(await controls.getByRole('button', { name: 'Retomar' }).isDisabled()).toBe(true);
    expect(await controls.getByRole('button', { name: 'Transferir' }).isDisabled()).toBe(true);
    expect(await talk()).toMatchObject({ held: true, consult: { name: 'Bruno Retenção', phase: 'talking' } });
    expect(await seriousA11yViolations(page)).toEqual([]);

    await consult.getByRole('button', { name: 'Cancelar' }).click();
    await consult.waitFor({ state: 'detached' });
    await controls.getByText('Em conversa').waitFor();
    expect(await talk()).toMatchObject({ held: false, consult: null });
    // The consult was Bruno's to wrap up, as any call he talked on.
    await expect.poll(async () => (await brunoNow()).state).toBe('wrap_up');
    await bruno.must('POST', '/api/v1/agent/ready');

    await consultBruno();
    await consult.getByRole('button', { name: 'Conferência' }).click();
    await consult.getByText('Conferência com o cliente e @Bruno Retenção.').waitFor();
    expect(await talk()).toMatchObject({ held: false, consult: { phase: 'conference' } });
    expect(await seriousA11yViolations(page)).toEqual([]);

    await consult.getByRole('button', { name: 'Sair da conferência' }).click();
    await agentState().getByText('Pós-atendimento').waitFor();
    expect(await page.getByTestId('call-controls').count()).toBe(0);
    await expect.poll(async () => (await brunoNow()).state).toBe('busy');
    const after = await root.must<{ id: string; name: string; state: string }[]>('GET', '/api/v1/emulator/channels');
    expect(after.some((c) => c.id === channelId)).toBe(true);
    expect(after.some((c) => c.name.startsWith(`PJSIP/${BRUNO_EXTENSION}`) && c.state === 'Up')).toBe(true);
    expect(after.some((c) => c.name.startsWith(`PJSIP/${ANA_EXTENSION}`))).toBe(false);

    await page.getByRole('button', { name: 'Pronto' }).click();
    await agentState().getByText('Disponível').waitFor();
    await root.must('DELETE', `/api/v1/emulator/calls/${channelId}`);
    await expect.poll(async () => (await brunoNow()).state).not.toBe('busy');
    expect(problems).toEqual([]);
  });
});

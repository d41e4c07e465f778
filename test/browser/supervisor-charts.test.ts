/**
 * The supervisor's charts of a queue in a real browser: the agents-by-state chart follows agents
 * logging in, pausing, ringing and talking without a reload; calls from the emulator (one answered
 * by the agent's emulated phone, one whose caller hangs up while it rings) show in today's calls
 * and service level per hour and in the waits before an abandon or an answer; a queue no team of
 * the supervisor works is not offered. The figures are read from the charts' tables (what a
 * screen reader reads), never from pixels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserClock, browserTestFile, openOptions, seriousA11yViolations, type Api, type Atende } from './harness.js';

const ADMIN_PASSWORD = 'super-senha-graficos-1';
const PASSWORD = 'senha-dos-graficos-1';
const DID = '1133339000';

const file = browserTestFile();
let atende: Atende;
let root: Api;
let retencaoId: number;
let ana: Api;
let bruno: Api;
let page: Page;
let problems: string[];
let anaPhone = '';

// A team with two agents working Suporte; Retenção is worked by another team's agent.
beforeAll(async () => {
  ({ atende, root } = await file.start(ADMIN_PASSWORD));
  const { tenantId } = await root.must<{ tenantId: number }>('GET', '/api/v1/me');
  const q = `?tenantId=${tenantId}`;
  const user = async (name: string, login: string, level: 'agent' | 'supervisor', extra: Record<string, unknown> = {}) =>
    (await root.must<{ id: number }>('POST', `/api/v1/users${q}`, { name, login, level, password: PASSWORD, passwordChangeRequired: false, ...extra })).id;
  const sara = await user('Sara Supervisora', 'sara.graficos', 'supervisor');
  const vitor = await user('Vitor Supervisor', 'vitor.graficos', 'supervisor');
  const azul = (await root.must<{ id: number }>('POST', `/api/v1/teams${q}`, { name: 'Equipe Azul', supervisorIds: [sara] })).id;
  const verde = (await root.must<{ id: number }>('POST', `/api/v1/teams${q}`, { name: 'Equipe Verde', supervisorIds: [vitor] })).id;
  const agent = { flags: { callCenter: true }, concurrency: { voice: 1 } };
  const anaId = await user('Ana Agente', 'ana.graficos', 'agent', { teamId: azul, extension: '2201', ...agent });
  const brunoId = await user('Bruno Agente', 'bruno.graficos', 'agent', { teamId: azul, extension: '2202', ...agent });
  const carlaId = await user('Carla Agente', 'carla.graficos', 'agent', { teamId: verde, extension: '2203', ...agent });
  anaPhone = (await root.must<{ secret: string }>('POST', `/api/v1/telephony/extensions${q}`, { number: '2201', displayName: 'Ana Agente', kind: 'softphone', userId: anaId })).secret;
  // Every caller who hangs up waiting counts toward the service level (no short abandons).
  const suporte = await root.must<{ id: number }>('POST', `/api/v1/queues${q}`, { name: 'Suporte', number: '710', strategy: 'linear', slaSeconds: 20, shortAbandonSeconds: 0, ringSeconds: 30, members: [{ userId: anaId }, { userId: brunoId }] });
  retencaoId = (await root.must<{ id: number }>('POST', `/api/v1/queues${q}`, { name: 'Retenção', number: '711', strategy: 'linear', members: [{ userId: carlaId }] })).id;
  await root.must('POST', `/api/v1/telephony/trunks${q}`, { name: 'operadora', host: 'sip.provider.example.net' });
  await root.must('POST', `/api/v1/telephony/inbound-routes${q}`, { name: 'Suporte', did: DID, destination: { kind: 'queue', id: suporte.id } });
  await root.must('POST', `/api/v1/pause-types${q}`, { reason: 'Café', maxDurationMinutes: 10 });
  expect((await root.must<{ ok: boolean }>('POST', `/api/v1/telephony/apply${q}`, {})).ok).toBe(true);
  // Ana's desk phone answers when Atende rings it.
  await root.must('PUT', '/api/v1/emulator/phones/2201', { registered: true, behaviour: 'answer', password: anaPhone });
  ana = await atende.api('ana.graficos', PASSWORD);
  bruno = await atende.api('bruno.graficos', PASSWORD);
  ({ page, problems } = await file.open('sara.graficos', PASSWORD));
});

describe('the supervisor’s charts of a queue', () => {
  /** A chart's figures, row by row, from its table (the category, then each series). */
  const rows = (name: string) =>
    page
      .getByTestId('queue-charts')
      .getByRole('table', { name })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
  const AGENTS = 'Agentes da fila por estado, agora';
  const HOURS = 'Chamadas e nível de serviço por hora, hoje';
  const WAITS = 'Tempo de espera até o abandono (e até o atendimento), hoje';
  const count = async (state: string) => (await rows(AGENTS)).find(([label]) => label === state)?.[1];

  it('shows the queue’s agents by state, changing as they log in, pause, ring and talk, without a reload', async () => {
    await page.getByRole('navigation', { name: 'Navegação' }).getByRole('link', { name: 'Painel do supervisor', exact: true }).click();
    await page.getByRole('combobox', { name: 'Fila' }).getByText('Suporte').waitFor();
    await page.getByTestId('queue-charts').getByText('Nenhum agente logado nesta fila.').waitFor();
    expect(await rows(AGENTS)).toEqual([
      ['Disponível', '0'],
      ['Recebendo chamada', '0'],
      ['Em atendimento', '0'],
      ['Pós-atendimento', '0'],
    ]);
    expect(await page.getByRole('img', { name: AGENTS }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await ana.must('POST', '/api/v1/agent/login');
    await bruno.must('POST', '/api/v1/agent/login');
    await expect.poll(() => count('Disponível')).toBe('2');
    const { items } = await bruno.must<{ items: { id: number; reason: string }[] }>('GET', '/api/v1/pause-types');
    await bruno.must('POST', '/api/v1/agent/pause', { pauseTypeId: items.find((p) => p.reason === 'Café')!.id });
    await expect.poll(() => rows(AGENTS)).toEqual([
      ['Disponível', '1'],
      ['Recebendo chamada', '0'],
      ['Em atendimento', '0'],
      ['Pós-atendimento', '0'],
      ['Em pausa: Café', '1'],
    ]);

    // A customer's call is answered by Ana's phone: she is on a call.
    const call = await root.must<{ channelId: string }>('POST', '/api/v1/emulator/calls', { did: DID, from: '11976540001', via: { trunk: 'operadora' } });
    await expect.poll(() => count('Em atendimento')).toBe('1');
    expect(await count('Disponível')).toBe('0');
    await root.must('DELETE', `/api/v1/emulator/calls/${call.channelId}`);
    await expect.poll(() => count('Disponível')).toBe('1');

    // Her phone now rings unanswered: she is being offered the next call, whose caller gives up.
    await root.must('PUT', '/api/v1/emulator/phones/2201', { behaviour: 'no-answer' });
    const second = await root.must<{ channelId: string }>('POST', '/api/v1/emulator/calls', { did: DID, from: '11976540002', via: { trunk: 'operadora' } });
    await expect.poll(() => count('Recebendo chamada')).toBe('1');
    await root.must('DELETE', `/api/v1/emulator/calls/${second.channelId}`);
    await expect.poll(() => count('Disponível')).toBe('1');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('shows today’s calls and service level per hour and the waits, refreshed after the calls without a reload', async () => {
    // Each hour of the local day up to now; the two calls in the hour(s) they entered.
    const hourNow = `${browserClock(Date.now()).time.slice(0, 2)}:00`;
    const busy = async () => (await rows(HOURS)).filter(([, offered]) => offered !== '0');
    await expect.poll(async () => (await busy()).reduce((n, [, offered]) => n + Number(offered), 0)).toBe(2);
    const hours = await rows(HOURS);
    expect(hours[0]![0]).toBe('00:00');
    expect(hours.at(-1)![0]).toBe(hourNow);
    const sum = (i: number) => hours.reduce((n, r) => n + Number(r[i]), 0);
    expect([sum(2), sum(3)]).toEqual([1, 1]);
    // One answered within 20 s of two offered; hours without calls have no service level.
    if ((await busy()).length === 1) expect((await busy())[0]!.slice(1)).toEqual(['2', '1', '1', '50%']);
    expect(hours.filter(([, offered]) => offered === '0').every((r) => r[4] === '—')).toBe(true);
    expect(await page.getByTestId('day-summary').textContent()).toMatch(/: 2 oferecidas, 1 atendidas, 1 abandonadas; nível de serviço 50% \(meta: 80% em 20 s\)\.$/);

    // Both waited a few seconds: abandoned and answered side by side in the first bucket.
    expect(await rows(WAITS)).toEqual([
      ['0–10 s', '1', '1'],
      ['10–20 s', '0', '0'],
      ['20–30 s', '0', '0'],
      ['30 s–1 min', '0', '0'],
      ['1–2 min', '0', '0'],
      ['2–5 min', '0', '0'],
      ['mais de 5 min', '0', '0'],
    ]);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('a queue no team of the supervisor works is not offered to her: neither its charts nor its day', async () => {
    const options = await openOptions(page, page.getByRole('combobox', { name: 'Fila' }));
    await options.first().waitFor();
    expect(await options.allTextContents()).toEqual(['Suporte']);
    await page.keyboard.press('Escape');
    const sara = await atende.api('sara.graficos', PASSWORD);
    expect((await sara.call('GET', `/api/v1/queues/${retencaoId}/today`)).status).toBe(403);
    await expect.poll(async () => (await rows(WAITS))[0]).toEqual(['0–10 s', '1', '1']);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

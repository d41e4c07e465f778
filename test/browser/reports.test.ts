/**
 * The users report and the interaction map in a real browser: an agent logs in, pauses and
 * tabulates through the API, another's hour of work is in the stored history; each report shows
 * its figures, draws its chart (a click on a legend entry hides that series) and downloads its CSV.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserTestFile, seriousA11yViolations, type Api, type Atende } from './harness.js';

const PASSWORD = 'admin-browser-reports-1';
const AGENT_PASSWORD = 'agente-relatorios-1';

const file = browserTestFile();
let atende: Atende;
let root: Api;
let page: Page;
let problems: string[];

const nav = () => page.getByRole('navigation', { name: 'Navegação' });
const open = async (menu: string) => {
  await nav().getByRole('link', { name: menu, exact: true }).click();
  await page.getByRole('heading', { name: menu, level: 1 }).waitFor();
};

/**
 * Where a series of colour `hex` is drawn on a chart's canvas: how many of its pixels are above
 * the legend (its bars), and the middle of its legend box (the lowest patch of that colour), in
 * CSS pixels of the canvas.
 */
function seriesOnCanvas(canvas: Locator, hex: string) {
  return canvas.evaluate((el, colour) => {
    // The test's own types have no DOM: the canvas as far as it is read here.
    const c = el as unknown as { width: number; height: number; clientWidth: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const points: [number, number][] = [];
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - r!) < 3 && Math.abs(data[i + 1]! - g!) < 3 && Math.abs(data[i + 2]! - b!) < 3 && data[i + 3]! > 250) points.push([(i / 4) % c.width, Math.floor(i / 4 / c.width)]);
    }
    const bottom = Math.max(...points.map(([, y]) => y));
    const box = points.filter(([, y]) => y > bottom - 16);
    const top = Math.min(...box.map(([, y]) => y));
    const scale = c.width / c.clientWidth;
    const mid = (v: number[]) => (Math.min(...v) + Math.max(...v)) / 2 / scale;
    return { bars: points.filter(([, y]) => y < top - 4).length, legend: { x: mid(box.map(([x]) => x)), y: mid(box.map(([, y]) => y)) } };
  }, hex);
}

/** A click on the legend entry of the series drawn in `hex` hides its bars; the `other` series stays (widened to the room left). */
async function hideSeriesByLegend(canvas: Locator, hex: string, other: string): Promise<void> {
  const before = await seriesOnCanvas(canvas, hex);
  expect(before.bars).toBeGreaterThan(0);
  await canvas.click({ position: before.legend });
  await expect.poll(async () => (await seriesOnCanvas(canvas, hex)).bars).toBe(0);
  expect((await seriesOnCanvas(canvas, other)).bars).toBeGreaterThan(0);
}

/** Clicks "Baixar CSV" and reads what the browser saved. */
async function downloadCsv(): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Baixar CSV' }).click()]);
  return (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n');
}

// The shared chart's colours, in the order of the series.
const FIRST = '#0f766e';
const SECOND = '#b45309';
const THIRD = '#1d4ed8';

beforeAll(async () => {
  ({ atende, root } = await file.start(PASSWORD));
  const { tenantId } = await root.must<{ tenantId: number }>('GET', '/api/v1/me');
  const q = `?tenantId=${tenantId}`;
  const team = await root.must<{ id: number }>('POST', `/api/v1/teams${q}`, { name: 'Vendas' });
  const user = async (name: string, login: string, extension: string) => {
    const u = await root.must<{ id: number }>('POST', `/api/v1/users${q}`, { name, login, level: 'agent', password: AGENT_PASSWORD, passwordChangeRequired: false, teamId: team.id });
    await root.must('PATCH', `/api/v1/users/${u.id}`, { extension, flags: { callCenter: true }, concurrency: { voice: 1 } });
    return u.id;
  };
  await user('Ana Relatório', 'ana.relatorio', '2101');
  const brunoId = await user('Bruno Relatório', 'bruno.relatorio', '2102');
  const coffee = await root.must<{ id: number }>('POST', `/api/v1/pause-types${q}`, { reason: 'Café' });
  const queue = await root.must<{ id: number }>('POST', `/api/v1/queues${q}`, { name: 'Suporte', number: '600', members: [{ userId: brunoId }] });
  const group = await root.must<{ id: number }>('POST', `/api/v1/tabulations/groups${q}`, { name: 'Comercial' });
  const sold = await root.must<{ id: number }>('POST', `/api/v1/tabulations/statuses${q}`, { groupId: group.id, name: 'Venda realizada', category: 'positive', kinds: ['manual'] });

  // Ana, now: logs in, takes a coffee and comes back; registers two calls, tabulates one.
  const ana = await atende.api('ana.relatorio', AGENT_PASSWORD);
  await ana.must('POST', '/api/v1/agent/login');
  await ana.must('POST', '/api/v1/agent/pause', { pauseTypeId: coffee.id });
  await ana.must('POST', '/api/v1/agent/unpause');
  const done = await ana.must<{ id: number }>('POST', '/api/v1/interactions', { kind: 'manual', channel: 'voice', address: '11999990001' });
  await ana.must('POST', `/api/v1/interactions/${done.id}/finish`, { statusId: sold.id });
  await ana.must('POST', '/api/v1/interactions', { kind: 'manual', channel: 'voice', address: '11999990002' });

  // Bruno's last hour, as the engine stored it: 10 min available, a 10 min call, 20 min at lunch, 10 min available.
  const db = new Database(join(atende.dataDir, 'atende.db'));
  const at = Date.now() - 3_600_000;
  const min = (m: number) => at + m * 60_000;
  const state = db.prepare('INSERT INTO agent_states (tenant_id, user_id, state, pause_reason, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)');
  state.run(tenantId, brunoId, 'available', null, min(0), min(10));
  state.run(tenantId, brunoId, 'busy', null, min(10), min(20));
  state.run(tenantId, brunoId, 'paused', 'Almoço', min(20), min(40));
  state.run(tenantId, brunoId, 'available', null, min(40), min(50));
  db.prepare(
    "INSERT INTO routed_interactions (id, tenant_id, queue_id, kind, contact_address, priority, entered_at, joined, outcome, answered_at, agent_user_id, ended_at, handled, talk_ms) VALUES ('bruno-1', ?, ?, 'voice_in', '11988887777', 0, ?, 1, 'answered', ?, ?, ?, 1, 600000)",
  ).run(tenantId, queue.id, min(10) - 5000, min(10), brunoId, min(20));
  db.close();

  ({ page, problems } = await file.open('admin', PASSWORD));
  await nav().waitFor();
});

describe('reports', () => {
  it('the users report shows each agent’s times and pauses by reason, hides a series by its legend and downloads the CSV', async () => {
    await open('Relatório de usuários');
    const bruno = page.getByRole('row').filter({ hasText: 'Bruno Relatório' });
    const cells = () => bruno.locator('td').allTextContents();
    // Agente, Equipe, Tempo logado, Disponível, Em atendimento, Pós-atendimento, Em pausa, Pausas, voz, chat, e-mail, inbound, outbound, atendidas, não atendidas, TMA.
    await expect.poll(cells).toEqual(['Bruno Relatório', 'Vendas', '50:00', '20:00', '10:00', '0:00', '20:00', 'Almoço 20:00 (1)', '10:00', '0:00', '0:00', '1', '0', '1', '0', '600']);
    expect(await page.getByRole('row').filter({ hasText: 'Ana Relatório' }).textContent()).toContain('Café');
    const chart = page.getByRole('img', { name: 'Tempo por agente (minutos)' });
    await chart.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // "Em pausa" is the third series; "Tempo logado" stays.
    await hideSeriesByLegend(chart, THIRD, FIRST);

    const csv = await downloadCsv();
    expect(csv[0]).toMatch(/^agente;equipe;tempo logado \(s\);tempo disponível \(s\);tempo tocando \(s\);tempo em atendimento \(s\);tempo em pós-atendimento \(s\);tempo em pausa \(s\);pausa Almoço \(s\);pausa Café \(s\);tempo em ligação \(voz\) \(s\);/);
    expect(csv.find((l) => l.startsWith('Bruno'))).toBe('Bruno Relatório;Vendas;3000;1200;0;600;0;1200;1200;0;600;0;0;1;0;0;0;1;0;1;0;0;600');
    expect(problems).toEqual([]);
  });

  it('the interaction map counts per status with its share, the untabulated apart, hides a group by its legend and downloads the CSV', async () => {
    await open('Mapa de interações');
    // A status's row (not its group's header, which names the group and its figures).
    const row = (name: string) => page.getByRole('row').filter({ hasText: name }).filter({ hasNotText: 'interaç' }).locator('td').allTextContents();
    await expect.poll(() => row('Venda realizada')).toEqual(['Venda realizada', '1', '50%', expect.stringMatching(/^0:0\d$/), expect.any(String)]);
    expect(await row('Sem tabulação')).toEqual(['Sem tabulação', '1', '50%', '0:00', '—']);
    await page.getByText('2 interações no período.').waitFor();
    const chart = page.getByRole('img', { name: 'Percentual por status' });
    await chart.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // One series per status group: hiding "Comercial" leaves the untabulated.
    await hideSeriesByLegend(chart, FIRST, SECOND);

    const csv = await downloadCsv();
    expect(csv[0]).toBe('grupo de status;status;quantidade;percentual (%);tempo total (s);tempo médio (s)');
    expect(csv.slice(1).map((l) => l.split(';').slice(0, 4).join(';'))).toEqual(['Comercial;Venda realizada;1;50', ';Sem tabulação;1;50']);
    expect(problems).toEqual([]);
  });
});

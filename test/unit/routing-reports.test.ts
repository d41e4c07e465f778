import { describe, expect, it } from 'vitest';
import { interactionMap, interactionMapCsv, type TabulatedFacts } from '../../src/routing/interaction-map.logic.js';
import { usersReport, usersReportCsv, type AgentFacts, type AgentVisitFacts } from '../../src/routing/users-report.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const visit = (kind: AgentVisitFacts['kind'], answeredAt: number, talk: number, hold: number, wrap: number): AgentVisitFacts => ({
  kind,
  answeredAt: s(answeredAt),
  endedAt: s(answeredAt + talk + hold),
  talkMs: talk * 1000,
  holdMs: hold * 1000,
  wrapMs: wrap * 1000,
  handled: true,
});

describe('the users report', () => {
  const ana: AgentFacts = {
    userId: 10,
    name: 'Ana',
    team: 'Vendas',
    states: [
      // Logged in 5 minutes before the period: only its part inside counts.
      { state: 'available', pauseReason: null, startedAt: s(-300), endedAt: s(600) },
      { state: 'offered', pauseReason: null, startedAt: s(600), endedAt: s(610) },
      { state: 'busy', pauseReason: null, startedAt: s(610), endedAt: s(790) },
      { state: 'wrap_up', pauseReason: null, startedAt: s(790), endedAt: s(820) },
      { state: 'paused', pauseReason: 'Café', startedAt: s(820), endedAt: s(1120) },
      // Still available: runs to the end of the period.
      { state: 'available', pauseReason: null, startedAt: s(1120), endedAt: null },
    ],
    visits: [visit('voice_in', 610, 170, 10, 30), visit('chat', 2000, 400, 0, 0), visit('voice_out', 2500, 60, 0, 20)],
    placed: [
      { answeredAt: s(3000), endedAt: s(3090) },
      { answeredAt: null, endedAt: s(3200) },
    ],
    offers: [{ answered: true }, { answered: false }, { answered: true }, { answered: true }],
  };
  const bruno: AgentFacts = {
    userId: 11,
    name: 'Bruno',
    team: null,
    states: [
      { state: 'paused', pauseReason: 'Almoço', startedAt: s(100), endedAt: s(200) },
      { state: 'paused', pauseReason: 'Café', startedAt: s(3000), endedAt: null },
    ],
    visits: [],
    placed: [],
    offers: [],
  };
  const lines = usersReport([bruno, ana], T0, s(3600));

  it('splits each agent’s logged-in time by state and pause reason, clipped to the period', () => {
    expect(lines.map((l) => l.name)).toEqual(['Ana', 'Bruno']);
    expect(lines[0]).toMatchObject({ loggedSeconds: 3600, availableSeconds: 600 + 2480, ringingSeconds: 10, busySeconds: 180, wrapUpSeconds: 30, pausedSeconds: 300, pauses: [{ reason: 'Café', seconds: 300, count: 1 }] });
    expect(lines[1]).toMatchObject({ loggedSeconds: 700, availableSeconds: 0, pausedSeconds: 700, pauses: [{ reason: 'Café', seconds: 600, count: 1 }, { reason: 'Almoço', seconds: 100, count: 1 }] });
  });

  it('counts attendances and talk per channel, inbound and outbound, offers not answered, and the mean handle time', () => {
    expect(lines[0]!.channels).toEqual([
      // Voice: the queue call (170 s), the dialer call (60 s) and the placed call answered (90 s); the one not answered counts, untimed.
      { channel: 'voice', attendances: 4, talkSeconds: 320 },
      { channel: 'chat', attendances: 1, talkSeconds: 400 },
      { channel: 'email', attendances: 0, talkSeconds: 0 },
    ]);
    // (170+10+30) + 400 + (60+20) = 690 s over three visits.
    expect(lines[0]).toMatchObject({ holdSeconds: 10, inbound: 2, outbound: 3, answered: 3, offers: 4, notAnswered: 1, ahtSeconds: 230 });
    expect(lines[1]).toMatchObject({ inbound: 0, outbound: 0, answered: 0, offers: 0, notAnswered: 0, ahtSeconds: null });
  });

  it('a call still in conversation counts its talk up to the end of the period, and not in the mean handle time', () => {
    const live = usersReport([{ ...bruno, visits: [{ kind: 'voice_in', answeredAt: s(3500), endedAt: null, talkMs: 0, holdMs: 0, wrapMs: 0, handled: false }] }], T0, s(3600));
    expect(live[0]).toMatchObject({ answered: 1, inbound: 1, ahtSeconds: null, channels: [{ channel: 'voice', attendances: 1, talkSeconds: 100 }, expect.anything(), expect.anything()] });
  });

  it('exports one line per agent with a column per pause reason met', () => {
    const csv = usersReportCsv(lines).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toBe(
      'agente;equipe;tempo logado (s);tempo disponível (s);tempo tocando (s);tempo em atendimento (s);tempo em pós-atendimento (s);tempo em pausa (s);pausa Almoço (s);pausa Café (s);' +
        'tempo em ligação (voz) (s);tempo em chat (s);tempo em e-mail (s);atendimentos voz;atendimentos chat;atendimentos e-mail;tempo em espera (s);atendimentos inbound;atendimentos outbound;atendidas;oferecidas;não atendidas;TMA (s)',
    );
    expect(csv[1]).toBe('Ana;Vendas;3600;3080;10;180;30;300;0;300;320;400;0;4;1;0;10;2;3;3;4;1;230');
    expect(csv[2]).toBe('Bruno;;700;0;0;0;0;700;100;600;0;0;0;0;0;0;0;0;0;0;0;0;');
  });
});

describe('the interaction map', () => {
  const f = (group: string | null, status: string | null, statusId: number | null, seconds: number | null): TabulatedFacts => ({
    statusId,
    statusName: status,
    groupName: group,
    startedAt: T0,
    endedAt: seconds === null ? null : s(seconds),
  });
  const map = interactionMap([
    f('Vendas', 'Venda realizada', 1, 100),
    f('Vendas', 'Venda realizada', 1, 200),
    f('Vendas', 'Sem interesse', 2, 50),
    f('Atendimento', 'Resolvido', 3, 300),
    // Tabulated with a status deleted since: its line is still the status's.
    f('Atendimento', 'Resolvido', null, 100),
    // Not tabulated: one still open, one finished without a status.
    f(null, null, null, null),
    f(null, null, null, 30),
  ]);

  it('counts each status, its share of all and its times, grouped by status group; the untabulated last', () => {
    expect(map.total).toBe(7);
    expect(map.lines).toEqual([
      { group: 'Atendimento', status: 'Resolvido', statusId: 3, count: 2, share: 28.6, timed: 2, totalSeconds: 400, averageSeconds: 200 },
      { group: 'Vendas', status: 'Sem interesse', statusId: 2, count: 1, share: 14.3, timed: 1, totalSeconds: 50, averageSeconds: 50 },
      { group: 'Vendas', status: 'Venda realizada', statusId: 1, count: 2, share: 28.6, timed: 2, totalSeconds: 300, averageSeconds: 150 },
      // The open one counts but has no time yet.
      { group: null, status: null, statusId: null, count: 2, share: 28.6, timed: 1, totalSeconds: 30, averageSeconds: 30 },
    ]);
    expect(map.groups).toEqual([
      { group: 'Atendimento', count: 2, share: 28.6, timed: 2, totalSeconds: 400, averageSeconds: 200 },
      { group: 'Vendas', count: 3, share: 42.9, timed: 3, totalSeconds: 350, averageSeconds: 116.7 },
      { group: null, count: 2, share: 28.6, timed: 1, totalSeconds: 30, averageSeconds: 30 },
    ]);
  });

  it('an empty period has no lines, and nothing divides by zero', () => {
    expect(interactionMap([])).toEqual({ total: 0, groups: [], lines: [] });
  });

  it('exports one line per status with its group, the untabulated named', () => {
    const csv = interactionMapCsv(map, 'Sem tabulação').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv).toEqual([
      'grupo de status;status;quantidade;percentual (%);tempo total (s);tempo médio (s)',
      'Atendimento;Resolvido;2;28,6;400;200',
      'Vendas;Sem interesse;1;14,3;50;50',
      'Vendas;Venda realizada;2;28,6;300;150',
      ';Sem tabulação;2;28,6;30;30',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { surveyReport, surveyReportCsv, type SurveyAnswerFact } from '../../src/flows/survey-report.logic.js';

const questions = [
  { alias: 'nota', min: 1, max: 5 },
  { alias: 'resolvido', min: 1, max: 2 },
];
const fact = (callId: string, alias: string, value: number, at: number, queue: [number, string] | null, agent: [number, string] | null): SurveyAnswerFact => ({
  callId,
  alias,
  value,
  answeredAt: at,
  caller: `1199999000${callId.slice(-1)}`,
  queueId: queue?.[0] ?? null,
  queueName: queue?.[1] ?? null,
  agentUserId: agent?.[0] ?? null,
  agentName: agent?.[1] ?? null,
});
const vendas: [number, string] = [1, 'Vendas'];
const suporte: [number, string] = [2, 'Suporte'];
const ana: [number, string] = [10, 'Ana'];
const bruno: [number, string] = [11, 'Bruno'];

describe('the satisfaction survey report', () => {
  const facts = [
    fact('c1', 'nota', 5, 1000, vendas, ana),
    fact('c1', 'resolvido', 2, 1001, vendas, ana),
    fact('c2', 'nota', 2, 2000, suporte, bruno),
    fact('c3', 'nota', 4, 3000, vendas, bruno),
    fact('c3', 'resolvido', 1, 3001, vendas, bruno),
    // A question since removed from the survey is not a column and counts nowhere.
    fact('c3', 'antiga', 1, 3002, vendas, bruno),
  ];
  const r = surveyReport(questions, facts);

  it('averages each question and shows how its marks are distributed over its whole range', () => {
    expect(r.questions).toEqual([
      { alias: 'nota', min: 1, max: 5, answers: 3, average: 3.67, distribution: [{ value: 1, count: 0 }, { value: 2, count: 1 }, { value: 3, count: 0 }, { value: 4, count: 1 }, { value: 5, count: 1 }] },
      { alias: 'resolvido', min: 1, max: 2, answers: 2, average: 1.5, distribution: [{ value: 1, count: 1 }, { value: 2, count: 1 }] },
    ]);
  });

  it('weights each question by its number of answers in the weighted average', () => {
    // (5 + 2 + 2 + 4 + 1) / 5 answers, not the mean of the two questions' means (2.58).
    expect(r.weightedAverage).toBe(2.8);
    expect(r).toMatchObject({ answers: 5, respondents: 3 });
  });

  it('averages per service and per agent', () => {
    expect(r.byService).toEqual([
      { queueId: 2, name: 'Suporte', answers: 1, average: 2 },
      { queueId: 1, name: 'Vendas', answers: 4, average: 3 },
    ]);
    expect(r.byAgent).toEqual([
      { userId: 10, name: 'Ana', answers: 2, average: 3.5 },
      { userId: 11, name: 'Bruno', answers: 3, average: 2.33 },
    ]);
  });

  it('has one line per call with a column per question, empty where it was not answered', () => {
    expect(r.calls.map((c) => [c.callId, c.values])).toEqual([
      ['c1', { nota: 5, resolvido: 2 }],
      ['c2', { nota: 2, resolvido: null }],
      ['c3', { nota: 4, resolvido: 1 }],
    ]);
    const csv = surveyReportCsv(r, questions, (at) => ({ date: '2026-12-01', time: `10:00:0${at / 1000}` }));
    expect(csv.replace('\uFEFF', '').trim().split('\r\n')).toEqual([
      'data;hora;chamada;telefone;fila;agente;nota;resolvido',
      '2026-12-01;10:00:01;c1;11999990001;Vendas;Ana;5;2',
      '2026-12-01;10:00:02;c2;11999990002;Suporte;Bruno;2;',
      '2026-12-01;10:00:03;c3;11999990003;Vendas;Bruno;4;1',
    ]);
  });

  it('with no answer: no averages, every mark counted zero', () => {
    const empty = surveyReport(questions, []);
    expect(empty).toMatchObject({ weightedAverage: null, answers: 0, respondents: 0, byService: [], byAgent: [], calls: [] });
    expect(empty.questions[0]).toMatchObject({ answers: 0, average: null });
  });
});

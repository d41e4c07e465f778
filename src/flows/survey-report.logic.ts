/**
 * The satisfaction survey report (PRODUCT §9; the reference platform's "Pesquisa de Satisfação"
 * report and dashboard): per question the answers, their average and the distribution of the
 * marks; the weighted average over every answer (each question weighs as many answers as it
 * has); averages per service (queue) and per agent; and one line per call with a column per
 * question. Pure: the answers come in already joined with the call's queue and agent.
 */
import { toCsv } from '../kernel/index.js';

export interface SurveyQuestionRange {
  alias: string;
  min: number;
  max: number;
}

/** One answer, with the visit to a queue the call had (its last one answered by an agent). */
export interface SurveyAnswerFact {
  callId: string;
  alias: string;
  value: number;
  answeredAt: number;
  caller: string | null;
  queueId: number | null;
  queueName: string | null;
  agentUserId: number | null;
  agentName: string | null;
}

export interface Average {
  answers: number;
  /** Mean mark, two decimals; null with no answer. */
  average: number | null;
}

export interface SurveyReport {
  questions: (SurveyQuestionRange & Average & { distribution: { value: number; count: number }[] })[];
  weightedAverage: number | null;
  answers: number;
  /** Calls with at least one answer. */
  respondents: number;
  byService: (Average & { queueId: number | null; name: string | null })[];
  byAgent: (Average & { userId: number | null; name: string | null })[];
  calls: { callId: string; answeredAt: number; caller: string | null; queueName: string | null; agentName: string | null; values: Record<string, number | null> }[];
}

const mean = (sum: number, n: number): number | null => (n === 0 ? null : Math.round((sum / n) * 100) / 100);

function averagesBy<K>(facts: readonly SurveyAnswerFact[], key: (f: SurveyAnswerFact) => K): Map<K, { sum: number; n: number; first: SurveyAnswerFact }> {
  const out = new Map<K, { sum: number; n: number; first: SurveyAnswerFact }>();
  for (const f of facts) {
    const k = key(f);
    const a = out.get(k) ?? { sum: 0, n: 0, first: f };
    a.sum += f.value;
    a.n++;
    out.set(k, a);
  }
  return out;
}

export function surveyReport(questions: readonly SurveyQuestionRange[], facts: readonly SurveyAnswerFact[]): SurveyReport {
  // Answers to a question the survey no longer has are left out (the columns are its questions).
  const known = new Set(questions.map((q) => q.alias));
  const kept = facts.filter((f) => known.has(f.alias));
  const perQuestion = averagesBy(kept, (f) => f.alias);
  const total = kept.reduce((s, f) => s + f.value, 0);
  const calls = new Map<string, SurveyReport['calls'][number]>();
  for (const f of [...kept].sort((a, b) => a.answeredAt - b.answeredAt)) {
    const line = calls.get(f.callId) ?? { callId: f.callId, answeredAt: f.answeredAt, caller: f.caller, queueName: f.queueName, agentName: f.agentName, values: Object.fromEntries(questions.map((q) => [q.alias, null])) };
    line.values[f.alias] = f.value;
    calls.set(f.callId, line);
  }
  // By name; answers of calls no agent answered (no service or agent) last.
  const byName = <T extends { name: string | null }>(a: T, b: T) => (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) || (a.name ?? '').localeCompare(b.name ?? '', 'pt-BR');
  return {
    questions: questions.map((q) => {
      const a = perQuestion.get(q.alias);
      const counts = new Map<number, number>();
      for (const f of kept) if (f.alias === q.alias) counts.set(f.value, (counts.get(f.value) ?? 0) + 1);
      const distribution = [];
      for (let v = q.min; v <= q.max; v++) distribution.push({ value: v, count: counts.get(v) ?? 0 });
      return { ...q, answers: a?.n ?? 0, average: mean(a?.sum ?? 0, a?.n ?? 0), distribution };
    }),
    weightedAverage: mean(total, kept.length),
    answers: kept.length,
    respondents: calls.size,
    byService: [...averagesBy(kept, (f) => f.queueId)].map(([queueId, a]) => ({ queueId, name: a.first.queueName, answers: a.n, average: mean(a.sum, a.n) })).sort(byName),
    byAgent: [...averagesBy(kept, (f) => f.agentUserId)].map(([userId, a]) => ({ userId, name: a.first.agentName, answers: a.n, average: mean(a.sum, a.n) })).sort(byName),
    calls: [...calls.values()],
  };
}

/** One line per call, one column per question (named by its alias), as the reference platform's export. */
export function surveyReportCsv(r: SurveyReport, questions: readonly SurveyQuestionRange[], timeOf: (at: number) => { date: string; time: string }): string {
  const header = ['data', 'hora', 'chamada', 'telefone', 'fila', 'agente', ...questions.map((q) => q.alias)];
  const rows = r.calls.map((c) => {
    const at = timeOf(c.answeredAt);
    return [at.date, at.time, c.callId, c.caller ?? '', c.queueName ?? '', c.agentName ?? '', ...questions.map((q) => c.values[q.alias] ?? '')];
  });
  return toCsv(header, rows);
}

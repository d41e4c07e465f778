import { describe, expect, it } from 'vitest';
import { surveyToIvr, type SurveyScript } from '../../src/flows/index.js';
import { simulateIvr, type CallerAction } from '../helpers/ivr-sim.js';

const sound = (name: string) => ({ kind: 'sound' as const, name });
const survey: SurveyScript = {
  language: 'pt-BR',
  intro: [sound('atende-survey-intro')],
  questions: [
    { alias: 'atendimento', prompt: [{ kind: 'prompt', id: 1 }], min: 1, max: 5 },
    { alias: 'resolvido', prompt: [{ kind: 'prompt', id: 2 }], min: 1, max: 2 },
    { alias: 'recomenda', prompt: [{ kind: 'prompt', id: 3 }], min: 0, max: 9 },
  ],
  invalidPrompt: [sound('atende-invalid-option')],
  timeoutSeconds: 5,
  retries: 1,
  thanks: [sound('atende-survey-thanks')],
};
const press = (at: number, keys: string): CallerAction => ({ at, press: keys });

// Prompts last 3 s: intro 0–3 s, question 1 3–6 s (answer until 11 s), …
describe('satisfaction survey', () => {
  it('stores each answer under its alias and ends with the thanks and a hangup', () => {
    const r = simulateIvr(surveyToIvr(survey), [press(7000, '4'), press(11_000, '2'), press(15_000, '9')]);
    expect(r.data).toEqual({ atendimento: '4', resolvido: '2', recomenda: '9' });
    expect(r.played.at(-1)!.prompts).toEqual([sound('atende-survey-thanks')]);
    expect(r.exit).toEqual({ kind: 'hangup', cause: 16 });
  });

  it('an answer out of range is asked again; a valid one is then kept', () => {
    const r = simulateIvr(surveyToIvr(survey), [press(7000, '7'), press(14_000, '5'), press(18_000, '1'), press(22_000, '0')]);
    expect(r.data).toEqual({ atendimento: '5', resolvido: '1', recomenda: '0' });
    expect(r.played.map((p) => p.prompts[0])).toContainEqual(sound('atende-invalid-option'));
  });

  it('a question left unanswered after its retries is skipped, the others kept', () => {
    // Question 1 asked at 3 s and 11 s, given up at 19 s; question 2 asked 19–22 s.
    const r = simulateIvr(surveyToIvr(survey), [press(23_000, '1'), press(27_000, '8')]);
    expect(r.data).toEqual({ resolvido: '1', recomenda: '8' });
    expect(r.traces.filter((t) => t.event === 'exhausted')).toEqual([{ event: 'exhausted', node: 'q1' }]);
  });

  it('a caller who hangs up half-way keeps the answers given so far', () => {
    const r = simulateIvr(surveyToIvr(survey), [press(7000, '3'), { at: 9000, hangup: true }]);
    expect(r.data).toEqual({ atendimento: '3' });
    expect(r.traces.at(-1)).toEqual({ event: 'abandon', node: 'q2' });
  });

  it('digits during the intro are ignored; the first question takes them after it is asked', () => {
    const r = simulateIvr(surveyToIvr(survey), [press(1000, '5'), press(4000, '2'), press(11_000, '1'), press(15_000, '1')]);
    expect(r.data).toEqual({ atendimento: '2', resolvido: '1', recomenda: '1' });
  });

  it('without intro or thanks the questions stand alone', () => {
    const r = simulateIvr(surveyToIvr({ ...survey, intro: [], thanks: [], questions: survey.questions.slice(0, 1) }), [press(1000, '5')]);
    expect(r.data).toEqual({ atendimento: '5' });
    expect(r.exit).toEqual({ kind: 'hangup', cause: 16 });
    expect(r.played).toHaveLength(1);
  });
});

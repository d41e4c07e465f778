/**
 * The satisfaction survey runs on the IVR machine: each question is a collect node of one digit
 * checked against its range, an unanswered question is skipped (the answers given so far are
 * kept), and the call ends after the thanks.
 */
import type { CollectNode, IvrDefinition, IvrNode, NodeTarget } from './ivr.model.js';
import type { SurveyScript } from './survey.model.js';

const questionNode = (i: number): string => `q${i + 1}`;

export function surveyToIvr(survey: SurveyScript): IvrDefinition {
  const end: NodeTarget = { destination: { kind: 'hangup', cause: 16 } };
  const afterLast: NodeTarget = survey.thanks.length > 0 ? { node: 'thanks' } : end;
  const nextOf = (i: number): NodeTarget => (i + 1 < survey.questions.length ? { node: questionNode(i + 1) } : afterLast);
  const questions: CollectNode[] = survey.questions.map((q, i) => ({
    id: questionNode(i),
    name: q.alias,
    kind: 'collect',
    bargeIn: true,
    prompt: q.prompt,
    variable: q.alias,
    minDigits: 1,
    maxDigits: 1,
    terminator: null,
    validator: 'range',
    range: { min: q.min, max: q.max },
    timeoutSeconds: survey.timeoutSeconds,
    interDigitSeconds: 1,
    retries: survey.retries,
    invalidPrompt: survey.invalidPrompt,
    timeoutPrompt: [],
    exhaustedPrompt: [],
    onExhausted: nextOf(i),
    next: nextOf(i),
  }));
  const nodes: IvrNode[] = [...questions];
  if (survey.intro.length > 0) nodes.unshift({ id: 'intro', name: 'intro', kind: 'play', prompts: survey.intro, next: questions.length > 0 ? { node: questionNode(0) } : afterLast });
  if (survey.thanks.length > 0) nodes.push({ id: 'thanks', name: 'thanks', kind: 'play', prompts: survey.thanks, next: end });
  const root = nodes[0]?.id;
  if (root === undefined) throw new Error('a survey with nothing to play');
  return { language: survey.language, root, nodes };
}

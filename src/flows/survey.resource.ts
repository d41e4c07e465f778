import type { Static } from '@sinclair/typebox';
import { surveys } from '../db/schema/index.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { SOUNDS } from './catalogs.js';
import { checkPrompts, timestamps, type FlowsContext } from './flows-context.js';
import type { SurveyBody, SurveyView } from './flows.schemas.js';
import { DEFAULT_LANGUAGE } from './ivr.resource.js';
import type { SurveyScript } from './survey.model.js';

export type SurveyInput = Static<typeof SurveyBody>;
type View = Static<typeof SurveyView>;
export type SurveyRow = typeof surveys.$inferSelect;

export const surveyScript = (row: SurveyRow): SurveyScript => ({
  language: row.language,
  intro: row.intro,
  questions: row.questions,
  invalidPrompt: row.invalidPrompt,
  timeoutSeconds: row.timeoutSeconds,
  retries: row.retries,
  thanks: row.thanks,
});

/** Pesquisa de satisfação: questions answered by one digit within each one's range. */
export function surveyDef(ctx: FlowsContext): ResourceDef<typeof surveys, SurveyInput, View> {
  return {
    label: 'survey',
    entity: 'survey',
    table: surveys,
    unique: { name: surveys.name },
    search: [surveys.name],
    sortable: { name: surveys.name },
    toColumns(input, w) {
      const { name } = input;
      const aliases = new Map<string, number>();
      input.questions.forEach((q, i) => {
        const at = `questions.${i}`;
        const alias = q.alias.toLowerCase();
        if (aliases.has(alias)) throw invalidField(`${at}.alias`, `${at}.alias: ${q.alias} is already question ${aliases.get(alias)}`);
        aliases.set(alias, i);
        if (q.min > q.max) throw invalidField(`${at}.max`, `${at}.max: the range ${q.min}–${q.max} is empty`);
        if (q.prompt.length === 0) throw invalidField(`${at}.prompt`, `${at}.prompt: the question needs a prompt`);
        checkPrompts(ctx, w.tenantId, q.prompt, `${at}.prompt`);
      });
      const columns = {
        name,
        language: input.language ?? DEFAULT_LANGUAGE,
        intro: input.intro ?? [{ kind: 'sound' as const, name: SOUNDS.surveyIntro }],
        questions: input.questions,
        invalidPrompt: input.invalidPrompt ?? [{ kind: 'sound' as const, name: SOUNDS.surveyInvalid }],
        thanks: input.thanks ?? [{ kind: 'sound' as const, name: SOUNDS.surveyThanks }],
        timeoutSeconds: input.timeoutSeconds ?? 5,
        retries: input.retries ?? 1,
      };
      for (const field of ['intro', 'invalidPrompt', 'thanks'] as const) checkPrompts(ctx, w.tenantId, columns[field], field);
      return columns;
    },
    toInput: (row) => ({ ...surveyScript(row), name: row.name }),
    toView: (row) => ({ id: row.id, tenantId: row.tenantId, name: row.name, ...surveyScript(row), ...timestamps(row) }),
  };
}

import type { Static } from '@sinclair/typebox';
import { and, count, eq, isNull } from 'drizzle-orm';
import { voicemailBoxes, voicemailMessages } from '../db/schema/index.js';
import type { ResourceDef } from '../resources/index.js';
import { SOUNDS } from './catalogs.js';
import { checkPrompts, timestamps, type FlowsContext } from './flows-context.js';
import type { VoicemailBoxBody, VoicemailBoxView } from './flows.schemas.js';
import { DEFAULT_LANGUAGE } from './ivr.resource.js';

export type VoicemailBoxInput = Static<typeof VoicemailBoxBody>;
type View = Static<typeof VoicemailBoxView>;
export type VoicemailBoxRow = typeof voicemailBoxes.$inferSelect;

const fieldsOf = (row: VoicemailBoxRow) => ({
  name: row.name,
  number: row.number,
  greeting: row.greeting,
  maxMessageSeconds: row.maxMessageSeconds,
  maxMessages: row.maxMessages,
  language: row.language,
});

/** Caixa postal: a greeting, then the caller records a message (length-limited) kept as a WAV. */
export function voicemailBoxDef(ctx: FlowsContext): ResourceDef<typeof voicemailBoxes, VoicemailBoxInput, View> {
  return {
    label: 'voicemail box',
    entity: 'voicemail_box',
    table: voicemailBoxes,
    unique: { number: voicemailBoxes.number, name: voicemailBoxes.name },
    search: [voicemailBoxes.name, voicemailBoxes.number],
    sortable: { name: voicemailBoxes.name, number: voicemailBoxes.number },
    toColumns(input, w) {
      const { name } = input;
      const greeting = input.greeting ?? [{ kind: 'sound' as const, name: SOUNDS.voicemailGreeting }];
      checkPrompts(ctx, w.tenantId, greeting, 'greeting');
      return {
        name,
        number: input.number,
        greeting,
        maxMessageSeconds: input.maxMessageSeconds ?? 120,
        maxMessages: input.maxMessages ?? 100,
        language: input.language ?? DEFAULT_LANGUAGE,
      };
    },
    toInput: (row) => fieldsOf(row),
    toView(row, r) {
      const of = (unheardOnly: boolean) =>
        r.db
          .select({ n: count() })
          .from(voicemailMessages)
          .where(and(eq(voicemailMessages.boxId, row.id), unheardOnly ? isNull(voicemailMessages.heardAt) : undefined))
          .get()?.n ?? 0;
      return { id: row.id, tenantId: row.tenantId, ...fieldsOf(row), messages: of(false), unheard: of(true), ...timestamps(row) };
    },
  };
}

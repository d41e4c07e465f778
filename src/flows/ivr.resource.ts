import type { Static } from '@sinclair/typebox';
import { and, desc, eq } from 'drizzle-orm';
import { ivrs, ivrVersions, surveys } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { SOUNDS, checkPromptRef } from './catalogs.js';
import { parseDestination, type Destination } from '../calls/index.js';
import { throwProblem, timestamps, type FlowsContext } from './flows-context.js';
import type { IvrBody, IvrDefinitionInput, IvrView, NodeTargetSchema } from './flows.schemas.js';
import { ivrProblem, ivrReferences, silentExits } from './ivr-check.logic.js';
import type { IvrDefinition, IvrNode, NodeTarget, PromptRef } from './ivr.model.js';

export const DEFAULT_LANGUAGE = 'pt-BR';

/** The service may restore an old version: the new one records which it copied. */
export type IvrInput = Static<typeof IvrBody> & { restoredFrom?: number };
type View = Static<typeof IvrView>;

const sound = (name: string): PromptRef[] => [{ kind: 'sound', name }];
const HANG_UP: NodeTarget = { destination: { kind: 'hangup', cause: 16 } };

/** `field`: where the target sits (`definition.nodes.0.next`), to name a destination's missing id or number. */
const target = (t: Static<typeof NodeTargetSchema>, field: string): NodeTarget => ('node' in t ? { node: t.node } : { destination: parseDestination(t.destination, `${field}.destination`) });

/** Fills every default in, so that a stored version never changes meaning when defaults do. */
export function normaliseIvr(input: IvrDefinitionInput): IvrDefinition {
  const nodes = input.nodes.map((n, i): IvrNode => {
    const at = `definition.nodes.${i}`;
    if (n.kind === 'play') return { id: n.id, name: n.name ?? n.id, kind: 'play', prompts: n.prompts, next: target(n.next, `${at}.next`) };
    const waiting = {
      id: n.id,
      name: n.name ?? n.id,
      bargeIn: n.bargeIn ?? true,
      timeoutSeconds: n.timeoutSeconds ?? 5,
      interDigitSeconds: n.interDigitSeconds ?? 3,
      retries: n.retries ?? 2,
      invalidPrompt: n.invalidPrompt ?? sound(SOUNDS.invalidOption),
      timeoutPrompt: n.timeoutPrompt ?? sound(SOUNDS.timeout),
      exhaustedPrompt: n.exhaustedPrompt ?? sound(SOUNDS.triesExceeded),
      onExhausted: n.onExhausted ? target(n.onExhausted, `${at}.onExhausted`) : HANG_UP,
    };
    if (n.kind === 'menu') {
      return {
        ...waiting,
        kind: 'menu',
        greeting: n.greeting ?? [],
        prompt: n.prompt,
        options: (n.options ?? []).map((o, j) => ({ digit: o.digit, target: target(o.target, `${at}.options.${j}.target`), ...(o.label ? { label: o.label } : {}) })),
        directDialLength: n.directDialLength ?? null,
      };
    }
    return {
      ...waiting,
      kind: 'collect',
      prompt: n.prompt,
      variable: n.variable,
      minDigits: n.minDigits ?? 1,
      maxDigits: n.maxDigits,
      terminator: n.terminator === undefined ? '#' : n.terminator,
      validator: n.validator ?? 'none',
      range: n.range ?? null,
      next: target(n.next, `${at}.next`),
    };
  });
  return { language: input.language ?? DEFAULT_LANGUAGE, root: input.root, nodes };
}

export interface IvrVersion {
  version: number;
  definition: IvrDefinition;
  createdAt: number;
  restoredFrom: number | null;
}

export function ivrVersion(db: Db, ivrId: number, version: number): IvrVersion | undefined {
  return db
    .select({ version: ivrVersions.version, definition: ivrVersions.definition, createdAt: ivrVersions.createdAt, restoredFrom: ivrVersions.restoredFrom })
    .from(ivrVersions)
    .where(and(eq(ivrVersions.ivrId, ivrId), eq(ivrVersions.version, version)))
    .get();
}

/** The definition new calls run. */
export function currentIvrDefinition(db: Db, row: { id: number; version: number }): IvrDefinition {
  const v = ivrVersion(db, row.id, row.version);
  if (!v) throw new Error(`IVR ${row.id} has no version ${row.version}`);
  return v.definition;
}

export function ivrVersionList(db: Db, ivrId: number): IvrVersion[] {
  return db
    .select({ version: ivrVersions.version, definition: ivrVersions.definition, createdAt: ivrVersions.createdAt, restoredFrom: ivrVersions.restoredFrom })
    .from(ivrVersions)
    .where(eq(ivrVersions.ivrId, ivrId))
    .orderBy(desc(ivrVersions.version))
    .all();
}

/** URA. Every change of the definition is a new version; calls keep the one they entered. */
export function ivrDef(ctx: FlowsContext): ResourceDef<typeof ivrs, IvrInput, View> {
  const current = currentIvrDefinition;
  return {
    label: 'IVR',
    entity: 'ivr',
    table: ivrs,
    unique: { name: ivrs.name },
    search: [ivrs.name, ivrs.description],
    sortable: { name: ivrs.name },
    toColumns(input, w) {
      const { name } = input;
      const definition = normaliseIvr(input.definition);
      const problem = ivrProblem(definition);
      if (problem) throwProblem({ field: `definition.${problem.field}`, message: `definition.${problem.message}` });
      const refs = ivrReferences(definition);
      for (const p of refs.prompts) checkPromptRef(ctx.prompts(), w.tenantId, p.ref, `definition.${p.field}`);
      for (const d of refs.destinations) ctx.destinations.check(w.tenantId, d.destination, `definition.${d.field}`);
      const surveyId = input.surveyId ?? null;
      if (surveyId !== null && !w.db.select({ id: surveys.id }).from(surveys).where(and(eq(surveys.id, surveyId), eq(surveys.tenantId, w.tenantId))).get()) {
        throw invalidField('surveyId', `surveyId: there is no survey ${surveyId}`);
      }
      let version = 1;
      if (w.before) {
        const self: Destination = { kind: 'ivr', id: w.before.id };
        ctx.destinations.checkNoSilentLoop(w.tenantId, self, silentExits(definition), 'definition');
        const changed = JSON.stringify(current(w.db, w.before)) !== JSON.stringify(definition);
        version = changed || input.restoredFrom !== undefined ? w.before.version + 1 : w.before.version;
      }
      return { name, description: input.description?.trim() ?? '', surveyId, version };
    },
    afterWrite(row, input, w) {
      if (w.before && row.version === w.before.version) return;
      w.db
        .insert(ivrVersions)
        .values({
          tenantId: w.tenantId,
          ivrId: row.id,
          version: row.version,
          definition: normaliseIvr(input.definition),
          createdAt: w.now,
          restoredFrom: input.restoredFrom ?? null,
        })
        .run();
    },
    toInput: (row, r) => ({ name: row.name, description: row.description, surveyId: row.surveyId, definition: current(r.db, row) }),
    toView: (row, r) => ({
      id: row.id,
      tenantId: row.tenantId,
      name: row.name,
      description: row.description,
      surveyId: row.surveyId,
      version: row.version,
      definition: current(r.db, row),
      ...timestamps(row),
    }),
  };
}

import { Type, type Static } from '@sinclair/typebox';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { dialerCampaigns, dialerLists, dialerStrategies, statusGroups, type AmdParams } from '../db/schema/index.js';
import { DateTime, Id, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import { AMD_VARIABLES } from '../telephony/confgen/confgen.model.js';
import type { ResourceDef } from '../resources/index.js';
import { isNumber0303 } from './compliance.logic.js';
import { DialerRepo } from './dialer.repo.js';
import { listLocked } from './lists.resource.js';

/** AMD()'s arguments in their order (dialplan/atende.conf), as a campaign names them. */
const AMD_ARGUMENTS = [
  'initialSilence',
  'greeting',
  'afterGreetingSilence',
  'totalAnalysisTime',
  'minimumWordLength',
  'betweenWordsSilence',
  'maximumNumberOfWords',
  'silenceThreshold',
  'maximumWordLength',
] as const satisfies readonly (keyof AmdParams)[];

/** app_amd's own defaults (the dialplan's), pinned so that a campaign never depends on amd.conf. */
export const AMD_DEFAULTS = Object.fromEntries(AMD_ARGUMENTS.map((k, i) => [k, AMD_VARIABLES[i]![1]])) as unknown as AmdParams;

/** The false-positive share (%) a campaign assumes until it sets its own measured one. */
export const AMD_FALSE_POSITIVE_DEFAULT = 1;

/** The share (0–1) of answering persons the campaign's detection hangs up on; 0 with detection off. */
export const amdFalsePositiveRate = (c: { amdEnabled: boolean; amd: AmdParams }): number => (c.amdEnabled ? (c.amd.falsePositivePercent ?? AMD_FALSE_POSITIVE_DEFAULT) / 100 : 0);

/** The channel variables the originate carries for `[atende-amd]` to pass to AMD(). */
export function amdVariables(amd: AmdParams): Record<string, string> {
  return Object.fromEntries(AMD_ARGUMENTS.map((k, i) => [AMD_VARIABLES[i]![0], String(amd[k])]));
}
const Ms = Type.Integer({ minimum: 0, maximum: 32_767 });
const AmdBody = Type.Object(
  {
    enabled: Type.Boolean(),
    initialSilence: Type.Optional(Ms),
    greeting: Type.Optional(Ms),
    afterGreetingSilence: Type.Optional(Ms),
    totalAnalysisTime: Type.Optional(Ms),
    minimumWordLength: Type.Optional(Ms),
    betweenWordsSilence: Type.Optional(Ms),
    maximumNumberOfWords: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    silenceThreshold: Type.Optional(Ms),
    maximumWordLength: Type.Optional(Ms),
    falsePositivePercent: Type.Optional(
      Type.Number({ minimum: 0, maximum: 50, description: 'share (%) of answering persons detection hangs up on, measured by sampling; the abandon estimate adds them (default 1)' }),
    ),
  },
  closed,
);
const AmdView = Type.Object({ enabled: Type.Boolean(), ...Object.fromEntries(Object.keys(AMD_DEFAULTS).map((k) => [k, Type.Integer()])), falsePositivePercent: Type.Number() });

export const CAMPAIGN_MODES = ['preview', 'progressive', 'predictive'] as const;
/** Above this the regulators' 3 % is far behind; a typo (30 for 3.0) is refused. */
export const ABANDON_HARD_CAP = 10;

export const CampaignBody = Type.Object(
  {
    name: RequiredText({ maxLength: 100 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    mode: Type.Union(CAMPAIGN_MODES.map((m) => Type.Literal(m))),
    strategyId: Id,
    queueId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'the service (queue) whose agents take the calls' }),
    outboundRouteId: Type.Optional(Nullable(Id)),
    callerId: Type.Optional(Nullable(Type.String({ pattern: '^\\+?[0-9]{3,20}$', maxLength: 21 }))),
    ringTimeoutSeconds: Type.Integer({ minimum: 15, maximum: 120, description: 'at least 15 s, so that people have time to answer' }),
    amd: Type.Optional(AmdBody),
    requireTabulation: Type.Optional(Type.Boolean()),
    statusGroupId: Type.Optional(Nullable(Id)),
    abandonTargetPercent: Type.Number({ minimum: 0, maximum: ABANDON_HARD_CAP }),
    abandonMaxPercent: Type.Optional(Type.Number({ minimum: 0, maximum: ABANDON_HARD_CAP, description: 'the hard cap; default 3 %' })),
    prefix0303: Type.Optional(Type.Boolean()),
    dropPromptId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'the drop message (a prompt); null: the built-in one' }))),
    stopWhenExhausted: Type.Optional(Type.Boolean()),
    stopAt: Type.Optional(Nullable(DateTime())),
    listIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
  },
  closed,
);
export type CampaignInput = Static<typeof CampaignBody>;

export const CampaignView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  mode: Type.String(),
  strategyId: Type.Integer(),
  queueId: Type.Integer(),
  outboundRouteId: Nullable(Type.Integer()),
  callerId: Nullable(Type.String()),
  ringTimeoutSeconds: Type.Integer(),
  amd: AmdView,
  requireTabulation: Type.Boolean(),
  statusGroupId: Nullable(Type.Integer()),
  abandonTargetPercent: Type.Number(),
  abandonMaxPercent: Type.Number(),
  prefix0303: Type.Boolean(),
  dropPromptId: Nullable(Type.Integer()),
  stopWhenExhausted: Type.Boolean(),
  stopAt: Nullable(DateTime()),
  listIds: Type.Array(Type.Integer()),
  state: Type.String(),
  stateReason: Nullable(Type.String()),
  startedAt: Nullable(DateTime()),
  endedAt: Nullable(DateTime()),
  ...Timestamps,
});
export type CampaignView = Static<typeof CampaignView>;

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Checks what a campaign names exists elsewhere (queues, outbound routes): set when those modules exist. */
export interface CampaignRefs {
  queueExists?: (tenantId: number, id: number) => boolean;
  routeExists?: (tenantId: number, id: number) => boolean;
  promptExists?: (tenantId: number, id: number) => boolean;
  /** The extension of an agent (whose desk sees events about it). */
  agentExtension?: (tenantId: number, userId: number) => string | null;
  /** Agents logged in to the queue now. */
  agentsLoggedIn?: (tenantId: number, queueId: number) => number;
}

type CampaignRow = typeof dialerCampaigns.$inferSelect;

/** The row as the body that would write it (and the view's common part). */
function campaignInput(row: CampaignRow, db: Db): Required<CampaignInput> & { amd: AmdParams & { enabled: boolean; falsePositivePercent: number } } {
  return {
    name: row.name,
    description: row.description,
    mode: row.mode,
    strategyId: row.strategyId,
    queueId: row.queueId,
    outboundRouteId: row.outboundRouteId,
    callerId: row.callerId,
    ringTimeoutSeconds: row.ringTimeoutSeconds,
    amd: { enabled: row.amdEnabled, ...row.amd, falsePositivePercent: row.amd.falsePositivePercent ?? AMD_FALSE_POSITIVE_DEFAULT },
    requireTabulation: row.requireTabulation,
    statusGroupId: row.statusGroupId,
    abandonTargetPercent: row.abandonTargetPercent,
    abandonMaxPercent: row.abandonMaxPercent,
    prefix0303: row.prefix0303,
    dropPromptId: row.dropPromptId,
    stopWhenExhausted: row.stopWhenExhausted,
    stopAt: isoOrNull(row.stopAt),
    listIds: new DialerRepo(db).listsOfCampaign(row.id).map((l) => l.id),
  };
}

export function campaignDef(refs: CampaignRefs): ResourceDef<typeof dialerCampaigns, CampaignInput, CampaignView> {
  return {
    label: 'campaign',
    entity: 'dialer_campaign',
    table: dialerCampaigns,
    unique: { name: dialerCampaigns.name },
    search: [dialerCampaigns.name, dialerCampaigns.description],
    sortable: { name: dialerCampaigns.name, createdAt: dialerCampaigns.createdAt, state: dialerCampaigns.state },
    filter: (q) => [q.state === undefined ? undefined : eq(dialerCampaigns.state, q.state as 'draft')],
    toColumns(input, w) {
      const { name } = input;
      const strategy = w.db.select({ tenantId: dialerStrategies.tenantId }).from(dialerStrategies).where(eq(dialerStrategies.id, input.strategyId)).get();
      if (strategy?.tenantId !== w.tenantId) throw invalidField('strategyId', 'strategyId: no such dialing strategy');
      if (refs.queueExists && !refs.queueExists(w.tenantId, input.queueId)) throw invalidField('queueId', 'queueId: no such service (queue)');
      const route = input.outboundRouteId ?? null;
      if (route !== null && refs.routeExists && !refs.routeExists(w.tenantId, route)) throw invalidField('outboundRouteId', 'outboundRouteId: no such outbound route');
      const group = input.statusGroupId ?? null;
      if (group !== null) {
        const g = w.db.select({ tenantId: statusGroups.tenantId }).from(statusGroups).where(eq(statusGroups.id, group)).get();
        if (g?.tenantId !== w.tenantId) throw invalidField('statusGroupId', 'statusGroupId: no such status group');
      }
      const max = input.abandonMaxPercent ?? 3;
      if (input.abandonTargetPercent > max) throw invalidField('abandonTargetPercent', `abandonTargetPercent: at most the hard cap abandonMaxPercent (${max} %)`);
      const callerId = input.callerId ?? null;
      const prefix0303 = input.prefix0303 ?? false;
      if (prefix0303 && !isNumber0303(callerId)) throw invalidField('callerId', 'callerId: with prefix0303 the caller id is the 0303 number (0303 and 7 or 8 digits)');
      const dropPromptId = input.dropPromptId ?? null;
      if (dropPromptId !== null && refs.promptExists && !refs.promptExists(w.tenantId, dropPromptId)) throw invalidField('dropPromptId', 'dropPromptId: no such prompt');
      const stopAt = input.stopAt ? Date.parse(input.stopAt) : null;
      if (stopAt !== null && stopAt <= w.now && stopAt !== w.before?.stopAt) throw invalidField('stopAt', 'stopAt: must be in the future');
      const { enabled, ...amd } = input.amd ?? { enabled: false };
      return {
        name,
        description: input.description ?? null,
        mode: input.mode,
        strategyId: input.strategyId,
        queueId: input.queueId,
        outboundRouteId: route,
        callerId,
        ringTimeoutSeconds: input.ringTimeoutSeconds,
        amdEnabled: enabled,
        // A patch names only the AMD parameters it changes: the others stay as stored (or app_amd's defaults, for a new campaign).
        amd: { ...AMD_DEFAULTS, ...w.before?.amd, ...amd },
        requireTabulation: input.requireTabulation ?? true,
        statusGroupId: group,
        abandonTargetPercent: input.abandonTargetPercent,
        abandonMaxPercent: max,
        prefix0303,
        dropPromptId,
        stopWhenExhausted: input.stopWhenExhausted ?? true,
        stopAt,
        state: w.before?.state ?? 'draft',
        stateReason: w.before?.stateReason ?? null,
        startedAt: w.before?.startedAt ?? null,
        endedAt: w.before?.endedAt ?? null,
      };
    },
    afterWrite(row, input, w) {
      if (input.listIds === undefined) return;
      const repo = new DialerRepo(w.db);
      const before = repo.listsOfCampaign(row.id).map((l) => l.id);
      const lists = input.listIds.length ? w.db.select().from(dialerLists).where(inArray(dialerLists.id, input.listIds)).all() : [];
      input.listIds.forEach((id, i) => {
        const list = lists.find((l) => l.id === id);
        if (list?.tenantId !== w.tenantId) throw invalidField(`listIds.${i}`, `listIds.${i}: no such contact group`);
        if (list.campaignId !== null && list.campaignId !== row.id) {
          const e = listLocked(list.name, repo.campaignName(list.campaignId));
          throw conflict(e.message, { field: `listIds.${i}`, code: 'list_locked', campaignId: list.campaignId });
        }
      });
      if (row.startedAt !== null && before.some((id) => !input.listIds!.includes(id))) {
        throw invalidField('listIds', 'listIds: a contact group stays with a campaign that has started dialling it');
      }
      repo.linkLists(row.id, input.listIds, w.now);
    },
    toInput: (row, r) => campaignInput(row, r.db),
    toView: (row, r) => ({
      id: row.id,
      tenantId: row.tenantId,
      ...campaignInput(row, r.db),
      state: row.state,
      stateReason: row.stateReason,
      startedAt: isoOrNull(row.startedAt),
      endedAt: isoOrNull(row.endedAt),
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    }),
    beforeDelete(row, w) {
      // Its attempts are what the dialer report and the short-call count read.
      if (row.startedAt !== null) throw conflict(`the campaign "${row.name}" has dialled; it is kept for the reports (stop it instead)`, { field: 'state' });
      new DialerRepo(w.db).linkLists(row.id, [], w.now);
    },
  };
}

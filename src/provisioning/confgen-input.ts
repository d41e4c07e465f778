/** The renderers' typed inputs from a tenant's rows (src/telephony/confgen). */
import type { e1Spans, extensions, mohClasses, sipTrunks } from '../db/schema/index.js';
import type { ExtensionConf, MohClassConf, R2Options, SpanConf, TenantConf, TrunkConf, Codec } from '../telephony/confgen/index.js';
import { asteriskMohClass } from './media.resource.js';
import type { PromptCatalog } from './prompts.js';
import { parseRanges } from './telephony.logic.js';

type SpanRow = typeof e1Spans.$inferSelect;
type TrunkRow = typeof sipTrunks.$inferSelect;
type ExtensionRow = typeof extensions.$inferSelect;
type MohRow = typeof mohClasses.$inferSelect;

export interface TenantRows {
  tenantId: number;
  tenantName: string;
  spans: SpanRow[];
  trunks: TrunkRow[];
  extensions: ExtensionRow[];
  mohClasses: MohRow[];
}

const spanConf = (s: SpanRow): SpanConf => {
  const ranges = parseRanges(s.bchannels);
  return {
    span: s.span,
    description: s.description || `span ${s.span}`,
    timing: s.timing,
    lineBuildOut: s.lineBuildOut,
    framing: s.framing,
    coding: s.coding,
    crc4: s.crc4,
    signalling: s.signalling,
    switchtype: s.switchtype,
    bchannels: typeof ranges === 'string' ? [] : ranges,
    dchannel: s.dchannel,
    group: s.channelGroup,
    r2: s.r2 === null ? null : (s.r2 as unknown as R2Options),
    echoCanceller: s.echoCanceller,
  };
};

const trunkConf = (t: TrunkRow): TrunkConf => ({
  name: t.name,
  host: t.host,
  port: t.port,
  transport: t.transport,
  codecs: t.codecs as Codec[],
  auth: t.authUser !== null && t.secret !== null ? { username: t.authUser, secret: t.secret } : null,
  registration: t.register ? { contactUser: t.contactUser, expirationSeconds: t.expirationSeconds } : null,
  fromUser: t.fromUser,
  fromDomain: t.fromDomain,
  outboundProxy: t.outboundProxy,
  extraOptions: t.extraOptions,
});

const extensionConf = (e: ExtensionRow): ExtensionConf => ({
  number: e.number,
  sipUser: e.sipUser,
  secret: e.secret,
  displayName: e.displayName,
  kind: e.kind,
  codecs: e.codecs as Codec[],
  maxContacts: e.maxContacts,
});

const mohConf = (m: MohRow, prompts: PromptCatalog): MohClassConf => ({
  className: asteriskMohClass(m.tenantId, m.id),
  entries: m.promptIds.flatMap((id) => prompts.fileOf(m.tenantId, id) ?? []),
  random: m.random,
});

export function tenantConf(rows: TenantRows, prompts: PromptCatalog): TenantConf {
  return {
    tenantId: rows.tenantId,
    tenantName: rows.tenantName,
    spans: rows.spans.map(spanConf),
    trunks: rows.trunks.map(trunkConf),
    extensions: rows.extensions.map(extensionConf),
    mohClasses: rows.mohClasses.map((m) => mohConf(m, prompts)),
  };
}

/**
 * The telecom admin's "Telefonia": E1 spans, SIP trunks, extensions, inbound and outbound
 * routes, music on hold, announcements, conferences, SIP settings — tenant-scoped, validated,
 * audited resources (src/resources), and what is generated from them for Asterisk. Other
 * modules import provisioning only from here.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { changeContextOf, tenantScope } from '../auth/index.js';
import { localeOf, localize, type ApiLocale } from '../http/messages/index.js';
import { TenantQuery } from '../http/schemas.js';
import type { Audience, Logger } from '../kernel/index.js';
import { noEvents, type EventPublisher } from '../kernel/live-events.js';
import { ApplyService, type ApplyResult, type AsteriskConfigLink } from './apply.service.js';
import { ApplyBody, ApplyResultView } from './apply.schemas.js';
import { ConfigFiles } from './config-files.js';
import type { TenantRows } from './confgen-input.js';
import { TelephonyRepo } from './telephony.repo.js';
import { CallDirectory } from './call-directory.js';
import { SYSTEM_ACTOR } from '../org/index.js';
import { ResourceService, resourceRoutes, type ResourceContext } from '../resources/index.js';
import { InboundRouteBody, InboundRouteView, inboundRouteDef } from './inbound-routes.resource.js';
import { ExtensionBody, ExtensionCreated, ExtensionView, extensionDef } from './extensions.resource.js';
import {
  AnnouncementBody,
  AnnouncementView,
  ConferenceBody,
  ConferenceView,
  MohClassBody,
  MohClassView,
  announcementDef,
  conferenceDef,
  mohClassDef,
} from './media.resource.js';
import { OutboundRouteBody, OutboundRouteView, outboundRouteDef } from './outbound-routes.resource.js';
import { promptCatalog } from './prompts.js';
import type { PromptService } from './prompts/index.js';
import { registerReferences } from './references.js';
import type { Destinations } from './destination.js';
import { destinationFromColumns } from '../calls/index.js';
import { SipSettingsBody, SipSettingsService, SipSettingsView } from './sip-settings.js';
import { SpanBody, SpanView, spanDef } from './spans.resource.js';
import { TrunkBody, TrunkView, trunkDef } from './trunks.resource.js';
import { TelephonyStatusService, type AsteriskStatusLink } from './status.service.js';
import { TelephonyStatusView } from './status.schemas.js';
import { webphoneRoutes } from './webphone.routes.js';

export { chooseOutbound, type OutboundChoice, type OutboundRouteCandidate, type OutboundRule } from './outbound.logic.js';
export { normaliseDid } from './telephony.logic.js';
export type { AsteriskConfigLink, ApplyResult } from './apply.service.js';

/** An apply's notes and problems in the language the request asks for (Asterisk's own words inside them stay as they are). */
function worded(r: ApplyResult, locale: ApiLocale): ApplyResult {
  const say = (m: string) => localize(m, locale);
  return { ...r, notes: r.notes.map(say), modules: r.modules.map((m) => ({ ...m, problems: m.problems.map(say) })), error: r.error === null ? null : say(r.error) };
}
export { TelephonyStatusView } from './status.schemas.js';
export { telephonyTenantResolver, type CallDirectory } from './call-directory.js';
export { Destinations, checkDestination, destinationColumns, destinationOf, registerDestinationReferrers } from './destination.js';

export interface ProvisioningDeps {
  resources: ResourceContext;
  logger: Logger;
  /** The prompts module: classes and announcements play its files. */
  prompts: PromptService;
  /** Asterisk's configuration directory; undefined with the reason apply gives. */
  /** `private` when the directory lies in Atende's data directory (the emulator's). */
  configDir: { path: string; audience?: Audience } | { missing: string };
  /** AMI, for reloads and status; undefined when there is no Asterisk (tests of the resources alone). */
  asterisk?: AsteriskConfigLink & AsteriskStatusLink;
  /** Where live status changes are pushed (the events socket). */
  events?: EventPublisher;
  /** Destinations of every kind (one instance per process, shared with call flows). */
  destinations: Destinations;
  /** Whether a time condition is open at an instant (call flows own them): outbound routes may depend on one. */
  timeConditionOpen?: (tenantId: number, id: number, now: number) => boolean;
  /** Where browsers reach Asterisk's SIP WebSocket (the webphone's account names it). */
  webphoneUrl?: string;
}

export function createProvisioning(deps: ProvisioningDeps) {
  const { resources } = deps;
  const prompts = promptCatalog(deps.prompts);
  registerReferences(resources.references, resources.database.db);
  const services = {
    spans: new ResourceService(spanDef, resources),
    trunks: new ResourceService(trunkDef, resources),
    extensions: new ResourceService(extensionDef, resources),
    inboundRoutes: new ResourceService(inboundRouteDef, resources),
    outboundRoutes: new ResourceService(outboundRouteDef, resources),
    mohClasses: new ResourceService(mohClassDef(prompts), resources),
    announcements: new ResourceService(announcementDef(prompts, deps.destinations), resources),
    conferences: new ResourceService(conferenceDef, resources),
  };
  // An announcement plays, then goes on by itself: a caller who presses nothing follows it.
  deps.destinations.registerSilentExits('announcement', (tenantId, id) => {
    const row = services.announcements.row(tenantId, id);
    return row ? [destinationFromColumns(row)] : [];
  });
  const settings = new SipSettingsService(resources);
  const repo = new TelephonyRepo(resources.database.db);
  const rowsOf = (tenantId: number): TenantRows => ({
    tenantId,
    tenantName: repo.tenant(tenantId)?.legalName ?? `tenant ${tenantId}`,
    spans: services.spans.rows(tenantId),
    trunks: services.trunks.rows(tenantId),
    extensions: services.extensions.rows(tenantId),
    mohClasses: services.mohClasses.rows(tenantId),
  });
  const apply = new ApplyService({
    resources,
    settings,
    rows: { tenants: () => repo.tenantsWithConfig(), of: rowsOf },
    prompts,
    files: 'path' in deps.configDir ? new ConfigFiles(deps.configDir.path, deps.configDir.audience) : undefined,
    ...('missing' in deps.configDir ? { filesMissingReason: deps.configDir.missing } : {}),
    asterisk: deps.asterisk,
    logger: deps.logger,
  });
  const status = new TelephonyStatusService({
    asterisk: deps.asterisk,
    events: deps.events ?? noEvents,
    logger: deps.logger,
    rows: (tenantId) => ({
      spans: services.spans.rows(tenantId),
      trunks: services.trunks.rows(tenantId),
      extensions: services.extensions.rows(tenantId),
    }),
    tenants: () => repo.tenantsWithConfig(),
    tenantOfEndpoint: (name) => repo.extensionBySipUser(name)?.tenantId ?? repo.trunkByName(name)?.tenantId,
    tenantOfSpan: (span) => repo.span(span)?.tenantId,
  });
  status.start();
  const tag = 'telephony';
  const routes: FastifyPluginAsync[] = [
    resourceRoutes(services.spans, { path: '/telephony/spans', module: 'telephony', tag, body: SpanBody, view: SpanView }),
    resourceRoutes(services.trunks, { path: '/telephony/trunks', module: 'telephony', tag, body: TrunkBody, view: TrunkView }),
    resourceRoutes(services.extensions, {
      path: '/telephony/extensions',
      module: 'extensions',
      tag,
      body: ExtensionBody,
      view: ExtensionView,
      created: ExtensionCreated,
      filters: { kind: Type.Optional(Type.Union([Type.Literal('softphone'), Type.Literal('webrtc')])) },
    }),
    resourceRoutes(services.inboundRoutes, { path: '/telephony/inbound-routes', module: 'telephony', tag, body: InboundRouteBody, view: InboundRouteView }),
    resourceRoutes(services.outboundRoutes, { path: '/telephony/outbound-routes', module: 'telephony', tag, body: OutboundRouteBody, view: OutboundRouteView }),
    resourceRoutes(services.mohClasses, { path: '/telephony/moh-classes', module: 'telephony', tag, body: MohClassBody, view: MohClassView }),
    resourceRoutes(services.announcements, { path: '/telephony/announcements', module: 'flows', tag, body: AnnouncementBody, view: AnnouncementView }),
    resourceRoutes(services.conferences, { path: '/telephony/conferences', module: 'flows', tag, body: ConferenceBody, view: ConferenceView }),
    webphoneRoutes({ extensions: (tenantId) => services.extensions.rows(tenantId), wsUrl: deps.webphoneUrl }),
    async (instance) => {
      const app = instance.withTypeProvider<TypeBoxTypeProvider>();
      app.get(
        '/telephony/sip-settings',
        { config: { access: { module: 'telephony', action: 'read' } }, schema: { tags: [tag], summary: 'SIP general settings of the server', response: { 200: SipSettingsView } } },
        async () => settings.view(),
      );
      app.patch(
        '/telephony/sip-settings',
        {
          config: { access: { module: 'telephony', action: 'write' } },
          schema: { tags: [tag], summary: 'Change the SIP general settings (super user only: they apply to every tenant)', body: SipSettingsBody, response: { 200: SipSettingsView } },
        },
        async (req) => settings.update(changeContextOf(req), req.body),
      );
      app.get(
        '/telephony/status',
        {
          config: { access: { module: 'telephony', action: 'read' } },
          schema: {
            tags: [tag],
            summary: 'Live state of the spans, trunks and phones (also pushed as telephony.status on the events socket, topic telephony)',
            querystring: TenantQuery,
            response: { 200: TelephonyStatusView },
          },
        },
        async (req) => status.status(tenantScope(req, req.query.tenantId)),
      );
      app.get(
        '/telephony/apply',
        {
          config: { access: { module: 'telephony', action: 'read' } },
          schema: { tags: [tag], summary: 'What an apply would change now (pending changes, per-file diff)', querystring: TenantQuery, response: { 200: ApplyResultView } },
        },
        async (req) => worded(await apply.preview(tenantScope(req, req.query.tenantId)), localeOf(req)),
      );
      app.post(
        '/telephony/apply',
        {
          config: { access: { module: 'telephony', action: 'write' } },
          schema: {
            tags: [tag],
            summary: 'Write the Asterisk configuration and reload it (dryRun: only show the diff)',
            querystring: TenantQuery,
            body: ApplyBody,
            response: { 200: ApplyResultView },
          },
        },
        async (req) =>
          worded(
            await (req.body.dryRun ? apply.preview(tenantScope(req, req.query.tenantId)) : apply.apply(changeContextOf(req), tenantScope(req, req.query.tenantId))),
            localeOf(req),
          ),
      );
    },
  ];
  const directory = new CallDirectory({
    db: resources.database.db,
    repo,
    unknownDidCause: () => settings.unknownDidCause(),
    outboundRoutes: (tenantId) => services.outboundRoutes.rows(tenantId),
    extensionRow: (tenantId, id) => services.extensions.row(tenantId, id),
    ...(deps.timeConditionOpen ? { timeConditionOpen: deps.timeConditionOpen } : {}),
    updateExtension: (_tenantId, id, patch) => {
      services.extensions.update({ actor: SYSTEM_ACTOR }, id, patch);
    },
  });
  return { services, settings, routes, prompts, apply, repo, directory, status };
}

export type Provisioning = ReturnType<typeof createProvisioning>;

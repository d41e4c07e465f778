/**
 * What the call flows need of the provisioned telephony (the `TelephonyDirectory` and
 * `TenantResolver` ports of src/calls): phones by endpoint and number, inbound routes by DID —
 * the DID decides the tenant — destinations, and outbound routes with their trunks' dial strings.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { profiles, users } from '../db/schema/index.js';
import { DEFAULT_PERMISSIONS, allows } from '../auth/permissions.js';
import { destinationFromColumns, type InboundMatch, type OutboundPlan, type PhoneExtension, type TelephonyDirectory, type TenantResolver } from '../calls/index.js';
import { turnMemo, type TenantId } from '../kernel/index.js';
import type { ChannelSnapshot } from '../telephony/call-control.js';
import { comparePatterns, matchesPattern } from './dial-pattern.logic.js';
import { chooseOutbound, type OutboundRouteCandidate } from './outbound.logic.js';
import { numberOwner } from './numbering-plan.js';
import { ruleFields, rulesOf, trunksOf } from './outbound-routes.resource.js';
import { normaliseDid, parseRanges } from './telephony.logic.js';
import type { TelephonyRepo } from './telephony.repo.js';

/** A trunk of an outbound route, as a plan names it. */
type OutboundTrunk = { ref: string; name: string | null; group: number | null; maxChannels: number | null };

type ExtensionRow = NonNullable<ReturnType<TelephonyRepo['extensionBySipUser']>>;
type InboundRow = ReturnType<TelephonyRepo['inboundRoutes']>[number];

export interface CallDirectoryDeps {
  db: Db;
  repo: TelephonyRepo;
  unknownDidCause: () => number;
  outboundRoutes: (tenantId: number) => { id: number; name: string; position: number; timeConditionId: number | null; requireTabulation: boolean }[];
  extensionRow: (tenantId: number, id: number) => ExtensionRow | undefined;
  /** Is a time condition open at an instant (call flows own them); without it, a timed route is never open. */
  timeConditionOpen?: (tenantId: number, id: number, now: number) => boolean;
  /** Sets do-not-disturb / forwarding on an extension (audited as a change made from the phone). */
  updateExtension: (tenantId: number, id: number, patch: { dnd?: boolean; forwardTo?: string | null }) => void;
}

/** The shortest DNIS an R2 span sends that still names one DID (suffix match). */
const MIN_SUFFIX = 4;

export class CallDirectory implements TelephonyDirectory {
  constructor(private readonly d: CallDirectoryDeps) {}

  private mayDialOut(row: ExtensionRow): boolean {
    if (!row.dialOut) return false;
    if (row.userId === null) return true;
    const user = this.d.db.select().from(users).where(eq(users.id, row.userId)).get();
    if (!user || !user.active) return false;
    if (user.superUser) return true;
    const profile = user.profileId === null ? undefined : this.d.db.select().from(profiles).where(eq(profiles.id, user.profileId)).get();
    return allows(profile ? profile.permissions : DEFAULT_PERMISSIONS[user.level], { module: 'dialout', action: 'write' });
  }

  private phone(row: ExtensionRow): PhoneExtension {
    return {
      id: row.id,
      tenantId: row.tenantId as TenantId,
      number: row.number,
      sipUser: row.sipUser,
      displayName: row.displayName,
      mayDialOut: this.mayDialOut(row),
      outboundCallerId: row.outboundCallerId,
      dnd: row.dnd,
      forwardTo: row.forwardTo,
    };
  }

  extensionOfChannel(channelName: string): PhoneExtension | undefined {
    const m = /^PJSIP\/(.+)-[0-9a-f]+$/i.exec(channelName);
    const row = m ? this.d.repo.extensionBySipUser(m[1]!) : undefined;
    return row ? this.phone(row) : undefined;
  }

  extensionByNumber(tenantId: TenantId, number: string): PhoneExtension | undefined {
    const owner = numberOwner(this.d.db, tenantId, number);
    const row = owner?.kind === 'extension' ? this.d.extensionRow(tenantId, owner.id) : undefined;
    return row ? this.phone(row) : undefined;
  }

  extension(tenantId: TenantId, id: number): PhoneExtension | undefined {
    const row = this.d.extensionRow(tenantId, id);
    return row ? this.phone(row) : undefined;
  }

  internalNumber(tenantId: TenantId, number: string): { kind: 'extension' | 'conference'; id: number } | undefined {
    return numberOwner(this.d.db, tenantId, number);
  }

  /** Routes whose DID is the one called: the same number, or the R2 suffix of exactly one DID. */
  private routesOfDid(did: string): InboundRow[] {
    const wanted = normaliseDid(did);
    if (wanted === null) return [];
    const all = this.d.repo.inboundRoutes();
    const exact = all.filter((r) => r.did === wanted);
    if (exact.length > 0 || wanted.length < MIN_SUFFIX) return exact;
    const bySuffix = all.filter((r) => r.did.endsWith(wanted));
    return new Set(bySuffix.map((r) => r.did)).size === 1 ? bySuffix : [];
  }

  /** The tenant a DID belongs to (a DID has one owner on the server). */
  tenantOfDid(did: string): TenantId | undefined {
    return this.routesOfDid(did)[0]?.tenantId as TenantId | undefined;
  }

  inboundRoute(did: string, caller: string): InboundMatch | undefined {
    const routes = this.routesOfDid(did);
    const specific = routes
      .filter((r) => r.cidPattern !== '' && matchesPattern(r.cidPattern, caller))
      .sort((a, b) => comparePatterns(a.cidPattern, b.cidPattern));
    const route = specific[0] ?? routes.find((r) => r.cidPattern === '');
    if (!route) return undefined;
    return {
      tenantId: route.tenantId as TenantId,
      route: route.name,
      destination: destinationFromColumns(route),
    };
  }

  rejectCause(trunkRef: string): number {
    const [kind, name = ''] = trunkRef.split(':');
    const own = kind === 'span' ? this.d.repo.span(Number(name))?.unknownDidCause : kind === 'trunk' ? this.d.repo.trunkByName(name)?.unknownDidCause : null;
    return own ?? this.d.unknownDidCause();
  }

  /**
   * How many calls the trunks of an outbound route (of every route of the tenant when
   * `routeId` is null) carry at once: each SIP trunk's channel limit plus the bearer channels
   * of each E1 group's spans. Null when one of the trunks has no limit.
   */
  routeLines(tenantId: TenantId, routeId: number | null): number | null {
    const counted = new Set<string>();
    let lines = 0;
    for (const route of this.d.outboundRoutes(tenantId)) {
      if (routeId !== null && route.id !== routeId) continue;
      for (const t of trunksOf(this.d.db, route.id)) {
        const key = t.e1Group !== null ? `group:${t.e1Group}` : `trunk:${t.trunkId}`;
        if (counted.has(key)) continue;
        counted.add(key);
        if (t.e1Group !== null) {
          for (const span of this.d.repo.spansOfGroup(t.e1Group)) {
            const ranges = parseRanges(span.bchannels);
            if (typeof ranges !== 'string') lines += ranges.reduce((n, r) => n + r.to - r.from + 1, 0);
          }
          continue;
        }
        const trunk = t.trunkId === null ? undefined : this.d.repo.trunkById(tenantId, t.trunkId);
        if (!trunk) continue;
        if (trunk.maxChannels === null) return null;
        lines += trunk.maxChannels;
      }
    }
    return lines;
  }

  /** A tenant's outbound routes with their rules and trunks, read once for a burst of calls placed in one go (a dialer step). */
  private readonly outboundRoutesOf = turnMemo<TenantId, { tenant: ReturnType<TelephonyRepo['tenant']>; rows: ReturnType<CallDirectoryDeps['outboundRoutes']>; routes: OutboundRouteCandidate<OutboundTrunk>[] }>();

  outbound(tenantId: TenantId, dialled: string, caller: PhoneExtension | null, now: number): OutboundPlan {
    const { tenant, rows, routes } = this.outboundRoutesOf(tenantId, () => {
      const rows = this.d.outboundRoutes(tenantId);
      const routes = rows.map((r) => ({
        id: r.id,
        name: r.name,
        position: r.position,
        timeConditionId: r.timeConditionId,
        rules: rulesOf(this.d.db, r.id)
          .map(ruleFields)
          .map((x) => ({ ...x, brazil: x.brazilFormat && x.carrierCode ? { carrierCode: x.carrierCode } : null })),
        trunks: trunksOf(this.d.db, r.id).flatMap((t): OutboundTrunk[] => {
          if (t.e1Group !== null) return [{ ref: `group:${t.e1Group}`, name: null, group: t.e1Group, maxChannels: null }];
          const trunk = t.trunkId === null ? undefined : this.d.repo.trunkById(tenantId, t.trunkId);
          return trunk ? [{ ref: `trunk:${trunk.name}`, name: trunk.name, group: null, maxChannels: trunk.maxChannels }] : [];
        }),
      }));
      return { tenant: this.d.repo.tenant(tenantId), rows, routes };
    });
    // A call that is not from a phone (a forward, an inbound route to an outside number) is
    // not one of the extensions a restricted rule serves.
    const choice = chooseOutbound(routes, dialled, { extension: caller?.number ?? '', outboundCallerId: caller?.outboundCallerId ?? null }, {
      now,
      ddd: tenant?.ddd ?? null,
      timeConditionOpen: (id, at) => this.d.timeConditionOpen?.(tenantId, id, at) ?? false,
    });
    const passedOver = choice.passedOver.map((p) => `route "${p.route}", rule ${p.pattern}: ${p.reason}`);
    // Why each matching route was passed over goes with the refusal (the log shows it).
    if (!choice.ok) return { ok: false, reason: [choice.reason, ...passedOver].join('; ') };
    return {
      ok: true,
      route: choice.route.name,
      pattern: choice.rule.pattern,
      digits: choice.digits,
      callerId: choice.callerId,
      requireTabulation: rows.find((r) => r.id === choice.route.id)?.requireTabulation ?? false,
      trunks: choice.route.trunks.map((t) => ({
        ref: t.ref,
        endpoint: t.group !== null ? `DAHDI/g${t.group}/${choice.digits}` : `PJSIP/${choice.digits}@${t.name}`,
        maxChannels: t.maxChannels,
      })),
      passedOver,
    };
  }

  setDnd(extension: PhoneExtension, on: boolean): void {
    this.d.updateExtension(extension.tenantId, extension.id, { dnd: on });
  }

  setForward(extension: PhoneExtension, to: string | null): void {
    this.d.updateExtension(extension.tenantId, extension.id, { forwardTo: to });
  }
}

/**
 * Who owns a leg: an inbound call belongs to the tenant of the DID it called, a phone's call to
 * the phone's tenant. Other entries (dialer, e2e) keep the fallback until their modules decide.
 */
export function telephonyTenantResolver(dir: CallDirectory, fallback: TenantResolver): TenantResolver {
  return {
    forInbound: (did) => dir.tenantOfDid(did),
    forEntry: (entry, channel: ChannelSnapshot) => {
      if (entry.kind === 'internal') return dir.extensionOfChannel(channel.name)?.tenantId;
      return fallback.forEntry(entry, channel);
    },
    rejectCause: (entry) => {
      const base = entry.kind === 'amd' ? entry.original : entry;
      // A phone Atende does not know is refused (21 → SIP 403).
      return base.kind === 'inbound' ? dir.rejectCause(base.trunkRef) : 21;
    },
  };
}

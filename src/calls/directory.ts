/**
 * What the call flows ask of the provisioned telephony (src/provisioning implements it): who a
 * phone is, what a number means in a tenant, where a DID goes, how an outbound number is dialled.
 * The flows never read provisioning's tables themselves.
 */
import type { TenantId } from '../kernel/index.js';
import type { Destination } from './destination.model.js';

export interface PhoneExtension {
  id: number;
  tenantId: TenantId;
  number: string;
  /** The PJSIP endpoint: `PJSIP/<sipUser>` rings it. */
  sipUser: string;
  displayName: string;
  /** The extension may call outside and its user (if any) holds `dialout:write`. */
  mayDialOut: boolean;
  outboundCallerId: string | null;
  dnd: boolean;
  forwardTo: string | null;
}

export interface OutboundTrunk {
  /** `trunk:<name>` or `group:<n>`, as the call record keeps it. */
  ref: string;
  /** Asterisk dial string: `PJSIP/<digits>@<trunk>` or `DAHDI/g<n>/<digits>`. */
  endpoint: string;
  maxChannels: number | null;
}

export type OutboundPlan =
  | {
      ok: true;
      route: string;
      pattern: string;
      digits: string;
      callerId: string | null;
      /** An agent's manual call through this route is finished only with a tabulation. */
      requireTabulation: boolean;
      trunks: OutboundTrunk[];
      passedOver: string[];
    }
  | { ok: false; reason: string };

export interface InboundMatch {
  tenantId: TenantId;
  route: string;
  destination: Destination;
}

export interface TelephonyDirectory {
  /** The extension a phone channel comes from (`PJSIP/<sipUser>-…`). */
  extensionOfChannel(channelName: string): PhoneExtension | undefined;
  extensionByNumber(tenantId: TenantId, number: string): PhoneExtension | undefined;
  extension(tenantId: TenantId, id: number): PhoneExtension | undefined;
  /** What a number dialled inside the tenant is: an extension or a conference. */
  internalNumber(tenantId: TenantId, number: string): { kind: 'extension' | 'conference'; id: number } | undefined;
  /** The inbound route a call to `did` from `caller` takes; the DID decides the tenant. */
  inboundRoute(did: string, caller: string): InboundMatch | undefined;
  /** The cause a call to a DID nobody routes is refused with, for the span or trunk it came on. */
  rejectCause(trunkRef: string): number;
  /** How `dialled` leaves the tenant for `caller` (null: not from a phone, e.g. a forward). */
  outbound(tenantId: TenantId, dialled: string, caller: PhoneExtension | null, now: number): OutboundPlan;
  setDnd(extension: PhoneExtension, on: boolean): void;
  setForward(extension: PhoneExtension, to: string | null): void;
}

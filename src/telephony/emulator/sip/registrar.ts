/**
 * The registrar of res_pjsip_registrar, for contacts that arrive over WebSockets: contacts per
 * AOR with their expiry (clamped to the AOR's minimum/maximum, default when none is asked),
 * `max_contacts` with `remove_existing` (the soonest to expire make room), `Contact: *` with
 * `Expires: 0`, and the contacts of a connection that closed removed (a WebSocket contact
 * cannot survive its transport). With `rewrite_contact=yes` the stored URI carries the
 * packet's source address and `transport=WS` (WSS URIs keep their transport), as
 * res_pjsip_nat does. Pure: `now` is passed in.
 */
import { createHash } from 'node:crypto';
import { formatUri, withParam, type SipUri } from './message.js';

export interface AorSettings {
  maxContacts: number;
  removeExisting: boolean;
  minimumExpiration: number;
  maximumExpiration: number;
  defaultExpiration: number;
}

export const DEFAULT_AOR: AorSettings = { maxContacts: 1, removeExisting: true, minimumExpiration: 60, maximumExpiration: 7200, defaultExpiration: 3600 };

export interface Contact {
  aor: string;
  /** What the registrar stores and the INVITE goes to (after rewrite_contact). */
  uri: string;
  /** The URI as the phone sent it, user part included (JsSIP matches its contact by user). */
  user?: string;
  /** `<aor>;@<hash>`, as PJSIPShowContacts names it. */
  id: string;
  connectionId: string;
  expiresAt: number;
  callId: string;
  userAgent: string;
  viaAddress: string;
}

export interface RegisterRequest {
  contacts: { uri: SipUri; expires?: number }[];
  star: boolean;
  expiresHeader?: number;
  callId: string;
  userAgent: string;
  connectionId: string;
  source: { host: string; port: number };
  /** `WS` or `WSS`: the transport the REGISTER came over. */
  transport: string;
  viaAddress: string;
}

export type RegisterResult =
  | { status: 200; contacts: Contact[]; added: Contact[]; removed: Contact[]; refreshed: Contact[]; expiresHeader?: number }
  | { status: 400 | 403; reason: string };

export function contactExpiration(aor: AorSettings, contactExpires: number | undefined, expiresHeader: number | undefined): number {
  const asked = contactExpires ?? expiresHeader ?? aor.defaultExpiration;
  if (asked === 0) return 0;
  return Math.min(aor.maximumExpiration, Math.max(aor.minimumExpiration, asked));
}

/** The URI rewrite_contact stores for a contact that came from `source` over `transport`. */
export function rewrittenUri(uri: SipUri, source: { host: string; port: number }, transport: string): SipUri {
  const out: SipUri = { ...uri, host: source.host, port: source.port, params: [...uri.params] };
  if (uri.host !== source.host) out.params = withParam(out.params, 'x-ast-orig-host', `${uri.host}:${uri.port ?? 0}`);
  if (transport !== 'WSS') out.params = withParam(out.params, 'transport', transport);
  return out;
}

const contactId = (aor: string, uri: string) => `${aor};@${createHash('md5').update(uri).digest('hex')}`;

export class Registrar {
  private readonly byAor = new Map<string, Contact[]>();

  contacts(aor: string): Contact[] {
    return [...(this.byAor.get(aor) ?? [])];
  }

  all(): Contact[] {
    return [...this.byAor.values()].flat();
  }

  register(aor: string, settings: AorSettings, req: RegisterRequest, now: number): RegisterResult {
    const current = this.contacts(aor);
    if (req.star) {
      // `Contact: *` must come alone and with an expiry of 0 (RFC 3261 §10.3 step 6).
      if (req.contacts.length > 0 || req.expiresHeader !== 0) return { status: 400, reason: 'Contact * needs Expires: 0 and no other contact' };
      this.byAor.delete(aor);
      return { status: 200, contacts: [], added: [], removed: current, refreshed: [] };
    }
    const wanted = req.contacts.map((c) => {
      const stored = rewrittenUri(c.uri, req.source, req.transport);
      return { uri: formatUri(stored), user: c.uri.user, expiration: contactExpiration(settings, c.expires, req.expiresHeader) };
    });
    let kept = [...current];
    const added: Contact[] = [];
    const refreshed: Contact[] = [];
    const removed: Contact[] = [];
    let touched = 0;
    for (const w of wanted) {
      const existing = kept.find((c) => c.uri === w.uri);
      if (w.expiration === 0) {
        if (existing) {
          kept = kept.filter((c) => c !== existing);
          removed.push(existing);
        }
        continue;
      }
      touched++;
      const contact: Contact = {
        aor,
        uri: w.uri,
        ...(w.user !== undefined ? { user: w.user } : {}),
        id: contactId(aor, w.uri),
        connectionId: req.connectionId,
        expiresAt: now + w.expiration * 1000,
        callId: req.callId,
        userAgent: req.userAgent,
        viaAddress: req.viaAddress,
      };
      if (existing) {
        kept = kept.map((c) => (c === existing ? contact : c));
        refreshed.push(contact);
      } else {
        kept.push(contact);
        added.push(contact);
      }
    }
    if (kept.length > settings.maxContacts) {
      if (!settings.removeExisting || touched > settings.maxContacts) return { status: 403, reason: 'Too many contacts' };
      // The contacts this REGISTER did not touch make room, soonest to expire first.
      const others = kept.filter((c) => !added.includes(c) && !refreshed.includes(c)).sort((a, b) => a.expiresAt - b.expiresAt);
      const excess = others.slice(0, kept.length - settings.maxContacts);
      kept = kept.filter((c) => !excess.includes(c));
      removed.push(...excess);
    }
    if (kept.length === 0) this.byAor.delete(aor);
    else this.byAor.set(aor, kept);
    return { status: 200, contacts: kept, added, removed, refreshed, ...(req.expiresHeader !== undefined ? { expiresHeader: contactExpiration(settings, undefined, req.expiresHeader) } : {}) };
  }

  /** Contacts whose time is up, removed. */
  expire(now: number): Contact[] {
    return this.removeWhere((c) => c.expiresAt <= now);
  }

  /** The connection closed: its contacts are gone. */
  dropConnection(connectionId: string): Contact[] {
    return this.removeWhere((c) => c.connectionId === connectionId);
  }

  /** Every contact of an AOR (its endpoint left the configuration). */
  dropAor(aor: string): Contact[] {
    return this.removeWhere((c) => c.aor === aor);
  }

  nextExpiry(): number | undefined {
    const all = this.all();
    return all.length === 0 ? undefined : Math.min(...all.map((c) => c.expiresAt));
  }

  private removeWhere(pred: (c: Contact) => boolean): Contact[] {
    const removed: Contact[] = [];
    for (const [aor, list] of [...this.byAor]) {
      const keep = list.filter((c) => !pred(c));
      removed.push(...list.filter(pred));
      if (keep.length === 0) this.byAor.delete(aor);
      else this.byAor.set(aor, keep);
    }
    return removed;
  }
}

/**
 * PJSIP endpoints of the emulated Asterisk: agent phones (registered or not, how they answer)
 * and SIP trunk endpoints, with the contact events AMI and ARI report for them.
 */
import { phoneFarEnd } from './far-end.js';
import { AriError, type ContactEvent, type EndpointInfo, type PhoneBehaviour, type PhoneConfig } from './types.js';
import type { DialTarget, EndpointHooks, World } from './world.js';

interface Phone {
  ext: string;
  registered: boolean;
  answerAfterMs: number;
  behaviour: PhoneBehaviour;
  rttMs: number;
}

export class Endpoints implements EndpointHooks {
  private readonly phones = new Map<string, Phone>();
  private readonly trunkNames: string[];

  constructor(
    private readonly w: World,
    options: { phones?: PhoneConfig[]; trunks?: string[] },
  ) {
    this.trunkNames = [...(options.trunks ?? [])];
    for (const p of options.phones ?? []) {
      this.phones.set(p.ext, {
        ext: p.ext,
        registered: p.registered ?? true,
        answerAfterMs: p.answerAfterMs ?? 300,
        behaviour: p.behaviour ?? 'answer',
        rttMs: 12,
      });
    }
  }

  list(tech?: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const channelIds = (prefix: string) =>
      [...this.w.chans.values()].filter((c) => c.name.startsWith(`${prefix}-`)).map((c) => c.id);
    if (!tech || tech.toUpperCase() === 'PJSIP') {
      for (const p of this.phones.values()) {
        out.push({ technology: 'PJSIP', resource: p.ext, state: p.registered ? 'online' : 'offline', channel_ids: channelIds(`PJSIP/${p.ext}`) });
      }
      for (const t of this.trunkNames) {
        out.push({ technology: 'PJSIP', resource: t, state: 'online', channel_ids: channelIds(`PJSIP/${t}`) });
      }
    }
    if (tech && tech.toUpperCase() !== 'PJSIP' && out.length === 0) throw new AriError(404, 'Endpoints not found');
    return out;
  }

  get(tech: string, resource: string): Record<string, unknown> {
    const found = this.list('PJSIP').find((e) => tech.toUpperCase() === 'PJSIP' && e.resource === resource);
    if (!found) throw new AriError(404, 'Endpoint not found');
    return found;
  }

  /** Changes an agent phone: registration (contact events) and how it answers. */
  setPhone(ext: string, p: { registered?: boolean; answerAfterMs?: number; behaviour?: PhoneBehaviour }): void {
    let phone = this.phones.get(ext);
    if (!phone) {
      phone = { ext, registered: false, answerAfterMs: 300, behaviour: 'answer', rttMs: 12 };
      this.phones.set(ext, phone);
    }
    if (p.answerAfterMs !== undefined) phone.answerAfterMs = p.answerAfterMs;
    if (p.behaviour !== undefined) phone.behaviour = p.behaviour;
    if (p.registered !== undefined && p.registered !== phone.registered) {
      phone.registered = p.registered;
      const endpoint = { technology: 'PJSIP', resource: ext, state: p.registered ? 'online' : 'offline', channel_ids: [] };
      if (p.registered) {
        this.emitContact({ endpoint: ext, status: 'Created' });
        this.emitContact({ endpoint: ext, status: 'Reachable', rttMs: phone.rttMs });
      } else {
        this.emitContact({ endpoint: ext, status: 'Removed' });
      }
      this.w.publish([], 'EndpointStateChange', { endpoint });
    }
  }

  /** A phone that is ringing answers now. */
  answerPhone(ext: string): void {
    if (!this.phones.has(ext)) throw new AriError(404, `Phone ${ext} does not exist`);
    const ringing = [...this.w.chans.values()].find((c) => c.phone === ext && !c.answered && !c.hangingUp);
    if (!ringing) throw new AriError(409, `Phone ${ext} is not ringing`);
    this.w.channels.answerOriginate(ringing);
  }

  private emitContact(ev: ContactEvent): void {
    this.w.emit('contact', ev);
    this.w.publish([], 'ContactStatusChange', {
      endpoint: { technology: 'PJSIP', resource: ev.endpoint, state: ev.status === 'Removed' ? 'offline' : 'online', channel_ids: [] },
      contact_info: {
        uri: `sip:${ev.endpoint}@127.0.0.1:5062`,
        contact_status: ev.status === 'Removed' ? 'Unreachable' : ev.status === 'Created' ? 'Unknown' : ev.status,
        aor: ev.endpoint,
        ...(ev.rttMs !== undefined ? { roundtrip_usec: String(ev.rttMs * 1000) } : {}),
      },
    });
  }

  /** What the AMI side lists (PJSIPShowEndpoints). */
  infos(): EndpointInfo[] {
    return [
      ...[...this.phones.values()].map((p) => ({
        name: p.ext,
        kind: 'phone' as const,
        registered: p.registered,
        ...(p.registered ? { rttMs: p.rttMs } : {}),
      })),
      ...this.trunkNames.map((t) => ({ name: t, kind: 'trunk' as const, registered: true, rttMs: 25 })),
    ];
  }

  // ---------------------------------------------------------------- what other resources ask

  isTrunk(name: string): boolean {
    return this.trunkNames.includes(name);
  }

  firstTrunk(): string | undefined {
    return this.trunkNames[0];
  }

  rttMsOf(phone: string | undefined): number {
    return phone === undefined ? 25 : (this.phones.get(phone)?.rttMs ?? 12);
  }

  dialPhone(resource: string): DialTarget | undefined {
    const phone = this.phones.get(resource);
    // chan_pjsip cannot build a dialog for an AOR without contacts: the request fails (cause 3).
    if (!phone || !phone.registered) return undefined;
    return {
      name: `PJSIP/${phone.ext}-${this.w.names.next('PJSIP')}`,
      number: phone.ext,
      far: phoneFarEnd(phone.behaviour, phone.answerAfterMs),
      phone: phone.ext,
    };
  }
}

/**
 * PJSIP endpoints of the emulated Asterisk: agent phones (registered or not, reachable or not,
 * how they answer) and SIP trunk endpoints with their outbound registrations, with the contact
 * and registry events AMI and ARI report for them.
 *
 * Two ways to have endpoints: fixed lists given at start (tests of the call engine), or — when
 * the emulator has a configuration directory — exactly the endpoints its pjsip.conf defines,
 * read again at every `res_pjsip` reload. A phone then registers only as a configured endpoint,
 * with its password when one is given.
 */
import { randomBytes } from 'node:crypto';
import type { PhoneEndpoint, PjsipObjects, TrunkEndpoint } from './config.js';
import { phoneFarEnd } from './far-end.js';
import {
  AriError,
  type ContactEvent,
  type ContactInfo,
  type EndpointInfo,
  type PhoneBehaviour,
  type PhoneConfig,
  type RegistrationInfo,
  type RegistryEvent,
} from './types.js';
import type { Channel, DialTarget, EndpointHooks, World } from './world.js';

interface Phone {
  ext: string;
  registered: boolean;
  reachable: boolean;
  userAgent: string;
  answerAfterMs: number;
  behaviour: PhoneBehaviour;
  rttMs: number;
  /** From pjsip.conf, in configuration mode. */
  config?: PhoneEndpoint;
  /** The auth password of a phone given in a fixed list (in configuration mode, pjsip.conf's). */
  password?: string;
  contactHash: string;
}

export interface PhoneChange {
  registered?: boolean;
  /** Checked against the endpoint's auth when given (configuration mode). */
  password?: string;
  /** False: the phone stops answering qualify (OPTIONS) requests. */
  reachable?: boolean;
  userAgent?: string;
  answerAfterMs?: number;
  behaviour?: PhoneBehaviour;
}

/** A phone as the control surface shows it. */
export interface PhoneState {
  ext: string;
  registered: boolean;
  reachable: boolean;
  userAgent: string;
  behaviour: PhoneBehaviour;
}

const DEFAULT_USER_AGENT = 'Atende emulated phone';
const newPhone = (ext: string, registered: boolean): Phone => ({
  ext,
  registered,
  reachable: true,
  userAgent: DEFAULT_USER_AGENT,
  answerAfterMs: 300,
  behaviour: 'answer',
  rttMs: 12,
  contactHash: randomBytes(8).toString('hex'),
});

export class Endpoints implements EndpointHooks {
  private readonly phones = new Map<string, Phone>();
  private trunks = new Map<string, TrunkEndpoint>();
  private readonly registrationStatus = new Map<string, RegistryEvent['status']>();
  private configMode = false;
  private readonly congested = new Set<string>();
  /** Registrations whose REGISTER is under way, by id, with the attempt that sent it. */
  private readonly pendingRegistrations = new Map<string, number>();
  private registerAttempts = 0;

  constructor(
    private readonly w: World,
    options: { phones?: PhoneConfig[]; trunks?: string[] },
  ) {
    for (const name of options.trunks ?? []) this.trunks.set(name, { name, host: '203.0.113.1', qualifySeconds: 0 });
    for (const p of options.phones ?? []) {
      this.phones.set(p.ext, {
        // One with a password is a browser's: registered only while a browser is.
        ...newPhone(p.ext, p.registered ?? p.password === undefined),
        answerAfterMs: p.answerAfterMs ?? 300,
        behaviour: p.behaviour ?? 'answer',
        ...(p.password !== undefined ? { password: p.password } : {}),
      });
    }
  }

  // ---------------------------------------------------------------- configuration

  /** The endpoints pjsip.conf defines now replace the previous ones; registrations keep their state. */
  applyPjsip(objects: PjsipObjects): void {
    this.configMode = true;
    const wanted = new Map(objects.phones.map((p) => [p.name, p]));
    for (const [name, phone] of [...this.phones]) {
      if (wanted.has(name)) continue;
      if (phone.registered) this.emitContact(phone, 'Removed');
      this.phones.delete(name);
    }
    for (const cfg of objects.phones) {
      const phone = this.phones.get(cfg.name) ?? newPhone(cfg.name, false);
      phone.config = cfg;
      this.phones.set(cfg.name, phone);
    }
    const before = new Map([...this.trunks.values()].flatMap((t) => (t.registration ? [[t.registration.id, t.registration] as const] : [])));
    this.trunks = new Map(objects.trunks.map((t) => [t.name, t]));
    const after = new Map(objects.trunks.flatMap((t) => (t.registration ? [[t.registration.id, t.registration] as const] : [])));
    for (const [id, reg] of before) {
      if (after.has(id)) continue;
      this.registrationStatus.delete(id);
      this.pendingRegistrations.delete(id);
      this.emitRegistry({ ...reg, status: 'Unregistered' });
    }
    for (const [id, reg] of after) {
      const old = before.get(id);
      if (old && old.serverUri === reg.serverUri && old.clientUri === reg.clientUri && this.registrationStatus.has(id)) continue;
      this.registrationStatus.set(id, 'Unregistered');
      const attempt = ++this.registerAttempts;
      this.pendingRegistrations.set(id, attempt);
      // The REGISTER goes out and its answer comes back a moment later.
      this.w.later(undefined, 200, () => {
        if (this.pendingRegistrations.get(id) !== attempt) return;
        this.pendingRegistrations.delete(id);
        const status = reg.resolvable ? 'Registered' : 'Rejected';
        this.registrationStatus.set(id, status);
        this.emitRegistry({ ...reg, status });
      });
    }
  }

  // ---------------------------------------------------------------- ARI

  list(tech?: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const channelIds = (prefix: string) =>
      [...this.w.chans.values()].filter((c) => c.name.startsWith(`${prefix}-`)).map((c) => c.id);
    if (!tech || tech.toUpperCase() === 'PJSIP') {
      for (const p of this.phones.values()) {
        out.push({ technology: 'PJSIP', resource: p.ext, state: p.registered ? 'online' : 'offline', channel_ids: channelIds(`PJSIP/${p.ext}`) });
      }
      for (const t of this.trunks.keys()) {
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

  // ---------------------------------------------------------------- phones

  /** Changes an agent phone: registration (contact events), reachability and how it answers. */
  setPhone(ext: string, p: PhoneChange): void {
    let phone = this.phones.get(ext);
    if (!phone) {
      // A REGISTER for an AOR Asterisk does not have is answered 404 Not Found.
      if (this.configMode) throw new AriError(404, `No endpoint ${ext} in pjsip.conf: the REGISTER is answered 404 Not Found`);
      phone = newPhone(ext, false);
      this.phones.set(ext, phone);
    }
    if (p.registered === true && p.password !== undefined && phone.config && phone.config.password !== p.password) {
      throw new AriError(403, `Wrong password for ${ext}: the REGISTER is answered 401 Unauthorized`);
    }
    if (p.answerAfterMs !== undefined) phone.answerAfterMs = p.answerAfterMs;
    if (p.behaviour !== undefined) phone.behaviour = p.behaviour;
    if (p.userAgent !== undefined) phone.userAgent = p.userAgent;
    const wasReachable = phone.reachable;
    if (p.reachable !== undefined) phone.reachable = p.reachable;
    if (p.registered !== undefined && p.registered !== phone.registered) {
      phone.registered = p.registered;
      const endpoint = { technology: 'PJSIP', resource: ext, state: p.registered ? 'online' : 'offline', channel_ids: [] };
      if (p.registered) {
        phone.contactHash = randomBytes(8).toString('hex');
        this.emitContact(phone, 'Created');
        this.emitQualified(phone);
      } else {
        this.emitContact(phone, 'Removed');
      }
      this.w.publish([], 'EndpointStateChange', { endpoint });
    } else if (phone.registered && wasReachable !== phone.reachable) {
      this.emitQualified(phone);
    }
  }

  /** What a qualify (OPTIONS) says of a registered contact; without qualify_frequency it is never Reachable. */
  private contactStatus(phone: Phone): 'Reachable' | 'Unreachable' | 'NonQualified' {
    const qualify = phone.config ? phone.config.qualifySeconds > 0 : true;
    if (!qualify) return 'NonQualified';
    return phone.reachable ? 'Reachable' : 'Unreachable';
  }

  private emitQualified(phone: Phone): void {
    const status = this.contactStatus(phone);
    this.emitContact(phone, status, status === 'Reachable' ? phone.rttMs : undefined);
  }

  hasPhone(ext: string): boolean {
    return this.phones.has(ext);
  }

  /**
   * The PJSIP endpoint a REGISTER or INVITE over WebSocket names: the auth password and AOR
   * size of the applied configuration (or of the fixed list), and the caller id its calls carry.
   */
  phoneEndpoint(ext: string): { password?: string; maxContacts: number; callerId: { name: string; number: string } } | undefined {
    const phone = this.phones.get(ext);
    if (!phone) return undefined;
    const password = phone.config ? phone.config.password : phone.password;
    return {
      ...(password !== undefined ? { password } : {}),
      maxContacts: phone.config?.maxContacts ?? 1,
      callerId: phone.config?.callerId ?? { name: '', number: phone.ext },
    };
  }

  phoneStates(): PhoneState[] {
    return [...this.phones.values()]
      .map((p) => ({ ext: p.ext, registered: p.registered, reachable: p.reachable, userAgent: p.userAgent, behaviour: p.behaviour }))
      .sort((a, b) => (a.ext < b.ext ? -1 : a.ext > b.ext ? 1 : 0));
  }

  /** A phone that is ringing answers now. */
  answerPhone(ext: string): void {
    if (!this.phones.has(ext)) throw new AriError(404, `Phone ${ext} does not exist`);
    const ringing = [...this.w.chans.values()].find((c) => c.phone === ext && !c.answered && !c.hangingUp);
    if (!ringing) throw new AriError(409, `Phone ${ext} is not ringing`);
    this.w.channels.answerOriginate(ringing);
  }

  /**
   * The phone dials: a new channel in `atende-from-phones` that enters the app as
   * `internal,<dialled>` (dialplan/atende.conf), with the endpoint's caller id.
   */
  placeCall(ext: string, dialled: string): { channelId: string } {
    const phone = this.phones.get(ext);
    if (!phone) throw new AriError(404, `Phone ${ext} does not exist`);
    if (!phone.registered) throw new AriError(409, `Phone ${ext} is not registered`);
    if (!/^[+0-9*#]{1,40}$/.test(dialled)) throw new AriError(400, 'dialled must be digits, *, # or +');
    const c: Channel = this.w.newChannel({
      name: `PJSIP/${ext}-${this.w.names.next('PJSIP')}`,
      state: 'Ring',
      caller: phone.config?.callerId ?? { name: '', number: ext },
      dialplan: { context: 'atende-from-phones', exten: dialled, priority: 2, app_name: '', app_data: '' },
      origin: 'dialplan',
      protocolId: `${randomBytes(12).toString('hex')}@emulator`,
    });
    c.phone = ext;
    this.w.stasisFromDialplan(c, ['internal', dialled]);
    return { channelId: c.id };
  }

  private emitContact(phone: Phone, status: ContactEvent['status'], rttMs?: number): void {
    const ev: ContactEvent = { endpoint: phone.ext, status, ...(rttMs !== undefined ? { rttMs } : {}) };
    this.w.emit('contact', ev);
    this.w.publish([], 'ContactStatusChange', {
      endpoint: { technology: 'PJSIP', resource: ev.endpoint, state: status === 'Removed' ? 'offline' : 'online', channel_ids: [] },
      contact_info: {
        uri: `sip:${ev.endpoint}@127.0.0.1:5062`,
        contact_status: status === 'Removed' ? 'Unreachable' : status === 'Created' ? 'Unknown' : status,
        aor: ev.endpoint,
        ...(rttMs !== undefined ? { roundtrip_usec: String(rttMs * 1000) } : {}),
      },
    });
  }

  private emitRegistry(ev: RegistryEvent): void {
    this.w.emit('registry', ev);
  }

  // ---------------------------------------------------------------- AMI

  /** PJSIPShowEndpoints. */
  infos(): EndpointInfo[] {
    return [
      ...[...this.phones.values()].map((p) => ({
        name: p.ext,
        kind: 'phone' as const,
        registered: p.registered,
        ...(p.registered ? { rttMs: p.rttMs } : {}),
      })),
      ...[...this.trunks.values()].map((t) => ({
        name: t.name,
        kind: 'trunk' as const,
        registered: t.registration ? this.registrationStatus.get(t.registration.id) === 'Registered' : true,
        rttMs: 25,
      })),
    ];
  }

  /** PJSIPShowContacts: registered phones, and trunks' static contacts. */
  contacts(): ContactInfo[] {
    const phones = [...this.phones.values()]
      .filter((p) => p.registered)
      .map((p) => {
        const status = this.contactStatus(p);
        return {
          aor: p.ext,
          endpoint: p.ext,
          hash: p.contactHash,
          uri: `sip:${p.ext}@127.0.0.1:5062;transport=udp`,
          userAgent: p.userAgent,
          status,
          ...(status === 'Reachable' ? { rttMs: p.rttMs } : {}),
        };
      });
    const trunks = [...this.trunks.values()].map((t) => ({
      aor: t.name,
      endpoint: t.name,
      hash: t.name,
      uri: `sip:${t.host}`,
      userAgent: '',
      status: t.qualifySeconds > 0 ? ('Reachable' as const) : ('NonQualified' as const),
      ...(t.qualifySeconds > 0 ? { rttMs: 25 } : {}),
    }));
    return [...phones, ...trunks];
  }

  /** PJSIPShowRegistrationsOutbound. */
  registrations(): RegistrationInfo[] {
    return [...this.trunks.values()].flatMap((t) =>
      t.registration
        ? [{ ...t.registration, endpoint: t.name, status: this.registrationStatus.get(t.registration.id) ?? 'Unregistered' }]
        : [],
    );
  }

  // ---------------------------------------------------------------- what other resources ask

  isTrunk(name: string): boolean {
    return this.trunks.has(name);
  }

  trunkState(name: string): 'ok' | 'congested' | 'unresolvable' {
    if (this.congested.has(name)) return 'congested';
    return /\.invalid$/i.test(this.trunks.get(name)?.host ?? '') ? 'unresolvable' : 'ok';
  }

  /** The provider behind a trunk starts or stops answering every call with congestion. */
  setTrunk(name: string, p: { congested: boolean }): void {
    if (!this.trunks.has(name)) throw new AriError(404, `Trunk ${name} does not exist`);
    if (p.congested) this.congested.add(name);
    else this.congested.delete(name);
  }

  /** The SIP trunks pjsip.conf defines, in its order. */
  trunkNames(): string[] {
    return [...this.trunks.keys()];
  }

  firstTrunk(): string | undefined {
    return this.trunks.keys().next().value;
  }

  rttMsOf(phone: string | undefined): number {
    return phone === undefined ? 25 : (this.phones.get(phone)?.rttMs ?? 12);
  }

  dialPhone(resource: string): DialTarget | undefined {
    const phone = this.phones.get(resource);
    // chan_pjsip cannot build a dialog for an AOR without contacts: the request fails (cause 3).
    if (!phone || !phone.registered) return undefined;
    if (this.w.webphones?.registered(phone.ext)) {
      return { name: `PJSIP/${phone.ext}-${this.w.names.next('PJSIP')}`, number: phone.ext, far: { ringAfterMs: 0, amd: 'HUMAN', afterAnswer: { kind: 'stay' } }, phone: phone.ext, webphone: true };
    }
    return {
      name: `PJSIP/${phone.ext}-${this.w.names.next('PJSIP')}`,
      number: phone.ext,
      // An unreachable contact never answers the INVITE: it times out (408 → 18) as a dead phone does.
      far: phone.reachable ? phoneFarEnd(phone.behaviour, phone.answerAfterMs) : { ringAfterMs: 0, fail: { cause: 18, afterMs: 32_000 }, amd: 'NOTSURE', afterAnswer: { kind: 'stay' } },
      phone: phone.ext,
    };
  }
}

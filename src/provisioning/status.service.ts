/**
 * Live telephony status of a tenant (GET /telephony/status) and its push on the events
 * socket: every AMI event that can change a span, trunk or phone state (span alarms, contact
 * status, outbound registrations, the AMI link itself) makes the tenants it concerns read the
 * state again and publish it as `telephony.status` on the `telephony` topic.
 */
import type { Logger } from '../kernel/index.js';
import type { EventPublisher } from '../kernel/live-events.js';
import type { AmiContact, AmiEvent, AmiRegistration, AmiSpanStatus } from '../telephony/ami/index.js';
import { telephonyStatus, type AsteriskSnapshot, type StatusRows, type TelephonyStatus } from './status.logic.js';

/** What status needs of AMI (the production AmiClient). */
export interface AsteriskStatusLink {
  connectionState(): 'connecting' | 'up' | 'down';
  spanStatus(): Promise<AmiSpanStatus[]>;
  contacts(): Promise<AmiContact[]>;
  registrations(): Promise<AmiRegistration[]>;
  endpoints(): Promise<{ name: string }[]>;
  onEvent(listener: (event: AmiEvent) => void): () => void;
}

export interface StatusDeps {
  asterisk: AsteriskStatusLink | undefined;
  events: EventPublisher;
  logger: Logger;
  rows(tenantId: number): StatusRows;
  /** Tenants with anything Asterisk reports on. */
  tenants(): number[];
  /** Whose is this endpoint (extension SIP user or trunk name), this span? */
  tenantOfEndpoint(name: string): number | undefined;
  tenantOfSpan(span: number): number | undefined;
}

export class TelephonyStatusService {
  /** Per tenant, the refresh in progress: refreshes of one tenant run one after another, in order. */
  private readonly chains = new Map<number, Promise<void>>();
  private stopListening: (() => void) | undefined;

  constructor(private readonly d: StatusDeps) {}

  /** Starts pushing changes; call once the events hub exists. */
  start(): void {
    if (!this.d.asterisk || this.stopListening) return;
    this.stopListening = this.d.asterisk.onEvent((e) => {
      for (const tenantId of this.tenantsConcerned(e)) this.refresh(tenantId);
    });
  }

  stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }

  async status(tenantId: number): Promise<TelephonyStatus> {
    return telephonyStatus(this.d.rows(tenantId), await this.snapshot());
  }

  /** Resolves when every refresh started so far has been published (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  /** Tenants whose refresh is waiting behind the one under way: it will read the state as it is then. */
  private readonly queued = new Set<number>();

  /**
   * Reads and publishes the tenant's state again. A burst of events (a morning's phones
   * registering, a span flapping) makes one read behind the one under way, not one per event:
   * the read waiting has not started yet, so it sees every change before it.
   */
  private refresh(tenantId: number): void {
    if (this.queued.has(tenantId)) return;
    this.queued.add(tenantId);
    const previous = this.chains.get(tenantId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        this.queued.delete(tenantId);
        const status = await this.status(tenantId);
        this.d.events.publish('telephony', tenantId, { type: 'telephony.status', data: { status } });
      })
      .catch((err: unknown) => this.d.logger.warn({ err, tenantId }, 'could not read the telephony status'));
    this.chains.set(tenantId, next);
    void next.then(() => {
      if (this.chains.get(tenantId) === next) this.chains.delete(tenantId);
    });
  }

  private tenantsConcerned(e: AmiEvent): number[] {
    const one = (id: number | undefined) => (id === undefined ? [] : [id]);
    switch (e.type) {
      case 'ContactStatus':
        return one(this.d.tenantOfEndpoint(e.endpoint) ?? this.d.tenantOfEndpoint(e.aor));
      case 'SpanAlarm':
      case 'SpanAlarmCleared':
        return one(this.d.tenantOfSpan(e.span));
      // The Registry event names the server and user, not the trunk: every tenant's view may change.
      case 'TrunkRegistration':
      case 'ConnectionChanged':
        return this.d.tenants();
      default:
        return [];
    }
  }

  private async snapshot(): Promise<AsteriskSnapshot | null> {
    const link = this.d.asterisk;
    if (!link || link.connectionState() !== 'up') return null;
    try {
      const [spans, contacts, registrations, endpoints] = await Promise.all([link.spanStatus(), link.contacts(), link.registrations(), link.endpoints()]);
      return { spans, contacts, registrations, endpoints: new Set(endpoints.map((e) => e.name)) };
    } catch (err) {
      this.d.logger.warn({ err }, 'AMI did not answer the status questions');
      return null;
    }
  }
}

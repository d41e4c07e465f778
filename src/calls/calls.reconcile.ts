/**
 * Reconciliation: after an ARI reconnect and at start, compare what Atende believes with the
 * channels Asterisk actually has, so that no call stays "in progress" forever.
 *
 * A leg that ended unseen is closed with the last moment it was known alive as its end (when
 * the ARI link was lost; the heartbeat of the run that crashed), not the moment it was found gone.
 *
 * - a session whose channel is gone is closed (`reconciled: channel gone`, last cause known);
 * - a session whose channel is alive is adopted (it carries on);
 * - a channel in our app that no session owns is hung up (cause 16) and recorded
 *   (`reconciled: unknown channel`), reusing the open record of a previous run if there is one;
 * - a record left open by a previous run with no channel of ours is closed
 *   (`reconciled: daemon restart`).
 * The decisions are pure (`planReconciliation`); this file applies them.
 */
import type { Clock, Logger, TenantId } from '../kernel/index.js';
import type { CallControl, ChannelId, ChannelSnapshot } from '../telephony/call-control.js';
import { lastKnownAlive, planReconciliation } from './calls.logic.js';
import { EndReason } from './calls.model.js';
import type { CallsRepo } from './calls.repo.js';

export interface ReconcileSummary {
  gone: number;
  adopted: number;
  strangers: number;
  staleRows: number;
}

/** A live session as reconciliation sees it. */
interface ReconcilableSession {
  readonly callId: string;
  readonly channelId: string;
  readonly seq: number;
  readonly ended: boolean;
  closeWithoutEvent(reason: string, endedAt?: number): void;
  adopted(): void;
}

/** What reconciliation needs from the calls engine (declared here so the engine may import this file). */
export interface ReconcileHost {
  readonly deps: { control: Pick<CallControl, 'listChannels'>; repo: Pick<CallsRepo, 'open' | 'close' | 'tenantOf'>; app: string; clock: Clock };
  /** When the ARI link was lost, if it was: sessions were known alive until then. */
  readonly linkLostAt: number | undefined;
  readonly log: Logger;
  nextSeq(): number;
  sessions(): readonly ReconcilableSession[];
  hasChannel(channelId: ChannelId): boolean;
  sessionByCallId(callId: string): ReconcilableSession | undefined;
  /** Tells the browsers that a record closed here (without a session) has ended. */
  announceEnded(callId: string): void;
  admit(
    channel: ChannelSnapshot,
    args: string[],
    opts: { originated: boolean; startedAt: number; stranger?: { callId?: string; tenantId?: TenantId } },
  ): void;
}

export async function runReconciliation(engine: ReconcileHost, why: string): Promise<ReconcileSummary | undefined> {
  const { control, repo, app, clock } = engine.deps;
  const seqBefore = engine.nextSeq();
  let channels: ChannelSnapshot[];
  try {
    channels = await control.listChannels();
  } catch (err) {
    engine.log.warn({ err, why }, 'reconciliation skipped: cannot list channels');
    return undefined;
  }
  // Only what existed before the list was taken: later sessions may not be in it.
  const sessions = engine.sessions().filter((s) => s.seq < seqBefore && !s.ended);
  const openRows = repo.open().filter((r) => !engine.hasChannel(r.channelId) && !engine.sessionByCallId(r.callId));
  const plan = planReconciliation({
    app,
    sessions: sessions.map((s) => ({ callId: s.callId, channelId: s.channelId })),
    channels,
    openRows,
  });

  for (const callId of plan.gone) engine.sessionByCallId(callId)?.closeWithoutEvent(EndReason.channelGone, engine.linkLostAt);
  for (const callId of plan.adopt) engine.sessionByCallId(callId)?.adopted();
  const now = clock.now();
  const rowsById = new Map(openRows.map((r) => [r.callId, r]));
  for (const callId of plan.staleRows) {
    const row = rowsById.get(callId);
    const endedAt = row ? lastKnownAlive(row) : now;
    if (repo.close(callId, { endedAt, cause: null, causeText: null, hangupBy: null, endReason: EndReason.daemonRestart })) {
      engine.announceEnded(callId);
    }
  }
  let strangers = 0;
  for (const s of plan.strangers) {
    if (engine.hasChannel(s.channel.id)) continue; // entered while we were listing
    strangers++;
    const tenantId: TenantId | undefined = s.callId ? repo.tenantOf(s.callId) : undefined;
    engine.admit(s.channel, s.args, {
      originated: false,
      startedAt: s.callId ? now : s.channel.createdAt,
      stranger: { callId: s.callId, tenantId },
    });
  }
  const summary = { gone: plan.gone.length, adopted: plan.adopt.length, strangers, staleRows: plan.staleRows.length };
  engine.log.info({ why, channels: channels.length, ...summary }, 'calls reconciled');
  return summary;
}

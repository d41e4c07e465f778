/**
 * The queues' call recordings after they were kept (voice.service.ts writes them): listed per
 * call, played with byte ranges, and deleted when their queue's retention runs out.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../kernel/index.js';
import { notFound } from '../kernel/index.js';
import type { RecordingRow, RoutingRepo } from './routing.repo.js';

export interface RecordingView {
  id: number;
  callId: string;
  interactionId: string | null;
  queueId: number | null;
  startedAt: string;
  durationSeconds: number;
  sizeBytes: number;
  /** When the retention purge deletes it; null: kept. */
  expiresAt: string | null;
  audioUrl: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Purged in batches, so that one run never holds the database for long. */
const PURGE_BATCH = 500;

export class RecordingsService {
  constructor(private readonly deps: { repo: RoutingRepo; dataDir: string; logger: Logger }) {}

  ofCall(tenantId: number, callId: string): RecordingView[] {
    return this.deps.repo.recordingsOfCall(tenantId, callId).map(view);
  }

  /** The file to send (404 for another tenant's or a purged recording). */
  file(tenantId: number, id: number): { path: string; etag: string; filename: string } {
    const row = this.deps.repo.recording(tenantId, id);
    if (!row) throw notFound('recording');
    // A recording never changes once kept: its id and size are a strong validator.
    return { path: join(this.deps.dataDir, row.path), etag: `rec-${row.id}-${row.sizeBytes}`, filename: `gravacao-${row.callId}-${row.id}.wav` };
  }

  /** Deletes the recordings whose retention ended by `now` (file, then row); returns how many. */
  purge(now: number): number {
    let purged = 0;
    for (;;) {
      const due = this.deps.repo.expiredRecordings(now, PURGE_BATCH);
      for (const r of due) {
        // An already missing file is gone as the retention wanted; any other error keeps the row for the next run.
        try {
          rmSync(join(this.deps.dataDir, r.path), { force: true });
        } catch (err) {
          this.deps.logger.error({ err, recording: r.id }, 'a recording past its retention could not be deleted; trying again at the next purge');
          return purged;
        }
        this.deps.repo.deleteRecording(r.id);
        purged++;
      }
      if (due.length < PURGE_BATCH) break;
    }
    if (purged > 0) this.deps.logger.info({ purged }, 'recordings past their retention deleted');
    return purged;
  }
}

function view(r: RecordingRow): RecordingView {
  return {
    id: r.id,
    callId: r.callId,
    interactionId: r.interactionId,
    queueId: r.queueId,
    startedAt: iso(r.startedAt),
    durationSeconds: r.durationSeconds,
    sizeBytes: r.sizeBytes,
    expiresAt: r.expiresAt === null ? null : iso(r.expiresAt),
    audioUrl: `/api/v1/recordings/${r.id}/audio`,
  };
}

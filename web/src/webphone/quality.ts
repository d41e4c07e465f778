/**
 * Call quality from WebRTC statistics: what arrives (inbound-rtp: packets, loss, jitter,
 * audio level) and the round trip the far end reports (remote-inbound-rtp), rated as a person
 * would hear it. The rating follows the usual G.711 thresholds: over 150 ms one way, 30 ms of
 * jitter or 3 % loss is audible; five times that is a bad call.
 */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface CallStats {
  codec: string;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  packetsSent: number;
  /** Seconds. */
  jitter: number;
  /** Seconds; null until the far end has reported. */
  roundTrip: number | null;
  /** 0..1, the loudest recent level of what arrives. */
  audioLevel: number;
  /** Loss over the last interval, 0..1. */
  recentLoss: number;
  quality: Quality;
}

interface StatsEntry {
  type: string;
  kind?: string;
  mimeType?: string;
  codecId?: string;
  id: string;
  packetsReceived?: number;
  packetsLost?: number;
  bytesReceived?: number;
  packetsSent?: number;
  jitter?: number;
  audioLevel?: number;
  roundTripTime?: number;
}

export async function readStats(pc: RTCPeerConnection): Promise<CallStats> {
  const report = await pc.getStats();
  const entries: StatsEntry[] = [];
  report.forEach((v: StatsEntry) => entries.push(v));
  const inbound = entries.find((e) => e.type === 'inbound-rtp' && e.kind === 'audio');
  const outbound = entries.find((e) => e.type === 'outbound-rtp' && e.kind === 'audio');
  const remote = entries.find((e) => e.type === 'remote-inbound-rtp' && e.kind === 'audio');
  const codec = entries.find((e) => e.type === 'codec' && e.id === inbound?.codecId);
  return {
    codec: codec?.mimeType?.replace(/^audio\//i, '') ?? '',
    packetsReceived: inbound?.packetsReceived ?? 0,
    packetsLost: Math.max(0, inbound?.packetsLost ?? 0),
    bytesReceived: inbound?.bytesReceived ?? 0,
    packetsSent: outbound?.packetsSent ?? 0,
    jitter: inbound?.jitter ?? 0,
    roundTrip: remote?.roundTripTime ?? null,
    audioLevel: inbound?.audioLevel ?? 0,
    recentLoss: 0,
    quality: 'unknown',
  };
}

/** Rates `now` against the previous sample (loss is measured over the interval between them). */
export function qualityOf(now: CallStats, previous: CallStats | null): Quality {
  const received = now.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = now.packetsLost - (previous?.packetsLost ?? 0);
  now.recentLoss = received + lost > 0 ? Math.max(0, lost) / (received + lost) : 0;
  if (now.packetsReceived === 0) return 'unknown';
  const oneWay = (now.roundTrip ?? 0) / 2;
  const score = Math.max(now.recentLoss / 0.03, now.jitter / 0.03, oneWay / 0.15);
  if (score <= 1) return 'good';
  if (score <= 5) return 'fair';
  return 'poor';
}

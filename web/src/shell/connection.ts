import { reactive } from 'vue';
import { onApiAnswer } from '@/api/client';

export type LinkState = 'up' | 'down' | 'connecting' | 'unknown';

/**
 * What the connection indicator shows: is the daemon answering (`api`), are Asterisk's ARI and
 * AMI connected (`/readyz`), and is the events socket open (`events`, set by the socket).
 */
export const connection = reactive<{ api: LinkState; asterisk: LinkState; asteriskDetail: string; events: LinkState }>({
  api: 'unknown',
  asterisk: 'unknown',
  asteriskDetail: '',
  events: 'unknown',
});

interface Probe {
  ok: boolean;
  reason?: string;
  detail?: string;
}

/** Reads `/readyz` once; true when the daemon answered at all. */
export async function checkReadiness(): Promise<boolean> {
  try {
    const res = await fetch('/readyz', { cache: 'no-store' });
    const body = (await res.json()) as { checks?: Record<string, Probe> };
    connection.api = 'up';
    const checks = body.checks ?? {};
    const telephony = ['asterisk', 'ari', 'ami'].map((k) => checks[k]).filter((c): c is Probe => c !== undefined);
    const failing = telephony.find((c) => !c.ok);
    connection.asterisk = telephony.length === 0 ? 'unknown' : failing ? 'down' : 'up';
    connection.asteriskDetail = failing?.reason ?? checks.asterisk?.detail ?? '';
    return true;
  } catch {
    connection.api = 'down';
    return false;
  }
}

const listeners = new Set<(up: boolean) => void>();
/** Called when the daemon is lost (false) and when it answers again (true). */
export const onApiAvailability = (fn: (up: boolean) => void): (() => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

let retry: ReturnType<typeof setTimeout> | undefined;
let delay = 1000;

/** While the daemon is lost, ask `/readyz` again with a growing pause (1 s … 15 s). */
function probeUntilBack(): void {
  if (retry) return;
  retry = setTimeout(async () => {
    retry = undefined;
    if (await checkReadiness()) {
      delay = 1000;
      for (const l of listeners) l(true);
    } else {
      delay = Math.min(delay * 2, 15_000);
      probeUntilBack();
    }
  }, delay);
}

export function apiLost(): void {
  const was = connection.api;
  connection.api = 'down';
  if (was !== 'down') for (const l of listeners) l(false);
  probeUntilBack();
}

onApiAnswer((status) => {
  if (status === 0) apiLost();
  else if (connection.api !== 'up') {
    const was = connection.api;
    connection.api = 'up';
    if (was === 'down') for (const l of listeners) l(true);
  }
});

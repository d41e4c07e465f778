/**
 * What a telecom admin sets up before the emulator can carry a call from the public network:
 * an E1 span, a destination, an inbound route for the DID, the apply, and `module reload
 * chan_dahdi` (Asterisk reads the span's channels only then). All through the HTTP API, in the
 * tenant the session is on: the DID's route decides the call's tenant.
 */
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

/** JSON over HTTP to `<base>/api/v1<path>` with a session cookie; an empty body (204) is null. */
export function apiClient(base: string, cookie: string): ApiCall {
  return async (method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  };
}

export interface InboundDid {
  /** The span row, when this call created one. */
  spanId?: number;
  /** The conference room or announcement the DID reaches. */
  destinationId: number;
  routeId: number;
}

/** A conference room (answers, keeps the caller until someone hangs up), or an announcement spoken by the built-in text to speech, after which Atende hangs up. */
export type DidTarget = { room: string } | { say: string };

async function must(api: ApiCall, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await api(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

async function destinationFor(api: ApiCall, did: string, target: DidTarget): Promise<{ kind: string; id: number }> {
  if ('room' in target) {
    const room = await must(api, 'POST', '/telephony/conferences', { name: `Sala ${target.room}`, number: target.room });
    return { kind: 'conference', id: room.id as number };
  }
  const prompt = await must(api, 'POST', '/telephony/prompts', { name: `Boas-vindas ${did}`, speech: { text: target.say } });
  const announcement = await must(api, 'POST', '/telephony/announcements', { name: `Boas-vindas ${did}`, promptIds: [prompt.id], destination: { kind: 'hangup' } });
  return { kind: 'announcement', id: announcement.id as number };
}

/**
 * Span `span` (ISDN PRI, group 1; created when `span` is given) and a route from `did` to
 * `target`, applied. `api` takes paths under /api/v1.
 */
export async function provisionInboundDid(api: ApiCall, { did, span, target = { room: '5000' } }: { did: string; span?: number; target?: DidTarget }): Promise<InboundDid> {
  const spanRow = span === undefined ? undefined : await must(api, 'POST', '/telephony/spans', { span, signalling: 'pri_cpe', group: 1, description: `Span ${span}` });
  const destination = await destinationFor(api, did, target);
  const route = await must(api, 'POST', '/telephony/inbound-routes', { name: `DID ${did}`, did, destination });
  const applied = await must(api, 'POST', '/telephony/apply', {});
  if (applied.ok !== true) throw new Error(`apply refused: ${JSON.stringify(applied)}`);
  await must(api, 'POST', '/emulator/reloads', { module: 'chan_dahdi' });
  return { ...(spanRow ? { spanId: spanRow.id as number } : {}), destinationId: destination.id, routeId: route.id as number };
}

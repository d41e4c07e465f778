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
  spanId: number;
  conferenceId: number;
  routeId: number;
}

async function must(api: ApiCall, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await api(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

/**
 * Span `span` (ISDN PRI, group 1) and a route from `did` to a conference room, which answers
 * and keeps the caller until someone hangs up. `api` takes paths under /api/v1.
 */
export async function provisionInboundDid(api: ApiCall, { did, span = 1, room = '5000' }: { did: string; span?: number; room?: string }): Promise<InboundDid> {
  const spanRow = await must(api, 'POST', '/telephony/spans', { span, signalling: 'pri_cpe', group: 1, description: `Span ${span}` });
  const conference = await must(api, 'POST', '/telephony/conferences', { name: `Sala ${room}`, number: room });
  const route = await must(api, 'POST', '/telephony/inbound-routes', { name: `DID ${did}`, did, destination: { kind: 'conference', id: conference.id } });
  const applied = await must(api, 'POST', '/telephony/apply', {});
  if (applied.ok !== true) throw new Error(`apply refused: ${JSON.stringify(applied)}`);
  await must(api, 'POST', '/emulator/reloads', { module: 'chan_dahdi' });
  return { spanId: spanRow.id as number, conferenceId: conference.id as number, routeId: route.id as number };
}

/**
 * What a fresh start against the emulator shows of telephony: the demo tenant's E1 span 1
 * (ISDN PRI, group 1) and its public number routed to a conference room, applied as soon as
 * the emulated Asterisk is reachable, so that a call placed from the emulator panel to that
 * number is answered and listed at once. A real Asterisk gets none of this: its spans and
 * numbers are the telecom admin's.
 */
import type { Logger } from '../kernel/index.js';
import type { AmiClient } from '../telephony/ami/index.js';
import { SYSTEM_ACTOR } from '../org/index.js';
import type { ResourceDef, ResourceService } from '../resources/index.js';
import type { ApplyService } from './apply.service.js';
import type { inboundRouteDef } from './inbound-routes.resource.js';
import type { conferenceDef } from './media.resource.js';
import type { spanDef } from './spans.resource.js';

export const DEMO_DID = '1133334444';
export const DEMO_ROOM = '5000';
export const DEMO_SPAN = 1;

type ServiceOf<D> = D extends ResourceDef<infer T, infer I, infer V> ? ResourceService<T, I, V> : never;

export interface DemoTelephonyDeps {
  provisioning: {
    services: {
      spans: ServiceOf<typeof spanDef>;
      conferences: ServiceOf<typeof conferenceDef>;
      inboundRoutes: ServiceOf<typeof inboundRouteDef>;
    };
    apply: Pick<ApplyService, 'apply'>;
  };
  tenantId: number;
  /** Apply needs Asterisk reachable over AMI, which connects in the background after start. */
  ami: Pick<AmiClient, 'connectionState' | 'onEvent'>;
  /** What the admin runs after an apply that adds a span (`module reload chan_dahdi`). */
  reloadDahdi: () => Promise<unknown>;
  logger: Logger;
}

/** Creates the span, the room and the inbound route now; applies them once Asterisk is connected. */
export async function seedDemoTelephony(deps: DemoTelephonyDeps): Promise<void> {
  const { provisioning: p, tenantId, logger } = deps;
  const ctx = { actor: SYSTEM_ACTOR };
  p.services.spans.create(ctx, tenantId, { span: DEMO_SPAN, signalling: 'pri_cpe', group: 1, description: 'Operadora (demonstração)' });
  const room = p.services.conferences.create(ctx, tenantId, { name: 'Sala de demonstração', number: DEMO_ROOM });
  p.services.inboundRoutes.create(ctx, tenantId, { name: 'Número da demonstração', did: DEMO_DID, destination: { kind: 'conference', id: room.id } });
  await connected(deps.ami);
  const result = await p.apply.apply(ctx, tenantId);
  if (!result.ok) {
    logger.error({ error: result.error }, 'the demo telephony could not be applied');
    return;
  }
  await deps.reloadDahdi();
  logger.info({ did: DEMO_DID, span: DEMO_SPAN, room: DEMO_ROOM }, `demo telephony applied: a call to ${DEMO_DID} on span ${DEMO_SPAN} joins conference room ${DEMO_ROOM}`);
}

function connected(ami: DemoTelephonyDeps['ami']): Promise<void> {
  return new Promise((resolve) => {
    if (ami.connectionState() === 'up') return resolve();
    const stop = ami.onEvent((e) => {
      if (e.type === 'ConnectionChanged' && e.state === 'up') {
        stop();
        resolve();
      }
    });
  });
}

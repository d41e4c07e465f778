import type { TenantId } from '../kernel/index.js';
import type { TenantResolver } from './calls.model.js';
import type { CallsRepo } from './calls.repo.js';

/**
 * Until inbound routes exist, every call belongs to the only (or first) active tenant. The
 * inbound-routes issue replaces this with a lookup by DID and trunk.
 */
export function firstActiveTenantResolver(repo: Pick<CallsRepo, 'firstActiveTenant'>): TenantResolver {
  const pick = (): TenantId | undefined => repo.firstActiveTenant();
  return { forInbound: pick, forEntry: pick };
}

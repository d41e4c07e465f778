/**
 * Generated dialplan: only hints (`exten => <number>,hint,PJSIP/<sip user>`), one context per
 * tenant, so that desk phones can subscribe to their colleagues' lamps (BLF). Call handling
 * stays in the static dialplan/atende.conf, which hands every call to Atende.
 */
import { byName, header, joinBlocks, tenantIncludes } from './conf-text.js';
import { hintsContext, type TenantConf } from './confgen.model.js';

export const extensionsTenantPath = (tenantId: number): string => `atende/extensions-t${tenantId}.conf`;

export function renderExtensionsIndex(tenantIds: readonly number[]): string {
  return joinBlocks([
    header(';', 'Atende: generated dialplan (hints)', 'Included from extensions.conf, outside any context, with: #include atende/extensions.conf'),
    tenantIncludes(tenantIds, extensionsTenantPath).join('\n'),
  ]);
}

export function renderExtensionsTenant(t: TenantConf): string {
  const hints = byName(t.extensions, (e) => e.number).map((e) => `exten => ${e.number},hint,PJSIP/${e.sipUser}`);
  return joinBlocks([
    header(';', `Atende: hints of tenant ${t.tenantId} (${t.tenantName})`, 'Included from atende/extensions.conf'),
    [`[${hintsContext(t.tenantId)}]`, ...hints].join('\n'),
  ]);
}

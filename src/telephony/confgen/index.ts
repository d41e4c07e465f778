/**
 * Asterisk configuration generation: pure renderers from typed inputs (confgen.model.ts) to
 * the files Atende owns below Asterisk's configuration directory. See README.md for the
 * `#include` lines an installation adds once.
 */
import type { GeneratedFile, SipSettings, TenantConf } from './confgen.model.js';
import { DAHDI_SYSTEM_PATH, allSpans, chanDahdiTenantPath, renderChanDahdiIndex, renderChanDahdiTenant, renderDahdiSystem } from './dahdi.js';
import { extensionsTenantPath, renderExtensionsIndex, renderExtensionsTenant } from './dialplan.js';
import { mohTenantPath, renderMohIndex, renderMohTenant } from './moh.js';
import { pjsipTenantPath, renderPjsipIndex, renderPjsipTenant } from './pjsip.js';

export * from './confgen.model.js';
export { confValue } from './conf-text.js';

/** The server-wide files, each including every tenant's file of its kind. */
export const INDEX_FILES = {
  pjsip: 'atende/pjsip.conf',
  chanDahdi: 'atende/chan_dahdi.conf',
  moh: 'atende/musiconhold.conf',
  extensions: 'atende/extensions.conf',
  dahdiSystem: DAHDI_SYSTEM_PATH,
} as const;

/** Every file for these settings and tenants, in a stable order (server-wide files first). */
export function renderAll(settings: SipSettings, tenants: readonly TenantConf[]): GeneratedFile[] {
  const sorted = [...tenants].sort((a, b) => a.tenantId - b.tenantId);
  const ids = sorted.map((t) => t.tenantId);
  const files: GeneratedFile[] = [
    { path: INDEX_FILES.pjsip, content: renderPjsipIndex(settings, ids), module: 'pjsip', tenantId: null },
    { path: INDEX_FILES.extensions, content: renderExtensionsIndex(ids), module: 'dialplan', tenantId: null },
    { path: INDEX_FILES.moh, content: renderMohIndex(ids), module: 'moh', tenantId: null },
    { path: INDEX_FILES.chanDahdi, content: renderChanDahdiIndex(settings.language, ids), module: 'dahdi', tenantId: null },
    { path: INDEX_FILES.dahdiSystem, content: renderDahdiSystem(allSpans(sorted)), module: 'dahdi', tenantId: null },
  ];
  for (const t of sorted) {
    files.push(
      { path: pjsipTenantPath(t.tenantId), content: renderPjsipTenant(t), module: 'pjsip', tenantId: t.tenantId },
      { path: extensionsTenantPath(t.tenantId), content: renderExtensionsTenant(t), module: 'dialplan', tenantId: t.tenantId },
      { path: mohTenantPath(t.tenantId), content: renderMohTenant(t), module: 'moh', tenantId: t.tenantId },
      { path: chanDahdiTenantPath(t.tenantId), content: renderChanDahdiTenant(t), module: 'dahdi', tenantId: t.tenantId },
    );
  }
  return files;
}

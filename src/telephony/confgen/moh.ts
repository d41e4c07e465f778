/**
 * Music on hold: `atende/musiconhold.conf` (one `#tryinclude` per tenant) and
 * `atende/musiconhold-t<tenant>.conf`. Classes are playlists of Atende's prompt files by
 * absolute path, so no directory has to be kept in step; `sort=random` picks the next file at
 * random, otherwise the files play in the listed order.
 */
import { byName, header, joinBlocks, tenantIncludes, section, type Line } from './conf-text.js';
import type { TenantConf } from './confgen.model.js';

export const mohTenantPath = (tenantId: number): string => `atende/musiconhold-t${tenantId}.conf`;

export function renderMohIndex(tenantIds: readonly number[]): string {
  return joinBlocks([
    header(';', 'Atende: music-on-hold classes', 'Included from musiconhold.conf (after its own classes) with: #include atende/musiconhold.conf'),
    tenantIncludes(tenantIds, mohTenantPath).join('\n'),
  ]);
}

export function renderMohTenant(t: TenantConf): string {
  const classes = byName(t.mohClasses, (c) => c.className);
  return joinBlocks([
    header(';', `Atende: music-on-hold classes of tenant ${t.tenantId} (${t.tenantName})`, 'Included from atende/musiconhold.conf'),
    ...classes.map((c) =>
      c.entries.length === 0
        ? `; class ${c.className} has no audio yet: Asterisk would refuse an empty playlist, so it is left out`
        : section(c.className, [
            ['mode', 'playlist'],
            ...c.entries.map((e): Line => ['entry', e]),
            ...(c.random ? [['sort', 'random'] as Line] : []),
          ]),
    ),
  ]);
}

/**
 * E1 spans: DAHDI's `system.conf` (read by `dahdi_cfg`, one file for the whole card) and
 * chan_dahdi's `atende/chan_dahdi.conf` (the `[channels]` section, one `#tryinclude` per tenant)
 * with `atende/chan_dahdi-t<tenant>.conf` (the tenant's spans). In chan_dahdi.conf settings
 * accumulate and each `channel =>` line takes the values above it, so every span writes all of
 * its own settings before its channels.
 */
import { byTenant, header, joinBlocks, rangeList, tenantIncludes } from './conf-text.js';
import { CONTEXTS, type SpanConf, type TenantConf } from './confgen.model.js';

export const chanDahdiTenantPath = (tenantId: number): string => `atende/chan_dahdi-t${tenantId}.conf`;
export const DAHDI_SYSTEM_PATH = 'atende/dahdi-system.conf';

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const bySpan = (spans: readonly SpanConf[]): SpanConf[] => [...spans].sort((a, b) => a.span - b.span);

/** The DAHDI channel numbers of one span's bearer ranges, cut around the D-channel timeslot for CAS. */
function spanLines(s: SpanConf): string[] {
  const lines = [`# span ${s.span}: ${s.description.replace(/[\r\n]+/g, ' ')}`];
  lines.push(`span=${[s.span, s.timing, s.lineBuildOut, s.framing, s.coding, ...(s.crc4 ? ['crc4'] : [])].join(',')}`);
  const bearers = rangeList(s.bchannels);
  if (s.signalling === 'mfcr2') {
    // MFC/R2: channel-associated signalling, ABCD bits 1101 in the idle state.
    for (const r of s.bchannels) lines.push(`cas=${rangeList([r])}:1101`);
  } else {
    lines.push(`bchan=${bearers}`);
    if (s.dchannel !== null) lines.push(`dchan=${s.dchannel}`);
  }
  if (s.echoCanceller) lines.push(`echocanceller=mg2,${bearers}`);
  return lines;
}

/** `/etc/dahdi/system.conf`, for every tenant's spans (one E1 card serves the whole server). */
export function renderDahdiSystem(spans: readonly SpanConf[]): string {
  return joinBlocks([
    header('#', 'Atende: DAHDI spans (system.conf)', `Link or copy it to /etc/dahdi/system.conf, then run dahdi_cfg -vv`),
    ...bySpan(spans).map((s) => spanLines(s).join('\n')),
    ['# Brazilian tones (dial, busy, ringback).', 'loadzone=br', 'defaultzone=br'].join('\n'),
  ]);
}

/** `atende/chan_dahdi.conf`: what every span shares, then the tenants' spans. */
export function renderChanDahdiIndex(language: string, tenantIds: readonly number[]): string {
  return joinBlocks([
    header(';', 'Atende: E1 channels (chan_dahdi)', 'chan_dahdi.conf may be just the line: #include atende/chan_dahdi.conf'),
    '[trunkgroups]',
    [
      '[channels]',
      `language=${language}`,
      '; Every call arriving on a span goes to Atende (dialplan/atende.conf).',
      `context=${CONTEXTS.pstn}`,
      'usecallerid=yes',
      'callerid=asreceived',
      ...tenantIncludes(tenantIds, chanDahdiTenantPath),
    ].join('\n'),
  ]);
}

function chanDahdiSpan(s: SpanConf): string {
  const lines = [`; span ${s.span}: ${s.description.replace(/[\r\n]+/g, ' ')}`, `signalling=${s.signalling}`];
  if (s.signalling === 'mfcr2' && s.r2) {
    lines.push(
      `mfcr2_variant=${s.r2.variant}`,
      `mfcr2_category=${s.r2.category}`,
      `mfcr2_max_ani=${s.r2.maxAni}`,
      `mfcr2_max_dnis=${s.r2.maxDnis}`,
      `mfcr2_get_ani_first=${yesNo(s.r2.getAniFirst)}`,
      `mfcr2_allow_collect_calls=${yesNo(s.r2.allowCollectCalls)}`,
      // A double answer drops collect calls on exchanges that do not send the collect-call category.
      `mfcr2_double_answer=${yesNo(s.r2.doubleAnswer)}`,
    );
  } else {
    lines.push(`switchtype=${s.switchtype}`);
  }
  lines.push(`echocancel=${yesNo(s.echoCanceller)}`, `group=${s.group}`, `channel => ${rangeList(s.bchannels)}`);
  return lines.join('\n');
}

/** `atende/chan_dahdi-t<tenant>.conf`: the tenant's spans, by span number. */
export function renderChanDahdiTenant(t: TenantConf): string {
  return joinBlocks([
    header(';', `Atende: E1 spans of tenant ${t.tenantId} (${t.tenantName})`, 'Included from atende/chan_dahdi.conf'),
    ...bySpan(t.spans).map(chanDahdiSpan),
  ]);
}

/** Every span of every tenant, for system.conf. */
export const allSpans = (tenants: readonly TenantConf[]): SpanConf[] => byTenant(tenants).flatMap((t) => t.spans);

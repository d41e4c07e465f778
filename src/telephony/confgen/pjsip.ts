/**
 * PJSIP configuration: `atende/pjsip.conf` (transports and the templates every phone and trunk
 * inherits, then one `#tryinclude` per tenant) and `atende/pjsip-t<tenant>.conf` (the tenant's
 * extensions and trunks: endpoint, auth, aor, registration, identify).
 */
import { byName, header, joinBlocks, section, tenantIncludes, type Line } from './conf-text.js';
import {
  CONTEXTS,
  TEMPLATES,
  TRANSPORTS,
  hintsContext,
  type ExtensionConf,
  type SipSettings,
  type TenantConf,
  type TrunkConf,
} from './confgen.model.js';

const VIDEO_CODECS = 'h264,vp8';

export const pjsipTenantPath = (tenantId: number): string => `atende/pjsip-t${tenantId}.conf`;

function natLines(s: SipSettings): Line[] {
  if (s.externalAddress === null) return [];
  return [
    ...s.localNets.map((net): Line => ['local_net', net]),
    ['external_media_address', s.externalAddress],
    ['external_signaling_address', s.externalAddress],
  ];
}

function transports(s: SipSettings): string[] {
  const out = [section(TRANSPORTS.udp, [['type', 'transport'], ['protocol', 'udp'], ['bind', `0.0.0.0:${s.udpPort}`], ...natLines(s)])];
  if (s.tcpEnabled) {
    out.push(section(TRANSPORTS.tcp, [['type', 'transport'], ['protocol', 'tcp'], ['bind', `0.0.0.0:${s.udpPort}`], ...natLines(s)]));
  }
  if (s.wssEnabled) {
    out.push(
      section(TRANSPORTS.wss, [
        'the webphone: wss://<host>:<https port>/ws on Asterisk\'s HTTP server (http.conf); only one wss transport may exist',
        ['type', 'transport'],
        ['protocol', 'wss'],
        ['bind', '0.0.0.0'],
      ]),
    );
  }
  return out;
}

/** Endpoint options phones and trunks share. */
function endpointDefaults(s: SipSettings): Line[] {
  return [
    ['dtmf_mode', 'rfc4733'],
    // Media always flows through Asterisk: Atende records, snoops and bridges every call.
    ['direct_media', 'no'],
    ['rtp_symmetric', 'yes'],
    ['force_rport', 'yes'],
    ['rewrite_contact', 'yes'],
    ['timers', s.sessionTimers],
    ['language', s.language],
  ];
}

const qualify = (seconds: number): Line[] => (seconds > 0 ? [['qualify_frequency', seconds]] : []);

function templates(s: SipSettings): string[] {
  return [
    section(
      TEMPLATES.phone,
      [
        ['type', 'endpoint'],
        ['context', CONTEXTS.phones],
        ['disallow', 'all'],
        ...(s.videoSupport ? [['allow', VIDEO_CODECS] as Line] : []),
        ...endpointDefaults(s),
      ],
      '!',
    ),
    section(
      TEMPLATES.phoneAor,
      [
        ['type', 'aor'],
        ['max_contacts', 1],
        ['remove_existing', 'yes'],
        // Without qualify a contact is only ever NonQualified: an unreachable phone would look registered.
        ...qualify(s.phoneQualifySeconds),
      ],
      '!',
    ),
    section(TEMPLATES.trunk, [['type', 'endpoint'], ['context', CONTEXTS.trunks], ['disallow', 'all'], ...endpointDefaults(s)], '!'),
    section(TEMPLATES.trunkAor, [['type', 'aor'], ...qualify(s.trunkQualifySeconds)], '!'),
  ];
}

/** `atende/pjsip.conf`: transports, templates, and the tenants' files. */
export function renderPjsipIndex(settings: SipSettings, tenantIds: readonly number[]): string {
  const includes = tenantIncludes(tenantIds, pjsipTenantPath);
  return joinBlocks([
    header(';', 'Atende: SIP transports, phone and trunk templates', 'Included from pjsip.conf with: #include atende/pjsip.conf'),
    ...transports(settings),
    ...templates(settings),
    includes.join('\n'),
  ]);
}

const callerId = (name: string, number: string): string => {
  const clean = name.replace(/["<>\\]/g, '').trim();
  return clean ? `"${clean}" <${number}>` : `<${number}>`;
};

function extensionBlocks(e: ExtensionConf, tenantId: number): string[] {
  const endpoint: Line[] = [
    `extension ${e.number}${e.kind === 'webrtc' ? ' (WebRTC webphone)' : ''}`,
    ['auth', e.sipUser],
    ['aors', e.sipUser],
    ['callerid', callerId(e.displayName, e.number)],
    ['allow', e.codecs.join(',')],
    ['subscribe_context', hintsContext(tenantId)],
  ];
  if (e.kind === 'webrtc') {
    // webrtc=yes implies DTLS with an auto-generated certificate, ICE, AVPF and rtcp-mux.
    endpoint.push(['webrtc', 'yes'], ['transport', TRANSPORTS.wss]);
  }
  return [
    section(e.sipUser, endpoint, TEMPLATES.phone),
    section(e.sipUser, [['type', 'auth'], ['auth_type', 'userpass'], ['username', e.sipUser], ['password', e.secret]]),
    section(e.sipUser, e.maxContacts === 1 ? [] : [['max_contacts', e.maxContacts]], TEMPLATES.phoneAor),
  ];
}

function trunkUri(t: TrunkConf, user?: string): string {
  const host = t.port === null ? t.host : `${t.host}:${t.port}`;
  const transport = t.transport === 'tcp' ? ';transport=tcp' : '';
  return `sip:${user ? `${user}@` : ''}${host}${transport}`;
}

const proxyUri = (t: TrunkConf): string | null => (t.outboundProxy === null ? null : `${t.outboundProxy};lr`);

function trunkBlocks(t: TrunkConf): string[] {
  const transport = t.transport === 'tcp' ? TRANSPORTS.tcp : TRANSPORTS.udp;
  const proxy = proxyUri(t);
  const proxyLine: Line[] = proxy === null ? [] : [['outbound_proxy', proxy]];
  const endpoint: Line[] = [
    `trunk ${t.name}: ${t.registration ? 'registers with the provider' : t.auth ? 'digest authentication, no registration' : 'authenticated by address'}`,
    ['transport', transport],
    ['aors', t.name],
    ['allow', t.codecs.join(',')],
    ...(t.auth ? [['outbound_auth', t.name] as Line] : []),
    ...(t.fromUser !== null ? [['from_user', t.fromUser] as Line] : []),
    ...(t.fromDomain !== null ? [['from_domain', t.fromDomain] as Line] : []),
    ...proxyLine,
    ...t.extraOptions.map(([k, v]): Line => [k, v]),
  ];
  const blocks = [section(t.name, endpoint, TEMPLATES.trunk)];
  if (t.auth) {
    blocks.push(section(t.name, [['type', 'auth'], ['auth_type', 'userpass'], ['username', t.auth.username], ['password', t.auth.secret]]));
  }
  blocks.push(section(t.name, [['contact', trunkUri(t)], ...proxyLine], TEMPLATES.trunkAor));
  if (t.registration && t.auth) {
    blocks.push(
      section(t.name, [
        ['type', 'registration'],
        ['transport', transport],
        ['outbound_auth', t.name],
        ['server_uri', trunkUri(t)],
        ['client_uri', trunkUri(t, t.auth.username)],
        ...(t.registration.contactUser !== null ? [['contact_user', t.registration.contactUser] as Line] : []),
        ['retry_interval', 60],
        ['forbidden_retry_interval', 600],
        ['expiration', t.registration.expirationSeconds],
        // Calls the provider sends to the registered contact are matched to this trunk.
        ['line', 'yes'],
        ['endpoint', t.name],
        ...proxyLine,
      ]),
    );
  }
  blocks.push(section(t.name, [['type', 'identify'], ['endpoint', t.name], ['match', t.host]]));
  return blocks;
}

/** `atende/pjsip-t<tenant>.conf`: the tenant's extensions (by number) and trunks (by name). */
export function renderPjsipTenant(t: TenantConf): string {
  return joinBlocks([
    header(';', `Atende: extensions and SIP trunks of tenant ${t.tenantId} (${t.tenantName})`, 'Included from atende/pjsip.conf'),
    ...byName(t.extensions, (e) => e.number).flatMap((e) => extensionBlocks(e, t.tenantId)),
    ...byName(t.trunks, (tr) => tr.name).flatMap(trunkBlocks),
  ]);
}

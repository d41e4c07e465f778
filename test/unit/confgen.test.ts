/**
 * Golden files of the generated Asterisk configuration. A renderer change shows up as a diff of
 * the files under test/unit/golden/confgen; after checking it, refresh them with
 * `ATENDE_UPDATE_GOLDEN=1 npx vitest run test/unit/confgen.test.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { confValue, renderAll, type TenantConf } from '../../src/telephony/confgen/index.js';
import { priSpan, r2Span, sipSettings } from '../helpers/telephony-conf.js';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'confgen');
const update = process.env.ATENDE_UPDATE_GOLDEN === '1';

const settings = sipSettings({ externalAddress: '198.51.100.20', localNets: ['192.168.0.0/16', '10.0.0.0/8'] });

const tenant3: TenantConf = {
  tenantId: 3,
  tenantName: 'Call Center Nordeste S.A.',
  extensions: [
    { number: '2001', sipUser: '2001', secret: 'Wb7-phone-Secret', displayName: 'Webphone Maria', kind: 'webrtc', codecs: ['alaw', 'ulaw'], maxContacts: 3 },
    { number: '1001', sipUser: '1001', secret: 'Sx9;semicolon-Pass', displayName: 'Agente "Um" <1001>', kind: 'softphone', codecs: ['alaw', 'ulaw'], maxContacts: 1 },
  ],
  trunks: [
    {
      name: 'operadora-ip',
      host: '203.0.113.10',
      port: 5060,
      transport: 'udp',
      codecs: ['alaw'],
      auth: null,
      registration: null,
      fromUser: null,
      fromDomain: null,
      outboundProxy: null,
      extraOptions: [['send_pai', 'yes']],
    },
    {
      name: 'operadora-reg',
      host: 'sip.provider.example.net',
      port: null,
      transport: 'tcp',
      codecs: ['alaw', 'ulaw'],
      auth: { username: '1133334444', secret: 'Trunk-Secret-99' },
      registration: { contactUser: '1133334444', expirationSeconds: 300 },
      fromUser: '1133334444',
      fromDomain: 'sip.provider.example.net',
      outboundProxy: 'sip:proxy.provider.example.net',
      extraOptions: [],
    },
  ],
  spans: [r2Span(), priSpan({ echoCanceller: true })],
  mohClasses: [
    { className: 'atende-t3-7', entries: ['/var/lib/asterisk/sounds/atende/prompts/t3/12', '/var/lib/asterisk/sounds/atende/prompts/t3/15'], random: true },
    { className: 'atende-t3-8', entries: [], random: false },
  ],
};

const tenant5: TenantConf = { tenantId: 5, tenantName: 'Outra Empresa', extensions: [], trunks: [], spans: [], mohClasses: [] };

describe('confgen golden files', () => {
  const files = renderAll(settings, [tenant5, tenant3]);

  it.each(files.map((f) => [f.path, f] as const))('%s', (path, file) => {
    const golden = join(goldenDir, path);
    if (update) {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, file.content);
    }
    expect(file.content).toBe(readFileSync(golden, 'utf8'));
  });
});

describe('confgen', () => {
  it('is byte-stable: the order of the input does not matter', () => {
    const shuffled: TenantConf = {
      ...tenant3,
      extensions: [...tenant3.extensions].reverse(),
      trunks: [...tenant3.trunks].reverse(),
      spans: [...tenant3.spans].reverse(),
      mohClasses: [...tenant3.mohClasses].reverse(),
    };
    expect(renderAll(settings, [tenant3, tenant5])).toEqual(renderAll(settings, [tenant5, shuffled]));
  });

  it('escapes what Asterisk would read as a comment and keeps values on one line', () => {
    expect(confValue('abc;def')).toBe('abc\\;def');
    expect(confValue(' two\nlines ')).toBe('two lines');
  });

  it('tells which module reads each file and whose it is', () => {
    const files = renderAll(settings, [tenant3]);
    expect(files.map((f) => [f.path, f.module, f.tenantId])).toEqual([
      ['atende/pjsip.conf', 'pjsip', null],
      ['atende/extensions.conf', 'dialplan', null],
      ['atende/musiconhold.conf', 'moh', null],
      ['atende/chan_dahdi.conf', 'dahdi', null],
      ['atende/dahdi-system.conf', 'dahdi', null],
      ['atende/pjsip-t3.conf', 'pjsip', 3],
      ['atende/extensions-t3.conf', 'dialplan', 3],
      ['atende/musiconhold-t3.conf', 'moh', 3],
      ['atende/chan_dahdi-t3.conf', 'dahdi', 3],
    ]);
  });
});

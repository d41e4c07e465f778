/**
 * The webphone's account: the SIP credentials of the WebRTC extension linked to the logged-in
 * user, handed to that user only (never cached), with the configured WebSocket; a user with no
 * WebRTC extension, or only a softphone, gets 404; another tenant's user never gets them; no
 * configured WebSocket is a 503 naming the setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

const WSS = 'wss://pbx.example.com:8089/ws';
let t: TestApp;
let admin: LoggedIn;
let ana: LoggedIn;
let bruno: LoggedIn;
let other: LoggedIn;

const account = (who: LoggedIn) => t.request('GET', '/api/v1/webphone/account', { cookie: who.cookie });
const extension = async (body: Record<string, unknown>, who: LoggedIn = admin) => {
  const res = await t.request('POST', '/api/v1/telephony/extensions', { cookie: who.cookie, body });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: number; secret: string }>();
};

beforeAll(async () => {
  t = await createTestApp({ config: { asterisk: { webphoneUrl: WSS } } });
  admin = await t.loginAs('admin');
  ana = await t.loginAs('agent');
  bruno = await t.loginAs('agent');
  const tenantB = t.createTenant('Tenant B');
  other = await t.loginAs('agent', { tenantId: tenantB });
});
afterAll(async () => {
  await t.close();
});

describe('GET /webphone/account', () => {
  it('gives the user its own WebRTC extension’s credentials and the WebSocket, uncached', async () => {
    await extension({ number: '3001', displayName: 'Ana mesa', userId: ana.user.id });
    const web = await extension({ number: '3002', sipUser: 'ana-web', displayName: 'Ana web', kind: 'webrtc', userId: ana.user.id });
    const res = await account(ana);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ sipUser: 'ana-web', password: web.secret, wsUrl: WSS, domain: 'pbx.example.com', extension: '3002', displayName: 'Ana web' });
  });

  it('a user with only a softphone, or with nothing, has no webphone account', async () => {
    await extension({ number: '3003', displayName: 'Bruno mesa', userId: bruno.user.id });
    for (const who of [bruno, admin]) {
      const res = await account(who);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('no_extension');
    }
  });

  it('another tenant’s user never gets these credentials, even linked to an extension of its own', async () => {
    const res = await account(other);
    expect(res.statusCode).toBe(404);
    const mine = await extension({ number: '3002', sipUser: 'outro-web', displayName: 'Outro', kind: 'webrtc', userId: other.user.id }, await t.loginAs('admin', { tenantId: other.user.tenantId }));
    const now = await account(other);
    expect(now.json()).toMatchObject({ sipUser: 'outro-web', password: mine.secret, extension: '3002' });
    expect((await account(ana)).json().sipUser).toBe('ana-web');
  });

  it('without a configured WebSocket it says which setting is missing', async () => {
    const bare = await createTestApp();
    try {
      const who = await bare.loginAs('agent');
      const admin2 = await bare.loginAs('admin');
      const created = await bare.request('POST', '/api/v1/telephony/extensions', { cookie: admin2.cookie, body: { number: '4001', displayName: 'X', kind: 'webrtc', userId: who.user.id } });
      expect(created.statusCode).toBe(201);
      const res = await bare.request('GET', '/api/v1/webphone/account', { cookie: who.cookie });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'webphone_not_configured', message: expect.stringMatching(/ATENDE_WEBPHONE_WS_URL/) });
    } finally {
      await bare.close();
    }
  });
});

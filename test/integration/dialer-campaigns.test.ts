/**
 * Strategies and campaigns as tenant-scoped, validated, audited resources; the campaign's
 * controls; the checks before each dial on what the database says now; what a tabulation does
 * to the list; the attempts record and the short-call count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/kernel/index.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { eq } from 'drizzle-orm';
import { contactPhones, contacts, dialerListMembers } from '../../src/db/schema/index.js';
import { DEFAULT_TIME_ZONE } from '../../src/dialer/compliance.logic.js';
import { DEFAULT_RETRY_DELAYS_MS, nextDialsOf } from '../../src/dialer/contacts.logic.js';
import { toListContact } from '../../src/dialer/dialer.service.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

describe('dialer: strategies and campaigns', () => {
  let t: TestApp;
  let admin: LoggedIn;
  /** The service (queue) the campaigns' answered calls go to. */
  let queueId: number;

  beforeEach(async () => {
    t = await createTestApp();
    admin = await t.loginAs('admin');
    queueId = (await api('POST', '/queues', { name: 'Cobrança', number: '900' })).json().id;
  });
  afterEach(async () => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, cookie = admin.cookie) =>
    t.request(method, `/api/v1${url}`, { cookie, ...(body === undefined ? {} : { body }) });
  const STRATEGY = { name: 'Padrão', maxAttemptsPerPhone: 3, maxAttemptsPerContact: 6, maxAttemptsPerDay: 2 };
  const strategy = async (over: Record<string, unknown> = {}) => {
    const res = await api('POST', '/dialer/strategies', { ...STRATEGY, ...over });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  };
  const body = (strategyId: number, over: Record<string, unknown> = {}) => ({
    name: 'Cobrança',
    mode: 'predictive',
    strategyId,
    queueId,
    ringTimeoutSeconds: 25,
    abandonTargetPercent: 2.5,
    ...over,
  });
  const field = (res: { statusCode: number; json(): { error: { details: { field: string } } } }) => [res.statusCode, res.json().error.details.field];

  describe('strategies', () => {
    it('fills the retry delays it is not given and keeps the daily limit within the total', async () => {
      const res = await api('POST', '/dialer/strategies', { ...STRATEGY, retryMinutes: { busy: 5 }, phoneOrder: 'mobile_first' });
      expect(res.json()).toMatchObject({ retryMinutes: { busy: 5, no_answer: 120, failed: 30, machine: 240, dropped: 4320 }, phoneOrder: 'mobile_first', timeConditionId: null });
      expect(field(await api('POST', '/dialer/strategies', { ...STRATEGY, name: 'X', maxAttemptsPerDay: 7 }))).toEqual([400, 'maxAttemptsPerDay']);
      expect(field(await api('POST', '/dialer/strategies', { ...STRATEGY, name: 'Y', timeConditionId: 999 }))).toEqual([400, 'timeConditionId']);
      expect(field(await api('POST', '/dialer/strategies', { ...STRATEGY, name: 'Z', maxAttemptsPerPhone: 0 }))).toEqual([400, 'maxAttemptsPerPhone']);
    });

    it('a change of one retry delay keeps the others as they were', async () => {
      const id = await strategy({ retryMinutes: { busy: 5, no_answer: 60, failed: 15, machine: 90, dropped: 600 } });
      const patched = await api('PATCH', `/dialer/strategies/${id}`, { retryMinutes: { no_answer: 45 } });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().retryMinutes).toEqual({ busy: 5, no_answer: 45, failed: 15, machine: 90, dropped: 600 });
      expect((await api('GET', `/dialer/strategies/${id}`)).json().retryMinutes).toEqual({ busy: 5, no_answer: 45, failed: 15, machine: 90, dropped: 600 });
      // A change of something else leaves every delay alone.
      expect((await api('PATCH', `/dialer/strategies/${id}`, { phoneOrder: 'landline_first' })).json().retryMinutes).toEqual({ busy: 5, no_answer: 45, failed: 15, machine: 90, dropped: 600 });
    });

    it('cannot be deleted while a campaign uses it', async () => {
      const id = await strategy();
      const c = await api('POST', '/dialer/campaigns', body(id));
      const del = await api('DELETE', `/dialer/strategies/${id}`);
      expect(del.statusCode).toBe(409);
      expect(del.json().error.details.referrers).toEqual([{ entity: 'dialer_campaign', id: c.json().id, name: 'Cobrança' }]);
    });
  });

  describe('campaigns', () => {
    it('is created as a draft with AMD parameters pinned to app_amd defaults, and audited', async () => {
      const id = await strategy();
      const res = await api('POST', '/dialer/campaigns', body(id, { amd: { enabled: true, maximumNumberOfWords: 4 } }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        state: 'draft',
        abandonMaxPercent: 3,
        requireTabulation: true,
        stopWhenExhausted: true,
        amd: { enabled: true, initialSilence: 2500, greeting: 1500, afterGreetingSilence: 800, totalAnalysisTime: 5000, maximumNumberOfWords: 4, silenceThreshold: 256 },
      });
      const audit = (await api('GET', '/audit', undefined)).json().items as { entity: string; action: string }[];
      expect(audit).toContainEqual(expect.objectContaining({ entity: 'dialer_campaign', action: 'create' }));
    });

    it('a change of one AMD parameter, or of AMD on or off, keeps the tuned others as they were', async () => {
      const id = await strategy();
      const tuned = { enabled: true, initialSilence: 3000, greeting: 1200, totalAnalysisTime: 4000, maximumNumberOfWords: 5 };
      const c = (await api('POST', '/dialer/campaigns', body(id, { amd: tuned }))).json();
      const off = await api('PATCH', `/dialer/campaigns/${c.id}`, { amd: { enabled: false } });
      expect(off.statusCode).toBe(200);
      const kept = { initialSilence: 3000, greeting: 1200, afterGreetingSilence: 800, totalAnalysisTime: 4000, maximumNumberOfWords: 5, silenceThreshold: 256 };
      expect(off.json().amd).toMatchObject({ ...kept, enabled: false });
      const one = await api('PATCH', `/dialer/campaigns/${c.id}`, { amd: { enabled: true, greeting: 1000 } });
      expect(one.json().amd).toMatchObject({ ...kept, greeting: 1000, enabled: true });
      expect((await api('GET', `/dialer/campaigns/${c.id}`)).json().amd).toMatchObject({ ...kept, greeting: 1000, enabled: true });
      // A change of something else leaves AMD alone.
      expect((await api('PATCH', `/dialer/campaigns/${c.id}`, { ringTimeoutSeconds: 30 })).json().amd).toMatchObject({ ...kept, greeting: 1000, enabled: true });
    });

    it('refuses bad input naming the field, and stores nothing', async () => {
      const id = await strategy();
      expect(field(await api('POST', '/dialer/campaigns', body(id, { ringTimeoutSeconds: 14 })))).toEqual([400, 'ringTimeoutSeconds']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { abandonTargetPercent: 4 })))).toEqual([400, 'abandonTargetPercent']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { abandonTargetPercent: 2, abandonMaxPercent: 1.5 })))).toEqual([400, 'abandonTargetPercent']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { abandonMaxPercent: 30 })))).toEqual([400, 'abandonMaxPercent']);
      expect(field(await api('POST', '/dialer/campaigns', body(999)))).toEqual([400, 'strategyId']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { prefix0303: true, callerId: '1133334444' })))).toEqual([400, 'callerId']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { statusGroupId: 999 })))).toEqual([400, 'statusGroupId']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { listIds: [999] })))).toEqual([400, 'listIds.0']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { stopAt: '2020-01-01T00:00:00Z' })))).toEqual([400, 'stopAt']);
      expect(field(await api('POST', '/dialer/campaigns', body(id, { mode: 'blaster' })))).toEqual([400, 'mode']);
      expect(t.count('dialer_campaigns')).toBe(0);
    });

    it("takes only a queue of the campaign's own tenant, which then cannot be deleted; with an agent logged in there it no longer says nobody is", async () => {
      const id = await strategy();
      expect(field(await api('POST', '/dialer/campaigns', body(id, { queueId: 999_999 })))).toEqual([400, 'queueId']);
      const otherAdmin = await t.loginAs('admin', { tenantId: t.createTenant() });
      const theirQueue = (await api('POST', '/queues', { name: 'Deles', number: '901' }, otherAdmin.cookie)).json().id;
      expect(field(await api('POST', '/dialer/campaigns', body(id, { queueId: theirQueue })))).toEqual([400, 'queueId']);
      const agent = await t.loginAs('agent');
      expect((await api('PATCH', `/users/${agent.user.id}`, { extension: '2001', flags: { callCenter: true }, concurrency: { voice: 1 } })).statusCode).toBe(200);
      const staffed = (await api('POST', '/queues', { name: 'Ativo', number: '902', members: [{ userId: agent.user.id }] })).json().id;
      const c = (await api('POST', '/dialer/campaigns', body(id, { queueId: staffed }))).json();
      expect(c.queueId).toBe(staffed);
      const refusedDelete = await api('DELETE', `/queues/${staffed}`);
      expect(refusedDelete.statusCode).toBe(409);
      expect(refusedDelete.json().error.details.referrers).toEqual([{ entity: 'dialer_campaign', id: c.id, name: 'Cobrança' }]);

      expect((await api('POST', `/dialer/campaigns/${c.id}/start`)).json().idle).toEqual(['no_lists', 'no_agents']);
      expect((await t.request('POST', '/api/v1/agent/login', { cookie: agent.cookie })).statusCode).toBe(200);
      expect((await api('POST', `/dialer/campaigns/${c.id}/pause`)).statusCode).toBe(200);
      expect((await api('POST', `/dialer/campaigns/${c.id}/resume`)).json().idle).toEqual(['no_lists']);
    });

    it("takes only an outbound route of the campaign's own tenant", async () => {
      const id = await strategy();
      expect(field(await api('POST', '/dialer/campaigns', body(id, { outboundRouteId: 999 })))).toEqual([400, 'outboundRouteId']);
      const trunk = await api('POST', '/telephony/trunks', { name: 'operadora', host: '203.0.113.10' });
      const route = await api('POST', '/telephony/outbound-routes', { name: 'Celulares', rules: [{ pattern: '_0XX9XXXXXXXX' }], trunks: [{ trunkId: trunk.json().id }] });
      expect(route.statusCode).toBe(201);
      const res = await api('POST', '/dialer/campaigns', body(id, { outboundRouteId: route.json().id }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ outboundRouteId: route.json().id });
      const otherAdmin = await t.loginAs('admin', { tenantId: t.createTenant() });
      const theirs = await api('POST', '/dialer/strategies', STRATEGY, otherAdmin.cookie);
      const theirQueue = (await api('POST', '/queues', { name: 'Deles', number: '900' }, otherAdmin.cookie)).json().id;
      const refused = await api('POST', '/dialer/campaigns', body(theirs.json().id, { outboundRouteId: route.json().id, queueId: theirQueue }), otherAdmin.cookie);
      expect(field(refused)).toEqual([400, 'outboundRouteId']);
    });

    it('plays its own drop message, a prompt of its tenant that then cannot be deleted; the built-in one by default', async () => {
      const id = await strategy();
      expect((await api('POST', '/dialer/campaigns', body(id))).json()).toMatchObject({ dropPromptId: null });
      expect(field(await api('POST', '/dialer/campaigns', body(id, { name: 'Outra', dropPromptId: 999 })))).toEqual([400, 'dropPromptId']);
      const prompt = await api('POST', '/telephony/prompts', { name: 'Desculpe', speech: { text: 'Desculpe, ligaremos de novo.' } });
      expect(prompt.statusCode).toBe(201);
      const c = await api('POST', '/dialer/campaigns', body(id, { name: 'Com mensagem', dropPromptId: prompt.json().id }));
      expect(c.statusCode).toBe(201);
      expect(c.json()).toMatchObject({ dropPromptId: prompt.json().id });
      const refused = await api('DELETE', `/telephony/prompts/${prompt.json().id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.details.referrers).toEqual([{ entity: 'dialer_campaign', id: c.json().id, name: 'Com mensagem' }]);
      const otherAdmin = await t.loginAs('admin', { tenantId: t.createTenant() });
      const theirs = await api('POST', '/dialer/strategies', STRATEGY, otherAdmin.cookie);
      const theirQueue = (await api('POST', '/queues', { name: 'Deles', number: '900' }, otherAdmin.cookie)).json().id;
      const foreign = await api('POST', '/dialer/campaigns', body(theirs.json().id, { queueId: theirQueue, dropPromptId: prompt.json().id }), otherAdmin.cookie);
      expect(field(foreign)).toEqual([400, 'dropPromptId']);
    });

    it('keeps the outbound route it names from being deleted, naming the campaign', async () => {
      const id = await strategy();
      const trunk = await api('POST', '/telephony/trunks', { name: 'operadora', host: '203.0.113.10' });
      const route = (await api('POST', '/telephony/outbound-routes', { name: 'Celulares', rules: [{ pattern: '_0XX9XXXXXXXX' }], trunks: [{ trunkId: trunk.json().id }] })).json();
      const c = (await api('POST', '/dialer/campaigns', body(id, { outboundRouteId: route.id }))).json();
      const refused = await api('DELETE', `/telephony/outbound-routes/${route.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.details.referrers).toEqual([{ entity: 'dialer_campaign', id: c.id, name: 'Cobrança' }]);
      expect((await api('GET', `/telephony/outbound-routes/${route.id}`)).statusCode).toBe(200);
      // Once the campaign dials through no route, the route may go.
      expect((await api('PATCH', `/dialer/campaigns/${c.id}`, { outboundRouteId: null })).statusCode).toBe(200);
      expect((await api('DELETE', `/telephony/outbound-routes/${route.id}`)).statusCode).toBe(204);
    });

    it('starts, pauses, resumes and stops; refuses a command its state does not allow; says why it dials nothing', async () => {
      const id = await strategy();
      const c = (await api('POST', '/dialer/campaigns', body(id))).json();
      const run = (cmd: string) => api('POST', `/dialer/campaigns/${c.id}/${cmd}`);

      const pauseDraft = await run('pause');
      expect(pauseDraft.statusCode).toBe(409);
      expect(pauseDraft.json().error.message).toContain('can start');

      const started = await run('start');
      expect(started.statusCode).toBe(200);
      // Nobody is logged in to its queue either: that is said too.
      expect(started.json()).toMatchObject({ campaign: { state: 'running', stateReason: 'no_lists' }, idle: ['no_lists', 'no_agents'] });
      expect(started.json().campaign.startedAt).toBe(new Date(t.clock.now()).toISOString());
      expect((await run('start')).statusCode).toBe(409);
      expect((await run('pause')).json().campaign.state).toBe('paused');
      expect((await run('resume')).json().campaign.state).toBe('running');
      const stopped = (await run('stop')).json().campaign;
      expect(stopped).toMatchObject({ state: 'stopped', endedAt: new Date(t.clock.now()).toISOString() });
      expect((await run('launch')).statusCode).toBe(400);

      const audit = (await api('GET', '/audit', undefined)).json().items as { entity: string; action: string }[];
      expect(audit.filter((a) => a.entity === 'dialer_campaign').map((a) => a.action)).toEqual(expect.arrayContaining(['start', 'pause', 'resume', 'stop']));
      expect((await api('DELETE', `/dialer/campaigns/${c.id}`)).statusCode).toBe(409);
    });

    it('running with an emptied list says it is exhausted; outside the hours it says so too', async () => {
      const id = await strategy();
      const list = (await api('POST', '/dialer/lists', { name: 'Vazia' })).json();
      const c = (await api('POST', '/dialer/campaigns', body(id, { listIds: [list.id] }))).json();
      t.clock.advance(14.5 * 3_600_000); // 23:30 in São Paulo, 21:30 in Acre: after the legal hours everywhere.
      const later = await t.loginAs('admin');
      const started = (await api('POST', `/dialer/campaigns/${c.id}/start`, undefined, later.cookie)).json();
      expect(started.idle).toEqual(['exhausted', 'outside_window', 'no_agents']);
    });

    it("picks each member in its own phone's time zone: Acre's numbers wait for their morning and are called on after São Paulo's hours end", async () => {
      const id = await strategy();
      await api('POST', '/contacts', { name: 'Paulista', phones: [{ number: '11987654321' }] });
      await api('POST', '/contacts', { name: 'Acreana', phones: [{ number: '68999887766' }] });
      const list = (await api('POST', '/dialer/lists', { name: 'Brasil' })).json();
      await api('POST', `/dialer/lists/${list.id}/fill`, { filter: {} });
      const c = (await api('POST', '/dialer/campaigns', body(id, { listIds: [list.id] }))).json();
      const picked = () => t.modules.dialer.nextDials(t.tenantA, c.id, new Set(), 10, t.clock.now()).dials.map((d) => d.phone);
      // 09:00 in São Paulo, 07:00 in Rio Branco: only the paulista is within the legal hours.
      expect(picked()).toEqual(['5511987654321']);
      // 21:30 in São Paulo (its hours are over), 19:30 in Rio Branco: only the acreana, and the
      // campaign is not outside its window.
      t.clock.advance(12.5 * 3_600_000);
      expect(picked()).toEqual(['5568999887766']);
      const evening = await t.loginAs('admin');
      expect((await api('POST', `/dialer/campaigns/${c.id}/start`, undefined, evening.cookie)).json().idle).not.toContain('outside_window');
      // 23:30 in São Paulo, 21:30 in Rio Branco: closed everywhere.
      t.clock.advance(2 * 3_600_000);
      expect(picked()).toEqual([]);
      const night = await t.loginAs('admin');
      expect((await api('GET', `/dialer/campaigns/${c.id}`, undefined, night.cookie)).json()).toMatchObject({ state: 'running' });
      expect(t.modules.dialer.checkBeforeDial(t.tenantA, c.id, (await api('GET', '/contacts?q=Acreana', undefined, night.cookie)).json().items[0].id, '5568999887766', t.clock.now())).toMatchObject({ ok: false, reason: 'outside_window' });
    });

    it('a list stays with a campaign that has started; a draft may let it go', async () => {
      const id = await strategy();
      const a = (await api('POST', '/dialer/lists', { name: 'A' })).json();
      const c = (await api('POST', '/dialer/campaigns', body(id, { listIds: [a.id] }))).json();
      expect((await api('PATCH', `/dialer/campaigns/${c.id}`, { listIds: [] })).json().listIds).toEqual([]);
      expect((await api('GET', `/dialer/lists/${a.id}`)).json().locked).toBe(false);
      await api('PATCH', `/dialer/campaigns/${c.id}`, { listIds: [a.id] });
      await api('POST', `/dialer/campaigns/${c.id}/start`);
      expect(field(await api('PATCH', `/dialer/campaigns/${c.id}`, { listIds: [] }))).toEqual([400, 'listIds']);
    });

    it("one tenant cannot see, change or control another's campaigns", async () => {
      const c = (await api('POST', '/dialer/campaigns', body(await strategy()))).json();
      const other = await t.loginAs('admin', { tenantId: t.createTenant() });
      expect((await api('GET', `/dialer/campaigns/${c.id}`, undefined, other.cookie)).statusCode).toBe(404);
      expect((await api('POST', `/dialer/campaigns/${c.id}/start`, undefined, other.cookie)).statusCode).toBe(404);
      expect((await api('PATCH', `/dialer/campaigns/${c.id}`, { name: 'x' }, other.cookie)).statusCode).toBe(404);
      const theirs = await api('POST', '/dialer/campaigns', body(c.strategyId), other.cookie);
      expect(field(theirs)).toEqual([400, 'strategyId']);
    });
  });

  describe('at dial time and after the call', () => {
    const setup = async () => {
      const strategyId = await strategy();
      const contact = (await api('POST', '/contacts', { name: 'Maria', phones: [{ number: '11 98765-4321' }, { number: '11 3456-7890' }] })).json();
      const list = (await api('POST', '/dialer/lists', { name: 'Lista' })).json();
      await api('POST', `/dialer/lists/${list.id}/fill`, { filter: {} });
      const campaign = (await api('POST', '/dialer/campaigns', body(strategyId, { listIds: [list.id] }))).json();
      const member = (await api('GET', `/dialer/lists/${list.id}/members`)).json().items[0];
      const attempt = recorder(campaign.id, member.id);
      return { contact, list, campaign, member, attempt };
    };
    /**
     * An attempt of the campaign's member on Maria's mobile, started `startedAt` (now by
     * default), answered and ended so many ms later, with the cause Asterisk gives its outcome.
     */
    const recorder =
      (campaignId: number, memberId: number) =>
      (outcome: 'no_answer' | 'busy' | 'machine' | 'dropped' | 'connected', answeredAfter: number | null, endedAfter: number, o: { startedAt?: number; agentUserId?: number } = {}) => {
        const startedAt = o.startedAt ?? t.clock.now();
        return t.modules.dialer.recordAttempt(t.tenantA, {
          campaignId,
          memberId,
          phone: '5511987654321',
          outcome,
          cause: outcome === 'busy' ? 17 : outcome === 'no_answer' ? 19 : 16,
          startedAt,
          answeredAt: answeredAfter === null ? null : startedAt + answeredAfter,
          endedAt: startedAt + endedAfter,
          agentUserId: o.agentUserId ?? null,
        });
      };

    it('reads the blacklist and do-not-call as they are at the moment of dialling', async () => {
      const { contact, campaign } = await setup();
      const check = (number: string) => t.modules.dialer.checkBeforeDial(t.tenantA, campaign.id, contact.id, number, t.clock.now());
      expect(check('5511987654321')).toMatchObject({ ok: true, timeZone: 'America/Sao_Paulo' });
      await api('POST', '/blacklist', { direction: 'outbound', number: '11 98765-4321' });
      expect(check('5511987654321')).toEqual({ ok: false, reason: 'blacklisted', retryAt: null });
      expect(check('551134567890')).toMatchObject({ ok: true });
      await api('PATCH', `/contacts/${contact.id}`, { doNotCall: true });
      expect(check('551134567890')).toEqual({ ok: false, reason: 'do_not_call', retryAt: null });
    });

    it('a tabulation acts on the list: redial, wrong number, do-not-call', async () => {
      const { contact, member, list } = await setup();
      const group = (await api('POST', '/tabulations/groups', { name: 'Discador' })).json().id;
      const status = async (name: string, actions: Record<string, unknown>) =>
        (await api('POST', '/tabulations/statuses', { groupId: group, name, category: 'neutral', kinds: ['dialer'], actions })).json().id as number;
      const dispose = (statusId: number, phone = '5511987654321') =>
        t.modules.dialer.dispose({ actor: SYSTEM_ACTOR }, t.tenantA, member.id, { statusId, phone, agentUserId: admin.user.id, callbackAt: null });

      const redial = dispose(await status('Ligar mais tarde', { redialAfterMinutes: 60 }));
      expect(redial).toMatchObject({ finished: false, retryAt: t.clock.now() + 3_600_000 });

      dispose(await status('Número errado', { markPhoneInvalid: true }));
      const phones = (await api('GET', `/contacts/${contact.id}`)).json().phones as { number: string; valid: boolean }[];
      expect(phones.map((p) => [p.number, p.valid])).toEqual([
        ['5511987654321', false],
        ['551134567890', true],
      ]);

      dispose(await status('Não ligar', { markContactDoNotCall: true }), '551134567890');
      expect((await api('GET', `/contacts/${contact.id}`)).json().doNotCall).toBe(true);
      expect((await api('GET', `/dialer/lists/${list.id}`)).json().pending).toBe(0);
      expect(() => dispose(999)).toThrow(/statusId/);
    });

    it('reports per campaign and day the attempts by outcome, % connect, % human, abandon rate, TMO and short calls, as JSON and CSV; the monitor shows the same', async () => {
      const { campaign, attempt } = await setup();
      const agent = await t.loginAs('agent');
      const withAgent = { agentUserId: agent.user.id };
      // Yesterday: one busy line. Today: 2 busy, a machine, a person dropped, 2 with the agent (60 s and 120 s).
      attempt('busy', null, 1_000, { startedAt: t.clock.now() - 86_400_000 });
      attempt('busy', null, 1_000);
      attempt('busy', null, 1_000);
      attempt('machine', 3_000, 10_000);
      attempt('dropped', 2_000, 5_000);
      attempt('connected', 2_000, 62_000, withAgent);
      attempt('connected', 2_000, 122_000, withAgent);
      // Detection on, taking half the persons who answer for machines (measured): the one machine it
      // hung up counts as a person abandoned — 3 × 0.5 / 0.5 = 3 estimated, at most the 1 hang-up.
      expect((await api('PATCH', `/dialer/campaigns/${campaign.id}`, { amd: { enabled: true, falsePositivePercent: 50 } })).statusCode).toBe(200);
      const report = await api('GET', '/dialer/report?from=2026-01-04&to=2026-01-05');
      expect(report.statusCode).toBe(200);
      expect(report.json().items).toEqual([
        expect.objectContaining({ date: '2026-01-04', campaignName: 'Cobrança', attempts: 1, connectRate: 0, humanRate: 0, abandonRate: null, short: 1 }),
        expect.objectContaining({
          date: '2026-01-05',
          attempts: 6,
          byOutcome: { connected: 2, dropped: 1, machine: 1, busy: 2, no_answer: 0, failed: 0 },
          connectRate: 4 / 6,
          humanRate: 3 / 6,
          abandonRate: 1 / 3,
          estimatedAbandonRate: 2 / 4,
          tmoSeconds: 90,
          short: 3,
          shortShare: 0.5,
        }),
      ]);
      const csv = await api('GET', '/dialer/report.csv?from=2026-01-05&to=2026-01-05');
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      expect(lines[0]).toBe('data;campanha;tentativas;atendidas;descartadas;secretária;ocupado;não atende;falha;% conexão;% humano;% abandono;% abandono estimado;TMO (s);chamadas curtas;% curtas');
      expect(lines.slice(1)).toEqual(['2026-01-05;Cobrança;6;2;1;1;2;0;0;66,7;50;33,3;50;90;3;50']);
      expect(field(await api('GET', '/dialer/report?from=2026-01-05&to=2026-01-04'))).toEqual([400, 'to']);
      expect((await api('GET', '/dialer/report?from=5/1/2026&to=2026-01-04')).statusCode).toBe(400);

      const monitor = (await api('GET', `/dialer/campaigns/${campaign.id}/monitor`)).json();
      expect(monitor).toMatchObject({ campaignId: campaign.id, state: 'draft', live: null, abandonMaxPercent: 3 });
      expect(monitor.today).toMatchObject({ attempts: 6, abandonRate: 1 / 3, estimatedAbandonRate: 2 / 4 });
      expect(monitor.overall).toMatchObject({ attempts: 7 });
      expect(monitor.agents).toEqual([{ agentUserId: agent.user.id, name: agent.user.name, connected: 2, connectShare: 1, tmoSeconds: 90 }]);
      expect(monitor.outcomes.reduce((n: number, b: { byOutcome: { busy: number } }) => n + b.byOutcome.busy, 0)).toBe(2);
      // An attempt recorded after the monitor was read counts in its next reading.
      attempt('connected', 2_000, 32_000, withAgent);
      const next = (await api('GET', `/dialer/campaigns/${campaign.id}/monitor`)).json();
      expect(next.today).toMatchObject({ attempts: 7, byOutcome: { connected: 3 }, tmoSeconds: 70 });
      expect(next.overall).toMatchObject({ attempts: 8, byOutcome: { connected: 3, busy: 3 } });
      expect(next.agents).toEqual([{ agentUserId: agent.user.id, name: agent.user.name, connected: 3, connectShare: 1, tmoSeconds: 70 }]);
      // Another tenant's admin sees neither.
      const other = await t.loginAs('admin', { tenantId: t.createTenant() });
      expect((await api('GET', `/dialer/campaigns/${campaign.id}/monitor`, undefined, other.cookie)).statusCode).toBe(404);
      expect((await api('GET', '/dialer/report?from=2026-01-04&to=2026-01-05', undefined, other.cookie)).json().items).toEqual([]);
    });

    it('picks the next dials from the indexes exactly as a scan of the whole list would, across lists, tiers and limits', async () => {
      const strategyId = await strategy();
      const numbers = (i: number) => [`5511${String(900_000_000 + i * 7919).padStart(9, '0')}`, `5511${String(30_000_000 + i * 131).padStart(8, '0')}`];
      for (let i = 0; i < 80; i++) await api('POST', '/contacts', { name: `C${i}`, phones: numbers(i).map((number) => ({ number })) });
      const lists: number[] = [];
      for (const name of ['Lista A', 'Lista B']) {
        const list = (await api('POST', '/dialer/lists', { name })).json();
        await api('POST', `/dialer/lists/${list.id}/fill`, { filter: {} });
        lists.push(list.id as number);
      }
      const campaign = (await api('POST', '/dialer/campaigns', body(strategyId, { listIds: lists }))).json();
      await api('POST', '/blacklist', { direction: 'outbound', number: numbers(3)[0] });
      await api('POST', '/blacklist', { direction: 'outbound', number: numbers(4)[0] });
      await api('POST', '/blacklist', { direction: 'outbound', number: numbers(4)[1] });
      const { db } = t.modules.resources.database;
      const repo = t.modules.dialer.repo;
      const now = t.clock.now();
      const MIN = 60_000;
      // Members in every state, drawn from a fixed seed: finished, callbacks and retries due or
      // not, attempts used up per phone, per contact and per day, do-not-call, invalid phones.
      let seed = 7;
      const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
      const members = lists.flatMap((id) => repo.members(id, 1000, 0).rows.map((r) => r.member));
      for (const m of members) {
        const [a, b] = numbers(m.contactId - members[0]!.contactId);
        const r = rnd();
        const tries = Math.floor(rnd() * 8);
        const attemptTimes = Array.from({ length: tries }, (_, i) => now - (rnd() < 0.3 ? (i + 1) * MIN : (i + 1) * 86_400_000));
        repo.updateMember(m.id, {
          finished: r < 0.1,
          callbackAt: r >= 0.1 && r < 0.25 ? now + (rnd() < 0.6 ? -1 : 1) * Math.floor(rnd() * 60) * MIN : null,
          retryAt: r >= 0.25 && r < 0.7 ? now + (rnd() < 0.7 ? -1 : 1) * Math.floor(rnd() * 600) * MIN : null,
          attemptTimes: r >= 0.25 ? attemptTimes : [],
          phoneAttempts: r >= 0.25 ? { [a!]: Math.min(3, Math.floor(rnd() * 4)), [b!]: Math.floor(rnd() * 3) } : {},
        });
      }
      for (const id of [5, 6, 40]) db.update(contacts).set({ doNotCall: true }).where(eq(contacts.id, members[id]!.contactId)).run();
      for (const id of [7, 8, 41]) db.update(contactPhones).set({ valid: false }).where(eq(contactPhones.contactId, members[id]!.contactId)).run();
      db.update(contactPhones).set({ valid: false }).where(eq(contactPhones.number, numbers(9)[1]!)).run();
      const dialStrategy = { maxAttemptsPerPhone: 3, maxAttemptsPerContact: 6, maxAttemptsPerDay: 2, retryDelayMs: DEFAULT_RETRY_DELAYS_MS, phoneOrder: 'as_listed' as const, window: t.modules.dialer.windowOf(t.tenantA, strategyId), timeZone: DEFAULT_TIME_ZONE };
      const blocked = t.modules.contacts.blacklistMatcher(t.tenantA, 'outbound', now);
      /** The whole list, scanned. */
      const scanned = (dialling: Set<number>, max: number) => {
        const rows = lists.flatMap((id) => repo.members(id, 1000, 0).rows);
        const phones = repo.phonesOf(rows.map((r) => r.member.contactId));
        const list = rows.map((r) => ({ ...toListContact(r.member, r.doNotCall, phones.get(r.member.contactId) ?? []), inFlight: dialling.has(r.member.id) }));
        const next = nextDialsOf(list, dialStrategy, now, blocked, max);
        return { dials: next.dials.map((d) => ({ memberId: Number(d.contactId), phone: d.phone })), exhausted: next.exhausted && dialling.size === 0 };
      };
      const read = (dialling: Set<number>, max: number) => {
        const next = t.modules.dialer.nextDials(t.tenantA, campaign.id, dialling, max, now);
        return { dials: next.dials.map((d) => ({ memberId: d.memberId, phone: d.phone })), exhausted: next.exhausted };
      };
      const dialling = new Set(members.filter(() => rnd() < 0.15).map((m) => m.id));
      for (const max of [1, 3, 10, 40, 200]) {
        for (const set of [new Set<number>(), dialling]) expect(read(set, max), `max ${max}, ${set.size} in flight`).toEqual(scanned(set, max));
      }
      expect(read(new Set(), 200).dials.length).toBeGreaterThan(20);
      // Each tier of each list is in the answer: a callback, a retry and a never tried member of both lists.
      const all = read(new Set(), 200).dials.map((d) => members.find((m) => m.id === d.memberId)!);
      expect(new Set(all.map((m) => m.listId))).toEqual(new Set(lists));
      // Once nothing is left to dial now but a retry later on, it is not exhausted; with nothing at all, it is.
      db.update(dialerListMembers).set({ callbackAt: null, retryAt: now + 60 * MIN }).where(eq(dialerListMembers.finished, false)).run();
      expect(read(new Set(), 10)).toEqual({ dials: [], exhausted: false });
      expect(scanned(new Set(), 10)).toEqual({ dials: [], exhausted: false });
      db.update(dialerListMembers).set({ finished: true }).run();
      expect(read(new Set(), 10)).toEqual({ dials: [], exhausted: true });
    });

    it('records every attempt, answered or not, and counts short calls per day', async () => {
      const { list, attempt } = await setup();
      const now = t.clock.now();
      attempt('no_answer', null, 25_000);
      const m = (await api('GET', `/dialer/lists/${list.id}/members`)).json().items[0];
      expect(m).toMatchObject({ attempts: 1, lastOutcome: 'no_answer', finished: false, retryAt: new Date(now + 25_000 + 120 * 60_000).toISOString() });
      expect(m.phones[0]).toMatchObject({ number: '5511987654321', attempts: 1 });
      for (let i = 0; i < 3; i++) attempt('no_answer', null, 25_000);
      attempt('connected', 5_000, 100_000);
      const days = (await api('GET', '/dialer/short-calls')).json().items;
      expect(days).toEqual([{ date: '2026-01-05', calls: 5, short: 4, share: 0.8, level: 'warning' }]);
      expect(t.count('dialer_attempts')).toBe(5);
    });
  });
});

describe('dialer: days in the site’s zone', () => {
  it('cuts the report, the monitor’s today and the short calls by the days of ATENDE_TIMEZONE', async () => {
    // 2026-01-05 01:00 UTC: still the 4th in São Paulo, already 10:00 on the 5th in Tokyo.
    const at = Date.parse('2026-01-05T01:00:00Z');
    const t = await createTestApp({ clock: new FakeClock(at + 60_000), config: { timezone: 'Asia/Tokyo' } });
    try {
      const admin = await t.loginAs('admin');
      const api = (method: 'GET' | 'POST', url: string, body?: unknown) => t.request(method, `/api/v1${url}`, { cookie: admin.cookie, ...(body === undefined ? {} : { body }) });
      const queueId = (await api('POST', '/queues', { name: 'Cobrança', number: '900' })).json().id;
      const strategyId = (await api('POST', '/dialer/strategies', { name: 'Padrão', maxAttemptsPerPhone: 3, maxAttemptsPerContact: 6, maxAttemptsPerDay: 2 })).json().id;
      await api('POST', '/contacts', { name: 'Maria', phones: [{ number: '11 98765-4321' }] });
      const list = (await api('POST', '/dialer/lists', { name: 'Lista' })).json();
      await api('POST', `/dialer/lists/${list.id}/fill`, { filter: {} });
      const campaign = (await api('POST', '/dialer/campaigns', { name: 'Cobrança', mode: 'predictive', strategyId, queueId, ringTimeoutSeconds: 25, abandonTargetPercent: 2.5, listIds: [list.id] })).json();
      const member = (await api('GET', `/dialer/lists/${list.id}/members`)).json().items[0];
      t.modules.dialer.recordAttempt(t.tenantA, { campaignId: campaign.id, memberId: member.id, phone: '5511987654321', outcome: 'busy', cause: 17, startedAt: at, answeredAt: null, endedAt: at + 1000, agentUserId: null });
      const days = async (from: string, to: string) => (await api('GET', `/dialer/report?from=${from}&to=${to}`)).json().items.map((r: { date: string }) => r.date);
      expect(await days('2026-01-04', '2026-01-05')).toEqual(['2026-01-05']);
      expect(await days('2026-01-04', '2026-01-04')).toEqual([]);
      expect((await api('GET', `/dialer/campaigns/${campaign.id}/monitor`)).json().today).toMatchObject({ attempts: 1 });
      expect((await api('GET', '/dialer/short-calls')).json().items).toEqual([expect.objectContaining({ date: '2026-01-05', calls: 1, short: 1 })]);
    } finally {
      await t.close();
    }
  });
});

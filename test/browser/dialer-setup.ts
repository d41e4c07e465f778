/**
 * A tenant ready for live dialing in the browser tests: an admin, an agent with a softphone
 * that answers (registered in the emulator), a queue with that agent, a trunk and an outbound
 * route applied to the emulated Asterisk, a contact group of `contacts`, and a strategy open
 * around the clock (whatever time the suite runs), one attempt per contact, and a campaign of
 * that queue, strategy and list (`campaign`: its name, mode and any other field).
 */
import { expect } from 'vitest';
import { validCnpj } from '../helpers/app.js';
import { until } from '../helpers/until.js';
import type { Api, Atende } from './harness.js';

export interface DialerTenant {
  manager: Api;
  agent: Api;
  campaignId: number;
}

export async function dialerTenant(
  atende: Atende,
  root: Api,
  o: { company: string; cnpjSeed: number; password: string; agent: { name: string; login: string; extension: string }; queue: { name: string; number: string }; contacts: [string, string][]; campaign: { name: string; mode: string } & Record<string, unknown> },
): Promise<DialerTenant> {
  const tenant = (await root.must<{ id: number }>('POST', '/api/v1/tenants', { legalName: o.company, cnpj: validCnpj(o.cnpjSeed), ddd: '11' })).id;
  const q = `?tenantId=${tenant}`;
  const managerLogin = `gerente.${o.agent.login.split('.')[1] ?? 'dialer'}`;
  await root.must('POST', `/api/v1/users${q}`, { name: 'Gerente', login: managerLogin, level: 'admin', password: o.password, passwordChangeRequired: false });
  const agentId = (
    await root.must<{ id: number }>('POST', `/api/v1/users${q}`, {
      name: o.agent.name,
      login: o.agent.login,
      level: 'agent',
      password: o.password,
      passwordChangeRequired: false,
      extension: o.agent.extension,
      flags: { callCenter: true },
      concurrency: { voice: 1 },
    })
  ).id;
  const manager = await atende.api(managerLogin, o.password);
  const phone = await manager.must<{ secret: string }>('POST', '/api/v1/telephony/extensions', { number: o.agent.extension, displayName: o.agent.name, kind: 'softphone', userId: agentId });
  const queue = await manager.must<{ id: number }>('POST', '/api/v1/queues', { ...o.queue, members: [{ userId: agentId }] });
  const trunk = await manager.must<{ id: number }>('POST', '/api/v1/telephony/trunks', { name: 'operadora', host: 'sip.provider.example.net' });
  await manager.must('POST', '/api/v1/telephony/outbound-routes', { name: 'Saída', rules: [{ pattern: '_X.' }], trunks: [{ trunkId: trunk.id }] });
  expect((await manager.must<{ ok: boolean }>('POST', '/api/v1/telephony/apply', {})).ok).toBe(true);
  await root.must('PUT', `/api/v1/emulator/phones/${o.agent.extension}`, { registered: true, behaviour: 'answer', password: phone.secret });
  for (const [name, number] of o.contacts) await manager.must('POST', '/api/v1/contacts', { name, phones: [{ number }] });
  const list = await manager.must<{ id: number }>('POST', '/api/v1/dialer/lists', { name: 'Clientes' });
  await manager.must('POST', `/api/v1/dialer/lists/${list.id}/fill`, { filter: {} });
  const always = await manager.must<{ id: number }>('POST', '/api/v1/flows/time-conditions', {
    name: 'Sempre',
    periods: [{ start: '00:00', end: '24:00' }],
    openDestination: { kind: 'hangup', cause: 16 },
    closedDestination: { kind: 'hangup', cause: 16 },
  });
  const strategy = await manager.must<{ id: number }>('POST', '/api/v1/dialer/strategies', { name: 'Uma vez', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1, timeConditionId: always.id });
  const agent = await atende.api(o.agent.login, o.password);
  await until('the agent’s phone is registered', async () => (await agent.must<{ registered: boolean }>('GET', '/api/v1/agent')).registered);
  const campaign = await manager.must<{ id: number }>('POST', '/api/v1/dialer/campaigns', {
    strategyId: strategy.id,
    queueId: queue.id,
    ringTimeoutSeconds: 20,
    abandonTargetPercent: 2,
    listIds: [list.id],
    ...o.campaign,
  });
  return { manager, agent, campaignId: campaign.id };
}

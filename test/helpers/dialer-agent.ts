/** The live dialer tests' telephony and agent over a `telephonyWorld`. */
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import { connectAmi } from './ami.js';
import type { TelephonyWorld } from './telephony-world.js';
import { until } from './until.js';

/**
 * The usual live-dialer setup: tenant A in DDD 11, one trunk (`operadora`, no channel limit)
 * behind an outbound route `Saída` for every number, applied, and Ana as in `dialerAgent`
 * answering for the queue `queueName`.
 */
export async function dialerOverOneTrunk(world: TelephonyWorld, queueName: string): Promise<{ routeId: number; agentId: number; queueId: number; ami: AmiClient }> {
  const { api, t } = world;
  await api('PATCH', `tenants/${t.tenantA}`, { ddd: '11' });
  const trunk = await api('POST', 'telephony/trunks', { name: 'operadora', host: '203.0.113.10' });
  const phone = await api('POST', 'telephony/extensions', { number: '1001', displayName: 'Ana' });
  const route = await api('POST', 'telephony/outbound-routes', { name: 'Saída', rules: [{ pattern: '_X.' }], trunks: [{ trunkId: trunk.id }] });
  const applied = await api('POST', 'telephony/apply', {});
  if (!applied.ok) throw new Error(`apply failed: ${JSON.stringify(applied)}`);
  return { routeId: route.id, ...(await dialerAgent(world, { name: queueName, phoneSecret: phone.secret })) };
}

/**
 * Ana (extension 1001), member of a new queue, logged in, with a registered phone that answers
 * after 300 ms — the routing engine following the phone over AMI.
 */
export async function dialerAgent(world: TelephonyWorld, queue: { name: string; phoneSecret: string }): Promise<{ agentId: number; queueId: number; ami: AmiClient }> {
  const { t, emulator, api } = world;
  const agent = await t.app.org.createUser({ actor: SYSTEM_ACTOR }, t.tenantA, {
    name: 'Ana',
    login: 'agente.ana',
    password: 'senha-secreta-1',
    level: 'agent',
    extension: '1001',
    flags: { callCenter: true },
    concurrency: { voice: 1 },
    passwordChangeRequired: false,
  });
  const queueId = (await api('POST', 'queues', { name: queue.name, number: '700', members: [{ userId: agent.id }] })).id;
  const routing = t.modules.routing.service;
  const ami = await connectAmi(emulator);
  routing.followPhones(ami);
  routing.login(t.tenantA, agent.id);
  // The phone registers once Asterisk knows the extension (after the apply); AMI tells the routing engine.
  emulator.setPhone('1001', { registered: true, password: queue.phoneSecret, behaviour: 'answer', answerAfterMs: 300, reachable: true });
  await until('the agent’s phone is registered', () => routing.agent(t.tenantA, agent.id).registered);
  return { agentId: agent.id, queueId, ami };
}

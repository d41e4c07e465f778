/**
 * The live dialer tests' agent: Ana (extension 1001), member of a new queue, logged in, with a
 * registered phone that answers after 300 ms — the routing engine following the phone over AMI.
 */
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import { connectAmi } from './ami.js';
import type { TelephonyWorld } from './telephony-world.js';
import { until } from './until.js';

export async function dialerAgent(
  world: TelephonyWorld,
  api: (method: 'POST', path: string, body: unknown) => Promise<{ id: number }>,
  queue: { name: string; phoneSecret: string },
): Promise<{ agentId: number; queueId: number; ami: AmiClient }> {
  const { t, emulator } = world;
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

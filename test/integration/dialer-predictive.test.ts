/**
 * Predictive pacing over the emulator: a small predictive campaign whose list mostly does not
 * answer (lines that ring out) learns the low answer rate, and that a call ringing long will
 * not be answered, and keeps more than one line in flight for its one free agent; the people
 * who then answer with the agent busy are dropped after the 2 s grace and counted as
 * abandoned, in the dialer's ledger and in the attempts record alike.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialerAttempts } from '../../src/db/schema/index.js';
import { callsInFlight } from '../../src/dialer/index.js';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { dialerOverOneTrunk } from '../helpers/dialer-agent.js';
import type { TestApp } from '../helpers/app.js';
import { telephonyWorld, type TelephonyWorld } from '../helpers/telephony-world.js';
import { until } from '../helpers/until.js';

let world: TelephonyWorld;
let emulator: Emulator;
let t: TestApp;
let ami: AmiClient;
let campaignId: number;

const UNANSWERED = 12;
const PEOPLE = 6;

const api: TelephonyWorld['api'] = (method, path, body) => world.api(method, path, body);

beforeAll(async () => {
  // No warm-up: the pacing predicts from the first outcomes (its cautious priors still hold it back).
  world = await telephonyWorld('atende-dialer-predictive-', { ringSeconds: 3, outboundRingSeconds: 20, predictive: { warmupConnects: 0 } });
  ({ emulator, t } = world);
  t.clock.advance(60 * 60_000);
  const { routeId, queueId, ...agent } = await dialerOverOneTrunk(world, 'Vendas');
  ami = agent.ami;

  // The PSTN's digit 6 rings until the ring timeout, 0 is a person who answers after two seconds.
  for (let i = 0; i < UNANSWERED; i++) await api('POST', 'contacts', { name: `Sem resposta ${i}`, phones: [{ number: `119876${String(5000 + i * 10 + 6).padStart(5, '0')}` }] });
  for (let i = 0; i < PEOPLE; i++) await api('POST', 'contacts', { name: `Pessoa ${i}`, phones: [{ number: `119876${String(7000 + i * 10).padStart(5, '0')}` }] });
  const list = await api('POST', 'dialer/lists', { name: 'Base fria' });
  await api('POST', `dialer/lists/${list.id}/fill`, { filter: {} });
  const strategy = await api('POST', 'dialer/strategies', { name: 'Uma vez', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1 });
  campaignId = (
    await api('POST', 'dialer/campaigns', {
      name: 'Preditiva',
      mode: 'predictive',
      strategyId: strategy.id,
      queueId,
      outboundRouteId: routeId,
      ringTimeoutSeconds: 20,
      abandonTargetPercent: 5,
      abandonMaxPercent: 10,
      listIds: [list.id],
    })
  ).id;
});

afterAll(async () => {
  await ami?.stop();
  await world?.close();
});

it('dials more than one line per free agent when few answer, and counts the people it then drops as abandoned', async () => {
  await api('POST', `dialer/campaigns/${campaignId}/start`);
  const attempts = () => t.deps.database.db.select().from(dialerAttempts).all();
  let overDialled = 0;
  let core = world.dialer.view(campaignId);
  // One dialer tick at a time; the emulator answers and fails in real time between them.
  await until('every contact dialled once and the campaign finished', async () => {
    core = world.dialer.view(campaignId) ?? core;
    if (core && core.agentCount.idle === 1 && core.agentCount.talking === 0) overDialled = Math.max(overDialled, callsInFlight(core));
    // A short talk: the customer with the agent hangs up.
    const agentLeg = emulator.channels().find((c) => c.name.startsWith('PJSIP/1001-') && c.state === 'Up');
    const talking = agentLeg && emulator.bridges().find((b) => b.channels.includes(agentLeg.id))?.channels.find((id) => id !== agentLeg.id);
    if (talking) await emulator.hangup(talking).catch(() => undefined);
    t.clock.advance(500);
    return attempts().length === UNANSWERED + PEOPLE && (await api('GET', `dialer/campaigns/${campaignId}`)).state === 'finished';
  }, 120_000);
  expect(overDialled).toBeGreaterThan(1);

  const byOutcome = (o: string) => attempts().filter((a) => a.outcome === o);
  expect(byOutcome('no_answer')).toHaveLength(UNANSWERED);
  const ledger = core?.ledger.lifetime;
  // The people reached: with the agent or dropped after the grace, each attempt as the ledger counted it.
  expect(byOutcome('connected').length + byOutcome('dropped').length).toBe(PEOPLE);
  expect(ledger).toMatchObject({ connected: byOutcome('connected').length, dropped: byOutcome('dropped').length });
  for (const dropped of byOutcome('dropped')) expect(dropped.answeredAt).not.toBeNull();
}, 150_000);

/** The production AMI adapter, logged in to an emulator and up. */
import { silentLogger } from '../../src/kernel/logger.js';
import { seededRandom } from '../../src/kernel/random.js';
import { createAmiClient, type AmiClient, type AmiEvent } from '../../src/telephony/ami/index.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import { nextEvent } from './events.js';

export async function connectAmi(emulator: Emulator): Promise<AmiClient> {
  const client = createAmiClient({
    port: emulator.amiPort,
    user: emulator.amiUser,
    secret: emulator.amiSecret,
    logger: silentLogger,
    random: seededRandom(3),
    backoff: { initialMs: 20, maxMs: 200 },
  });
  const up = nextEvent<AmiEvent>((l) => client.onEvent(l), (e) => e.type === 'ConnectionChanged' && e.state === 'up');
  client.start();
  await up;
  return client;
}

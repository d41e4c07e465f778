/**
 * The emulator and the production ARI adapter connected over loopback, with an event log,
 * and a SQLite database with one tenant: the start of every "real path" test.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { tenants } from '../../src/db/schema/index.js';
import { silentLogger } from '../../src/kernel/index.js';
import type { TelephonyEvent } from '../../src/telephony/call-control.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { EventLog } from './events.js';

export interface EmulatorWithAri {
  emulator: Emulator;
  ari: AriCallControlHandle;
  events: EventLog<TelephonyEvent>;
  database: Database_;
  /** Stops the calls engine (if any), the adapter and the emulator, closes the database, removes `dir`. */
  close(calls?: { stop(graceMs: number): Promise<void> }): Promise<void>;
}

export async function emulatorWithAri(dir: string, speed: number): Promise<EmulatorWithAri> {
  const emulator = await startEmulator({ recordingsDir: join(dir, 'recordings'), speed });
  const ari = createAriCallControl({ url: emulator.ariUrl, user: emulator.ariUser, password: emulator.ariPassword, app: 'atende', logger: silentLogger });
  const events = new EventLog<TelephonyEvent>((l) => ari.callControl.onEvent(l));
  ari.start();
  await events.waitFor((e) => e.type === 'ConnectionChanged' && e.link === 'ari' && e.state === 'up', 10_000, 'ARI up');
  const database = openDatabase(join(dir, 'atende.db'));
  database.db.insert(tenants).values({ legalName: 'Empresa', cnpj: '11222333000181' }).run();
  return {
    emulator,
    ari,
    events,
    database,
    async close(calls) {
      await calls?.stop(0);
      await ari.stop();
      await emulator.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstActiveTenantResolver } from '../../src/calls/index.js';
import { createCallsRepo } from '../../src/calls/calls.repo.js';
import { openDatabase } from '../../src/db/client.js';
import { tenants } from '../../src/db/schema/index.js';
import { SYSTEM_TENANT_CNPJ } from '../../src/org/index.js';

describe('which tenant owns a call before inbound routes exist', () => {
  const setup = () => {
    const database = openDatabase(join(mkdtempSync(join(tmpdir(), 'atende-resolver-')), 'atende.db'));
    const resolver = firstActiveTenantResolver(createCallsRepo(database.db));
    const add = (legalName: string, cnpj: string, active = true) =>
      database.db.insert(tenants).values({ legalName, cnpj, active }).returning({ id: tenants.id }).get().id;
    return { database, resolver, add };
  };

  it('is the system tenant when it is the only one', () => {
    const { database, resolver, add } = setup();
    const system = add('Atende (sistema)', SYSTEM_TENANT_CNPJ);
    expect(resolver.forInbound('1133334444', 'span:1')).toBe(system);
    database.close();
  });

  it('is the first active customer tenant once there is one (the demo tenant sees the calls)', () => {
    const { database, resolver, add } = setup();
    add('Atende (sistema)', SYSTEM_TENANT_CNPJ);
    add('Inativa Ltda', '11222333000181', false);
    const demo = add('Demo Ltda', '11444777000161');
    add('Outra Ltda', '45997418000153');
    expect(resolver.forInbound('1133334444', 'span:1')).toBe(demo);
    database.close();
  });

  it('is nobody when no tenant is active', () => {
    const { database, resolver, add } = setup();
    add('Inativa Ltda', '11222333000181', false);
    expect(resolver.forInbound('1133334444', 'span:1')).toBeUndefined();
    database.close();
  });
});

import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../src/audit/index.js';

describe('withoutSecrets', () => {
  it('drops secret-looking keys at any depth and keeps the rest', () => {
    const input = {
      login: 'ana.silva',
      password: 'x',
      passwordHash: '$argon2id$...',
      nested: { secret: 's', newPassword: 'n', name: 'Ana', list: [{ token: 't', ok: 1 }] },
      totpSecret: 'ABC',
      recoveryCodes: ['a'],
      when: new Date(0),
      passwordChangeRequired: true,
    };
    expect(withoutSecrets(input)).toEqual({
      login: 'ana.silva',
      nested: { name: 'Ana', list: [{ ok: 1 }] },
      when: '1970-01-01T00:00:00.000Z',
      passwordChangeRequired: true,
    });
  });
});

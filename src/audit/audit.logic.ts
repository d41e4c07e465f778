/**
 * Keys whose values never reach the audit log: anything named like a password, hash, secret or
 * token (`newPassword`, `passwordHash`, `totpSecret`…). Flags about them
 * (`passwordChangeRequired`) stay: they are facts an auditor needs.
 */
const SECRET_KEY = /(password|hash|secret|token|recoverycodes?)$/i;

/** A JSON-safe copy of `value` with every secret-looking key removed, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (!SECRET_KEY.test(k) && v !== undefined) out[k] = withoutSecrets(v);
    }
    return out;
  }
  return value;
}

export function snapshot(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  const clean = withoutSecrets(value);
  return clean && typeof clean === 'object' && !Array.isArray(clean)
    ? (clean as Record<string, unknown>)
    : { value: clean };
}

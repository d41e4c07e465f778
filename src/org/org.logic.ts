import type { AccessLevel } from '../http/principal.js';

/**
 * CNPJ: 12 base characters + 2 check digits (mod 11). Accepts the mask `12.345.678/0001-95`
 * or bare characters. The base may be alphanumeric (the format the Receita Federal issues
 * from July 2026): each character counts as its char code minus 48, so digits keep their value.
 * Returns the normalised 14 characters, or null if the number is not valid.
 */
export function normaliseCnpj(input: string): string | null {
  const trimmed = input.trim().toUpperCase();
  if (!/^[0-9A-Z./\- ]+$/.test(trimmed)) return null;
  const cnpj = trimmed.replace(/[./\- ]/g, '');
  if (!/^[0-9A-Z]{12}\d{2}$/.test(cnpj)) return null;
  if (/^(\d)\1{13}$/.test(cnpj)) return null;
  const values = [...cnpj].map((c) => c.charCodeAt(0) - 48);
  const check = (n: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i]! * (((n - 1 - i) % 8) + 2);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  return check(12) === values[12] && check(13) === values[13] ? cnpj : null;
}

/**
 * CPF: 9 base digits + 2 check digits (mod 11). Accepts the mask `123.456.789-09` or bare
 * digits; returns the 11 digits, or null if the number is not valid (repeated digits such as
 * 111.111.111-11 pass the arithmetic but are not issued, so they are refused too).
 */
export function normaliseCpf(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[0-9.\- ]+$/.test(trimmed)) return null;
  const cpf = trimmed.replace(/[.\- ]/g, '');
  if (!/^\d{11}$/.test(cpf) || /^(\d)\1{10}$/.test(cpf)) return null;
  const d = [...cpf].map(Number);
  const check = (n: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[i]! * (n + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === d[9] && check(10) === d[10] ? cpf : null;
}

/** `12.345.678/0001-95` from 14 normalised characters. */
export const formatCnpj = (c: string): string =>
  c.length === 14 ? `${c.slice(0, 2)}.${c.slice(2, 5)}.${c.slice(5, 8)}/${c.slice(8, 12)}-${c.slice(12)}` : c;

/** Brazilian area codes (DDD) in service. */
export const BRAZILIAN_DDDS: ReadonlySet<string> = new Set(
  [
    '11 12 13 14 15 16 17 18 19 21 22 24 27 28 31 32 33 34 35 37 38',
    '41 42 43 44 45 46 47 48 49 51 53 54 55 61 62 63 64 65 66 67 68 69',
    '71 73 74 75 77 79 81 82 83 84 85 86 87 88 89 91 92 93 94 95 96 97 98 99',
  ]
    .join(' ')
    .split(' '),
);

/** DDD must be a Brazilian area code when the country (DDI) is Brazil; two or three digits otherwise. */
export function validDdd(ddi: string, ddd: string): boolean {
  return ddi === '55' ? BRAZILIAN_DDDS.has(ddd) : /^\d{1,4}$/.test(ddd);
}

const RANK: Record<AccessLevel, number> = { agent: 1, supervisor: 2, admin: 3 };

/**
 * May someone of level `actor` act on (create, change, reset) a user of level `target`?
 * Nobody hands out or touches a level above their own; super users may do anything.
 */
export function canManageLevel(actor: { level: AccessLevel; superUser: boolean }, target: AccessLevel): boolean {
  return actor.superUser || RANK[actor.level] >= RANK[target];
}

/** A temporary password that is easy to read out over the phone (no 0/O, 1/l). */
export function readablePassword(randomBytes: Uint8Array): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export const LOGIN_PATTERN = '^[A-Za-z0-9._@-]+$';

export const USER_SORT_KEYS = ['name', 'login', 'level', 'createdAt'] as const;
export type UserSortKey = (typeof USER_SORT_KEYS)[number];

/** Matrícula (employee number): letters, digits and the separators HR systems use. */
export const EMPLOYEE_NUMBER_PATTERN = '^[A-Za-z0-9./-]{1,30}$';

/** A login identifier as a user may type it. */
export interface LoginCandidates {
  /** The user whose login is exactly the identifier (logins are unique across tenants). */
  byLogin: { id: number } | undefined;
  /** Users whose e-mail, matrícula or CPF is the identifier, in any tenant. */
  byOther: readonly { id: number }[];
}

/**
 * Which user an identifier names at login. The login name wins, because it is unique across
 * tenants; otherwise e-mail, matrícula and CPF must name exactly one user. When they name
 * several (the same e-mail in two tenants, say), the identifier is ambiguous and names nobody:
 * the login is refused like a wrong password, so that no one can ever be logged in as someone
 * else who shares an e-mail, matrícula or CPF, and the answer does not reveal that they exist.
 */
export function pickLoginUser(c: LoginCandidates): number | undefined {
  if (c.byLogin) return c.byLogin.id;
  const ids = new Set(c.byOther.map((u) => u.id));
  return ids.size === 1 ? [...ids][0] : undefined;
}

import { formatCnpj, normaliseCnpj, normaliseCpf } from '../org/index.js';

export type DocumentCheck = { ok: true; document: string; kind: 'cpf' | 'cnpj' } | { ok: false; message: string };

/** A contact's document: a CPF (11 digits) or a CNPJ (14 characters), with or without its mask. */
export function checkDocument(input: string): DocumentCheck {
  const bare = input.trim().replace(/[.\-/ ]/g, '');
  if (bare.length === 11) {
    const cpf = normaliseCpf(input);
    return cpf ? { ok: true, document: cpf, kind: 'cpf' } : { ok: false, message: 'not a valid CPF (check digits)' };
  }
  if (bare.length === 14) {
    const cnpj = normaliseCnpj(input);
    return cnpj ? { ok: true, document: cnpj, kind: 'cnpj' } : { ok: false, message: 'not a valid CNPJ (check digits)' };
  }
  return { ok: false, message: `a CPF has 11 digits and a CNPJ 14 characters (got ${bare.length})` };
}

/** `123.456.789-09` or `12.345.678/0001-95`. */
export function formatDocument(document: string): string {
  if (document.length === 11) return `${document.slice(0, 3)}.${document.slice(3, 6)}.${document.slice(6, 9)}-${document.slice(9)}`;
  return formatCnpj(document);
}

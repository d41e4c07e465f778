import type { Body, Json } from '@/api/client';

export type Contact = Json<'/api/v1/contacts/{id}', 'get'>;
export type ContactBody = Body<'/api/v1/contacts', 'post'>;
type Phone = NonNullable<ContactBody['phones']>[number];

/** What the contact dialog edits: two phones and one e-mail, as most call centres keep them. */
export interface ContactModel {
  name: string;
  phones: string[];
  email: string;
  document: string;
  company: string;
  city: string;
  state: string;
  custom: Record<string, string>;
}

export const emptyContact = (): ContactModel => ({ name: '', phones: ['', ''], email: '', document: '', company: '', city: '', state: '', custom: {} });

export function contactModel(c: Contact): ContactModel {
  return {
    name: c.name,
    phones: [c.phones[0]?.display ?? '', c.phones[1]?.display ?? ''],
    email: c.emails[0] ?? '',
    document: c.document ?? '',
    company: c.company ?? '',
    city: c.city ?? '',
    state: c.state ?? '',
    custom: Object.fromEntries(Object.entries(c.custom).map(([k, v]) => [k, String(v)])),
  };
}

const digits = (s: string) => s.replace(/\D/g, '');

/**
 * The request body. A phone kept from `before` (the same digits) keeps its type and its
 * invalid / do-not-call marks; phones and e-mails beyond the two the dialog shows are kept.
 */
export function contactBody(m: ContactModel, before?: Contact): ContactBody {
  const typed = m.phones.map((p) => p.trim());
  const phones: Phone[] = typed.map((number) => {
    const kept = before?.phones.find((p) => digits(p.display) === digits(number) || p.number === digits(number));
    return kept ? { number: kept.number, label: kept.label as Phone['label'], valid: kept.valid, doNotCall: kept.doNotCall } : { number };
  });
  const rest = (before?.phones.slice(2) ?? []).map((p) => ({ number: p.number, label: p.label as Phone['label'], valid: p.valid, doNotCall: p.doNotCall }));
  const custom = Object.fromEntries(Object.entries(m.custom).map(([k, v]) => [k, v.trim() === '' ? null : v.trim()]));
  return {
    name: m.name.trim(),
    phones: [...phones, ...rest].filter((p) => p.number !== ''),
    emails: [m.email.trim(), ...(before?.emails.slice(1) ?? [])].filter((e) => e !== ''),
    document: m.document.trim() || null,
    company: m.company.trim() || null,
    city: m.city.trim() || null,
    state: m.state.trim().toUpperCase() || null,
    custom,
  };
}

import type { Body, Json } from '@/api/client';

export type Contact = Json<'/api/v1/contacts/{id}', 'get'>;
export type ContactBody = Body<'/api/v1/contacts', 'post'>;
type Phone = NonNullable<ContactBody['phones']>[number];

/** The address fields of a contact, as the API names them (city and UF included). */
export const ADDRESS_KEYS = ['street', 'streetNumber', 'complement', 'district', 'city', 'state', 'postalCode'] as const;
type AddressKey = (typeof ADDRESS_KEYS)[number];

/** What the contact dialog edits: two phones and one e-mail, as most call centres keep them. */
export interface ContactModel extends Record<AddressKey, string> {
  name: string;
  phones: string[];
  email: string;
  document: string;
  company: string;
  custom: Record<string, string>;
  /** The agent the contact belongs to (carteirização), and until when. */
  ownerUserId: number | null;
  ownerUntil: Date | null;
  tagIds: number[];
  doNotCall: boolean;
  active: boolean;
}

const noAddress = (): Record<AddressKey, string> => ({ street: '', streetNumber: '', complement: '', district: '', city: '', state: '', postalCode: '' });

export const emptyContact = (): ContactModel => ({
  name: '',
  phones: ['', ''],
  email: '',
  document: '',
  company: '',
  ...noAddress(),
  custom: {},
  ownerUserId: null,
  ownerUntil: null,
  tagIds: [],
  doNotCall: false,
  active: true,
});

export function contactModel(c: Contact): ContactModel {
  return {
    name: c.name,
    phones: [c.phones[0]?.display ?? '', c.phones[1]?.display ?? ''],
    email: c.emails[0] ?? '',
    document: c.document ?? '',
    company: c.company ?? '',
    ...(Object.fromEntries(ADDRESS_KEYS.map((k) => [k, c[k] ?? ''])) as Record<AddressKey, string>),
    custom: Object.fromEntries(Object.entries(c.custom).map(([k, v]) => [k, String(v)])),
    ownerUserId: c.ownerUserId,
    ownerUntil: c.ownerUntil === null ? null : new Date(c.ownerUntil),
    tagIds: [...c.tagIds],
    doNotCall: c.doNotCall,
    active: c.active,
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
  const address = Object.fromEntries(ADDRESS_KEYS.map((k) => [k, m[k].trim() || null])) as Record<AddressKey, string | null>;
  return {
    name: m.name.trim(),
    phones: [...phones, ...rest].filter((p) => p.number !== ''),
    emails: [m.email.trim(), ...(before?.emails.slice(1) ?? [])].filter((e) => e !== ''),
    document: m.document.trim() || null,
    company: m.company.trim() || null,
    ...address,
    state: address.state?.toUpperCase() ?? null,
    custom,
    ownerUserId: m.ownerUserId,
    ownerUntil: m.ownerUserId === null || m.ownerUntil === null ? null : m.ownerUntil.toISOString(),
    tagIds: m.tagIds,
    doNotCall: m.doNotCall,
    active: m.active,
  };
}

import type { Body, Json } from '@/api/client';

export type Contact = Json<'/api/v1/contacts/{id}', 'get'>;
export type ContactBody = Body<'/api/v1/contacts', 'post'>;
type Phone = NonNullable<ContactBody['phones']>[number];
export type PhoneLabel = NonNullable<Phone['label']>;
/** The types a phone may be given (the server's PHONE_LABELS). */
export const PHONE_LABELS: readonly PhoneLabel[] = ['mobile', 'home', 'work', 'other'];

/** One phone as the dialog edits it: the number as typed, its type and its marks. */
export interface PhoneModel {
  number: string;
  label: PhoneLabel | null;
  valid: boolean;
  doNotCall: boolean;
}
const blankPhone = (): PhoneModel => ({ number: '', label: null, valid: true, doNotCall: false });
/** A phone to fill in, with only its number (the caller's, on the desk). */
export const phoneModel = (number: string): PhoneModel => ({ ...blankPhone(), number });

/** The address fields of a contact, as the API names them (city and UF included). */
export const ADDRESS_KEYS = ['street', 'streetNumber', 'complement', 'district', 'city', 'state', 'postalCode'] as const;
type AddressKey = (typeof ADDRESS_KEYS)[number];

/** What the contact dialog edits: two phones and one e-mail, as most call centres keep them. */
export interface ContactModel extends Record<AddressKey, string> {
  /** Null: the server's choice (the default book; on the desk, the one the service names). */
  bookId: number | null;
  name: string;
  phones: PhoneModel[];
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
  bookId: null,
  name: '',
  phones: [blankPhone(), blankPhone()],
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
    bookId: c.bookId,
    name: c.name,
    phones: [0, 1].map((i) => {
      const p = c.phones[i];
      return p ? { number: p.display, label: p.label as PhoneLabel | null, valid: p.valid, doNotCall: p.doNotCall } : blankPhone();
    }),
    email: c.emails[0] ?? '',
    document: c.document ?? '',
    company: c.company ?? '',
    ...(Object.fromEntries(ADDRESS_KEYS.map((k) => [k, c[k] ?? ''])) as Record<AddressKey, string>),
    custom: customModel(c.custom),
    ownerUserId: c.ownerUserId,
    ownerUntil: c.ownerUntil === null ? null : new Date(c.ownerUntil),
    tagIds: [...c.tagIds],
    doNotCall: c.doNotCall,
    active: c.active,
  };
}

/** Custom-field values (a contact's, a ticket's, an interaction's form) as the inputs edit them: text. */
export const customModel = (values: Record<string, string | number>): Record<string, string> => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
/** Custom-field values as the API takes them: trimmed, a blank one cleared (null). */
export const customBody = (values: Record<string, string>): Record<string, string | null> => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === '' ? null : v.trim()]));


/** A phone number's digits alone, to compare two ways of writing it ("(11) 98765-4321", "11987654321"). */
export const digits = (s: string): string => s.replace(/\D/g, '');

/**
 * The request body: each phone with the type and do-not-call mark it was given. Its validity
 * goes only with a number the contact had (a number typed in its place is checked afresh);
 * phones and e-mails beyond the two the dialog shows are kept.
 */
export function contactBody(m: ContactModel, before?: Contact): ContactBody {
  const phones: Phone[] = m.phones.map((p) => {
    const number = p.number.trim();
    const kept = before?.phones.find((b) => digits(b.display) === digits(number) || b.number === digits(number));
    return { number: kept?.number ?? number, label: p.label, ...(kept ? { valid: p.valid } : {}), doNotCall: p.doNotCall };
  });
  const rest = (before?.phones.slice(2) ?? []).map((p) => ({ number: p.number, label: p.label as Phone['label'], valid: p.valid, doNotCall: p.doNotCall }));
  const address = Object.fromEntries(ADDRESS_KEYS.map((k) => [k, m[k].trim() || null])) as Record<AddressKey, string | null>;
  return {
    ...(m.bookId === null ? {} : { bookId: m.bookId }),
    name: m.name.trim(),
    phones: [...phones, ...rest].filter((p) => p.number !== ''),
    emails: [m.email.trim(), ...(before?.emails.slice(1) ?? [])].filter((e) => e !== ''),
    document: m.document.trim() || null,
    company: m.company.trim() || null,
    ...address,
    state: address.state?.toUpperCase() ?? null,
    custom: customBody(m.custom),
    ownerUserId: m.ownerUserId,
    ownerUntil: m.ownerUserId === null || m.ownerUntil === null ? null : m.ownerUntil.toISOString(),
    tagIds: m.tagIds,
    doNotCall: m.doNotCall,
    active: m.active,
  };
}

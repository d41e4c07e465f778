import type { Body, Json } from '@/api/client';
import { KINDS } from './options';
import { numberOrNull, textOrNull, type FieldSpec, type Model } from './resource-page';

export type Actions = NonNullable<Body<'/api/v1/tabulations/statuses', 'post'>['actions']>;
export type Kind = (typeof KINDS)[number];
type Translate = (key: string) => string;

/** The actions a status or a tag runs when the agent tabulates with it (PRODUCT.md §5). */
export const actionFields = (t: Translate): FieldSpec[] => [
  { key: 'actions.markContactDoNotCall', label: 'contacts.actions.markContactDoNotCall', kind: 'bool' },
  { key: 'actions.markPhoneInvalid', label: 'contacts.actions.markPhoneInvalid', kind: 'bool' },
  {
    key: 'actions.owner',
    label: 'contacts.actions.owner',
    kind: 'select',
    options: () => (['set', 'clear'] as const).map((value) => ({ value, label: t(`contacts.actions.owners.${value}`) })),
  },
  { key: 'actions.ownerDays', label: 'contacts.actions.ownerDays', kind: 'number', when: (m) => m['actions.owner'] === 'set' },
  { key: 'actions.redialAfterMinutes', label: 'contacts.actions.redialAfterMinutes', kind: 'number' },
  { key: 'actions.transferServiceId', label: 'contacts.actions.transferServiceId', kind: 'number' },
  { key: 'actions.closingMessage', label: 'contacts.actions.closingMessage', kind: 'textarea', maxlength: 2000, help: 'contacts.shortcuts.textHelp' },
];

export function actionsModel(a: Partial<Actions> | undefined): Model {
  return {
    'actions.markContactDoNotCall': a?.markContactDoNotCall ?? false,
    'actions.markPhoneInvalid': a?.markPhoneInvalid ?? false,
    'actions.owner': a?.owner ?? null,
    'actions.ownerDays': a?.ownerDays ?? null,
    'actions.redialAfterMinutes': a?.redialAfterMinutes ?? null,
    'actions.transferServiceId': a?.transferServiceId ?? null,
    'actions.closingMessage': a?.closingMessage ?? '',
  };
}

export function actionsBody(m: Model): Actions {
  const owner = m['actions.owner'];
  return {
    markContactDoNotCall: m['actions.markContactDoNotCall'] === true,
    markPhoneInvalid: m['actions.markPhoneInvalid'] === true,
    owner: owner === 'set' || owner === 'clear' ? owner : null,
    ownerDays: owner === 'set' ? numberOrNull(m['actions.ownerDays']) : null,
    redialAfterMinutes: numberOrNull(m['actions.redialAfterMinutes']),
    transferServiceId: numberOrNull(m['actions.transferServiceId']),
    closingMessage: textOrNull(m['actions.closingMessage']),
  };
}

/** "Não ligar, Telefone inválido" — what a status's or tag's actions do, in a table cell. */
export function actionsSummary(a: Partial<Actions> | undefined, t: Translate): string {
  if (!a) return '';
  const parts: string[] = [];
  if (a.markContactDoNotCall) parts.push(t('contacts.actions.markContactDoNotCall'));
  if (a.markPhoneInvalid) parts.push(t('contacts.actions.markPhoneInvalid'));
  if (a.owner) parts.push(t(`contacts.actions.owners.${a.owner}`));
  if (a.redialAfterMinutes) parts.push(t('contacts.actions.redialAfterMinutes'));
  if (a.transferServiceId) parts.push(t('contacts.actions.transferServiceId'));
  if (a.closingMessage) parts.push(t('contacts.actions.closingMessage'));
  return parts.join(', ');
}

export const kindOptions = (t: Translate) => () => KINDS.map((value) => ({ value, label: t(`contacts.kinds.${value}`) }));
export const kindsText = (kinds: readonly string[], t: Translate) => kinds.map((k) => t(`contacts.kinds.${k}`)).join(', ');

export type Status = Json<'/api/v1/tabulations/statuses/{id}', 'get'>;

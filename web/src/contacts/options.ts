import { api, ok, type Json } from '@/api/client';
import { useReadableOptions } from '@/kit/useOptions';

export type CustomField = Json<'/api/v1/crm/fields/{id}', 'get'>;
export type Book = Json<'/api/v1/crm/books/{id}', 'get'>;
export type Tag = Json<'/api/v1/tabulations/tags/{id}', 'get'>;

const ALL = { limit: 500 };

/** The CRM's choices for selects, loaded once per screen (empty without the right). */
export const useFieldOptions = () => useReadableOptions('crm', () => ok(api.GET('/api/v1/crm/fields', { params: { query: ALL } })));
export const useBookOptions = () => useReadableOptions('crm', () => ok(api.GET('/api/v1/crm/books', { params: { query: ALL } })));
export const useTagOptions = () => useReadableOptions('tabulations', () => ok(api.GET('/api/v1/tabulations/tags', { params: { query: ALL } })));
export const useGroupOptions = () => useReadableOptions('tabulations', () => ok(api.GET('/api/v1/tabulations/groups', { params: { query: ALL } })));
/** The tenant's services (queues), for what is offered per service. */
export const useQueueOptions = () => useReadableOptions('queues', () => ok(api.GET('/api/v1/queues', { params: { query: ALL } })));
/** The queues as choices: `700 Vendas`. */
export const queueChoices = (items: readonly { id: number; number: string; name: string }[]) => items.map((q) => ({ value: q.id, label: `${q.number} ${q.name}` }));
export const useFormOptions = () => useReadableOptions('crm', () => ok(api.GET('/api/v1/crm/forms', { params: { query: ALL } })));

/** The kinds of interaction a status or a tag applies to (the server's INTERACTION_KINDS). */
export const KINDS = ['contact', 'chat', 'dialer', 'manual', 'preview', 'inbound', 'email'] as const;

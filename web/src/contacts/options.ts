import { api, ok, type Json } from '@/api/client';
import { can } from '@/auth/session';
import { useOptions } from '@/kit/useOptions';

export type CustomField = Json<'/api/v1/crm/fields/{id}', 'get'>;
export type Book = Json<'/api/v1/crm/books/{id}', 'get'>;
export type Tag = Json<'/api/v1/tabulations/tags/{id}', 'get'>;

const ALL = { limit: 500 };
const none = Promise.resolve({ items: [] as never[] });
const readable = (module: string) => can({ module, action: 'read' });

/** The CRM's choices for selects, loaded once per screen (empty without the right). */
export const useFieldOptions = () => useOptions(() => (readable('crm') ? ok(api.GET('/api/v1/crm/fields', { params: { query: ALL } })) : none));
export const useBookOptions = () => useOptions(() => (readable('crm') ? ok(api.GET('/api/v1/crm/books', { params: { query: ALL } })) : none));
export const useTagOptions = () => useOptions(() => (readable('tabulations') ? ok(api.GET('/api/v1/tabulations/tags', { params: { query: ALL } })) : none));
export const useGroupOptions = () => useOptions(() => (readable('tabulations') ? ok(api.GET('/api/v1/tabulations/groups', { params: { query: ALL } })) : none));
export const useFormOptions = () => useOptions(() => (readable('crm') ? ok(api.GET('/api/v1/crm/forms', { params: { query: ALL } })) : none));

/** The kinds of interaction a status or a tag applies to (the server's INTERACTION_KINDS). */
export const KINDS = ['contact', 'chat', 'dialer', 'manual', 'preview', 'inbound', 'email'] as const;

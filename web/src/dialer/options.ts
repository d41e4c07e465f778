import { api, ok, type Json } from '@/api/client';
import { can } from '@/auth/session';
import { useOptions } from '@/kit/useOptions';

export type DialerList = Json<'/api/v1/dialer/lists/{id}', 'get'>;
export type Strategy = Json<'/api/v1/dialer/strategies/{id}', 'get'>;
export type Campaign = Json<'/api/v1/dialer/campaigns/{id}', 'get'>;

const ALL = { limit: 500 };
// Empty without the right to read the dialer (the import screen offers groups only to those who may fill them).
export const useListOptions = () => useOptions(() => (can({ module: 'dialer', action: 'read' }) ? ok(api.GET('/api/v1/dialer/lists', { params: { query: ALL } })) : Promise.resolve({ items: [] as DialerList[] })));
export const useStrategyOptions = () => useOptions(() => ok(api.GET('/api/v1/dialer/strategies', { params: { query: ALL } })));

import { api, ok, type Json } from '@/api/client';
import { useOptions } from '@/kit/useOptions';

export type DialerList = Json<'/api/v1/dialer/lists/{id}', 'get'>;
export type Strategy = Json<'/api/v1/dialer/strategies/{id}', 'get'>;
export type Campaign = Json<'/api/v1/dialer/campaigns/{id}', 'get'>;

const ALL = { limit: 500 };
export const useListOptions = () => useOptions(() => ok(api.GET('/api/v1/dialer/lists', { params: { query: ALL } })));
export const useStrategyOptions = () => useOptions(() => ok(api.GET('/api/v1/dialer/strategies', { params: { query: ALL } })));

import { api, ok, type Json } from '@/api/client';
import { useReadableOptions } from '@/kit/useOptions';

export type DialerList = Json<'/api/v1/dialer/lists/{id}', 'get'>;
export type Strategy = Json<'/api/v1/dialer/strategies/{id}', 'get'>;
export type Campaign = Json<'/api/v1/dialer/campaigns/{id}', 'get'>;

const ALL = { limit: 500 };
/** Contact groups and strategies to choose from (empty without the right to read the dialer: the import screen offers groups only to those who may fill them). */
export const useListOptions = () => useReadableOptions('dialer', () => ok(api.GET('/api/v1/dialer/lists', { params: { query: ALL } })));
export const useStrategyOptions = () => useReadableOptions('dialer', () => ok(api.GET('/api/v1/dialer/strategies', { params: { query: ALL } })));

import { api, ok } from '@/api/client';
import { can } from '@/auth/session';
import { useOptions } from '@/kit/useOptions';

const ALL = { limit: 500 };
const none = Promise.resolve({ items: [] as never[] });

/** Teams, profiles and users to choose from in the organisation's forms (empty without the right). */
export const useTeamOptions = () =>
  useOptions(() => (can({ module: 'teams', action: 'read' }) ? ok(api.GET('/api/v1/teams', { params: { query: ALL } })) : none));
export const useProfileOptions = () =>
  useOptions(() => (can({ module: 'profiles', action: 'read' }) ? ok(api.GET('/api/v1/profiles', { params: { query: ALL } })) : none));
export const useUserOptions = () =>
  useOptions(() => (can({ module: 'users', action: 'read' }) ? ok(api.GET('/api/v1/users', { params: { query: ALL } })) : none));
export const usePauseTypeOptions = () =>
  useOptions(() => (can({ module: 'pauses', action: 'read' }) ? ok(api.GET('/api/v1/pause-types', { params: { query: ALL } })) : none));

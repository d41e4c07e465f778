import { api, ok } from '@/api/client';
import { useReadableOptions } from '@/kit/useOptions';

const ALL = { limit: 500 };

/** Teams, profiles and users to choose from in the organisation's forms (empty without the right). */
export const useTeamOptions = () => useReadableOptions('teams', () => ok(api.GET('/api/v1/teams', { params: { query: ALL } })));
export const useProfileOptions = () => useReadableOptions('profiles', () => ok(api.GET('/api/v1/profiles', { params: { query: ALL } })));
export const useUserOptions = () => useReadableOptions('users', () => ok(api.GET('/api/v1/users', { params: { query: ALL } })));
export const usePauseTypeOptions = () => useReadableOptions('pauses', () => ok(api.GET('/api/v1/pause-types', { params: { query: ALL } })));

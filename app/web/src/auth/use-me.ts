import { useQuery, type UseQueryReturnType } from '@tanstack/vue-query';
import { computed, type ComputedRef } from 'vue';
import type { RoleOperation } from '../api/operation-roles';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';
import { mayCall } from './roles';
import { sessionToken } from './session-token';

/** The caller as `GET /api/me` answers: a user or an API token, and its role. */
export type Me = paths['/api/me']['get']['responses'][200]['content']['application/json'];

function fetchMe(): Promise<Me> {
  return call(api.GET('/api/me'));
}

/** The logged-in user (`GET /api/me`), fetched once per session and shared. */
export function useMe(): UseQueryReturnType<Me, Error> {
  return useQuery({
    queryKey: ['me', sessionToken],
    queryFn: fetchMe,
    enabled: computed(() => sessionToken.value !== null),
    staleTime: 60_000,
  });
}

/**
 * A function telling whether the logged-in user may call an API operation: what it returns
 * false for is not offered.
 *
 * @example
 * ```ts
 * const may = useMay();
 * // <NButton v-if="may('POST /api/incidents')">New incident</NButton>
 * ```
 */
export function useMay(): ComputedRef<(operation: RoleOperation) => boolean> {
  const me = useMe();
  return computed(() => (operation: RoleOperation) => mayCall(me.data.value?.role, operation));
}

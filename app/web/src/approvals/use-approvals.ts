import { useQuery, type UseQueryReturnType } from '@tanstack/vue-query';
import { api, call } from '../api/client';
import type { Approval } from './approval-view';

/** How often approvals are polled besides the live socket's nudges. */
export const APPROVALS_POLL_MS = 10_000;

/**
 * The pending approvals (`GET /api/approvals?status=pending`), polled every 10 s and
 * refetched by the live socket (every `['approvals', …]` query): the navigation's badge.
 */
export function usePendingApprovals(): UseQueryReturnType<Approval[], Error> {
  return useQuery({
    queryKey: ['approvals', 'pending'],
    queryFn: async () =>
      (await call(api.GET('/api/approvals', { params: { query: { status: 'pending' } } }))).data,
    refetchInterval: APPROVALS_POLL_MS,
  });
}

/** The latest approvals of any status (newest first, up to 100), polled like the badge. */
export function useRecentApprovals(): UseQueryReturnType<Approval[], Error> {
  return useQuery({
    queryKey: ['approvals', 'recent'],
    queryFn: async () =>
      (await call(api.GET('/api/approvals', { params: { query: { limit: 100 } } }))).data,
    refetchInterval: APPROVALS_POLL_MS,
  });
}

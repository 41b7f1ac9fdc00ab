import { useQuery, useQueryClient } from '@tanstack/vue-query';
import { type Ref } from 'vue';
import { api, call } from '../api/client';
import type { LiveEvent } from '../live/live-events';

/** Events asked for per call: the API's most, so a long run loads in one round trip. */
const PAGE = 5000;

/**
 * The incident, kept fresh by the live socket (it refetches every `['incidents', …]` query
 * when an event comes).
 */
export function useIncident(uuid: Ref<string>) {
  return useQuery({
    queryKey: ['incidents', 'detail', uuid],
    queryFn: () =>
      call(api.GET('/api/incidents/{uuid}', { params: { path: { uuid: uuid.value } } })),
  });
}

/** The incident's alerts, oldest first. */
export function useIncidentAlerts(uuid: Ref<string>) {
  return useQuery({
    queryKey: ['incidents', 'alerts', uuid],
    queryFn: async () =>
      (
        await call(
          api.GET('/api/incidents/{uuid}/alerts', { params: { path: { uuid: uuid.value } } }),
        )
      ).data,
  });
}

/** The incident's runs (reports, usage, cost), oldest first. */
export function useIncidentRuns(uuid: Ref<string>) {
  return useQuery({
    queryKey: ['incidents', 'runs', uuid],
    queryFn: async () =>
      (
        await call(
          api.GET('/api/incidents/{uuid}/runs', { params: { path: { uuid: uuid.value } } }),
        )
      ).data,
  });
}

/** The incident's tool calls from the audit log, oldest first. */
export function useIncidentToolCalls(uuid: Ref<string>) {
  return useQuery({
    queryKey: ['incidents', 'tool-calls', uuid],
    queryFn: async () =>
      (
        await call(
          api.GET('/api/incidents/{uuid}/tool-calls', {
            params: { path: { uuid: uuid.value }, query: { limit: 1000 } },
          }),
        )
      ).data,
  });
}

/**
 * The incident's approvals (asked for by its runs), newest first. Keyed under
 * `['approvals', …]`: the live socket refetches those with every event, as for the inbox.
 */
export function useIncidentApprovals(uuid: Ref<string>) {
  return useQuery({
    queryKey: ['approvals', 'incident', uuid],
    queryFn: async () =>
      (
        await call(
          api.GET('/api/approvals', {
            params: { query: { incident_id: uuid.value, limit: 500 } },
          }),
        )
      ).data,
  });
}

/**
 * The incident's run events, oldest first. Each refetch (the live socket triggers one per
 * burst of events) asks only for the events after the last one held, so a timeline of
 * thousands of events is not fetched again and again.
 */
export function useIncidentEvents(uuid: Ref<string>) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['incidents', 'events', uuid],
    // Thousands of events, never changed once written: not made deeply reactive, and not
    // compared one by one with the previous fetch (the list only grows).
    shallow: true,
    structuralSharing: false,
    queryFn: async (): Promise<LiveEvent[]> => {
      const held = queryClient.getQueryData<LiveEvent[]>(['incidents', 'events', uuid.value]) ?? [];
      const events = [...held];
      for (;;) {
        const after = events.at(-1)?.id ?? 0;
        const page = (
          await call(
            api.GET('/api/incidents/{uuid}/events', {
              params: { path: { uuid: uuid.value }, query: { after, limit: PAGE } },
            }),
          )
        ).data as unknown as LiveEvent[];
        events.push(...page);
        if (page.length < PAGE) break;
      }
      return events;
    },
  });
}

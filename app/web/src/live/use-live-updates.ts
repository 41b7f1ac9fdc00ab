import { useQueryClient } from '@tanstack/vue-query';
import { useDebounceFn, useEventListener } from '@vueuse/core';
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { api, call } from '../api/client';
import { LiveEvents, type LiveStatus } from './live-events';

/** The event socket's URL on this page's origin (`ws:` under `http:`, `wss:` under `https:`). */
function socketUrl(ticket: string, after: number | undefined): string {
  const url = new URL('/ws/events', window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('ticket', ticket);
  if (after !== undefined) url.searchParams.set('after', String(after));
  return url.toString();
}

/**
 * Keeps the event socket open while the component using it is mounted, and keeps the cached
 * server state fresh from it: any event about an incident refetches the incident lists shown
 * (batched, at most about four times a second), and every (re)connection refetches them once
 * for what happened while no socket was open. Approvals (`['approvals', …]`) are refetched
 * the same way. Reconnects at once when the browser comes back
 * online or the tab becomes visible again.
 *
 * @returns the connection's status, for the navigation's live indicator
 */
export function useLiveUpdates(options: { onRevoked: () => void }): Ref<LiveStatus> {
  const queryClient = useQueryClient();
  const status = ref<LiveStatus>('connecting');
  const refreshIncidents = useDebounceFn(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['incidents'] }),
        // A run asking for (or told of) an approval is an event too: the inbox and its badge.
        queryClient.invalidateQueries({ queryKey: ['approvals'] }),
      ]),
    250,
    { maxWait: 1000 },
  );
  const live = new LiveEvents({
    ticket: async () => (await call(api.POST('/api/events/ticket'))).ticket,
    url: socketUrl,
    onEvent: () => void refreshIncidents(),
    onOpen: () => void refreshIncidents(),
    onStatus: (next) => (status.value = next),
    onRevoked: options.onRevoked,
  });
  onMounted(() => live.start());
  onBeforeUnmount(() => live.stop());
  // Back online, or back from a background tab: reconnect now rather than after the back-off.
  useEventListener(window, 'online', () => live.reconnectNow());
  useEventListener(document, 'visibilitychange', () => {
    if (document.visibilityState === 'visible') live.reconnectNow();
  });
  return status;
}

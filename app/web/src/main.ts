import { QueryClient, VueQueryPlugin } from '@tanstack/vue-query';
import { createApp } from 'vue';
import App from './App.vue';
import { onUnauthorized } from './api/client';
import { ApiError } from './api/errors';
import { forgetSession } from './auth/session-token';
import { router } from './router';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx will not change by asking again; a network failure or 5xx might.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

// A 401 on a call made with the session means it ended (logged out elsewhere, expired,
// revoked by an admin): back to the login page, which says so.
onUnauthorized(() => {
  forgetSession();
  queryClient.clear();
  const here = router.currentRoute.value;
  if (here.meta.public !== true)
    void router.replace({ name: 'login', query: { redirect: here.fullPath, ended: '1' } });
});

createApp(App).use(router).use(VueQueryPlugin, { queryClient }).mount('#app');

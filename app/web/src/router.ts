import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router';
import { setupStatus } from './auth/account';
import { sessionToken } from './auth/session-token';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (login, first-run setup). */
    public?: boolean;
  }
}

/** Asked once per page load: setup is done once and never undone. */
let setupDone = false;

async function needsSetup(): Promise<boolean> {
  if (setupDone) return false;
  try {
    setupDone = !(await setupStatus()).setup_required;
  } catch {
    return false; // the login page will say what is wrong with the API
  }
  return !setupDone;
}

/** The dashboard's pages; each page's code loads when it is first visited. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/setup',
      name: 'setup',
      component: () => import('./pages/SetupPage.vue'),
      meta: { public: true },
    },
    {
      path: '/login',
      name: 'login',
      component: () => import('./pages/LoginPage.vue'),
      meta: { public: true },
    },
    {
      path: '/',
      component: () => import('./layout/AppShell.vue'),
      children: [
        { path: '', redirect: { name: 'incidents' } },
        {
          path: 'incidents',
          name: 'incidents',
          component: () => import('./pages/IncidentsPage.vue'),
        },
        {
          path: 'incidents/:uuid',
          name: 'incident',
          component: () => import('./pages/IncidentDetailPage.vue'),
        },
        {
          path: 'approvals',
          name: 'approvals',
          component: () => import('./pages/ApprovalsPage.vue'),
        },
        {
          path: 'sources',
          name: 'sources',
          component: () => import('./pages/SourcesPage.vue'),
        },
        {
          path: 'tools',
          name: 'tools',
          component: () => import('./pages/ToolsPage.vue'),
        },
        {
          path: 'skills',
          name: 'skills',
          component: () => import('./pages/SkillsPage.vue'),
        },
        {
          path: 'skills/new',
          name: 'skill-new',
          component: () => import('./pages/SkillEditorPage.vue'),
        },
        {
          path: 'skills/:name',
          name: 'skill',
          component: () => import('./pages/SkillEditorPage.vue'),
        },
        {
          path: 'evals',
          name: 'evals',
          component: () => import('./pages/EvalsPage.vue'),
        },
        {
          path: 'evals/runs/:id',
          name: 'eval-run',
          component: () => import('./pages/EvalRunPage.vue'),
        },
        {
          path: 'context-files',
          name: 'context-files',
          component: () => import('./pages/ContextFilesPage.vue'),
        },
        {
          path: 'settings',
          name: 'settings',
          component: () => import('./pages/SettingsPage.vue'),
        },
        {
          path: 'settings/users',
          name: 'users',
          component: () => import('./pages/UsersPage.vue'),
        },
        {
          path: 'settings/tokens',
          name: 'tokens',
          component: () => import('./pages/TokensPage.vue'),
        },
        {
          path: ':unknown(.*)*',
          name: 'not-found',
          component: () => import('./pages/NotFoundPage.vue'),
        },
      ],
    },
  ],
});

router.beforeEach(async (to): Promise<true | RouteLocationRaw> => {
  if (to.name === 'setup') {
    if (await needsSetup()) return true;
    return { name: sessionToken.value === null ? 'login' : 'incidents' };
  }
  if (await needsSetup()) return { name: 'setup' };
  if (to.name === 'login' && sessionToken.value !== null) return { name: 'incidents' };
  if (to.meta.public === true || sessionToken.value !== null) return true;
  return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
});

/** Marks setup done (after the setup form succeeded), so the guard stops asking. */
export function setupCompleted(): void {
  setupDone = true;
}

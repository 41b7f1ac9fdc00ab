import vue from '@vitejs/plugin-vue';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Tests import workspace packages through the `@akmatori/source` export condition (a name of our own: third-party packages such as eventsource-parser publish a plain `source` condition pointing at TypeScript), so they run
 * against `src/` without a build; `npm run build` type-checks the same files.
 */
const conditions = ['@akmatori/source', ...defaultServerConditions];

export default defineConfig({
  // Compiles the dashboard's .vue files for its component tests (which run under jsdom, chosen
  // per file with `// @vitest-environment jsdom`).
  plugins: [vue()],
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    globalSetup: ['./test/global-setup.ts', './app/web/test/support/browser-global-setup.ts'],
    include: [
      'test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'app/src/**/*.test.ts',
      'app/test/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'app/web/src/**/*.test.ts',
      'app/web/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

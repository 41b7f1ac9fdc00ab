// Lint rules for the whole monorepo (flat config).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'data/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The dashboard's single-file components: Vue's error-prevention rules (layout is Prettier's).
  ...pluginVue.configs['flat/essential'],
  {
    files: ['app/web/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['app/web/src/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Untrusted text (alerts, agent output) reaches the page only through
      // renderAgentMarkdown; a v-html elsewhere must say why with an eslint-disable comment.
      'vue/no-v-html': 'error',
      'no-console': 'error',
    },
  },
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Library and app code: a scoped logger instead of console, explicit types on exports.
    files: ['packages/*/src/**/*.ts', 'app/src/**/*.ts', 'examples/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test-d.ts'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
    },
  },
);

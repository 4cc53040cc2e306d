// ESLint (flat config): the recommended rules, typescript-eslint's for src/ and the specs, and
// browser or Node globals where each kind of file runs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'docs/api/', 'test-results/', 'playwright-report/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused arguments named with a leading underscore are deliberate (callback signatures).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['src/**/*.ts'], languageOptions: { globals: globals.browser } },
  {
    // Page-side scripts (fixtures, profiles, demo, benchmark pages) run in the browser as plain scripts.
    files: ['tests/fixtures/**/*.js', 'tests/profiles/**/*.js', 'demo/**/*.js', 'bench/pages/**/*.js', 'bench/fixtures/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  { files: ['**/*.mjs', 'scripts/**', 'tests/**/*.ts', '*.ts', 'eslint.config.js'], languageOptions: { globals: globals.node } },
  // Benchmarks hand functions to page.evaluate(): their bodies run in the page.
  { files: ['bench/*.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  {
    // The specs pass page-side results around as `any`, and page functions read window expandos.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

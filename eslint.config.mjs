import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.cache/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Personal data must never reach a log line through a stray console call.
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The HTTP and socket layers serve every feature and depend on none: features plug into them (createApp wires).
    files: ['server/src/http/**/*.ts', 'server/src/realtime/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/modules/**'], message: 'http/ and realtime/ may not import a feature module.' }] },
      ],
    },
  },
  {
    files: [
      'scripts/**',
      'tests/**',
      '**/*.test.ts',
      'server/src/main.ts',
      'rollup.config.mjs',
      'web-test-runner.config.mjs',
    ],
    rules: { 'no-console': 'off' },
  },
);

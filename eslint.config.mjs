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
    // Widgets: shared code serves every element, so it may not reach into one element's folder (a feature
    // folder imports shared/, never the other way round). Static and dynamic imports alike.
    files: ['widget/src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!shared/)',
              message: 'widget/src/shared may not import a feature folder: move the code to shared/ or pass it in.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression > Literal[value=/^\\.\\.\\u002F(?!shared\\u002F)/]',
          message: 'widget/src/shared may not import a feature folder, not even lazily.',
        },
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

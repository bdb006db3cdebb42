import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which server module owns which model (server/src/models.ts). A module's services query only their own models and
 * ask the owning module for the rest (its service, or a small owner such as practices/members.ts,
 * clients/client-links.ts, auth/users.ts, threads/thread-queries.ts): one place for each rule about that data.
 */
const MODEL_OWNERS = {
  auth: ['User', 'Session'],
  practices: ['Practice', 'PracticePhoto'],
  clients: ['ClientLink', 'FormerClient'],
  invitations: ['Invitation'],
  threads: ['Thread', 'Message', 'ThreadRead', 'Idempotency'],
  links: ['LinkToken'],
  media: ['MediaRoom'],
  calls: ['Call', 'CallOutcome', 'UsageEvent'],
  appointments: ['Appointment', 'AppointmentJob'],
  audit: ['Audit'],
  network: ['NetworkInvite', 'NetworkConnection'],
  directory: ['DirectoryEntry'],
  // Its own models live in attachment.model.ts, compiled on the app's connection (not in models.ts).
  attachments: [],
};

/**
 * For each module: no file of it but its tests may name another module's model, whether as `models.X`,
 * `deps.models.X`, `{ X } = models`, `{ models: { X } }`, `ServiceBase<'X'>`, `Models['X']` or `Pick<Models, 'X'>` (also
 * `Pick<ServiceDeps['models'], 'X'>`). Services, owner files and helpers alike: a write outside the owner is a rule
 * about that data in a second place.
 */
const modelBoundaries = Object.entries(MODEL_OWNERS).map(([module, own]) => {
  const foreign = Object.entries(MODEL_OWNERS)
    .filter(([other]) => other !== module)
    .flatMap(([, names]) => names);
  const names = `/^(${foreign.join('|')})$/`;
  const owned = own.length ? own.join(', ') : 'none in models.ts';
  const message = `The ${module} module reads and writes only its own models (${owned}); ask the owning module (see MODEL_OWNERS in eslint.config.mjs).`;
  return {
    files: [`server/src/modules/${module}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `MemberExpression[object.name='models'][property.name=${names}]`, message },
        { selector: `MemberExpression[object.property.name='models'][property.name=${names}]`, message },
        { selector: `VariableDeclarator[init.name='models'] > ObjectPattern > Property[key.name=${names}]`, message },
        {
          selector: `VariableDeclarator[init.property.name='models'] > ObjectPattern > Property[key.name=${names}]`,
          message,
        },
        { selector: `Property[key.name='models'] > ObjectPattern > Property[key.name=${names}]`, message },
        { selector: `TSTypeReference[typeName.name='ServiceBase'] TSLiteralType > Literal[value=${names}]`, message },
        {
          selector: `TSIndexedAccessType[objectType.typeName.name='Models'] > TSLiteralType > Literal[value=${names}]`,
          message,
        },
        {
          // Model names are the only capitalised keys picked anywhere under modules/, so any Pick<…, 'X'> is one.
          selector: `TSTypeReference[typeName.name='Pick'] TSLiteralType > Literal[value=${names}]`,
          message,
        },
      ],
    },
  };
});

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
  ...modelBoundaries,
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

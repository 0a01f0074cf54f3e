// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Dependencies point inward: core ← app ← db/integrations ← api/cli ← main.
 * A wrong arrow fails lint (and therefore `npm test`); test/lint-direction.test.ts proves it with a fixture.
 */
const layer = (forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: forbidden.map((dir) => ({
        group: [`**/${dir}/**`, `**/${dir}`],
        message: `Wrong dependency direction: this layer must not import from src/${dir} (see ARCHITECTURE.md).`,
      })),
    },
  ],
});

export const layerRules = {
  core: layer(['app', 'db', 'api', 'cli', 'main', 'integrations']),
  app: layer(['db', 'api', 'cli', 'main', 'integrations']),
  adapters: layer(['api', 'cli', 'main']),
  edge: layer(['main']),
};

export default tseslint.config(
  // the lint fixtures break the rules on purpose; test/lint-direction.test.ts lints them with ignoring off
  { ignores: ['node_modules/**', 'dist/**', '.q2c/**', 'coverage/**', 'web/dist/**', 'test/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // tests read loosely typed JSON responses
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/core/**/*.ts', 'test/lint-fixtures/core/**/*.ts'], rules: layerRules.core },
  { files: ['src/app/**/*.ts', 'test/lint-fixtures/app/**/*.ts'], rules: layerRules.app },
  { files: ['src/db/**/*.ts', 'src/integrations/**/*.ts'], rules: layerRules.adapters },
  { files: ['src/api/**/*.ts', 'src/cli/**/*.ts'], rules: layerRules.edge },
  {
    // core is pure: no I/O, no clock, no environment
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'process', 'fetch', 'setTimeout', 'setInterval'],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core has no clock: pass dates in.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core has no clock: pass dates in.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'core is deterministic.' },
      ],
    },
  },
);

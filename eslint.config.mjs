import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/** Why each boundary holds: docs/design.md §5. */
const LAYOUT = 'see docs/design.md §5';

/** What app (the use cases) may never reach: every adapter, the composition root and the edges. */
const ADAPTERS = ['store', 'server', 'identity', 'evidence', 'graph', 'notify', 'audit', 'reports', 'main'].map((folder) => `./src/${folder}`);

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'tab/dist', 'coverage', 'appPackage/build', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The dependency direction, checked on resolved files so that no spelling of a path slips by.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/domain',
              from: '.',
              except: ['./src/domain', './node_modules'],
              message: `domain imports nothing of ours outside src/domain (${LAYOUT}).`,
            },
            {
              target: './src/contracts',
              from: '.',
              except: ['./src/contracts', './src/domain', './node_modules'],
              message: `contracts (the API's response schemas, shared with the tab) import only src/domain (${LAYOUT}).`,
            },
            {
              target: './src/app',
              from: [...ADAPTERS, './bot', './tab'],
              message: `app (the use cases) imports domain and its own ports, never an adapter (${LAYOUT}).`,
            },
            {
              target: ['./src/!(main)/**/*', './src/*.ts'],
              from: './bot',
              message: `only the composition root (src/main) imports bot/ (${LAYOUT}).`,
            },
            {
              target: './tab/src',
              from: './src',
              except: ['./domain', './contracts'],
              message: `the tab imports only src/domain and src/contracts and talks HTTP for the rest (${LAYOUT}).`,
            },
            {
              target: './tab/src/pages',
              from: './tab/src/pages',
              message: 'a page does not import another page: move what both need into tab/src/components or a module beside them.',
            },
          ],
        },
      ],
    },
  },
  {
    // botbuilder stays inside bot/, so the bot can move to its successor SDK by changing one folder.
    files: ['src/**/*.ts', 'tab/**/*.ts', 'tab/**/*.tsx', 'scripts/**/*.ts', 'bench/**/*.ts', 'infra/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['botbuilder', 'botbuilder-*', 'botbuilder/*', 'botframework-*'], message: `botbuilder is imported only under bot/ (${LAYOUT}).` }] },
      ],
    },
  },
  {
    // Not even a type from a framework or a driver crosses into domain or app.
    files: ['src/domain/**/*.ts', 'src/contracts/**/*.ts', 'src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['botbuilder', 'botbuilder-*', 'botbuilder/*', 'botframework-*'], message: `botbuilder is imported only under bot/ (${LAYOUT}).` },
            {
              group: ['fastify', 'fastify-*', '@fastify/*', '@microsoft/*', '@azure/*', 'react', 'react-*', 'pg', 'kysely', 'kysely-*', '@electric-sql/*'],
              message: `domain, contracts and app know nothing of Fastify, Graph, React or the database (${LAYOUT}).`,
            },
          ],
        },
      ],
    },
  },
);

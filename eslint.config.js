import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'bench/.tmp/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core runs in the CLI, `serve` and Electron main alike: it must never depend on Electron.
    files: ['src/main/core/**', 'src/main/cli/**', 'src/main/serve/**', 'src/main/host/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Core code must not import electron: pass what it needs in from the host.' }],
          patterns: [{ group: ['electron/*'], message: 'Core code must not import electron.' }],
        },
      ],
    },
  },
  {
    // The CLI is a host: it talks to the core through the contract (core.call / core.invoke) and its events (and core.streamBackup for a backup's bytes to a pipe), never its repositories.
    files: ['src/main/cli/**'],
    ignores: ['src/main/cli/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='core'][property.name!=/^(call|invoke|close|shutdown|log|events|scheduler|drainNotifications|streamBackup)$/]",
          message: 'The CLI goes through the contract (core.call / core.invoke) and core.events, not through the core\'s repositories.',
        },
      ],
    },
  },
  {
    // The renderer talks to window.vaultdesk only.
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**', 'electron', 'node:*'], message: 'The renderer only talks to window.vaultdesk.' }] }],
    },
  },
);

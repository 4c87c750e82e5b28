// Lint rules, and the layering rules of the source tree (README, "Layout"): only src/extension/ may import vscode;
// nothing imports from src/webview/; webviews take only types from the shared protocols (their schemas stay on the host).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/extension/ may import vscode.' };
const layer = (group, message, allowTypeImports = false) => ({ group, message, allowTypeImports });

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'data/', '.cache/', 'node_modules/', 'test/bench/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Tests fake the VS Code objects they hand to the code under test.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [layer(['**/webview/**'], 'Nothing imports from src/webview/: shared code lives in src/shared/.')],
        },
      ],
    },
  },
  {
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [layer(['**/webview/**', '**/extension/**'], 'The command line runs the engine, without VS Code.')],
        },
      ],
    },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            layer(['**/webview/**', '**/extension/**'], 'The engine imports only itself and src/shared/.'),
            layer(['**/cli/**'], 'The engine does not import the command line.'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            layer(
              ['**/webview/**', '**/extension/**', '**/engine/**', '**/cli/**'],
              'src/shared/ imports only itself.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode, { name: 'valibot', message: 'Validation stays on the host.' }],
          patterns: [
            layer(
              ['**/extension/**', '**/engine/**', '**/cli/**'],
              'Webviews import only src/webview/ and src/shared/.',
            ),
            layer(
              ['**/shared/*Protocol'],
              'Webviews import protocol types only (import type), so no schema reaches a webview bundle.',
              true,
            ),
          ],
        },
      ],
    },
  },
);

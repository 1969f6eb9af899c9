import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'schema/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'No export * barrels: export what you mean.' },
      ],
    },
  },
  {
    files: ['src/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Pure: no I/O modules. The samples type and its pure helpers are the one thing from metrics/ allowed.
          patterns: [
            'node:*',
            '../store/*',
            '../pipeline/*',
            '../metrics/*/*',
            '../metrics/create-source.js',
            '../notify/*',
            '../server/*',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'Date', 'process', 'fetch'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);

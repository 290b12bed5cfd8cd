import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const edgeOnly = {
  patterns: [
    {
      group: ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'restify-*'],
      message: 'Only bot/ may import botbuilder or restify (style.md: thin edges).',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'data/**',
      'dist/**',
      'tests/.certs/**',
      'coverage/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['cards/**/*.ts', 'services/**/*.ts', 'demo/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', edgeOnly] },
  },
  {
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...edgeOnly.patterns,
            { group: ['**/bot/**', '../bot/*', '**/cards/**'], message: 'services/ depends on nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['cards/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...edgeOnly.patterns,
            { group: ['**/bot/**'], message: 'cards/ may use services/ domain types only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

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

// Demo and benchmark code may use production code, never the other way round (a demo default is a setting in bot/).
const noDemo = {
  group: ['**/demo/**', '**/bench/**'],
  message: 'bot/, services/ and cards/ never import demo/ or bench/.',
};

const servicesPatterns = [
  ...edgeOnly.patterns,
  noDemo,
  { group: ['**/bot/**', '../bot/*', '**/cards/**'], message: 'services/ depends on nothing above it.' },
];

// invalid_input is shown to the user verbatim, and services/ never write user-facing text: a fault in a service
// is `internal` (or `unexpected_response` for an answer it cannot read), which the user sees as a reference.
const noInvalidInput = {
  selector: ":not(TSLiteralType) > Literal[value='invalid_input']",
  message: "services/ never raise invalid_input (its message reaches chat): use 'internal' for a fault.",
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
    files: ['demo/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', edgeOnly] },
  },
  {
    files: ['bot/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDemo] }] },
  },
  {
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: servicesPatterns,
        },
      ],
      'no-restricted-syntax': ['error', noInvalidInput],
    },
  },
  {
    // Outside services/graph a read is a declared endpoint (endpoints.ts) sent with readOne/readAll/readPages/readBatch,
    // so its permission and throttling class go with it: no hand-built GET, no paging over a bare path.
    files: ['services/**/*.ts'],
    ignores: ['services/graph/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...servicesPatterns,
            {
              group: ['**/graph/paging'],
              importNames: ['collectAll', 'pageResults'],
              message: 'Read a declared endpoint with readAll/readPages (services/graph/read.ts), not a bare path.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        noInvalidInput,
        {
          selector:
            "CallExpression[callee.property.name='request'] > ObjectExpression > Property[key.name='method'][value.value='GET']",
          message:
            'A Graph read is a declared endpoint (services/graph/endpoints.ts) sent with readOne/readAll/readBatch.',
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
            noDemo,
            {
              regex: '(^|/)bot/(?!commands/table$)',
              message: 'cards/ may use services/ domain types only.',
            },
            // Buttons name commands and verbs by the table's types, so a button for a missing one does not compile.
            {
              regex: '(^|/)bot/commands/table$',
              allowTypeImports: true,
              message: 'cards/ take command and verb names from bot/commands/table as types only.',
            },
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

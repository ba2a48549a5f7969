// ESLint flat config: typescript-eslint's type-aware rules on the TypeScript (service, tests,
// console, client), the recommended JavaScript rules on the scripts and the benchmark.
// Formatting is Prettier's job (.prettierrc.json): eslint-config-prettier turns off the rules it covers.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['dist/', 'coverage/', 'src/generated/', 'clients/typescript/src/schema.d.ts', 'clients/typescript/dist/', '.data/', 'tmp/'],
  },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // The same convention as the TypeScript: a leading underscore marks a deliberately unused name.
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['*.config.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // JSON bodies, pg rows and Fastify's raw objects are `any` by nature; `strict` already refuses
      // implicit any. The type-aware rules that find bugs (floating or misused promises, awaiting
      // non-promises, unbound methods, …) stay on.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Static factories passed as callbacks (rows.map(ProductDto.from)) do not use `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // React event handlers may be async; react-admin's providers are async by contract.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/require-await': 'off',
      // prom-client's collect() and Node's event handlers bind `this` to their own object.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self', 'metrics'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The data-access boundary (README, "Code layout"): only src/database/ talks to pg and its pools.
    files: ['src/**/*.ts'],
    ignores: ['src/database/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'pg', message: 'Only src/database/ talks to pg: use Database, DatabaseReaders or a repository.' }] },
      ],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='pool']", message: 'The pg pool stays in src/database/.' }],
    },
  },
  prettier,
)

import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'
import hsb from './eslint/boundaries.js'

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // A feature adds its tables to Database with `interface Database extends XTables {}` (declaration merging).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // The import boundaries (ADR 0007): the platform imports no feature; features meet through index.ts.
    files: ['src/**/*.ts'],
    plugins: { hsb },
    rules: { 'hsb/boundaries': 'error' },
  },
  { files: ['src/cli/**', 'bench/**', 'test/**', '.ci/**', 'scripts/**'], rules: { 'no-console': 'off' } },
)

// Lint for what the type checker cannot see: promises nobody awaits or catches (an unhandled rejection in the
// extension host), switches over unions that miss a case, and non-null assertions that hide a possible undefined.
// `npm run lint` (part of `npm test`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', '*.mjs'] },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  // The preview's controller runs under Node (test/unit/webviewController.test.ts): no lit, no components. (No DOM
  // globals either: the unit tests compile it without the DOM library.)
  {
    files: ['webview/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['lit', 'lit/*', '**/components/**'] }] },
  },
);

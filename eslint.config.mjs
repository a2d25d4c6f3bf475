// Lint for what the type checker cannot see: promises nobody awaits or catches (an unhandled rejection in the
// extension host, or a test or script that ends before its work), switches over unions that miss a case, and
// non-null assertions that hide a possible undefined (in the code that ships). Every folder we write is linted: src, webview, test, bench,
// scripts, and the configuration scripts at the root. `npm run lint` (part of `npm test`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: {
      parser: tseslint.parser,
      // Each file is typed by the project that compiles it: the extension and its tests (root), the webview and the
      // browser tests (DOM), the VS Code suites, and the plain JavaScript scripts (tsconfig.scripts.json, allowJs).
      parserOptions: {
        project: [
          'tsconfig.json',
          'webview/tsconfig.json',
          'test/browser/tsconfig.json',
          'test/integration/tsconfig.json',
          'test/e2e/tsconfig.json',
          'tsconfig.scripts.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  // What ships: there a wrong `!` is a crash or a wrong number in the user's editor. In tests, benches and scripts a
  // wrong `!` throws, and the test or script fails, which is what it should do.
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
  },
  // The analysis core runs in the CLI, the extension host and the webview: no `vscode`, no DOM.
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['../../*', '!../../core/**'] }] },
  },
  {
    files: ['src/core/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['../*'] }] },
  },
  // Issue 19: the Python evaluator does not know Keras. What reads statements for their models (keras/chunkInfo.ts),
  // the layer catalogue, the applications, TF Hub and tfjs are the Keras side's; the Keras kinds of a value are added
  // by keras/values.ts (module augmentation), and python/ never names them: it hands them to its host's protocol.
  {
    files: ['src/core/python/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../keras', '../keras/*', '../layers', '../layers/*', '../applications', '../applications/*', '../hub/*', '../tfjs/*'] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^(layer|symbolic|functional|model|method)$/]',
          message: "A Keras kind of value: python/ hands the host's objects to its protocol (python/evaluator.ts) instead of naming them.",
        },
      ],
    },
  },
  // The preview's controller runs under Node (test/unit/webviewController.test.ts): no lit, no components. (No DOM
  // globals either: the unit tests compile it without the DOM library.)
  {
    files: ['webview/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['lit', 'lit/*', '**/components/**'] }] },
  },
);

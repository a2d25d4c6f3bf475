// The Python of `keras.applications` (src/core/applications/*.py) is imported as its text: esbuild's text loader in
// the bundles (esbuild.config.mjs), test/support/pythonText.ts under tsx.
declare module '*.py' {
  const text: string;
  export default text;
}

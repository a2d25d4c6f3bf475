/**
 * `import text from './vgg.py'` under tsx (mocha's `.mocharc.json`, the benches and scripts run the TypeScript
 * sources, not the bundles): a `.py` file's text, as esbuild's `loader: { '.py': 'text' }` gives it to the bundles
 * (esbuild.config.mjs). tsx has no loader for other files' text: without this, Node would run the Python as JavaScript.
 */
import { readFileSync } from 'node:fs';

// `require.extensions` is deprecated for compiling other languages; reading a file as a string is what it still serves.
require.extensions['.py'] = (module, filename) => {
  module.exports = readFileSync(filename, 'utf8');
};

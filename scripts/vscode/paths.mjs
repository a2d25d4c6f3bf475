// Where the real-VS Code tooling lives. Everything is cached under .cache/vscode/ (git-ignored via .cache/).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = path.join(repoRoot, '.cache', 'vscode');

export const NODE_MAJOR = 24;
export const CODE_SERVER_VERSION = '4.139.1';

export const node24Dir = path.join(cacheDir, 'node24');
export const node24Bin = path.join(node24Dir, 'node_modules', 'node', 'bin', 'node');
export const codeServerDir = path.join(cacheDir, 'code-server');
export const codeServerPkgDir = path.join(codeServerDir, 'node_modules', 'code-server');
/** code-server's own entry point, run with Node 24 (its package.json `bin` points here). */
export const codeServerEntry = path.join(codeServerPkgDir, 'out', 'node', 'entry.js');
export const installMarker = path.join(cacheDir, 'install-complete.json');

export const chromiumPath = process.env.LAYERLENS_CHROMIUM || '/usr/bin/chromium';
export const APT_PACKAGES = ['chromium', 'libkrb5-dev'];

#!/usr/bin/env node
// `npm start`: LayerLens in a real VS Code (code-server) on examples/, for trying it by hand in a browser.
// Installs code-server if needed, builds, installs the extension into a fresh extensions folder under
// .cache/vscode/, starts code-server on the repo's examples/ and prints the URL. Ctrl-C stops it.
//   --port N      listen on this port (default: a free one; LAYERLENS_PORT)
//   --no-build    do not run npm run build first
//   LAYERLENS_EXTENSION_DIR   serve another built extension folder instead of this repo
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './install.mjs';
import { cacheDir, repoRoot } from './paths.mjs';
import { prepareExtension } from './build-tests.mjs';
import { installExtensionFolder, startCodeServer } from './server.mjs';

const argv = process.argv.slice(2);
const portArg = argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : process.env.LAYERLENS_PORT;
const log = (m) => console.log(`[start] ${m}`);

try {
  await ensureInstalled();
  const source = prepareExtension({ log, build: !argv.includes('--no-build') });
  const runDir = path.join(cacheDir, 'start');
  const extensionsDir = path.join(runDir, 'extensions');
  rmSync(extensionsDir, { recursive: true, force: true }); // fresh: only LayerLens, the current build
  const ext = installExtensionFolder(extensionsDir, source);
  log(`installed ${ext.id} into ${path.relative(repoRoot, ext.dir)}`);
  const t0 = Date.now();
  const server = await startCodeServer({
    workspace: path.join(repoRoot, 'examples'),
    extensionsDir,
    userDataDir: path.join(runDir, 'user-data'), // kept between runs: your layout and open editors
    port: portArg ? Number(portArg) : undefined,
    logFile: path.join(runDir, 'code-server.log'),
  });
  log(`code-server is up (${((Date.now() - t0) / 1000).toFixed(1)} s); log: ${path.relative(repoRoot, server.logFile)}`);
  console.log(`\n  Open ${server.folderUrl}\n\n  (no password; listening on 127.0.0.1 only; forward the port to reach it from another machine)\n  Ctrl-C stops it.\n`);
  let stopping = false;
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  // Keep running; if code-server dies on its own, say so and exit.
  const watch = setInterval(() => {
    try { process.kill(server.pid, 0); } catch {
      clearInterval(watch);
      console.error(`[start] code-server exited; last lines of its log:\n${server.logTail(20)}`);
      process.exit(1);
    }
  }, 2000);
} catch (e) {
  console.error(`[start] ERROR: ${e.message}`);
  process.exit(1);
}

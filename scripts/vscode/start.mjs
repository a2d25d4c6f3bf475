#!/usr/bin/env node
// `npm start`: LayerLens in a real VS Code (code-server), for trying it by hand in a browser.
// Installs code-server if needed, packages layerlens-<version>.vsix unless one newer than its sources exists,
// installs it with `code-server --install-extension` into a fresh extensions folder under .cache/vscode/, starts
// code-server on a copy of examples/ (.cache/vscode/workspace, copied on the first run and kept: your edits stay
// there, never in the repository's examples/) and prints the URL. Ctrl-C stops it.
//   --port N             listen on this port (default: a free one; LAYERLENS_PORT)
//   --no-build           install the existing .vsix even if it is older than the sources (no npm run package)
//   --reset-workspace    copy examples/ into .cache/vscode/workspace again, dropping the edits made there
//   LAYERLENS_VSIX             install this .vsix as it is instead of this repo's
//   LAYERLENS_EXTENSION_DIR    install this built, unpacked extension folder instead
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './install.mjs';
import { cacheDir, repoRoot } from './paths.mjs';
import { prepareExtension } from './vsix.mjs';
import { copyFolder, installExtension, startCodeServer } from './server.mjs';

const argv = process.argv.slice(2);
const portArg = argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : process.env.LAYERLENS_PORT;
const log = (m) => console.log(`[start] ${m}`);

try {
  await ensureInstalled();
  const source = prepareExtension({ log, build: !argv.includes('--no-build') });
  const runDir = path.join(cacheDir, 'start');
  const extensionsDir = path.join(runDir, 'extensions');
  rmSync(extensionsDir, { recursive: true, force: true }); // fresh: only LayerLens, the current package
  const ext = installExtension(extensionsDir, source);
  log(`installed ${ext.id} from ${path.basename(source.path)} into ${path.relative(repoRoot, ext.dir)}`);
  // A copy of examples/, so that trying LayerLens out never edits the repository's tracked files.
  const workspace = path.join(cacheDir, 'workspace');
  if (argv.includes('--reset-workspace')) rmSync(workspace, { recursive: true, force: true });
  if (existsSync(workspace)) log(`workspace ${path.relative(repoRoot, workspace)} (your copy of examples/; --reset-workspace copies it again)`);
  else log(`workspace ${path.relative(repoRoot, copyFolder(path.join(repoRoot, 'examples'), workspace))}: a fresh copy of examples/`);
  const t0 = Date.now();
  const server = await startCodeServer({
    workspace,
    extensionsDir,
    userDataDir: path.join(runDir, 'user-data'), // kept between runs: your layout and open editors
    port: portArg ? Number(portArg) : undefined,
    logFile: path.join(runDir, 'code-server.log'),
  });
  log(`code-server is up (${((Date.now() - t0) / 1000).toFixed(1)} s); log: ${path.relative(repoRoot, server.logFile)}`);
  console.log(
    `\n  Open ${server.folderUrl}\n\n  (no password; listening on 127.0.0.1 only; forward the port to reach it from another machine)\n  Ctrl-C stops it.\n`,
  );
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
    try {
      process.kill(server.pid, 0);
    } catch {
      clearInterval(watch);
      console.error(`[start] code-server exited; last lines of its log:\n${server.logTail(20)}`);
      process.exit(1);
    }
  }, 2000);
} catch (e) {
  console.error(`[start] ERROR: ${e.message}`);
  process.exit(1);
}

// Starting code-server (a real VS Code workbench and extension host, for the browser) on this machine, installing
// extensions into an extensions folder (a .vsix with `code-server --install-extension`, as a user does, or an
// unpacked folder), and launching headless Chromium (Debian's) with playwright-core.
// Used by start.mjs (npm start), run-integration.mjs (npm run test:integration) and test/e2e (npm run test:e2e).
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromiumPath, codeServerEntry, node24Bin, repoRoot } from './paths.mjs';
import { isInstalled } from './install.mjs';
import { unzipSync } from 'fflate';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
    req.on('error', () => resolve(0));
  });
}

/** A fresh temporary folder (under the OS temp dir) for one run. */
export function makeTempDir(prefix = 'layerlens-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies a folder (examples/ into a temporary workspace, for example), skipping __pycache__ and dot-folders. */
export function copyFolder(from, to) {
  mkdirSync(to, { recursive: true });
  cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const b = path.basename(src);
      return src === from || (b !== '__pycache__' && b !== 'node_modules' && !b.startsWith('.'));
    },
  });
  return to;
}

const live = new Set(); // process groups to kill if this process exits without stopping them
let exitHookInstalled = false;
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of live) killGroup(pid, 'SIGKILL');
  });
  // Ctrl-C or a CI timeout: kill the servers still running; when nobody else handles the signal, die of it as usual.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const handler = () => {
      for (const pid of live) killGroup(pid, 'SIGKILL');
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}

function assertInstalled() {
  const missing = [];
  if (!existsSync(node24Bin)) missing.push(`Node 24 (${node24Bin})`);
  if (!existsSync(codeServerEntry)) missing.push(`code-server (${codeServerEntry})`);
  if (missing.length || !isInstalled())
    throw new Error(`code-server is not installed${missing.length ? `: missing ${missing.join(', ')}` : ' completely'}; run: node scripts/vscode/install.mjs`);
}

/** Launched from a VS Code terminal, code-server would hand its work to that instance instead of doing it. */
function withoutVscodeEnv(env) {
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  return env;
}

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Starts code-server on `workspace`, detached in its own process group, on a free port of 127.0.0.1 with no auth,
 * and resolves once it answers HTTP. `env` is added to code-server's environment, which its extension host inherits.
 * `settings` go into the user settings.json (over quiet defaults: no welcome page, telemetry, update checks, ...).
 * The server's output goes to `logFile` (default: <userDataDir>/../code-server.log).
 * `workspaceTrust: true` turns workspace trust on without the startup prompt, so that `workspace`, never trusted
 * by anyone, opens in Restricted Mode (by default trust is off and every folder is trusted).
 * @returns {{ url: string, folderUrl: string, port: number, pid: number, logFile: string, logTail: (n?: number) => string, stop: () => Promise<void> }}
 */
export async function startCodeServer({
  workspace,
  extensionsDir,
  userDataDir,
  port,
  env = {},
  settings = {},
  workspaceTrust = false,
  logFile,
  timeoutMs = 60_000,
  quiet = true,
} = {}) {
  assertInstalled();
  if (!workspace || !existsSync(workspace)) throw new Error(`startCodeServer: workspace folder ${workspace} does not exist`);
  if (!extensionsDir || !userDataDir) throw new Error('startCodeServer: extensionsDir and userDataDir are required');
  workspace = path.resolve(workspace);
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  logFile ??= path.join(path.dirname(path.resolve(userDataDir)), 'code-server.log');
  const configFile = path.join(userDataDir, 'code-server-config.yaml'); // keep ~/.config/code-server out of it
  // The VS Code user settings: nothing that phones home or pops up over the editor, plus `settings`.
  const settingsDir = path.join(userDataDir, 'User');
  mkdirSync(settingsDir, { recursive: true });
  const settingsFile = path.join(settingsDir, 'settings.json');
  if (workspaceTrust) settings = { ...settings, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
  let current;
  if (existsSync(settingsFile)) {
    try {
      current = JSON.parse(readFileSync(settingsFile, 'utf8'));
    } catch {
      /* JSONC: leave it */
    }
  }
  if (!existsSync(settingsFile) || (current && Object.keys(settings).length))
    writeFileSync(settingsFile, JSON.stringify({ ...(current ?? DEFAULT_SETTINGS), ...settings }, null, 2) + '\n');
  writeFileSync(configFile, '# every option is on the command line\nauth: none\n');

  // code-server keeps its own logs and state under $XDG_DATA_HOME/code-server: in the user data folder, not ~/.local.
  const childEnv = { ...process.env, XDG_DATA_HOME: path.join(path.resolve(userDataDir), 'xdg-data'), ...env };
  withoutVscodeEnv(childEnv);

  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = port ?? (await freePort());
    const args = [
      codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${p}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--config',
      configFile,
      '--extensions-dir',
      path.resolve(extensionsDir),
      '--user-data-dir',
      path.resolve(userDataDir),
      '--session-socket',
      path.join(path.resolve(userDataDir), 'session.sock'),
      workspace,
    ];
    const out = createWriteStream(logFile, { flags: 'a' });
    let tail = '';
    const child = spawn(node24Bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv, cwd: workspace });
    installExitHook();
    live.add(child.pid);
    let exited = null;
    const exitPromise = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        exited = { code, signal };
        live.delete(child.pid);
        resolve();
      }),
    );
    child.once('error', (e) => {
      exited = { code: -1, signal: null, error: e };
    });
    for (const s of [child.stdout, child.stderr]) {
      s.on('data', (d) => {
        out.write(d);
        tail = (tail + d.toString()).slice(-20_000);
        if (!quiet) process.stderr.write(d);
      });
    }
    const url = `http://127.0.0.1:${p}`;
    const logTail = (n = 40) => tail.split('\n').slice(-n).join('\n');
    const stop = async () => {
      if (exited) {
        out.end();
        return;
      }
      killGroup(child.pid, 'SIGTERM');
      const done = await Promise.race([exitPromise.then(() => true), sleep(5000).then(() => false)]);
      if (!done) {
        killGroup(child.pid, 'SIGKILL');
        await Promise.race([exitPromise, sleep(3000)]);
      }
      killGroup(child.pid, 'SIGKILL'); // stragglers of the group (extension host, pty host, file watcher)
      live.delete(child.pid);
      out.end();
    };

    const deadline = Date.now() + timeoutMs;
    let up = false;
    while (!exited && Date.now() < deadline) {
      if ((await httpStatus(`${url}/healthz`)) === 200) {
        up = true;
        break;
      }
      await sleep(200);
    }
    if (up) {
      const folderUrl = `${url}/?folder=${workspace.split('/').map(encodeURIComponent).join('/')}`;
      return { url, folderUrl, port: p, pid: child.pid, logFile, logTail, stop };
    }
    await stop();
    if (exited && /EADDRINUSE/.test(tail) && port === undefined) {
      lastError = new Error(`port ${p} taken; retrying`);
      continue;
    }
    throw new Error(
      exited
        ? `code-server exited before answering HTTP (exit ${exited.code ?? exited.signal}${exited.error ? `, ${exited.error.message}` : ''}); log ${logFile}:\n${logTail()}`
        : `code-server did not answer HTTP on ${url} within ${timeoutMs} ms; log ${logFile}:\n${logTail()}`,
    );
  }
  throw lastError;
}

const ALWAYS = ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'LICENSE.md', 'LICENSE.txt'];
const DEFAULT_EXTENSION_FILES = [...ALWAYS, 'dist/**', 'media/**', 'resources/**', 'images/**', 'syntaxes/**', 'snippets/**'];

/** A `files` pattern of package.json as a RegExp over /-separated relative paths (`**`, `*`, `?`; a folder means all below it). */
function patternToRegExp(pattern) {
  let p = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      re += p[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += p[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}

function walkFiles(root, rel = '', out = []) {
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!['node_modules', '.git', '.cache', 'out', '.vscode-test'].includes(e.name)) walkFiles(root, r, out);
    } else if (e.isFile()) out.push(r);
  }
  return out;
}

/**
 * Installs an extension folder (default: this repo, i.e. LayerLens; build it first) into `extensionsDir` as the
 * unpacked extension `<publisher>.<name>-<version>`, which VS Code loads like an installed .vsix. Copies what
 * package.json `files` lists (globs as vsce reads them, plus package.json, README, CHANGELOG, LICENSE), or without
 * `files` the usual set (dist/, media/, ...), never node_modules.
 * @returns {{ id: string, dir: string, files: number }}
 */
export function installExtensionFolder(extensionsDir, sourceDir = repoRoot) {
  const pkgFile = path.join(sourceDir, 'package.json');
  if (!existsSync(pkgFile)) throw new Error(`no package.json in ${sourceDir}`);
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (!pkg.publisher || !pkg.name || !pkg.version) throw new Error(`${pkgFile} needs publisher, name and version`);
  const id = `${pkg.publisher}.${pkg.name}`;
  if (pkg.main) {
    const main = path.resolve(sourceDir, pkg.main);
    if (!existsSync(main) && !existsSync(`${main}.js`))
      throw new Error(
        `${id}: its main ${pkg.main} does not exist in ${sourceDir}${sourceDir === repoRoot ? ' (run npm run build; src/extension.ts must exist)' : ''}`,
      );
  }
  const patterns = Array.isArray(pkg.files) ? [...ALWAYS, ...pkg.files] : DEFAULT_EXTENSION_FILES;
  if (pkg.icon) patterns.push(pkg.icon);
  const include = patterns.filter((p) => !p.startsWith('!')).map(patternToRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => patternToRegExp(p.slice(1)));
  const files = walkFiles(sourceDir).filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f)));
  const dir = path.join(extensionsDir, `${id}-${pkg.version}`);
  // A folder added after a .vsix install (which writes extensions.json) is not listed there, and VS Code skips it.
  if (existsSync(path.join(extensionsDir, 'extensions.json')) && !listedExtensionFolders(extensionsDir).some((e) => e.folder === path.basename(dir)))
    throw new Error(
      `${extensionsDir} already has an extensions.json (a .vsix was installed), which would not list ${path.basename(dir)}: install unpacked folders first`,
    );
  rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(path.join(sourceDir, f), path.join(dir, f));
  }
  if (pkg.main && !files.some((f) => path.resolve(dir, f) === path.resolve(dir, pkg.main) || path.resolve(dir, f) === path.resolve(dir, `${pkg.main}.js`)))
    throw new Error(`${id}: package.json files does not include its main ${pkg.main}`);
  return { id, dir, files: files.length };
}

/**
 * Installs a .vsix into `extensionsDir` as a user does: `code-server --install-extension X.vsix --extensions-dir DIR`
 * (with a throwaway user data folder and config, so nothing lands in ~/.config or ~/.local). About a second.
 * @returns {{ id: string, dir: string, files: number }} the installed folder, as recorded in DIR/extensions.json
 */
export function installExtensionVsix(extensionsDir, vsixFile) {
  assertInstalled();
  const vsix = path.resolve(vsixFile);
  if (!existsSync(vsix)) throw new Error(`no such .vsix: ${vsix}`);
  const entries = unzipSync(readFileSync(vsix), { filter: (f) => f.name === 'extension/package.json' });
  if (!entries['extension/package.json']) throw new Error(`${vsix} holds no extension/package.json: not a VS Code extension package`);
  const pkg = JSON.parse(Buffer.from(entries['extension/package.json']).toString('utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  mkdirSync(extensionsDir, { recursive: true });
  const foldersBefore = readdirSync(extensionsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(extensionsDir, e.name, 'package.json')))
    .map((e) => e.name);
  const scratch = makeTempDir('layerlens-install-');
  try {
    const configFile = path.join(scratch, 'config.yaml');
    writeFileSync(configFile, 'auth: none\n');
    const r = spawnSync(
      node24Bin,
      [
        codeServerEntry,
        '--config',
        configFile,
        '--user-data-dir',
        path.join(scratch, 'user-data'),
        '--extensions-dir',
        path.resolve(extensionsDir),
        '--install-extension',
        vsix,
      ],
      { encoding: 'utf8', timeout: 120_000, env: withoutVscodeEnv({ ...process.env, XDG_DATA_HOME: path.join(scratch, 'xdg-data') }) },
    );
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    if (r.error || r.status !== 0 || !/successfully installed/i.test(out))
      throw new Error(`code-server --install-extension ${path.basename(vsix)} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${out}`);
  } finally {
    removeDir(scratch);
  }
  const recorded = listedExtensionFolders(extensionsDir);
  const entry = recorded.find((e) => e.id.toLowerCase() === id.toLowerCase() && e.version === pkg.version);
  const dir = entry && path.join(extensionsDir, entry.folder);
  if (!dir || !existsSync(path.join(dir, 'package.json')))
    throw new Error(`code-server reported ${id} ${pkg.version} installed, but ${path.join(extensionsDir, 'extensions.json')} does not list it`);
  // The first install records the folders already there; VS Code ignores (and marks removed) any it does not list.
  const unlisted = foldersBefore.filter((f) => !recorded.some((e) => e.folder === f));
  if (unlisted.length)
    throw new Error(
      `after installing ${path.basename(vsix)}, ${path.join(extensionsDir, 'extensions.json')} does not list ${unlisted.join(', ')}: VS Code would not load them`,
    );
  return { id, dir, files: walkFiles(dir).length };
}

/** The extensions VS Code loads from `extensionsDir` once it has an extensions.json: `{ id, version, folder }[]`. */
function listedExtensionFolders(extensionsDir) {
  let recorded = [];
  try {
    recorded = JSON.parse(readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8'));
  } catch {
    return [];
  }
  return recorded.map((e) => ({ id: e.identifier?.id ?? '', version: e.version, folder: e.relativeLocation ?? path.basename(e.location?.path ?? '') }));
}

/** Installs what `prepareExtension()` (vsix.mjs) chose: `{ kind: 'vsix' | 'folder', path }`. */
export function installExtension(extensionsDir, ext) {
  return ext.kind === 'folder' ? installExtensionFolder(extensionsDir, ext.path) : installExtensionVsix(extensionsDir, ext.path);
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Headless Debian Chromium driven by playwright-core (never `npx playwright install`: it cannot download here). */
export async function launchBrowser({ headless = true, args = [] } = {}) {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium not found at ${chromiumPath}; install it (apt-get install -y chromium, or node scripts/vscode/install.mjs) or set LAYERLENS_CHROMIUM`,
    );
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new Error(`playwright-core is not installed (npm ci installs it as a devDependency): ${e.message}`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless, args: [...CHROMIUM_ARGS, ...args], timeout: 60_000 });
}

/**
 * Opens the workbench at `url` in a new page and waits until the editor area is there.
 * @returns the playwright Page
 */
export async function openWorkbench(browser, url, { timeoutMs = 60_000, viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  // vscode.env.clipboard goes through the browser's clipboard: allow it, or reads and writes fail.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  return page;
}

/** Deletes a temporary folder, ignoring errors (a process may still be writing there). */
export function removeDir(dir) {
  try {
    if (dir && existsSync(dir) && statSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* best effort */
  }
}

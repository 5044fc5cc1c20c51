// Launchers for the real-VS-Code harness (test/e2e/run.mjs, scripts/demo.mjs, test/electron/run.mjs):
// code-server 4.99.4 (= VS Code 1.99.3), the SOLVEREIGN sandbox server, and Debian's Chromium through
// playwright-core. Facts behind every flag: shared E2E.md. Processes are started in their own process
// group and stopped by PID (SIGTERM, then the rest of that group); nothing is ever killed by name.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CODE_SERVER_VERSION = '4.99.4';
export const CODE_SERVER_DIR =
  process.env.SOLVEREIGN_CODE_SERVER_DIR ??
  path.join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** User settings for a quiet, offline, dialog-free workbench (E2E.md "Settings and gotchas"). */
export const BASE_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'chat.commandCenter.enabled': false,
};

// ---------------------------------------------------------------------------------------------
// Process helpers

/** Processes started here and not yet stopped: stopped on exit / Ctrl-C whatever happened. */
const live = new Set();
let hooked = false;
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (hooked) return;
  hooked = true;
  // Last resort (synchronous): kill the process groups of everything still running.
  process.once('exit', () => {
    for (const c of live) killGroup(c.pid, 'SIGKILL');
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {}
}

/** SIGTERM the process, wait for it (up to `graceMs`), then kill what is left of its own group. */
export async function stopProcess(child, graceMs = 5000) {
  if (!child?.pid) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {}
    let timer;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
  // Children that outlive it (code-server's file watcher lingers ~10 s) share its process group.
  killGroup(child.pid, 'SIGKILL');
  live.delete(child);
}

/** Spawns `node args` in its own process group; resolves once `pattern` matches a stdout/stderr line. */
function spawnAndWait({ name, args, env, cwd, pattern, timeoutMs, onLine }) {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    detached: true, // own process group: stopped as a whole, and Ctrl-C in a terminal does not hit it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const output = [];
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      finish(
        new Error(`${name} did not start within ${timeoutMs / 1000} s:\n${output.slice(-30).join('\n')}`),
      );
    }, timeoutMs);
    const finish = (err, match) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        stopProcess(child, 1000).finally(() => reject(err));
      } else resolve({ child, match, output });
    };
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        output.push(line);
        if (output.length > 500) output.shift();
        onLine?.(line);
        const m = !done && line.match(pattern);
        if (m) finish(null, m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => finish(err));
    child.once('exit', (code, signal) =>
      finish(
        new Error(`${name} exited (${signal ?? code}) before it was ready:\n${output.slice(-30).join('\n')}`),
      ),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// code-server

export function codeServerInstalled() {
  return existsSync(path.join(CODE_SERVER_DIR, '.install-complete')) && existsSync(ENTRY);
}

/** Runs scripts/install-code-server.sh (idempotent: a no-op once installed). Throws on failure. */
export function ensureCodeServer() {
  if (codeServerInstalled()) return;
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/install-code-server.sh failed (exit ${r.status ?? r.signal})`);
}

/** Runs `node esbuild.mjs` unless `force` is false and the outputs exist. */
export function ensureBuilt({ force = true } = {}) {
  const outputs = ['dist/extension.js', 'out/test/extension/index.js'].map((f) => path.join(ROOT, f));
  if (!force && outputs.every((f) => existsSync(f))) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node esbuild.mjs failed (exit ${r.status ?? r.signal})`);
}

/**
 * Starts code-server on 127.0.0.1 (port 0 = any free port) with a fresh user-data-dir,
 * extensions-dir and config in `stateDir` (a new temp dir unless given).
 * Returns { port, baseUrl, child, stateDir, workbenchUrl(opts), stop() }.
 */
export async function startCodeServer({
  port = 0,
  env = {},
  settings = {},
  stateDir,
  keepState = false,
  timeoutMs = 60000,
  log,
} = {}) {
  if (!existsSync(ENTRY)) throw new Error(`code-server is not installed: run scripts/install-code-server.sh`);
  const ownState = !stateDir;
  stateDir ??= mkdtempSync(path.join(os.tmpdir(), 'solvereign-cs-'));
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const configFile = path.join(stateDir, 'config.yaml');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2),
  );

  const childEnv = { ...process.env, EXTENSIONS_GALLERY: '{}', ...env };
  // Inside a VS Code terminal this would hand the folder to that other instance.
  delete childEnv.VSCODE_IPC_HOOK_CLI;
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];

  const { child, match } = await spawnAndWait({
    name: 'code-server',
    args: [
      ENTRY,
      '--config',
      configFile,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--ignore-last-opened',
    ],
    env: childEnv,
    cwd: stateDir,
    pattern: /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/,
    timeoutMs,
    onLine: log,
  });
  const actualPort = Number(match[1]);
  const baseUrl = `http://127.0.0.1:${actualPort}`;
  await pollHealthz(`${baseUrl}/healthz`, timeoutMs).catch(async (err) => {
    await stopProcess(child);
    throw err;
  });

  return {
    port: actualPort,
    baseUrl,
    child,
    stateDir,
    userDataDir,
    extensionsDir,
    /** Workbench URL for `folder`, with extension development/test paths passed in the `payload`. */
    workbenchUrl({ folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
      const params = new URLSearchParams();
      if (folder) params.set('folder', folder);
      const payload = [];
      const remote = (p) => `vscode-remote://127.0.0.1:${actualPort}${path.resolve(p)}`;
      if (extensionDevelopmentPath)
        payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      payload.push(['skipWelcome', 'true']);
      params.set('payload', JSON.stringify(payload));
      return `${baseUrl}/?${params}`;
    },
    /** Installs a packaged .vsix into this server's extensions dir (a separate short-lived process). */
    installVsix(vsix) {
      const r = spawnSync(
        process.execPath,
        [
          ENTRY,
          '--extensions-dir',
          extensionsDir,
          '--user-data-dir',
          userDataDir,
          '--install-extension',
          vsix,
        ],
        { env: childEnv, encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`--install-extension failed:\n${r.stdout}\n${r.stderr}`);
    },
    async stop() {
      await stopProcess(child);
      if (ownState && !keepState) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function pollHealthz(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not healthy within ${timeoutMs / 1000} s (${last})`);
}

// ---------------------------------------------------------------------------------------------
// Sandbox server (dist/sandbox.js)

export const SANDBOX_ENTRY = path.join(ROOT, 'dist', 'sandbox.js');

/**
 * Starts the SOLVEREIGN sandbox server; resolves { url, port, child, stop() } once it prints
 * `SOLVEREIGN sandbox listening on http://127.0.0.1:PORT`. Returns null when dist/sandbox.js is not built.
 */
export async function startSandbox({
  port = 0,
  db,
  reset = false,
  extraArgs = [],
  env = {},
  log,
  timeoutMs = 30000,
} = {}) {
  if (!existsSync(SANDBOX_ENTRY)) return null;
  const args = [SANDBOX_ENTRY, '--port', String(port)];
  if (db) args.push('--db', db);
  if (reset) args.push('--reset');
  args.push(...extraArgs);
  const { child, match, output } = await spawnAndWait({
    name: 'sandbox',
    args,
    env: { ...process.env, ...env },
    cwd: ROOT,
    pattern: /SOLVEREIGN sandbox listening on (http:\/\/127\.0\.0\.1:(\d+))/,
    timeoutMs,
    onLine: log,
  });
  return { url: match[1], port: Number(match[2]), child, output, stop: () => stopProcess(child) };
}

/**
 * The demo-credentials file the extension reads through env SOLVEREIGN_SANDBOX_CREDENTIALS
 * (`{server, tenant, keys: {role: api key}, tenants}`, demo sign-in): the sandbox's own
 * `credentials.json` beside its database (its demo keys are random per database), or null.
 */
export async function sandboxCredentialsFile(db) {
  const beside = path.join(path.dirname(db), 'credentials.json');
  return existsSync(beside) ? beside : null;
}

/**
 * The demo logins (`{tenant_code, site_code, role, email, password, api_key}`) recorded in a
 * sandbox's credentials file (default env SOLVEREIGN_SANDBOX_CREDENTIALS, which the harnesses set),
 * or null.
 */
export async function demoCredentials(file = process.env.SOLVEREIGN_SANDBOX_CREDENTIALS) {
  if (!file) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).accounts ?? null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium (Debian's) through playwright-core

export function chromiumPath() {
  if (process.env.SOLVEREIGN_CHROMIUM) return process.env.SOLVEREIGN_CHROMIUM;
  const r = spawnSync('bash', ['-c', 'command -v chromium || command -v chromium-browser'], {
    encoding: 'utf8',
  });
  const p = r.stdout.trim().split('\n')[0];
  if (!p) throw new Error('chromium not found: run scripts/install-system-deps.sh');
  return p;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for URLs the tests may load: loopback hosts and in-browser schemes. */
export function isLocalUrl(u) {
  try {
    const url = new URL(u);
    if (
      url.protocol === 'http:' ||
      url.protocol === 'https:' ||
      url.protocol === 'ws:' ||
      url.protocol === 'wss:'
    ) {
      return LOOPBACK.has(url.hostname) || url.hostname.endsWith('.localhost');
    }
    return true; // data:, blob:, vscode-*:, about:
  } catch {
    return false;
  }
}

/**
 * Launches headless Chromium (its own fresh profile) and a first context/page. Every context
 * refuses requests not to loopback. `newContext()` gives a fresh one (empty browser storage: the
 * workbench keeps editors, hot-exit backups and view state there), so one test cannot leak into
 * the next. Returns { browser, context, page, blocked, newContext(), close() }.
 */
export async function launchChromium({
  headless = true,
  viewport = { width: 1400, height: 900 },
  onContext,
} = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const blocked = [];
  const newContext = async () => {
    const context = await browser.newContext({ viewport });
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (isLocalUrl(u)) return route.continue();
      blocked.push(u);
      return route.abort('blockedbyclient');
    });
    onContext?.(context);
    return context;
  };
  try {
    const context = await newContext();
    const page = await context.newPage();
    return {
      browser,
      context,
      page,
      blocked,
      newContext,
      async close() {
        await browser.close().catch(() => {});
      },
    };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}

// Stage `e2e` of scripts/test.mjs: the extension inside a real VS Code (code-server 4.99.4 = VS Code
// 1.99.3) opened in Debian's headless Chromium (shared E2E.md).
//   A. the mocha suites of test/extension/ run inside the extension host (payload URL with
//      extensionDevelopmentPath + extensionTestsPath; output through codeAutomationLog, exit code
//      through codeAutomationExit, counts from the `E2E-STATS {json}` line of test/extension/index.ts);
//   B. UI tests test/e2e/ui/*.mjs drive the workbench; screenshots go to test-results/screenshots/.
//      Every exported async function of such a file is one test, called with
//      { page, wb (test/e2e/workbench.mjs), sandboxUrl, workspace, baseUrl, screenshot(name), skip(reason) };
//      the tests of one file share one workbench page (fresh browser context, own copy of the fixture
//      workspace) and run in alphabetical order of their
//      names (module namespace order); `export const timeout = ms` sets a per-test limit (60 s).
// A sandbox server (dist/sandbox.js) is started first and its URL given to code-server as
// SOLVEREIGN_SANDBOX_URL, and a second one with `--profile live` as SOLVEREIGN_LIVE_SANDBOX_URL.
// Writes {passed, failed, skipped} to $SOLVEREIGN_TEST_STATS.
// Env: SOLVEREIGN_E2E_ONLY=A|B, SOLVEREIGN_E2E_GREP (mocha grep in A, substring of "file: test" in B),
// SOLVEREIGN_E2E_BUDGET seconds (default 1500: CI has 90 minutes), SOLVEREIGN_E2E_HEADED=1.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import {
  ensureBuilt,
  ensureCodeServer,
  launchChromium,
  ROOT,
  SANDBOX_ENTRY,
  sandboxCredentialsFile,
  startCodeServer,
  startSandbox,
} from '../support/code-server.mjs';
import * as wb from './workbench.mjs';

const started = Date.now();
const budgetMs = Number(process.env.SOLVEREIGN_E2E_BUDGET ?? 1500) * 1000;
const only = (process.env.SOLVEREIGN_E2E_ONLY ?? '').toUpperCase();
const grep = process.env.SOLVEREIGN_E2E_GREP ?? '';
const resultsDir = path.join(ROOT, 'test-results', 'e2e');
const screenshotsDir = path.join(ROOT, 'test-results', 'screenshots');
const stats = { passed: 0, failed: 0, skipped: 0 };
const report = []; // summary lines printed at the end
const cleanups = []; // run in reverse order, whatever happened
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[e2e ${secs(Date.now() - started).padStart(7)}]`, ...a);

class Skip extends Error {}

function fail(what, err) {
  stats.failed += 1;
  report.push(`FAIL ${what}: ${err?.message ?? err}`);
  console.error(`\n✗ ${what}\n${err?.stack ?? err}\n`);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${secs(ms)}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// The budget counts from the end of the one-time install and the build (armBudget), not from the start.
let budgetStart = Date.now();
const remaining = () => budgetMs - (Date.now() - budgetStart);
function armBudget() {
  budgetStart = Date.now();
  const watchdog = setTimeout(() => {
    fail('run', new Error(`time budget of ${secs(budgetMs)} exceeded`));
    finish().finally(() => process.exit(1));
  }, budgetMs + 20000);
  watchdog.unref();
}

async function cleanup() {
  while (cleanups.length) {
    const [name, fn] = cleanups.pop();
    try {
      await withTimeout(Promise.resolve().then(fn), 15000, `cleanup ${name}`);
    } catch (err) {
      console.error(`cleanup ${name}: ${err.message}`);
    }
  }
}

let finished = false;
async function finish() {
  if (finished) return;
  finished = true;
  await cleanup();
  const file = process.env.SOLVEREIGN_TEST_STATS;
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stats));
  }
  console.log('\n--- e2e report ---');
  for (const line of report) console.log(line);
  console.log(
    `e2e: ${stats.passed} passed, ${stats.failed} failed, ${stats.skipped} skipped (${secs(Date.now() - started)})`,
  );
  process.exitCode = stats.failed > 0 ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    fail('run', new Error(`interrupted by ${sig}`));
    finish().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------

async function setUp() {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync(screenshotsDir, { recursive: true });

  log('ensuring code-server is installed');
  ensureCodeServer();
  log('building (node esbuild.mjs)');
  ensureBuilt();
  const testsEntry = path.join(ROOT, 'out', 'test', 'extension', 'index.js');
  if (!existsSync(testsEntry)) throw new Error(`${testsEntry} missing after the build`);
  armBudget();

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'solvereign-e2e-'));
  cleanups.push(['temp dir', () => rmSync(tmp, { recursive: true, force: true })]);
  const workspace = path.join(tmp, 'workspace');
  cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

  let sandboxUrl = '';
  let liveSandboxUrl = '';
  let credentialsFile = null;
  if (existsSync(SANDBOX_ENTRY)) {
    const sandboxLog = [];
    const db = path.join(tmp, 'sandbox', 'sandbox.db');
    mkdirSync(path.dirname(db), { recursive: true });
    const sandbox = await startSandbox({
      db,
      reset: true,
      log: (l) => sandboxLog.push(l),
    });
    cleanups.push([
      'sandbox',
      async () => {
        await sandbox.stop();
        writeFileSync(path.join(resultsDir, 'sandbox.log'), sandboxLog.join('\n'));
      },
    ]);
    sandboxUrl = sandbox.url;
    credentialsFile = await sandboxCredentialsFile(db);
    // The UI steps (this process) read the demo keys from it too: they are random per sandbox.
    if (credentialsFile) process.env.SOLVEREIGN_SANDBOX_CREDENTIALS = credentialsFile;
    log(`sandbox listening on ${sandboxUrl}`);
    // A second sandbox as live SOLVEREIGN is deployed (`--profile live`): the suites that connect
    // without signing in use it.
    const liveLog = [];
    const liveDb = path.join(tmp, 'live-sandbox', 'sandbox.db');
    mkdirSync(path.dirname(liveDb), { recursive: true });
    const live = await startSandbox({
      db: liveDb,
      reset: true,
      extraArgs: ['--profile', 'live', '--seed-engine', 'synthetic', '--quiet'],
      log: (l) => liveLog.push(l),
    });
    cleanups.push([
      'live-profile sandbox',
      async () => {
        await live.stop();
        writeFileSync(path.join(resultsDir, 'live-sandbox.log'), liveLog.join('\n'));
      },
    ]);
    liveSandboxUrl = live.url;
    log(`live-profile sandbox listening on ${liveSandboxUrl}`);
  } else {
    log('dist/sandbox.js is not built yet (src/sandbox/main.ts missing): running without a sandbox');
    report.push('note: no sandbox server (dist/sandbox.js not built); tests needing it skip');
  }

  const csLog = [];
  const cs = await startCodeServer({
    env: {
      SOLVEREIGN_SANDBOX_URL: sandboxUrl || undefined,
      SOLVEREIGN_SANDBOX_CREDENTIALS: credentialsFile ?? undefined,
      SOLVEREIGN_LIVE_SANDBOX_URL: liveSandboxUrl || undefined,
      SOLVEREIGN_E2E: '1',
    },
    log: (l) => csLog.push(l),
  });
  cleanups.push([
    'code-server',
    async () => {
      await cs.stop();
      writeFileSync(path.join(resultsDir, 'code-server.log'), csLog.join('\n'));
    },
  ]);
  log(`code-server listening on ${cs.baseUrl}`);

  const consoleLines = [];
  const chromium = await launchChromium({
    headless: process.env.SOLVEREIGN_E2E_HEADED !== '1',
    onContext: (context) =>
      context.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`[${m.type()}] ${m.text()}`);
      }),
  });
  cleanups.push(['chromium', () => chromium.close()]);
  cleanups.push([
    'browser console log',
    () => writeFileSync(path.join(resultsDir, 'browser-console.log'), consoleLines.join('\n')),
  ]);
  return { cs, chromium, tmp, workspace, sandboxUrl, testsEntry };
}

// ---------------------------------------------------------------------------------------------
// Approach A: the mocha suites inside the extension host

/** Workbench log lines that say nothing about the tests (they stay in extension-host.log). */
const WORKBENCH_NOISE =
  /^(?:Ignoring fetching additional builtin|Updating additional builtin|Creating a socket|Resolv(?:ing|ed) connection token|\[Service Worker\]|ChatSessionStore)/;

async function approachA({ cs, chromium, workspace, testsEntry }) {
  const page = chromium.page;
  const lines = [];
  let reported = null;
  let begun = false; // workbench chatter before the suites start goes to the log file only
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = Array.isArray(args) ? format(...args) : String(args);
    for (const line of text.split('\n')) {
      lines.push(line);
      const m = line.match(/E2E-STATS (\{.*\})/);
      if (m) reported = JSON.parse(m[1]);
      else if (line === 'E2E-BEGIN') begun = true;
      else if ((begun || level === 'error') && !WORKBENCH_NOISE.test(line)) console.log(`  │ ${line}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const url = cs.workbenchUrl({
    folder: workspace,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: testsEntry,
  });
  log('A: extension-host suites (mocha inside VS Code)');
  const t0 = Date.now();
  try {
    // Under load code-server's first page takes longer than playwright's 30 s default.
    await page.goto(url, { timeout: 180_000 });
    const code = await withTimeout(exited, remaining(), 'extension-host suites');
    writeFileSync(path.join(resultsDir, 'extension-host.log'), `${lines.join('\n')}\n`);
    if (!reported)
      throw new Error(`the suite exited (${code}) without an E2E-STATS line; see test-results/e2e/`);
    stats.passed += reported.passed;
    stats.failed += reported.failed;
    stats.skipped += reported.skipped ?? 0;
    for (const f of reported.failures ?? []) report.push(`FAIL A ${f}`);
    report.push(
      `${reported.failed ? 'FAIL' : 'ok  '} A extension host: ${reported.passed} passed, ${reported.failed} failed, ${reported.skipped ?? 0} skipped, exit ${code} (${secs(Date.now() - t0)})`,
    );
    if (code !== 0 && reported.failed === 0) throw new Error(`exit code ${code} with no failed test`);
  } catch (err) {
    writeFileSync(path.join(resultsDir, 'extension-host.log'), `${lines.join('\n')}\n`);
    await page.screenshot({ path: path.join(screenshotsDir, 'approach-a-failure.png') }).catch(() => {});
    fail('A extension-host suites', err);
  } finally {
    await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Approach B: UI tests, one fresh workbench per file

function uiTestFiles() {
  const dir = path.join(import.meta.dirname, 'ui');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort()
    .map((f) => path.join(dir, f));
}

async function approachB({ cs, chromium, tmp, sandboxUrl }) {
  const files = uiTestFiles();
  log(`B: UI tests (${files.length} file${files.length === 1 ? '' : 's'})`);
  for (const file of files) {
    const base = path.basename(file, '.mjs');
    const mod = await import(pathToFileURL(file).href);
    const tests = Object.entries(mod).filter(
      ([name, fn]) => typeof fn === 'function' && (!grep || `${base}: ${name}`.includes(grep)),
    );
    if (tests.length === 0) continue;
    // Each file: its own copy of the fixture workspace and a fresh browser context (no editors,
    // backups or view state left by approach A or by another file).
    const workspace = path.join(tmp, `workspace-${base}`);
    cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    const context = await chromium.newContext();
    const page = await context.newPage();
    try {
      // The workbench's scripts take well over Playwright's default 30 s on a busy 2-core machine.
      await page.goto(cs.workbenchUrl({ folder: workspace, extensionDevelopmentPath: ROOT }), {
        timeout: Math.min(90000, remaining()),
      });
      await wb.waitForWorkbench(page, Math.min(60000, remaining()));
    } catch (err) {
      await page
        .screenshot({ path: path.join(screenshotsDir, `${base}-workbench-failure.png`) })
        .catch(() => {});
      await context.close().catch(() => {});
      for (const [name] of tests)
        fail(`B ${base}: ${name}`, new Error(`workbench did not load: ${err.message}`));
      continue;
    }
    for (const [name, fn] of tests) {
      const title = `B ${base}: ${name}`;
      const t0 = Date.now();
      const ctx = {
        page,
        wb,
        sandboxUrl,
        workspace,
        baseUrl: cs.baseUrl,
        screenshot: async (shot) => {
          const p = path.join(screenshotsDir, `${shot}.png`);
          await page.screenshot({ path: p });
          return p;
        },
        skip: (reason) => {
          throw new Skip(reason);
        },
      };
      try {
        if (remaining() < 5000) throw new Error('time budget used up before this test');
        await withTimeout(
          Promise.resolve().then(() => fn(ctx)),
          Math.min(Number(mod.timeout ?? 60000), remaining()),
          title,
        );
        stats.passed += 1;
        report.push(`ok   ${title} (${secs(Date.now() - t0)})`);
        console.log(`  ✓ ${base}: ${name} (${secs(Date.now() - t0)})`);
      } catch (err) {
        if (err instanceof Skip) {
          // A test that cannot run is a broken set-up, not a pass: count it as a failure.
          stats.failed += 1;
          report.push(`FAIL ${title}: could not run: ${err.message}`);
          console.log(`  ✗ ${base}: ${name} (could not run: ${err.message})`);
          continue;
        }
        await page
          .screenshot({ path: path.join(screenshotsDir, `${base}-${name}-failure.png`) })
          .catch(() => {});
        fail(title, err);
      }
    }
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

try {
  const env = await setUp();
  if (only !== 'B') await approachA(env);
  if (only !== 'A') await approachB(env);
} catch (err) {
  fail('e2e set-up', err);
} finally {
  await finish();
}

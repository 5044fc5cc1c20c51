// `npm run demo`: the extension in a real VS Code in your browser, talking to the local sandbox server.
// Installs what is missing (Debian packages, code-server 4.99.4 into .vscode-test/), builds, starts the
// sandbox (persistent database under .sandbox/), starts code-server on 127.0.0.1 with the extension
// loaded from this repository, prints the URL and the demo logins, and runs until Ctrl-C.
//
//   node scripts/demo.mjs [--port N] [--sandbox-port N] [--reset] [--check]
//     --port N          code-server on 127.0.0.1:N (default: any free port)
//     --sandbox-port N  sandbox on 127.0.0.1:N (default: any free port)
//     --reset           start the sandbox from a fresh database (and a fresh demo workspace)
//     --check           start everything, load the URL once in headless Chromium, screenshot the
//                       SOLVEREIGN view to test-results/screenshots/demo.png, stop (exit 0 = demo works)
//
// The extension is loaded unpacked (extensionDevelopmentPath in the URL's `payload`) rather than
// installed from a packaged .vsix: no packaging step, the demo always shows the current build, and
// the extension resolves its native dependency (better-sqlite3) from the repository's node_modules,
// which a `vsce package --no-dependencies` .vsix does not contain.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  demoCredentials,
  ensureBuilt,
  ensureCodeServer,
  launchChromium,
  ROOT,
  SANDBOX_ENTRY,
  sandboxCredentialsFile,
  startCodeServer,
  startSandbox,
  stopProcess,
} from '../test/support/code-server.mjs';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'sandbox-port': { type: 'string', default: '0' },
    reset: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log('usage: node scripts/demo.mjs [--port N] [--sandbox-port N] [--reset] [--check]');
  process.exit(0);
}
const port = Number(opts.port);
const sandboxPort = Number(opts['sandbox-port']);
for (const [name, n] of [
  ['--port', port],
  ['--sandbox-port', sandboxPort],
]) {
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number`);
    process.exit(2);
  }
}

const stateRoot = path.join(ROOT, '.sandbox');
const workspace = path.join(stateRoot, 'demo-workspace');
const say = (...a) => console.log('[demo]', ...a);
const stops = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  while (stops.length) {
    const [name, fn] = stops.pop();
    try {
      await fn();
    } catch (err) {
      console.error(`[demo] stopping ${name}: ${err.message}`);
    }
  }
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (!stopping) say(`${sig}: stopping`);
    stopAll(opts.check ? 1 : 0);
  });
}

function printBanner({ url, sandboxUrl, credentials }) {
  const line = '─'.repeat(78);
  const out = [line, ' SOLVEREIGN Ops demo', line, ` Open in your browser:\n   ${url}`, ''];
  out.push(
    ` Workspace:  ${path.relative(ROOT, workspace)}/  (week.forecast, .claude/state/active-incidents.json)`,
  );
  out.push(
    sandboxUrl
      ? ` Sandbox:    ${sandboxUrl}  (database ${path.relative(ROOT, path.join(stateRoot, 'demo.db'))}; --reset for a fresh one)`
      : ' Sandbox:    not running (dist/sandbox.js is not built yet)',
  );
  if (credentials?.length) {
    out.push('', ' Demo logins (password for every user):', `   password: ${credentials[0].password}`);
    for (const c of credentials) {
      out.push(
        `   ${`${c.tenant_code}/${c.site_code}`.padEnd(13)} ${c.role.padEnd(15)} ${c.email.padEnd(24)} ${c.api_key}`,
      );
    }
    out.push('   (columns: tenant/site, role, e-mail, API key)');
  }
  out.push('', ' The server listens on 127.0.0.1 only. From another machine: ssh -L PORT:127.0.0.1:PORT.');
  out.push(opts.check ? ' --check: loading it once in headless Chromium.' : ' Ctrl-C stops everything.');
  out.push(line);
  console.log(out.join('\n'));
}

async function check(url) {
  const { SELECTORS, viewContainers, waitForWorkbench, openViewContainer, waitForTree, treeLabels } =
    await import('../test/e2e/workbench.mjs');
  const chromium = await launchChromium();
  stops.push(['chromium', () => chromium.close()]);
  const { page } = chromium;
  const shot = path.join(ROOT, 'test-results', 'screenshots', 'demo.png');
  mkdirSync(path.dirname(shot), { recursive: true });
  let ok = true;
  try {
    await page.goto(url);
    await waitForWorkbench(page, 60000);
    const container = viewContainers().find((c) => /solvereign/i.test(`${c.id} ${c.title}`));
    if (container) {
      await openViewContainer(page, container.title);
      const labels = await waitForTree(page, { min: 1, timeout: 30000 }).catch((err) => {
        ok = false;
        say(`the SOLVEREIGN view shows no tree rows: ${err.message.split('\n')[0]}`);
        return [];
      });
      if (labels.length) {
        // Let the views fill in (sign-in, first requests) before the picture.
        await page.mouse.move(700, 300);
        await page.waitForTimeout(3000);
        const rows = await treeLabels(page);
        say(
          `SOLVEREIGN view: ${rows.length} rows: ${rows.slice(0, 6).join(' | ')}${rows.length > 6 ? ' | …' : ''}`,
        );
      }
    } else {
      say('package.json contributes no SOLVEREIGN view container yet: screenshot of the workbench');
      await page.waitForSelector(SELECTORS.sidebarTitle, { timeout: 15000 }).catch(() => {});
    }
  } catch (err) {
    ok = false;
    say(`check failed: ${err.message}`);
  }
  await page.screenshot({ path: shot }).catch(() => {});
  if (chromium.blocked.length) say(`blocked non-loopback requests: ${chromium.blocked.length}`);
  say(`screenshot: ${path.relative(ROOT, shot)}`);
  return ok;
}

try {
  ensureCodeServer();
  say('building (node esbuild.mjs)');
  ensureBuilt();

  mkdirSync(stateRoot, { recursive: true });
  if (opts.reset) rmSync(workspace, { recursive: true, force: true });
  if (!existsSync(workspace)) {
    cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    redateIncidents(path.join(workspace, '.claude', 'state', 'active-incidents.json'));
    say(`created ${path.relative(ROOT, workspace)}/`);
  }

  let sandboxUrl = '';
  let credentialsFile = null;
  if (existsSync(SANDBOX_ENTRY)) {
    const db = path.join(stateRoot, 'demo.db');
    const sandbox = await startSandbox({
      port: sandboxPort,
      db,
      reset: opts.reset,
      timeoutMs: 120000,
    });
    stops.push(['sandbox', () => sandbox.stop()]);
    sandboxUrl = sandbox.url;
    credentialsFile = await sandboxCredentialsFile(db);
    sandbox.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        `[demo] the sandbox exited (${signal ?? code}):\n${sandbox.output.slice(-20).join('\n')}`,
      );
      stopAll(1);
    });
  } else {
    say('dist/sandbox.js is not built yet (src/sandbox/main.ts missing): starting without a sandbox');
  }

  const cs = await startCodeServer({
    port,
    stateDir: path.join(stateRoot, 'code-server'),
    env: {
      SOLVEREIGN_SANDBOX_URL: sandboxUrl || undefined,
      SOLVEREIGN_SANDBOX_CREDENTIALS: credentialsFile ?? undefined,
    },
  });
  stops.push(['code-server', () => stopProcess(cs.child)]);
  cs.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[demo] code-server exited (${signal ?? code})`);
    stopAll(1);
  });

  const url = cs.workbenchUrl({ folder: workspace, extensionDevelopmentPath: ROOT });
  printBanner({
    url,
    sandboxUrl,
    credentials: credentialsFile ? await demoCredentials(credentialsFile) : null,
  });

  if (opts.check) {
    const ok = await check(url);
    say(ok ? 'check passed' : 'check FAILED');
    await stopAll(ok ? 0 : 1);
  }
  // Otherwise: run until a signal arrives (the server processes keep the event loop alive).
} catch (err) {
  console.error(`[demo] ${err.stack ?? err}`);
  await stopAll(1);
}

/**
 * The fixture's incidents carry fixed dates (tests need them); a new user would be greeted by a
 * months-old overdue incident. Shift every time so the newest incident opened 40 minutes ago.
 */
function redateIncidents(file) {
  if (!existsSync(file)) return;
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const newest = Math.max(...doc.incidents.map((i) => Date.parse(i.created_at)));
  const shift = Date.now() - 40 * 60_000 - newest;
  const moved = (t) => (t ? new Date(Date.parse(t) + shift).toISOString().replace(/\.\d{3}Z$/, 'Z') : t);
  for (const i of doc.incidents) {
    for (const k of ['created_at', 'updated_at', 'resolved_at']) if (i[k]) i[k] = moved(i[k]);
    i.id = i.id.replace(/^INC-\d{8}/, `INC-${i.created_at.slice(0, 10).replaceAll('-', '')}`);
  }
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}

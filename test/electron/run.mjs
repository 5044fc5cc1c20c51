// `npm run test:electron`: the extension-host suites of test/extension/ in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (or have one: set
// SOLVEREIGN_VSCODE_EXECUTABLE to its binary). Machines without internet run the same suites in
// code-server instead (`npm run test:e2e`). On Linux without a display, run it under xvfb-run.
// Env: SOLVEREIGN_VSCODE_VERSION (default 1.99.3, the manifest's engine floor).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import {
  ROOT,
  SANDBOX_ENTRY,
  sandboxCredentialsFile,
  startSandbox,
  stopProcess,
} from '../support/code-server.mjs';

const version = process.env.SOLVEREIGN_VSCODE_VERSION ?? '1.99.3';
const extensionTestsPath = path.join(ROOT, 'out', 'test', 'extension', 'index.js');
if (!existsSync(extensionTestsPath)) {
  console.error(`${path.relative(ROOT, extensionTestsPath)} is missing: run \`node esbuild.mjs\` first`);
  process.exit(2);
}

class CannotDownload extends Error {}

async function vscodeExecutable() {
  if (process.env.SOLVEREIGN_VSCODE_EXECUTABLE) return process.env.SOLVEREIGN_VSCODE_EXECUTABLE;
  const cachePath = path.join(ROOT, '.vscode-test');
  mkdirSync(cachePath, { recursive: true });
  console.log(`getting VS Code ${version} (cached under .vscode-test/)`);
  const download = downloadAndUnzipVSCode({ version, cachePath, timeout: 15000 });
  // No answer at all within 60 s (e.g. packets silently dropped) counts as "cannot download".
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('no progress for 60 s')), 60000);
  });
  try {
    return await Promise.race([download, timeout]);
  } catch (err) {
    console.error(
      [
        '',
        `test:electron: could not download VS Code ${version}: ${err?.message ?? err}`,
        'This machine cannot reach the VS Code download servers (expected on machines limited to the',
        'npm and Debian registries). Run the same suites in code-server instead: `npm run test:e2e`,',
        'or point SOLVEREIGN_VSCODE_EXECUTABLE at an installed VS Code binary.',
      ].join('\n'),
    );
    throw new CannotDownload();
  } finally {
    clearTimeout(timer);
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'solvereign-electron-'));
let sandbox = null;
let credentialsFile = null;
let exitCode = 1;
try {
  const vscodeExecutablePath = await vscodeExecutable();
  const workspace = path.join(tmp, 'workspace');
  cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  if (existsSync(SANDBOX_ENTRY)) {
    const db = path.join(tmp, 'sandbox', 'sandbox.db');
    mkdirSync(path.dirname(db), { recursive: true });
    sandbox = await startSandbox({ db, reset: true });
    credentialsFile = await sandboxCredentialsFile(db);
    // The UI steps (this process) read the demo keys from it too: they are random per sandbox.
    if (credentialsFile) process.env.SOLVEREIGN_SANDBOX_CREDENTIALS = credentialsFile;
    console.log(`sandbox listening on ${sandbox.url}`);
  } else {
    console.log('dist/sandbox.js is not built: running without a sandbox');
  }
  const launchArgs = [
    workspace,
    '--user-data-dir',
    path.join(tmp, 'user-data'),
    '--extensions-dir',
    path.join(tmp, 'extensions'),
    '--disable-workspace-trust',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-telemetry',
  ];
  if (process.getuid?.() === 0) launchArgs.push('--no-sandbox');
  exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    launchArgs,
    extensionTestsEnv: {
      SOLVEREIGN_SANDBOX_URL: sandbox?.url ?? '',
      SOLVEREIGN_SANDBOX_CREDENTIALS: credentialsFile ?? '',
      SOLVEREIGN_E2E: '1',
    },
  });
} catch (err) {
  if (err instanceof CannotDownload) exitCode = 3;
  else {
    console.error(`test:electron failed: ${err?.message ?? err}`);
    exitCode = typeof err === 'number' ? err : 1;
  }
} finally {
  if (sandbox) await stopProcess(sandbox.child);
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);

// What a CLI call loads at start is what every call pays (each Node built-in module is milliseconds):
// a kill-switch toggle against the http sandbox loads Node's http stack and nothing it does not
// use: no TLS, no crypto, no zlib, no perf_hooks, no os, no http2, no standard input, no roster
// engine or sandbox bundle.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';

const BIN = path.resolve(__dirname, '../../bin/solvereign.js');

describe('solvereign command: what a call loads', function () {
  this.timeout(60_000);
  let dir: string;
  let sandbox: SandboxHandle;
  let probe: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-cli-startup-'));
    sandbox = await startSandbox({
      dbPath: path.join(dir, 'db.sqlite'),
      port: 0,
      reset: true,
      seedEngine: 'synthetic',
    });
    // Preloaded into the CLI's process: at exit, the built-in modules and files it loaded.
    probe = path.join(dir, 'probe.js');
    writeFileSync(
      probe,
      `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify({
        builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
        files: Object.keys(require.cache),
      }) + '\\n'));`,
    );
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronously: the sandbox answers from this process.
  const loadedBy = async (args: string[]) => {
    const key = sandbox.demoCredentials.find((c) => c.role === 'platform_admin' && c.tenant_code === 'lts')!;
    // Standard input from /dev/null, as under cron or CI: a file, which Node reads as an fs stream.
    const child = spawn(process.execPath, ['-r', probe, BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        XDG_CACHE_HOME: path.join(dir, 'cache'),
        SOLVEREIGN_SERVER: sandbox.url,
        SOLVEREIGN_API_KEY: key.api_key,
      },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const r = { status: code, stderr };
    assert.equal(r.status, 0, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
    assert.ok(line, r.stderr);
    return JSON.parse(line.slice(7)) as { builtins: string[]; files: string[] };
  };

  it('a kill-switch toggle loads the http stack only', async () => {
    for (const action of ['disable', 'enable']) {
      const { builtins, files } = await loadedBy([
        'kill-switch',
        action,
        '--mode',
        'drill',
        '--reason',
        `startup probe ${action}`,
      ]);
      assert.ok(builtins.includes('http'), builtins.join(' '));
      for (const unused of ['crypto', 'perf_hooks', 'os', 'tls', 'https', 'http2', 'worker_threads', 'zlib'])
        assert.ok(!builtins.includes(unused), `${action} loaded node:${unused}`);
      // Standard input is never read by a toggle: touching process.stdin builds a stream and loads
      // fs/promises and readline with it.
      for (const unused of ['internal/fs/promises', 'internal/readline/interface'])
        assert.ok(!builtins.includes(unused), `${action} loaded ${unused}`);
      // One bundle: no roster engine, no sandbox.
      assert.deepEqual(
        files.filter((f) => f !== probe).map((f) => path.basename(f)),
        [path.basename(BIN)],
      );
    }
  });
});

// Kill-switch toggle round trip against the sandbox (SP-005's "< 5 s per toggle"): disable + verify +
// enable + verify, through the CLI process (what an engineer types) and in-process (the client the
// extension uses). Targets: p99 ≤ 100 ms per toggle via the CLI process, ≤ 20 ms in-process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTs, printTable, root, startSandbox, stats } from './support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const sandbox = await startSandbox();
// The command as installed (bin/solvereign.js), its code cache in a folder of its own.
const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'sv-bench-cache-'));
const env = {
  ...process.env,
  XDG_CACHE_HOME: cacheHome,
  SOLVEREIGN_API_KEY: sandbox.credentials.keys.dispatcher,
  SOLVEREIGN_SERVER: sandbox.url,
};
const cli = (args) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(root, 'bin/solvereign.js'), ...args], {
    env,
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`solvereign ${args.join(' ')} -> ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
};

try {
  const toggleCli = [];
  const verifyCli = [];
  const roundCli = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    for (const action of ['disable', 'enable']) {
      toggleCli.push(
        cli(['kill-switch', action, '--mode', 'drill', '--reason', `bench toggle ${action} ${i}`]).ms,
      );
      const v = cli(['--json', 'kill-switch', 'status']);
      verifyCli.push(v.ms);
      if (JSON.parse(v.out).kill_switch_active !== (action === 'disable')) throw new Error('verify failed');
    }
    roundCli.push(performance.now() - t0);
  }

  // The floor: starting a Node process that does nothing, on this machine.
  const bareNode = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bareNode.push(performance.now() - t0);
  }

  const { SolvereignClient } = await loadTs('src/api/client.ts');
  const { ApiKeyAuth } = await loadTs('src/api/auth.ts');
  const client = new SolvereignClient({
    baseUrl: sandbox.url,
    tenant: 'lts',
    site: 'wien',
    auth: new ApiKeyAuth(sandbox.credentials.keys.dispatcher),
  });
  await client.status(); // warm the connection, as the extension's is
  const toggleIn = [];
  const verifyIn = [];
  const roundIn = [];
  for (let i = 0; i < ROUNDS * 5; i++) {
    const t0 = performance.now();
    for (const action of ['disable', 'enable']) {
      const t1 = performance.now();
      await client.killSwitch({ action, mode: 'drill', reason: `bench in-process ${action} ${i}` });
      toggleIn.push(performance.now() - t1);
      const t2 = performance.now();
      const s = await client.status();
      verifyIn.push(performance.now() - t2);
      if (s.kill_switch_active !== (action === 'disable')) throw new Error('verify failed');
    }
    roundIn.push(performance.now() - t0);
  }

  const row = (what, values) => ({ measure: what, ...stats(values) });
  printTable([
    row('bare `node -e 0` process, the floor (ms)', bareNode),
    row('CLI process: toggle (ms)', toggleCli),
    row('CLI process: verify status (ms)', verifyCli),
    row('CLI process: round trip, 2 toggles + 2 verifies (ms)', roundCli),
    row('in-process: toggle (ms)', toggleIn),
    row('in-process: verify status (ms)', verifyIn),
    row('in-process: round trip (ms)', roundIn),
  ]);
  console.log(
    `\ntargets: CLI toggle p99 ≤ 100 ms (${stats(toggleCli).p99.toFixed(1)}), in-process toggle p99 ≤ 20 ms (${stats(toggleIn).p99.toFixed(1)}); runbook limit 5000 ms; live SOLVEREIGN's toggle: 88 ms per process`,
  );
} finally {
  await sandbox.stop();
  rmSync(cacheHome, { recursive: true, force: true });
}

// Each `solvereign` command as a process (what an engineer types: bin/solvereign.js, with its code
// cache warmed by one run per command), next to a bare `node -e 0`, next to one plain node:http
// GET with no client at all (the floor of any command that asks a server), and next to the figures
// the README showed before the CLI was split into lazily loaded commands. Rounds are interleaved so
// a busy machine slows every row alike; the load average is printed with the table.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printTable, root, startSandbox, stats } from './support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
/**
 * What the README showed before: p50 and p99 of the first CLI (quiet machine, bare Node 66-77 ms),
 * and the p50 above bare Node of 2026-11-30 (bare Node 116 ms that day), the figure to compare
 * with the `p50 - bare node` column.
 */
const BEFORE = {
  'one node:http GET, no client (floor)': { overBare: 19 },
  'kill-switch disable|enable (toggle)': { p50: 119, p99: 154, overBare: 79 },
};

const sandbox = await startSandbox();
const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'sv-bench-cache-'));
const forecast = path.join(cacheHome, 'forecast.txt');
writeFileSync(forecast, 'Mo 06:00-14:00\nDi 06:00-14:00 x2\nMi 14:00-22:00\n');
const env = {
  ...process.env,
  SOLVEREIGN_API_KEY: sandbox.credentials.keys.dispatcher,
  SOLVEREIGN_SERVER: sandbox.url,
  XDG_CACHE_HOME: cacheHome,
};
const bin = path.join(root, 'bin/solvereign.js');
const floor = `require('node:http').get(new URL('/api/v1/platform/dispatcher/status', process.env.SOLVEREIGN_SERVER),
  { headers: { 'X-API-Key': process.env.SOLVEREIGN_API_KEY, 'X-Tenant-Code': 'lts', 'X-Site-Code': 'wien' } },
  (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => JSON.parse(b)); });`;

let toggle = 0;
const rows = [
  { what: 'bare `node -e 0`', args: () => ['-e', '0'] },
  { what: 'one node:http GET, no client (floor)', args: () => ['-e', floor] },
  { what: '--version', args: () => [bin, '--version'] },
  { what: 'status', args: () => [bin, 'status'] },
  { what: 'kill-switch status', args: () => [bin, 'kill-switch', 'status'] },
  {
    what: 'kill-switch disable|enable (toggle)',
    args: () => {
      const action = toggle++ % 2 === 0 ? 'disable' : 'enable';
      return [bin, 'kill-switch', action, '--mode', 'drill', '--reason', `bench toggle ${action} ${toggle}`];
    },
  },
  {
    what: 'kill-switch toggle, no code cache (dist/cli.js)',
    args: () => {
      const action = toggle++ % 2 === 0 ? 'disable' : 'enable';
      return [
        path.join(root, 'dist/cli.js'),
        'kill-switch',
        action,
        '--mode',
        'drill',
        '--reason',
        `bench toggle ${action} ${toggle}`,
      ];
    },
  },
  { what: 'list-runs', args: () => [bin, 'list-runs'] },
  // The seeded history holds FAIL runs, so SP-001's verdict is FAIL (exit 1): still a full run.
  { what: 'health', args: () => [bin, 'health'], exitCodes: [0, 1] },
  { what: 'forecast check (offline)', args: () => [bin, 'forecast', 'check', forecast] },
];

const time = (args, exitCodes = [0]) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (!exitCodes.includes(r.status)) throw new Error(`node ${args.join(' ')} -> ${r.status}: ${r.stderr}`);
  return ms;
};

try {
  for (const r of rows) time(r.args(), r.exitCodes); // warms the code cache of each command
  const samples = rows.map(() => []);
  for (let i = 0; i < ROUNDS; i++) {
    for (const [j, r] of rows.entries()) samples[j].push(time(r.args(), r.exitCodes));
  }
  const bare = stats(samples[0]);
  printTable(
    rows.map((r, j) => {
      const s = stats(samples[j]);
      return {
        'process (ms)': r.what,
        p50: s.p50,
        p99: s.p99,
        'p50 - bare node': j === 0 ? '' : s.p50 - bare.p50,
        'README before (p50 / p99)': BEFORE[r.what]?.p50
          ? `${BEFORE[r.what].p50} / ${BEFORE[r.what].p99}`
          : '',
        'README 2026-11-30 (p50 - bare)': BEFORE[r.what]?.overBare ?? '',
      };
    }),
  );
  const [l1, l5] = os.loadavg();
  console.log(
    `\n${ROUNDS} rounds on ${os.cpus().length} cores, load average ${l1.toFixed(1)} / ${l5.toFixed(1)} (1 / 5 min). Goal: kill-switch toggle within 15 ms of bare node.`,
  );
} finally {
  await sandbox.stop();
  rmSync(cacheHome, { recursive: true, force: true });
}

// Sandbox server benchmark against the bundled dist/sandbox.js (built first when missing):
// start-up (fresh database with seed, and restart on an existing one), request latency p50/p99 for
// GET status and the kill-switch toggle, and run-list paging on a site with 10,000 runs.
// Usage: node bench/sandbox.bench.mjs [--requests N]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const entry = path.join(root, 'dist', 'sandbox.js');
if (!existsSync(entry)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
const argIdx = process.argv.indexOf('--requests');
const N = argIdx > 0 ? Number(process.argv[argIdx + 1]) : 500;
const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-bench-'));

/** Starts dist/sandbox.js; resolves with {url, ms, child} once it prints its listening line. */
function start(args) {
  const t = performance.now();
  const child = spawn(process.execPath, [entry, '--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], ms: performance.now() - t, child });
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function timed(n, f) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    times.push(performance.now() - t);
  }
  return times;
}

// The demo keys are random per database: read them from the credentials file the sandbox last
// started writes beside its database (every database here lives in `dir`).
const demoKey = (tenant, role) =>
  JSON.parse(readFileSync(path.join(dir, 'credentials.json'), 'utf8')).tenants[tenant][role];
const headers = (role) => ({
  Authorization: `Bearer ${demoKey('lts', role)}`,
  'X-Tenant-Code': 'lts',
  'X-Site-Code': 'wien',
  'Content-Type': 'application/json',
});

const rows = [];
const row = (metric, value, note = '') => rows.push({ metric, value, note });
const fmt = (ms) => `${ms.toFixed(2)} ms`;

try {
  const db = path.join(dir, 'bench.db');
  const fresh = await start(['--db', db, '--reset']);
  row('start-up, fresh database (migrate + seed)', fmt(fresh.ms), 'process spawn to listening line');
  await stop(fresh.child);
  const again = await start(['--db', db]);
  row('start-up, existing database', fmt(again.ms), 'restart: no seed');
  row('seed time (difference)', fmt(Math.max(0, fresh.ms - again.ms)));
  const url = again.url;

  const h = headers('dispatcher');
  const status = await timed(N, async () => {
    const r = await fetch(`${url}/api/v1/platform/dispatcher/status`, { headers: h });
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    await r.arrayBuffer();
  });
  row('GET status p50', fmt(pct(status, 50)), `${N} sequential requests`);
  row('GET status p99', fmt(pct(status, 99)));

  const hl = headers('ops_lead');
  const toggle = await timed(N, async (i) => {
    const action = i % 2 === 0 ? 'disable' : 'enable';
    const r = await fetch(`${url}/api/v1/platform/dispatcher/kill-switch`, {
      method: 'POST',
      headers: hl,
      body: JSON.stringify({ action, mode: 'drill', reason: `bench toggle ${action}` }),
    });
    if (r.status !== 200) throw new Error(`kill-switch ${r.status}: ${await r.text()}`);
    await r.arrayBuffer();
  });
  row('POST kill-switch toggle p50', fmt(pct(toggle, 50)), 'drill disable/enable, audited');
  row('POST kill-switch toggle p99', fmt(pct(toggle, 99)));
  await stop(again.child);

  const big = await start(['--db', path.join(dir, 'big.db'), '--reset', '--seed-runs', '10000']);
  row('start-up with 10,000 extra runs', fmt(big.ms), 'fresh database, bulk seed');
  const hb = headers('dispatcher');
  const pages = await timed(200, async (i) => {
    const offset = (i * 100) % 10000;
    const r = await fetch(`${big.url}/api/v1/platform/dispatcher/runs?limit=100&offset=${offset}`, {
      headers: hb,
    });
    const body = await r.json();
    if (body.runs.length !== 100) throw new Error(`page at ${offset} has ${body.runs.length} runs`);
  });
  row('GET runs page (100 of 10,015) p50', fmt(pct(pages, 50)), 'offsets 0..9900');
  row('GET runs page (100 of 10,015) p99', fmt(pct(pages, 99)));
  const filtered = await timed(50, async () => {
    const r = await fetch(`${big.url}/api/v1/platform/dispatcher/runs?limit=100&status=FAIL`, {
      headers: hb,
    });
    await r.arrayBuffer();
  });
  row('GET runs status=FAIL (10,015 runs) p50', fmt(pct(filtered, 50)));
  await stop(big.child);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
console.log(`\nSOLVEREIGN sandbox benchmark (v${pkg.version}, node ${process.version})`);
const w1 = Math.max(...rows.map((r) => r.metric.length));
const w2 = Math.max(...rows.map((r) => r.value.length));
console.log(`${'metric'.padEnd(w1)}  ${'value'.padStart(w2)}  note`);
for (const r of rows) console.log(`${r.metric.padEnd(w1)}  ${r.value.padStart(w2)}  ${r.note}`);

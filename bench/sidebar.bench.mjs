// Sidebar benchmark: the Runs tree's paging MODEL (src/views/runs/runsModel.ts, vscode-free) driving
// the real API client (src/api/client.ts: axios, zod validation) against the real sandbox over HTTP,
// on a site with 10,000 extra runs (`--seed-runs 10000`). This measures the model — requests,
// validation, paging bookkeeping — not VS Code rendering the tree.
// Targets: first page <= 100 ms, each "load more" <= 50 ms. Usage: node bench/sidebar.bench.mjs
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTs, printTable, root, startSandbox, stats } from './support.mjs';

const FIRST_PAGE_TARGET_MS = 100;
const LOAD_MORE_TARGET_MS = 50;
const FIRST_PAGE_RUNS = 30; // fresh models, first page each
const PAGE_SIZE = 25; // the default of solvereign.runs.pageSize
const LOAD_MORES = 60; // per model at the default page size (1,525 runs)

if (!existsSync(path.join(root, 'dist/sandbox.js'))) {
  console.error('dist/sandbox.js missing: run `node esbuild.mjs` first (npm run bench does)');
  process.exit(2);
}

const { RunsModel } = await loadTs('src/views/runs/runsModel.ts');
const { SolvereignClient } = await loadTs('src/api/client.ts');

const sandbox = await startSandbox(['--seed-runs', '10000']);
const rows = [];
let failed = false;
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const fmt = (ms) => `${ms.toFixed(2)} ms`;
const verdict = (s, target) => {
  const ok = s.max <= target;
  if (!ok) failed = true;
  return ok ? 'PASS' : `FAIL (max ${fmt(s.max)})`;
};
const add = (metric, s, target, note = '') =>
  rows.push({
    metric,
    n: s.n,
    p50: fmt(s.p50),
    p90: fmt(s.p90),
    max: fmt(s.max),
    target: target ? `<= ${target} ms` : '',
    verdict: target ? verdict(s, target) : '',
    note,
  });

try {
  const key = sandbox.credentials.keys.dispatcher;
  const client = new SolvereignClient({
    baseUrl: sandbox.url,
    tenant: 'lts',
    site: 'wien',
    auth: { headers: () => ({ Authorization: `Bearer ${key}` }) },
  });
  const source = { listRuns: (q, o) => client.listRuns(q, o), getRun: (id, o) => client.getRun(id, o) };

  // The very first request of the process (TCP connect, JIT, schemas first used): information only.
  // In the extension the connection manager has already called GET /api/auth/me with this client
  // when the Runs tree asks for its first page; the measured first page below follows that.
  const processCold = await time(() => client.me());
  rows.push({
    metric: 'process-cold first request (GET /api/auth/me, as at sign-in)',
    n: 1,
    p50: fmt(processCold),
    p90: '',
    max: fmt(processCold),
    target: '',
    verdict: '',
    note: 'not the tree: sign-in does it',
  });
  const cold = new RunsModel(source, { pageSize: PAGE_SIZE });
  const coldMs = await time(() => cold.loadFirst());
  if (cold.runs.length !== PAGE_SIZE || cold.total < 10_000)
    throw new Error(`unexpected first page: ${cold.runs.length} of ${cold.total}`);
  add(
    'first page, first runs request after sign-in',
    stats([coldMs]),
    FIRST_PAGE_TARGET_MS,
    `${cold.total} runs on lts/wien`,
  );

  // First page of a fresh model (what opening the Runs view or switching site does).
  const first = [];
  for (let i = 0; i < FIRST_PAGE_RUNS; i++) {
    const m = new RunsModel(source, { pageSize: PAGE_SIZE });
    first.push(await time(() => m.loadFirst()));
  }
  add(`first page (${PAGE_SIZE} runs), fresh model`, stats(first), FIRST_PAGE_TARGET_MS);

  // "Load more" at the default page size.
  const m = new RunsModel(source, { pageSize: PAGE_SIZE });
  await m.loadFirst();
  const more = [];
  for (let i = 0; i < LOAD_MORES; i++) {
    const before = m.runs.length;
    more.push(await time(() => m.loadMore()));
    if (m.runs.length !== before + PAGE_SIZE) throw new Error(`load more added ${m.runs.length - before}`);
  }
  if (m.mode !== 'offset') throw new Error(`paging mode ${m.mode}, expected offset`);
  add(`load more (+${PAGE_SIZE}), up to ${m.runs.length} loaded`, stats(more), LOAD_MORE_TARGET_MS);

  // "Load more" through all 10,000+ runs at the largest page (deep offsets: the database skips rows).
  const all = new RunsModel(source, { pageSize: 100 });
  await all.loadFirst();
  const deep = [];
  while (all.hasMore) deep.push(await time(() => all.loadMore()));
  if (all.runs.length !== all.total) throw new Error(`loaded ${all.runs.length} of ${all.total}`);
  add(
    'load more (+100) through every run',
    stats(deep),
    LOAD_MORE_TARGET_MS,
    `${deep.length} pages to ${all.runs.length} runs`,
  );

  // Informational: a refresh keeps the loaded pages (re-reads them in pages of 100).
  const refresh = [];
  for (let i = 0; i < 5; i++) refresh.push(await time(() => m.refresh()));
  add(`refresh keeping ${m.runs.length} loaded runs`, stats(refresh), 0, 'parallel pages of 100');

  // Informational: the fallback for a server without offset (a growing limit, at most 100).
  const noOffset = {
    listRuns: (q, o) => client.listRuns({ ...q, offset: undefined }, o),
    getRun: source.getRun,
  };
  const fb = new RunsModel(noOffset, { pageSize: PAGE_SIZE });
  await fb.loadFirst();
  const fallback = [];
  while (fb.hasMore) fallback.push(await time(() => fb.loadMore()));
  add(
    'load more on a server without offset (limit fallback)',
    stats(fallback),
    0,
    `stops at ${fb.runs.length} runs; mode ${fb.mode}`,
  );
} finally {
  await sandbox.stop();
}

console.log(
  'Runs tree paging MODEL (src/views/runs/runsModel.ts) + real client + real sandbox over HTTP; not the rendered tree.\n',
);
printTable(rows, ['metric', 'n', 'p50', 'p90', 'max', 'target', 'verdict', 'note']);
console.log(
  `\nVerdicts use the maximum. Machine: ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (other processes share the cores; single outliers are scheduling, compare p50/p90).`,
);
process.exit(failed ? 1 : 0);

// Runbook procedures against a sandbox started here: SP-001 end to end (the five calls, the
// verdicts, the audit window, the record formatted and written to disk; target ≤ 150 ms) and the
// SP-005 fire drill (each toggle's time as the procedure measures it; runbook target < 5 s, ours
// ≤ 100 ms), through the same runner the extension uses with a file-writing host.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { printTable, root, startSandbox, stats } from './support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

async function loadProcedures() {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'sv-bench-proc-')), 'procedures.cjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export { runProcedure } from './src/procedures/runner';",
        "export { sp001 } from './src/procedures/flows/sp001';",
        "export { sp005 } from './src/procedures/flows/sp005';",
        "export { SolvereignClient } from './src/api/client';",
        "export { ApiKeyAuth } from './src/api/auth';",
        "export { runHealthCheck } from './src/ops/healthCheck';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3', 'vscode'],
    logLevel: 'error',
  });
  return createRequire(import.meta.url)(out);
}

const m = await loadProcedures();
const sandbox = await startSandbox();
const records = mkdtempSync(path.join(os.tmpdir(), 'sv-bench-records-'));
const host = {
  readWorkspaceIncidents: async () => ({ incidents: [], found: false }),
  addWorkspaceIncident: async () => {
    throw new Error('not in the bench');
  },
  commandExists: async () => false,
  executeCommand: async () => undefined,
  openMarkdown: async () => {},
  saveFile: async (name, content) => {
    mkdirSync(records, { recursive: true });
    const p = path.join(records, name);
    writeFileSync(p, content);
    return p;
  },
  notify: () => {},
  contacts: () => [],
  setAlarm: () => {},
  showLog: () => {},
  analysis: () => {
    throw new Error('not in the bench');
  },
};
const env = (role) => ({
  client: new m.SolvereignClient({
    baseUrl: sandbox.url,
    tenant: 'lts',
    site: 'wien',
    auth: new m.ApiKeyAuth(sandbox.credentials.keys[role]),
  }),
  who: { email: `${role}@lts.demo`, role },
  environment: { name: 'bench sandbox', url: sandbox.url, tenant: 'lts', site: 'wien' },
  host,
  signal: new AbortController().signal,
  now: () => new Date(),
});

try {
  const e1 = env('ops_readonly');
  // Warm-up: connections, JIT.
  for (let i = 0; i < 3; i++) await m.runProcedure(m.sp001, e1, { answers: {} });
  const calls = [];
  const endToEnd = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const h = await m.runHealthCheck(e1.client);
    calls.push(performance.now() - t0);
    if (!h.criteria.length) throw new Error('no criteria');
    const t1 = performance.now();
    const r = await m.runProcedure(m.sp001, e1, { answers: {} });
    endToEnd.push(performance.now() - t1);
    if (!r.recordPath) throw new Error('no record written');
  }

  const e5 = env('dispatcher');
  const disable = [];
  const enable = [];
  const drill = [];
  let failed = 0;
  for (let i = 0; i < Math.max(5, Math.round(ROUNDS / 2)); i++) {
    const t0 = performance.now();
    const r = await m.runProcedure(m.sp005, e5, { answers: { reason: `bench fire drill ${i}` } });
    drill.push(performance.now() - t0);
    if (r.result !== 'PASS') failed++;
    disable.push(r.disableMs);
    enable.push(r.enableMs);
  }

  const row = (what, s, target) => ({ what, n: s.n, p50: s.p50, p90: s.p90, p99: s.p99, max: s.max, target });
  printTable([
    row('SP-001 health calls (runHealthCheck)', stats(calls), ''),
    row('SP-001 end to end (steps, audit window, record on disk)', stats(endToEnd), '≤ 150 ms'),
    row('SP-005 disable toggle (as measured by the drill)', stats(disable), '< 5 s (ours ≤ 100 ms)'),
    row('SP-005 enable toggle (as measured by the drill)', stats(enable), '< 5 s (ours ≤ 100 ms)'),
    row('SP-005 whole drill (role, 2 toggles, 3 checks, record)', stats(drill), ''),
  ]);
  console.log(`\nms; fire drills not PASS: ${failed}`);
  if (failed || stats(endToEnd).p50 > 150) process.exitCode = 1;
} finally {
  await sandbox.stop();
  rmSync(records, { recursive: true, force: true });
}

// Shared bench helpers: percentiles, a markdown table, a sandbox child process on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';

export const root = path.resolve(import.meta.dirname, '..');

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const i = Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1);
  return s[Math.max(0, i)];
}

export function stats(values) {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: Math.max(...values),
  };
}

export function printTable(rows, columns) {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const fmt = (v) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : String(v ?? '');
  const cells = rows.map((r) => cols.map((c) => fmt(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals) => `| ${vals.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of cells) console.log(line(r));
}

/** Starts dist/sandbox.js on a free port with a fresh database; returns url, credentials and stop(). */
export async function startSandbox(extraArgs = []) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-bench-'));
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'dist/sandbox.js'),
      '--port',
      '0',
      '--db',
      path.join(dir, 'db.sqlite'),
      '--reset',
      '--quiet',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${out}`)));
  });
  const credentials = JSON.parse(readFileSync(path.join(dir, 'credentials.json'), 'utf8'));
  return {
    url,
    dir,
    credentials,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Bundles a TypeScript module of ours to a temporary CJS file and requires it. */
export async function loadTs(entry) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'sv-bench-mod-')), 'mod.cjs');
  await esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3', 'vscode'],
    logLevel: 'error',
  });
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)(out);
}

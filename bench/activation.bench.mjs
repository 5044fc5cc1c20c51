// What activation pays to load the extension's main bundle: a fresh Node process requires
// dist/extension.js (with a stand-in for the `vscode` module, which only VS Code provides) and
// reports the time. The language client and the SP-002 analysis are separate bundles loaded on
// first use; their load time is shown for comparison.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { printTable, root, stats } from './support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
// The API's top-level names, so esbuild's CommonJS interop finds them on the stand-in.
const names = [
  ...readFileSync(path.join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8').matchAll(
    /^\s*export (?:class|namespace|enum|function|const|let) (\w+)/gm,
  ),
].map((m) => m[1]);
const probe = (file) => `
const Module = require('node:module');
const names = ${JSON.stringify(names)};
const any = new Proxy(function () {}, { get: (t, k) => (k === 'then' ? undefined : any), apply: () => any, construct: () => any });
const stub = Object.fromEntries(names.map((n) => [n, any]));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
const t0 = performance.now();
require(${JSON.stringify(file)});
process.stdout.write(String(performance.now() - t0));
`;

const rows = [];
for (const name of ['extension.js', 'language-client.js', 'procedures-analysis.js']) {
  const file = path.join(root, 'dist', name);
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = spawnSync(process.execPath, ['-e', probe(file)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    times.push(Number(r.stdout));
  }
  const s = stats(times);
  rows.push({
    bundle: `dist/${name}${name === 'extension.js' ? ' (activation)' : ' (on first use)'}`,
    'KB (minified)': Math.round(statSync(file).size / 1024),
    'load p50 ms': s.p50,
    'load p90 ms': s.p90,
    'load max ms': s.max,
  });
}
printTable(rows);

// Roster engine benchmark: Wien-sized week solve time, headcount vs lower bound, determinism,
// parser speed, history seeding time. Bundles src/roster/index.ts with esbuild to a temp file first,
// so it needs no TypeScript runner. Usage: node bench/roster.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'roster-bench-'));
const outfile = path.join(dir, 'roster.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'src/roster/index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const R = createRequire(import.meta.url)(outfile);
rmSync(dir, { recursive: true, force: true });

const rows = [];
const row = (metric, value, note = '') => rows.push({ metric, value, note });
const ms = (f) => {
  const t = performance.now();
  const v = f();
  return [performance.now() - t, v];
};

// Wien-sized week: parse + expand + solve, three times.
const week = '2026-W03';
const gen = R.generateForecast(week);
const [parseMs, parsed] = ms(() => R.parseForecast(gen.text));
const tours = R.expandWeek(parsed.tours, week).tours;
const solves = [1, 2, 3].map(() => ms(() => R.solve(tours, { seed: 94 })));
const result = solves[0][1];
const times = solves.map(([t]) => t).sort((a, b) => a - b);
row('tours (Wien week)', tours.length, `${parsed.tours.length} forecast lines`);
row(
  'solve time, median of 3 (ms)',
  times[1].toFixed(0),
  `min ${times[0].toFixed(0)}, max ${times[2].toFixed(0)}; target <= 2000`,
);
row('headcount', result.headcount);
row(
  'lower bound',
  result.lower_bound.value,
  `peak ${result.lower_bound.peak_concurrent_tours}, rest-aware ${result.lower_bound.peak_with_rest}, hours ${result.lower_bound.weekly_hours}`,
);
row('headcount / lower bound', (result.headcount / result.lower_bound.value).toFixed(3), 'target <= 1.05');
row('three solves -> one hash', new Set(solves.map(([, r]) => r.output_hash)).size === 1 ? 'yes' : 'NO');
const kpis = R.computeKpis({ tours, assignments: result.assignments });
row(
  'headcount vs baseline 145',
  `${(((result.headcount - 145) / 145) * 100).toFixed(1)} %`,
  'WARN beyond +-5 %',
);
row('fte_ratio / avg h / max h', `${kpis.fte_ratio} / ${kpis.avg_weekly_hours} / ${kpis.max_weekly_hours}`);
const audits = R.runAudits(
  { tours, assignments: result.assignments },
  { output_hash: 'x', second_hash: 'x' },
);
row('audits passed', `${audits.filter((a) => a.status === 'PASS').length}/7`);
row('parse Wien week (ms)', parseMs.toFixed(1));

// Parser: 10,000 lines.
const lines = gen.text.split('\n').filter((l) => /^[A-Z][a-z] /.test(l));
const big = Array.from({ length: 10_000 }, (_, i) => lines[i % lines.length]).join('\n');
const [bigMs, bigParsed] = ms(() => R.parseForecast(big));
row('parse 10,000-line forecast, first (ms)', bigMs.toFixed(1), `verdict ${bigParsed.verdict}`);
const warm = Array.from({ length: 15 }, () => ms(() => R.parseForecast(big))[0]).sort((a, b) => a - b);
row(
  'parse 10,000-line forecast, warm median of 15 (ms)',
  warm[7].toFixed(1),
  `min ${warm[0].toFixed(1)}, max ${warm[14].toFixed(1)}; target <= 100`,
);

// Seeding 12 weeks of history: generate + full run (solve, re-solve for Reproducibility, audits, KPIs).
let w = R.shiftIsoWeek(week, -12);
const [seedMs] = ms(() => {
  for (let i = 0; i < 12; i++, w = R.shiftIsoWeek(w, 1)) {
    const g = R.generateForecast(w);
    R.solveForecast(g.text, { week: w, ...g.solveOptions });
  }
});
row('seed 12 weeks of runs (ms)', seedMs.toFixed(0), 'generate + solve + re-solve + audits');
const [gen12] = ms(() => {
  for (let i = 0; i < 12; i++) R.generateForecast(R.shiftIsoWeek(week, i));
});
row('generate 12 forecasts only (ms)', gen12.toFixed(0));

const width = Math.max(...rows.map((r) => r.metric.length));
console.log('\nroster engine');
for (const r of rows) console.log(`  ${r.metric.padEnd(width)}  ${String(r.value).padStart(10)}  ${r.note}`);

// `npm test`: typecheck + lint + build + unit + integration + live (the live-profile pass) +
// extension-host/UI suites.
// Every stage runs even if an earlier one failed (so one run shows everything); the last line is
// the summary `N passed, N failed` that CI reads. Usage: node scripts/test.mjs [stage...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const statsDir = path.join(root, 'test-results', 'stats');
rmSync(statsDir, { recursive: true, force: true });
mkdirSync(statsDir, { recursive: true });

const mocha = (glob, extra = []) => [
  process.execPath,
  [
    'node_modules/mocha/bin/mocha.js',
    '--require',
    'tsx/cjs',
    '--reporter',
    './test/support/stats-reporter.cjs',
    '--timeout',
    '20000',
    ...extra,
    glob,
  ],
];

/** Each stage: a command, and whether its own stats file counts tests (else it counts as one check). */
const stages = {
  typecheck: { cmd: [process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']] },
  lint: { cmd: [process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'check', '.']] },
  build: { cmd: [process.execPath, ['esbuild.mjs']] },
  unit: { cmd: mocha('test/unit/**/*.test.ts'), counts: true },
  integration: { cmd: mocha('test/integration/**/*.test.ts', ['--timeout', '60000']), counts: true },
  // The live pass: the client and the CLI against `sandbox --profile live` (SOLVEREIGN as deployed),
  // focused on what differs from our contract; the integration stage covers the default profile.
  live: { cmd: mocha('test/live/**/*.test.ts', ['--timeout', '60000']), counts: true },
  e2e: {
    cmd: [process.execPath, ['test/e2e/run.mjs']],
    counts: true,
    when: () => existsSync('test/e2e/run.mjs'),
  },
};

const wanted = process.argv.slice(2);
const order = wanted.length ? ['build', ...wanted.filter((s) => s !== 'build')] : Object.keys(stages);
let passed = 0;
let failed = 0;
const lines = [];
for (const name of order) {
  const stage = stages[name];
  if (!stage) {
    console.error(`unknown stage ${name}; stages: ${Object.keys(stages).join(', ')}`);
    process.exit(2);
  }
  if (stage.when && !stage.when()) continue;
  const statsFile = path.join(statsDir, `${name}.json`);
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const [bin, args] = stage.cmd;
  const result = spawnSync(bin, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SOLVEREIGN_TEST_STATS: statsFile },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  if (stage.counts && existsSync(statsFile)) {
    const s = JSON.parse(readFileSync(statsFile, 'utf8'));
    passed += s.passed;
    failed += s.failed;
    // A runner that died after writing its stats still fails the stage.
    if (!ok && s.failed === 0) failed += 1;
    lines.push(
      `${name}: ${s.passed} passed, ${s.failed} failed (${seconds} s)${ok ? '' : ' [exit ' + result.status + ']'}`,
    );
  } else {
    if (ok) passed += 1;
    else failed += 1;
    lines.push(`${name}: ${ok ? 'ok' : 'FAILED (exit ' + result.status + ')'} (${seconds} s)`);
  }
}
console.log('\n=== summary ===');
for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

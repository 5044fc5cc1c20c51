// Extension-host test entry (bundled by esbuild.mjs to out/test/extension/index.js, `mocha` external:
// it resolves from the repository's node_modules because extensionDevelopmentPath is the repo root).
// VS Code (code-server in test/e2e/run.mjs, desktop in test/electron/run.mjs) calls `run()` and awaits it.
// The suites are listed in ./suites.ts as static imports, so the bundle contains them.
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.SOLVEREIGN_E2E_TIMEOUT ?? 20000),
    grep: process.env.SOLVEREIGN_E2E_GREP || undefined,
  });
  // Give the suites' top-level describe/it their globals, then load them (esbuild keeps this
  // require lazy, so the modules run now, inside mocha's root suite).
  mocha.suite.emit('pre-require', globalThis, 'suites', mocha);
  require('./suites');

  console.log('E2E-BEGIN');
  await new Promise<void>((resolve, reject) => {
    const failed: string[] = [];
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      const stats = { passed: passes, failed: failures, skipped: pending, failures: failed };
      console.log(`E2E-STATS ${JSON.stringify(stats)}`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('fail', (test, err) =>
      failed.push(`${test.fullTitle()}: ${String(err?.message ?? err).split('\n')[0]}`),
    );
  });
}

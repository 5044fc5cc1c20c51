// The dependency rules of the developers' guide, checked on the source and on the built bundles:
// pure layers import no `vscode`; the roster engine and shared helpers import nothing from the API;
// the sandbox and the language server import nothing from the extension's UI; the activation
// bundle leaves the language client and the roster engine out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { LAZY_BUNDLES } from '../../src/bundles';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  const out: string[] = [];
  for (const name of readdirSync(abs)) {
    const p = path.join(abs, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(path.join(dir, name)));
    else if (/\.ts$/.test(name)) out.push(path.join(dir, name));
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g))
    found.push(m[1]!);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

const PURE = [
  'src/api',
  'src/roster',
  'src/shared',
  'src/ops',
  'src/sandbox',
  'src/cli',
  'src/language-server',
  'src/reports',
  'src/incidents',
  'src/evidence',
  // The procedures' definitions and engine run in the CLI too: only their VS Code host is UI.
  'src/procedures/engine',
  'src/procedures/flows',
  'src/procedures/analysis',
];
/** vscode-free files inside the UI folders: the procedures' rules and the sidebar's view models. */
const PURE_FILES = [
  'src/procedures/args.ts',
  'src/procedures/catalog.ts',
  'src/procedures/context.ts',
  'src/procedures/definitions.ts',
  'src/procedures/runner.ts',
  'src/views/accessibleName.ts',
  'src/views/refreshScheduler.ts',
  'src/views/sidebarStore.ts',
  'src/views/statusBarModel.ts',
  'src/views/incidents/incidentsModel.ts',
  'src/views/runs/runsModel.ts',
  'src/views/sites/sitesModel.ts',
  'src/connection/environments.ts',
  'src/language/ids.ts',
  'src/language/protocol.ts',
  'src/language/restartPolicy.ts',
];
const UI = ['src/views', 'src/procedures', 'src/webviews', 'src/commands', 'src/connection', 'src/extension'];
/** What the CLI may use of the procedures: everything but their editor host and registration. */
const PROCEDURES_OUTSIDE_THE_EDITOR = [
  'src/procedures/engine',
  'src/procedures/flows',
  'src/procedures/analysis',
];
const procedureCore = (target: string) =>
  PROCEDURES_OUTSIDE_THE_EDITOR.some((d) => target === d || target.startsWith(`${d}/`)) ||
  [
    'src/procedures/runner',
    'src/procedures/context',
    'src/procedures/cliHost',
    'src/procedures/capabilities',
  ].includes(target);

describe('architecture', () => {
  for (const dir of PURE) {
    it(`${dir} imports no vscode`, () => {
      const offenders = sourceFiles(dir).filter((f) => imports(f).some((i) => i === 'vscode'));
      assert.deepEqual(offenders, []);
    });
  }

  it('the view models, procedure rules and other pure files inside UI folders import no vscode', () => {
    const offenders = PURE_FILES.filter((f) => imports(f).some((i) => i === 'vscode'));
    assert.deepEqual(offenders, []);
  });

  for (const dir of ['src/sandbox', 'src/language-server', 'src/cli', 'src/api', 'src/roster']) {
    it(`${dir} imports nothing from the extension's UI code`, () => {
      const offenders: string[] = [];
      for (const f of sourceFiles(dir)) {
        for (const i of imports(f)) {
          if (!i.startsWith('.')) continue;
          const target = path.relative(root, path.resolve(path.dirname(path.join(root, f)), i));
          if (dir === 'src/cli' && procedureCore(target)) continue;
          if (UI.some((u) => target === u || target.startsWith(`${u}/`))) offenders.push(`${f} -> ${i}`);
        }
      }
      assert.deepEqual(offenders, []);
    });
  }

  it('the procedures the CLI runs import no vscode (runner, context, CLI host)', () => {
    for (const f of [
      'src/procedures/runner.ts',
      'src/procedures/context.ts',
      'src/procedures/cliHost.ts',
      'src/procedures/capabilities.ts',
    ]) {
      assert.ok(!imports(f).includes('vscode'), f);
      for (const i of imports(f)) {
        const target = path.relative(root, path.resolve(path.dirname(path.join(root, f)), i));
        assert.ok(!target.startsWith('src/procedures/vscode'), `${f} -> ${i}`);
      }
    }
  });

  it('areas share no module-level state: activate() hands every area its services', () => {
    const offenders: string[] = [];
    for (const dir of UI.filter((u) => u !== 'src/extension').concat(['src/language'])) {
      for (const f of sourceFiles(dir)) {
        const text = readFileSync(path.join(root, f), 'utf8');
        // A mutable top-level binding or event emitter is state other areas could reach by import.
        for (const m of text.matchAll(
          /^(?:export )?(?:let|var) (\w+)|^(?:export )?const (\w+) = new (?:vscode\.)?EventEmitter/gm,
        ))
          offenders.push(`${f}: ${m[1] ?? m[2]}`);
        // The extension's own exports are for other extensions and tests, never for its areas.
        if (/vscode\.extensions\.getExtension\(/.test(text)) offenders.push(`${f}: getExtension`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  // The domain owns its types: the engine and the shared helpers never depend on the wire format.
  for (const dir of ['src/roster', 'src/shared']) {
    it(`${dir} imports nothing from src/api`, () => {
      const offenders: string[] = [];
      for (const f of sourceFiles(dir)) {
        for (const i of imports(f)) {
          if (!i.startsWith('.')) continue;
          const target = path.relative(root, path.resolve(path.dirname(path.join(root, f)), i));
          if (target === 'src/api' || target.startsWith('src/api/')) offenders.push(`${f} -> ${i}`);
        }
      }
      assert.deepEqual(offenders, []);
    });
  }
  it('only src/config.ts reads the solvereign.* settings', () => {
    const offenders = sourceFiles('src').filter(
      (f) => f !== 'src/config.ts' && /getConfiguration\(/.test(readFileSync(path.join(root, f), 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });

  it('the activation bundle leaves out the language client, procedures, reports, the solver, the HTTP client and zod classic', async function () {
    this.timeout(60_000);
    const result = await esbuild.build({
      entryPoints: [path.join(root, 'src/extension.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode', 'better-sqlite3'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const banned = inputs.filter(
      (i) =>
        /node_modules\/(vscode-languageclient|vscode-jsonrpc|vscode-languageserver)/.test(i) ||
        /node_modules\/zod\/v4\/classic/.test(i) ||
        /src\/roster\/solver\.ts$/.test(i) ||
        /src\/sandbox\//.test(i) ||
        // Loaded on first use (src/bundles.ts): the procedures' engine and flows, the reports.
        /src\/procedures\/(engine|flows|vscode|analysis)\//.test(i) ||
        /src\/procedures\/(runner|definitions)\.ts$/.test(i) ||
        /src\/reports\//.test(i) ||
        /src\/webviews\/(reportsHost|source|protocol)\.ts$/.test(i) ||
        /src\/language\/client\.ts$/.test(i) ||
        // The HTTP client (axios) is made on first connect (src/bundles.ts apiClient); the L3 workspace on first use.
        /node_modules\/axios\//.test(i) ||
        /src\/api\/client\.ts$/.test(i) ||
        /src\/l3\/(workspace|auditTests|diagnostics|evidenceFs)\.ts$/.test(i),
    );
    assert.deepEqual(banned, []);
  });

  it('the activation bundle evaluates no zod schema when it loads (the schemas are required lazily)', async function () {
    this.timeout(60_000);
    const result = await esbuild.build({
      entryPoints: [path.join(root, 'src/extension.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode', 'better-sqlite3'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    // Static imports run at load; a require() inside a function (the lazy loads in our sources) runs
    // when reached, esbuild keeping the module's body behind an init call. Follow the static ones.
    const inputs = result.metafile.inputs;
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const i of inputs[file]?.imports ?? []) if (i.kind === 'import-statement') walk(i.path);
    };
    walk('src/extension.ts');
    const eager = [...seen].filter((f) => /node_modules\/zod\/|src\/api\/(schemas|lenient)\.ts$/.test(f));
    assert.deepEqual(eager, []);
  });

  it('the activation bundle stays within 200 KB (minified, as esbuild.mjs builds it)', function () {
    this.timeout(60_000);
    const out = execFileSync(
      process.execPath,
      ['esbuild.mjs', '--only=dist/extension.js', '--dry', '--sizes'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    const kb = Number(/([\d.]+) KB\s+dist\/extension\.js/.exec(out)?.[1]);
    assert.ok(kb > 0, `no size in: ${out}`);
    assert.ok(kb <= 200, `dist/extension.js is ${kb} KB`);
  });

  it('the report webview bundle holds only browser-safe code (no roster engine, evidence reader or API client)', async function () {
    this.timeout(60_000);
    // platform 'browser' fails the build on any Node built-in; the inputs show what was pulled in.
    const result = await esbuild.build({
      entryPoints: [path.join(root, 'webview-ui/report.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const banned = Object.keys(result.metafile.inputs).filter((i) =>
      /src\/(roster|evidence|api|sandbox|connection|l3)\/|node_modules\/(axios|zod\/v4\/classic)/.test(i),
    );
    assert.deepEqual(banned, []);
  });

  it('every bundle loaded on first use is one esbuild.mjs builds', () => {
    const build = readFileSync(path.join(root, 'esbuild.mjs'), 'utf8');
    const missing = Object.values(LAZY_BUNDLES).filter((name) => !build.includes(`out: 'dist/${name}.js'`));
    assert.deepEqual(missing, []);
  });
});

// Bundles every entry point. Type checking is separate (`npm run typecheck`).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dry = process.argv.includes('--dry');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

/** Packages axios imports but our client never uses, replaced by stubs that fail loudly if reached:
 * form-data (multipart bodies; with it mime-db, about half of axios' load time), https-proxy-agent
 * (with agent-base and debug: the client sets `proxy: false`) and follow-redirects (`maxRedirects: 0`). */
const UNUSED_AXIOS_DEPENDENCIES = {
  'form-data':
    'class FormData { constructor() { throw new Error("multipart bodies are not supported"); } }\nmodule.exports = FormData; module.exports.default = FormData;',
  'https-proxy-agent':
    'function HttpsProxyAgent() { throw new Error("proxies are disabled (proxy: false)"); }\nmodule.exports = HttpsProxyAgent; module.exports.default = HttpsProxyAgent;',
  'follow-redirects':
    'const refuse = () => { throw new Error("redirects are disabled (maxRedirects: 0)"); };\nmodule.exports = { http: { request: refuse }, https: { request: refuse } };',
};
const stubFormData = {
  name: 'stub-unused-axios-dependencies',
  setup(build) {
    // axios imports node:http2 for `httpVersion: 2` only, node:https (with tls, ~+130% of
    // node:http's load time) for https URLs only, node:crypto (~4 ms) for multipart boundaries
    // only, and node:zlib (~1 ms) for compressed answers only: load each when first touched, not at
    // start, so a CLI call to the local http sandbox never loads TLS, crypto or zlib.
    build.onResolve({ filter: /^(http2|https|crypto|zlib)$/ }, (args) =>
      args.path === 'http2' || args.importer.includes(`axios${path.sep}lib${path.sep}`)
        ? { path: `lazy-${args.path}`, namespace: 'stub' }
        : undefined,
    );
    build.onLoad({ filter: /^lazy-(http2|https|crypto|zlib)$/, namespace: 'stub' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => require('node:${args.path.slice(5)}')[key] });`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^(form-data|https-proxy-agent|follow-redirects)$/ }, (args) => ({
      path: args.path,
      namespace: 'stub',
    }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) =>
      args.path in UNUSED_AXIOS_DEPENDENCIES
        ? { contents: UNUSED_AXIOS_DEPENDENCIES[args.path], loader: 'js' }
        : undefined,
    );
  },
};

/** The patches below read axios 1.21's own files (paths, one source line): package.json pins that
 * minor (~1.21.1), and a changed file fails the build instead of being skipped. */

/** Replaces each `[from, to]` once in axios' `lib/<file>`; a `from` that is not there, or a `leftover`
 * the edits should have removed, fails the build. */
function patchAxiosFile(build, file, edits, leftover) {
  const filter = new RegExp(
    `axios[\\\\/]lib[\\\\/]${file.replace(/[/.]/g, (c) => (c === '/' ? '[\\\\/]' : '\\.'))}$`,
  );
  build.onLoad({ filter }, async (args) => {
    let contents = await readFile(args.path, 'utf8');
    for (const [from, to] of edits) {
      if (!contents.includes(from))
        throw new Error(`axios lib/${file} changed: update its patch in esbuild.mjs (${from.slice(0, 50)}…)`);
      contents = contents.replace(from, to);
    }
    if (leftover?.test(contents))
      throw new Error(
        `axios lib/${file} changed: ${leftover} is still used; update its patch in esbuild.mjs`,
      );
    return { contents, loader: 'js' };
  });
}

/** axios' fetch adapter touches the global `fetch` when it loads, which makes Node 20 load undici
 * (~10-15 ms at every CLI start). We always use the http adapter, so the fetch adapter is left out. */
const noFetchAdapter = {
  name: 'no-axios-fetch-adapter',
  setup(build) {
    build.onResolve({ filter: /^\.\/fetch\.js$/ }, (args) =>
      args.importer.includes(`axios${path.sep}lib${path.sep}adapters`)
        ? { path: 'axios-fetch', namespace: 'stub' }
        : undefined,
    );
    // The browser adapter (XMLHttpRequest) never runs in Node.
    build.onResolve({ filter: /^\.\/xhr\.js$/ }, (args) =>
      args.importer.includes(`axios${path.sep}lib${path.sep}adapters`)
        ? { path: 'axios-xhr', namespace: 'stub' }
        : undefined,
    );
    build.onLoad({ filter: /^axios-xhr$/, namespace: 'stub' }, () => ({
      contents: 'export default false;',
      loader: 'js',
    }));
    // Environment proxies: the client sets `proxy: false`, so axios never looks them up.
    build.onResolve({ filter: /shouldBypassProxy\.js$|^proxy-from-env$/ }, (args) =>
      args.importer.includes(`axios${path.sep}lib`)
        ? { path: 'axios-no-env-proxy', namespace: 'stub' }
        : undefined,
    );
    build.onLoad({ filter: /^axios-no-env-proxy$/, namespace: 'stub' }, () => ({
      contents:
        "const refuse = () => { throw new Error('environment proxies are disabled (proxy: false)'); };\nexport default refuse; export const getProxyForUrl = refuse;",
      loader: 'js',
    }));
    build.onLoad({ filter: /^axios-fetch$/, namespace: 'stub' }, () => ({
      contents: 'export const getFetch = () => false; export default false;',
      loader: 'js',
    }));
    // Same for reading the global FormData in axios' env and utils: its getter loads undici too.
    // We never send FormData, so those modules see none.
    build.onLoad({ filter: /axios[\\/]lib[\\/]env[\\/]classes[\\/]FormData\.js$/ }, () => ({
      contents: 'export default null;',
      loader: 'js',
    }));
    // axios times each request with the global `performance`, whose first use loads perf_hooks
    // (~1-2 ms of a CLI call): a monotonic clock from process.hrtime does the same.
    patchAxiosFile(build, 'core/dispatchRequest.js', [
      [
        "typeof performance !== 'undefined' && utils.isFunction(performance.now)\n    ? () => performance.now()\n    : Date.now;",
        '() => Number(process.hrtime.bigint()) / 1e6;',
      ],
    ]);
    // The http adapter reads zlib's flush constants and what it offers when it loads; read them
    // when an answer is decompressed instead (Brotli is in every Node this runs on, >= 20.15).
    patchAxiosFile(
      build,
      'adapters/http.js',
      [
        ...[
          ['zlibOptions', 'Z_SYNC_FLUSH'],
          ['brotliOptions', 'BROTLI_OPERATION_FLUSH'],
          ['zstdOptions', 'ZSTD_e_flush'],
        ].map(([name, constant]) => [
          `const ${name} = {\n  flush: zlib.constants.${constant},\n  finishFlush: zlib.constants.${constant},\n};`,
          `const ${name} = {\n  get flush() { return zlib.constants.${constant}; },\n  get finishFlush() { return zlib.constants.${constant}; },\n};`,
        ]),
        [
          'const isBrotliSupported = utils.isFunction(zlib.createBrotliDecompress);',
          'const isBrotliSupported = true;',
        ],
        [
          'const isZstdSupported = utils.isFunction(zlib.createZstdDecompress);',
          'const zstd = () => utils.isFunction(zlib.createZstdDecompress);',
        ],
        [
          "const ACCEPT_ENCODING_WITH_ZSTD = ACCEPT_ENCODING + (isZstdSupported ? ', zstd' : '');",
          "const withZstd = () => ACCEPT_ENCODING + (zstd() ? ', zstd' : '');",
        ],
        ['? ACCEPT_ENCODING_WITH_ZSTD', '? withZstd()'],
        ['if (isZstdSupported) {', 'if (zstd()) {'],
      ],
      /zlib\.constants\.\w+,|isZstdSupported|ACCEPT_ENCODING_WITH_ZSTD|zlib\.createBrotliDecompress\)/,
    );
    patchAxiosFile(build, 'utils.js', [
      [
        "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
        'const FormDataCtor = undefined;',
      ],
    ]);
  },
};

/** Every `import * as vscode from 'vscode'` compiles to `__toESM(require('vscode'))`, which copies all
 * of the API's few hundred members once per importing file (13 files at activation). One facade
 * module re-exports the API once, and every file imports the facade. */
const oneVscodeFacade = {
  name: 'one-vscode-facade',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-facade'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-facade' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-facade' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production || process.env.SOLVEREIGN_MINIFY !== '0',
  keepNames: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [stubFormData, noFetchAdapter, oneVscodeFacade],
  // better-sqlite3 is a native addon; bufferutil/utf-8-validate are optional ws peers.
  external: ['vscode', 'better-sqlite3', 'bufferutil', 'utf-8-validate'],
  mainFields: ['module', 'main'],
};

const entries = [
  { in: 'src/extension.ts', out: 'dist/extension.js', ...node },
  { in: 'src/sandbox/main.ts', out: 'dist/sandbox.js', ...node },
  // Worker thread for the sandbox's asynchronous solves (found beside dist/sandbox.js).
  { in: 'src/sandbox/solve-worker.ts', out: 'dist/sandbox-solver.js', ...node },
  { in: 'src/cli/main.ts', out: 'dist/cli.js', ...node },
  // The roster engine for the CLI's offline commands, loaded only by them.
  { in: 'src/roster/cli-commands.ts', out: 'dist/roster-cli.js', ...node },
  // SP-002's roster analysis (input diff, duplicates, re-solve), run in a worker by the extension.
  { in: 'src/procedures/analysis/index.ts', out: 'dist/procedures-analysis.js', ...node },
  { in: 'src/language-server/server.ts', out: 'dist/language-server.js', ...node },
  // Parts of the extension loaded on first use (src/bundles.ts), kept out of extension.js.
  { in: 'src/api/client.ts', out: 'dist/api-client.js', ...node },
  { in: 'src/language/client.ts', out: 'dist/language-client.js', ...node },
  { in: 'src/procedures/vscode/procedureCommands.ts', out: 'dist/procedures.js', ...node },
  { in: 'src/webviews/reportsBundle.ts', out: 'dist/reports.js', ...node },
  { in: 'src/views/incidents/incidentCommands.ts', out: 'dist/incident-commands.js', ...node },
  { in: 'src/evidence/runEvidence.ts', out: 'dist/evidence.js', ...node },
  { in: 'src/commands/connectionPrompts.ts', out: 'dist/connection-prompts.js', ...node },
  { in: 'src/l3/bundle.ts', out: 'dist/l3.js', ...node },
  // Extension-host test suite (loaded by code-server / test-electron through extensionTestsPath).
  {
    in: 'test/extension/index.ts',
    out: 'out/test/extension/index.js',
    ...node,
    minify: false,
    external: [...node.external, 'mocha'],
  },
  // Webview front ends: browser bundles.
  ...['report'].map((name) => ({
    in: `webview-ui/${name}.ts`,
    out: `dist/webview/${name}.js`,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: production,
    sourcemap: false,
    logLevel: 'warning',
  })),
]
  // --only=dist/extension.js: just that bundle; --dry: compute without writing (the size checks).
  .filter((e) => !only || e.out === only);

const contexts = await Promise.all(
  entries.map(({ in: entry, out, ...options }) =>
    esbuild.context({ entryPoints: [entry], outfile: out, metafile: true, write: !dry, ...options }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${entries.length} entries`);
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  // Every bundle must be ASCII: esbuild escapes strings but keeps regex literals as written, and one
  // non-ASCII character makes V8 hold the whole bundle as a two-byte string (decoded and scanned
  // more slowly at every start). Write such characters as \u escapes.
  const nonAscii = [];
  for (const [i, r] of results.entries()) {
    // The Node bundles (the webview's and the test suite's are not started by Node at every run).
    if (!/^dist\/[^/]+\.js$/.test(entries[i].out)) continue;
    const text =
      r.outputFiles?.find((f) => f.path.endsWith('.js'))?.text ??
      (dry ? '' : await readFile(entries[i].out, 'utf8'));
    const at = text.search(/[^\x00-\x7f]/);
    if (at >= 0)
      nonAscii.push(`${entries[i].out}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`);
  }
  if (nonAscii.length) {
    console.error(`non-ASCII characters in bundles (write them as \\u escapes):\n  ${nonAscii.join('\n  ')}`);
    process.exit(1);
  }
  if (process.argv.includes('--analyze')) {
    // What each bundle is made of, by package (or our folder), largest first.
    for (const r of results) {
      for (const [file, meta] of Object.entries(r.metafile.outputs)) {
        if (!file.endsWith('.js')) continue;
        const byPart = {};
        for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
          const nm = input.split('node_modules/')[1];
          const part = nm
            ? nm
                .split('/')
                .slice(0, nm.startsWith('@') ? 2 : 1)
                .join('/')
            : input.split('/').slice(0, 2).join('/');
          byPart[part] = (byPart[part] ?? 0) + bytesInOutput;
        }
        const top = Object.entries(byPart)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8);
        console.log(
          `${file} ${(meta.bytes / 1024).toFixed(1)} KB: ${top.map(([k, v]) => `${k} ${(v / 1024).toFixed(1)}`).join(', ')}`,
        );
      }
    }
  }
  if (process.argv.includes('--sizes')) {
    for (const r of results) {
      for (const [file, meta] of Object.entries(r.metafile.outputs)) {
        if (file.endsWith('.js')) console.log(`${(meta.bytes / 1024).toFixed(1).padStart(8)} KB  ${file}`);
      }
    }
  }
}

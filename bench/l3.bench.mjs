// L3 workspace: open evidence + findings for a Wien-size run (download over HTTP from a sandbox on
// 127.0.0.1, verify against the checksums, parse, expand the input, build the plan summary and map
// every violation to its lines), and a local audits-as-tests run of a Wien week with the built-in
// engine (solve, reproducibility re-solve, seven audits); and the roster timeline in headless
// Chromium (the webview bundle with its stylesheet, the largest seeded plan and the FAIL run): first
// paint from the render message, and 2 s of scrolling with frame times from requestAnimationFrame.
// Usage: node bench/l3.bench.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../test/support/code-server.mjs';
import { frameSummary, nextRenderPaint, scrollTimeline } from '../test/support/timeline-measure.mjs';
import { loadTs, printTable, root, startSandbox, stats } from './support.mjs';

const ROUNDS = 7;
const sandbox = await startSandbox();
try {
  const { SolvereignClient } = await loadTs('src/api/client.ts');
  const { ApiKeyAuth } = await loadTs('src/api/auth.ts');
  const E = await loadTs('src/evidence/runEvidence.ts');
  const F = await loadTs('src/evidence/findings.ts');
  const L = await loadTs('src/evidence/localAudit.ts');
  const client = new SolvereignClient({
    baseUrl: sandbox.url,
    tenant: 'lts',
    site: 'wien',
    auth: new ApiKeyAuth(sandbox.credentials.keys.platform_admin),
  });
  await client.status(); // warm the connection, as the extension's is
  const runs = (await client.listRuns({ limit: 50 })).runs;
  // The seeded week with duplicate tours: a Wien-size run with an Overlap FAIL to map.
  const source = {
    scope: sandbox.url,
    evidence: (id) => client.evidence(id),
    checksums: async (id) => (await client.evidenceChecksums(id)).checksums,
  };
  let target;
  const probe = new E.EvidenceCache();
  for (const r of runs.filter((x) => x.status === 'FAIL')) {
    const ev = await probe.get(source, r.run_id);
    if (ev.audits?.some((a) => a.check_name === 'Overlap' && a.status === 'FAIL')) target = r;
  }
  target ??= runs[0];
  const open = [];
  let last;
  for (let i = 0; i < ROUNDS; i++) {
    const cache = new E.EvidenceCache(); // cold: every round downloads and verifies
    const t0 = performance.now();
    const ev = await cache.get(source, target.run_id);
    last = { ev, rf: F.runFindings(ev) };
    open.push(performance.now() - t0);
  }
  const local = [];
  let result;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = await L.runLocalAudits(last.ev.forecast.text, { week: last.ev.week });
    local.push(performance.now() - t0);
  }
  const T = await loadTs('src/evidence/timeline.ts');
  const R = await loadTs('src/reports/timeline.ts');
  const plans = [];
  for (const r of runs.filter((x) => ['PASS', 'WARN', 'FAIL', 'BLOCKED'].includes(x.status))) {
    const block = T.buildTimeline(await probe.get(source, r.run_id));
    plans.push({ run: r.run_id, block });
  }
  const largest = plans.reduce((a, b) => (b.block.drivers.length > a.block.drivers.length ? b : a));
  const timelines = [];
  for (const p of [largest, plans.find((x) => x.run === target.run_id)].filter(Boolean))
    timelines.push({
      ...p,
      ...(await timelineInChromium(
        R.buildTimelineReport({ block: p.block, generatedAt: new Date().toISOString() }),
      )),
    });

  const o = stats(open);
  const l = stats(local);
  printTable([
    {
      measure: 'open evidence + findings (cold cache)',
      run: target.run_id,
      tours: last.rf.tours?.length ?? 0,
      drivers: last.rf.summary?.drivers ?? 0,
      findings: last.rf.findings.length,
      'p50 ms': o.p50,
      'max ms': o.max,
      target: '<= 300',
    },
    {
      measure: 'audits as tests, built-in engine',
      run: target.run_id,
      tours: result.tours.length,
      drivers: result.kpis.headcount,
      findings: result.findings.length,
      'p50 ms': l.p50,
      'max ms': l.max,
      target: '<= 2000',
    },
  ]);
  console.log('');
  printTable(
    timelines.map((t) => ({
      measure: 'timeline in Chromium',
      run: t.run,
      drivers: t.block.drivers.length,
      'first paint p50 ms (cold)': t.cold.p50,
      'max ms (cold)': t.cold.max,
      'p50 ms (warm)': t.warm.p50,
      target: '<= 200',
      'scroll p50/p95 ms': `${t.scroll.p50Ms}/${t.scroll.p95Ms}`,
      fps: t.scroll.fps,
      'DOM rows': t.scroll.domRows,
    })),
  );
} finally {
  await sandbox.stop();
}

/** The report webview's page as VS Code serves it, minus VS Code: its stylesheet and bundle, the
 * host's API replaced by a list of posted messages. */
function webviewPage() {
  const css = readFileSync(path.join(root, 'media', 'webview.css'), 'utf8');
  const js = readFileSync(path.join(root, 'dist', 'webview', 'report.js'), 'utf8');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>${css}</style></head>
<body class="vscode-dark"><div id="status" role="status"></div><main id="root"></main>
<script>window.acquireVsCodeApi = () => ({ postMessage: () => {}, getState: () => undefined, setState: () => {} });</script>
<script>${js}</script></body></html>`;
}

/** First paint of a timeline report (cold: a fresh page each round; warm: re-rendered) and 2 s of scrolling. */
async function timelineInChromium(doc) {
  const chromium = await launchChromium();
  try {
    const page = chromium.page;
    const html = webviewPage();
    const render = async () => {
      const measuring = page.evaluate(nextRenderPaint);
      await page.evaluate((d) => window.postMessage({ type: 'render', doc: d }, '*'), doc);
      const r = await measuring;
      if (!r.rows) throw new Error('the timeline painted no rows');
      return r.ms;
    };
    const cold = [];
    const warm = [];
    for (let i = 0; i < ROUNDS; i++) {
      await page.setContent(html);
      cold.push(await render());
      warm.push(await render());
    }
    const scroll = await page.evaluate(scrollTimeline, { durationMs: 2000, step: 45 });
    return { cold: stats(cold), warm: stats(warm), scroll: frameSummary(scroll) };
  } finally {
    await chromium.close();
  }
}

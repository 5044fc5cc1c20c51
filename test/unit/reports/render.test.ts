import assert from 'node:assert/strict';
import { buildAuditReport } from '../../../src/reports/audit';
import { chartGeometry, distinctLabels, referenceLegend } from '../../../src/reports/chart';
import { buildFireDrillReport } from '../../../src/reports/fireDrills';
import { blockHtml, escapeHtml, renderReportHtml } from '../../../src/reports/html';
import { codeSpan, escapeMarkdown, renderReportMarkdown, sparkline } from '../../../src/reports/markdown';
import type { Block, ReportDoc } from '../../../src/reports/model';
import { contentSecurityPolicy, makeNonce, renderShell } from '../../../src/reports/shell';
import { drills, failingRun, NOW } from './fixtures';

const EVIL_NOTE = '<script>alert("note")</script> & <img src=x onerror=alert(1)>';
const EVIL_TOUR = 'T-1<b onmouseover=alert(2)>x</b>|y';

function evilDoc(): ReportDoc {
  const r = failingRun({ notes: EVIL_NOTE });
  const overlap = r.audit_results.find((a) => a.check_name === 'Overlap')!;
  (overlap.details as { violations: { tour_ids: string[]; message: string }[] }).violations[0]!.tour_ids = [
    EVIL_TOUR,
  ];
  (overlap.details as { violations: { message: string }[] }).violations[0]!.message =
    'msg with </td></tr><tr><td>';
  return buildAuditReport({ run: r, generatedAt: NOW });
}

describe('HTML export', () => {
  it('renders a run note and a tour name with HTML as text', () => {
    const html = renderReportHtml(evilDoc());
    assert.ok(!html.includes('<script>alert'), 'note became a script element');
    assert.ok(!html.includes('<img src=x'), 'note became an img element');
    assert.ok(!html.includes('<b onmouseover'), 'tour name became markup');
    assert.ok(!html.includes('</td></tr><tr><td>'), 'message broke out of its cell');
    assert.ok(
      html.includes(
        '&lt;script&gt;alert(&quot;note&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
      ),
    );
    assert.ok(html.includes('T-1&lt;b onmouseover=alert(2)&gt;x&lt;/b&gt;|y'));
  });

  it('is a standalone document without scripts or remote content', () => {
    const html = renderReportHtml(evilDoc());
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(
      html,
      /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/,
    );
    assert.ok(!/<script/i.test(html));
    assert.ok(!/(src|href)="https?:/i.test(html));
  });

  it('uses real tables: caption, column and row headers', () => {
    const html = renderReportHtml(evilDoc());
    assert.match(html, /<table id="checks"><caption>The seven audit checks of RUN-20261120-001<\/caption>/);
    assert.match(html, /<th scope="col">Check<\/th>/);
    assert.match(html, /<th scope="row"[^>]*>Coverage<\/th>/);
  });

  it('escapes every HTML special character', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('markdown export', () => {
  it('keeps HTML and markdown in a note or tour name as text', () => {
    const md = renderReportMarkdown(evilDoc());
    assert.ok(!md.includes('<script>'), 'raw <script> in markdown');
    assert.ok(!md.includes('<img src'), 'raw <img> in markdown');
    assert.ok(
      md.includes('&lt;script>alert("note")&lt;/script> &amp; &lt;img src=x onerror=alert(1)>'),
      md.split('\n').find((l) => l.includes('Notes')),
    );
    // Tours are a code span: literal text in every markdown renderer; the pipe cannot end the cell.
    assert.ok(md.includes('`T-1<b onmouseover=alert(2)>x</b>\\|y`'));
  });

  it('writes tables with one row per item and aligned numeric columns', () => {
    const md = renderReportMarkdown(evilDoc());
    assert.match(md, /^# Audit report RUN-20261120-001 — FAIL$/m);
    assert.match(md, /^\| Check \| Status \| Violations \| Message \|$/m);
    assert.match(md, /^\| --- \| --- \| ---: \| --- \|$/m);
    const checkRows = md
      .split('\n')
      .filter((l) =>
        /^\| (Coverage|Overlap|Rest|SpanRegular|SpanSplit|Fatigue|Reproducibility) \| (PASS|FAIL|WARN) \| \d+ \|/.test(
          l,
        ),
      );
    assert.equal(checkRows.length, 7);
  });

  it('escapes markdown syntax and code spans safely', () => {
    assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
    assert.equal(escapeMarkdown('2026-11-16 a_b'), '2026-11-16 a\\_b');
    assert.equal(escapeMarkdown('*a* [b](c) | d\ne'), '\\*a\\* \\[b\\](c) \\| d<br>e');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x'), '`` `x ``');
  });

  it('draws a chart as a sparkline with its description', () => {
    assert.equal(sparkline([1, 2, null, 8]), '▁▂ █');
    assert.equal(sparkline([5, 5]), '▄▄');
  });

  it('exports the fire-drill history with the 5 s verdict per toggle', () => {
    const md = renderReportMarkdown(buildFireDrillReport({ drills: drills(), generatedAt: NOW }));
    assert.match(md, /6\.2 s > 5 s/);
    assert.match(md, /780 ms ≤ 5 s/);
    assert.match(md, /publish &lt;b>stayed&lt;\/b> on/);
  });
});

describe('webview HTML shell', () => {
  const opts = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abcdefghijklmnop1234',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/report.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css',
    title: 'Audit <RUN>',
    state: { v: 1, target: { kind: 'audit', runId: 'RUN-1"><script>x</script>' } },
  };

  it("has a strict CSP: default-src 'none', scripts only by nonce, styles only from the extension", () => {
    const html = renderShell(opts);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.ok(csp, 'no CSP meta');
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], ["'nonce-abcdefghijklmnop1234'"]);
    assert.deepEqual(directives['style-src'], [opts.cspSource]);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
    assert.ok(!/\*|https?:\/\/(?!file\+\.vscode-resource)/.test(csp), `remote source in CSP: ${csp}`);
  });

  it('loads exactly one script, with the nonce, and no inline script', () => {
    const html = renderShell(opts);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], `<script nonce="abcdefghijklmnop1234" src="${opts.scriptUri}">`);
    assert.match(html, /<script[^>]*><\/script>/);
  });

  it('escapes the title and the restore state', () => {
    const html = renderShell(opts);
    assert.ok(html.includes('<title>Audit &lt;RUN&gt;</title>'));
    assert.ok(!html.includes('<script>x'));
    const state = /name="solvereign-state" content="([^"]*)"/.exec(html)?.[1] ?? '';
    const decoded = state
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    assert.deepEqual(JSON.parse(decoded), opts.state);
  });

  it('refuses a weak nonce and makes strong ones', () => {
    assert.throws(() => renderShell({ ...opts, nonce: 'x' }));
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(a, makeNonce());
    assert.match(contentSecurityPolicy('vscode-resource:', a), new RegExp(`script-src 'nonce-${a}'`));
  });
});

describe('chart geometry', () => {
  const chart: Extract<Block, { kind: 'chart' }> = {
    kind: 'chart',
    id: 'c',
    title: 't',
    description: 'd',
    series: [
      {
        name: 's',
        points: [
          { x: 'W1', y: 140 },
          { x: 'W2', y: 150 },
          { x: 'W3', y: null },
          { x: 'W4', y: 145 },
        ],
      },
    ],
    references: [{ label: 'baseline', y: 145 }],
  };

  it('keeps every point inside the plot and breaks the line at missing values', () => {
    const g = chartGeometry(chart);
    const pts = g.series[0]!.points;
    assert.equal(pts.length, 3);
    for (const p of pts) {
      assert.ok(p.cx >= g.plot.left && p.cx <= g.plot.right);
      assert.ok(p.cy >= g.plot.top && p.cy <= g.plot.bottom);
    }
    assert.equal((g.series[0]!.path.match(/M/g) ?? []).length, 2);
    // Higher values are drawn higher up.
    assert.ok(pts[1]!.cy < pts[0]!.cy);
    assert.equal(g.references[0]!.label, 'baseline');
    assert.equal(g.xTicks.length, 4);
  });

  it('names the series and reference lines in a legend, escaped', () => {
    const html = blockHtml({ ...chart, references: [{ label: 'baseline <145>', y: 145, tone: 'warn' }] });
    assert.match(
      html,
      /<ul class="legend"><li><svg[^>]*><line class="series"[^>]*\/><\/svg> s \(solid line\)<\/li>/,
    );
    assert.ok(html.includes('<line class="ref tone-warn" stroke-dasharray="8 4"'));
    assert.ok(html.includes('baseline &lt;145&gt; (dashed line)'));
    assert.match(html, /<svg class="chart"[^>]* role="img" aria-label="t\. d">/);
  });

  it('gives each reference line of a chart its own pattern and draws the series over them', () => {
    const refs = [
      { label: 'baseline 145', y: 145, tone: 'neutral' as const },
      { label: 'WARN above +5 %', y: 152, tone: 'warn' as const },
      { label: 'WARN below −5 %', y: 138, tone: 'warn' as const },
    ];
    const g = chartGeometry({ ...chart, references: refs });
    assert.deepEqual(
      g.references.map((r) => r.pattern),
      ['dashed', 'dotted', 'dash-dot'],
    );
    assert.equal(new Set(g.references.map((r) => r.dash)).size, 3);
    assert.deepEqual(g.references.map(referenceLegend), [
      'baseline 145 (dashed line)',
      'WARN above +5 % (dotted line)',
      'WARN below −5 % (dash-dot line)',
    ]);
    // A reference without a tone is drawn in the foreground colour, not the series' blue.
    assert.equal(chartGeometry(chart).references[0]!.tone, 'neutral');
    const html = blockHtml({ ...chart, references: refs });
    const plot = html.slice(0, html.indexOf('</svg>'));
    assert.equal(plot.match(/<line class="ref/g)?.length, 3);
    assert.ok(
      plot.lastIndexOf('<line class="ref') < plot.indexOf('<path class="series"'),
      'a reference line is drawn over the series',
    );
  });

  it('names repeated x labels by their fallback and spaces long tick labels apart', () => {
    assert.deepEqual(
      distinctLabels([
        { label: '2026-W48', fallback: 'RUN-1' },
        { label: '2026-W49', fallback: 'RUN-2' },
        { label: '2026-W49', fallback: 'RUN-3' },
      ]),
      ['2026-W48', 'RUN-2', 'RUN-3'],
    );
    const runs = Array.from({ length: 10 }, (_, i) => ({ x: `RUN-20261130-00${i}`, y: 140 + i }));
    const g = chartGeometry({ ...chart, series: [{ name: 's', points: runs }] });
    const ticks = g.xTicks;
    assert.equal(ticks.at(-1)!.label, 'RUN-20261130-009', 'the newest point is labelled');
    assert.equal(new Set(ticks.map((t) => t.label)).size, ticks.length);
    // 16 characters of 11 px text are about 112 px wide: centred labels 124 px apart never touch,
    // and the newest one ends inside the chart.
    for (let i = 1; i < ticks.length; i++)
      assert.ok(ticks[i]!.x - ticks[i - 1]!.x >= 124, `ticks at ${ticks.map((t) => t.x)}`);
    assert.ok(ticks.at(-1)!.x + 56 <= g.width, `the newest label ends at ${ticks.at(-1)!.x + 56}`);
    // Short labels keep the usual margin.
    assert.equal(chartGeometry(chart).plot.right, 560 - 36);
  });

  it('copes with a flat series and no data', () => {
    const flat = chartGeometry({
      ...chart,
      references: [],
      series: [
        {
          name: 's',
          points: [
            { x: 'a', y: 1 },
            { x: 'b', y: 1 },
          ],
        },
      ],
    });
    assert.ok(flat.yTicks.length >= 2);
    const none = chartGeometry({ ...chart, references: [], series: [{ name: 's', points: [] }] });
    assert.equal(none.series[0]!.path, '');
  });
});

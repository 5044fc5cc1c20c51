// Reports as HTML text: a standalone document for export (tickets, mail) and the HTML shell of the
// webview (shell.ts). Every value goes through escapeHtml; no scripts in exports.
import { chartGeometry, referenceLegend } from './chart';
import { actionLabel, type Block, type Cell, type ReportDoc, type Tone } from './model';
import { timelineSummaryTable } from './timeline';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const toneClass = (t: Tone | undefined) => (t ? ` tone-${t}` : '');

function cellHtml(c: Cell, tag: 'td' | 'th', align?: string): string {
  const cls = `${c.mono ? 'mono' : ''}${toneClass(c.tone)}${align ? ` align-${align}` : ''}`.trim();
  const title = c.action ? ` title="${escapeHtml(actionLabel(c.action))}"` : '';
  const scope = tag === 'th' ? ' scope="row"' : '';
  return `<${tag}${scope}${cls ? ` class="${cls}"` : ''}${title}>${escapeHtml(c.text)}</${tag}>`;
}

export function chartSvg(block: Extract<Block, { kind: 'chart' }>): string {
  const g = chartGeometry(block);
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${g.width} ${g.height}" width="${g.width}" height="${g.height}" role="img" aria-label="${escapeHtml(`${block.title}. ${block.description}`)}">`,
  );
  for (const t of g.yTicks) {
    parts.push(
      `<line class="grid" x1="${g.plot.left}" x2="${g.plot.right}" y1="${t.y}" y2="${t.y}"/>`,
      `<text class="axis" x="${g.plot.left - 6}" y="${t.y + 4}" text-anchor="end">${escapeHtml(t.label)}</text>`,
    );
  }
  for (const t of g.xTicks)
    parts.push(
      `<text class="axis" x="${t.x}" y="${g.height - 10}" text-anchor="middle">${escapeHtml(t.label)}</text>`,
    );
  for (const ref of g.references)
    parts.push(
      `<line class="ref tone-${ref.tone}" stroke-dasharray="${ref.dash}" x1="${g.plot.left}" x2="${g.plot.right}" y1="${ref.y}" y2="${ref.y}"/>`,
    );
  for (const s of g.series) {
    parts.push(`<path class="series" d="${s.path}"/>`);
    for (const p of s.points)
      parts.push(
        `<circle class="point" cx="${p.cx}" cy="${p.cy}" r="3"><title>${escapeHtml(p.label)}</title></circle>`,
      );
  }
  parts.push('</svg>');
  return parts.join('');
}

function legendHtml(b: Extract<Block, { kind: 'chart' }>): string {
  const item = (line: string, label: string) =>
    `<li><svg width="28" height="8" aria-hidden="true"><line ${line} x1="0" x2="28" y1="4" y2="4"/></svg> ${escapeHtml(label)}</li>`;
  return `<ul class="legend">${[
    ...b.series.map((x) => item('class="series"', `${x.name} (solid line)`)),
    ...chartGeometry(b).references.map((r) =>
      item(`class="ref tone-${r.tone}" stroke-dasharray="${r.dash}"`, referenceLegend(r)),
    ),
  ].join('')}</ul>`;
}

export function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'timeline':
      // Exports carry the timeline as text: one row per driver.
      return blockHtml(timelineSummaryTable(b));
    case 'text':
      return `<p class="text${toneClass(b.tone)}">${escapeHtml(b.text)}</p>`;
    case 'notice':
      return `<div class="notice${toneClass(b.tone)}" role="note"><strong>${escapeHtml(b.title)}</strong> ${escapeHtml(b.text)}</div>`;
    case 'facts':
      return `${b.title ? `<h3>${escapeHtml(b.title)}</h3>` : ''}<dl class="facts">${b.facts
        .map(
          (f) =>
            `<dt>${escapeHtml(f.label)}</dt><dd class="${`${f.mono ? 'mono' : ''}${toneClass(f.tone)}`.trim()}">${escapeHtml(f.value)}</dd>`,
        )
        .join('')}</dl>`;
    case 'columns':
      return `<div class="columns">${b.groups
        .map(
          (g) =>
            `<section class="group"><h3>${escapeHtml(g.title)}</h3>${blockHtml({ kind: 'facts', facts: g.facts })}</section>`,
        )
        .join('')}</div>`;
    case 'pre':
      return `${b.title ? `<h3>${escapeHtml(b.title)}</h3>` : ''}<pre>${escapeHtml(b.text)}</pre>`;
    case 'actions':
      return `${b.title ? `<h3>${escapeHtml(b.title)}</h3>` : ''}<ul>${b.actions
        .map(
          (a) =>
            `<li>${escapeHtml(a.label)}${a.recommended ? ' (recommended)' : ''}${a.description ? `: ${escapeHtml(a.description)}` : ''}</li>`,
        )
        .join('')}</ul>`;
    case 'chart':
      return `<figure class="chart-figure"><figcaption>${escapeHtml(b.title)}</figcaption>${chartSvg(b)}${legendHtml(b)}<p class="chart-description">${escapeHtml(b.description)}</p></figure>`;
    case 'table': {
      const head = `<thead><tr>${b.columns
        .map(
          (c) => `<th scope="col"${c.align ? ` class="align-${c.align}"` : ''}>${escapeHtml(c.label)}</th>`,
        )
        .join('')}</tr></thead>`;
      const body = b.rows.length
        ? b.rows
            .map(
              (r) =>
                `<tr>${r.cells.map((c, i) => cellHtml(c, i === 0 ? 'th' : 'td', b.columns[i]?.align)).join('')}</tr>`,
            )
            .join('')
        : `<tr><td colspan="${b.columns.length}" class="empty">${escapeHtml(b.empty ?? 'Nothing to show.')}</td></tr>`;
      return `<table id="${escapeHtml(b.id)}"><caption>${escapeHtml(b.caption)}</caption>${head}<tbody>${body}</tbody></table>`;
    }
  }
}

export function reportBodyHtml(doc: ReportDoc): string {
  const status = doc.status
    ? ` <span class="badge${toneClass(doc.status.tone)}">${escapeHtml(doc.status.label)}</span>`
    : '';
  const meta = [doc.subtitle, doc.source, `generated ${doc.generatedAt}`].filter(Boolean) as string[];
  return [
    `<header><h1>${escapeHtml(doc.title)}${status}</h1><p class="meta">${meta.map(escapeHtml).join(' · ')}</p></header>`,
    ...doc.sections.map(
      (s) =>
        `<section id="section-${escapeHtml(s.id)}" aria-labelledby="h-${escapeHtml(s.id)}"><h2 id="h-${escapeHtml(s.id)}">${escapeHtml(s.title)}</h2>${s.blocks.map(blockHtml).join('\n')}</section>`,
    ),
  ].join('\n');
}

/** CSS for the exported document: readable in light and dark, no external resources. */
export const EXPORT_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e; --border: #d1d9e0;
  --pass: #1a7f37; --warn: #9a6700; --fail: #cf222e; --info: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --border: #3d444d;
  --pass: #3fb950; --warn: #d29922; --fail: #f85149; --info: #4493f8; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 2em; max-width: 1200px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid var(--border); padding-bottom: .2em; margin-top: 1.6em; }
.meta, .chart-description { color: var(--muted); }
table { border-collapse: collapse; margin: .6em 0 1.2em; } caption { text-align: left; font-weight: 600; padding: .3em 0; }
th, td { border: 1px solid var(--border); padding: .25em .6em; text-align: left; vertical-align: top; }
th[scope=row] { font-weight: normal; } .align-right { text-align: right; } .align-center { text-align: center; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; } dt { color: var(--muted); } dd { margin: 0; }
.columns { display: flex; gap: 2em; flex-wrap: wrap; } .mono, pre { font-family: ui-monospace, monospace; font-size: .92em; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; border: 1px solid var(--border); padding: .6em; }
.tone-pass { --tone: var(--pass); } .tone-warn { --tone: var(--warn); } .tone-fail { --tone: var(--fail); } .tone-info { --tone: var(--info); } .tone-neutral { --tone: var(--fg); }
td[class*=tone-], dd[class*=tone-], p[class*=tone-] { border-left: 4px solid var(--tone); }
.badge { font-size: .7em; border: 1px solid var(--tone); border-left-width: 4px; border-radius: 3px; padding: 0 .4em; vertical-align: middle; }
.notice { border-left: 4px solid var(--tone, var(--border)); padding: .4em .8em; margin: .6em 0; }
svg.chart { max-width: 100%; height: auto; } svg .grid { stroke: var(--border); } svg .axis { fill: var(--muted); font-size: 11px; }
svg .series { fill: none; stroke: var(--info); stroke-width: 2; } svg .point { fill: var(--info); }
svg .ref { stroke: var(--tone, var(--fg)); stroke-width: 2; fill: none; }
ul.legend { list-style: none; padding: 0; display: flex; gap: 1.2em; flex-wrap: wrap; font-size: .9em; } ul.legend svg { vertical-align: middle; }
`;

/** A standalone HTML document of the report (export). No scripts, no remote content. */
export function renderReportHtml(doc: ReportDoc): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${EXPORT_CSS}</style>
</head>
<body>
${reportBodyHtml(doc)}
</body>
</html>
`;
}

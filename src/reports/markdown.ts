// Reports as markdown for tickets. Text is escaped so that neither markdown nor inline HTML in a
// run note or tour name changes the document (ticket systems render inline HTML).
import type { Block, Cell, ReportDoc } from './model';
import { timelineSummaryTable } from './timeline';

/**
 * Escapes markdown syntax and HTML in inline text: emphasis, links, code, table pipes anywhere, block
 * markers (`#`, `>`, `-`, `+`, `1.`) at the start; `<` and `&` as entities so no tag can form.
 * Newlines become `<br>` (a table cell is one line).
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#>+-]|\d+\.)/, '$1\\$2')
    .replace(/\r?\n/g, '<br>');
}

/** Inline code that survives backticks in the value. */
export function codeSpan(s: string): string {
  const one = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  // `|` ends a table cell even inside a code span in GFM.
  return `${fence}${pad}${one.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

function cellMd(c: Cell): string {
  if (!c.text) return '';
  return c.mono ? codeSpan(c.text) : escapeMarkdown(c.text);
}

const SPARK = '▁▂▃▄▅▆▇█';

export function sparkline(values: (number | null)[]): string {
  const nums = values.filter((v): v is number => v !== null);
  if (!nums.length) return '';
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  return values
    .map((v) =>
      v === null ? ' ' : SPARK[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (SPARK.length - 1))],
    )
    .join('');
}

export function blockMarkdown(b: Block): string {
  switch (b.kind) {
    case 'timeline':
      // Exports carry the timeline as text: one row per driver.
      return blockMarkdown(timelineSummaryTable(b));
    case 'text':
      return escapeMarkdown(b.text);
    case 'notice':
      return `> **${escapeMarkdown(b.title)}** ${escapeMarkdown(b.text)}`;
    case 'facts':
      return `${b.title ? `**${escapeMarkdown(b.title)}**\n\n` : ''}${b.facts
        .map(
          (f) => `- **${escapeMarkdown(f.label)}:** ${f.mono ? codeSpan(f.value) : escapeMarkdown(f.value)}`,
        )
        .join('\n')}`;
    case 'columns':
      return b.groups
        .map((g) => blockMarkdown({ kind: 'facts', title: g.title, facts: g.facts }))
        .join('\n\n');
    case 'pre':
      return `${b.title ? `**${escapeMarkdown(b.title)}**\n\n` : ''}${fenced(b.text)}`;
    case 'actions':
      return [
        ...(b.title ? [`**${escapeMarkdown(b.title)}**`, ''] : []),
        ...b.actions.map(
          (a) =>
            `- ${escapeMarkdown(a.label)}${a.recommended ? ' (recommended)' : ''}${a.description ? `: ${escapeMarkdown(a.description)}` : ''}`,
        ),
      ].join('\n');
    case 'chart': {
      const lines = [`**${escapeMarkdown(b.title)}**`, ''];
      for (const s of b.series)
        lines.push(`${escapeMarkdown(s.name)}: ${codeSpan(sparkline(s.points.map((p) => p.y)))}`);
      lines.push('', escapeMarkdown(b.description));
      return lines.join('\n');
    }
    case 'table': {
      const align = (a?: string) => (a === 'right' ? '---:' : a === 'center' ? ':---:' : '---');
      const lines = [
        `**${escapeMarkdown(b.caption)}**`,
        '',
        `| ${b.columns.map((c) => escapeMarkdown(c.label)).join(' | ')} |`,
        `| ${b.columns.map((c) => align(c.align)).join(' | ')} |`,
      ];
      for (const r of b.rows) lines.push(`| ${r.cells.map(cellMd).join(' | ')} |`);
      if (!b.rows.length)
        lines.push(
          `| ${escapeMarkdown(b.empty ?? 'Nothing to show.')} |${' |'.repeat(Math.max(0, b.columns.length - 1))}`,
        );
      return lines.join('\n');
    }
  }
}

export function renderReportMarkdown(doc: ReportDoc): string {
  const out: string[] = [];
  out.push(`# ${escapeMarkdown(doc.title)}${doc.status ? ` — ${escapeMarkdown(doc.status.label)}` : ''}`);
  const meta = [doc.subtitle, doc.source, `generated ${doc.generatedAt}`].filter(Boolean) as string[];
  out.push('', `_${meta.map(escapeMarkdown).join(' · ')}_`);
  for (const s of doc.sections) {
    out.push('', `## ${escapeMarkdown(s.title)}`);
    for (const b of s.blocks) out.push('', blockMarkdown(b));
  }
  return `${out.join('\n')}\n`;
}

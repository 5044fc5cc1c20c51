// Builds the report's DOM from the ReportDoc the host sent. Only DOM APIs with text nodes
// (`textContent`, `setAttribute`): nothing from the server is ever parsed as HTML.
import { type ChartGeometry, chartGeometry, referenceLegend } from '../src/reports/chart';
import {
  actionLabel,
  type Block,
  type Cell,
  type ReportAction,
  type ReportDoc,
  type Tone,
} from '../src/reports/model';
import { timelineEl } from './timeline';

export type ActionHandler = (a: ReportAction) => void;

type Attrs = Record<string, string | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) {
    if (c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const tone = (t: Tone | undefined) => (t ? `tone-${t}` : '');
const cls = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

function actionButton(text: string, action: ReportAction, onAction: ActionHandler): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'link', title: actionLabel(action) }, text);
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onAction(action);
  });
  return b;
}

function cellContent(c: Cell, onAction: ActionHandler): Node {
  const inner = c.action ? actionButton(c.text, c.action, onAction) : document.createTextNode(c.text);
  if (c.tone && c.tone !== 'neutral') {
    const span = h('span', { class: cls('pill', tone(c.tone)) });
    span.append(inner);
    return span;
  }
  return inner;
}

type SortDir = 'ascending' | 'descending';

function compareKeys(a: string | number | undefined, b: string | number | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function tableEl(b: Extract<Block, { kind: 'table' }>, onAction: ActionHandler): HTMLElement {
  const table = h('table', { id: `table-${b.id}`, class: 'report-table' });
  table.append(h('caption', {}, b.caption));
  const headRow = h('tr');
  const ths: HTMLTableCellElement[] = [];
  const tbody = h('tbody');
  const rowKeys = new Map<HTMLTableRowElement, (string | number | undefined)[]>();

  const sortBy = (col: number, dir: SortDir) => {
    ths.forEach((th, i) => {
      if (b.columns[i]?.sortable) th.setAttribute('aria-sort', i === col ? dir : 'none');
    });
    const rows = [...rowKeys.keys()].sort((x, y) => {
      const r = compareKeys(rowKeys.get(x)![col], rowKeys.get(y)![col]);
      return dir === 'ascending' ? r : -r;
    });
    tbody.append(...rows);
  };

  b.columns.forEach((c, i) => {
    const th = h('th', { scope: 'col', class: cls(c.align && `align-${c.align}`) });
    if (c.sortable && b.rows.length > 1) {
      th.setAttribute('aria-sort', 'none');
      const btn = h(
        'button',
        { type: 'button', class: 'sort' },
        c.label,
        h('span', { class: 'sort-icon', 'aria-hidden': 'true' }),
      );
      btn.addEventListener('click', () => {
        sortBy(i, th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending');
      });
      th.append(btn);
    } else th.append(c.label);
    ths.push(th);
    headRow.append(th);
  });
  table.append(h('thead', {}, headRow));

  if (!b.rows.length) {
    tbody.append(
      h(
        'tr',
        {},
        h('td', { colspan: String(b.columns.length), class: 'empty' }, b.empty ?? 'Nothing to show.'),
      ),
    );
  }
  for (const r of b.rows) {
    const tr = h('tr', { class: cls(r.action && 'actionable') });
    r.cells.forEach((c, i) => {
      const align = b.columns[i]?.align;
      const el =
        i === 0
          ? h('th', { scope: 'row', class: cls(c.mono && 'mono', align && `align-${align}`) })
          : h('td', { class: cls(c.mono && 'mono', align && `align-${align}`) });
      el.append(cellContent(c, onAction));
      tr.append(el);
    });
    if (r.action) {
      const action = r.action;
      tr.tabIndex = 0;
      tr.setAttribute(
        'aria-label',
        `${r.cells.map((c) => c.text).join(', ')}. Enter: ${actionLabel(action)}`,
      );
      tr.addEventListener('keydown', (e) => {
        if (e.target !== tr) return;
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onAction(action);
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const sib = (
            e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling
          ) as HTMLElement | null;
          sib?.focus();
        }
      });
    }
    rowKeys.set(
      tr,
      r.cells.map((c) => c.sort ?? c.text),
    );
    tbody.append(tr);
  }
  table.append(tbody);
  return h('div', { class: 'table-wrap' }, table);
}

/** The series and reference lines, named under the chart (labels on the chart would overprint). */
function legendEl(b: Extract<Block, { kind: 'chart' }>, g: ChartGeometry): HTMLElement {
  const ul = h('ul', { class: 'legend', 'aria-label': `Legend of ${b.title}` });
  const item = (line: Record<string, string>, label: string) => {
    const swatch = s('svg', { width: 28, height: 8, 'aria-hidden': 'true' });
    swatch.append(s('line', { ...line, x1: 0, x2: 28, y1: 4, y2: 4 }));
    ul.append(h('li', {}, swatch as unknown as Node, label));
  };
  for (const series of b.series) item({ class: 'series' }, `${series.name} (solid line)`);
  for (const r of g.references)
    item({ class: `ref tone-${r.tone}`, 'stroke-dasharray': r.dash }, referenceLegend(r));
  return ul;
}

function chartEl(b: Extract<Block, { kind: 'chart' }>): HTMLElement {
  const g = chartGeometry(b);
  const svg = s('svg', {
    class: 'chart',
    viewBox: `0 0 ${g.width} ${g.height}`,
    role: 'img',
    'aria-label': `${b.title}. ${b.description}`,
  });
  for (const t of g.yTicks) {
    svg.append(s('line', { class: 'grid', x1: g.plot.left, x2: g.plot.right, y1: t.y, y2: t.y }));
    svg.append(s('text', { class: 'axis', x: g.plot.left - 6, y: t.y + 4, 'text-anchor': 'end' }, t.label));
  }
  for (const t of g.xTicks)
    svg.append(s('text', { class: 'axis', x: t.x, y: g.height - 10, 'text-anchor': 'middle' }, t.label));
  // Reference lines first: the series is drawn over them.
  for (const r of g.references)
    svg.append(
      s('line', {
        class: `ref tone-${r.tone}`,
        'stroke-dasharray': r.dash,
        x1: g.plot.left,
        x2: g.plot.right,
        y1: r.y,
        y2: r.y,
      }),
    );
  for (const series of g.series) {
    svg.append(s('path', { class: 'series', d: series.path }));
    for (const p of series.points) {
      const c = s('circle', { class: 'point', cx: p.cx, cy: p.cy, r: 3 });
      c.append(s('title', {}, p.label));
      svg.append(c);
    }
  }
  return h(
    'figure',
    { class: 'chart-figure', id: `chart-${b.id}` },
    h('figcaption', {}, b.title),
    svg,
    legendEl(b, g),
    h('p', { class: 'chart-description' }, b.description),
  );
}

function factsEl(facts: Extract<Block, { kind: 'facts' }>['facts']): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const f of facts) {
    dl.append(h('dt', {}, f.label));
    const dd = h('dd', { class: cls(f.mono && 'mono') });
    if (f.tone && f.tone !== 'neutral') dd.append(h('span', { class: cls('pill', tone(f.tone)) }, f.value));
    else dd.append(f.value);
    dl.append(dd);
  }
  return dl;
}

export function blockEl(b: Block, onAction: ActionHandler): HTMLElement {
  switch (b.kind) {
    case 'text':
      return h('p', { class: cls('text', tone(b.tone)) }, b.text);
    case 'notice':
      return h(
        'div',
        { class: cls('notice', tone(b.tone)), role: 'note' },
        h('strong', {}, b.title),
        ' ',
        b.text,
      );
    case 'facts':
      return h('div', { class: 'facts-block' }, b.title ? h('h3', {}, b.title) : undefined, factsEl(b.facts));
    case 'columns':
      return h(
        'div',
        { class: 'columns' },
        ...b.groups.map((g) =>
          h('section', { class: 'group', 'aria-label': g.title }, h('h3', {}, g.title), factsEl(g.facts)),
        ),
      );
    case 'pre':
      return h(
        'div',
        { class: 'pre-block' },
        b.title ? h('h3', {}, b.title) : undefined,
        h('pre', { tabindex: '0' }, b.text),
      );
    case 'actions':
      return h(
        'div',
        { class: 'actions-block' },
        b.title ? h('h3', {}, b.title) : undefined,
        h(
          'div',
          { class: 'actions', role: 'group', 'aria-label': b.title ?? 'Actions' },
          ...b.actions.map((a) => {
            const button = h(
              'button',
              {
                type: 'button',
                class: cls(a.recommended && 'recommended'),
                title: a.description ?? actionLabel(a.action),
              },
              a.recommended ? `${a.label} (recommended)` : a.label,
            );
            button.addEventListener('click', () => onAction(a.action));
            return button;
          }),
        ),
      );
    case 'chart':
      return chartEl(b);
    case 'table':
      return tableEl(b, onAction);
    case 'timeline':
      return timelineEl(b, onAction);
  }
}

export function reportEl(doc: ReportDoc, onAction: ActionHandler): DocumentFragment {
  const frag = document.createDocumentFragment();
  const title = h('h1', {}, doc.title);
  if (doc.status) {
    title.append(
      ' ',
      h('span', { class: cls('badge', tone(doc.status.tone)), id: 'report-status' }, doc.status.label),
    );
  }
  const meta = [doc.subtitle, doc.source, `generated ${doc.generatedAt}`].filter(Boolean).join(' · ');
  frag.append(h('header', { class: 'report-header' }, title, h('p', { class: 'meta' }, meta)));
  const nav = h('nav', { 'aria-label': 'Sections', class: 'toc' });
  for (const sec of doc.sections) {
    const a = h('a', { href: `#section-${sec.id}` }, sec.title);
    // Scrolling alone leaves the focus on the link (the next Tab would start at the top again):
    // move it to the section's heading.
    a.addEventListener('click', (e) => {
      const heading = document.getElementById(`h-${sec.id}`);
      if (!heading) return;
      e.preventDefault();
      heading.focus();
      heading.scrollIntoView({ block: 'start' });
    });
    nav.append(a);
  }
  if (doc.sections.length > 2) frag.append(nav);
  for (const sec of doc.sections) {
    const el = h(
      'section',
      { id: `section-${sec.id}`, 'aria-labelledby': `h-${sec.id}` },
      h('h2', { id: `h-${sec.id}`, tabindex: '-1' }, sec.title),
    );
    for (const b of sec.blocks) el.append(blockEl(b, onAction));
    frag.append(el);
  }
  return frag;
}

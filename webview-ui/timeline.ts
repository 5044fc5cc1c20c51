// The roster timeline in the report webview: a virtualised grid of driver rows (only the rows in view
// and a few around them are in the DOM; rows leaving the view are reused for rows entering it), each
// with its tours as bars on a Mo–So axis. One tab stop (roving tabindex): arrow keys move between a
// row's header and its bars and between rows, Enter opens a tour's forecast line. Filters by driver,
// day, depot and violation. Built with DOM APIs and text only, positioned through CSSOM (the CSP
// allows no inline style attributes).
import { statusTone } from '../src/reports/format';
import type { ReportAction } from '../src/reports/model';
import {
  axisTicks,
  driverAccessibleLabel,
  driverViolations,
  type FilteredTimeline,
  filterTimeline,
  hoursText,
  rowWindow,
  scrollTopFor,
  type TimelineBlock,
  type TimelineDriver,
  type TimelineFilter,
  type TimelineTour,
  tourAccessibleLabel,
  tourSpan,
  worstStatus,
} from '../src/reports/timeline';
import { DAY_ABBREVIATIONS, DAY_NAMES_ENGLISH } from '../src/shared/days';
import type { TimelineRendered } from '../src/webviews/protocol';
import { type ActionHandler, h } from './render';

/** Fixed row height (px): the window maths and the CSS (.tl-row) agree on it. */
export const ROW_HEIGHT = 30;
/** Rows rendered beyond each edge of the view, so fast scrolling does not show empty space. */
export const OVERSCAN = 8;

const GLYPH = { FAIL: '✕', WARN: '!' } as const;
const pct = (n: number) => `${Math.round(n * 1000) / 1000}%`;

interface Focus {
  /** Index into the filtered rows. */
  row: number;
  /** 0 = the row header, k = the k-th bar shown in the row. */
  cell: number;
}

const views = new WeakMap<Element, TimelineView>();

class TimelineView {
  readonly el: HTMLElement;
  private filter: TimelineFilter = {};
  private data: FilteredTimeline;
  private readonly grid: HTMLElement;
  private readonly body: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly count: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly details: HTMLElement;
  /** Filtered row index -> its element, for the rows in the DOM. */
  private readonly live = new Map<number, HTMLElement>();
  /** Row elements out of view, kept for reuse. */
  private readonly pool: HTMLElement[] = [];
  private focus: Focus = { row: 0, cell: 0 };

  constructor(
    private readonly b: TimelineBlock,
    private readonly onAction: ActionHandler,
  ) {
    this.data = filterTimeline(b);
    const id = b.id;
    this.count = h('p', { class: 'tl-count', role: 'status', id: `tl-${id}-count` });
    this.axis = h('div', { class: 'tl-axis-track' });
    this.body = h('div', { class: 'tl-body', role: 'rowgroup' });
    this.grid = h(
      'div',
      {
        class: 'tl-grid',
        role: 'grid',
        id: `tl-${id}-grid`,
        'aria-label': `${b.caption}. Arrow keys move between drivers and tours, Enter opens a tour's forecast line.`,
        'aria-readonly': 'true',
      },
      this.body,
    );
    this.empty = h('p', { class: 'tl-empty', hidden: '' }, 'No driver matches these filters.');
    this.details = h(
      'div',
      { class: 'tl-details', id: `tl-${id}-details` },
      h(
        'p',
        { class: 'tl-hint' },
        'Select a tour (click it, or Tab into the timeline and use the arrow keys) to see its details and violations here.',
      ),
    );
    this.el = h(
      'div',
      { class: 'tl', id: `timeline-${id}`, 'data-total': String(b.drivers.length) },
      this.filters(),
      this.count,
      this.legend(),
      this.details,
      h(
        'div',
        { class: 'tl-frame' },
        h(
          'div',
          { class: 'tl-axis', 'aria-hidden': 'true' },
          h('div', { class: 'tl-axis-corner' }, 'Driver'),
          this.axis,
        ),
        this.grid,
      ),
      this.empty,
    );
    views.set(this.el, this);
    this.grid.addEventListener('scroll', () => this.render());
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
    this.grid.addEventListener('click', (e) => {
      const bar = (e.target as Element).closest<HTMLElement>('.tl-tour');
      if (bar) this.activate(bar);
    });
    this.grid.addEventListener('focusin', (e) => this.onFocus(e.target as HTMLElement));
    new ResizeObserver(() => {
      // The axis ends where the lanes do, left of the grid's scrollbar.
      this.axis.style.marginRight = `${this.grid.offsetWidth - this.grid.clientWidth}px`;
      this.render();
    }).observe(this.grid);
    this.apply();
  }

  // ---------------------------------------------------------------- filters, legend, axis

  private filters(): HTMLElement {
    const id = this.b.id;
    const f = this.b.facets;
    const select = (name: string, label: string, options: [string, string][]) => {
      const s = h('select', { id: `tl-${id}-${name}` });
      for (const [value, text] of options) s.append(h('option', { value }, text));
      s.addEventListener('change', () => this.setFilter(name, s.value));
      return h('label', { class: 'tl-filter' }, `${label} `, s);
    };
    const driver = h('input', {
      type: 'search',
      id: `tl-${id}-driver`,
      placeholder: 'e.g. D017',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    driver.addEventListener('input', () => this.setFilter('driver', driver.value));
    const clear = h('button', { type: 'button', id: `tl-${id}-clear` }, 'Clear filters');
    clear.addEventListener('click', () => {
      for (const el of this.el.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
        '.tl-filters input, .tl-filters select',
      ))
        el.value = '';
      this.filter = {};
      this.apply();
    });
    const count = (n: number) => `${n} violation${n === 1 ? '' : 's'}`;
    const total = this.b.violations.length - (this.b.unplaced?.length ?? 0);
    return h(
      'div',
      { class: 'tl-filters', role: 'group', 'aria-label': 'Filter the timeline' },
      h('label', { class: 'tl-filter' }, 'Driver ', driver),
      select('day', 'Day', [
        ['', 'All days'],
        ...f.days.map((d): [string, string] => [
          String(d),
          `${DAY_ABBREVIATIONS[d - 1]} (${DAY_NAMES_ENGLISH[d - 1]})`,
        ]),
      ]),
      f.depots.length
        ? select('depot', 'Depot', [['', 'All depots'], ...f.depots.map((d): [string, string] => [d, d])])
        : undefined,
      select('audit', 'Violation', [
        ['', 'All tours'],
        ...(total ? [['*', `Any violation (${count(total)})`] as [string, string]] : []),
        ...f.audits.map((a): [string, string] => [a.name, `${a.name} ${a.status} (${count(a.count)})`]),
      ]),
      clear,
    );
  }

  private legend(): HTMLElement {
    const item = (swatch: HTMLElement, text: string) =>
      h('li', {}, h('span', { class: 'tl-swatch-wrap', 'aria-hidden': 'true' }, swatch), text);
    const bar = (cls: string, glyph?: string) => {
      const s = h('span', { class: `tl-swatch ${cls}` }, h('span', { class: 'tl-part' }));
      if (glyph) s.append(h('span', { class: 'tl-glyph' }, glyph));
      return s;
    };
    const split = h(
      'span',
      { class: 'tl-swatch tl-swatch-split' },
      h('span', { class: 'tl-part' }),
      h('span', { class: 'tl-break' }),
      h('span', { class: 'tl-part' }),
    );
    return h(
      'ul',
      { class: 'tl-legend', 'aria-label': 'Legend' },
      item(
        bar(this.b.timed ? '' : 'tl-untimed'),
        this.b.timed ? 'Tour' : 'Tour (whole day: no times in the evidence)',
      ),
      this.b.timed ? item(split, 'Split tour: two parts, the break dashed') : undefined,
      item(bar('tl-v-fail', GLYPH.FAIL), 'FAIL violation (hatched, ✕)'),
      item(bar('tl-v-warn', GLYPH.WARN), 'WARN violation (dotted, !)'),
    );
  }

  private drawAxis(): void {
    const [start, end] = this.data.range;
    const span = end - start;
    this.axis.replaceChildren(
      ...axisTicks(this.data.range, this.b.monday).map((t) => {
        const tick = h(
          'span',
          { class: `tl-tick${t.major ? ' major' : ''}` },
          t.label ?? '',
          t.date ? h('span', { class: 'tl-date' }, ` ${t.date}`) : undefined,
        );
        tick.style.left = pct(t.pct);
        return tick;
      }),
    );
    // Gridlines in every lane: day boundaries, and hours (a day) or 6 h (the week) between.
    this.grid.style.setProperty('--tl-major', pct((1440 / span) * 100));
    this.grid.style.setProperty('--tl-minor', pct(((span > 2 * 1440 ? 360 : 60) / span) * 100));
    this.grid.style.setProperty('--tl-offset', pct((-(start % 1440) / span) * 100));
  }

  private setFilter(name: string, value: string): void {
    const f = { ...this.filter };
    if (name === 'driver') f.driver = value || undefined;
    else if (name === 'day') f.day = value ? Number(value) : undefined;
    else if (name === 'depot') f.depot = value || undefined;
    else if (name === 'audit') f.audit = value || undefined;
    this.filter = f;
    this.apply();
  }

  /** Recomputes what the filters keep and redraws from the top. */
  private apply(): void {
    this.data = filterTimeline(this.b, this.filter);
    const { rows, tours, violations } = this.data;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const drivers = this.b.drivers.filter((d) => !d.unassigned).length;
    const shown = rows.filter((r) => !this.b.drivers[r.driver]!.unassigned).length;
    const unassigned = rows.length > shown ? ' and the unassigned tours' : '';
    this.count.textContent = `Showing ${shown} of ${plural(drivers, 'driver')}${unassigned} · ${plural(tours, 'tour')} · ${plural(violations, 'violation')}`;
    for (const [, el] of this.live) this.recycle(el);
    this.live.clear();
    this.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.grid.setAttribute('aria-rowcount', String(rows.length));
    this.grid.hidden = rows.length === 0;
    this.empty.hidden = rows.length > 0;
    this.grid.scrollTop = 0;
    this.focus = { row: 0, cell: 0 };
    this.drawAxis();
    this.render();
  }

  // ---------------------------------------------------------------- rows

  private recycle(el: HTMLElement): void {
    el.remove();
    this.pool.push(el);
  }

  /** Puts the rows in view (plus overscan) into the DOM, reusing the rows that left it. */
  render(): void {
    // Not in the page yet: the resize observer renders once the grid has its height (before the
    // first paint), so no rows are made for a guessed height.
    if (!this.grid.isConnected) return;
    const rows = this.data.rows;
    const w = rowWindow({
      scrollTop: this.grid.scrollTop,
      viewportHeight: this.grid.clientHeight,
      rowHeight: ROW_HEIGHT,
      rowCount: rows.length,
      overscan: OVERSCAN,
    });
    const focused = this.grid.contains(document.activeElement);
    // Scrolled away without the keyboard: the tab stop moves to the first row in view.
    let moved = false;
    if (!focused && rows.length && (this.focus.row < w.firstVisible || this.focus.row >= w.lastVisible)) {
      this.cellEl(this.focus.row, this.focus.cell)?.setAttribute('tabindex', '-1');
      this.focus = { row: Math.min(w.firstVisible, rows.length - 1), cell: 0 };
      moved = true;
    }
    const wanted = (i: number) => (i >= w.first && i < w.last) || (focused && i === this.focus.row);
    for (const [i, el] of this.live)
      if (!wanted(i)) {
        this.recycle(el);
        this.live.delete(i);
      }
    const add = (i: number) => {
      if (i >= rows.length || this.live.has(i)) return;
      const el = this.pool.pop() ?? h('div', { role: 'row', class: 'tl-row' });
      this.fillRow(el, i);
      // Keep the DOM in row order (what a screen reader's browse mode reads).
      let next: HTMLElement | undefined;
      for (const [j, other] of this.live) if (j > i && (!next || j < Number(next.dataset.row))) next = other;
      this.body.insertBefore(el, next ?? null);
      this.live.set(i, el);
    };
    for (let i = w.first; i < w.last; i++) add(i);
    if (focused) add(this.focus.row);
    if (moved) this.cellEl(this.focus.row, this.focus.cell)?.setAttribute('tabindex', '0');
  }

  private tourAt(row: number, cell: number): { driver: TimelineDriver; tour?: TimelineTour } {
    const r = this.data.rows[row]!;
    const driver = this.b.drivers[r.driver]!;
    const ti = cell > 0 ? r.tours[cell - 1] : undefined;
    return { driver, tour: ti === undefined ? undefined : driver.tours[ti] };
  }

  private fillRow(el: HTMLElement, i: number): void {
    const r = this.data.rows[i]!;
    const d = this.b.drivers[r.driver]!;
    const [start, end] = this.data.range;
    const span = end - start;
    el.dataset.row = String(i);
    el.setAttribute('aria-rowindex', String(i + 1));
    el.className = `tl-row${i % 2 ? ' tl-odd' : ''}${d.unassigned ? ' tl-unassigned' : ''}`;
    el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
    const rowViolations = driverViolations(d);
    const worst = worstStatus(this.b, rowViolations);
    const driverLabel = driverAccessibleLabel(this.b, d);
    const header = h(
      'div',
      {
        role: 'rowheader',
        class: 'tl-driver',
        tabindex: this.isFocus(i, 0) ? '0' : '-1',
        'data-cell': '0',
        'aria-label': driverLabel,
        title: driverLabel,
      },
      h('span', { class: 'tl-id' }, d.unassigned ? 'Unassigned' : d.id),
      d.workMinutes !== undefined ? h('span', { class: 'tl-hours' }, hoursText(d.workMinutes)) : undefined,
      worst
        ? h('span', { class: `tl-mark tone-${statusTone(worst)}` }, `${GLYPH[worst]} ${rowViolations.length}`)
        : undefined,
    );
    const lane = h('div', { class: 'tl-lane', role: 'none' });
    r.tours.forEach((ti, k) => {
      const t = d.tours[ti]!;
      const [s, e] = tourSpan(t);
      const status = worstStatus(this.b, t.v);
      const label = tourAccessibleLabel(this.b, d, t);
      const bar = h('div', {
        role: 'gridcell',
        class: `tl-tour${status ? ` tl-v-${status.toLowerCase()}` : ''}${t.parts ? '' : ' tl-untimed'}`,
        tabindex: this.isFocus(i, k + 1) ? '0' : '-1',
        'data-cell': String(k + 1),
        'aria-label': label,
        title: this.tooltip(label, t),
      });
      if (!t.parts && !(t.day >= 1 && t.day <= 7)) {
        // Neither times nor a day (a plan that does not say): a short bar at the row's start.
        bar.style.left = '0';
        bar.style.width = '16px';
      } else {
        bar.style.left = pct(((s - start) / span) * 100);
        bar.style.width = pct(((e - s) / span) * 100);
      }
      if (t.lanes && t.lanes > 1) {
        // Overlapping tours one above the other, each a slice of the lane between its 4 px margins.
        bar.style.top = `calc(4px + ${t.lane ?? 0} * (100% - 8px) / ${t.lanes})`;
        bar.style.height = `calc((100% - 8px) / ${t.lanes} - 1px)`;
        bar.style.bottom = 'auto';
      }
      const parts = t.parts ?? [[s, e]];
      parts.forEach(([ps, pe], n) => {
        if (n > 0) {
          const prev = parts[n - 1]![1];
          const gap = h('span', { class: 'tl-break' });
          gap.style.left = pct(((prev - s) / (e - s)) * 100);
          gap.style.width = pct(((ps - prev) / (e - s)) * 100);
          bar.append(gap);
        }
        const part = h('span', { class: 'tl-part' });
        part.style.left = pct(((ps - s) / (e - s)) * 100);
        part.style.width = pct(((pe - ps) / (e - s)) * 100);
        bar.append(part);
      });
      if (status) bar.append(h('span', { class: 'tl-glyph', 'aria-hidden': 'true' }, GLYPH[status]));
      lane.append(bar);
    });
    el.replaceChildren(header, lane);
  }

  /** The tour's accessible label, then its violations, one per line. */
  private tooltip(label: string, t: TimelineTour): string {
    const lines = [label];
    for (const i of t.v ?? []) {
      const v = this.b.violations[i]!;
      lines.push(`${v.audit} ${v.status}${v.code ? ` (${v.code})` : ''}: ${v.message}`);
    }
    const a = this.actionFor(t);
    if (a)
      lines.push(
        a.type === 'openSource' && a.line
          ? `Click or Enter: forecast line ${a.line}`
          : 'Click or Enter: the tour in the plan',
      );
    return lines.join('\n');
  }

  private actionFor(t: TimelineTour): ReportAction | undefined {
    if (t.line !== undefined) return { type: 'openSource', runId: this.b.runId, line: t.line };
    if (this.b.planFile)
      return { type: 'openSource', runId: this.b.runId, file: this.b.planFile, search: `"${t.id}"` };
    return undefined;
  }

  // ---------------------------------------------------------------- focus and keys

  private isFocus(row: number, cell: number): boolean {
    return this.focus.row === row && this.focus.cell === cell;
  }

  private cellEl(row: number, cell: number): HTMLElement | null {
    return this.live.get(row)?.querySelector<HTMLElement>(`[data-cell="${cell}"]`) ?? null;
  }

  private cellCount(row: number): number {
    return this.data.rows[row]?.tours.length ?? 0;
  }

  /** Moves the tab stop (and the focus) to a cell, scrolling its row into view. */
  private moveTo(row: number, cell: number): void {
    const rows = this.data.rows.length;
    if (!rows) return;
    const r = Math.max(0, Math.min(rows - 1, row));
    const c = Math.max(0, Math.min(this.cellCount(r), cell));
    this.cellEl(this.focus.row, this.focus.cell)?.setAttribute('tabindex', '-1');
    this.focus = { row: r, cell: c };
    const top = scrollTopFor(r, {
      scrollTop: this.grid.scrollTop,
      viewportHeight: this.grid.clientHeight,
      rowHeight: ROW_HEIGHT,
    });
    if (top !== this.grid.scrollTop) this.grid.scrollTop = top;
    this.render();
    const el = this.cellEl(r, c);
    if (!el) return;
    el.setAttribute('tabindex', '0');
    el.focus({ preventScroll: true });
  }

  /** The cell of `row` nearest in time to the current one (Up/Down keep the time of day). */
  private nearestCell(row: number): number {
    const { tour } = this.tourAt(this.focus.row, this.focus.cell);
    if (!tour || !this.cellCount(row)) return 0;
    const at = tourSpan(tour)[0];
    const r = this.data.rows[row]!;
    const d = this.b.drivers[r.driver]!;
    let best = 1;
    let dist = Number.POSITIVE_INFINITY;
    r.tours.forEach((ti, k) => {
      const x = Math.abs(tourSpan(d.tours[ti]!)[0] - at);
      if (x < dist) {
        dist = x;
        best = k + 1;
      }
    });
    return best;
  }

  private onKey(e: KeyboardEvent): void {
    const { row, cell } = this.focus;
    const page = Math.max(1, Math.floor(this.grid.clientHeight / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowRight':
        this.moveTo(row, cell + 1);
        break;
      case 'ArrowLeft':
        this.moveTo(row, cell - 1);
        break;
      case 'ArrowDown':
        this.moveTo(row + 1, this.nearestCell(Math.min(row + 1, this.data.rows.length - 1)));
        break;
      case 'ArrowUp':
        this.moveTo(row - 1, this.nearestCell(Math.max(row - 1, 0)));
        break;
      case 'PageDown':
        this.moveTo(row + page, 0);
        break;
      case 'PageUp':
        this.moveTo(row - page, 0);
        break;
      case 'Home':
        this.moveTo(e.ctrlKey ? 0 : row, 0);
        break;
      case 'End':
        this.moveTo(e.ctrlKey ? this.data.rows.length - 1 : row, e.ctrlKey ? 0 : this.cellCount(row));
        break;
      case 'Enter':
      case ' ': {
        const el = e.target as HTMLElement;
        if (!el.classList.contains('tl-tour')) return;
        this.activate(el);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  private onFocus(el: HTMLElement): void {
    const rowEl = el.closest<HTMLElement>('.tl-row');
    if (!rowEl || el.dataset.cell === undefined) return;
    const row = Number(rowEl.dataset.row);
    const cell = Number(el.dataset.cell);
    if (row !== this.focus.row || cell !== this.focus.cell) {
      this.cellEl(this.focus.row, this.focus.cell)?.setAttribute('tabindex', '-1');
      this.focus = { row, cell };
      el.setAttribute('tabindex', '0');
    }
    this.showDetails(row, cell);
  }

  private showDetails(row: number, cell: number): void {
    const { driver, tour } = this.tourAt(row, cell);
    const indices = tour ? (tour.v ?? []) : driverViolations(driver);
    const title = tour ? tourAccessibleLabel(this.b, driver, tour) : driverAccessibleLabel(this.b, driver);
    const list = h('ul', { class: 'tl-violations' });
    for (const i of indices) {
      const v = this.b.violations[i]!;
      list.append(
        h(
          'li',
          {},
          h('span', { class: `pill tone-${statusTone(v.status)}` }, `${v.audit} ${v.status}`),
          ` ${v.message}${v.code ? ` (${v.code})` : ''}`,
        ),
      );
    }
    const action = tour && this.actionFor(tour);
    this.details.replaceChildren(
      ...[
        h('p', { class: 'tl-details-title' }, title),
        indices.length
          ? list
          : h(
              'p',
              { class: 'tl-hint' },
              tour ? 'No violation on this tour.' : 'No violation for this driver.',
            ),
        action?.type === 'openSource'
          ? h(
              'p',
              { class: 'tl-hint' },
              action.line
                ? `Click or Enter opens forecast line ${action.line}.`
                : 'Click or Enter opens the tour in the plan.',
            )
          : undefined,
      ].filter((x): x is HTMLParagraphElement | HTMLUListElement => !!x),
    );
  }

  private activate(bar: HTMLElement): void {
    const row = Number(bar.closest<HTMLElement>('.tl-row')?.dataset.row);
    const { tour } = this.tourAt(row, Number(bar.dataset.cell));
    const a = tour && this.actionFor(tour);
    if (a) this.onAction(a);
  }

  stats(): Omit<TimelineRendered, 'firstPaintMs'> {
    return {
      rows: this.data.rows.length,
      total: this.b.drivers.length,
      domRows: this.body.querySelectorAll('.tl-row').length,
      bars: this.body.querySelectorAll('.tl-tour').length,
      violationBars: this.body.querySelectorAll('.tl-tour.tl-v-fail, .tl-tour.tl-v-warn').length,
    };
  }
}

export function timelineEl(b: TimelineBlock, onAction: ActionHandler): HTMLElement {
  return new TimelineView(b, onAction).el;
}

/** What the timeline in `root` drew (undefined when there is none). */
export function timelineStats(root: ParentNode): Omit<TimelineRendered, 'firstPaintMs'> | undefined {
  const el = root.querySelector('.tl');
  return el ? views.get(el)?.stats() : undefined;
}

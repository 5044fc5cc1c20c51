// The Runs tree's data, independent of VS Code: one site's runs, newest first, loaded a page at a
// time. The sandbox (and any [ops] server) pages with `offset`; against a server that ignores or
// rejects `offset` (live) the model falls back to re-reading a growing `limit` (at most 100 runs),
// no longer trusts `total` (live's is the page size) and says so in `pagingNote`. A refresh keeps as many runs loaded as before. Filter by status. Run details
// (audits, KPIs) are fetched once per run and cached. vscode-free (bench/sidebar.bench.mjs drives it).
import type { CallOptions } from '../../api/client';
import type { AuditResult, RunDetail, RunList, RunStatus, RunSummary } from '../../api/schemas';
import { AUDIT_STATUSES, DRIFT_STATUSES, describeValue, RUN_STATUSES } from '../../api/values';
import { escapeMarkdown } from '../../shared/markdown';
import { accessibleName } from '../accessibleName';

export interface RunsSource {
  listRuns(q: { limit?: number; status?: RunStatus; offset?: number }, o?: CallOptions): Promise<RunList>;
  getRun(runId: string, o?: CallOptions): Promise<RunDetail>;
}

/** How "load more" works on this server: not known until the second page was asked for. */
export type PagingMode = 'unknown' | 'offset' | 'limit';

/** The API's largest page (`limit=1..100`). */
export const MAX_LIMIT = 100;

export interface RunsModelOptions {
  pageSize?: number;
  /** From the server's capabilities when known: false = no offset (page by limit from the start). */
  offsetPaging?: boolean;
}

export class RunsModel {
  readonly pageSize: number;
  private list: RunSummary[] = [];
  private totalCount: number | undefined;
  private filter: RunStatus | undefined;
  private paging: PagingMode = 'unknown';
  /** The last page came back as long as asked for: more runs may exist whatever `total` says. */
  private fullPage = false;
  private loadedOnce = false;
  private lastError: string | undefined;
  private readonly detailCache = new Map<string, Promise<RunDetail>>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by a filter change: answers to older requests are dropped. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly source: RunsSource,
    options: RunsModelOptions = {},
  ) {
    this.pageSize = Math.min(MAX_LIMIT, Math.max(1, options.pageSize ?? 25));
    if (options.offsetPaging !== undefined) this.paging = options.offsetPaging ? 'offset' : 'limit';
  }

  /** The server's capabilities arrived (or changed on reconnect). */
  setOffsetPaging(offset: boolean): void {
    this.paging = offset ? 'offset' : 'limit';
    this.changed();
  }

  get runs(): readonly RunSummary[] {
    return this.list;
  }
  /** The site's number of runs, when the server says it (a server without offset does not). */
  get total(): number | undefined {
    return this.paging === 'limit' ? undefined : this.totalCount;
  }
  get status(): RunStatus | undefined {
    return this.filter;
  }
  get mode(): PagingMode {
    return this.paging;
  }
  get loaded(): boolean {
    return this.loadedOnce;
  }
  get error(): string | undefined {
    return this.lastError;
  }
  /** More runs exist and this server lets us get them. */
  get hasMore(): boolean {
    const moreByTotal = this.totalCount !== undefined && this.list.length < this.totalCount;
    switch (this.paging) {
      case 'offset':
        return moreByTotal;
      case 'limit':
        // `total` may be the page size: only a full page says that more may exist.
        return this.fullPage && this.list.length < MAX_LIMIT;
      default:
        // Not known yet: a full page whose total is its own size may be live's page-size total.
        return moreByTotal || (this.fullPage && this.totalCount === this.list.length);
    }
  }
  /** Said in the tree when the server cannot page. */
  get pagingNote(): string | undefined {
    if (this.paging !== 'limit') return undefined;
    return this.fullPage && this.list.length >= MAX_LIMIT
      ? `This server does not page runs (no offset): showing the newest ${MAX_LIMIT}; older runs are out of reach here. Filter by status to see others.`
      : `This server does not page runs (no offset): "load more" re-reads the newest runs, up to ${MAX_LIMIT}.`;
  }

  /** A publish/lock the server confirmed: the run's row shows it before the next refresh. */
  applyRun(runId: string, change: { published?: boolean; locked?: boolean }): boolean {
    const i = this.list.findIndex((r) => r.run_id === runId);
    if (i < 0) return false;
    const run = this.list[i]!;
    this.list = [...this.list];
    this.list[i] = {
      ...run,
      published: change.published ?? run.published,
      locked: change.locked ?? run.locked,
    };
    this.detailCache.delete(runId);
    this.changed();
    return true;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Runs one operation at a time, in order (a refresh never interleaves with a "load more"). */
  private serial<T>(fn: (generation: number) => Promise<T>): Promise<T> {
    const generation = this.generation;
    const run = this.queue.then(
      () => fn(generation),
      () => fn(generation),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async guard(generation: number, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      if (generation === this.generation) this.lastError = undefined;
    } catch (e) {
      if (generation !== this.generation) return;
      this.lastError = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      if (generation === this.generation) {
        this.loadedOnce = true;
        this.changed();
      }
    }
  }

  /** The first page (drops what was loaded). */
  loadFirst(o?: CallOptions): Promise<void> {
    return this.serial((g) =>
      this.guard(g, async () => {
        const page = await this.source.listRuns({ limit: this.pageSize, status: this.filter }, o);
        if (g !== this.generation) return;
        this.list = page.runs;
        this.totalCount = page.total;
        this.fullPage = page.runs.length >= this.pageSize;
      }),
    );
  }

  /** The next page. Returns how many runs it added. */
  loadMore(o?: CallOptions): Promise<number> {
    let added = 0;
    return this.serial((g) =>
      this.guard(g, async () => {
        if (!this.loadedOnce || this.list.length === 0) {
          const page = await this.source.listRuns({ limit: this.pageSize, status: this.filter }, o);
          if (g !== this.generation) return;
          this.list = page.runs;
          this.totalCount = page.total;
          this.fullPage = page.runs.length >= this.pageSize;
          added = page.runs.length;
          return;
        }
        if (!this.hasMore) return;
        const before = this.list.length;
        if (this.paging !== 'limit') {
          let page: RunList | undefined;
          try {
            page = await this.source.listRuns(
              { limit: this.pageSize, status: this.filter, offset: before },
              o,
            );
          } catch (e) {
            // A server that rejects the unknown parameter: fall back to limit paging.
            const status = (e as { status?: number }).status;
            if (this.paging === 'offset' || (status !== 400 && status !== 422)) throw e;
            this.paging = 'limit';
          }
          if (g !== this.generation) return;
          if (page) {
            // The server ignored `offset` when the "next" page starts where the first one did.
            if (page.runs.length > 0 && page.runs[0].run_id === this.list[0].run_id) this.paging = 'limit';
            else {
              this.paging = 'offset';
              this.append(page.runs);
              this.totalCount = page.total;
              this.fullPage = page.runs.length >= this.pageSize;
            }
          }
        }
        if (this.paging === 'limit') {
          const want = Math.min(MAX_LIMIT, before + this.pageSize);
          const page = await this.source.listRuns({ limit: want, status: this.filter }, o);
          if (g !== this.generation) return;
          this.list = page.runs;
          this.totalCount = page.total;
          this.fullPage = page.runs.length >= want;
        }
        added = this.list.length - before;
      }),
    ).then(() => added);
  }

  /** Re-reads as many of the newest runs as are loaded now (at least one page). */
  refresh(o?: CallOptions): Promise<void> {
    return this.serial((g) =>
      this.guard(g, async () => {
        const count = Math.max(this.pageSize, this.list.length);
        let runs: RunSummary[];
        let total: number;
        if (this.paging === 'offset' && count > MAX_LIMIT) {
          const offsets: number[] = [];
          for (let off = 0; off < count; off += MAX_LIMIT) offsets.push(off);
          const pages = await Promise.all(
            offsets.map((offset) =>
              this.source.listRuns(
                {
                  limit: Math.min(MAX_LIMIT, count - offset),
                  status: this.filter,
                  offset: offset || undefined,
                },
                o,
              ),
            ),
          );
          runs = dedupe(pages.flatMap((p) => p.runs));
          total = pages[0].total;
        } else {
          const page = await this.source.listRuns(
            { limit: Math.min(MAX_LIMIT, count), status: this.filter },
            o,
          );
          runs = page.runs;
          total = page.total;
        }
        if (g !== this.generation) return;
        this.fullPage = runs.length >= Math.min(this.paging === 'offset' ? count : MAX_LIMIT, count);
        this.list = runs;
        this.totalCount = total;
        // A run's audits and KPIs do not change, but its publish/lock state does: reread on demand.
        this.detailCache.clear();
      }),
    );
  }

  /** Shows only runs of one status (undefined = all) and loads the first page of it. */
  setFilter(status: RunStatus | undefined, o?: CallOptions): Promise<void> {
    if (status === this.filter && this.loadedOnce) return Promise.resolve();
    this.generation += 1;
    this.filter = status;
    this.list = [];
    this.totalCount = undefined;
    this.loadedOnce = false;
    this.changed();
    return this.loadFirst(o);
  }

  /** Audits and KPIs of one run (fetched once). */
  details(runId: string, o?: CallOptions): Promise<RunDetail> {
    let p = this.detailCache.get(runId);
    if (!p) {
      p = this.source.getRun(runId, o);
      this.detailCache.set(runId, p);
      p.catch(() => this.detailCache.delete(runId));
    }
    return p;
  }

  find(runId: string): RunSummary | undefined {
    return this.list.find((r) => r.run_id === runId);
  }

  /** Loads pages until the run is among them (or `maxRuns` are loaded / nothing more). */
  async ensureLoaded(runId: string, maxRuns = 1000, o?: CallOptions): Promise<RunSummary | undefined> {
    if (!this.loadedOnce) await this.loadFirst(o);
    let found = this.find(runId);
    while (!found && this.hasMore && this.list.length < maxRuns) {
      if ((await this.loadMore(o)) === 0) break;
      found = this.find(runId);
    }
    return found;
  }

  private append(page: RunSummary[]): void {
    // Pages shift when new runs arrive: skip what is shown already (the last page's ids suffice).
    const seen = new Set(this.list.slice(-2 * page.length - MAX_LIMIT).map((r) => r.run_id));
    for (const r of page) if (!seen.has(r.run_id)) this.list.push(r);
  }
}

function dedupe(runs: RunSummary[]): RunSummary[] {
  const seen = new Set<string>();
  return runs.filter((r) => {
    if (seen.has(r.run_id)) return false;
    seen.add(r.run_id);
    return true;
  });
}

/** The tree's context value for a run: what the run's state allows (menus match on it). */
export function runContextValue(r: RunSummary): string {
  if (r.published) return r.locked ? 'run.published.locked' : 'run.published.unlocked';
  switch (r.status) {
    case 'PASS':
      return 'run.pass.unpublished';
    case 'WARN':
      return 'run.warn.unpublished';
    case 'FAIL':
      return 'run.fail';
    case 'ERROR':
      return 'run.error';
    case 'BLOCKED':
      return 'run.blocked';
    case 'PENDING':
      return 'run.pending';
    default:
      // A status this client does not know: no publish/lock actions are offered on it.
      return 'run.unknown';
  }
}

/** One line under the run id: verdict, week, audits, KPIs, publish/lock markers. */
export function runDescription(r: RunSummary): string {
  const parts = [runStatusLabel(r.status), r.week_id, `audits ${r.audit_pass_count}/${r.audit_total}`];
  if (r.coverage_percent !== null && r.coverage_percent !== undefined)
    parts.push(`cov ${r.coverage_percent}%`);
  if (r.published) parts.push('published');
  if (r.locked) parts.push('locked');
  return parts.join(' · ');
}

/** The run's tooltip as Markdown: every server string escaped (no link, image or HTML renders). */
export function runTooltipMarkdown(r: RunSummary, d?: RunDetail): string {
  return runTooltipLines(r, d).map(escapeMarkdown).join('  \n');
}

/** The KPI lines of a run's tooltip (summary first; details when loaded). */
export function runTooltipLines(r: RunSummary, d?: RunDetail): string[] {
  const fmt = (v: number | null | undefined, unit = '') =>
    v === null || v === undefined ? '—' : `${v}${unit}`;
  const lines = [
    `${r.run_id} — ${runStatusLabel(r.status)} (${r.tenant_code}/${r.site_code}, week ${r.week_id})`,
    `Created ${r.timestamp}`,
    `Audits: ${r.audit_pass_count}/${r.audit_total} passed`,
    `Headcount: ${fmt(d?.kpis.headcount ?? r.headcount)} · coverage: ${fmt(d?.kpis.coverage_percent ?? r.coverage_percent, '%')}`,
  ];
  if (d) {
    const k = d.kpis;
    lines.push(
      `FTE ratio: ${fmt(k.fte_ratio)} · PT ratio: ${fmt(k.pt_ratio)} · runtime: ${fmt(k.runtime_seconds, ' s')}`,
    );
    if (k.max_weekly_hours !== undefined || k.avg_weekly_hours !== undefined)
      lines.push(`Weekly hours: max ${fmt(k.max_weekly_hours)} · avg ${fmt(k.avg_weekly_hours)}`);
    if (k.total_tours !== undefined)
      lines.push(`Tours: ${k.total_tours} · lower bound ${fmt(k.lower_bound)}`);
  }
  lines.push(
    `KPI drift: ${describeValue(DRIFT_STATUSES, d?.kpis.drift_status ?? r.kpi_drift_status) ?? '—'}`,
  );
  lines.push(
    r.published ? `Published ${r.published_at ?? ''} by ${r.published_by ?? '?'}` : 'Not published',
    r.locked ? `Locked ${r.locked_at ?? ''} by ${r.locked_by ?? '?'}` : 'Not locked',
  );
  if (r.error_code || r.error_message)
    lines.push(`Error: ${r.error_code ?? ''} ${r.error_message ?? ''}`.trim());
  if (d?.output_hash) lines.push(`Output hash: ${d.output_hash}`);
  return lines;
}

/** A run's status for display: "unknown: server sent 'X'" for one this client does not know. */
export function runStatusLabel(status: string): string {
  return describeValue(RUN_STATUSES, status) ?? status;
}

/** An audit check's status for display, unknown values named as such. */
export function auditStatusLabel(status: string): string {
  return describeValue(AUDIT_STATUSES, status) ?? status;
}

// ---------------------------------------------------------------- accessible names of the rows

/** A run: "RUN-…, FAIL, week 2026-W49, audits 5 of 7 passed, coverage 98%, published". */
export function runAccessibleName(r: RunSummary): string {
  return accessibleName(
    r.run_id,
    runStatusLabel(r.status),
    `week ${r.week_id}`,
    `audits ${r.audit_pass_count} of ${r.audit_total} passed`,
    r.coverage_percent !== null && r.coverage_percent !== undefined && `coverage ${r.coverage_percent}%`,
    r.published && 'published',
    r.locked && 'locked',
  );
}

/** The line beside an audit check: its status and violation count. */
export function auditDescription(a: AuditResult): string {
  return `${auditStatusLabel(a.status)}${a.violation_count ? ` · ${plural(a.violation_count, 'violation')}` : ''}`;
}

/** An audit check of a run: "Overlap, FAIL, 14 violations" (not its long tooltip). */
export function auditAccessibleName(a: AuditResult): string {
  return accessibleName(a.check_name, auditDescription(a));
}

/** The "Load more…" row: what it does and how many runs are loaded. */
export function loadMoreAccessibleName(loaded: number, total: number | undefined): string {
  return accessibleName('Load more runs', `${loaded} of ${total ?? 'unknown'} loaded`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

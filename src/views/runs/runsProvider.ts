// Renders the runs model as the Runs tree: runs newest first, each run's audits as children, a
// "load more" row, a filter row, and errors as rows with a retry action.
import * as vscode from 'vscode';
import type { ServerCapabilities } from '../../api/capabilities';
import type { SolvereignClient } from '../../api/client';
import type { AuditResult, RunStatus, RunSummary } from '../../api/schemas';
import type { ConnectionManager } from '../../connection/connectionManager';
import type { Logger } from '../../connection/log';
import {
  auditAccessibleName,
  auditDescription,
  auditStatusLabel,
  loadMoreAccessibleName,
  RunsModel,
  runAccessibleName,
  runContextValue,
  runDescription,
  runTooltipMarkdown,
} from './runsModel';

export type RunsNode =
  | { kind: 'run'; run: RunSummary }
  | { kind: 'audit'; run: RunSummary; audit: AuditResult }
  | { kind: 'loadMore' }
  | { kind: 'filter'; status: RunStatus }
  | { kind: 'note'; label: string; detail?: string }
  | { kind: 'message'; label: string; detail?: string; retry?: boolean };

const STATUS_ICON: Record<string, vscode.ThemeIcon> = {
  PASS: new vscode.ThemeIcon('pass', new vscode.ThemeColor('solvereign.passedIcon')),
  WARN: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  FAIL: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  ERROR: new vscode.ThemeIcon('bug', new vscode.ThemeColor('testing.iconFailed')),
  BLOCKED: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.warningForeground')),
  PENDING: new vscode.ThemeIcon('loading~spin'),
};

function auditDetailText(a: AuditResult): string | undefined {
  const d = a.details;
  if (!d) return undefined;
  if (typeof d === 'string') return d;
  if (typeof d === 'object') {
    const o = d as { message?: unknown; violations?: { message?: unknown }[] };
    const lines: string[] = [];
    if (typeof o.message === 'string') lines.push(o.message);
    if (Array.isArray(o.violations))
      for (const v of o.violations.slice(0, 8))
        if (typeof v?.message === 'string') lines.push(`• ${v.message}`);
    return lines.length ? lines.join('\n') : JSON.stringify(d).slice(0, 400);
  }
  return String(d);
}

export class RunsProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private current: { key: string; model: RunsModel } | undefined;
  /** Same node object per run id, so reveal() and expansion state find it again. */
  private nodes = new Map<string, RunsNode & { kind: 'run' }>();
  private readonly loadMoreNode: RunsNode = { kind: 'loadMore' };
  private pendingFirst: Promise<void> | undefined;

  constructor(
    private readonly connection: ConnectionManager,
    private readonly log: Logger,
    private readonly pageSize: () => number = () => 25,
    /** The server's detected capabilities: whether it pages with offset, known before page two. */
    private readonly capabilities?: (client: SolvereignClient) => Promise<ServerCapabilities>,
  ) {}

  /** Drops the loaded pages (page size changed); the next render loads the first page. */
  reset(): void {
    this.current = undefined;
    this.nodes.clear();
    this.pendingFirst = undefined;
    this.emitter.fire(undefined);
  }

  /** The site the tree shows: `env|tenant|site`. A change of it starts a fresh model. */
  private siteKey(): string | undefined {
    const env = this.connection.active;
    const client = this.connection.client;
    if (!env || !client || this.connection.state !== 'ready') return undefined;
    return `${env.id}|${client.baseUrl}|${client.tenant}|${client.site}`;
  }

  /** The model for the active site (undefined when not signed in). */
  get model(): RunsModel | undefined {
    const key = this.siteKey();
    if (!key) return undefined;
    if (this.current?.key !== key) {
      const client = this.connection.client!;
      const model = new RunsModel(
        {
          listRuns: (q, o) => client.listRuns(q, o),
          getRun: (id, o) => client.getRun(id, o),
        },
        { pageSize: this.pageSize() },
      );
      model.onDidChange(() => this.emitter.fire(undefined));
      this.current = { key, model };
      this.capabilities?.(client).then(
        (caps) => {
          if (this.current?.model === model) model.setOffsetPaging(caps.offered.offsetPaging);
        },
        // Not detected: the model finds out from the second page itself.
        (e) => this.log.warn(`runs: capabilities not detected: ${(e as Error).message}`),
      );
      this.nodes.clear();
      this.pendingFirst = undefined;
    }
    return this.current.model;
  }

  get siteLabel(): string | undefined {
    const c = this.connection.client;
    return c ? `${c.tenant}/${c.site}` : undefined;
  }

  /** Re-reads the loaded runs (keeps the pages). */
  async refresh(): Promise<void> {
    const m = this.model;
    if (!m) {
      this.emitter.fire(undefined);
      return;
    }
    try {
      if (m.loaded) await m.refresh();
      else await this.first(m);
    } catch (e) {
      this.log.warn(`runs: refresh failed: ${(e as Error).message}`);
    }
  }

  private first(m: RunsModel): Promise<void> {
    if (!this.pendingFirst) {
      this.pendingFirst = m.loadFirst().catch((e) => {
        this.log.warn(`runs: ${(e as Error).message}`);
      });
    }
    return this.pendingFirst;
  }

  runNode(run: RunSummary): RunsNode & { kind: 'run' } {
    let n = this.nodes.get(run.run_id);
    if (n) n.run = run;
    else {
      n = { kind: 'run', run };
      this.nodes.set(run.run_id, n);
    }
    return n;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run': {
        const r = node.run;
        const item = new vscode.TreeItem(r.run_id, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${r.tenant_code}/${r.site_code}/${r.run_id}`;
        item.description = runDescription(r);
        item.iconPath = r.locked
          ? new vscode.ThemeIcon('lock', STATUS_ICON[r.status]?.color)
          : (STATUS_ICON[r.status] ?? new vscode.ThemeIcon('question'));
        item.contextValue = runContextValue(r);
        item.tooltip = new vscode.MarkdownString(runTooltipMarkdown(r));
        item.accessibilityInformation = { label: runAccessibleName(r) };
        return item;
      }
      case 'audit': {
        const a = node.audit;
        const item = new vscode.TreeItem(a.check_name, vscode.TreeItemCollapsibleState.None);
        item.id = `audit:${node.run.tenant_code}/${node.run.site_code}/${node.run.run_id}/${a.check_name}`;
        item.description = auditDescription(a);
        item.iconPath = STATUS_ICON[a.status] ?? new vscode.ThemeIcon('question');
        item.contextValue = `audit.${a.status.toLowerCase()}`;
        item.tooltip = auditDetailText(a) ?? `${a.check_name}: ${auditStatusLabel(a.status)}`;
        item.accessibilityInformation = { label: auditAccessibleName(a) };
        return item;
      }
      case 'loadMore': {
        const m = this.current?.model;
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = 'runs:load-more';
        item.description = m ? `${m.runs.length} of ${m.total ?? '?'}` : undefined;
        item.iconPath = new vscode.ThemeIcon('fold-down');
        item.contextValue = 'runs.loadMore';
        item.accessibilityInformation = {
          label: loadMoreAccessibleName(m?.runs.length ?? 0, m?.total),
          role: 'button',
        };
        item.command = { command: 'solvereign.runs.loadMore', title: 'Load More Runs' };
        return item;
      }
      case 'filter': {
        const item = new vscode.TreeItem(`Filter: ${node.status}`, vscode.TreeItemCollapsibleState.None);
        item.id = 'runs:filter';
        item.description = 'click to change';
        item.iconPath = new vscode.ThemeIcon('filter-filled');
        item.contextValue = 'runs.filter';
        item.command = { command: 'solvereign.runs.filter', title: 'Filter Runs' };
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.tooltip = node.detail ?? node.label;
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = 'runs.note';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.tooltip = node.detail ? `${node.label}\n${node.detail}` : node.label;
        item.iconPath = new vscode.ThemeIcon(node.retry ? 'error' : 'info');
        if (node.retry) {
          item.contextValue = 'message.retry';
          item.command = { command: 'solvereign.runs.refresh', title: 'Retry' };
        }
        return item;
      }
    }
  }

  async resolveTreeItem(item: vscode.TreeItem, node: RunsNode): Promise<vscode.TreeItem> {
    if (node.kind !== 'run' || !this.current) return item;
    try {
      const d = await this.current.model.details(node.run.run_id);
      item.tooltip = new vscode.MarkdownString(runTooltipMarkdown(node.run, d));
    } catch {
      // keep the summary tooltip
    }
    return item;
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'audit') return this.nodes.get(node.run.run_id);
    return undefined;
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (node?.kind === 'run') {
      const m = this.current?.model;
      if (!m) return [];
      try {
        const d = await m.details(node.run.run_id);
        if (d.audit_results.length === 0) return [{ kind: 'note', label: 'No audit results' }];
        return d.audit_results.map((audit) => ({ kind: 'audit', run: node.run, audit }));
      } catch (e) {
        return [
          { kind: 'message', label: 'Could not load the audits', detail: (e as Error).message, retry: true },
        ];
      }
    }
    if (node) return [];
    // Not connected: empty, so the view's welcome content says what to do.
    const m = this.model;
    if (!m) return [];
    if (!m.loaded) await this.first(m);
    const rows: RunsNode[] = [];
    if (m.status) rows.push({ kind: 'filter', status: m.status });
    if (m.error && m.runs.length === 0) {
      rows.push({
        kind: 'message',
        label: 'Could not load runs — click to retry',
        detail: m.error,
        retry: true,
      });
      return rows;
    }
    if (m.error)
      rows.push({ kind: 'message', label: 'Refresh failed — click to retry', detail: m.error, retry: true });
    if (m.runs.length === 0)
      rows.push({
        kind: 'note',
        label: m.status ? `No ${m.status} runs on ${this.siteLabel}` : `No runs on ${this.siteLabel}`,
      });
    for (const r of m.runs) rows.push(this.runNode(r));
    const note = m.pagingNote;
    if (note) rows.push({ kind: 'note', label: 'Paging limited by this server', detail: note });
    if (m.hasMore) rows.push(this.loadMoreNode);
    return rows;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

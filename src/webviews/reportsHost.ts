// The one panel host for every report: creates (or restores) webview panels of viewType
// `solvereign.report`, loads their data, talks to the front end over the typed protocol, carries out
// the links (forecast line, evidence file, other report) and exports.
import path from 'node:path';
import * as vscode from 'vscode';
import { SolvereignApiError } from '../api/errors';
import { buildTimeline, timelineSummary } from '../evidence/timeline';
import { auditSummary, buildAuditReport } from '../reports/audit';
import { loadComparison } from '../evidence/compare';
import { buildCompareReport, compareSummary } from '../reports/compare';
import { loadAuditInput, loadDriftInput, loadFireDrillInput, loadInvestigationInput } from '../reports/data';
import { buildDriftReport, DEFAULT_TREND_RUNS } from '../reports/drift';
import { buildFireDrillReport } from '../reports/fireDrills';
import { renderReportHtml } from '../reports/html';
import { buildInvestigationReport, investigationSummary } from '../reports/investigation';
import { renderReportMarkdown } from '../reports/markdown';
import type { ReportAction, ReportDoc, ReportKind } from '../reports/model';
import { makeNonce, renderShell } from '../reports/shell';
import { buildTimelineReport } from '../reports/timeline';
import type { ExtensionServices } from '../services';
import {
  type HostMessage,
  type PanelState,
  type PanelTarget,
  PROTOCOL_VERSION,
  type TimelineRendered,
  parseWebviewMessage,
  VIEW_TYPE,
} from './protocol';
import { type SourceResult, SourceOpener } from './source';

export type PanelStatus = 'loading' | 'ready' | 'error';

export interface PanelInfo {
  panelId: string;
  title: string;
  kind: ReportKind;
  runId?: string;
  state: PanelStatus;
  error?: string;
  /** Numbers the command returns (status, checks, verdict, drills, …). */
  summary?: Record<string, unknown>;
  /** What the webview reported after drawing the report (undefined until it did). */
  rendered?: { tables: number; rows: number; charts: number; count: number; timeline?: TimelineRendered };
  visible: boolean;
  viewColumn?: number;
  /** The last action a link in the panel triggered, and its result. */
  lastAction?: { action: ReportAction; result?: ActionResult; error?: string };
}

/** What SP-002's command returned for a resolution button. */
export interface ResolutionResult {
  resolution: string;
  result?: string;
  recordPath?: string;
  error?: string;
}

export type ActionResult = SourceResult | PanelInfo | ResolutionResult;

export interface ExportArgs {
  panelId?: string;
  kind?: ReportKind;
  runId?: string;
  format?: 'markdown' | 'html';
  /** Where to write; without it a save dialog asks. */
  path?: string;
}

export interface ExportResult {
  path: string;
  format: 'markdown' | 'html';
  bytes: number;
  title: string;
  panelId?: string;
}

const KIND_TITLES: Record<ReportKind, string> = {
  audit: 'Audit',
  drift: 'Drift',
  fireDrills: 'Fire Drills',
  investigation: 'SP-002 Investigation',
  compare: 'Compare',
  timeline: 'Timeline',
};

export function panelIdFor(t: PanelTarget, site?: string): string {
  const other = t.otherRunId ? `:${t.otherRunId}` : '';
  return `${t.kind}:${t.runId ?? (t.kind === 'fireDrills' ? (site ?? 'site') : 'latest')}${other}`;
}

function titleFor(t: PanelTarget, site?: string): string {
  if (t.kind === 'fireDrills') return `Fire Drills${site ? ` ${site}` : ''}`;
  if (t.otherRunId) return `${KIND_TITLES[t.kind]} ${t.otherRunId} ↔ ${t.runId}`;
  return `${KIND_TITLES[t.kind]} ${t.runId ?? '(latest)'}`;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

class ReportPanel implements vscode.Disposable {
  status: PanelStatus = 'loading';
  doc?: ReportDoc;
  error?: string;
  summary?: Record<string, unknown>;
  rendered?: PanelInfo['rendered'];
  lastAction?: PanelInfo['lastAction'];
  private last: HostMessage;
  private seq = 0;
  private loading?: Promise<void>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly host: ReportsHost,
    readonly panel: vscode.WebviewPanel,
    readonly target: PanelTarget,
    readonly id: string,
    readonly title: string,
  ) {
    this.last = { type: 'loading', title };
    const webview = panel.webview;
    webview.options = host.webviewOptions();
    panel.title = title;
    const state: PanelState = { v: PROTOCOL_VERSION, target };
    webview.html = renderShell({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(host.asset('dist', 'webview', 'report.js')).toString(),
      styleUri: webview.asWebviewUri(host.asset('media', 'webview.css')).toString(),
      title,
      state,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m) => void this.onMessage(m)),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) host.lastActive = this.id;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  info(): PanelInfo {
    return {
      panelId: this.id,
      title: this.title,
      kind: this.target.kind,
      runId: this.target.runId,
      state: this.status,
      error: this.error,
      summary: this.summary,
      rendered: this.rendered,
      visible: this.panel.visible,
      viewColumn: this.panel.viewColumn,
      lastAction: this.lastAction,
    };
  }

  private post(m: HostMessage): void {
    if (m.type !== 'status') this.last = m;
    void this.panel.webview.postMessage(m).then(undefined, () => undefined);
  }

  notify(text: string, tone?: 'info' | 'warn' | 'fail'): void {
    this.post({ type: 'status', text, tone });
  }

  load(): Promise<void> {
    const seq = ++this.seq;
    this.status = 'loading';
    this.rendered = undefined;
    this.post({ type: 'loading', title: this.title });
    const run = (async () => {
      try {
        const { doc, summary } = await this.host.build(this.target);
        if (seq !== this.seq) return;
        this.doc = doc;
        this.summary = summary;
        this.error = undefined;
        this.status = 'ready';
        this.post({ type: 'render', doc });
      } catch (e) {
        if (seq !== this.seq) return;
        const message = errorText(e);
        this.error = message;
        this.status = 'error';
        this.host.log.warn(`report ${this.id}: ${message}`);
        this.post({
          type: 'error',
          title: `Could not load the ${this.title} report`,
          message,
          action:
            e instanceof SolvereignApiError
              ? e.transient
                ? 'The server may be restarting or overloaded: retry in a moment.'
                : undefined
              : this.host.connectionHint(),
          retryable: true,
        });
      }
    })();
    this.loading = run;
    return run;
  }

  /** Waits for the load in progress (if any). */
  settled(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  async onMessage(data: unknown): Promise<void> {
    const m = parseWebviewMessage(data);
    if (!m) {
      this.host.log.warn(`report ${this.id}: ignored an invalid message from the webview`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.post(this.last);
        return;
      case 'retry':
      case 'refresh':
        await this.load();
        return;
      case 'rendered':
        this.rendered = {
          tables: m.tables,
          rows: m.rows,
          charts: m.charts,
          count: (this.rendered?.count ?? 0) + 1,
          ...(m.timeline ? { timeline: m.timeline } : {}),
        };
        return;
      case 'export':
        try {
          const r = await this.host.exportReport({ panelId: this.id, format: m.format });
          if (r) this.notify(`Exported to ${r.path}`, 'info');
          else this.notify('Export cancelled: nothing was written.');
        } catch (e) {
          this.notify(`Export failed: ${errorText(e)}`, 'fail');
        }
        return;
      case 'action':
        try {
          const result = await this.host.runAction(m.action, this);
          this.lastAction = { action: m.action, result };
          if (result && 'note' in result && result.note) this.notify(result.note, 'warn');
        } catch (e) {
          this.lastAction = { action: m.action, error: errorText(e) };
          this.notify(errorText(e), 'fail');
        }
        return;
    }
  }

  dispose(): void {
    this.seq++;
    this.host.forget(this);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export class ReportsHost implements vscode.Disposable {
  private readonly panels = new Map<string, ReportPanel>();
  readonly sources: SourceOpener;
  lastActive?: string;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: ExtensionServices,
  ) {
    this.sources = new SourceOpener(() => services.connection.requireClient());
    this.disposables.push(
      services.connection.onDidChange(() => {
        // A panel that failed because we were signed out or the server was down tries again by itself.
        if (services.connection.state !== 'ready') return;
        for (const p of this.panels.values()) if (p.status === 'error') void p.load();
      }),
    );
  }

  get log() {
    return this.services.log;
  }

  asset(...segments: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, ...segments);
  }

  webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [this.asset('dist', 'webview'), this.asset('media')],
    };
  }

  connectionHint(): string | undefined {
    const c = this.services.connection;
    return c.state === 'ready' ? undefined : c.describeState();
  }

  private site(): string | undefined {
    const a = this.services.connection.active;
    return a ? `${a.tenant}/${a.site}` : undefined;
  }

  /** Loads a report's data and builds its document. */
  async build(t: PanelTarget): Promise<{ doc: ReportDoc; summary: Record<string, unknown> }> {
    const client = this.services.connection.requireClient();
    const env = this.services.connection.active;
    const ctx = { client, source: `${env?.name ?? client.baseUrl} · ${client.tenant}/${client.site}` };
    if (t.kind === 'audit') {
      if (!t.runId) throw new Error('The audit report needs a run.');
      const input = await loadAuditInput(ctx, t.runId);
      return { doc: buildAuditReport(input), summary: auditSummary(input) };
    }
    if (t.kind === 'investigation') {
      if (!t.runId) throw new Error('The investigation panel needs a run.');
      const input = await loadInvestigationInput(ctx, t.runId);
      return { doc: buildInvestigationReport(input), summary: investigationSummary(input) };
    }
    if (t.kind === 'compare') {
      if (!t.runId || !t.otherRunId) throw new Error('The comparison needs two runs.');
      const { evidence } = this.services;
      const input = {
        ...(await loadComparison(client, t.runId, t.otherRunId, (id) =>
          evidence.cache().get(evidence.source(), id),
        )),
        generatedAt: new Date().toISOString(),
        source: ctx.source,
      };
      const doc = buildCompareReport(input);
      return { doc, summary: compareSummary(input, doc) };
    }
    if (t.kind === 'timeline') {
      if (!t.runId) throw new Error('The roster timeline needs a run.');
      // The run's verified evidence pack, shared with the L3 workspace through the window's cache.
      const ev = await this.services.evidence.cache().get(this.services.evidence.source(), t.runId);
      const block = buildTimeline(ev);
      return {
        doc: buildTimelineReport({ block, generatedAt: new Date().toISOString(), source: ctx.source }),
        summary: timelineSummary(block),
      };
    }
    if (t.kind === 'drift') {
      const input = await loadDriftInput(ctx, t.runId, t.trend ?? DEFAULT_TREND_RUNS);
      return {
        doc: buildDriftReport(input),
        summary: {
          verdict: input.drift?.verdict,
          level: input.drift?.level,
          score: input.drift?.score,
          runId: input.drift?.run_id ?? t.runId,
          metrics: input.drift?.metrics.map((m) => ({
            kpi: m.kpi,
            verdict: m.verdict,
            drift_pct: m.drift_pct,
          })),
          trendRuns: input.trend.map((p) => p.run_id),
          problem: input.driftProblem?.title,
        },
      };
    }
    const input = await loadFireDrillInput(ctx);
    return {
      doc: buildFireDrillReport(input),
      summary: {
        drills: input.drills?.length,
        failed: input.drills?.filter((d) => d.result !== 'PASS').length,
        problem: input.problem?.title,
      },
    };
  }

  /** Opens (or reveals and reloads) the panel for a target; resolves once its data is loaded. */
  async open(t: PanelTarget, opts: { preserveFocus?: boolean } = {}): Promise<PanelInfo> {
    const site = t.kind === 'fireDrills' ? this.site() : undefined;
    const id = panelIdFor(t, site);
    let p = this.panels.get(id);
    if (p) {
      p.panel.reveal(p.panel.viewColumn ?? vscode.ViewColumn.Beside, opts.preserveFocus ?? true);
    } else {
      const title = titleFor(t, site);
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: opts.preserveFocus ?? true },
        { ...this.webviewOptions(), enableFindWidget: true },
      );
      p = new ReportPanel(this, panel, t, id, title);
      this.panels.set(id, p);
    }
    this.lastActive = id;
    await p.load();
    return p.info();
  }

  /** A panel VS Code restores after a reload (serializer). */
  async restore(panel: vscode.WebviewPanel, t: PanelTarget): Promise<void> {
    const site = t.kind === 'fireDrills' ? this.site() : undefined;
    const id = panelIdFor(t, site);
    const existing = this.panels.get(id);
    if (existing) {
      // Already open (restored twice?): keep one.
      panel.dispose();
      return;
    }
    const p = new ReportPanel(this, panel, t, id, titleFor(t, site));
    this.panels.set(id, p);
    await p.load();
  }

  forget(p: ReportPanel): void {
    if (this.panels.get(p.id) === p) this.panels.delete(p.id);
    if (this.lastActive === p.id) this.lastActive = undefined;
  }

  list(): PanelInfo[] {
    return [...this.panels.values()].map((p) => p.info());
  }

  get(id: string): PanelInfo | undefined {
    return this.panels.get(id)?.info();
  }

  /** Test hook: a message as if the panel's webview had posted it. */
  async simulate(id: string, message: unknown): Promise<PanelInfo | undefined> {
    const p = this.panels.get(id);
    if (!p) throw new Error(`no report panel ${id}`);
    await p.onMessage(message);
    return p.info();
  }

  /** Carries out a link of a report. */
  async runAction(a: ReportAction, from?: ReportPanel): Promise<ActionResult> {
    if (a.type === 'resolve') {
      // The procedure itself runs the step and writes the record; the panel only starts it.
      const r = (await vscode.commands.executeCommand('solvereign.sp002.investigateRun', a.runId, {
        resolution: a.resolution,
      })) as { result?: string; recordPath?: string; error?: string } | undefined;
      const out: ResolutionResult = {
        resolution: a.resolution,
        result: r?.result,
        recordPath: r?.recordPath,
        error: r?.error,
      };
      from?.notify(
        out.error
          ? `SP-002 ${a.resolution} failed: ${out.error}`
          : `SP-002 ${a.resolution} done${out.result ? ` (${out.result})` : ''}${out.recordPath ? `; record ${out.recordPath}` : ''}`,
        out.error ? 'fail' : 'info',
      );
      return out;
    }
    if (a.type === 'openReport') return this.open({ kind: a.kind, runId: a.runId }, { preserveFocus: false });
    // The report sits beside the code: open the source in the editor group next to it.
    const col = from?.panel.viewColumn;
    const column = col && col > 1 ? ((col - 1) as vscode.ViewColumn) : vscode.ViewColumn.Beside;
    if (a.line !== undefined || !a.file) return this.sources.openForecastLine(a.runId, a.line, column);
    return this.sources.openEvidenceFile(a.runId, a.file, a.search, column);
  }

  private async docFor(args: ExportArgs): Promise<{ doc: ReportDoc; panelId?: string }> {
    const id = args.panelId ?? (args.kind ? undefined : this.lastActive);
    if (id) {
      const p = this.panels.get(id);
      if (!p) throw new Error(`No open report ${id}.`);
      await p.settled();
      if (!p.doc) throw new Error(`The report ${p.title} has not loaded${p.error ? `: ${p.error}` : ''}.`);
      return { doc: p.doc, panelId: id };
    }
    if (args.kind) {
      const { doc } = await this.build({ kind: args.kind, runId: args.runId });
      return { doc };
    }
    const open = this.list().filter((p) => p.state === 'ready');
    if (open.length === 1) return this.docFor({ panelId: open[0]!.panelId });
    if (!open.length) throw new Error('No report is open. Open an audit, drift or fire-drill report first.');
    const pick = await vscode.window.showQuickPick(
      open.map((p) => ({ label: p.title, panelId: p.panelId })),
      { title: 'Export which report?' },
    );
    if (!pick) throw new Error('cancelled');
    return this.docFor({ panelId: pick.panelId });
  }

  /** Writes a report as markdown or HTML; undefined when the user cancels. */
  async exportReport(args: ExportArgs): Promise<ExportResult | undefined> {
    let doc: ReportDoc;
    let panelId: string | undefined;
    try {
      ({ doc, panelId } = await this.docFor(args));
    } catch (e) {
      if (errorText(e) === 'cancelled') return undefined;
      throw e;
    }
    let format =
      args.format ?? (args.path && /\.html?$/i.test(args.path) ? 'html' : args.path ? 'markdown' : undefined);
    if (!format) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Markdown', description: 'for tickets', format: 'markdown' as const },
          { label: 'HTML', description: 'standalone page', format: 'html' as const },
        ],
        { title: `Export ${doc.title}` },
      );
      if (!pick) return undefined;
      format = pick.format;
    }
    const ext = format === 'html' ? 'html' : 'md';
    let target: vscode.Uri | undefined;
    if (args.path) target = vscode.Uri.file(path.resolve(args.path));
    else {
      const base = doc.title
        .replace(/[^\w.-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .toLowerCase();
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      target = await vscode.window.showSaveDialog({
        title: `Export ${doc.title}`,
        defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${ext}`) : undefined,
        filters: format === 'html' ? { HTML: ['html', 'htm'] } : { Markdown: ['md', 'markdown'] },
      });
      if (!target) return undefined;
    }
    const text = format === 'html' ? renderReportHtml(doc) : renderReportMarkdown(doc);
    const bytes = Buffer.from(text, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`exported ${doc.title} (${format}) to ${target.fsPath}`);
    if (!args.path) {
      void vscode.window
        .showInformationMessage(`Exported ${doc.title} to ${target.fsPath}.`, 'Open')
        .then((a) => {
          if (a) void vscode.commands.executeCommand('vscode.open', target);
        });
    }
    return { path: target.fsPath, format, bytes: bytes.length, title: doc.title, panelId };
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

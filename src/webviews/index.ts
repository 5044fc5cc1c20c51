// Report webviews (audit, drift, fire drills). Registration only: commands and the panel
// serializer. The host (dist/reports.js, with the report builders) loads when a command runs or VS
// Code restores a report panel after a reload.
import * as vscode from 'vscode';
import type { RunSummary } from '../api/schemas';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import type { ReportKind } from '../reports/model';
import type { ExtensionServices } from '../services';
import { runIdFromArg } from '../shared/args';
import type { ExportArgs, ExportResult, PanelInfo, ReportsHost } from './reportsHost';
import type { SourceResult } from './source';

export type { ExportArgs, ExportResult, PanelInfo } from './reportsHost';

/** The report panels' view type (= protocol.ts's VIEW_TYPE, which loads with the host). */
const VIEW_TYPE = 'solvereign.report';
type ReportsBundle = typeof import('./reportsBundle');

/** Answers a report command takes instead of asking (tests, procedures, automation). */
export interface ReportAnswers {
  /** The run to use when no run is given (instead of the quick pick). */
  pick?: string;
  /** Drift: use the latest run without asking. */
  latest?: boolean;
  /** Drift: how many runs the trend covers (default 8). */
  trend?: number;
  /** Move focus to the report (default: keep it in the editor). */
  focus?: boolean;
}

export type OpenResult = PanelInfo | { cancelled: true } | { error: string };

export interface ReportsApi {
  /** Open report panels (id, title, state, summary, what the webview rendered). */
  panels(): PanelInfo[];
  panel(panelId: string): PanelInfo | undefined;
  /** Opens a report without the command layer. */
  open(kind: ReportKind, runId?: string, answers?: ReportAnswers): Promise<PanelInfo>;
  exportReport(args: ExportArgs): Promise<ExportResult | undefined>;
  /** A violation's link: the run's forecast at a 1-based line, or an evidence file near a text. */
  openSource(runId: string, where: { line?: number; file?: string; search?: string }): Promise<SourceResult>;
  /** Test hook: handles `message` as if the panel's webview had posted it. */
  simulateWebviewMessage(panelId: string, message: unknown): Promise<PanelInfo | undefined>;
}

export function registerReports(context: vscode.ExtensionContext, services: ExtensionServices): ReportsApi {
  let bundle: ReportsBundle | undefined;
  const load = () => {
    bundle ??= loadBundle<ReportsBundle>(context.extensionPath, LAZY_BUNDLES.reports);
    return bundle;
  };
  let host: ReportsHost | undefined;
  const getHost = () => {
    if (!host) {
      host = new (load().ReportsHost)(context, services);
      context.subscriptions.push(host);
    }
    return host;
  };

  const fail = (id: string, e: unknown): { error: string } => {
    const message = e instanceof Error ? e.message : String(e);
    services.log.error(`${id}: ${message}`);
    void vscode.window.showErrorMessage(message, 'Show Log').then((a) => a && services.log.show());
    return { error: message };
  };

  async function pickRun(
    title: string,
    answers: ReportAnswers | undefined,
    latestItem: boolean,
    accept: (r: RunSummary) => boolean = () => true,
  ) {
    if (answers?.pick) return { runId: answers.pick };
    if (answers?.latest) return { runId: undefined };
    const client = services.connection.requireClient();
    const items = client.listRuns({ limit: 30 }).then((all) => {
      const list = { runs: all.runs.filter(accept) };
      const runs: (vscode.QuickPickItem & { runId?: string })[] = list.runs.map((r: RunSummary) => ({
        label: r.run_id,
        description: `${r.week_id} · ${r.status} · audits ${r.audit_pass_count}/${r.audit_total}${r.published ? ' · published' : ''}${r.locked ? ' · locked' : ''}`,
        detail: r.notes ?? undefined,
        runId: r.run_id,
      }));
      if (latestItem) runs.unshift({ label: 'Latest run', description: 'what the server checks by default' });
      return runs;
    });
    const pick = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: 'Pick a run (recent runs of the current site)',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return pick ? { runId: pick.runId } : undefined;
  }

  const command = (id: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          return fail(id, e);
        }
      }),
    );

  // An array is the Runs view's selection (several rows selected), never answers.
  const answersOf = (v: unknown): ReportAnswers | undefined =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as ReportAnswers) : undefined;

  /** A report of one run: the run from the argument (tree node, id) or a quick pick. */
  const runReport =
    (kind: 'audit' | 'investigation' | 'timeline', title: string, accept?: (r: RunSummary) => boolean) =>
    async (arg: unknown, rawAnswers: unknown) => {
      const answers = answersOf(rawAnswers);
      let runId = runIdFromArg(arg);
      if (!runId) {
        const picked = await pickRun(title, answers, false, accept);
        if (!picked?.runId) return { cancelled: true };
        runId = picked.runId;
      }
      return getHost().open({ kind, runId }, { preserveFocus: !answers?.focus });
    };

  command('solvereign.openAuditReport', runReport('audit', 'Open Audit Report'));
  command(
    'solvereign.sp002.openInvestigation',
    runReport('investigation', 'SP-002 Open Investigation Panel'),
  );

  // The timeline draws a plan: runs that ended in ERROR or are still solving have none.
  command(
    'solvereign.showTimeline',
    runReport('timeline', 'Show Roster Timeline', (r) => r.status !== 'ERROR' && r.status !== 'PENDING'),
  );

  command('solvereign.openDriftReport', async (arg, rawAnswers) => {
    const answers = answersOf(rawAnswers) ?? (arg === 'latest' ? { latest: true } : undefined);
    let runId = runIdFromArg(arg);
    if (!runId) {
      const picked = await pickRun('Open Drift Report', answers, true);
      if (!picked) return { cancelled: true };
      runId = picked.runId;
    }
    return getHost().open(
      { kind: 'drift', runId, trend: answers?.trend },
      { preserveFocus: !answers?.focus },
    );
  });

  command('solvereign.openFireDrillHistory', async (arg, rawAnswers) => {
    // The first argument may be a tree node or the answers themselves; there is no run here.
    const answers = answersOf(rawAnswers) ?? (runIdFromArg(arg) ? undefined : answersOf(arg));
    return getHost().open({ kind: 'fireDrills' }, { preserveFocus: !answers?.focus });
  });

  // The report half of "Compare Runs…" (src/l3/compareRuns.ts opens the diffs and then this).
  command('solvereign.openComparisonReport', async (arg, otherArg, rawAnswers) => {
    const runId = runIdFromArg(arg);
    const otherRunId = runIdFromArg(otherArg);
    if (!runId || !otherRunId)
      throw new Error('A comparison needs two runs: use "SOLVEREIGN: Compare Runs…".');
    return getHost().open(
      { kind: 'compare', runId, otherRunId },
      { preserveFocus: !answersOf(rawAnswers)?.focus },
    );
  });

  command('solvereign.exportReport', async (arg, rawAnswers) => {
    const a: ExportArgs =
      typeof arg === 'string'
        ? { panelId: arg, ...(answersOf(rawAnswers) as ExportArgs) }
        : { ...(answersOf(arg) as ExportArgs), ...(answersOf(rawAnswers) as ExportArgs) };
    const r = await getHost().exportReport(a);
    return r ?? { cancelled: true };
  });

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const s = load().parsePanelState(state);
        if (!s) {
          // A panel from another version of the extension: nothing to restore it from.
          panel.dispose();
          return;
        }
        await getHost().restore(panel, s.target);
      },
    }),
  );

  return {
    panels: () => host?.list() ?? [],
    panel: (id) => host?.get(id),
    open: (kind, runId, answers) =>
      getHost().open({ kind, runId, trend: answers?.trend }, { preserveFocus: !answers?.focus }),
    exportReport: (args) => getHost().exportReport(args),
    openSource: (runId, where) =>
      getHost().runAction({ type: 'openSource', runId, ...where }) as Promise<SourceResult>,
    simulateWebviewMessage: (id, message) => getHost().simulate(id, message),
  };
}

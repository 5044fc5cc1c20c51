// An opened run's audit findings in the Problems panel: each violation on the input line(s) of its
// tours (in the run's evidence folder) and on the plan summary's driver/day segment, with the audit as
// source, the runbook code, the other tours as related information, and code actions. Cleared when no
// editor tab shows the run any more, or when the window leaves the server the run came from.
import * as vscode from 'vscode';
import { type AuditFinding, lineRange, PLAN_SUMMARY_FILE } from '../evidence/findings';
import type { ExtensionServices } from '../services';
import { EVIDENCE_SCHEME, evidenceUri, findingsFor, parseEvidencePath } from './evidenceFs';

export const DIAGNOSTIC_SOURCE_PREFIX = 'SOLVEREIGN ';

export interface ShownRun {
  runId: string;
  forecast?: string;
  plan?: string;
  diagnostics: number;
  inputLines: boolean;
}

function range(l: { line: number; start: number; end: number }): vscode.Range {
  return new vscode.Range(l.line, l.start, l.line, l.end);
}

function severity(f: AuditFinding): vscode.DiagnosticSeverity {
  return f.status === 'FAIL' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
}

export class RunDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('solvereign-audits');
  private readonly shown = new Map<string, vscode.Uri[]>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private lastScope: string;

  constructor(private readonly services: ExtensionServices) {
    this.lastScope = this.scope();
    this.disposables.push(
      vscode.window.tabGroups.onDidChangeTabs(() => this.dropClosedRuns()),
      services.connection.onDidChange(() => {
        // Another server, tenant or site, or signed out: the findings are not this window's any more.
        const scope = this.scope();
        if (scope !== this.lastScope) this.clearAll();
        this.lastScope = scope;
      }),
    );
  }

  private scope(): string {
    const c = this.services.connection;
    const a = c.active;
    return a && c.state === 'ready' ? `${a.url}|${a.tenant}|${a.site}` : '';
  }

  /** Runs whose findings are shown, with how many diagnostics each has. */
  runs(): { runId: string; uris: string[] }[] {
    return [...this.shown].map(([runId, uris]) => ({ runId, uris: uris.map(String) }));
  }

  /** Shows the run's findings (downloading and verifying its evidence on first use). */
  async show(runId: string): Promise<ShownRun> {
    const ev = await this.services.evidence.cache().get(this.services.evidence.source(), runId);
    const rf = findingsFor(ev);
    const forecastUri = ev.forecast ? evidenceUri(runId, ev.forecast.name) : undefined;
    const planUri = rf.summary ? evidenceUri(runId, PLAN_SUMMARY_FILE) : undefined;
    const onForecast: vscode.Diagnostic[] = [];
    const onPlan: vscode.Diagnostic[] = [];
    for (const f of rf.findings) {
      const source = `${DIAGNOSTIC_SOURCE_PREFIX}${f.audit}`;
      const code = f.code ?? f.audit;
      const related = (primary: number | undefined): vscode.DiagnosticRelatedInformation[] => {
        const out: vscode.DiagnosticRelatedInformation[] = [];
        if (forecastUri && ev.forecast)
          for (const t of f.tours)
            if (t.line !== undefined && t.line !== primary)
              out.push(
                new vscode.DiagnosticRelatedInformation(
                  new vscode.Location(forecastUri, range(lineRange(ev.forecast.text, t.line))),
                  `Also involved: ${t.label}`,
                ),
              );
        return out;
      };
      if (forecastUri && ev.forecast && f.lines.length) {
        const primary = f.lines[0]!;
        const d = new vscode.Diagnostic(range(lineRange(ev.forecast.text, primary)), f.message, severity(f));
        d.source = source;
        d.code = code;
        const rel = related(primary);
        if (planUri && f.driver)
          rel.push(
            new vscode.DiagnosticRelatedInformation(
              new vscode.Location(planUri, range(f.plan)),
              `In the plan: ${f.driver}${f.day ? `, day ${f.day}` : ''}`,
            ),
          );
        d.relatedInformation = rel;
        onForecast.push(d);
      }
      if (planUri && (f.driver || !f.lines.length)) {
        const d = new vscode.Diagnostic(range(f.plan), f.message, severity(f));
        d.source = source;
        d.code = code;
        d.relatedInformation = related(undefined);
        onPlan.push(d);
      }
    }
    if (planUri && !rf.inputLines && rf.findings.length)
      onPlan.unshift(
        Object.assign(
          new vscode.Diagnostic(
            new vscode.Range(0, 0, 0, 0),
            'Input lines are not available: this evidence pack holds no input forecast, so the findings are shown on the plan only.',
            vscode.DiagnosticSeverity.Information,
          ),
          { source: `${DIAGNOSTIC_SOURCE_PREFIX}audits` },
        ),
      );
    this.clear(runId);
    const uris: vscode.Uri[] = [];
    if (forecastUri) {
      this.collection.set(forecastUri, onForecast);
      uris.push(forecastUri);
    }
    if (planUri) {
      this.collection.set(planUri, onPlan);
      uris.push(planUri);
    }
    this.shown.set(runId, uris);
    return {
      runId,
      ...(forecastUri ? { forecast: forecastUri.toString() } : {}),
      ...(planUri ? { plan: planUri.toString() } : {}),
      diagnostics: onForecast.length + onPlan.length,
      inputLines: rf.inputLines,
    };
  }

  clear(runId: string): void {
    for (const u of this.shown.get(runId) ?? []) this.collection.delete(u);
    this.shown.delete(runId);
  }

  clearAll(): void {
    this.collection.clear();
    this.shown.clear();
  }

  /** Runs no tab shows any more lose their findings. */
  private dropClosedRuns(): void {
    const open = new Set<string>();
    for (const g of vscode.window.tabGroups.all)
      for (const t of g.tabs) {
        const uris =
          t.input instanceof vscode.TabInputText
            ? [t.input.uri]
            : t.input instanceof vscode.TabInputTextDiff
              ? [t.input.original, t.input.modified]
              : [];
        for (const u of uris) if (u.scheme === EVIDENCE_SCHEME) open.add(parseEvidencePath(u).runId);
      }
    for (const runId of [...this.shown.keys()]) if (!open.has(runId)) this.clear(runId);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Commands a finding offers (each registered by this extension, taking the run id). */
const FINDING_ACTIONS: { title: string; command: string }[] = [
  { title: 'Open Audit Report', command: 'solvereign.openAuditReport' },
  { title: 'Investigate (SP-002)', command: 'solvereign.sp002.investigateRun' },
  { title: 'Compare with Previous Run', command: 'solvereign.compareRuns' },
  { title: 'Show in Timeline', command: 'solvereign.showTimeline' },
  { title: 'Reproduce Run Locally', command: 'solvereign.reproduceRunLocally' },
];

export class FindingActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source?.startsWith(DIAGNOSTIC_SOURCE_PREFIX));
    if (!ours.length || doc.uri.scheme !== EVIDENCE_SCHEME) return [];
    const { runId } = parseEvidencePath(doc.uri);
    const out: vscode.CodeAction[] = [];
    for (const a of FINDING_ACTIONS) {
      const action = new vscode.CodeAction(`${a.title} (${runId})`, vscode.CodeActionKind.QuickFix);
      action.command = { title: a.title, command: a.command, arguments: [runId] };
      action.diagnostics = ours;
      out.push(action);
    }
    return out;
  }
}

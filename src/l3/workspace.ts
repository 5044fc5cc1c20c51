// The L3 workspace behind src/l3/index.ts's thin registration (loaded on first use): one object that
// owns the findings in the Problems panel, the audits-as-tests items, and the commands' work.
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { runIdFromArg } from '../shared/args';
import { compareRunsArgs } from '../evidence/compare';
import { AuditTests, type AuditTestOutcome } from './auditTests';
import { type CompareResult, compareRuns } from './compareRuns';
import { FindingActions, RunDiagnostics, type ShownRun } from './diagnostics';
import {
  EVIDENCE_SCHEME,
  EvidenceFileSystem,
  evidenceUri,
  openEvidence,
  parseEvidencePath,
} from './evidenceFs';

export class L3Workspace implements vscode.Disposable {
  readonly fs: EvidenceFileSystem;
  readonly diagnostics: RunDiagnostics;
  readonly tests: AuditTests;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly services: ExtensionServices,
    private readonly controller: vscode.TestController,
    private readonly profile: () => vscode.TestRunProfile,
  ) {
    this.fs = new EvidenceFileSystem(services);
    this.diagnostics = new RunDiagnostics(services);
    this.tests = new AuditTests(controller, services);
    this.disposables = [
      this.diagnostics,
      this.tests,
      vscode.languages.registerCodeActionsProvider({ scheme: EVIDENCE_SCHEME }, new FindingActions(), {
        providedCodeActionKinds: FindingActions.kinds,
      }),
    ];
  }

  private fail(where: string, e: unknown): { error: string } {
    const message = e instanceof Error ? e.message : String(e);
    this.services.log.error(`${where}: ${message}`);
    void vscode.window.showErrorMessage(message, 'Show Log').then((a) => a && this.services.log.show());
    return { error: message };
  }

  /** An evidence document opened any way (explorer, link, restore) brings its run's findings. */
  documentOpened(uri: vscode.Uri): void {
    const { runId } = parseEvidencePath(uri);
    if (runId && !this.diagnostics.runs().some((r) => r.runId === runId)) void this.showFindings(runId);
  }

  /** Shows an opened run's findings; a failure is logged (the document itself says what went wrong). */
  async showFindings(runId: string): Promise<ShownRun | undefined> {
    try {
      const shown = await this.diagnostics.show(runId);
      await this.tests.addRun(runId);
      return shown;
    } catch (e) {
      this.services.log.warn(`findings of ${runId}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private async runId(arg: unknown, title: string): Promise<string | undefined> {
    const given = runIdFromArg(arg);
    if (given) return given;
    const client = this.services.connection.requireClient();
    const items = (async (): Promise<vscode.QuickPickItem[]> => {
      const list = await client.listRuns({ limit: 30 });
      return list.runs.map((r) => ({ label: r.run_id, description: `${r.week_id} · ${r.status}` }));
    })();
    const pick = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: 'Pick a run (recent runs of the current site)',
    });
    return pick?.label;
  }

  async openEvidence(arg: unknown) {
    try {
      const runId = await this.runId(arg, 'Open Evidence');
      if (!runId) return { cancelled: true };
      const opened = await openEvidence(this.services, runId);
      const findings = await this.showFindings(runId);
      return { ...opened, diagnostics: findings?.diagnostics ?? 0, inputLines: findings?.inputLines };
    } catch (e) {
      return this.fail('solvereign.openEvidence', e);
    }
  }

  async addEvidenceFolder(arg: unknown) {
    try {
      const runId = await this.runId(arg, 'Add Evidence as Workspace Folder');
      if (!runId) return { cancelled: true };
      // Download and verify first: a folder that cannot be read is never added.
      await this.services.evidence.cache().get(this.services.evidence.source(), runId);
      const uri = evidenceUri(runId);
      const at = vscode.workspace.workspaceFolders?.length ?? 0;
      const added = vscode.workspace.updateWorkspaceFolders(at, 0, { uri, name: `${runId} (evidence)` });
      return { runId, uri: uri.toString(), added };
    } catch (e) {
      return this.fail('solvereign.addEvidenceFolder', e);
    }
  }

  async reproduceRunLocally(
    arg: unknown,
  ): Promise<AuditTestOutcome | { cancelled: true } | { error: string }> {
    try {
      const runId = await this.runId(arg, 'Reproduce Run Locally');
      if (!runId) return { cancelled: true };
      await openEvidence(this.services, runId);
      await this.showFindings(runId);
      const item = await this.tests.addRun(runId);
      const [outcome] = await this.runItems([item]);
      void vscode.commands.executeCommand('workbench.view.testing.focus');
      return outcome!;
    } catch (e) {
      return this.fail('solvereign.reproduceRunLocally', e);
    }
  }

  /** Compare Runs… / Compare Selected Runs: the arguments as VS Code, a quick fix or a test passes them. */
  async compareRuns(args: unknown[]): Promise<CompareResult | { cancelled: true } | { error: string }> {
    try {
      const a = compareRunsArgs(args);
      if (a.error) throw new Error(a.error);
      const runId = a.runId ?? (await this.runId(undefined, 'Compare Runs…'));
      if (!runId) return { cancelled: true };
      return await compareRuns(this.services, runId, a.otherRunId, a.answers);
    } catch (e) {
      return this.fail('solvereign.compareRuns', e);
    }
  }

  /** Runs these root items' audits as the Testing view would (all roots when none are given). */
  async runItems(items?: vscode.TestItem[]): Promise<AuditTestOutcome[]> {
    await this.tests.ensureDiscovered();
    const roots = items ?? [];
    if (!items) this.controller.items.forEach((i) => void roots.push(i));
    const cts = new vscode.CancellationTokenSource();
    try {
      return await this.tests.run(new vscode.TestRunRequest(roots, undefined, this.profile()), cts.token);
    } finally {
      cts.dispose();
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

// "Compare Runs…": two runs of the site side by side. Their inputs and plan summaries open as native
// diffs of the evidence files (the earlier run left), and the comparison report (KPIs, audits,
// hashes) opens beside them in the reports host. Loaded on first use (dist/l3.js).
import * as vscode from 'vscode';
import type { RunSummary } from '../api/schemas';
import {
  type ComparableRun,
  type CompareAnswers,
  type CompareCandidate,
  type ComparePack,
  comparisonCandidates,
  comparisonDiffs,
  defaultComparison,
  getRunOrNotFound,
  isPack,
  loadComparison,
  type PackOrProblem,
} from '../evidence/compare';
import { fmtTime } from '../reports/format';
import type { ExtensionServices } from '../services';
import { evidenceUri } from './evidenceFs';

export interface CompareResult {
  /** The earlier and the later run (left and right in the diffs). */
  older: string;
  newer: string;
  /** Why the other run was chosen, when the command chose or offered it. */
  why?: string;
  diffs: { what: string; title: string; left: string; right: string }[];
  skipped: string[];
  /** The report panel (panelId, state, summary…), as the reports host returns it. */
  report: unknown;
}

/** The run to compare `runId` with: the answer, the default, or the user's pick ("Compare A with…"). */
async function pickOther(
  services: ExtensionServices,
  runId: string,
  answers: CompareAnswers,
): Promise<{ runId: string; why?: string } | undefined> {
  if (answers.other) return { runId: answers.other };
  const client = services.connection.requireClient();
  // The list has what the choice needs of the run itself, unless the run is older than its last 100.
  const list = (await client.listRuns({ limit: 100 })).runs;
  const run: ComparableRun = list.find((r) => r.run_id === runId) ?? (await getRunOrNotFound(client, runId));
  const candidates = comparisonCandidates(list, run);
  const { candidate, note } = defaultComparison(list, run, candidates);
  if (answers.useDefault) {
    if (!candidate) throw new Error(note);
    return { runId: candidate.run.run_id, why: candidate.why };
  }
  if (!candidates.length)
    throw new Error(`There is no other run on ${client.tenant}/${client.site} to compare ${runId} with.`);
  const pick = await vscode.window.showQuickPick(
    candidates.map((c: CompareCandidate<RunSummary>) => ({
      label: c.run.run_id,
      description: `${c.run.week_id} · ${c.run.status} · ${fmtTime(c.run.timestamp)}`,
      detail: c.why,
      candidate: c,
    })),
    {
      title: `Compare ${runId} with…`,
      placeHolder: candidate ? 'The default comes first' : note,
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  return pick && { runId: pick.label, why: pick.detail };
}

/** Both packs downloaded and verified: a run that cannot be compared stops here, saying why. */
function usable(p: PackOrProblem): ComparePack {
  if (!isPack(p)) throw new Error(p.problem);
  return p;
}

export async function compareRuns(
  services: ExtensionServices,
  runId: string,
  otherRunId: string | undefined,
  answers: CompareAnswers,
): Promise<CompareResult | { cancelled: true }> {
  const other = otherRunId ? { runId: otherRunId } : await pickOther(services, runId, answers);
  if (!other) return { cancelled: true };
  const client = services.connection.requireClient();
  const { evidence } = services;
  const c = await loadComparison(client, runId, other.runId, (id) =>
    evidence.cache().get(evidence.source(), id),
  );
  const { diffs, skipped } = comparisonDiffs(usable(c.packs.older), usable(c.packs.newer));
  for (const d of diffs)
    await vscode.commands.executeCommand(
      'vscode.diff',
      evidenceUri(d.left.runId, d.left.file),
      evidenceUri(d.right.runId, d.right.file),
      d.title,
      { preview: false, preserveFocus: true },
    );
  const report = await vscode.commands.executeCommand(
    'solvereign.openComparisonReport',
    c.newer.run_id,
    c.older.run_id,
    { focus: answers.focus },
  );
  return {
    older: c.older.run_id,
    newer: c.newer.run_id,
    ...(other.why ? { why: other.why } : {}),
    diffs: diffs.map((d) => ({
      what: d.what,
      title: d.title,
      left: evidenceUri(d.left.runId, d.left.file).toString(),
      right: evidenceUri(d.right.runId, d.right.file).toString(),
    })),
    skipped: skipped.map((s) => s.reason),
    report,
  };
}

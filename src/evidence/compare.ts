// Comparing two runs of one site: which run a run is compared with by default (an earlier run of the
// same week, i.e. it is a re-run; else the latest run of the previous ISO week), the other runs in the
// order a picker offers them, what each evidence pack holds for the comparison and which diffs that
// allows. Pure: the L3 workspace opens the diffs, the reports host builds the report. No `vscode`.
import { SolvereignApiError } from '../api/errors';
import type { RunDetail } from '../api/schemas';
import { runIdFromArg } from '../shared/args';
import { isoWeeksBetween, shiftIsoWeek } from '../shared/isoWeek';
import { hasPlan, PLAN_SUMMARY_FILE, planAssignments } from './findings';
import { EvidenceMismatchError, type RunEvidence } from './runEvidence';

/** What the choice needs of a run (a run summary or detail). */
export interface ComparableRun {
  run_id: string;
  week_id: string;
  timestamp: string;
  status: string;
  tenant_code?: string;
  site_code?: string;
}

/** How another run relates to the run being compared. */
export type CompareRelation = 'rerun' | 'laterRun' | 'previousWeek' | 'other';

export interface CompareCandidate<T extends ComparableRun> {
  run: T;
  relation: CompareRelation;
  /** The default comparison (always first in the list). */
  isDefault: boolean;
  /** Why it is offered, in words (a picker's detail line). */
  why: string;
}

/** Oldest first; runs solved at the same moment by id. */
export function chronological(a: ComparableRun, b: ComparableRun): number {
  const d = Date.parse(a.timestamp) - Date.parse(b.timestamp);
  return (
    (Number.isNaN(d) ? a.timestamp.localeCompare(b.timestamp) : d) ||
    a.run_id.localeCompare(b.run_id, 'en', { numeric: true })
  );
}

/** The two runs oldest first: diffs read from the earlier run (left) to the later one (right). */
export function inTimeOrder<T extends ComparableRun>(a: T, b: T): [older: T, newer: T] {
  return chronological(a, b) <= 0 ? [a, b] : [b, a];
}

const sameSite = (a: ComparableRun, b: ComparableRun) =>
  !a.tenant_code || !b.tenant_code || (a.tenant_code === b.tenant_code && a.site_code === b.site_code);

/**
 * The runs `run` can be compared with, the default first: the latest earlier run of the same week (the
 * run is a re-run of it), else the latest run of the previous ISO week. Then the rest of the same week,
 * the previous week, and every other run newest first. Runs of other sites are left out.
 */
export function comparisonCandidates<T extends ComparableRun>(
  runs: readonly T[],
  run: ComparableRun,
): CompareCandidate<T>[] {
  const prev = shiftIsoWeek(run.week_id, -1);
  const others = runs.filter((r) => r.run_id !== run.run_id && sameSite(r, run));
  const relation = (r: T): CompareRelation =>
    r.week_id === run.week_id
      ? chronological(r, run) < 0
        ? 'rerun'
        : 'laterRun'
      : r.week_id === prev
        ? 'previousWeek'
        : 'other';
  const related = others.map((r) => ({ r, k: relation(r) }));
  const of = (k: CompareRelation) => related.filter((x) => x.k === k).sort((a, b) => chronological(b.r, a.r));
  const reruns = of('rerun');
  const previous = of('previousWeek');
  const later = of('laterRun').reverse();
  const rest = of('other');
  const def = (reruns[0] ?? previous[0])?.r;
  const why = (r: T, k: CompareRelation): string => {
    if (r === def)
      return k === 'rerun'
        ? `Default: an earlier run of the same week ${run.week_id} (${run.run_id} re-ran it)`
        : `Default: the latest run of the previous week ${prev}`;
    if (k === 'rerun') return `An earlier run of the same week ${run.week_id}`;
    if (k === 'laterRun') return `A later run of the same week ${run.week_id} (a re-run)`;
    if (k === 'previousWeek') return `Another run of the previous week ${prev}`;
    return `A run of week ${r.week_id}`;
  };
  return [...reruns, ...later, ...previous, ...rest]
    .sort((a, b) => Number(b.r === def) - Number(a.r === def))
    .map(({ r, k }) => ({ run: r, relation: k, isDefault: r === def, why: why(r, k) }));
}

/** The default run to compare `run` with, or why there is none. */
export function defaultComparison<T extends ComparableRun>(
  runs: readonly T[],
  run: ComparableRun,
  candidates: readonly CompareCandidate<T>[] = comparisonCandidates(runs, run),
): { candidate?: CompareCandidate<T>; note?: string } {
  const first = candidates[0];
  if (first?.isDefault) return { candidate: first };
  return {
    note: `No earlier run of ${run.week_id} and no run of ${shiftIsoWeek(run.week_id, -1) ?? 'the previous week'} among the ${runs.length} runs listed: pick the run to compare ${run.run_id} with.`,
  };
}

/** How two runs (oldest first) relate, in words for the report. */
export function describePair(older: ComparableRun, newer: ComparableRun): string {
  if (older.week_id === newer.week_id)
    return `Both runs are of week ${newer.week_id}: ${newer.run_id} re-ran it after ${older.run_id}.`;
  const weeks = isoWeeksBetween(older.week_id, newer.week_id);
  if (weeks === 1) return `Consecutive weeks: ${older.week_id} → ${newer.week_id}.`;
  if (weeks === undefined) return `Weeks ${older.week_id} and ${newer.week_id}.`;
  return `Weeks ${older.week_id} → ${newer.week_id} (${Math.abs(weeks)} weeks apart).`;
}

/** What a verified evidence pack holds for a comparison. */
export interface ComparePack {
  runId: string;
  /** Every entry of the archive. */
  files: string[];
  /** The input forecast and its tour lines (live's packs may hold none). */
  input?: { file: string; tourLines: number };
  /** The derived plan summary (`plan-summary.txt`) and what it covers; none without a plan (ERROR). */
  plan?: { file: string; drivers: number; assignments: number };
  error?: { code?: string; message?: string };
  /** Audit results the pack holds. */
  audits: number;
}

export function comparePack(
  ev: Pick<RunEvidence, 'runId' | 'files' | 'forecast' | 'plan' | 'error' | 'audits'>,
): ComparePack {
  const out: ComparePack = {
    runId: ev.runId,
    files: [...ev.files.keys()].filter((n) => !n.endsWith('/')).sort(),
    audits: ev.audits?.length ?? 0,
  };
  if (ev.forecast)
    out.input = {
      file: ev.forecast.name,
      tourLines: ev.forecast.text.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith('#')).length,
    };
  if (hasPlan(ev)) {
    const a = planAssignments(ev.plan);
    out.plan = {
      file: PLAN_SUMMARY_FILE,
      drivers: new Set(a.map((x) => x.driver_id)).size,
      assignments: a.length,
    };
  }
  if (ev.error && (ev.error.error_code || ev.error.message))
    out.error = { code: ev.error.error_code, message: ev.error.message };
  return out;
}

/** "error.json says ERR_SOLVE_001: Solver time limit …" */
function errorText(p: ComparePack): string {
  return p.error ? `; error.json says ${[p.error.code, p.error.message].filter(Boolean).join(': ')}` : '';
}

export type DiffKind = 'input' | 'plan summary';

/** One side-by-side diff: `left` is the older run's file, `right` the newer's. */
export interface CompareDiff {
  what: DiffKind;
  title: string;
  left: { runId: string; file: string };
  right: { runId: string; file: string };
}

/**
 * The diffs two packs (oldest first) allow: their inputs when both hold one, their plan summaries when
 * both have a plan; each one left out says why.
 */
export function comparisonDiffs(
  older: ComparePack,
  newer: ComparePack,
): { diffs: CompareDiff[]; skipped: { what: DiffKind; reason: string }[] } {
  const diffs: CompareDiff[] = [];
  const skipped: { what: DiffKind; reason: string }[] = [];
  const pair = `${older.runId} ↔ ${newer.runId}`;
  if (older.input && newer.input)
    diffs.push({
      what: 'input',
      title: `${pair}: input`,
      left: { runId: older.runId, file: older.input.file },
      right: { runId: newer.runId, file: newer.input.file },
    });
  else {
    const without = [older, newer].filter((p) => !p.input).map((p) => p.runId);
    skipped.push({
      what: 'input',
      reason: `${without.length === 2 ? 'Neither evidence pack holds an' : `The evidence pack of ${without[0]} holds no`} input forecast (live SOLVEREIGN packs may not): the inputs are not compared.`,
    });
  }
  if (older.plan && newer.plan)
    diffs.push({
      what: 'plan summary',
      title: `${pair}: plan summary`,
      left: { runId: older.runId, file: older.plan.file },
      right: { runId: newer.runId, file: newer.plan.file },
    });
  else
    for (const p of [older, newer].filter((x) => !x.plan))
      skipped.push({
        what: 'plan summary',
        reason: `${p.runId} has no plan: its pack holds ${p.files.join(', ') || 'no files'}${errorText(p)}. The plan summaries are not compared.`,
      });
  return { diffs, skipped };
}

/** A run that is not on the server (or not on this site), with what to do. */
export function runNotFoundMessage(runId: string, site?: string): string {
  return `Run ${runId} was not found${site ? ` on ${site}` : ''}. Check the run id, or pick the run in the Runs view (it lists this site's runs; "SOLVEREIGN: Select Site" switches site).`;
}

/** Why a pack cannot be compared, with what to do (a checksum mismatch is never a warning). */
export function packProblemMessage(runId: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof EvidenceMismatchError)
    return `${message}. It is not compared: a pack that does not match the server's checksums cannot be trusted. Try again (a download may have been cut short); if it fails again, escalate to L3 with the run id — the stored evidence was changed or damaged.`;
  return `The evidence pack of ${runId} could not be loaded: ${message}`;
}

/** A pack that could be read and verified, or why not. */
export type PackOrProblem = ComparePack | { problem: string };

export const isPack = (p: PackOrProblem): p is ComparePack => !('problem' in p);

/** Two runs oldest first, with what their packs hold. */
export interface Comparison {
  /** The earlier run (left in the diffs). */
  older: RunDetail;
  /** The later run (right in the diffs). */
  newer: RunDetail;
  packs: { older: PackOrProblem; newer: PackOrProblem };
}

/** What loading a comparison needs of the server. */
export interface CompareSource {
  readonly tenant: string;
  readonly site: string;
  getRun(runId: string, o?: { signal?: AbortSignal }): Promise<RunDetail>;
}

/** A run the server has, or an error saying it has none (instead of a bare 404). */
export function getRunOrNotFound(
  client: CompareSource,
  runId: string,
  o: { signal?: AbortSignal } = {},
): Promise<RunDetail> {
  return client.getRun(runId, o).catch((e: unknown) => {
    if (e instanceof SolvereignApiError && e.status === 404)
      throw new Error(runNotFoundMessage(runId, `${client.tenant}/${client.site}`));
    throw e;
  });
}

/**
 * Both runs (oldest first) and what their verified packs hold. A run the server does not have is an
 * error; a pack that cannot be read or verified is a problem the caller decides about (the command
 * refuses to compare, the report shows it).
 */
export async function loadComparison(
  client: CompareSource,
  runId: string,
  otherRunId: string,
  evidence: (runId: string) => Promise<Parameters<typeof comparePack>[0]>,
  o: { signal?: AbortSignal } = {},
): Promise<Comparison> {
  if (runId === otherRunId)
    throw new Error(`Compare needs two different runs: ${runId} was given twice. Pick another run.`);
  const get = (id: string) => getRunOrNotFound(client, id, o);
  const [older, newer] = inTimeOrder(...(await Promise.all([get(runId), get(otherRunId)])));
  const read = (id: string): Promise<PackOrProblem> =>
    evidence(id).then(comparePack, (e: unknown) => ({ problem: packProblemMessage(id, e) }));
  const [olderPack, newerPack] = await Promise.all([read(older.run_id), read(newer.run_id)]);
  return { older, newer, packs: { older: olderPack, newer: newerPack } };
}

/** Answers "Compare Runs…" takes instead of asking (tests, other commands). */
export interface CompareAnswers {
  /** The run to compare with (instead of the picker). */
  other?: string;
  /** Take the default run to compare with, without the picker. */
  useDefault?: boolean;
  /** Move the focus to the report. */
  focus?: boolean;
}

/**
 * The command's arguments: a run (id or Runs-tree node) and optionally a second, an answers object
 * last. From the Runs view with several rows selected VS Code passes (clicked node, selected nodes):
 * two selected runs are the pair, more is an error.
 */
export function compareRunsArgs(args: readonly unknown[]): {
  runId?: string;
  otherRunId?: string;
  answers: CompareAnswers;
  error?: string;
} {
  const last = args[args.length - 1];
  const isAnswers =
    !!last && typeof last === 'object' && !Array.isArray(last) && runIdFromArg(last) === undefined;
  const answers = isAnswers ? (last as CompareAnswers) : {};
  const rest = isAnswers ? args.slice(0, -1) : args;
  const selection = rest.find((a): a is unknown[] => Array.isArray(a));
  if (selection) {
    const ids = [...new Set(selection.map(runIdFromArg).filter((x): x is string => !!x))];
    if (ids.length > 2) return { answers, error: `Select two runs to compare (${ids.length} are selected).` };
    // One selected row is the clicked one: compare it with a run the picker offers.
    if (ids.length === 2) return { runId: ids[0], otherRunId: ids[1], answers };
  }
  const [a, b] = rest.filter((x) => !Array.isArray(x)).map(runIdFromArg);
  return { ...(a ? { runId: a } : {}), ...(b ? { otherRunId: b } : {}), answers };
}

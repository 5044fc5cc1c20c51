// SP-002 Investigate Failed Run: gather status and audits, detect the runbook's symptoms from the
// data (coverage < 100 % -> diff the input with the previous week's; Overlap FAIL -> duplicate
// tours with their locations; runtime > 60 s -> a split; hash mismatch -> re-solve with the same
// seed), classify (input / solver / infrastructure) and resolve: a prepared message to the ops
// team, an L3 escalation with an evidence bundle and an incident, or logs and health.
import { SolvereignApiError } from '../../api/errors';
import { AuditDetails, type RunDetail, type RunSummary } from '../../api/schemas';
import { verifyEvidence } from '../../ops/evidence';
import type { HealthCheckResult } from '../../ops/healthCheck';
import type { DuplicateReport, ForecastDiff, ResolveResult, SplitSuggestion } from '../analysis';
import type { ProcedureEnv } from '../context';
import { messageOf, need, type PickItem, type Step, type StepOutcome } from '../engine/engine';
import { readZip } from '../../shared/zip';
import { recordFileName, table } from '../engine/record';
import type { ProcedureDef } from '../runner';
import {
  type CreatedIncident,
  codeBlock,
  contactFor,
  contactLabel,
  createIncident,
  isRunId,
  placeholderNote,
  runItem,
  shiftIsoWeek,
} from './common';
import { checkHealth, healthSections } from './sp001';

export type SymptomId = 'coverage' | 'overlap' | 'runtime' | 'hash' | 'infeasible' | 'rules' | 'error';
export interface Symptom {
  id: SymptomId;
  text: string;
}
export type Classification = 'input' | 'solver' | 'infrastructure' | 'none';
export type Resolution = 'message' | 'escalate' | 'infrastructure' | 'none';

export interface Evidence {
  sha256?: string;
  files: string[];
  forecast?: string;
  manifest?: Record<string, unknown>;
  checksums?: Record<string, string>;
  /** Files whose sha256 differs from the server's checksum list. */
  mismatched: string[];
  /** Why the checksums could not be read: then nothing was verified. */
  checksumsProblem?: string;
}

export interface InvestigateState {
  runId?: string;
  run?: RunDetail;
  evidence?: Evidence;
  evidenceProblem?: string;
  symptoms: Symptom[];
  previous?: RunSummary;
  diff?: ForecastDiff;
  duplicates?: DuplicateReport;
  violations: {
    check: string;
    message: string;
    tours?: string[];
    day?: string;
    driver?: string;
    /** Forecast line the tour comes from, when the server says. */
    line?: number;
  }[];
  split?: SplitSuggestion;
  resolve?: ResolveResult;
  classification?: Classification;
  why: string[];
  resolution?: Resolution;
  message?: string;
  messagePath?: string;
  bundlePath?: string;
  bundle?: string;
  incident?: CreatedIncident;
  health?: HealthCheckResult;
  searchBudget?: number;
}

export const RUNTIME_LIMIT_S = 60;
/** Re-solve budget (rule checks): the same budget twice gives comparable hashes in about a second. */
export const DEFAULT_RESOLVE_BUDGET = 20_000;

export function detectSymptoms(run: RunDetail): Symptom[] {
  const out: Symptom[] = [];
  const audit = (name: string) => run.audit_results.find((a) => a.check_name === name);
  const cov = run.coverage_percent ?? run.kpis.coverage_percent;
  if ((cov != null && cov < 100) || audit('Coverage')?.status === 'FAIL') {
    out.push({
      id: 'coverage',
      text: `Coverage ${cov ?? '?'} % < 100 % -> input changed? compare with the previous week`,
    });
  }
  if (audit('Overlap')?.status === 'FAIL')
    out.push({ id: 'overlap', text: 'Overlap FAIL -> data quality: check for duplicate tours' });
  const rt = run.kpis.runtime_seconds;
  if (run.error_code === 'ERR_SOLVE_001') {
    // The run's own limit is the one that was hit (it may be far below the runbook's 60 s).
    out.push({
      id: 'runtime',
      text: `Solver time limit reached (ERR_SOLVE_001${run.error_message ? `: ${run.error_message}` : ''}; ran ${
        rt ?? '?'
      } s) -> raise the run's time limit, or split a large input`,
    });
  } else if (rt != null && rt > RUNTIME_LIMIT_S) {
    out.push({
      id: 'runtime',
      text: `Runtime ${rt} s > ${RUNTIME_LIMIT_S} s -> large dataset: consider splitting`,
    });
  }
  if (audit('Reproducibility')?.status === 'FAIL') {
    out.push({
      id: 'hash',
      text: 'Hash mismatch (Reproducibility FAIL) -> non-determinism: check the seed, report the bug',
    });
  }
  if (run.error_code === 'ERR_SOLVE_002')
    out.push({ id: 'infeasible', text: 'No feasible solution (ERR_SOLVE_002) -> review constraints' });
  const rules = run.audit_results.filter(
    (a) => a.status === 'FAIL' && ['Rest', 'SpanRegular', 'SpanSplit', 'Fatigue'].includes(a.check_name),
  );
  if (rules.length) {
    out.push({
      id: 'rules',
      text: `${rules.map((a) => a.check_name).join(', ')} FAIL -> the solver produced an illegal plan`,
    });
  }
  if (
    run.status === 'ERROR' &&
    run.error_code &&
    !['ERR_SOLVE_001', 'ERR_SOLVE_002'].includes(run.error_code)
  ) {
    out.push({ id: 'error', text: `${run.error_code}: ${run.error_message ?? ''}` });
  }
  return out;
}

export function classify(s: Pick<InvestigateState, 'symptoms' | 'diff' | 'resolve' | 'run' | 'duplicates'>): {
  c: Classification;
  why: string[];
} {
  const has = (id: SymptomId) => s.symptoms.some((x) => x.id === id);
  const why: string[] = [];
  if (has('hash')) {
    why.push(
      s.resolve
        ? s.resolve.same
          ? `local re-solve with seed ${s.resolve.seed} is deterministic (${s.resolve.first.slice(0, 19)}… twice), the server's run was not: solver bug`
          : `local re-solve with seed ${s.resolve.seed} gave two hashes (${s.resolve.first.slice(0, 19)}… vs ${s.resolve.second.slice(0, 19)}…): non-determinism`
        : 'Reproducibility FAIL: non-determinism in the solver',
    );
  }
  // Duplicated tour lines handed to one driver also break Fatigue/Rest: then the input is the cause.
  const duplicatesInInput = has('overlap') && (s.duplicates?.duplicates.length ?? 0) > 0;
  if (has('rules') && !duplicatesInInput) why.push('hard-rule audits failed on a solved plan: solver bug');
  if (has('coverage') && s.diff?.unchanged)
    why.push('coverage < 100 % with an unchanged input: the solver could not cover it');
  if (why.length) return { c: 'solver', why };
  if (has('coverage')) {
    why.push(
      s.diff
        ? `input changed since the previous week: ${s.diff.added.length} tour lines added, ${s.diff.removed.length} removed, ${s.diff.changed.length} changed`
        : 'coverage < 100 %: review the input data (ERR_AUDIT_001)',
    );
  }
  if (has('overlap')) {
    why.push(
      duplicatesInInput
        ? `duplicate tours in the input (ERR_AUDIT_002)${has('rules') ? '; the other failed audits follow from them' : ''}`
        : 'duplicate tours in the input (ERR_AUDIT_002)',
    );
  }
  if (has('runtime')) {
    const rt = s.run?.kpis.runtime_seconds;
    why.push(
      s.run?.error_code === 'ERR_SOLVE_001' && (rt == null || rt <= RUNTIME_LIMIT_S)
        ? `the run's own time limit was hit after ${rt ?? '?'} s (${s.run.error_message ?? 'ERR_SOLVE_001'}): re-run with a larger limit; split only a large input`
        : 'input too large for the time limit: split it (ERR_SOLVE_001)',
    );
  }
  if (has('infeasible')) why.push('no feasible solution: constraints vs input (ERR_SOLVE_002)');
  if (why.length) return { c: 'input', why };
  if (has('error') || s.run?.status === 'ERROR')
    return { c: 'infrastructure', why: ['the run errored without a solver symptom'] };
  if (s.run && (s.run.status === 'FAIL' || s.run.status === 'BLOCKED')) {
    return {
      c: 'infrastructure',
      why: ['no symptom of the runbook table found in the data: check logs and health'],
    };
  }
  return { c: 'none', why: ['the run did not fail'] };
}

export const RESOLUTION_FOR: Record<Classification, Resolution> = {
  input: 'message',
  solver: 'escalate',
  infrastructure: 'infrastructure',
  none: 'none',
};

/** An evidence pack's input forecast (`input/forecast.txt`, else the first `input/` file) and manifest. */
export function packContents(files: Map<string, Buffer>): {
  forecast?: string;
  manifest?: Record<string, unknown>;
} {
  const forecastName = files.has('input/forecast.txt')
    ? 'input/forecast.txt'
    : [...files.keys()].find((n) => n.startsWith('input/'));
  let manifest: Record<string, unknown> | undefined;
  try {
    const m = files.get('manifest.json')?.toString('utf8');
    manifest = m ? (JSON.parse(m) as Record<string, unknown>) : undefined;
  } catch {
    manifest = undefined;
  }
  return { forecast: forecastName ? files.get(forecastName)?.toString('utf8') : undefined, manifest };
}

async function loadEvidence(env: ProcedureEnv, runId: string): Promise<Evidence> {
  const { zip, sha256 } = await env.client.evidence(runId, { signal: env.signal });
  const files = readZip(zip);
  const { forecast, manifest } = packContents(files);
  let checksums: Record<string, string> | undefined;
  let checksumsProblem: string | undefined;
  try {
    checksums = (await env.client.evidenceChecksums(runId, { signal: env.signal })).checksums;
  } catch (e) {
    if (e instanceof SolvereignApiError && e.kind === 'cancelled') throw e;
    checksums = undefined;
    checksumsProblem = messageOf(e);
  }
  const mismatched = checksums
    ? verifyEvidence(runId, zip, sha256, checksums, files)
        .files.filter((f) => f.verdict === 'mismatch')
        .map((f) => f.name)
    : [];
  return {
    sha256,
    files: [...files.keys()],
    forecast,
    manifest,
    checksums,
    mismatched,
    checksumsProblem,
  };
}

export function violationsOf(run: RunDetail, checks: string[]): InvestigateState['violations'] {
  const out: InvestigateState['violations'] = [];
  for (const a of run.audit_results) {
    if (!checks.includes(a.check_name) || a.status === 'PASS') continue;
    const d = AuditDetails.safeParse(a.details);
    for (const v of d.success ? (d.data.violations ?? []) : []) {
      out.push({
        check: a.check_name,
        message: v.message,
        tours: v.tour_ids,
        day: v.day,
        driver: v.driver_id,
        line: v.line,
      });
    }
  }
  return out;
}

/**
 * "T-1398 (So, forecast line 530) — message" for every tour the Coverage audit reports uncovered.
 * Without a line from the server, the forecast's lines with the tour's day and time are named.
 */
export function uncoveredTours(s: Pick<InvestigateState, 'violations' | 'evidence'>): string[] {
  const text = s.evidence?.forecast?.split(/\r?\n/) ?? [];
  const linesOf = (message: string): number[] => {
    const m = /\(([A-Z][a-z]) (\d{1,2}:\d{2}-\d{1,2}:\d{2})\)/.exec(message);
    if (!m) return [];
    const at = `${m[1]} ${m[2]}`;
    return text.flatMap((l, i) => (l.trim().startsWith(at) ? [i + 1] : []));
  };
  return s.violations
    .filter((v) => v.check === 'Coverage')
    .map((v) => {
      const found = v.line !== undefined ? [v.line] : linesOf(v.message);
      const where = [
        v.day,
        found.length ? `forecast line${found.length > 1 ? 's' : ''} ${found.join(', ')}` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      return `${(v.tours ?? []).join(', ') || 'tour not named'}${where ? ` (${where})` : ''} — ${v.message}`;
    });
}

export function opsMessage(env: ProcedureEnv, s: InvestigateState): string {
  const contacts = env.host.contacts();
  const run = need(s.run, 'the run');
  const to = [contactFor(contacts, 'Ops Lead'), contactFor(contacts, 'Dispatcher')];
  const lines = [
    `To: ${to.map(contactLabel).join(', ')}`,
    `Subject: Forecast input for ${run.week_id} needs a correction (${run.run_id} ${run.status})`,
    '',
    `Hello,`,
    '',
    `the roster run ${run.run_id} for ${run.tenant_code}/${run.site_code}, week ${run.week_id}, ended with ${run.status}. The investigation (SP-002) points at the input:`,
    '',
    ...s.why.map((w) => `- ${w}`),
  ];
  // The tours left uncovered are the symptom itself: they come before any diff.
  const uncovered = uncoveredTours(s);
  if (uncovered.length) {
    lines.push('', 'Tours no driver could be given (Coverage):');
    for (const u of uncovered.slice(0, 50)) lines.push(`- ${u}`);
  }
  if (s.diff && !s.diff.unchanged) {
    lines.push('', `Changes against the previous week${s.previous ? ` (${s.previous.run_id})` : ''}:`);
    for (const a of s.diff.added.slice(0, 20)) lines.push(`- added (line ${a.line}): ${a.count} × ${a.tour}`);
    for (const r of s.diff.removed.slice(0, 20)) lines.push(`- removed: ${r.count} × ${r.tour}`);
    for (const c of s.diff.changed.slice(0, 20))
      lines.push(`- changed (line ${c.line}): ${c.tour} ${c.before} -> ${c.after}`);
  }
  if (s.duplicates?.duplicates.length) {
    lines.push('', 'Duplicate tour lines in the forecast:');
    for (const d of s.duplicates.duplicates.slice(0, 20)) {
      lines.push(`- ${d.tour} on lines ${d.lines.join(', ')}${d.depot ? ` (Depot ${d.depot})` : ''}`);
    }
  }
  const ov = s.violations.filter((v) => v.check === 'Overlap');
  if (ov.length) {
    lines.push('', 'Overlapping tours reported by the audit:');
    for (const v of ov.slice(0, 20))
      lines.push(`- ${v.day ?? '?'}: ${(v.tours ?? []).join(' / ')} — ${v.message}`);
  }
  if (s.split) lines.push('', `The input is large (${s.split.tourCount} tours): ${s.split.suggestion}.`);
  lines.push(
    '',
    'Please correct the forecast and upload it again; we will re-run the solve.',
    '',
    `— ${env.who.email ?? 'SOLVEREIGN support'}`,
  );
  const note = placeholderNote(to);
  if (note) lines.push('', note);
  return lines.join('\n');
}

function investigateSteps(env: ProcedureEnv): Step<InvestigateState>[] {
  const analysis = () => env.host.analysis();
  const needForecast = (s: InvestigateState): StepOutcome | undefined =>
    s.evidence?.forecast
      ? undefined
      : {
          status: 'skipped',
          detail: `no input in the evidence pack${s.evidenceProblem ? ` (${s.evidenceProblem})` : ''}`,
        };
  return [
    {
      kind: 'ask',
      id: 'run',
      title: 'Failed run to investigate',
      key: 'run',
      when: (s) => !s.runId,
      pick: async () => {
        const { runs } = await env.client.listRuns({ limit: 50 }, { signal: env.signal });
        const failed = runs.filter(
          (r) => r.status === 'FAIL' || r.status === 'ERROR' || r.status === 'BLOCKED',
        );
        return (failed.length ? failed : runs).map(runItem);
      },
      validate: (v) => isRunId(v),
      apply: (s, v: string) => {
        s.runId = v;
      },
    },
    {
      kind: 'do',
      id: 'status',
      title: 'Gather information: run status',
      run: async (s) => {
        s.run = await env.client.getRun(need(s.runId, 'the run id'), { signal: env.signal });
        const r = s.run;
        const failed = r.status === 'FAIL' || r.status === 'ERROR' || r.status === 'BLOCKED';
        return {
          status: failed ? 'ok' : 'warn',
          detail: `${r.run_id} ${r.status}${r.error_code ? ` ${r.error_code}: ${r.error_message ?? ''}` : ''}; week ${r.week_id}; coverage ${
            r.coverage_percent ?? '?'
          } %; runtime ${r.kpis.runtime_seconds ?? '?'} s${failed ? '' : ' — SP-002 is for FAIL/ERROR runs'}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'audits',
      title: 'Gather information: audit results',
      run: async (s) => {
        const r = s.run as RunDetail;
        const bad = r.audit_results.filter((a) => a.status !== 'PASS');
        return {
          status: bad.some((a) => a.status === 'FAIL') ? 'fail' : bad.length ? 'warn' : 'ok',
          detail: r.audit_results.length
            ? `${r.audit_results.length - bad.length}/${r.audit_results.length} PASS${
                bad.length
                  ? `; ${bad.map((a) => `${a.check_name} ${a.status} (${a.violation_count})`).join(', ')}`
                  : ''
              }`
            : 'no audits (the solve did not finish)',
        };
      },
    },
    {
      kind: 'do',
      id: 'evidence',
      title: 'Fetch the evidence pack',
      run: async (s) => {
        try {
          s.evidence = await loadEvidence(env, need(s.runId, 'the run id'));
        } catch (e) {
          if (e instanceof SolvereignApiError && e.kind === 'cancelled') throw e;
          s.evidenceProblem = messageOf(e);
          return { status: 'warn', detail: `evidence unavailable: ${s.evidenceProblem}` };
        }
        const ev = s.evidence;
        if (ev.checksumsProblem) {
          return {
            status: 'warn',
            detail: `${ev.files.length} files${ev.sha256 ? `, sha256 ${ev.sha256.slice(0, 16)}…` : ''}; NOT verified: the checksums could not be loaded (${ev.checksumsProblem})`,
          };
        }
        return {
          status: ev.mismatched.length ? 'fail' : 'ok',
          detail: `${ev.files.length} files${ev.sha256 ? `, sha256 ${ev.sha256.slice(0, 16)}…` : ''}${
            ev.checksums
              ? ev.mismatched.length
                ? `; CHECKSUM MISMATCH: ${ev.mismatched.join(', ')}`
                : '; checksums verified'
              : ''
          }`,
        };
      },
    },
    {
      kind: 'do',
      id: 'symptoms',
      title: 'Check common issues (runbook table)',
      run: async (s) => {
        s.symptoms = detectSymptoms(s.run as RunDetail);
        s.violations = violationsOf(s.run as RunDetail, ['Overlap', 'Coverage', 'Reproducibility']);
        return {
          status: s.symptoms.length ? 'warn' : 'ok',
          detail: s.symptoms.length
            ? s.symptoms.map((x) => x.text).join('; ')
            : "none of the table's symptoms",
        };
      },
    },
    {
      kind: 'do',
      id: 'compare',
      title: 'Coverage < 100 %: compare the input with the previous week',
      when: (s) => s.symptoms.some((x) => x.id === 'coverage'),
      run: async (s, ctx) => {
        const skip = needForecast(s);
        if (skip) return skip;
        const run = s.run as RunDetail;
        const prevWeek = shiftIsoWeek(run.week_id, -1);
        const { runs } = await env.client.listRuns({ limit: 100 }, { signal: env.signal });
        const candidates = runs.filter((r) => r.week_id === prevWeek && r.run_id !== run.run_id);
        s.previous = candidates.find((r) => r.status === 'PASS') ?? candidates[0];
        if (!s.previous)
          return { status: 'skipped', detail: `no run for the previous week ${prevWeek ?? '?'}` };
        ctx.report(`evidence of ${s.previous.run_id}`);
        const prev = await loadEvidence(env, s.previous.run_id);
        if (!prev.forecast)
          return { status: 'skipped', detail: `${s.previous.run_id} has no input in its evidence pack` };
        s.diff = await analysis().diffForecasts(
          prev.forecast,
          need(s.evidence?.forecast, 'the forecast of the evidence pack'),
          env.signal,
        );
        const d = s.diff;
        const uncovered = uncoveredTours(s);
        const first = uncovered.length
          ? `uncovered: ${uncovered.slice(0, 5).join('; ')}${uncovered.length > 5 ? ` (+${uncovered.length - 5})` : ''}. `
          : '';
        return {
          status: d.unchanged ? 'ok' : 'warn',
          detail:
            first +
            (d.unchanged
              ? `input identical to ${s.previous.run_id} (${d.toursAfter} tours)`
              : `vs ${s.previous.run_id}: tours ${d.toursBefore} -> ${d.toursAfter}; ${d.added.length} lines added, ${d.removed.length} removed, ${d.changed.length} changed`),
        };
      },
    },
    {
      kind: 'do',
      id: 'duplicates',
      title: 'Overlap FAIL: check for duplicate tours',
      when: (s) => s.symptoms.some((x) => x.id === 'overlap'),
      run: async (s) => {
        const ov = s.violations.filter((v) => v.check === 'Overlap');
        const skip = needForecast(s);
        if (!skip)
          s.duplicates = await analysis().findDuplicates(
            need(s.evidence?.forecast, 'the forecast of the evidence pack'),
            env.signal,
          );
        const dups = s.duplicates?.duplicates ?? [];
        const parts: string[] = [];
        if (dups.length) {
          parts.push(
            `${dups.length} duplicate tour lines: ${dups
              .slice(0, 5)
              .map((d) => `${d.tour} (lines ${d.lines.join(', ')})`)
              .join('; ')}`,
          );
        } else if (!skip) parts.push('no repeated lines in the forecast');
        if (ov.length) {
          parts.push(
            `audit: ${ov
              .slice(0, 5)
              .map((v) => `${v.day ?? '?'} ${(v.tours ?? []).join('/')}${v.driver ? ` (${v.driver})` : ''}`)
              .join('; ')}`,
          );
        }
        return { status: 'warn', detail: parts.join('; ') || 'no details' };
      },
    },
    {
      kind: 'do',
      id: 'split',
      title: 'Runtime > 60 s: consider splitting',
      when: (s) => s.symptoms.some((x) => x.id === 'runtime'),
      run: async (s) => {
        const skip = needForecast(s);
        if (skip) return { ...skip, detail: `consider splitting the input; ${skip.detail}` };
        s.split = await analysis().suggestSplit(
          need(s.evidence?.forecast, 'the forecast of the evidence pack'),
          env.signal,
        );
        return { status: 'warn', detail: `${s.split.tourCount} tours: ${s.split.suggestion}` };
      },
    },
    {
      kind: 'do',
      id: 'resolve',
      title: 'Hash mismatch: re-solve with the same seed and compare hashes',
      when: (s) => s.symptoms.some((x) => x.id === 'hash'),
      run: async (s, ctx) => {
        const skip = needForecast(s);
        if (skip) return skip;
        const run = s.run as RunDetail;
        const seed = Number(s.evidence?.manifest?.solver_seed ?? run.seed ?? 94);
        ctx.report(`solving twice with seed ${seed}`);
        s.resolve = await analysis().resolveTwice(
          need(s.evidence?.forecast, 'the forecast of the evidence pack'),
          run.week_id,
          seed,
          s.searchBudget ?? DEFAULT_RESOLVE_BUDGET,
          env.signal,
        );
        const r = s.resolve;
        return {
          status: r.same ? 'warn' : 'fail',
          detail: `seed ${seed}, ${r.tours} tours, ${r.ms} ms: ${r.first.slice(0, 23)}… ${r.same ? '==' : '!='} ${r.second.slice(0, 23)}…; recorded output_hash ${
            run.output_hash ? `${run.output_hash.slice(0, 23)}…` : '—'
          }${run.output_hash && run.output_hash !== r.first ? ' (recorded by another solver config; it differs)' : ''}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'classify',
      title: 'Classify: input issue, solver bug or infrastructure',
      run: async (s) => {
        const { c, why } = classify(s);
        s.classification = c;
        s.why = why;
        return { status: c === 'none' ? 'ok' : 'warn', detail: `${c}: ${why.join('; ')}` };
      },
    },
    {
      kind: 'ask',
      id: 'resolution',
      title: 'Resolution',
      key: 'resolution',
      pick: (s) => {
        const items: PickItem<Resolution>[] = [
          { label: 'Input issue: prepare a message to the ops team', value: 'message' },
          { label: 'Solver bug: escalate to L3 with evidence and an incident', value: 'escalate' },
          { label: 'Infrastructure: show logs and health', value: 'infrastructure' },
          { label: 'Nothing now (record only)', value: 'none' },
        ];
        const first = RESOLUTION_FOR[s.classification ?? 'none'];
        return [...items.filter((i) => i.value === first), ...items.filter((i) => i.value !== first)];
      },
      defaultAnswer: (s) => RESOLUTION_FOR[s.classification ?? 'none'],
      apply: (s, v: Resolution) => {
        s.resolution = v;
      },
    },
    {
      kind: 'do',
      id: 'message',
      title: 'Prepare the message to the ops team',
      when: (s) => s.resolution === 'message',
      run: async (s) => {
        s.message = opsMessage(env, s);
        const run = need(s.run, 'the run');
        const name = recordFileName({
          startedAt: env.now().toISOString(),
          title: 'SP-002 message to the ops team',
          subject: run.run_id,
        });
        s.messagePath = await env.host.saveAndOpen(
          name,
          `# Message to the ops team\n\n${codeBlock(s.message)}\n`,
        );
        return {
          detail: `to ${contactLabel(contactFor(env.host.contacts(), 'Ops Lead'))}; ${
            s.messagePath ? `saved as ${s.messagePath} and opened` : 'no workspace folder: opened unsaved'
          }`,
        };
      },
    },
    {
      kind: 'do',
      id: 'bundle',
      title: 'Escalate to L3: write the evidence bundle',
      when: (s) => s.resolution === 'escalate',
      run: async (s) => {
        const run = s.run as RunDetail;
        const bundle = {
          kind: 'solvereign-sp002-evidence-bundle',
          created_at: env.now().toISOString(),
          created_by: env.who.email ?? null,
          environment: env.environment,
          run,
          audits: run.audit_results,
          evidence: s.evidence
            ? {
                sha256: s.evidence.sha256,
                files: s.evidence.files,
                checksums: s.evidence.checksums,
                mismatched: s.evidence.mismatched,
                manifest: s.evidence.manifest,
              }
            : { problem: s.evidenceProblem },
          symptoms: s.symptoms,
          classification: s.classification,
          why: s.why,
          diff: s.diff,
          previous_run: s.previous?.run_id,
          duplicates: s.duplicates,
          resolve: s.resolve,
        };
        s.bundle = `${JSON.stringify(bundle, null, 2)}\n`;
        const stamp = env.now().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
        s.bundlePath = await env.host.saveFile(
          `${stamp}-sp-002-evidence-bundle-${run.run_id}.json`,
          s.bundle,
        );
        return { detail: s.bundlePath ?? 'no workspace folder: the bundle is kept in this record' };
      },
    },
    {
      kind: 'do',
      id: 'incident',
      title: 'Escalate to L3: create the incident',
      when: (s) => s.resolution === 'escalate',
      run: async (s) => {
        const run = s.run as RunDetail;
        const hash = s.evidence?.sha256?.replace(/^sha256:/, '');
        s.incident = await createIncident(env, {
          type: 'quality',
          severity: 'S1',
          status: 'new',
          summary: `SP-002: ${run.run_id} ${run.status} — ${s.why[0] ?? 'solver bug'}; escalated to L3`.slice(
            0,
            500,
          ),
          tenant_id: env.environment.tenant ?? null,
          evidence: [
            {
              type: 'artifact',
              path: s.bundlePath ?? `evidence/${run.run_id}.zip`,
              hash: hash && /^[a-f0-9]{64}$/.test(hash) ? hash : null,
              captured_at: env.now().toISOString(),
            },
          ],
          timeline: [
            {
              timestamp: env.now().toISOString(),
              action: `Escalated to L3 from SP-002 (${s.symptoms.map((x) => x.id).join(', ')})`,
              actor: env.who.email ?? null,
            },
          ],
        });
        return {
          detail: `${s.incident.id} (${s.incident.where}${s.incident.serverProblem ? `; server: ${s.incident.serverProblem}` : ''})`,
        };
      },
    },
    {
      kind: 'do',
      id: 'infrastructure',
      title: 'Infrastructure: check health and show the logs',
      when: (s) => s.resolution === 'infrastructure',
      run: async (s) => {
        s.health = await checkHealth(env);
        env.host.showLog();
        return {
          status: s.health.verdict === 'PASS' ? 'ok' : s.health.verdict === 'WARN' ? 'warn' : 'fail',
          detail: `health ${s.health.verdict}; server logs: /var/log/solvereign/api.log, solver.log (30 days); restart if needed`,
        };
      },
    },
  ];
}

/** The audit report webview (Reports area) when it is there; the record has the audits either way. */
async function openAuditReport(s: InvestigateState, env: ProcedureEnv): Promise<void> {
  if (s.run && (await env.host.commandExists('solvereign.openAuditReport'))) {
    await env.host.executeCommand('solvereign.openAuditReport', s.run.run_id, {});
  }
}

export const sp002: ProcedureDef<InvestigateState> = {
  procedure: 'SP-002',
  title: 'SP-002 Investigate Failed Run',
  command: 'solvereign.sp002.investigateRun',
  init: (_env, { runId, answers }) => ({
    runId,
    symptoms: [],
    violations: [],
    why: [],
    searchBudget: typeof answers.searchBudget === 'number' ? answers.searchBudget : undefined,
  }),
  steps: investigateSteps,
  finish: (s) => {
    const sections = [];
    const run = s.run;
    if (run) {
      sections.push({
        title: `Audits of ${run.run_id}`,
        body: table(
          ['Check', 'Status', 'Violations'],
          run.audit_results.map((a) => [a.check_name, a.status, a.violation_count]),
        ),
      });
    }
    if (s.diff) {
      const rows = [
        ...s.diff.added.map((a) => ['added', a.tour, a.count, a.line]),
        ...s.diff.removed.map((r) => ['removed', r.tour, r.count, r.line]),
        ...s.diff.changed.map((c) => ['changed', c.tour, `${c.before} -> ${c.after}`, c.line]),
      ];
      sections.push({
        title: `Input compared with ${s.previous?.run_id ?? 'the previous week'}`,
        body: rows.length
          ? table(['Change', 'Tour', 'Count', 'Line'], rows.slice(0, 200))
          : '_No tour changed._',
      });
    }
    if (s.duplicates || s.violations.some((v) => v.check === 'Overlap')) {
      const dups = s.duplicates?.duplicates ?? [];
      sections.push({
        title: 'Duplicate tours',
        body: [
          dups.length
            ? table(
                ['Tour', 'Lines', 'Depot'],
                dups.map((d) => [d.tour, d.lines.join(', '), d.depot]),
              )
            : '_No repeated forecast lines._',
          '',
          table(
            ['Audit', 'Day', 'Tours', 'Driver', 'Message'],
            s.violations
              .filter((v) => v.check === 'Overlap')
              .map((v) => [v.check, v.day, (v.tours ?? []).join(', '), v.driver, v.message]),
          ),
        ].join('\n'),
      });
    }
    if (s.split) {
      sections.push({
        title: 'Split suggestion',
        body: `${s.split.suggestion}\n\n${table(
          ['Depot', 'Tours'],
          s.split.byDepot.map((d) => [d.depot, d.tours]),
        )}`,
      });
    }
    if (s.resolve) {
      sections.push({
        title: 'Re-solve with the same seed',
        body: table(
          ['Seed', 'First hash', 'Second hash', 'Same', 'Recorded output_hash'],
          [
            [
              s.resolve.seed,
              s.resolve.first,
              s.resolve.second,
              s.resolve.same ? 'yes' : 'NO',
              run?.output_hash,
            ],
          ],
        ),
      });
    }
    if (s.message) sections.push({ title: 'Message to the ops team', body: codeBlock(s.message) });
    if (s.health) sections.push(...healthSections(s.health));
    if (s.bundle && !s.bundlePath)
      sections.push({
        title: 'Evidence bundle (not saved: no workspace folder)',
        body: codeBlock(s.bundle, 'json'),
      });
    const summary = [
      ...(run ? [`${run.run_id} ${run.status} (week ${run.week_id})`] : []),
      ...s.symptoms.map((x) => `Symptom: ${x.text}`),
      ...(s.classification ? [`Classification: ${s.classification} — ${s.why.join('; ')}`] : []),
      ...(s.resolution
        ? [
            `Resolution: ${s.resolution}${s.incident ? ` (incident ${s.incident.id}, ${s.incident.where})` : ''}`,
          ]
        : []),
    ];
    return {
      result: s.classification ? s.classification.toUpperCase() : undefined,
      summary,
      sections,
      subject: s.runId,
      extra: {
        runId: s.runId,
        runStatus: run?.status,
        symptoms: s.symptoms.map((x) => x.id),
        classification: s.classification,
        resolution: s.resolution,
        diff: s.diff
          ? {
              added: s.diff.added.length,
              removed: s.diff.removed.length,
              changed: s.diff.changed.length,
              unchanged: s.diff.unchanged,
              previousRun: s.previous?.run_id,
            }
          : undefined,
        duplicates: s.duplicates?.duplicates,
        overlapViolations: s.violations.filter((v) => v.check === 'Overlap'),
        split: s.split?.suggestion,
        resolve: s.resolve,
        evidenceVerified: s.evidence ? s.evidence.mismatched.length === 0 && !!s.evidence.checksums : false,
        message: s.message,
        bundlePath: s.bundlePath,
        incidentId: s.incident?.id,
        incidentWhere: s.incident?.where,
      },
    };
  },
  after: (s, _r, env) => openAuditReport(s, env),
};

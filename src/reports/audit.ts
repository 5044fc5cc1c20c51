// The audit report of one run: the seven checks, each violation with its drivers/tours/days and a
// link to where it comes from, KPIs beside the previous week's run, hashes and evidence checksums,
// published/locked state. Pure: data in, ReportDoc out.
import { AuditDetails, type AuditResult, type AuditViolation, type RunDetail } from '../api/schemas';
import {
  auditCheckNames,
  fmtDelta,
  fmtTime,
  freeText,
  isoWeekMonday,
  kpiValueCell,
  previousWeekId,
  statusTone,
} from './format';
import type { Block, Fact, ReportDoc, Row, Section } from './model';

export interface AuditReportInput {
  run: RunDetail;
  /** The previous week's run (or the latest earlier one), when there is one. */
  previous?: RunDetail;
  /** Why there is no comparison, when `previous` is missing. */
  previousNote?: string;
  /** Per-file sha256 of the evidence pack, or why they could not be read. */
  checksums?: Record<string, string> | { error: string };
  generatedAt: string;
  source?: string;
}

/** Most violations one table shows; the rest are counted, and stay in the evidence pack. */
export const MAX_VIOLATION_ROWS = 500;

export const KPI_LABELS: Readonly<Record<string, string>> = {
  headcount: 'Headcount (drivers)',
  coverage_percent: 'Coverage %',
  fte_ratio: 'FTE ratio',
  pt_ratio: 'Part-time ratio',
  runtime_seconds: 'Solver runtime (s)',
  max_weekly_hours: 'Max weekly hours',
  avg_weekly_hours: 'Avg weekly hours',
  total_tours: 'Tours',
  lower_bound: 'Lower bound (drivers)',
  avg_changeover_minutes: 'Avg changeover (min)',
  min_changeover_minutes: 'Shortest changeover (min)',
  drift_status: 'Drift status',
};

interface ParsedDetails {
  message?: string;
  violations: AuditViolation[];
  /** Details that are not the {message, violations[]} shape, as text. */
  raw?: string;
}

/** Reads an audit result's details whatever shape a server sent; never throws. */
export function parseAuditDetails(details: unknown): ParsedDetails {
  if (details === null || details === undefined) return { violations: [] };
  if (typeof details !== 'object' || Array.isArray(details))
    return { violations: [], raw: freeText(details) };
  const parsed = AuditDetails.safeParse(details);
  const known = new Set(['message', 'violations']);
  const extra = Object.keys(details).filter((k) => !known.has(k));
  if (!parsed.success) {
    // Keep what is readable: a string message, and the whole object as text.
    const msg = (details as { message?: unknown }).message;
    return { message: typeof msg === 'string' ? msg : undefined, violations: [], raw: freeText(details) };
  }
  const out: ParsedDetails = { message: parsed.data.message, violations: parsed.data.violations ?? [] };
  if (extra.length) {
    const rest: Record<string, unknown> = {};
    for (const k of extra) rest[k] = (details as Record<string, unknown>)[k];
    out.raw = freeText(rest);
  }
  return out;
}

/** The run of the week before `run`'s (latest of that week, ERROR runs last); else the latest earlier run. */
export function pickPreviousRun<
  T extends { run_id: string; week_id: string; timestamp: string; status: string },
>(
  runs: readonly T[],
  run: { run_id: string; week_id: string; timestamp: string },
): { run?: T; note?: string } {
  const prevWeek = previousWeekId(run.week_id);
  const byRecency = (a: T, b: T) =>
    Number(a.status === 'ERROR') - Number(b.status === 'ERROR') || b.timestamp.localeCompare(a.timestamp);
  const sameWeek = runs.filter((r) => r.week_id === prevWeek && r.run_id !== run.run_id).sort(byRecency);
  if (sameWeek[0]) return { run: sameWeek[0] };
  const monday = isoWeekMonday(run.week_id);
  const earlier = runs
    .filter(
      (r) =>
        r.run_id !== run.run_id &&
        r.status !== 'ERROR' &&
        (monday ? r.week_id < run.week_id : r.timestamp < run.timestamp),
    )
    .sort(byRecency);
  if (earlier[0])
    return {
      run: earlier[0],
      note: `No run for ${prevWeek ?? 'the previous week'}; comparing with the latest earlier run.`,
    };
  return { note: `No earlier run found to compare with${prevWeek ? ` (looked for ${prevWeek})` : ''}.` };
}

function violationSource(runId: string, v: AuditViolation): Row['action'] {
  if (v.line !== undefined) return { type: 'openSource', runId, line: v.line };
  return { type: 'openSource', runId, file: 'audits.json', search: v.message };
}

function checkRows(run: RunDetail): Row[] {
  const byName = new Map(run.audit_results.map((a) => [a.check_name, a]));
  return auditCheckNames(run).map((name, i) => {
    const a = byName.get(name);
    if (!a)
      return {
        cells: [
          { text: name, sort: i },
          { text: 'not reported', tone: 'warn' },
          { text: '—', sort: -1 },
          { text: 'The server sent no result for this check.' },
        ],
      };
    const d = parseAuditDetails(a.details);
    const first = d.violations[0];
    return {
      cells: [
        { text: name, sort: i },
        { text: a.status, tone: statusTone(a.status) },
        { text: String(a.violation_count), sort: a.violation_count },
        { text: d.message ?? (d.raw ? d.raw.split('\n')[0]!.slice(0, 200) : '') },
      ],
      action: first ? violationSource(run.run_id, first) : undefined,
    };
  });
}

function violationBlocks(run: RunDetail): Block[] {
  const rows: Row[] = [];
  const raws: Block[] = [];
  let total = 0;
  for (const a of run.audit_results) {
    const d = parseAuditDetails(a.details);
    if (d.raw)
      raws.push({ kind: 'pre', title: `${a.check_name}: details as sent by the server`, text: d.raw });
    // A failing check whose violations the server does not list (live's free-form details) still
    // counts: never "no violations" beside a FAIL.
    const unlisted = a.status === 'PASS' ? 0 : Math.max(a.violation_count - d.violations.length, 0);
    if (unlisted > 0 || (a.status !== 'PASS' && d.violations.length === 0)) {
      total += unlisted;
      rows.push({
        cells: [
          { text: a.check_name },
          { text: a.status, tone: statusTone(a.status) },
          {
            text: `${
              unlisted
                ? `${unlisted} violation${unlisted === 1 ? '' : 's'}, not itemised by this server`
                : 'no violations listed by this server'
            }${d.message ? `: ${d.message}` : ''}${d.raw ? ' (its details are shown below as sent)' : ''}`,
          },
          { text: '—' },
          { text: '—' },
          { text: '—' },
          { text: d.raw ? 'details below' : 'audits.json', sort: Number.MAX_SAFE_INTEGER },
        ],
      });
    }
    for (const v of d.violations) {
      total++;
      if (rows.length >= MAX_VIOLATION_ROWS) continue;
      const action = violationSource(run.run_id, v);
      rows.push({
        cells: [
          { text: a.check_name },
          { text: a.status, tone: statusTone(a.status) },
          { text: v.message },
          { text: v.driver_id ?? '—', mono: !!v.driver_id },
          { text: v.tour_ids?.length ? v.tour_ids.join(', ') : '—', mono: !!v.tour_ids?.length },
          { text: v.day ?? '—' },
          {
            text: v.line !== undefined ? `forecast line ${v.line}` : 'audits.json',
            sort: v.line ?? Number.MAX_SAFE_INTEGER,
            action,
          },
        ],
        action,
      });
    }
  }
  const blocks: Block[] = [
    {
      kind: 'table',
      id: 'violations',
      caption: `Violations (${total}) — each links to the forecast line or evidence file it comes from`,
      columns: [
        { label: 'Check', sortable: true },
        { label: 'Status', sortable: true },
        { label: 'Violation', sortable: true },
        { label: 'Driver', sortable: true },
        { label: 'Tours', sortable: true },
        { label: 'Day', sortable: true },
        { label: 'Source', sortable: true },
      ],
      rows,
      empty: run.audit_results.every((a) => a.status === 'PASS')
        ? 'No violations: every check passed without findings.'
        : 'No violations listed by this server.',
    },
  ];
  if (total > rows.length)
    blocks.push({
      kind: 'notice',
      tone: 'info',
      title: 'Long list',
      text: `Showing the first ${rows.length} of ${total} violations; the evidence pack (audits.json) has all of them.`,
    });
  return [...blocks, ...raws];
}

/** The order KPI tables list a run's KPIs in (any others follow). */
export const KPI_ORDER = [
  'headcount',
  'coverage_percent',
  'fte_ratio',
  'pt_ratio',
  'total_tours',
  'lower_bound',
  'max_weekly_hours',
  'avg_weekly_hours',
  'avg_changeover_minutes',
  'min_changeover_minutes',
  'runtime_seconds',
  'drift_status',
];

function kpiBlock(run: RunDetail, previous: RunDetail | undefined): Block {
  const cur = run.kpis as Record<string, unknown>;
  const prev = (previous?.kpis ?? {}) as Record<string, unknown>;
  const keys = [...KPI_ORDER, ...Object.keys(cur).filter((k) => !KPI_ORDER.includes(k))].filter(
    (k) => cur[k] !== undefined || prev[k] !== undefined,
  );
  const columns = [
    { label: 'KPI', sortable: true },
    { label: `This run (${run.week_id})`, align: 'right' as const, sortable: true },
  ];
  if (previous)
    columns.push(
      {
        label: `Previous (${previous.week_id}, ${previous.run_id})`,
        align: 'right' as const,
        sortable: true,
      },
      { label: 'Delta', align: 'right' as const, sortable: false },
    );
  return {
    kind: 'table',
    id: 'kpis',
    caption: previous ? `KPIs against ${previous.run_id} (${previous.week_id})` : 'KPIs',
    columns,
    rows: keys.map((k) => {
      const c = cur[k];
      const p = prev[k];
      const cells: Row['cells'] = [{ text: KPI_LABELS[k] ?? k }, kpiValueCell(k, c)];
      if (previous)
        cells.push(kpiValueCell(k, p), {
          text:
            typeof c === 'number' || typeof p === 'number'
              ? fmtDelta(c as number | null, p as number | null)
              : c === p
                ? 'same'
                : 'changed',
        });
      return { cells };
    }),
  };
}

function hashBlocks(input: AuditReportInput): Block[] {
  const { run, checksums } = input;
  const facts: Fact[] = [
    { label: 'Input hash', value: run.input_hash ?? '—', mono: true },
    { label: 'Output hash', value: run.output_hash ?? '—', mono: true },
    { label: 'Evidence hash', value: run.evidence_hash ?? '—', mono: true },
    { label: 'Evidence', value: run.artifact_uri ?? run.evidence_path ?? '—', mono: true },
  ];
  if (run.seed !== undefined) facts.push({ label: 'Solver seed', value: String(run.seed), mono: true });
  const blocks: Block[] = [{ kind: 'facts', facts }];
  if (!checksums) return blocks;
  if ('error' in checksums && typeof checksums.error === 'string') {
    blocks.push({
      kind: 'notice',
      tone: 'warn',
      title: 'Evidence checksums unavailable',
      text: checksums.error,
    });
    return blocks;
  }
  const entries = Object.entries(checksums as Record<string, string>);
  blocks.push({
    kind: 'table',
    id: 'checksums',
    caption: `Evidence checksums (sha256 per file, ${entries.length} files)`,
    columns: [{ label: 'File', sortable: true }, { label: 'sha256' }],
    rows: entries.map(([file, sum]) => {
      const action = { type: 'openSource', runId: run.run_id, file } as const;
      return {
        cells: [
          { text: file, mono: true, action },
          { text: sum, mono: true },
        ],
        action,
      };
    }),
    empty: 'The server lists no files for this evidence pack.',
  });
  return blocks;
}

/** The run's drift: the summary field, else the run's own KPI verdict (live sends only that). */
function driftFact(run: RunDetail): Fact {
  const own = (run.kpis as { drift_status?: unknown } | undefined)?.drift_status;
  const value = run.kpi_drift_status ?? (typeof own === 'string' ? own : undefined);
  return {
    label: 'KPI drift',
    value: value
      ? `${value}${run.kpi_drift_status ? '' : " (the run's own KPI check)"}`
      : 'not reported by the server',
    tone: statusTone(value ?? null),
  };
}

/** The facts a run report opens with: which run, week, status, site and when it was solved. */
export function runIdentityFacts(run: RunDetail): Fact[] {
  return [
    { label: 'Run', value: run.run_id, mono: true },
    { label: 'Week', value: run.week_id },
    { label: 'Status', value: run.status, tone: statusTone(run.status) },
    { label: 'Site', value: `${run.tenant_code} / ${run.site_code}` },
    { label: 'Solved at', value: fmtTime(run.timestamp) },
  ];
}

/** The run's own error (ERROR runs), when it has one. */
export function runErrorFact(run: RunDetail): Fact | undefined {
  return run.error_code || run.error_message
    ? { label: 'Error', value: [run.error_code, run.error_message].filter(Boolean).join(': '), tone: 'fail' }
    : undefined;
}

export function buildAuditReport(input: AuditReportInput): ReportDoc {
  const { run, previous } = input;
  const passed = run.audit_results.filter((a) => a.status === 'PASS').length;
  const summary: Fact[] = [
    ...runIdentityFacts(run),
    {
      label: 'Audits passed',
      value: `${passed} of ${run.audit_results.length}`,
      tone: passed === run.audit_results.length && passed > 0 ? 'pass' : 'warn',
    },
    driftFact(run),
  ];
  if (run.notes) summary.push({ label: 'Notes', value: run.notes });
  const error = runErrorFact(run);
  if (error) summary.push(error);
  const state: Fact[] = [
    {
      label: 'Published',
      value: run.published
        ? `yes — ${fmtTime(run.published_at)}${run.published_by ? ` by ${run.published_by}` : ''}`
        : 'no',
      tone: run.published ? 'pass' : 'neutral',
    },
    {
      label: 'Locked',
      value: run.locked
        ? `yes — ${fmtTime(run.locked_at)}${run.locked_by ? ` by ${run.locked_by}` : ''}`
        : 'no',
      tone: run.locked ? 'pass' : 'neutral',
    },
  ];
  const kpiBlocks: Block[] = [kpiBlock(run, previous)];
  if (input.previousNote) kpiBlocks.unshift({ kind: 'text', text: input.previousNote, tone: 'info' });

  const sections: Section[] = [
    { id: 'summary', title: 'Summary', blocks: [{ kind: 'facts', facts: summary }] },
    {
      id: 'checks',
      title: 'Audit checks',
      blocks: [
        {
          kind: 'table',
          id: 'checks',
          caption: `The seven audit checks of ${run.run_id}`,
          columns: [
            { label: 'Check', sortable: true },
            { label: 'Status', sortable: true },
            { label: 'Violations', align: 'right', sortable: true },
            { label: 'Message' },
          ],
          rows: checkRows(run),
        },
      ],
    },
    { id: 'violations', title: 'Violations', blocks: violationBlocks(run) },
    { id: 'kpis', title: 'KPIs', blocks: kpiBlocks },
    { id: 'state', title: 'Published / locked', blocks: [{ kind: 'facts', facts: state }] },
    { id: 'hashes', title: 'Hashes and evidence', blocks: hashBlocks(input) },
  ];
  return {
    kind: 'audit',
    title: `Audit report ${run.run_id}`,
    subtitle: `${run.tenant_code}/${run.site_code} · week ${run.week_id} · ${run.status}`,
    runId: run.run_id,
    status: { label: run.status, tone: statusTone(run.status) },
    generatedAt: input.generatedAt,
    source: input.source,
    sections,
  };
}

/** The numbers a command result and a test look at. */
export function auditSummary(input: AuditReportInput): {
  status: string;
  checks: { name: string; status: string; violations: number }[];
  violations: number;
  previousRunId?: string;
} {
  const checks = input.run.audit_results.map((a: AuditResult) => ({
    name: a.check_name,
    status: a.status,
    violations: a.violation_count,
  }));
  return {
    status: input.run.status,
    checks,
    violations: checks.reduce((n, c) => n + c.violations, 0),
    previousRunId: input.previous?.run_id,
  };
}

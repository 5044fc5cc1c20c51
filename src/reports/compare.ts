// The comparison of two runs: who they are (week, status, hashes: same input or not), their KPIs side
// by side with the difference, the seven audits side by side, and what each evidence pack holds (which
// diffs the editor shows, which it cannot and why). Every row that differs says so in text, not only
// in colour. Pure: data in (src/evidence/compare.ts loads it), ReportDoc out.
import type { RunDetail } from '../api/schemas';
import {
  type ComparePack,
  type Comparison,
  comparisonDiffs,
  describePair,
  isPack,
  type PackOrProblem,
} from '../evidence/compare';
import { KPI_LABELS, KPI_ORDER } from './audit';
import { auditCheckNames, fmtDelta, fmtTime, kpiText, kpiValueCell, statusTone, yesNo } from './format';
import type { Block, Cell, Fact, ReportDoc, Row, Section } from './model';

export interface CompareReportInput extends Comparison {
  generatedAt: string;
  source?: string;
}

const show = kpiText;
const missing = (v: unknown) => v === null || v === undefined || v === '';

/** "same" / "differs" for two values, "—" when neither side has one. */
function sameCell(a: unknown, b: unknown, same = 'same', differs = 'differs'): Cell {
  if (missing(a) && missing(b)) return { text: '—' };
  return a === b ? { text: same, tone: 'pass' } : { text: differs, tone: 'warn' };
}

function identityRows(older: RunDetail, newer: RunDetail): Row[] {
  const passed = (r: RunDetail) =>
    r.audit_results.length
      ? `${r.audit_results.filter((a) => a.status === 'PASS').length} of ${r.audit_results.length}`
      : 'no audits';
  const error = (r: RunDetail) => [r.error_code, r.error_message].filter(Boolean).join(': ');
  const rows: [string, unknown, unknown, Cell, boolean?][] = [
    ['Week', older.week_id, newer.week_id, sameCell(older.week_id, newer.week_id)],
    ['Status', older.status, newer.status, sameCell(older.status, newer.status)],
    ['Solved at', fmtTime(older.timestamp), fmtTime(newer.timestamp), { text: '—' }],
    ['Audits passed', passed(older), passed(newer), sameCell(passed(older), passed(newer))],
    [
      'Input hash',
      older.input_hash,
      newer.input_hash,
      sameCell(older.input_hash, newer.input_hash, 'same input', 'differs: other input'),
      true,
    ],
    [
      'Output hash',
      older.output_hash,
      newer.output_hash,
      sameCell(older.output_hash, newer.output_hash, 'same plan', 'differs: other plan'),
      true,
    ],
    ['Seed', older.seed, newer.seed, sameCell(older.seed, newer.seed)],
    ['Published', yesNo(older.published), yesNo(newer.published), sameCell(older.published, newer.published)],
    ['Locked', yesNo(older.locked), yesNo(newer.locked), sameCell(older.locked, newer.locked)],
  ];
  if (error(older) || error(newer))
    rows.push(['Error', error(older), error(newer), sameCell(error(older), error(newer))]);
  return rows.map(([label, a, b, same, mono]) => ({
    cells: [
      { text: label },
      {
        text: show(a),
        mono: !!mono && !missing(a),
        tone: label === 'Status' ? statusTone(String(a)) : undefined,
      },
      {
        text: show(b),
        mono: !!mono && !missing(b),
        tone: label === 'Status' ? statusTone(String(b)) : undefined,
      },
      same,
    ],
  }));
}

interface KpiRow {
  kpi: string;
  older: unknown;
  newer: unknown;
  changed: boolean;
}

function kpiRows(older: RunDetail, newer: RunDetail): KpiRow[] {
  const a = older.kpis as Record<string, unknown>;
  const b = newer.kpis as Record<string, unknown>;
  const extra = [...Object.keys(a), ...Object.keys(b)].filter((k) => !KPI_ORDER.includes(k));
  return [...new Set([...KPI_ORDER, ...extra])]
    .filter((k) => !missing(a[k]) || !missing(b[k]))
    .map((k) => {
      const x = a[k];
      const y = b[k];
      const changed =
        typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) > 1e-9 : show(x) !== show(y);
      return { kpi: k, older: x, newer: y, changed };
    });
}

function kpiCells(r: KpiRow, older: RunDetail, newer: RunDetail): Cell[] {
  const numeric = typeof r.older === 'number' || typeof r.newer === 'number';
  const change: Cell = !r.changed
    ? { text: 'same' }
    : missing(r.older)
      ? { text: `changed: only ${newer.run_id} has it`, tone: 'warn' }
      : missing(r.newer)
        ? { text: `changed: only ${older.run_id} has it`, tone: 'warn' }
        : { text: 'changed', tone: 'warn' };
  return [
    { text: KPI_LABELS[r.kpi] ?? r.kpi },
    kpiValueCell(r.kpi, r.older),
    kpiValueCell(r.kpi, r.newer),
    {
      text: numeric ? fmtDelta(r.newer as number | null, r.older as number | null) : r.changed ? '≠' : '=',
      sort: typeof r.newer === 'number' && typeof r.older === 'number' ? r.newer - r.older : undefined,
    },
    change,
  ];
}

interface AuditRow {
  check: string;
  older?: { status: string; violations: number };
  newer?: { status: string; violations: number };
  changed: boolean;
}

function auditRows(older: RunDetail, newer: RunDetail): AuditRow[] {
  const side = (r: RunDetail, name: string) => {
    const a = r.audit_results.find((x) => x.check_name === name);
    return a ? { status: a.status, violations: a.violation_count } : undefined;
  };
  return auditCheckNames(older, newer).map((check) => {
    const a = side(older, check);
    const b = side(newer, check);
    return {
      check,
      ...(a ? { older: a } : {}),
      ...(b ? { newer: b } : {}),
      changed: a?.status !== b?.status || a?.violations !== b?.violations,
    };
  });
}

function auditCells(r: AuditRow, older: RunDetail, newer: RunDetail): Cell[] {
  // An ERROR run has no audit results: it never got that far.
  const none = (run: RunDetail) => (run.audit_results.length ? 'not reported' : 'not run');
  const status = (s: AuditRow['older'], run: RunDetail): Cell =>
    s ? { text: s.status, tone: statusTone(s.status) } : { text: none(run) };
  const count = (s: AuditRow['older']): Cell =>
    s ? { text: String(s.violations), sort: s.violations } : { text: '—', sort: -1 };
  const parts: string[] = [];
  if (r.older?.status !== r.newer?.status)
    parts.push(`status ${r.older?.status ?? none(older)} → ${r.newer?.status ?? none(newer)}`);
  if (r.older && r.newer && r.older.violations !== r.newer.violations)
    parts.push(`violations ${r.older.violations} → ${r.newer.violations}`);
  return [
    { text: r.check },
    status(r.older, older),
    count(r.older),
    status(r.newer, newer),
    count(r.newer),
    r.changed ? { text: `differs: ${parts.join(', ')}`, tone: 'warn' } : { text: 'same' },
  ];
}

function packFacts(p: PackOrProblem): Fact[] {
  if (!isPack(p)) return [{ label: 'Evidence', value: p.problem, tone: 'fail' }];
  const facts: Fact[] = [
    { label: 'Evidence', value: 'verified against the server’s checksums', tone: 'pass' },
    {
      label: 'Input',
      value: p.input ? `${p.input.file} (${p.input.tourLines} tour lines)` : 'none in this pack',
      tone: p.input ? undefined : 'info',
    },
    {
      label: 'Plan',
      value: p.plan
        ? `${p.plan.drivers} drivers, ${p.plan.assignments} assignments (${p.plan.file})`
        : 'no plan in this pack',
      tone: p.plan ? undefined : 'warn',
    },
    { label: 'Audit results', value: String(p.audits) },
  ];
  if (p.error)
    facts.push({
      label: 'Error',
      value: [p.error.code, p.error.message].filter(Boolean).join(': '),
      tone: 'fail',
    });
  facts.push({ label: 'Files', value: p.files.join(', ') || 'none', mono: true });
  return facts;
}

function evidenceBlocks(input: CompareReportInput): Block[] {
  const { older, newer, packs } = input;
  const blocks: Block[] = [
    {
      kind: 'columns',
      groups: [
        { title: `${older.run_id} (${older.week_id}, ${older.status})`, facts: packFacts(packs.older) },
        { title: `${newer.run_id} (${newer.week_id}, ${newer.status})`, facts: packFacts(packs.newer) },
      ],
    },
  ];
  for (const p of [packs.older, packs.newer])
    if (!isPack(p))
      blocks.push({ kind: 'notice', tone: 'fail', title: 'Evidence not compared', text: p.problem });
  if (isPack(packs.older) && isPack(packs.newer)) {
    const { diffs, skipped } = comparisonDiffs(packs.older, packs.newer);
    blocks.push({
      kind: 'text',
      text: diffs.length
        ? `In the editor, side by side (${older.run_id} left, ${newer.run_id} right): ${diffs.map((d) => d.what).join(' and ')}.`
        : 'Nothing to compare side by side in the editor.',
    });
    for (const s of skipped)
      blocks.push({
        kind: 'notice',
        tone: 'info',
        title: s.what === 'input' ? 'Inputs not compared' : 'Plans not compared',
        text: s.reason,
      });
  }
  return blocks;
}

function kpiTable(input: CompareReportInput, rows: KpiRow[]): Block {
  const { older, newer } = input;
  return {
    kind: 'table',
    id: 'kpis',
    caption: `KPIs side by side: ${older.run_id} (${older.week_id}) and ${newer.run_id} (${newer.week_id}); difference = later − earlier`,
    columns: [
      { label: 'KPI', sortable: true },
      { label: older.run_id, align: 'right', sortable: true },
      { label: newer.run_id, align: 'right', sortable: true },
      { label: 'Difference', align: 'right', sortable: true },
      { label: 'Changed?', sortable: true },
    ],
    rows: rows.map((r) => ({ cells: kpiCells(r, older, newer) })),
    empty: 'Neither run reports KPIs.',
  };
}

function auditTable(input: CompareReportInput, rows: AuditRow[]): Block {
  const { older, newer } = input;
  const open = (runId: string) => ({ type: 'openReport' as const, kind: 'audit' as const, runId });
  return {
    kind: 'table',
    id: 'audits',
    caption: `The seven audits side by side: ${older.run_id} and ${newer.run_id}`,
    columns: [
      { label: 'Check', sortable: true },
      { label: `${older.run_id} status`, sortable: true },
      { label: `${older.run_id} violations`, align: 'right', sortable: true },
      { label: `${newer.run_id} status`, sortable: true },
      { label: `${newer.run_id} violations`, align: 'right', sortable: true },
      { label: 'Changed?', sortable: true },
    ],
    rows: rows.map((r) => ({
      cells: auditCells(r, older, newer),
      // The row opens the audit report of the later run, where its violations are listed.
      action: r.newer ? open(newer.run_id) : r.older ? open(older.run_id) : undefined,
    })),
  };
}

/** Equal hashes, or undefined when a run reports none. */
const sameHash = (a: string | null | undefined, b: string | null | undefined) =>
  a && b ? a === b : undefined;

export function buildCompareReport(input: CompareReportInput): ReportDoc {
  const { older, newer } = input;
  const kpis = kpiRows(older, newer);
  const audits = auditRows(older, newer);
  const changedKpis = kpis.filter((k) => k.changed).length;
  const changedAudits = audits.filter((a) => a.changed).length;
  const sameInput = sameHash(older.input_hash, newer.input_hash);
  const headline: Fact[] = [
    { label: 'Runs', value: describePair(older, newer) },
    {
      label: 'Input',
      value:
        sameInput === undefined
          ? 'unknown: a run reports no input hash'
          : sameInput
            ? 'the same input (input hashes equal)'
            : 'different inputs (input hashes differ)',
      tone: sameInput === undefined ? 'neutral' : sameInput ? 'pass' : 'info',
    },
    { label: 'KPIs', value: `${changedKpis} of ${kpis.length} changed` },
    { label: 'Audits', value: `${changedAudits} of ${audits.length} differ` },
  ];
  const sections: Section[] = [
    { id: 'summary', title: 'Summary', blocks: [{ kind: 'facts', facts: headline }] },
    {
      id: 'identity',
      title: 'Runs',
      blocks: [
        {
          kind: 'table',
          id: 'identity',
          caption: `${older.run_id} (earlier) and ${newer.run_id} (later)`,
          columns: [{ label: 'Field' }, { label: older.run_id }, { label: newer.run_id }, { label: 'Same?' }],
          rows: identityRows(older, newer),
        },
      ],
    },
    { id: 'kpis', title: 'KPIs', blocks: [kpiTable(input, kpis)] },
    { id: 'audits', title: 'Audits', blocks: [auditTable(input, audits)] },
    { id: 'evidence', title: 'Evidence', blocks: evidenceBlocks(input) },
    {
      id: 'next',
      title: 'Next',
      blocks: [
        {
          kind: 'actions',
          title: 'Audit reports',
          actions: [older, newer].map((r) => ({
            label: `Open Audit Report ${r.run_id}`,
            action: { type: 'openReport', kind: 'audit', runId: r.run_id },
          })),
        },
      ],
    },
  ];
  return {
    kind: 'compare',
    title: `Compare ${older.run_id} ↔ ${newer.run_id}`,
    subtitle: `${newer.tenant_code}/${newer.site_code} · ${older.week_id} ${older.status} → ${newer.week_id} ${newer.status}`,
    runId: newer.run_id,
    status: {
      label: `${changedKpis + changedAudits} difference${changedKpis + changedAudits === 1 ? '' : 's'}`,
      tone: changedKpis + changedAudits ? 'info' : 'pass',
    },
    generatedAt: input.generatedAt,
    source: input.source,
    sections,
  };
}

/** How many tables and table rows a report shows (an empty table shows one row saying so). */
export function tableCounts(doc: ReportDoc): { tables: number; rows: number } {
  let tables = 0;
  let rows = 0;
  for (const s of doc.sections)
    for (const b of s.blocks)
      if (b.kind === 'table') {
        tables++;
        rows += Math.max(1, b.rows.length);
      }
  return { tables, rows };
}

/** The numbers a command result and a test look at. */
export function compareSummary(input: CompareReportInput, doc = buildCompareReport(input)) {
  const { older, newer, packs } = input;
  const both = isPack(packs.older) && isPack(packs.newer);
  const d = both ? comparisonDiffs(packs.older as ComparePack, packs.newer as ComparePack) : undefined;
  const kpis = kpiRows(older, newer);
  const audits = auditRows(older, newer);
  return {
    older: older.run_id,
    newer: newer.run_id,
    sameInput: sameHash(older.input_hash, newer.input_hash),
    sameOutput: sameHash(older.output_hash, newer.output_hash),
    kpis: kpis.length,
    changedKpis: kpis.filter((k) => k.changed).map((k) => k.kpi),
    audits: audits.length,
    changedAudits: audits.filter((a) => a.changed).map((a) => a.check),
    diffs: d?.diffs.map((x) => x.what) ?? [],
    skipped: d?.skipped.map((x) => x.reason) ?? [],
    problems: [packs.older, packs.newer].flatMap((p) => (isPack(p) ? [] : [p.problem])),
    ...tableCounts(doc),
  };
}

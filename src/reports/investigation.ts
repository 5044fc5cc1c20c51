// The SP-002 investigation panel: a failed run's symptoms with their evidence, the recommended
// classification with its reasons, and the resolution steps as buttons. The symptoms, violations,
// uncovered tours and classification come from SP-002's own analysis (flows/sp002.ts); this file
// only lays them out.
import type { RunDetail, RunSummary } from '../api/schemas';
import type { DuplicateReport, ForecastDiff } from '../procedures/analysis';
import {
  type Classification,
  classify,
  detectSymptoms,
  type InvestigateState,
  RESOLUTION_FOR,
  RUNTIME_LIMIT_S,
  type Symptom,
  type SymptomId,
  uncoveredTours,
  violationsOf,
} from '../procedures/flows/sp002';
import { parseAuditDetails, runErrorFact, runIdentityFacts } from './audit';
import { statusTone } from './format';
import type { Block, Fact, ReportAction, ReportDoc, Row, Section } from './model';

export interface InvestigationInput {
  run: RunDetail;
  /** The run's input forecast from its evidence pack. */
  forecast?: string;
  manifest?: Record<string, unknown>;
  /** Why the evidence pack could not be read. */
  evidenceProblem?: string;
  /** The previous week's run the input was compared with, or why there is no comparison. */
  previous?: RunSummary;
  previousNote?: string;
  diff?: ForecastDiff;
  duplicates?: DuplicateReport;
  generatedAt: string;
  source?: string;
}

export interface InvestigationModel {
  symptoms: Symptom[];
  violations: InvestigateState['violations'];
  uncovered: string[];
  classification: Classification;
  why: string[];
}

/** The symptoms the panel leads with: uncovered tours first, then the data problems, then the rest. */
const SYMPTOM_ORDER: SymptomId[] = ['coverage', 'overlap', 'runtime', 'hash', 'infeasible', 'rules', 'error'];

export function investigationModel(input: InvestigationInput): InvestigationModel {
  const symptoms = [...detectSymptoms(input.run)].sort(
    (a, b) => SYMPTOM_ORDER.indexOf(a.id) - SYMPTOM_ORDER.indexOf(b.id),
  );
  const violations = violationsOf(input.run, ['Overlap', 'Coverage', 'Reproducibility']);
  const evidence =
    input.forecast !== undefined ? { files: [], mismatched: [], forecast: input.forecast } : undefined;
  const uncovered = uncoveredTours({ violations, evidence });
  const { c, why } = classify({
    symptoms,
    diff: input.diff,
    duplicates: input.duplicates,
    run: input.run,
  });
  return { symptoms, violations, uncovered, classification: c, why };
}

const CLASSIFICATION_LABELS: Record<Classification, string> = {
  input: 'Input issue',
  solver: 'Solver bug',
  infrastructure: 'Infrastructure',
  none: 'No failure',
};

const RESOLUTION_BUTTONS = [
  {
    resolution: 'message',
    label: 'Prepare the message to the ops team',
    description: 'Input issue: writes the message with the uncovered tours, changes and duplicates',
  },
  {
    resolution: 'escalate',
    label: 'Escalate to L3',
    description: 'Solver bug: writes the evidence bundle and creates an incident',
  },
  {
    resolution: 'infrastructure',
    label: 'Check health and show the logs',
    description: 'Infrastructure: runs the health check and opens the log',
  },
] as const;

function openLine(runId: string, line: number): ReportAction {
  return { type: 'openSource', runId, line };
}

function coverageBlocks(input: InvestigationInput, m: InvestigationModel): Block[] {
  const runId = input.run.run_id;
  const rows: Row[] = m.violations
    .filter((v) => v.check === 'Coverage')
    .map((v, i) => {
      const line = v.line;
      return {
        cells: [
          { text: (v.tours ?? []).join(', ') || 'tour not named', mono: true },
          { text: v.day ?? '—' },
          line !== undefined
            ? { text: String(line), sort: line, action: openLine(runId, line) }
            : { text: m.uncovered[i]?.match(/forecast lines? ([\d, ]+)/)?.[1] ?? '—' },
          { text: v.message },
        ],
        action: line !== undefined ? openLine(runId, line) : undefined,
      };
    });
  const blocks: Block[] = [
    {
      kind: 'table',
      id: 'uncovered-tours',
      caption: 'Tours no driver could be given (Coverage audit)',
      columns: [
        { label: 'Tour' },
        { label: 'Day' },
        { label: 'Forecast line', align: 'right' },
        { label: 'Message' },
      ],
      rows,
      empty: 'The Coverage audit names no tours (see the audit details below).',
    },
  ];
  if (input.forecast === undefined)
    blocks.push({
      kind: 'notice',
      tone: 'warn',
      title: 'No forecast lines for tours without one from the server',
      text: input.evidenceProblem ?? 'The evidence pack has no input forecast.',
    });
  return blocks;
}

function diffBlocks(input: InvestigationInput): Block[] {
  const d = input.diff;
  if (!d) {
    return [
      {
        kind: 'notice',
        tone: 'info',
        title: 'Input not compared',
        text: input.previousNote ?? 'No run of the previous week with an input to compare with.',
      },
    ];
  }
  const facts: Fact[] = [
    { label: 'Compared with', value: input.previous?.run_id ?? 'the previous week', mono: true },
    { label: 'Tours', value: `${d.toursBefore} → ${d.toursAfter}` },
    {
      label: 'Lines',
      value: d.unchanged
        ? 'unchanged'
        : `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`,
      tone: d.unchanged ? 'info' : 'warn',
    },
  ];
  const runId = input.run.run_id;
  const rows: Row[] = [
    ...d.added.map((a) => ({ change: 'added', tour: a.tour, what: `${a.count} ×`, line: a.line })),
    ...d.removed.map((r) => ({ change: 'removed', tour: r.tour, what: `${r.count} ×`, line: undefined })),
    ...d.changed.map((c) => ({
      change: 'changed',
      tour: c.tour,
      what: `${c.before} → ${c.after}`,
      line: c.line,
    })),
  ]
    .slice(0, 20)
    .map((r) => ({
      cells: [
        { text: r.change },
        { text: r.tour, mono: true },
        { text: r.what },
        r.line !== undefined
          ? { text: String(r.line), sort: r.line, action: openLine(runId, r.line) }
          : { text: '—' },
      ],
    }));
  const total = d.added.length + d.removed.length + d.changed.length;
  const blocks: Block[] = [{ kind: 'facts', title: 'Input diff (summary)', facts }];
  if (total)
    blocks.push({
      kind: 'table',
      id: 'input-diff',
      caption: total > rows.length ? `First ${rows.length} of ${total} changed lines` : 'Changed lines',
      columns: [
        { label: 'Change' },
        { label: 'Tour' },
        { label: 'Count / times' },
        { label: 'Line', align: 'right' },
      ],
      rows,
    });
  return blocks;
}

function duplicateBlocks(input: InvestigationInput, m: InvestigationModel): Block[] {
  const runId = input.run.run_id;
  const dups = input.duplicates?.duplicates ?? [];
  const blocks: Block[] = [
    {
      kind: 'table',
      id: 'duplicate-lines',
      caption: 'Duplicate tour lines in the forecast',
      columns: [{ label: 'Tour' }, { label: 'Lines' }, { label: 'Depot' }],
      rows: dups.map((d) => ({
        cells: [
          { text: d.tour, mono: true },
          {
            text: d.lines.join(', '),
            action: d.lines[0] !== undefined ? openLine(runId, d.lines[0]) : undefined,
          },
          { text: d.depot ?? '—' },
        ],
      })),
      empty:
        input.forecast === undefined
          ? 'No forecast to search (no evidence pack).'
          : 'No repeated forecast lines.',
    },
  ];
  const ov = m.violations.filter((v) => v.check === 'Overlap');
  if (ov.length)
    blocks.push({
      kind: 'table',
      id: 'overlap-violations',
      caption: 'Overlapping tours reported by the audit',
      columns: [{ label: 'Day' }, { label: 'Tours' }, { label: 'Driver' }, { label: 'Message' }],
      rows: ov.map((v) => ({
        cells: [
          { text: v.day ?? '—' },
          { text: (v.tours ?? []).join(' / '), mono: true },
          { text: v.driver ?? '—', mono: true },
          { text: v.message },
        ],
      })),
    });
  return blocks;
}

function runtimeBlocks(input: InvestigationInput): Block[] {
  const { run } = input;
  const limit = input.manifest?.time_limit_seconds;
  const facts: Fact[] = [
    { label: 'Runtime', value: `${run.kpis.runtime_seconds ?? '?'} s` },
    {
      label: "The run's limit",
      value:
        typeof limit === 'number'
          ? `${limit} s`
          : run.error_code === 'ERR_SOLVE_001'
            ? `reached: ${run.error_message ?? 'ERR_SOLVE_001'}`
            : 'not stated by the server',
      tone: run.error_code === 'ERR_SOLVE_001' ? 'fail' : undefined,
    },
    { label: 'Runbook limit', value: `${RUNTIME_LIMIT_S} s` },
  ];
  return [{ kind: 'facts', facts }];
}

function reproducibilityBlocks(input: InvestigationInput, m: InvestigationModel): Block[] {
  const { run } = input;
  const facts: Fact[] = [
    {
      label: 'Reproducibility audit',
      value: run.audit_results.find((a) => a.check_name === 'Reproducibility')?.status ?? 'not run',
    },
    { label: 'Output hash', value: run.output_hash ?? '—', mono: true },
    { label: 'Seed', value: String(input.manifest?.solver_seed ?? run.seed ?? '—'), mono: true },
  ];
  const blocks: Block[] = [{ kind: 'facts', facts }];
  for (const v of m.violations.filter((x) => x.check === 'Reproducibility'))
    blocks.push({ kind: 'text', text: v.message });
  blocks.push({
    kind: 'text',
    text: 'Re-solving twice with the same seed is part of the SP-002 procedure (Escalate to L3 runs it).',
  });
  return blocks;
}

function symptomSection(input: InvestigationInput, m: InvestigationModel, s: Symptom): Section {
  const head: Block = { kind: 'notice', tone: 'fail', title: 'Symptom', text: s.text };
  const more: Record<SymptomId, () => Block[]> = {
    coverage: () => [...coverageBlocks(input, m), ...diffBlocks(input)],
    overlap: () => duplicateBlocks(input, m),
    runtime: () => runtimeBlocks(input),
    hash: () => reproducibilityBlocks(input, m),
    infeasible: () => [],
    rules: () => [],
    error: () => [],
  };
  const titles: Record<SymptomId, string> = {
    coverage: 'Uncovered tours',
    overlap: 'Duplicate tours',
    runtime: "Runtime vs the run's limit",
    hash: 'Reproducibility',
    infeasible: 'No feasible solution',
    rules: 'Hard-rule audits failed',
    error: 'Run error',
  };
  return { id: `symptom-${s.id}`, title: titles[s.id], blocks: [head, ...more[s.id]()] };
}

export function buildInvestigationReport(input: InvestigationInput): ReportDoc {
  const { run } = input;
  const m = investigationModel(input);
  const summary: Fact[] = [
    ...runIdentityFacts(run),
    { label: 'Coverage', value: `${run.coverage_percent ?? run.kpis.coverage_percent ?? '?'} %` },
  ];
  const error = runErrorFact(run);
  if (error) summary.push(error);
  const sections: Section[] = [{ id: 'summary', title: 'Run', blocks: [{ kind: 'facts', facts: summary }] }];
  if (m.symptoms.length) sections.push(...m.symptoms.map((s) => symptomSection(input, m, s)));
  else
    sections.push({
      id: 'symptoms',
      title: 'Symptoms',
      blocks: [
        { kind: 'text', text: "None of the runbook table's symptoms was found in the data.", tone: 'info' },
      ],
    });
  const recommended = RESOLUTION_FOR[m.classification];
  sections.push({
    id: 'classification',
    title: 'Recommended classification',
    blocks: [
      {
        kind: 'notice',
        tone: m.classification === 'none' ? 'pass' : 'warn',
        title: CLASSIFICATION_LABELS[m.classification],
        text: m.why.join('; '),
      },
    ],
  });
  sections.push({
    id: 'resolution',
    title: 'Resolution',
    blocks: [
      {
        kind: 'actions',
        title: 'Run the SP-002 resolution step (asks for nothing else; writes the record)',
        actions: RESOLUTION_BUTTONS.map((b) => ({
          label: b.label,
          description: b.description,
          recommended: b.resolution === recommended,
          action: { type: 'resolve', runId: run.run_id, resolution: b.resolution },
        })),
      },
    ],
  });
  const raws: Block[] = [];
  for (const a of run.audit_results) {
    const d = parseAuditDetails(a.details);
    if (d.raw)
      raws.push({
        kind: 'pre',
        title: `${a.check_name} (${a.status}): details as sent by the server`,
        text: d.raw,
      });
  }
  if (raws.length) sections.push({ id: 'audit-details', title: 'Audit details', blocks: raws });
  return {
    kind: 'investigation',
    title: `SP-002 Investigation ${run.run_id}`,
    subtitle: `${run.tenant_code}/${run.site_code} · week ${run.week_id}`,
    runId: run.run_id,
    status: { label: run.status, tone: statusTone(run.status) },
    generatedAt: input.generatedAt,
    source: input.source,
    sections,
  };
}

/** What the open command returns (and the tests check). */
export function investigationSummary(input: InvestigationInput): Record<string, unknown> {
  const m = investigationModel(input);
  return {
    status: input.run.status,
    symptoms: m.symptoms.map((s) => s.id),
    uncovered: m.uncovered,
    duplicates: input.duplicates?.duplicates.length ?? 0,
    diff: input.diff
      ? {
          added: input.diff.added.length,
          removed: input.diff.removed.length,
          changed: input.diff.changed.length,
        }
      : undefined,
    classification: m.classification,
    why: m.why,
    recommended: RESOLUTION_FOR[m.classification],
  };
}

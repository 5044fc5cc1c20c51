// The drift report (SP-004): each KPI against the baseline with the runbook's rule and verdict,
// the live detector's score and level beside it, and a trend over the last N runs.
import type { DriftReport, RunDetail, RunSummary } from '../api/schemas';
import { distinctLabels } from './chart';
import { fmtNumber, statusTone } from './format';
import type { Block, ReportDoc, Row, Section, Tone } from './model';

export interface TrendPoint {
  run_id: string;
  week_id: string;
  timestamp: string;
  status: string;
  headcount?: number | null;
  coverage_percent?: number | null;
  fte_ratio?: number | null;
  drift_status?: string | null;
}

export interface DriftReportInput {
  runId?: string;
  drift?: DriftReport;
  /** The server has no drift endpoint (or it failed): what to do instead. */
  driftProblem?: { title: string; text: string; tone: Tone };
  /** Oldest first. */
  trend: TrendPoint[];
  trendProblem?: string;
  generatedAt: string;
  source?: string;
}

export const DEFAULT_TREND_RUNS = 8;

export const DRIFT_KPI_LABELS: Readonly<Record<string, string>> = {
  headcount: 'Headcount (drivers)',
  coverage_percent: 'Coverage %',
  fte_ratio: 'FTE ratio',
};

export const DETECTOR_LEVELS =
  'OK < 10 ≤ WARNING < 25 ≤ ALERT < 50 ≤ INCIDENT (weighted z-score against recent runs)';

export function trendPoint(r: RunSummary | RunDetail): TrendPoint {
  const kpis = 'kpis' in r ? r.kpis : undefined;
  return {
    run_id: r.run_id,
    week_id: r.week_id,
    timestamp: r.timestamp,
    status: r.status,
    headcount: kpis?.headcount ?? r.headcount,
    coverage_percent: kpis?.coverage_percent ?? r.coverage_percent,
    fte_ratio: kpis?.fte_ratio,
    drift_status: r.kpi_drift_status ?? kpis?.drift_status,
  };
}

function levelTone(level: string | undefined): Tone {
  if (!level) return 'neutral';
  return level === 'OK' ? 'pass' : level === 'WARNING' ? 'warn' : 'fail';
}

export function buildDriftReport(input: DriftReportInput): ReportDoc {
  const { drift } = input;
  const runId = drift?.run_id ?? input.runId;
  const sections: Section[] = [];

  const summary: Block[] = [];
  if (input.driftProblem) summary.push({ kind: 'notice', ...input.driftProblem });
  if (drift) {
    const worst = [...drift.metrics].sort(
      (a, b) => rank(b.verdict) - rank(a.verdict) || Math.abs(b.drift_pct ?? 0) - Math.abs(a.drift_pct ?? 0),
    )[0];
    summary.push({
      kind: 'columns',
      groups: [
        {
          title: 'Runbook rule',
          facts: [
            { label: 'Verdict', value: drift.verdict, tone: statusTone(drift.verdict) },
            { label: 'Baseline date', value: drift.baseline_date ?? '—' },
            { label: 'KPIs checked', value: String(drift.metrics.length) },
            {
              label: 'Largest drift',
              value: worst
                ? `${DRIFT_KPI_LABELS[worst.kpi] ?? worst.kpi}: ${fmtPct(worst.drift_pct)} (${worst.verdict})`
                : '—',
              tone: worst ? statusTone(worst.verdict) : undefined,
            },
          ],
        },
        {
          title: 'Live detector (z-score)',
          facts: [
            {
              label: 'Level',
              value: drift.level ?? 'not reported by this server',
              tone: levelTone(drift.level),
            },
            { label: 'Score', value: drift.score === undefined ? '—' : fmtNumber(drift.score, 2) },
            { label: 'Levels', value: DETECTOR_LEVELS },
          ],
        },
      ],
    });
    summary.push({
      kind: 'table',
      id: 'drift-metrics',
      caption: `KPIs of ${runId ?? 'the latest run'} against the baseline${drift.baseline_date ? ` of ${drift.baseline_date}` : ''}`,
      columns: [
        { label: 'KPI', sortable: true },
        { label: 'Baseline', align: 'right', sortable: true },
        { label: 'Current', align: 'right', sortable: true },
        { label: 'Drift %', align: 'right', sortable: true },
        { label: 'Runbook rule' },
        { label: 'Runbook verdict', sortable: true },
      ],
      rows: drift.metrics.map(
        (m): Row => ({
          cells: [
            { text: DRIFT_KPI_LABELS[m.kpi] ?? m.kpi },
            { text: fmtNumber(m.baseline), sort: m.baseline ?? undefined },
            { text: fmtNumber(m.current), sort: m.current ?? undefined },
            { text: fmtPct(m.drift_pct), sort: m.drift_pct ?? undefined, tone: statusTone(m.verdict) },
            { text: m.rule },
            { text: m.verdict, tone: statusTone(m.verdict), sort: rank(m.verdict) },
          ],
        }),
      ),
      empty: 'The server reported no KPIs for this run.',
    });
    const detector = drift.detector;
    if (detector && detector.metrics.length > 0) {
      summary.push({
        kind: 'table',
        id: 'drift-detector',
        caption: `Live detector per metric (z-score against the last ${detector.history_size ?? '?'} runs; weighted = max(z·w, |pct|·w/10))`,
        columns: [
          { label: 'Metric', sortable: true },
          { label: 'Current', align: 'right' },
          { label: 'Mean', align: 'right' },
          { label: 'Std', align: 'right' },
          { label: 'z', align: 'right', sortable: true },
          { label: 'Change %', align: 'right', sortable: true },
          { label: 'Weight', align: 'right' },
          { label: 'Weighted', align: 'right', sortable: true },
        ],
        rows: detector.metrics.map(
          (m): Row => ({
            cells: [
              { text: m.metric },
              { text: fmtNumber(m.current) },
              { text: fmtNumber(m.mean) },
              { text: fmtNumber(m.std) },
              { text: fmtNumber(m.z, 2), sort: m.z },
              { text: fmtPct(m.pct), sort: m.pct },
              { text: fmtNumber(m.weight) },
              { text: fmtNumber(m.weighted, 2), sort: m.weighted },
            ],
          }),
        ),
        empty: 'The detector had no history to compare with.',
      });
    }
  }
  sections.push({ id: 'drift', title: 'Against the baseline', blocks: summary });

  // ---------------------------------------------------------------- trend
  const trend: Block[] = [];
  if (input.trendProblem)
    trend.push({ kind: 'notice', tone: 'warn', title: 'Trend incomplete', text: input.trendProblem });
  const pts = input.trend;
  const baselineOf = (kpi: string) => drift?.metrics.find((m) => m.kpi === kpi)?.baseline ?? undefined;
  // Two runs of one week would share an x label: those points are named by their run id.
  const xLabels = distinctLabels(pts.map((p) => ({ label: p.week_id, fallback: p.run_id })));
  const chart = (
    kpi: 'headcount' | 'coverage_percent' | 'fte_ratio',
    unit: string,
    refs: { label: string; y: number; tone?: Tone }[],
  ): Block => {
    const values = pts.map((p) => p[kpi]).filter((v): v is number => typeof v === 'number');
    const label = DRIFT_KPI_LABELS[kpi]!;
    return {
      kind: 'chart',
      id: `trend-${kpi}`,
      title: `${label} over the last ${pts.length} runs`,
      description: values.length
        ? `${label} from ${fmtNumber(values[0])} (${xLabels[0]}) to ${fmtNumber(values[values.length - 1])} (${xLabels[xLabels.length - 1]}); min ${fmtNumber(Math.min(...values))}, max ${fmtNumber(Math.max(...values))}.`
        : `No ${label} values in the last runs.`,
      unit,
      series: [{ name: label, points: pts.map((p, i) => ({ x: xLabels[i]!, y: p[kpi] ?? null })) }],
      references: refs,
    };
  };
  if (pts.length) {
    const hb = baselineOf('headcount');
    trend.push(
      chart(
        'headcount',
        'drivers',
        hb === undefined
          ? []
          : [
              { label: `baseline ${fmtNumber(hb)}`, y: hb, tone: 'neutral' },
              { label: 'WARN above +5 %', y: hb * 1.05, tone: 'warn' },
              { label: 'WARN below −5 %', y: hb * 0.95, tone: 'warn' },
            ],
      ),
      chart('coverage_percent', '%', [{ label: 'BLOCK below 100 %', y: 100, tone: 'fail' }]),
      chart('fte_ratio', 'ratio', [{ label: 'WARN below 0.95', y: 0.95, tone: 'warn' }]),
    );
  }
  trend.push({
    kind: 'table',
    id: 'trend',
    caption: `KPIs of the last ${pts.length} runs (oldest first)`,
    columns: [
      { label: 'Run', sortable: true },
      { label: 'Week', sortable: true },
      { label: 'Status', sortable: true },
      { label: 'Headcount', align: 'right', sortable: true },
      { label: 'Coverage %', align: 'right', sortable: true },
      { label: 'FTE ratio', align: 'right', sortable: true },
      { label: 'Drift', sortable: true },
    ],
    rows: pts.map((p) => {
      const action = { type: 'openReport', kind: 'audit', runId: p.run_id } as const;
      return {
        cells: [
          { text: p.run_id, mono: true, action },
          { text: p.week_id },
          { text: p.status, tone: statusTone(p.status) },
          { text: fmtNumber(p.headcount), sort: p.headcount ?? undefined },
          { text: fmtNumber(p.coverage_percent), sort: p.coverage_percent ?? undefined },
          { text: fmtNumber(p.fte_ratio), sort: p.fte_ratio ?? undefined },
          { text: p.drift_status ?? '—', tone: statusTone(p.drift_status) },
        ],
        action,
      };
    }),
    empty: 'No runs to show a trend for.',
  });
  sections.push({ id: 'trend', title: 'Trend', blocks: trend });

  const verdict = drift?.verdict;
  return {
    kind: 'drift',
    title: `Drift report ${runId ?? '(latest run)'}`,
    subtitle: drift
      ? `${drift.tenant_code}/${drift.site_code} · runbook ${drift.verdict}${drift.level ? ` · detector ${drift.level}` : ''}`
      : 'drift check unavailable',
    runId,
    status: verdict ? { label: verdict, tone: statusTone(verdict) } : undefined,
    generatedAt: input.generatedAt,
    source: input.source,
    sections,
  };
}

function rank(v: string): number {
  return v === 'BLOCK' ? 2 : v === 'WARN' ? 1 : 0;
}

function fmtPct(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${fmtNumber(Math.abs(p), 2)} %`;
}

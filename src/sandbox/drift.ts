// KPI drift scoring, pure (no I/O). Two views, reported side by side (CONTRACT.md "KPI drift"):
// 1. the runbook's rules (SP-004) against a baseline: headcount drift > 5 % -> WARN,
//    coverage < 100 % -> BLOCK, FTE ratio < 95 % -> WARN;
// 2. live SOLVEREIGN's detector (`kpi_drift check`): a weighted z-score/percent score over the
//    recent runs' history with levels OK / WARNING / ALERT / INCIDENT.
import { isKnown } from '../api/lenient';
import { DRIFT_STATUSES, type DriftLevel, type DriftMetric, type DriftStatus } from '../api/schemas';

export interface Band {
  expected?: number;
  min?: number;
  max?: number;
  unit?: string;
  description?: string;
}

/** The part of a `wien_baseline.json`-style document drift needs. */
export interface DriftBaseline {
  baseline_date: string | null;
  roster_kpis: Record<string, Band | undefined>;
}

export interface KpiSnapshot {
  headcount?: number | null;
  coverage_percent?: number | null;
  /** 0..1 (a percent above 1 is read as percent). */
  fte_ratio?: number | null;
}

export const HEADCOUNT_DRIFT_WARN_PCT = 5;
export const FTE_RATIO_WARN = 0.95;

const round = (n: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

const isNum = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

function pctDrift(baseline: number | null, current: number | null): number | null {
  if (!isNum(baseline) || !isNum(current) || baseline === 0) return null;
  return round(((current - baseline) / baseline) * 100);
}

/** A ratio that may have been written as a percent (97.5) is brought to 0..1. */
export function asRatio(n: number | null | undefined): number | null {
  if (!isNum(n)) return null;
  return n > 1.0000001 ? n / 100 : n;
}

/** Coverage in percent; a baseline written as a ratio (1.0) is brought to percent. */
export function asPercent(n: number | null | undefined): number | null {
  if (!isNum(n)) return null;
  return n <= 1.0000001 ? n * 100 : n;
}

const WORSE: Record<DriftStatus, number> = { OK: 0, WARN: 1, BLOCK: 2 };
export function worstVerdict(verdicts: readonly DriftStatus[]): DriftStatus {
  let worst: DriftStatus = 'OK';
  for (const v of verdicts) if (WORSE[v] > WORSE[worst]) worst = v;
  return worst;
}

/** The runbook's three KPI rules (SP-004 step 2). */
export function runbookMetrics(baseline: DriftBaseline, current: KpiSnapshot): DriftMetric[] {
  const k = baseline.roster_kpis;
  const headBase = k.total_drivers?.expected ?? null;
  const headCur = isNum(current.headcount) ? current.headcount : null;
  const headPct = pctDrift(headBase, headCur);
  const headcount: DriftMetric = {
    kpi: 'headcount',
    baseline: headBase,
    current: headCur,
    drift_pct: headPct,
    rule: 'headcount drift > 5 % -> WARN (investigate input)',
    verdict:
      headCur === null || headPct === null || Math.abs(headPct) > HEADCOUNT_DRIFT_WARN_PCT ? 'WARN' : 'OK',
  };

  const covBase = asPercent(k.coverage?.expected ?? k.coverage_pct?.expected ?? 1);
  const covCur = isNum(current.coverage_percent) ? current.coverage_percent : null;
  const coverage: DriftMetric = {
    kpi: 'coverage_percent',
    baseline: covBase,
    current: covCur,
    drift_pct: pctDrift(covBase, covCur),
    rule: 'coverage < 100 % -> BLOCK (block, investigate)',
    verdict: covCur === null || covCur < 100 - 1e-9 ? 'BLOCK' : 'OK',
  };

  const fteBase = asRatio(k.fte_ratio?.expected ?? null);
  const fteCur = asRatio(current.fte_ratio);
  const fte: DriftMetric = {
    kpi: 'fte_ratio',
    baseline: fteBase,
    current: fteCur,
    drift_pct: pctDrift(fteBase, fteCur),
    rule: 'FTE ratio < 95 % -> WARN (review driver pool)',
    verdict: fteCur === null || fteCur < FTE_RATIO_WARN - 1e-9 ? 'WARN' : 'OK',
  };
  return [headcount, coverage, fte];
}

export function runbookVerdict(metrics: readonly DriftMetric[]): DriftStatus {
  // The sandbox's own metrics carry known verdicts only; the filter narrows the leniently read type.
  return worstVerdict(metrics.map((m) => m.verdict).filter((v) => isKnown(DRIFT_STATUSES, v)));
}

// ------------------------------------------------------------------ live detector

/** The detector's metrics and weights (CONTRACT.md). */
export const DETECTOR_WEIGHTS = {
  total_drivers: 2,
  coverage_pct: 2,
  fte_ratio: 1.5,
  max_weekly_hours: 1.5,
  audit_pass_rate: 1,
} as const;
export type DetectorMetric = keyof typeof DETECTOR_WEIGHTS;
export type DetectorSample = Partial<Record<DetectorMetric, number | null>>;

export interface DetectorMetricScore {
  metric: DetectorMetric;
  current: number;
  mean: number;
  std: number;
  z: number;
  pct: number;
  weight: number;
  weighted: number;
}

export interface DetectorResult {
  score: number;
  level: DriftLevel;
  metrics: DetectorMetricScore[];
  history_size: number;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation (n-1), 0 for fewer than two values. */
export function stdDev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

export function levelForScore(score: number): DriftLevel {
  if (score < 10) return 'OK';
  if (score < 25) return 'WARNING';
  if (score < 50) return 'ALERT';
  return 'INCIDENT';
}

/**
 * Live SOLVEREIGN's scoring: per metric z = |current − mean| / std (3 when std is 0 and the value
 * differs, 0 when it equals), pct = (current − mean) / mean × 100, weighted = max(z·w, |pct|·w/10);
 * score = Σ|weighted| / Σw × 10 over the metrics that have a current value and a history.
 */
export function detectorScore(current: DetectorSample, history: readonly DetectorSample[]): DetectorResult {
  const metrics: DetectorMetricScore[] = [];
  let weightSum = 0;
  let weightedSum = 0;
  for (const metric of Object.keys(DETECTOR_WEIGHTS) as DetectorMetric[]) {
    const cur = current[metric];
    if (!isNum(cur)) continue;
    const values = history.map((h) => h[metric]).filter(isNum);
    if (values.length === 0) continue;
    const m = mean(values);
    const std = stdDev(values);
    const diff = Math.abs(cur - m);
    const z = std === 0 ? (diff > 1e-12 ? 3 : 0) : diff / std;
    const pct = m === 0 ? 0 : ((cur - m) / m) * 100;
    const w = DETECTOR_WEIGHTS[metric];
    const weighted = Math.max(z * w, (Math.abs(pct) * w) / 10);
    weightSum += w;
    weightedSum += Math.abs(weighted);
    metrics.push({
      metric,
      current: cur,
      mean: round(m, 4),
      std: round(std, 4),
      z: round(z, 4),
      pct: round(pct, 4),
      weight: w,
      weighted: round(weighted, 4),
    });
  }
  const score = weightSum === 0 ? 0 : round((weightedSum / weightSum) * 10);
  return { score, level: levelForScore(score), metrics, history_size: history.length };
}

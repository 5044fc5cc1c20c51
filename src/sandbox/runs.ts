// Turning a solve (synthetic or from the roster engine) into a stored dispatcher run with its
// drift status and evidence pack.
import type { AuditResult, RunKpis, RunStatus } from '../api/schemas';
import { type DriftBaseline, runbookMetrics, runbookVerdict } from './drift';
import { buildEvidence } from './evidence';
import type { RunRecord, Store } from './store';
import { runStatusOf } from './synth';

export interface SolvedWeek {
  forecast: string;
  plan: unknown | null;
  audits: AuditResult[];
  kpis: RunKpis;
  input_hash: string;
  output_hash: string | null;
  config_hash: string;
  seed: number;
  error_code?: string;
  error_message?: string;
}

export interface RunMeta {
  run_id: string;
  tenant_code: string;
  site_code: string;
  week_id: string;
  timestamp: string;
  notes?: string | null;
  published?: { at: string; by: string } | null;
  locked?: { at: string; by: string } | null;
}

/** Builds the run record and its evidence pack (not stored yet). */
export function buildRun(
  meta: RunMeta,
  solved: SolvedWeek,
  baseline: DriftBaseline | undefined,
): { record: RunRecord; evidence: ReturnType<typeof buildEvidence> } {
  const isError = Boolean(solved.error_code);
  let drift: RunKpis['drift_status'] = null;
  if (!isError && baseline) drift = runbookVerdict(runbookMetrics(baseline, solved.kpis));
  const kpis: RunKpis = { ...solved.kpis, drift_status: drift };
  const status: RunStatus = isError ? 'ERROR' : runStatusOf(solved.audits, drift);
  const evidence = buildEvidence({
    run_id: meta.run_id,
    tenant_code: meta.tenant_code,
    site_code: meta.site_code,
    week_id: meta.week_id,
    created_at: meta.timestamp,
    forecast: solved.forecast,
    plan: solved.plan,
    audits: solved.audits,
    kpis,
    input_hash: solved.input_hash,
    config_hash: solved.config_hash,
    output_hash: solved.output_hash,
    seed: solved.seed,
    status: isError ? 'FAILED' : meta.locked ? 'LOCKED' : 'AUDITED',
    error: isError ? { error_code: solved.error_code!, message: solved.error_message ?? '' } : undefined,
  });
  const passCount = solved.audits.filter((a) => a.status === 'PASS').length;
  const evidencePath = `evidence/${meta.tenant_code}/${meta.site_code}/${meta.run_id}.zip`;
  const record: RunRecord = {
    run_id: meta.run_id,
    week_id: meta.week_id,
    timestamp: meta.timestamp,
    status,
    tenant_code: meta.tenant_code,
    site_code: meta.site_code,
    headcount: kpis.headcount ?? null,
    coverage_percent: kpis.coverage_percent ?? null,
    audit_pass_count: passCount,
    audit_total: 7,
    evidence_path: evidencePath,
    kpi_drift_status: drift,
    published: Boolean(meta.published),
    published_at: meta.published?.at ?? null,
    published_by: meta.published?.by ?? null,
    locked: Boolean(meta.locked),
    locked_at: meta.locked?.at ?? null,
    locked_by: meta.locked?.by ?? null,
    notes: meta.notes ?? null,
    error_code: solved.error_code ?? null,
    error_message: solved.error_message ?? null,
    audit_results: solved.audits,
    kpis,
    input_hash: solved.input_hash,
    output_hash: solved.output_hash,
    evidence_hash: `sha256:${evidence.sha256}`,
    artifact_uri: `sandbox://${evidencePath}`,
    seed: solved.seed,
  };
  return { record, evidence };
}

export function storeRun(store: Store, built: ReturnType<typeof buildRun>, replace = false): void {
  const { record, evidence } = built;
  if (replace) store.replaceRun(record);
  else store.insertRun(record);
  store.putEvidence(
    record.tenant_code,
    record.site_code,
    record.run_id,
    evidence.zip,
    evidence.sha256,
    evidence.checksums,
  );
}

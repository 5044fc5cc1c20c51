// Evidence packs: input forecast, plan, audits, KPIs and a run manifest (run-manifest.schema.json),
// zipped deterministically; per-file sha256 checksums and the zip's own sha256.
import type { AuditResult, RunKpis } from '../api/schemas';
import { sha256Hex } from './crypto';
import { createZip } from './zip';

/**
 * The manifest schema wants `RUN-YYYYMMDD-XXXXXXXX` (8 characters); the contract's run ids are
 * `RUN-YYYYMMDD-NNN`. The manifest carries the same id with the counter zero-padded to 8.
 */
export function manifestRunId(runId: string): string {
  const m = /^RUN-(\d{8})-([A-Z0-9]+)$/.exec(runId);
  if (!m) return `RUN-00000000-${sha256Hex(runId).slice(0, 8).toUpperCase()}`;
  const tail = m[2].length > 8 ? sha256Hex(m[2]).slice(0, 8).toUpperCase() : m[2].padStart(8, '0');
  return `RUN-${m[1]}-${tail}`;
}

export interface EvidenceInput {
  run_id: string;
  tenant_code: string;
  site_code: string;
  week_id: string;
  created_at: string;
  forecast: string;
  plan: unknown | null;
  audits: readonly AuditResult[];
  kpis: RunKpis;
  input_hash: string;
  config_hash: string;
  output_hash: string | null;
  seed: number;
  status: 'SOLVED' | 'AUDITED' | 'LOCKED' | 'FAILED';
  error?: { error_code: string; message: string };
}

export interface EvidencePack {
  zip: Buffer;
  sha256: string;
  checksums: Record<string, string>;
  manifest: Record<string, unknown>;
}

export function buildEvidence(e: EvidenceInput): EvidencePack {
  const manifest = {
    run_id: manifestRunId(e.run_id),
    tenant_code: e.tenant_code,
    site_code: e.site_code,
    created_at: e.created_at,
    matrix_version: null,
    osrm_version: null,
    input_hash: e.input_hash,
    config_hash: e.config_hash,
    output_hash: e.output_hash,
    solver_seed: e.seed,
    status: e.status,
    fallback_used: false,
    fallback_reason: null,
  };
  const files: { name: string; data: string }[] = [
    { name: 'manifest.json', data: `${JSON.stringify(manifest, null, 2)}\n` },
    { name: 'input/forecast.txt', data: e.forecast },
  ];
  if (e.plan !== null) files.push({ name: 'plan.json', data: `${JSON.stringify(e.plan)}\n` });
  files.push({
    name: 'audits.json',
    data: `${JSON.stringify({ run_id: e.run_id, audit_results: e.audits }, null, 2)}\n`,
  });
  files.push({
    name: 'kpis.json',
    data: `${JSON.stringify({ run_id: e.run_id, week_id: e.week_id, kpis: e.kpis }, null, 2)}\n`,
  });
  if (e.error) files.push({ name: 'error.json', data: `${JSON.stringify(e.error, null, 2)}\n` });
  const checksums: Record<string, string> = {};
  for (const f of files) checksums[f.name] = sha256Hex(f.data);
  const zip = createZip(files, new Date(e.created_at));
  return { zip, sha256: sha256Hex(zip), checksums, manifest };
}

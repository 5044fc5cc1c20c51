// A run's evidence pack, downloaded once, verified against the server's checksums and read into
// what the L3 workspace shows: the input forecast, the plan, the audits, the KPIs, the manifest and,
// for an ERROR run, its error. A bounded cache (bytes and runs, least recently used out) keyed by
// server scope and run. No `vscode`: the file system provider, diagnostics, timeline, compare and the
// audits-as-tests controller all read runs through this one module.
import { type EvidenceVerification, verifyEvidence } from '../ops/evidence';
import { forecastEntryName } from '../reports/evidence';
import type { AuditResult } from '../roster/types';
import { readZip, ZIP_LIMITS } from '../shared/zip';

/** What the cache needs from a server: the pack with its header, and the checksums list. */
export interface EvidenceSource {
  /** Identifies the server, tenant and site: packs of two scopes never mix. */
  readonly scope: string;
  evidence(runId: string, o?: { signal?: AbortSignal }): Promise<{ zip: Buffer; sha256?: string }>;
  checksums(runId: string, o?: { signal?: AbortSignal }): Promise<Record<string, string>>;
}

/** A verified pack, with its well-known files parsed where present (each may be missing on live). */
export interface RunEvidence {
  runId: string;
  scope: string;
  /** Every entry of the archive by its name. */
  files: ReadonlyMap<string, Buffer>;
  verification: EvidenceVerification;
  /** The input forecast (live's packs may hold none). */
  forecast?: { name: string; text: string };
  /** plan.json as sent (the sandbox: {week_id, seed, solver, output_hash, assignments, drivers, uncovered}). */
  plan?: unknown;
  audits?: AuditResult[];
  kpis?: Record<string, unknown>;
  manifest?: Record<string, unknown>;
  /** The run's ISO week (plan.json's or kpis.json's week_id), when the pack says. */
  week?: string;
  /** error.json of a run that ended in ERROR. */
  error?: { error_code?: string; message?: string };
  /** Size of the archive in bytes (what the cache counts). */
  bytes: number;
}

/** The archive does not match its checksums: an error, never a warning. */
const EVIDENCE_MISMATCH_BRAND = Symbol.for('solvereign.EvidenceMismatchError');

export class EvidenceMismatchError extends Error {
  /**
   * The cache lives in its own bundle (dist/evidence.js) and the L3 workspace in another, each with
   * its own copy of this class: an error from one copy must be recognised by the other's `instanceof`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && EVIDENCE_MISMATCH_BRAND in value;
  }
  readonly [EVIDENCE_MISMATCH_BRAND] = true;
  override readonly name = 'EvidenceMismatchError';
  constructor(
    readonly runId: string,
    readonly problems: readonly string[],
  ) {
    super(`The evidence pack of ${runId} failed verification: ${problems.join('; ')}`);
  }
}

export interface EvidenceCacheLimits {
  /** Most archive bytes kept (default 64 MiB). */
  maxBytes?: number;
  /** Most runs kept (default 24). */
  maxRuns?: number;
}

function parseJson(files: ReadonlyMap<string, Buffer>, ...names: string[]): unknown {
  for (const n of names) {
    const data = files.get(n) ?? [...files].find(([k]) => k.endsWith(`/${n}`))?.[1];
    if (!data) continue;
    try {
      return JSON.parse(data.toString('utf8'));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** Reads a verified archive's well-known files (pure; exported for tests). */
export function readRunEvidence(
  runId: string,
  scope: string,
  zip: Buffer,
  header: string | undefined,
  checksums: Record<string, string>,
): RunEvidence {
  const files = readZip(zip, ZIP_LIMITS);
  const verification = verifyEvidence(runId, zip, header, checksums, files);
  if (!verification.verified) throw new EvidenceMismatchError(runId, verification.problems);
  const forecastName = forecastEntryName([...files.keys()]);
  // The sandbox's audits.json; live's pack calls it audit_results.json.
  const auditsJson = parseJson(files, 'audits.json', 'audit_results.json');
  const audits =
    isObject(auditsJson) && Array.isArray(auditsJson.audit_results)
      ? (auditsJson.audit_results as AuditResult[])
      : Array.isArray(auditsJson)
        ? (auditsJson as AuditResult[])
        : undefined;
  const kpisJson = parseJson(files, 'kpis.json');
  const kpis = isObject(kpisJson) ? (isObject(kpisJson.kpis) ? kpisJson.kpis : kpisJson) : undefined;
  const manifest = parseJson(files, 'manifest.json', 'metadata.json');
  const error = parseJson(files, 'error.json');
  const out: RunEvidence = { runId, scope, files, verification, bytes: zip.length };
  if (forecastName) out.forecast = { name: forecastName, text: files.get(forecastName)!.toString('utf8') };
  const plan = parseJson(files, 'plan.json');
  if (plan !== undefined) out.plan = plan;
  if (audits) out.audits = audits;
  if (kpis) out.kpis = kpis;
  if (isObject(manifest)) out.manifest = manifest;
  if (isObject(error)) out.error = error as RunEvidence['error'];
  const week =
    (isObject(plan) && plan.week_id) ||
    (isObject(kpisJson) && kpisJson.week_id) ||
    (isObject(manifest) && manifest.week_id);
  if (typeof week === 'string') out.week = week;
  return out;
}

/** Verified packs per scope and run, bounded; concurrent requests for one run share one download. */
export class EvidenceCache {
  private readonly entries = new Map<string, RunEvidence>();
  private readonly pending = new Map<string, Promise<RunEvidence>>();
  private readonly maxBytes: number;
  private readonly maxRuns: number;
  private generation = 0;

  constructor(limits: EvidenceCacheLimits = {}) {
    this.maxBytes = limits.maxBytes ?? 64 * 1024 * 1024;
    this.maxRuns = limits.maxRuns ?? 24;
  }

  private key(scope: string, runId: string): string {
    return `${scope}\u0000${runId}`;
  }

  /** The run's verified evidence, downloaded on first use. */
  async get(source: EvidenceSource, runId: string, o?: { signal?: AbortSignal }): Promise<RunEvidence> {
    const key = this.key(source.scope, runId);
    const have = this.entries.get(key);
    if (have) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, have);
      return have;
    }
    const running = this.pending.get(key);
    if (running) return running;
    const generation = this.generation;
    const p = (async () => {
      const [pack, checksums] = await Promise.all([source.evidence(runId, o), source.checksums(runId, o)]);
      const ev = readRunEvidence(runId, source.scope, pack.zip, pack.sha256, checksums);
      // A clear() while downloading (sign-out, environment switch) keeps the result out of the cache.
      if (generation === this.generation) this.put(key, ev);
      return ev;
    })();
    this.pending.set(key, p);
    try {
      return await p;
    } finally {
      this.pending.delete(key);
    }
  }

  /** The cached evidence, without downloading. */
  peek(scope: string, runId: string): RunEvidence | undefined {
    return this.entries.get(this.key(scope, runId));
  }

  private put(key: string, ev: RunEvidence): void {
    this.entries.set(key, ev);
    let total = 0;
    for (const e of this.entries.values()) total += e.bytes;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= 1) break;
      if (total <= this.maxBytes && this.entries.size <= this.maxRuns) break;
      this.entries.delete(k);
      total -= e.bytes;
    }
  }

  /** Runs held, least recently used first. */
  list(): { scope: string; runId: string; bytes: number }[] {
    return [...this.entries.values()].map((e) => ({ scope: e.scope, runId: e.runId, bytes: e.bytes }));
  }

  delete(scope: string, runId: string): void {
    this.entries.delete(this.key(scope, runId));
  }

  /** Sign-out or environment switch: nothing of the old server stays. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.pending.clear();
  }
}

// `solvereign evidence RUN --out DIR | --verify-only`: downloads a run's evidence pack, verifies it
// (src/ops/evidence.ts) and only then unpacks it: nothing is written unless everything verifies.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SolvereignClient } from '../../api/client';
import { type EvidenceVerification, verifyEvidence } from '../../ops/evidence';
import { writeFileSafeSync } from '../../shared/safeWrite';
import { readZip, unsafeEntryName } from '../../shared/zip';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';

/** Writes the verified pack under `dir`: the archive as evidence.zip (unless it holds one) and each file. */
export function unpackEvidence(dir: string, zip: Buffer, entries: Map<string, Buffer>): string[] {
  for (const name of entries.keys()) {
    const problem = unsafeEntryName(name);
    if (problem)
      throw new Error(`the archive's entry ${JSON.stringify(name)} has ${problem}; nothing was written`);
  }
  const root = path.resolve(dir);
  const files: [string, Buffer][] = [
    ...(entries.has('evidence.zip') ? [] : [['evidence.zip', zip] as [string, Buffer]]),
    ...entries,
  ];
  const targets = files.map(([rel, data]) => [path.join(root, ...rel.split('/')), data] as const);
  // Never overwrite: a folder that already holds any of these files is refused before writing one.
  const existing = targets.find(([target]) => existsSync(target));
  if (existing) throw new Error(`${existing[0]} exists already; choose an empty folder for --out`);
  mkdirSync(root, { recursive: true });
  // The shared writer refuses links on the way (a planted link never carries a file out of DIR).
  for (const [target, data] of targets) writeFileSafeSync(target, data, { root });
  return targets.map(([target]) => target);
}

export interface EvidenceResult extends EvidenceVerification {
  written: string[];
  out: string | null;
}

/** Downloads, verifies and (unless verifyOnly) unpacks. */
export async function fetchEvidence(
  client: SolvereignClient,
  runId: string,
  opts: { out?: string; verifyOnly?: boolean },
): Promise<EvidenceResult> {
  const [pack, sums] = await Promise.all([client.evidence(runId), client.evidenceChecksums(runId)]);
  const entries = readZip(pack.zip);
  const v = verifyEvidence(runId, pack.zip, pack.sha256, sums.checksums, entries);
  if (pack.runId && pack.runId !== runId) {
    v.problems.push(`the server sent the pack of ${pack.runId} (X-Run-ID), not ${runId}`);
    v.verified = false;
  }
  const written =
    v.verified && !opts.verifyOnly && opts.out ? unpackEvidence(opts.out, pack.zip, entries) : [];
  return { ...v, written, out: opts.out && !opts.verifyOnly ? path.resolve(opts.out) : null };
}

/** The human report. */
export function describeEvidence(r: EvidenceResult): string {
  const lines = [
    `evidence ${r.run_id}: ${r.verified ? 'VERIFIED' : 'MISMATCH'} — archive ${r.archive.bytes} bytes, sha256 ${r.archive.sha256}`,
    `  X-Evidence-SHA256: ${r.archive.header ?? '(not sent)'} ${r.archive.header_matches ? '(matches)' : '(DOES NOT MATCH)'}`,
    `  checksums["evidence.zip"]: ${r.archive.listed === null ? '(not listed)' : `${r.archive.listed} ${r.archive.listed_matches ? '(matches)' : '(DOES NOT MATCH)'}`}`,
    ...r.files.map((f) => `  ${f.verdict.padEnd(19)} ${f.name}`),
  ];
  for (const p of r.problems) lines.push(`  problem: ${p}`);
  if (r.written.length) lines.push(`wrote ${r.written.length} files to ${r.out}`);
  else if (!r.verified && r.out) lines.push(`nothing was written to ${r.out} (the pack did not verify)`);
  return lines.join('\n');
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const runId = args[0] ?? ctx.v['run-id'];
  if (!runId) throw new UsageError('evidence needs a run id');
  const verifyOnly = ctx.v['verify-only'] ?? false;
  if (!verifyOnly && !ctx.v.out) throw new UsageError('evidence needs --out DIR (or --verify-only)');
  const r = await fetchEvidence(clientOf(ctx), runId, { out: ctx.v.out, verifyOnly });
  ctx.out(r, () => describeEvidence(r));
  return r.verified ? EXIT.ok : EXIT.failed;
}

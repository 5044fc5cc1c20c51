// `solvereign evidence RUN --out DIR | --verify-only`: downloads a run's evidence pack, verifies it
// (CONTRACT.md's evidence rules) and only then unpacks it. Verified: the `X-Evidence-SHA256` header
// == sha256(zip) == checksums["evidence.zip"] when listed; each listed file that is inside the zip
// matches its checksum; listed files absent from the zip are "outside the archive" (live's checksums
// cover the whole run folder), never a mismatch. Nothing is written unless everything verifies.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { SolvereignClient } from '../api/client';
import { readZip, unsafeEntryName } from '../shared/zip';

export type FileVerdict = 'match' | 'mismatch' | 'outside the archive' | 'not listed';

export interface EvidenceFile {
  name: string;
  verdict: FileVerdict;
  expected?: string;
  actual?: string;
  bytes?: number;
}

export interface EvidenceVerification {
  run_id: string;
  verified: boolean;
  archive: {
    sha256: string;
    bytes: number;
    header: string | null;
    header_matches: boolean;
    /** null when the checksums do not list the archive itself (the sandbox lists only its contents). */
    listed: string | null;
    listed_matches: boolean | null;
  };
  files: EvidenceFile[];
  problems: string[];
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const norm = (h: string | null | undefined) =>
  (h ?? '')
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');

/** Checks an evidence pack against its header and the checksums endpoint (pure; no I/O). */
export function verifyEvidence(
  runId: string,
  zip: Buffer,
  header: string | undefined,
  checksums: Record<string, string>,
  entries: Map<string, Buffer>,
): EvidenceVerification {
  const problems: string[] = [];
  const actual = sha256(zip);
  const headerMatches = header !== undefined && norm(header) === actual;
  if (header === undefined)
    problems.push('the server sent no X-Evidence-SHA256 header: the archive cannot be verified');
  else if (!headerMatches)
    problems.push(`X-Evidence-SHA256 ${norm(header)} does not match the archive's sha256 ${actual}`);
  const listed = checksums['evidence.zip'];
  const listedMatches = listed === undefined ? null : norm(listed) === actual;
  if (listedMatches === false)
    problems.push(`checksums list evidence.zip as ${norm(listed)}, the archive is ${actual}`);

  // Entries are matched by full name, else by their base name when that is unique in the archive.
  const byBase = new Map<string, string[]>();
  for (const name of entries.keys()) {
    const base = path.posix.basename(name);
    byBase.set(base, [...(byBase.get(base) ?? []), name]);
  }
  const used = new Set<string>();
  const files: EvidenceFile[] = [];
  for (const [name, expected] of Object.entries(checksums).sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'evidence.zip') continue;
    const entryName = entries.has(name)
      ? name
      : byBase.get(name)?.length === 1
        ? byBase.get(name)?.[0]
        : undefined;
    const data = entryName === undefined ? undefined : entries.get(entryName);
    if (entryName === undefined || data === undefined) {
      files.push({ name, verdict: 'outside the archive', expected: norm(expected) });
      continue;
    }
    used.add(entryName);
    const got = sha256(data);
    const ok = got === norm(expected);
    files.push({
      name: entryName,
      verdict: ok ? 'match' : 'mismatch',
      expected: norm(expected),
      actual: got,
      bytes: data.length,
    });
    if (!ok) problems.push(`${entryName}: sha256 ${got}, checksums say ${norm(expected)}`);
  }
  for (const [name, data] of entries) {
    if (!used.has(name))
      files.push({ name, verdict: 'not listed', actual: sha256(data), bytes: data.length });
  }
  return {
    run_id: runId,
    verified: problems.length === 0,
    archive: {
      sha256: actual,
      bytes: zip.length,
      header: header ?? null,
      header_matches: headerMatches,
      listed: listed === undefined ? null : norm(listed),
      listed_matches: listedMatches,
    },
    files,
    problems,
  };
}

/** Writes the verified pack under `dir`: the archive as evidence.zip (unless it holds one) and each file. */
export function unpackEvidence(dir: string, zip: Buffer, entries: Map<string, Buffer>): string[] {
  for (const name of entries.keys()) {
    const problem = unsafeEntryName(name);
    if (problem)
      throw new Error(`the archive's entry ${JSON.stringify(name)} has ${problem}; nothing was written`);
  }
  mkdirSync(dir, { recursive: true });
  const root = realpathSync(dir);
  const written: string[] = [];
  const write = (rel: string, data: Buffer) => {
    const target = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    // A folder inside the output that is a link elsewhere must not carry a file out of it.
    const parent = realpathSync(path.dirname(target));
    if (parent !== root && !parent.startsWith(root + path.sep))
      throw new Error(`${rel} would be written outside ${dir} (through a link); stopped`);
    let fd: number;
    try {
      fd = openSync(target, 'wx', 0o644); // never overwrite, never follow a link at the target
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new Error(`${target} exists already; choose an empty folder for --out`);
      throw e;
    }
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    written.push(target);
  };
  if (!entries.has('evidence.zip')) write('evidence.zip', zip);
  for (const [name, data] of entries) write(name, data);
  return written;
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

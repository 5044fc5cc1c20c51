// An evidence pack checked by CONTRACT.md's evidence rules: the `X-Evidence-SHA256` header ==
// sha256(zip) == checksums["evidence.zip"] when listed; each listed file that is inside the zip
// matches its checksum; listed files absent from the zip are "outside the archive" (live's checksums
// cover the whole run folder), never a mismatch. Pure: no I/O (the CLI and the procedures use it).
import { createHash } from 'node:crypto';
import path from 'node:path';

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

// A run's evidence pack as a read-only folder: `solvereign-evidence:/<run id>/<file in the pack>`.
// The pack is downloaded once through the window's evidence cache, verified against the server's
// checksums (a mismatch fails the read with the files named), and every entry of the archive is a file.
// Loaded on first use (dist/l3.js); activation registers a thin proxy (src/l3/index.ts).
import * as vscode from 'vscode';
import { PLAN_SUMMARY_FILE, type RunFindings, runFindings } from '../evidence/findings';
import { EvidenceMismatchError, type RunEvidence } from '../evidence/runEvidence';
import type { ExtensionServices } from '../services';

const findingsOf = new WeakMap<RunEvidence, RunFindings>();
/** The run's tours, plan summary and findings, computed once per verified pack. */
export function findingsFor(ev: RunEvidence): RunFindings {
  let f = findingsOf.get(ev);
  if (!f) {
    f = runFindings(ev);
    findingsOf.set(ev, f);
  }
  return f;
}

const entriesOf = new WeakMap<RunEvidence, ReadonlyMap<string, Buffer>>();
/**
 * The folder's files: every archive entry, plus the plan summary derived from plan.json and the input
 * (one line per driver; its header says it is derived, the archive's plan.json stays as verified).
 */
export function evidenceEntries(ev: RunEvidence): ReadonlyMap<string, Buffer> {
  let m = entriesOf.get(ev);
  if (!m) {
    const all = new Map(ev.files);
    const summary = findingsFor(ev).summary;
    if (summary && !all.has(PLAN_SUMMARY_FILE)) all.set(PLAN_SUMMARY_FILE, Buffer.from(summary.text, 'utf8'));
    m = all;
    entriesOf.set(ev, m);
  }
  return m;
}

export const EVIDENCE_SCHEME = 'solvereign-evidence';

/** `/<run id>/<path>` -> its parts (the run id is the first segment). */
export function parseEvidencePath(uri: vscode.Uri): { runId: string; file: string } {
  const parts = uri.path.split('/').filter(Boolean);
  return {
    runId: decodeURIComponent(parts[0] ?? ''),
    file: parts.slice(1).map(decodeURIComponent).join('/'),
  };
}

export function evidenceUri(runId: string, file = ''): vscode.Uri {
  const path = `/${encodeURIComponent(runId)}${file ? `/${file.split('/').map(encodeURIComponent).join('/')}` : ''}`;
  return vscode.Uri.from({ scheme: EVIDENCE_SCHEME, path });
}

export class EvidenceFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly services: ExtensionServices) {}

  private async pack(runId: string): Promise<RunEvidence> {
    if (!runId) throw vscode.FileSystemError.FileNotFound('Name a run: solvereign-evidence:/<run id>/…');
    try {
      return await this.services.evidence.cache().get(this.services.evidence.source(), runId);
    } catch (e) {
      if (e instanceof EvidenceMismatchError) throw vscode.FileSystemError.Unavailable(e.message);
      const message = e instanceof Error ? e.message : String(e);
      throw vscode.FileSystemError.Unavailable(
        `The evidence pack of ${runId} could not be loaded: ${message}`,
      );
    }
  }

  /** Files and folders directly below `dir` ('' = the run's root). */
  private children(ev: RunEvidence, dir: string): [string, vscode.FileType][] {
    const prefix = dir ? `${dir}/` : '';
    const out = new Map<string, vscode.FileType>();
    for (const name of evidenceEntries(ev).keys()) {
      if (!name.startsWith(prefix) || name.endsWith('/')) continue;
      const rest = name.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.set(rest, vscode.FileType.File);
      else out.set(rest.slice(0, slash), vscode.FileType.Directory);
    }
    return [...out].sort(([a], [b]) => a.localeCompare(b));
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { runId, file } = parseEvidencePath(uri);
    const ev = await this.pack(runId);
    const created = Date.parse(String(ev.manifest?.created_at ?? '')) || 0;
    const data = file ? evidenceEntries(ev).get(file) : undefined;
    if (data)
      return {
        type: vscode.FileType.File,
        ctime: created,
        mtime: created,
        size: data.length,
        permissions: vscode.FilePermission.Readonly,
      };
    if (!file || this.children(ev, file).length)
      return {
        type: vscode.FileType.Directory,
        ctime: created,
        mtime: created,
        size: 0,
        permissions: vscode.FilePermission.Readonly,
      };
    throw vscode.FileSystemError.FileNotFound(
      `The evidence pack of ${runId} has no ${file} (it holds: ${[...ev.files.keys()].join(', ')}).`,
    );
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { runId, file } = parseEvidencePath(uri);
    const ev = await this.pack(runId);
    const entries = this.children(ev, file);
    if (file && !entries.length) throw vscode.FileSystemError.FileNotADirectory(uri);
    return entries;
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { runId, file } = parseEvidencePath(uri);
    const ev = await this.pack(runId);
    const data = evidenceEntries(ev).get(file);
    if (!data)
      throw vscode.FileSystemError.FileNotFound(
        `The evidence pack of ${runId} has no ${file || 'file of that name'} (it holds: ${[...ev.files.keys()].join(', ')}).`,
      );
    return new Uint8Array(data);
  }

  watch(): vscode.Disposable {
    // A pack never changes once verified: nothing to watch.
    return new vscode.Disposable(() => undefined);
  }

  private readOnly(): never {
    throw vscode.FileSystemError.NoPermissions(
      'Evidence packs are read-only: they are what the server verified.',
    );
  }
  writeFile(): void {
    this.readOnly();
  }
  createDirectory(): void {
    this.readOnly();
  }
  delete(): void {
    this.readOnly();
  }
  rename(): void {
    this.readOnly();
  }
}

/** Opens a run's evidence: its input forecast (else the plan summary or plan, else the first file). */
export async function openEvidence(services: ExtensionServices, runId: string) {
  const ev = await services.evidence.cache().get(services.evidence.source(), runId);
  const files = [...evidenceEntries(ev).keys()].filter((n) => !n.endsWith('/')).sort();
  // Where the findings are: the input, else the plan summary (live's packs may hold no input).
  const main =
    ev.forecast?.name ??
    files.find((n) => n === PLAN_SUMMARY_FILE) ??
    files.find((n) => n === 'plan.json') ??
    files.find((n) => n === 'error.json') ??
    files[0];
  if (main) await vscode.window.showTextDocument(evidenceUri(runId, main), { preview: false });
  return {
    runId,
    uri: evidenceUri(runId).toString(),
    files,
    opened: main,
    verified: ev.verification.verified,
    note: ev.forecast ? undefined : 'This pack holds no input forecast (live SOLVEREIGN packs may not).',
  };
}

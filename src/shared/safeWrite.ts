// Symlink-safe file writes for every file the sandbox, the CLI or the extension writes. A planted
// link must never redirect a write: the folders on the way and the target are lstat-ed and links are
// refused; the bytes go to an unpredictable temp file created exclusively (O_EXCL|O_NOFOLLOW) in the
// target's own folder, are fsync-ed and renamed over the target (rename replaces a link, never follows
// it). Files we own (database, credentials, caches) are 0600 in 0700 folders; workspace files keep
// the workspace's modes (an existing file's mode, else the umask's default). No `vscode` here.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import path from 'node:path';

export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
}

export interface SafeWriteOptions {
  /** Owner-only: the file 0600, its folder created/kept 0700 and owned by us. */
  private?: boolean;
  /**
   * Folder below which every component must be a real folder (no links), e.g. the workspace root
   * for `.claude/state/active-incidents.json`. Default: only the file's own folder is checked.
   */
  root?: string;
}

const uid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(12).toString('hex')}.tmp`);
}

/** The folders from `root` (exclusive) down to `dir` (inclusive); just `dir` without a root. */
function foldersToCheck(dir: string, root: string | undefined): string[] {
  if (!root) return [dir];
  const rel = path.relative(path.resolve(root), path.resolve(dir));
  if (rel.startsWith('..') || path.isAbsolute(rel))
    throw new UnsafePathError(`${dir} is outside ${root}; refusing to write there`);
  const out: string[] = [];
  let cur = path.resolve(root);
  for (const part of rel.split(path.sep).filter(Boolean)) {
    cur = path.join(cur, part);
    out.push(cur);
  }
  return out;
}

function checkFolder(dir: string, st: fs.Stats, priv: boolean): void {
  if (st.isSymbolicLink())
    throw new UnsafePathError(`${dir} is a symbolic link; refusing to write through it (remove the link)`);
  if (!st.isDirectory()) throw new UnsafePathError(`${dir} is not a folder`);
  const me = uid();
  if (priv && me !== undefined && st.uid !== me)
    throw new UnsafePathError(
      `${dir} belongs to another user (uid ${st.uid}); refusing to keep private files there`,
    );
}

function checkTarget(file: string, st: fs.Stats | undefined): void {
  if (!st) return;
  if (st.isSymbolicLink())
    throw new UnsafePathError(`${file} is a symbolic link; refusing to write through it (remove the link)`);
  if (!st.isFile()) throw new UnsafePathError(`${file} is not a regular file`);
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const OPEN_FLAGS =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);

/** Creates `dir` (and parents) 0700, or checks an existing one is ours and no link, and tightens it. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  checkFolder(dir, st, true);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

function prepare(file: string, opts: SafeWriteOptions): { mode: number } {
  const dir = path.dirname(path.resolve(file));
  if (opts.root) assertNoLinks(dir, opts.root); // before mkdir: never create folders through a link
  if (opts.private) ensurePrivateDir(dir);
  else fs.mkdirSync(dir, { recursive: true });
  for (const d of foldersToCheck(dir, opts.root)) checkFolder(d, fs.lstatSync(d), !!opts.private);
  const st = lstatOrUndefined(file);
  checkTarget(file, st);
  return { mode: opts.private ? 0o600 : st ? st.mode & 0o777 : 0o666 };
}

/** Writes `data` to `file` (see the module comment). Throws UnsafePathError on links or foreign folders. */
export function writeFileSafeSync(
  file: string,
  data: string | Uint8Array,
  opts: SafeWriteOptions = {},
): void {
  const { mode } = prepare(file, opts);
  const tmp = tempName(file);
  const fd = fs.openSync(tmp, OPEN_FLAGS, mode);
  try {
    try {
      fs.writeFileSync(fd, data);
      // An existing workspace file keeps its mode even when the umask is stricter.
      if (opts.private || mode !== 0o666) fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * The same for async callers (the extension's writers): the files are small (the incident file, a
 * record), so one synchronous implementation serves both.
 */
export async function writeFileSafe(
  file: string,
  data: string | Uint8Array,
  opts: SafeWriteOptions = {},
): Promise<void> {
  writeFileSafeSync(file, data, opts);
}

/** Refuses when any folder from `root` down to `dir` is a link (reads must not be redirected either). */
export function assertNoLinks(dir: string, root: string): void {
  for (const d of foldersToCheck(path.resolve(dir), root)) {
    const st = lstatOrUndefined(d);
    if (!st) return;
    checkFolder(d, st, false);
  }
}

/** A private file (0600) check for readers: ours, a regular file, not readable by others. */
export function isPrivateFile(file: string): boolean {
  const st = lstatOrUndefined(file);
  if (!st?.isFile()) return false;
  const me = uid();
  if (me !== undefined && st.uid !== me) return false;
  return process.platform === 'win32' || (st.mode & 0o077) === 0;
}

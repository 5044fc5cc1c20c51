// A tiny zip reader: the central directory (so data descriptors and extra fields are fine), stored
// (0) and deflate (8) entries, CRC-checked, each entry's size, the total and the entry count capped (ZIP_LIMITS). Enough for evidence packs (the
// sandbox writes stored entries; live SOLVEREIGN's Python zipfile writes deflate). No zip64, no
// encryption. No `vscode` here: the reports and procedures use it (the sandbox's writer is server code).
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipFileInfo {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Offset of the local file header. */
  offset: number;
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export class ZipError extends Error {
  override readonly name = 'ZipError';
}

/** The one place the archive limits live (evidence packs are a few MiB; these leave ample room). */
export interface ZipLimits {
  /** The largest entry (uncompressed) read; a larger one is a ZipError. Default 64 MiB. */
  maxEntryBytes?: number;
  /** The most bytes (uncompressed) read from one archive in total. Default 256 MiB. */
  maxTotalBytes?: number;
  /** The most entries an archive may list. Default 10,000. */
  maxEntries?: number;
}

export const ZIP_LIMITS: Required<ZipLimits> = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
};

function findEndOfCentralDirectory(buf: Buffer): number {
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes, at the end.
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  throw new ZipError('not a zip archive (no end-of-central-directory record)');
}

/** The archive's entries, in central-directory order (more than `maxEntries` is a ZipError). */
export function listZip(buf: Buffer, limits: ZipLimits = {}): ZipFileInfo[] {
  if (buf.length < 22) throw new ZipError('not a zip archive (too short)');
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const maxEntries = limits.maxEntries ?? ZIP_LIMITS.maxEntries;
  if (count > maxEntries) throw new ZipError(`too many entries (${count}; at most ${maxEntries})`);
  const size = buf.readUInt32LE(eocd + 12);
  let p = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new ZipError('zip64 archives are not supported');
  if (p + size > eocd) throw new ZipError('corrupt zip archive (central directory out of range)');
  const out: ZipFileInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG)
      throw new ZipError(`corrupt zip archive (central directory entry ${i})`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    // Bit 11: UTF-8 names; otherwise CP437, which for the ASCII names we expect is the same.
    const name = rawName.toString(flags & 0x0800 ? 'utf8' : 'latin1');
    if (flags & 0x0001) throw new ZipError(`${name}: encrypted entries are not supported`);
    out.push({ name, method, compressedSize, size: uncompressedSize, crc, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** One entry's bytes, inflated and CRC-checked. */
export function readZipEntry(buf: Buffer, entry: ZipFileInfo, limits: ZipLimits = {}): Buffer {
  const max = limits.maxEntryBytes ?? ZIP_LIMITS.maxEntryBytes;
  if (entry.size > max) throw new ZipError(`${entry.name} is too large (${entry.size} bytes)`);
  const p = entry.offset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL_SIG)
    throw new ZipError(`${entry.name}: corrupt local header`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const raw = buf.subarray(start, start + entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw new ZipError(`${entry.name}: truncated entry`);
  let data: Buffer;
  if (entry.method === 0) data = Buffer.from(raw);
  else if (entry.method === 8) {
    try {
      // Never inflate past the declared size (a lying header cannot make it allocate more).
      data = inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (e) {
      throw new ZipError(`${entry.name}: cannot inflate (${(e as Error).message})`);
    }
  } else throw new ZipError(`${entry.name}: compression method ${entry.method} is not supported`);
  if (data.length !== entry.size) throw new ZipError(`${entry.name}: size mismatch`);
  if (crc32(data) >>> 0 !== entry.crc >>> 0) throw new ZipError(`${entry.name}: CRC mismatch`);
  return data;
}

/** Every file of the archive (directories left out), by name. */
export function readZip(buf: Buffer, limits: ZipLimits = {}): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const entries = listZip(buf, limits).filter((e) => !e.name.endsWith('/'));
  // Checked on the declared sizes before inflating anything (readZipEntry holds each entry to its size).
  const maxTotal = limits.maxTotalBytes ?? ZIP_LIMITS.maxTotalBytes;
  const total = entries.reduce((n, e) => n + e.size, 0);
  if (total > maxTotal)
    throw new ZipError(`archive too large (${total} bytes uncompressed; at most ${maxTotal})`);
  for (const e of entries) files.set(e.name, readZipEntry(buf, e, limits));
  return files;
}

/** One file by exact name, or the first whose name matches `pattern`; undefined when absent. */
export function extractZipFile(
  buf: Buffer,
  name: string | RegExp,
  limits: ZipLimits = {},
): { name: string; data: Buffer } | undefined {
  const entry = listZip(buf, limits).find((e) =>
    typeof name === 'string' ? e.name === name : !e.name.endsWith('/') && name.test(e.name),
  );
  return entry ? { name: entry.name, data: readZipEntry(buf, entry, limits) } : undefined;
}

/**
 * Why an entry name must not be written to disk as it is (absolute, `..`, backslashes, drive
 * letters, control characters), or undefined when it is a plain relative path.
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name === '' || name.endsWith('/')) return undefined;
  if (/[\u0000-\u001f]/.test(name)) return 'control characters in the name';
  if (name.includes('\\')) return 'a backslash in the name';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'an absolute path';
  if (name.split('/').some((s) => s === '..' || s === '.' || s === ''))
    return 'a path that leaves its folder';
  return undefined;
}

// A small zip READER for evidence packs (SP-002): stored and deflated entries, CRC-checked, names as
// UTF-8. Reads the central directory (so data descriptors and extra fields are fine); no zip64, no
// encryption. No `vscode` and nothing from the sandbox (its writer is server code).
import { inflateRawSync } from 'node:zlib';

export interface ZipFile {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

let crcTable: Uint32Array | undefined;
export function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = (crcTable[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export class ZipError extends Error {
  override readonly name = 'ZipError';
}

/** All files of the archive, in central-directory order. Throws ZipError for anything unreadable. */
export function readZip(zip: Buffer, opts: { maxEntryBytes?: number } = {}): ZipFile[] {
  const max = opts.maxEntryBytes ?? 64 * 1024 * 1024;
  // The end record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 0xffff); p--) {
    if (zip.readUInt32LE(p) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip archive: end of central directory not found');
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  let p = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new ZipError('zip64 archives are not supported');
  if (p + cdSize > eocd) throw new ZipError('central directory lies outside the archive');
  const out: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL)
      throw new ZipError(`bad central directory entry ${i + 1}`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue; // a directory
    if (flags & 1) throw new ZipError(`${name} is encrypted`);
    if (size > max) throw new ZipError(`${name} is too large (${size} bytes)`);
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL) {
      throw new ZipError(`bad local header for ${name}`);
    }
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (start + compressed > zip.length) throw new ZipError(`${name} is truncated`);
    const raw = zip.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (e) {
        throw new ZipError(`${name}: cannot inflate (${(e as Error).message})`);
      }
    } else throw new ZipError(`${name}: unsupported compression method ${method}`);
    if (data.length !== size) throw new ZipError(`${name}: size mismatch (${data.length} != ${size})`);
    if (crc32(data) !== crc) throw new ZipError(`${name}: CRC mismatch`);
    out.push({ name, data });
  }
  return out;
}

/** One file's text, or undefined when the archive has no such entry. */
export function zipText(files: readonly ZipFile[], name: string): string | undefined {
  return files.find((f) => f.name === name)?.data.toString('utf8');
}

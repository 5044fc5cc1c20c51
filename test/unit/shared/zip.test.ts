import assert from 'node:assert/strict';
import { crc32, deflateRawSync } from 'node:zlib';
import { createZip } from '../../../src/sandbox/zip';
import { extractZipFile, listZip, readZip, unsafeEntryName, ZipError } from '../../../src/shared/zip';

/**
 * A zip with deflate (method 8) entries. By default written the way Python's zipfile does (sizes in
 * the local header); with `dataDescriptor` the way common zip tools stream it (UTF-8 flag, sizes 0 in
 * the local header, a data descriptor after the data), optionally with an archive comment.
 */
function deflateZip(
  files: { name: string; data: string }[],
  opts: { dataDescriptor?: boolean; comment?: string } = {},
): Buffer {
  const flags = opts.dataDescriptor ? 0x0808 : 0; // UTF-8 names + data descriptor
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const data = Buffer.from(f.data);
    const comp = deflateRawSync(data);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    if (!opts.dataDescriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(comp.length, 18);
      local.writeUInt32LE(data.length, 22);
    }
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, comp);
    let size = 30 + name.length + comp.length;
    if (opts.dataDescriptor) {
      const desc = Buffer.alloc(16);
      desc.writeUInt32LE(0x08074b50, 0);
      desc.writeUInt32LE(crc, 4);
      desc.writeUInt32LE(comp.length, 8);
      desc.writeUInt32LE(data.length, 12);
      locals.push(desc);
      size += 16;
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += size;
  }
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from(opts.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, end, comment]);
}

const FORECAST = '# week\nMo 06:00-14:00\nDi 06:00-14:00 2 Fahrer\n';

describe('zip reader (src/shared/zip.ts)', () => {
  it("reads the sandbox's stored evidence packs", () => {
    const zip = createZip([
      { name: 'manifest.json', data: '{"a":1}\n' },
      { name: 'input/forecast.txt', data: FORECAST },
    ]);
    assert.deepEqual(
      listZip(zip).map((e) => [e.name, e.method, e.size]),
      [
        ['manifest.json', 0, 8],
        ['input/forecast.txt', 0, FORECAST.length],
      ],
    );
    const files = readZip(zip);
    assert.deepEqual([...files.keys()], ['manifest.json', 'input/forecast.txt']);
    assert.equal(files.get('input/forecast.txt')?.toString(), FORECAST);
    assert.equal(files.get('missing'), undefined);
  });

  it('reads deflate entries (live packs written by Python zipfile)', () => {
    const big = 'Mo 06:00-14:00\n'.repeat(500);
    const zip = deflateZip([
      { name: 'audits.json', data: '{"x":"ä"}' },
      { name: 'input/forecast.txt', data: big },
    ]);
    assert.ok(zip.length < big.length / 5, 'the test zip is not compressed');
    assert.equal(readZip(zip).get('audits.json')?.toString(), '{"x":"ä"}');
    assert.equal(extractZipFile(zip, /^input\//)?.data.toString(), big);
    assert.equal(extractZipFile(zip, 'missing.txt'), undefined);
  });

  it('reads deflated entries with data descriptors, UTF-8 names and an archive comment', () => {
    const text = 'Mo 06:00-14:00 5 Fahrer Depot Nord\n'.repeat(200);
    const files = readZip(
      deflateZip(
        [
          { name: 'input/forecast.txt', data: text },
          { name: 'ü.txt', data: 'umlaut' },
        ],
        { dataDescriptor: true, comment: 'made by a test' },
      ),
    );
    assert.equal(files.get('input/forecast.txt')?.toString('utf8'), text);
    assert.equal(files.get('ü.txt')?.toString('utf8'), 'umlaut');
  });

  it('refuses what is not a zip, and corrupted or truncated entries', () => {
    assert.throws(() => listZip(Buffer.from('not a zip at all, just text')), ZipError);
    assert.throws(() => readZip(Buffer.from('not a zip at all, just text')), ZipError);
    const zip = createZip([{ name: 'a.txt', data: 'hello world' }]);
    const broken = Buffer.from(zip);
    broken[30 + 'a.txt'.length] ^= 0xff; // flip a byte of the data
    assert.throws(() => readZip(broken), /CRC mismatch/);
    assert.throws(() => readZip(zip.subarray(0, zip.length - 30)), ZipError);
  });

  it('caps the size of an entry, also against a header that understates it', () => {
    const zip = createZip([{ name: 'a.txt', data: 'hello world' }]);
    assert.throws(() => readZip(zip, { maxEntryBytes: 4 }), /a\.txt is too large \(11 bytes\)/);
    assert.equal(readZip(zip, { maxEntryBytes: 11 }).get('a.txt')?.toString(), 'hello world');
    // A deflate entry that inflates to more than its central directory says.
    const bomb = deflateZip([{ name: 'b.txt', data: 'x'.repeat(10_000) }]);
    const cd = bomb.readUInt32LE(bomb.length - 22 + 16);
    bomb.writeUInt32LE(100, cd + 24);
    assert.throws(() => readZip(bomb), /b\.txt: cannot inflate/);
  });

  it('caps the total uncompressed size and the entry count of one archive', () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: 'x'.repeat(100) }));
    const zip = createZip(files);
    // Each entry is fine alone; together they are more than the archive may hold.
    assert.throws(
      () => readZip(zip, { maxEntryBytes: 100, maxTotalBytes: 499 }),
      /archive too large \(500 bytes/,
    );
    assert.equal(readZip(zip, { maxTotalBytes: 500 }).size, 5);
    assert.throws(() => listZip(zip, { maxEntries: 4 }), /too many entries \(5; at most 4\)/);
    assert.throws(() => readZip(zip, { maxEntries: 4 }), ZipError);
    assert.equal(listZip(zip, { maxEntries: 5 }).length, 5);
    // The defaults apply without options: a central directory claiming 60,000 entries is refused.
    const many = Buffer.from(zip);
    many.writeUInt16LE(60_000, many.length - 22 + 10);
    assert.throws(() => listZip(many), /too many entries \(60000; at most 10000\)/);
  });

  it('checks entries against the standard CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });
});

describe('zip entry names written to disk (unsafeEntryName)', () => {
  it('accepts plain relative paths and refuses ones that leave their folder', () => {
    assert.equal(unsafeEntryName('plan.json'), undefined);
    assert.equal(unsafeEntryName('input/forecast.txt'), undefined);
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\b', 'a//b', './x', 'a\u0000b'])
      assert.ok(unsafeEntryName(bad), bad);
  });
});

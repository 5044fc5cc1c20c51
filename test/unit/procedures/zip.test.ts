import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { crc32, readZip, ZipError, zipText } from '../../../src/procedures/zip';
import { createZip } from '../../../src/sandbox/zip';

/** A zip with deflated entries, data descriptors and an archive comment (what common zip tools write). */
function deflatedZip(files: { name: string; text: string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const data = Buffer.from(f.text);
    const comp = deflateRawSync(data);
    const name = Buffer.from(f.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // UTF-8 + data descriptor: sizes 0 in the local header
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(name.length, 26);
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(crc, 4);
    desc.writeUInt32LE(comp.length, 8);
    desc.writeUInt32LE(data.length, 12);
    locals.push(local, name, comp, desc);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0808, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(comp.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    centrals.push(c, name);
    offset += 30 + name.length + comp.length + 16;
  }
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from('made by a test');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, end, comment]);
}

describe('procedures: zip reader', () => {
  it('reads stored entries written by the evidence pack writer', () => {
    const zip = createZip([
      { name: 'manifest.json', data: '{"run_id":"RUN-1"}' },
      { name: 'input/forecast.txt', data: 'Mo 06:00-14:00\n' },
    ]);
    const files = readZip(zip);
    assert.deepEqual(
      files.map((f) => f.name),
      ['manifest.json', 'input/forecast.txt'],
    );
    assert.equal(zipText(files, 'input/forecast.txt'), 'Mo 06:00-14:00\n');
    assert.equal(zipText(files, 'missing'), undefined);
  });

  it('reads deflated entries with data descriptors and an archive comment', () => {
    const text = 'Mo 06:00-14:00 5 Fahrer Depot Nord\n'.repeat(200);
    const files = readZip(
      deflatedZip([
        { name: 'input/forecast.txt', text },
        { name: 'ü.txt', text: 'umlaut' },
      ]),
    );
    assert.equal(zipText(files, 'input/forecast.txt'), text);
    assert.equal(zipText(files, 'ü.txt'), 'umlaut');
  });

  it('refuses corrupt archives with a ZipError', () => {
    assert.throws(() => readZip(Buffer.from('not a zip at all, just text')), ZipError);
    const zip = createZip([{ name: 'a.txt', data: 'hello world' }]);
    const broken = Buffer.from(zip);
    broken[30 + 'a.txt'.length] ^= 0xff; // flip a data byte
    assert.throws(() => readZip(broken), /CRC mismatch/);
    assert.throws(() => readZip(zip.subarray(0, zip.length - 30)), ZipError);
  });

  it('computes the standard CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });
});

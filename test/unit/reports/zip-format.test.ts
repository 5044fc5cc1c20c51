import assert from 'node:assert/strict';
import { crc32, deflateRawSync } from 'node:zlib';
import { findLine, forecastEntryName, forecastFromZip } from '../../../src/reports/evidence';
import { fmtDelta, fmtMs, fmtNumber, fmtTime, previousWeekId } from '../../../src/reports/format';
import { createZip } from '../../../src/sandbox/zip';
import { extractZipFile, listZip, readZip, ZipError } from '../../../src/shared/zip';

/** A zip with deflate entries, written the way Python's zipfile does (method 8). */
function deflateZip(files: { name: string; data: string }[]): Buffer {
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
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, comp);
    centrals.push(central, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
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
    assert.equal(readZip(zip).get('input/forecast.txt')?.toString(), FORECAST);
    assert.deepEqual(forecastFromZip(zip), { name: 'input/forecast.txt', text: FORECAST });
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

  it('refuses what is not a zip, and corrupted entries', () => {
    assert.throws(() => listZip(Buffer.from('not a zip at all, just text')), ZipError);
    const zip = createZip([{ name: 'a.txt', data: 'hello world' }]);
    const broken = Buffer.from(zip);
    broken[30 + 'a.txt'.length] ^= 0xff; // flip a byte of the data
    assert.throws(() => readZip(broken), /CRC mismatch/);
  });
});

describe('evidence helpers', () => {
  it('finds the forecast entry and the line of a violation', () => {
    assert.equal(
      forecastEntryName(['manifest.json', 'input/forecast.txt', 'plan.json']),
      'input/forecast.txt',
    );
    assert.equal(forecastEntryName(['x/forecast.csv']), 'x/forecast.csv');
    assert.equal(forecastEntryName(['a.json']), undefined);
    const audits = JSON.stringify(
      { v: [{ message: 'Driver "D-1" on T-0278' }, { message: 'other' }] },
      null,
      2,
    );
    assert.equal(findLine(audits, 'Driver "D-1" on T-0278'), 3);
    assert.equal(findLine(audits, 'nothing like it'), -1);
    assert.equal(findLine('a\nb T-0278 c\n', 'Tour T-0278 was changed in ways not in the file'), 1);
  });
});

describe('report formatting', () => {
  it('finds the previous ISO week, across year ends', () => {
    assert.equal(previousWeekId('2026-W48'), '2026-W47');
    assert.equal(previousWeekId('2026-W01'), '2025-W52');
    assert.equal(previousWeekId('2021-W01'), '2020-W53');
    assert.equal(previousWeekId('week 3'), undefined);
  });

  it('formats numbers, deltas, durations and times', () => {
    assert.equal(fmtNumber(0.9860001), '0.986');
    assert.equal(fmtNumber(null), '—');
    assert.equal(fmtDelta(146, 144), '+2 (+1.4 %)');
    assert.equal(fmtDelta(0.97, 1), '−0.03 (−3 %)');
    assert.equal(fmtDelta(5, 5), '±0');
    assert.equal(fmtDelta(5, null), '—');
    assert.equal(fmtMs(780), '780 ms');
    assert.equal(fmtMs(6200), '6.2 s');
    assert.equal(fmtTime('2026-11-16T08:00:00.000Z'), '2026-11-16 08:00 UTC');
    assert.equal(fmtTime('yesterday'), 'yesterday');
  });
});

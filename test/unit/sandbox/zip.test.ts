import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { createZip } from '../../../src/sandbox/zip';
import { readZip as readZipFiles } from '../../../src/shared/zip';

// The writer is checked by reading back with the extension's reader (one zip reader in the project).
const readZip = (zip: Buffer) => [...readZipFiles(zip)].map(([name, data]) => ({ name, data }));
import { buildEvidence, manifestRunId } from '../../../src/sandbox/evidence';

const pythonAvailable = spawnSync('python3', ['--version']).status === 0;

describe('sandbox zip writer (store-only)', () => {
  const files = [
    { name: 'manifest.json', data: '{"a":1}\n' },
    { name: 'input/forecast.txt', data: 'Mo 06:00-14:00 3 Fahrer Depot Nord\n' },
    { name: 'ümlaut/äöü.txt', data: Buffer.from([0, 1, 2, 255]) },
    { name: 'empty.txt', data: '' },
  ];
  const date = new Date('2026-01-13T10:20:30Z');

  it('writes the zip structure: local headers, central directory, end record', () => {
    const zip = createZip(files, date);
    assert.equal(zip.readUInt32LE(0), 0x04034b50);
    const eocd = zip.length - 22;
    assert.equal(zip.readUInt32LE(eocd), 0x06054b50);
    assert.equal(zip.readUInt16LE(eocd + 10), files.length);
    const cdOffset = zip.readUInt32LE(eocd + 16);
    const cdSize = zip.readUInt32LE(eocd + 12);
    assert.equal(cdOffset + cdSize, eocd);
    assert.equal(zip.readUInt32LE(cdOffset), 0x02014b50);
    // stored, with the CRC of the first file
    assert.equal(zip.readUInt16LE(8), 0);
    assert.equal(zip.readUInt32LE(14), crc32(Buffer.from(files[0].data as string)) >>> 0);
  });

  it('round-trips names (UTF-8) and bytes, and is deterministic', () => {
    const zip = createZip(files, date);
    const back = readZip(zip);
    assert.deepEqual(
      back.map((f) => f.name),
      files.map((f) => f.name),
    );
    back.forEach((f, i) => {
      const want = files[i].data;
      assert.deepEqual(f.data, typeof want === 'string' ? Buffer.from(want) : want);
    });
    assert.deepEqual(createZip(files, date), zip);
    assert.notDeepEqual(createZip(files, new Date('2026-01-14T00:00:00Z')), zip);
  });

  it('stores the modification time as DOS date/time', () => {
    const zip = createZip([{ name: 'a', data: 'x' }], date);
    const time = zip.readUInt16LE(10);
    const day = zip.readUInt16LE(12);
    assert.equal(time >> 11, 10);
    assert.equal((time >> 5) & 63, 20);
    assert.equal((time & 31) * 2, 30);
    assert.equal((day >> 9) + 1980, 2026);
    assert.equal((day >> 5) & 15, 1);
    assert.equal(day & 31, 13);
  });

  it('refuses unsafe or duplicate names', () => {
    assert.throws(() => createZip([{ name: '../x', data: '' }]), /invalid zip entry/);
    assert.throws(() => createZip([{ name: '/abs', data: '' }]), /invalid zip entry/);
    assert.throws(
      () =>
        createZip([
          { name: 'a', data: '' },
          { name: 'a', data: '' },
        ]),
      /duplicate/,
    );
  });

  it('readZip detects a corrupted file (CRC)', () => {
    const zip = createZip([{ name: 'a.txt', data: 'hello' }], date);
    const bad = Buffer.from(zip);
    bad[30 + 'a.txt'.length] ^= 0xff;
    assert.throws(() => readZip(bad), /CRC mismatch/);
  });

  it('is readable by an independent unzip (python zipfile, when python3 exists)', () => {
    if (!pythonAvailable) {
      assert.equal(readZip(createZip(files, date)).length, files.length);
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-zip-'));
    try {
      const file = path.join(dir, 'p.zip');
      writeFileSync(file, createZip(files, date));
      const out = execFileSync(
        'python3',
        [
          '-c',
          'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);print(z.testzip());print("|".join(z.namelist()));print(z.read("input/forecast.txt").decode())',
          file,
        ],
        { encoding: 'utf8' },
      );
      const [bad, names, content] = out.split('\n');
      assert.equal(bad, 'None');
      assert.equal(names, files.map((f) => f.name).join('|'));
      assert.equal(content, 'Mo 06:00-14:00 3 Fahrer Depot Nord');
      assert.ok(readFileSync(file).length > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sandbox evidence packs', () => {
  it('manifest run ids fit RUN-YYYYMMDD-XXXXXXXX', () => {
    assert.equal(manifestRunId('RUN-20260113-001'), 'RUN-20260113-00000001');
    assert.match(manifestRunId('weird'), /^RUN-00000000-[A-F0-9]{8}$/);
  });

  it('per-file checksums match the zipped files and the pack hash is the zip sha256', () => {
    const pack = buildEvidence({
      run_id: 'RUN-20260113-001',
      tenant_code: 'lts',
      site_code: 'wien',
      week_id: '2026-W03',
      created_at: '2026-01-13T10:00:00.000Z',
      forecast: 'Mo 06:00-14:00\n',
      plan: { assignments: [] },
      audits: [],
      kpis: { headcount: 1 },
      input_hash: `sha256:${'a'.repeat(64)}`,
      config_hash: `sha256:${'b'.repeat(64)}`,
      output_hash: null,
      seed: 94,
      status: 'AUDITED',
    });
    const files = readZip(pack.zip);
    assert.deepEqual(Object.keys(pack.checksums).sort(), files.map((f) => f.name).sort());
    assert.equal(pack.manifest.run_id, 'RUN-20260113-00000001');
  });
});

import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  isPrivateFile,
  UnsafePathError,
  writeFileSafe,
  writeFileSafeSync,
} from '../../../src/shared/safeWrite';

const posix = process.platform !== 'win32';

describe('safe file writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'safewrite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a planted link in place of the file and leaves its target alone', async () => {
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious', { mode: 0o644 });
    const file = path.join(dir, '.sandbox', 'credentials.json');
    mkdirSync(path.dirname(file));
    symlinkSync(victim, file);
    assert.throws(() => writeFileSafeSync(file, 'x', { private: true }), UnsafePathError);
    await assert.rejects(writeFileSafe(file, 'x'), UnsafePathError);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    if (posix) assert.equal(statSync(victim).mode & 0o777, 0o644);
  });

  it('writes owner-only files 0600 in a 0700 folder, through an unpredictable temp file', () => {
    const file = path.join(dir, 'cache', 'seed.json');
    writeFileSafeSync(file, '{"a":1}', { private: true });
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}');
    assert.deepEqual(readdirSync(path.dirname(file)), ['seed.json']); // no temp file left behind
    if (posix) {
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
      assert.equal(isPrivateFile(file), true);
      chmodSync(file, 0o644);
      assert.equal(isPrivateFile(file), false);
    }
    // A predictable `<file>.<pid>.tmp` planted as a link is never used.
    const planted = `${file}.${process.pid}.tmp`;
    symlinkSync(path.join(dir, 'elsewhere'), planted);
    writeFileSafeSync(file, 'v2', { private: true });
    assert.equal(readFileSync(file, 'utf8'), 'v2');
    assert.throws(() => statSync(path.join(dir, 'elsewhere')), /ENOENT/);
  });

  it('refuses a linked folder below the root (a symlinked .claude/state) and creates nothing through it', async () => {
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const ws = path.join(dir, 'ws');
    mkdirSync(path.join(ws, '.claude'), { recursive: true });
    symlinkSync(elsewhere, path.join(ws, '.claude', 'state'));
    const file = path.join(ws, '.claude', 'state', 'active-incidents.json');
    await assert.rejects(writeFileSafe(file, '{}', { root: ws }), /is a symbolic link/);
    assert.deepEqual(readdirSync(elsewhere), []);
    // Outside the root is refused as well.
    await assert.rejects(writeFileSafe(path.join(dir, 'x.json'), '{}', { root: ws }), /outside/);
  });

  it('keeps an existing workspace file mode', async () => {
    const file = path.join(dir, 'record.md');
    writeFileSync(file, 'old');
    if (posix) chmodSync(file, 0o640);
    await writeFileSafe(file, 'new', { root: dir });
    assert.equal(readFileSync(file, 'utf8'), 'new');
    if (posix) assert.equal(statSync(file).mode & 0o777, 0o640);
  });
});

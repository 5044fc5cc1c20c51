// bin/solvereign.js, the installed command: it runs dist/cli.js with a V8 code cache kept in the
// user's own cache folder. The cache may only ever make a start faster: same output, same exit
// code, nothing read from or written to a folder others can write, nothing left by a failed run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/solvereign.js');

describe('solvereign command: code cache (bin/solvereign.js)', function () {
  this.timeout(60_000);
  let home: string;

  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), ...env },
    });
  const cacheDir = () => path.join(home, 'cache', 'solvereign');
  const caches = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()) : []);

  before(() => {
    if (!existsSync(path.resolve(__dirname, '../../dist/cli.js')))
      throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm test does)');
  });
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'sv-cli-cache-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('writes one owner-only cache per command after a run that worked, then reuses it unchanged', () => {
    const first = run(['--version']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, 'solvereign 0.1.0\n');
    const files = caches();
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^cli-[0-9a-f]+-none\.bin$/);
    if (process.platform !== 'win32') {
      assert.equal(statSync(cacheDir()).mode & 0o777, 0o700);
      assert.equal(statSync(path.join(cacheDir(), files[0]!)).mode & 0o777, 0o600);
    }
    const before = readFileSync(path.join(cacheDir(), files[0]!));
    const second = run(['--version']);
    assert.equal(second.status, 0);
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(
      readFileSync(path.join(cacheDir(), files[0]!)),
      before,
      'an accepted cache is not rewritten',
    );
    const forecast = path.join(home, 'f.txt');
    writeFileSync(forecast, 'Mo 06:00-14:00\n');
    assert.equal(run(['--tenant', 'lts', 'forecast', 'check', forecast]).status, 0);
    assert.deepEqual(
      caches()
        .map((f) => f.replace(/^cli-[0-9a-f]+-/, ''))
        .sort(),
      ['forecast.bin', 'none.bin'],
      'named by the command word, not by a global option value',
    );
  });

  it('a damaged cache is rejected by V8 and replaced; the command runs as without one', () => {
    assert.equal(run(['--version']).status, 0);
    const file = path.join(cacheDir(), caches()[0]!);
    writeFileSync(file, Buffer.alloc(4096, 7));
    const r = run(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'solvereign 0.1.0\n');
    assert.notDeepEqual(readFileSync(file), Buffer.alloc(4096, 7), 'rewritten from this run');
  });

  it('a failed run, a folder others may write, or SOLVEREIGN_NO_COMPILE_CACHE=1 leave no cache', () => {
    const typo = run(['frobnicate']);
    assert.equal(typo.status, 1);
    assert.match(typo.stderr, /unknown command 'frobnicate'/);
    assert.deepEqual(caches(), []);

    const off = run(['--version'], { SOLVEREIGN_NO_COMPILE_CACHE: '1' });
    assert.equal(off.status, 0);
    assert.equal(existsSync(cacheDir()), false);

    if (process.platform !== 'win32') {
      mkdirSync(cacheDir(), { recursive: true });
      chmodSync(cacheDir(), 0o777);
      const open = run(['--version']);
      assert.equal(open.status, 0);
      assert.equal(open.stdout, 'solvereign 0.1.0\n');
      assert.deepEqual(caches(), [], 'nothing written into a world-writable folder');
    }
  });
});

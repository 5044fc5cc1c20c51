import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as S from '../../../src/api/schemas';
import type { DemoCredential } from '../../../src/sandbox/seed';
import { call, P } from './helpers';

const root = path.resolve(__dirname, '../../..');
const entry = path.join(root, 'dist', 'sandbox.js');

function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [entry, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^SOLVEREIGN sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      // Wait for the credentials table after the listening line.
      if (m && /platform@gurkerl\.demo/.test(out)) resolve({ child, url: m[1], out: () => out });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early (${code}): ${out}`)));
  });
}

/** The demo logins the sandbox recorded beside its database (its keys are random per database). */
function demoCredentials(db: string): DemoCredential[] {
  return JSON.parse(readFileSync(path.join(path.dirname(db), 'credentials.json'), 'utf8')).accounts;
}

function stopCli(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

describe('sandbox CLI (dist/sandbox.js)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    if (!existsSync(entry) || !existsSync(path.join(root, 'dist', 'sandbox-solver.js'))) {
      const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
      assert.equal(r.status, 0, 'build');
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-sandbox-cli-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the listening line and the demo credentials table, solves in a worker, stops on SIGTERM', async () => {
    const db = path.join(dir, 'cli.db');
    const { child, url, out } = await startCli(['--db', db, '--reset']);
    try {
      const lines = out().split('\n');
      assert.match(lines[0], /^SOLVEREIGN sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
      const creds = demoCredentials(db);
      assert.equal(creds.length, 12);
      for (const c of creds) {
        assert.ok(
          lines.some((l) => l.includes(c.email) && l.includes(c.api_key) && l.includes(c.role)),
          c.email,
        );
      }
      assert.match(out(), /password for every account: solvereign-demo/);
      const key = creds.find((c) => c.role === 'dispatcher' && c.tenant_code === 'lts')!.api_key;
      const created = await call({ url }, 'POST', '/api/v1/runs', {
        auth: key,
        body: { forecast: 'Mo 06:00-14:00 2 Fahrer\nDi 14:00-22:00\n', week: '2026-W20' },
      });
      assert.equal(created.status, 202);
      const res = await fetch(`${url}/api/v1/runs/${created.json.run_id}/stream`, {
        headers: { Authorization: `Bearer ${key}`, 'X-Tenant-Code': 'lts', 'X-Site-Code': 'wien' },
      });
      const text = await res.text();
      assert.match(text, /event: progress\ndata: .*"phase":"solving"/);
      assert.match(text, /event: complete\n/);
      const run = S.RunDetail.parse(
        (await call({ url }, 'GET', `${P}/runs/${created.json.run_id}`, { auth: key })).json,
      );
      assert.equal(run.kpis.total_tours, 3);
    } finally {
      assert.equal(await stopCli(child), 0, 'clean exit on SIGTERM');
    }
    // Restart: same data and demo keys, no reseed.
    const first = demoCredentials(db);
    const again = await startCli(['--db', db]);
    try {
      assert.match(again.out(), /existing data/);
      const kept = demoCredentials(db);
      assert.deepEqual(kept, first, 'a restart keeps the demo keys');
      const key = kept.find((c) => c.role === 'dispatcher' && c.tenant_code === 'lts')!.api_key;
      const list = S.RunList.parse(
        (await call({ url: again.url }, 'GET', `${P}/runs?limit=1`, { auth: key })).json,
      );
      assert.equal(list.runs[0].week_id, '2026-W20');
    } finally {
      assert.equal(await stopCli(again.child, 'SIGINT'), 0, 'clean exit on SIGINT');
    }
  });

  it('--help exits 0; a bad --port exits 2 with the usage', () => {
    const help = spawnSync(process.execPath, [entry, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--seed-runs N/);
    const bad = spawnSync(process.execPath, [entry, '--port', 'abc'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--port must be/);
  });

  it('a bad --min-pause site setting or --max-tours exits 2 and says what is expected', () => {
    const help = spawnSync(process.execPath, [entry, '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /--min-pause T\/S=N/);
    const pause = spawnSync(process.execPath, [entry, '--min-pause', 'wien=abc'], { encoding: 'utf8' });
    assert.equal(pause.status, 2);
    assert.match(pause.stderr, /--min-pause takes tenant\/site=minutes/);
    const tours = spawnSync(process.execPath, [entry, '--max-tours', '0'], { encoding: 'utf8' });
    assert.equal(tours.status, 2);
    assert.match(tours.stderr, /--max-tours must be a positive integer/);
  });
});

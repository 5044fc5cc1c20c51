// The `solvereign` CLI as a user runs it: a real process (dist/cli.js) against the sandbox on
// 127.0.0.1. Checks output, `--json` shapes and the exit codes 0 ok / 1 failed / 2 blocked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as S from '../../src/api/schemas';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';
import type { Role } from '../../src/shared/runbook';
import { CLI, type CliResult, spawnCli } from './cliProcess';

let sandbox: SandboxHandle;
let dir: string;

function run(
  args: string[],
  opts: { role?: Role; env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<CliResult> {
  const key = sandbox.demoCredentials.find(
    (d) => d.role === (opts.role ?? 'platform_admin') && d.tenant_code === 'lts',
  );
  return spawnCli(['--server', sandbox.url, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      SOLVEREIGN_API_KEY: key?.api_key,
      SOLVEREIGN_USER: 'cli-test',
      ...opts.env,
    },
    stdin: opts.stdin,
  });
}

describe('solvereign CLI against the sandbox (real process, real HTTP)', function () {
  this.timeout(60_000);

  before(async () => {
    if (!existsSync(CLI))
      throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm test does)');
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-cli-'));
    sandbox = await startSandbox({ dbPath: path.join(dir, 'db.sqlite'), port: 0, reset: true });
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('status prints the site status', async () => {
    const r = await run(['--site', 'wien', 'status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kill switch\s+off/);
    assert.match(r.stdout, /publish_enabled\s+yes/);
    assert.match(r.stdout, /latest run\s+RUN-/);
  });

  it('--json list-runs parses against the RunList schema', async () => {
    const r = await run(['--json', 'list-runs', '--limit', '5']);
    assert.equal(r.code, 0, r.stderr);
    const list = S.RunList.parse(JSON.parse(r.stdout));
    assert.equal(list.runs.length, 5);
  });

  it('list-runs filters by status and rejects a bad one', async () => {
    const ok = await run(['--json', 'list-runs', '--status', 'FAIL']);
    assert.ok(S.RunList.parse(JSON.parse(ok.stdout)).runs.every((x) => x.status === 'FAIL'));
    const bad = await run(['list-runs', '--status', 'MAYBE']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--status must be one of/);
  });

  it('show-run and its alias audit --run-id print the seven audits', async () => {
    const list = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--status', 'PASS'])).stdout));
    const id = list.runs[0]!.run_id;
    const a = await run(['show-run', id]);
    assert.equal(a.code, 0, a.stderr);
    for (const check of [
      'Coverage',
      'Overlap',
      'Rest',
      'SpanRegular',
      'SpanSplit',
      'Fatigue',
      'Reproducibility',
    ]) {
      assert.match(a.stdout, new RegExp(check));
    }
    const b = await run(['--json', 'audit', '--run-id', id]);
    assert.equal(S.RunDetail.parse(JSON.parse(b.stdout)).run_id, id);
  });

  it('health runs SP-001 and exits 0 when the API is healthy', async () => {
    const r = await run(['--json', 'health']);
    const body = JSON.parse(r.stdout);
    assert.equal(body.criteria.length, 3);
    assert.equal(body.criteria[0].verdict, 'PASS');
    assert.equal(r.code, body.verdict === 'FAIL' ? 1 : 0);
  });

  it('publish of a FAIL run is blocked with AUDIT_GATE_FAIL and exit 2', async () => {
    const list = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--status', 'FAIL'])).stdout));
    const r = await run(
      ['--json', 'publish', list.runs[0]!.run_id, '--reason', 'try to publish', '--role', 'dispatcher'],
      {
        role: 'dispatcher',
      },
    );
    assert.equal(r.code, 2);
    const body = JSON.parse(r.stdout);
    assert.equal(body.code, 'AUDIT_GATE_FAIL');
    assert.equal(body.resolution, 'Fix audit issues first');
  });

  it('publish by a read-only role is blocked before the server is asked (PERMISSION_DENIED, exit 2)', async () => {
    const list = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--status', 'PASS'])).stdout));
    const r = await run(
      ['publish', list.runs[0]!.run_id, '--reason', 'read-only tries', '--role', 'ops_readonly'],
      {
        role: 'ops_readonly',
      },
    );
    assert.equal(r.code, 2);
    assert.match(r.stdout, /BLOCKED PERMISSION_DENIED/);
    assert.match(r.stdout, /Check user permissions/);
  });

  it('publish and lock need a reason and a role', async () => {
    const r = await run(['publish', 'RUN-1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--reason/);
  });

  it('lock with a reason that is under 10 characters once trimmed is REASON_REQUIRED (exit 2), as publish is', async () => {
    const list = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--limit', '50'])).stdout));
    const published = list.runs.find((x) => x.published && !x.locked && x.status === 'PASS');
    assert.ok(published, 'a published, unlocked PASS run in the seed');
    const r = await run(
      ['--json', 'lock', published.run_id, '--reason', '   short    ', '--role', 'dispatcher'],
      {
        role: 'dispatcher',
      },
    );
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(JSON.parse(r.stdout).code, 'REASON_REQUIRED');
  });

  it('publish and lock refuse a short reason the same way, from the shared SP-003 definition (exit 2, REASON_REQUIRED)', async () => {
    const list = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--limit', '50'])).stdout));
    const unpublished = list.runs.find((x) => !x.published && x.status === 'PASS');
    const published = list.runs.find((x) => x.published && !x.locked && x.status === 'PASS');
    assert.ok(unpublished && published, 'an unpublished and a published, unlocked PASS run in the seed');
    const answers = await Promise.all(
      [
        ['publish', unpublished.run_id],
        ['lock', published.run_id],
      ].map(([action, id]) =>
        run(['--json', action!, id!, '--reason', 'too short', '--role', 'dispatcher'], {
          role: 'dispatcher',
        }),
      ),
    );
    for (const r of answers) {
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const body = JSON.parse(r.stdout);
      assert.equal(body.code, 'REASON_REQUIRED');
      assert.equal(body.where, 'pre-check');
      assert.match(body.detail, /at least 10 characters/);
    }
    const after = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--limit', '50'])).stdout));
    assert.equal(
      after.runs.find((x) => x.run_id === unpublished.run_id)?.published,
      false,
      'nothing was sent',
    );
  });

  it('publishing a published run is ALREADY_PUBLISHED: exit 0, changed false, never a fresh publish', async () => {
    const list = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--limit', '50'])).stdout));
    const published = list.runs.find((x) => x.published);
    assert.ok(published);
    const r = await run(
      ['--json', 'publish', published.run_id, '--reason', 'publish it again', '--role', 'dispatcher'],
      {
        role: 'dispatcher',
      },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.changed, false);
    assert.equal(body.code, 'ALREADY_PUBLISHED');
  });

  it('evidence RUN --out DIR downloads, verifies and unpacks; --verify-only writes nothing', async () => {
    const list = S.RunList.parse(JSON.parse((await run(['--json', 'list-runs', '--status', 'PASS'])).stdout));
    const id = list.runs[0]!.run_id;
    const out = path.join(dir, `evidence-${id}`);
    const r = await run(['--json', 'evidence', id, '--out', out]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.verified, true, body.problems?.join('; '));
    assert.equal(body.archive.header_matches, true);
    assert.ok(body.files.some((f: { verdict: string }) => f.verdict === 'match'));
    assert.ok(body.written.length > 1);
    for (const f of body.written) assert.ok(existsSync(f), f);
    assert.ok(existsSync(path.join(out, 'evidence.zip')));
    const again = await run(['evidence', id, '--out', out]);
    assert.equal(again.code, 1, 'an existing file is never overwritten');
    assert.match(again.stderr, /exists already/);
    const v = await run(['evidence', id, '--verify-only']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /VERIFIED/);
    assert.doesNotMatch(v.stdout, /wrote/);
  });

  it('kill-switch disable/enable in drill mode, verified by status', async () => {
    const off = await run(['kill-switch', 'disable', '--mode', 'drill', '--reason', 'CLI drill test'], {
      role: 'dispatcher',
    });
    assert.equal(off.code, 0, off.stderr);
    const st = await run(['--json', 'kill-switch', 'status']);
    assert.equal(st.code, 0, st.stderr);
    const s1 = JSON.parse(st.stdout);
    assert.equal(s1.kill_switch_active, true);
    assert.equal(s1.publish_enabled, false);
    const on = await run(['kill-switch', 'enable', '--mode', 'drill', '--reason', 'CLI drill test done'], {
      role: 'dispatcher',
    });
    assert.equal(on.code, 0, on.stderr);
    assert.equal(
      JSON.parse((await run(['--json', 'kill-switch', 'status'])).stdout).kill_switch_active,
      false,
    );
  });

  it('the emergency switch by a dispatcher is refused with exit 2 and the runbook action', async () => {
    const r = await run(['kill-switch', 'disable', '--mode', 'emergency', '--reason', 'not allowed for me'], {
      role: 'dispatcher',
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PERMISSION_DENIED/);
    assert.match(r.stderr, /Check user permissions/);
  });

  it('fire-drill runs SP-005 and reports PASS with both toggle times', async () => {
    const r = await run(['--json', 'fire-drill'], { role: 'dispatcher' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.result, 'PASS');
    assert.ok(body.disable_ms < 5000 && body.enable_ms < 5000);
    assert.ok(body.recorded_id);
  });

  it('fire-drill runs the shared SP-005 definition: a read-only key is PERMISSION_DENIED (exit 2), nothing toggled', async () => {
    const r = await run(['--json', 'fire-drill', '--reason', 'drill by read-only'], { role: 'ops_readonly' });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.result, 'BLOCKED');
    assert.match(body.error, /PERMISSION_DENIED/);
    assert.deepEqual(body.steps, []);
    const status = S.SystemStatus.parse(JSON.parse((await run(['--json', 'status'])).stdout));
    assert.equal(status.kill_switch_active, false);
  });

  it('drift check prints the verdict; BLOCK would exit 2', async () => {
    const r = await run(['--json', 'drift', 'check']);
    const d = S.DriftReport.parse(JSON.parse(r.stdout));
    assert.equal(r.code, d.verdict === 'BLOCK' ? 2 : 0);
  });

  it('forecast check reads standard input and exits 1 on FAIL lines', async () => {
    const r = await run(['--json', 'forecast', 'check', '-'], {
      stdin: 'Mo 06:00-14:00 2 Fahrer\nMo 25:00-26:00\n',
    });
    assert.equal(r.code, 1);
    const body = JSON.parse(r.stdout);
    assert.equal(body.verdict, 'FAIL');
    assert.equal(body.lines[1].verdict, 'FAIL');
    assert.ok(body.lines[1].codes.includes('INVALID_HOUR'));
  });

  it('solve --local runs the engine in-process', async () => {
    const file = path.join(dir, 'week.forecast');
    writeFileSync(file, 'Mo 06:00-14:00 3 Fahrer\nDi 06:00-14:00 3 Fahrer\nMi 14:00-22:00 2 Fahrer\n');
    const r = await run(['--json', 'solve', file, '--week', '2026-W03', '--local']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.match(JSON.stringify(body), /output_hash/);
  });

  it('solve refuses a FAIL forecast: BLOCKED, exit 2, the failing lines named; nothing solved', async () => {
    const file = path.join(dir, 'bad.forecast');
    writeFileSync(file, 'Mo 06:00-14:00 3 Fahrer\nFr 25:00-14:00 3 Fahrer\n');
    const local = await run(['solve', file, '--week', '2026-W03', '--local']);
    assert.equal(local.code, 2, local.stderr);
    assert.match(local.stdout, /BLOCKED/);
    assert.match(local.stdout, /line 2: INVALID_HOUR/);
    assert.match(local.stdout, /--drop-invalid/);
    const json = await run(['--json', 'solve', file, '--week', '2026-W03']);
    assert.equal(json.code, 2, 'the server path is refused before any request');
    assert.deepEqual(
      JSON.parse(json.stdout).failed_lines.map((l: { line: number }) => l.line),
      [2],
    );
  });

  it('solve --drop-invalid solves the rest and reports the dropped lines and tours', async () => {
    const file = path.join(dir, 'bad2.forecast');
    writeFileSync(file, 'Mo 06:00-14:00 3 Fahrer\nFr 25:00-14:00 3 Fahrer\n');
    const r = await run(['--json', 'solve', file, '--week', '2026-W03', '--local', '--drop-invalid']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.deepEqual(body.forecast.dropped, { lines: [2], tours: 3 });
    assert.equal(body.kpis.total_tours, 3);
  });

  it('solve on the server with --drop-invalid: the server solves the rest and the drop is reported', async () => {
    const file = path.join(dir, 'bad3.forecast');
    writeFileSync(file, 'Mo 06:00-14:00 3 Fahrer\nFr 25:00-14:00 3 Fahrer\n');
    const r = await run(['solve', file, '--week', '2026-W45', '--drop-invalid', '--min-pause', '30'], {
      role: 'dispatcher',
    });
    assert.match(r.stderr, /dropped 1 FAIL line\(s\) \(2\), 3 tour\(s\)/);
    assert.match(r.stdout, /RUN-/);
  });

  it('the CI CSV: forecast check reads it and solve --local gives a full plan', async () => {
    const csv = path.resolve(__dirname, '../fixtures/roster/forecast_ci_test.csv');
    const check = await run(['--json', 'forecast', 'check', csv]);
    assert.equal(check.code, 0, check.stderr);
    const c = JSON.parse(check.stdout);
    assert.equal(c.format, 'csv');
    assert.ok(c.tours > 50);
    const r = await run(['--json', 'solve', csv, '--week', '2026-W03', '--local', '--min-pause', '30']);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.coverage_percent, 100);
    assert.equal(body.assignments.length, c.tours);
    assert.ok(body.headcount > 0);
    const bad = await run(['solve', csv, '--week', '2025-W53', '--local']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /2025 has only 52 ISO weeks/);
  });

  it('audit-plan runs the seven audits on a plan file: a clean plan passes, an overlap fails', async () => {
    const tours = [
      { id: 'A', day: 1, start: '06:00', end: '14:00' },
      { id: 'B', day: 1, start: '10:00', end: '18:00' },
      { id: 'C', day: 2, start: '06:00', end: '14:00' },
    ];
    const good = path.join(dir, 'good-plan.json');
    const bad = path.join(dir, 'bad-plan.json');
    writeFileSync(
      good,
      JSON.stringify({
        tours,
        assignments: [
          { driver_id: 'D1', tour_id: 'A' },
          { driver_id: 'D2', tour_id: 'B' },
          { driver_id: 'D1', tour_id: 'C' },
        ],
      }),
    );
    writeFileSync(
      bad,
      JSON.stringify({
        tours,
        assignments: [
          { driver_id: 'D1', tour_id: 'A' },
          { driver_id: 'D1', tour_id: 'B' },
          { driver_id: 'D1', tour_id: 'C' },
        ],
      }),
    );
    const ok = await run(['--json', 'audit-plan', good]);
    const okAudits = JSON.parse(ok.stdout) as { check_name: string; status: string }[];
    assert.equal(okAudits.length, 7);
    assert.ok(
      okAudits.every((a) => a.status !== 'FAIL'),
      ok.stdout,
    );
    assert.equal(ok.code, 0);
    const failed = await run(['--json', 'audit-plan', bad]);
    assert.equal(failed.code, 1);
    const overlap = (JSON.parse(failed.stdout) as { check_name: string; status: string }[]).find(
      (a) => a.check_name === 'Overlap',
    );
    assert.equal(overlap?.status, 'FAIL');
  });

  it('without credentials it says how to provide them and never prints a key', async () => {
    const r = await run(['status'], { env: { SOLVEREIGN_API_KEY: undefined } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERR_AUTH_001/);
    assert.match(r.stderr, /SOLVEREIGN_API_KEY/);
  });

  it('refuses a credentials file others can read', async () => {
    const file = path.join(dir, 'creds.json');
    writeFileSync(file, JSON.stringify({ api_key: 'sv_secret_should_not_leak_123456' }));
    chmodSync(file, 0o644);
    const r = await run(['--credentials', file, 'status'], { env: { SOLVEREIGN_API_KEY: undefined } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /readable by others.*chmod 600/);
    assert.ok(!r.stderr.includes('sv_secret_should_not_leak_123456'));
    chmodSync(file, 0o600);
    const ok = await run(['--credentials', file, 'status'], { env: { SOLVEREIGN_API_KEY: undefined } });
    assert.equal(ok.code, 1); // a made-up key: the server refuses it
    assert.match(ok.stderr, /ERR_AUTH_001/);
    assert.ok(!ok.stderr.includes('sv_secret_should_not_leak_123456'));
  });

  it('an unreachable server exits 1 with what to do', async () => {
    const r = await run(['--server', 'http://127.0.0.1:9', 'status']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no answer from the server/);
  });

  it('sandbox starts the local sandbox with its own options (--port, --db, --quiet)', async () => {
    const db = path.join(dir, 'cli-sandbox.db');
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', '--db', db, '--quiet'], {
      cwd: dir,
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
      });
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      assert.ok(
        existsSync(path.join(dir, 'credentials.json')),
        'demo credentials written beside the database',
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('--version prints the version and exits 0, with or without a command', async () => {
    for (const args of [['--version'], ['--version', 'status']]) {
      const r = await run(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^solvereign \d+\.\d+\.\d+\n$/);
    }
  });

  it('unknown commands and options explain usage', async () => {
    const a = await run(['frobnicate']);
    assert.equal(a.code, 1);
    assert.match(a.stderr, /unknown command 'frobnicate'/);
    const b = await run(['status', '--bogus']);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /Usage: solvereign/);
  });
});

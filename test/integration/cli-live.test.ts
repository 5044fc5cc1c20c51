// The CLI against live SOLVEREIGN's captured answers (replayed on 127.0.0.1): every command ends
// with a correct, non-misleading outcome — OK, a correct block, or exit 3 "not offered by this
// server" with the fallback that works on live. Real process (dist/cli.js), real HTTP.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, type CliResult, spawnCli } from './cliProcess';
import { type LiveReplay, startLiveReplay } from './liveReplay';

function run(args: string[], cwd: string): Promise<CliResult> {
  return spawnCli(args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, SOLVEREIGN_USER: 'ops@lts.example' },
  });
}

describe('solvereign CLI against live (captured answers replayed)', function () {
  this.timeout(60_000);
  let live: LiveReplay;
  let healthy: LiveReplay;
  let dir: string;
  const cli = (args: string[], server = live.url) => run(['--server', server, ...args], dir);

  before(async () => {
    if (!existsSync(CLI))
      throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm test does)');
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-cli-live-'));
    [live, healthy] = await Promise.all([startLiveReplay(), startLiveReplay({ passOnly: true })]);
  });
  after(async () => {
    await Promise.all([live?.close(), healthy?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("status: a run with kpi_drift_status 'UNKNOWN' is shown as unknown, exit 0", async () => {
    const r = await cli(['status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /latest run\s+RUN-20260210-001 PASS .*drift unknown: server sent 'UNKNOWN'/);
  });

  it('list-runs: keeps the UNKNOWN-drift run and never prints the page size as a total', async () => {
    const r = await cli(['list-runs', '--limit', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /RUN-20260210-001 .*unknown: server sent 'UNKNOWN'/);
    assert.match(r.stdout, /the newest 5 runs \(this server does not say how many there are; raise --limit/);
    assert.doesNotMatch(r.stdout, /5 of 5 runs/);
    const j = JSON.parse((await cli(['--json', 'list-runs', '--limit', '5'])).stdout);
    assert.equal(j.runs.length, 5);
    assert.equal(j.total_known, false);
  });

  it('list-runs --offset on a server without offset: exit 3 with the limit that reaches those runs', async () => {
    const r = await cli(['list-runs', '--offset', '2', '--limit', '2']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /paging runs with offset: not offered by this server/);
    assert.match(r.stdout, /solvereign list-runs --limit 4 /);
    assert.doesNotMatch(r.stdout, /RUN-2026/, 'page 1 is not passed off as page 2');
  });

  it('health on a healthy live server: exit 0, nested readiness fine, the incidents step not offered', async () => {
    const r = await cli(['--json', 'health'], healthy.url);
    const body = JSON.parse(r.stdout);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(body.criteria[0].verdict, 'PASS', body.criteria[0].detail);
    assert.notEqual(body.verdict, 'FAIL');
    assert.match(body.criteria[2].detail, /server incidents: not offered by this server/);
    assert.ok(
      body.errors.some(
        (e: { step: string; not_offered?: boolean }) => e.step === 'server incidents' && e.not_offered,
      ),
    );
  });

  it("fire-drill: exit 3 'not offered' before anything is toggled (live's switch is global)", async () => {
    const before = live.requests.length;
    const r = await cli(['fire-drill']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /fire drill \(SP-005\): not offered by this server/);
    assert.match(r.stdout, /global/);
    assert.doesNotMatch(r.stdout + r.stderr, /FAIL/);
    // Only reads (and the capability probe of the session-refresh endpoint): nothing toggled or recorded.
    const posted = live.requests
      .slice(before)
      .filter((q) => q.startsWith('POST') && q !== 'POST /api/auth/refresh');
    assert.deepEqual(posted, [], 'nothing was posted');
  });

  it('kill-switch disable: exit 3 with the exact live command, filled in', async () => {
    const r = await cli([
      'kill-switch',
      'disable',
      '--mode',
      'emergency',
      '--reason',
      'Solver writes bad plans',
    ]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /python backend_py\/api\/services\/publish_gate\.py kill-switch --activate --by "ops@lts\.example" --reason "Solver writes bad plans"/,
    );
    assert.match(r.stdout, /every site/);
    const j = JSON.parse(
      (await cli(['--json', 'kill-switch', 'enable', '--mode', 'drill', '--reason', 'drill is over now']))
        .stdout,
    );
    assert.equal(j.not_offered, true);
    assert.match(j.fallback, /kill-switch --deactivate --by "ops@lts\.example" --reason "drill is over now"/);
  });

  it("drift check: exit 3 with live's detector command", async () => {
    const r = await cli(['drift', 'check']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /python -m backend_py\.skills\.kpi_drift check --tenant "lts" --pack roster/);
  });

  it("show-run of live's FAIL run shows what its free-form details hold", async () => {
    const r = await cli(['show-run', 'RUN-20260203-002']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Rest\s+FAIL\s+3\s+3 drivers with < 11h rest; drivers: D-017, D-044, D-101/);
  });

  it('without --server or SOLVEREIGN_SERVER the server named in ./.sandbox/credentials.json is used', async () => {
    mkdirSync(path.join(dir, '.sandbox'), { recursive: true });
    writeFileSync(
      path.join(dir, '.sandbox', 'credentials.json'),
      JSON.stringify({ server: live.url, tenant: 'lts', keys: {} }),
      { mode: 0o600 },
    );
    const before = live.requests.length;
    const r = await run(['status'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(live.requests.length > before, 'the demo server was asked');
    rmSync(path.join(dir, '.sandbox'), { recursive: true, force: true });
  });
});

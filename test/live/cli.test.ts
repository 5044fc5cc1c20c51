// The CLI against `--profile live` (SOLVEREIGN as deployed), signed in to nothing: every command
// ends correct and non-misleading — OK, a correct block (exit 2, CONTRACT.md's code), or "not
// offered by this server" (exit 3) with the fallback that works on live.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, type LiveSandbox, liveSandbox } from './helpers';

const KILL_SWITCH_FALLBACK =
  /python backend_py\/api\/services\/publish_gate\.py kill-switch --(activate|deactivate)(\|--deactivate)? --by \S+ --reason/;
const DRIFT_FALLBACK =
  /python -m backend_py\.skills\.kpi_drift check --tenant "?(lts|<tenant>)"? --pack roster/;

describe('CLI against --profile live (no credentials)', function () {
  this.timeout(60_000);
  let sb: LiveSandbox;
  // biome-ignore lint/suspicious/noExplicitAny: --json output is inspected freely
  let runs: any[];
  const run = (...args: string[]) => cli(sb.url, args);
  /** `--json publish|lock RUN --role dispatcher --reason …`, as the runbook's approver. */
  const approve = (action: 'publish' | 'lock', runId: string, reason: string) =>
    run('--json', action, runId, '--role', 'dispatcher', '--reason', reason);
  const pick = (
    pred: (r: { status: string; published: boolean; locked: boolean; kpi_drift_status: string }) => boolean,
  ) => {
    const r = runs.find(pred);
    assert.ok(r, 'a seeded run for this case');
    return r.run_id as string;
  };

  before(async () => {
    sb = await liveSandbox();
    const list = await run('--json', 'list-runs', '--limit', '100');
    assert.equal(list.code, 0, list.stderr);
    runs = list.json.runs;
  });
  after(async () => {
    await sb?.stop();
  });

  it('list-runs keeps the UNKNOWN drift value and never prints the page size as the total', async () => {
    assert.ok(
      runs.some((r) => r.kpi_drift_status === 'UNKNOWN'),
      'the UNKNOWN-drift run is listed',
    );
    const page = await run('list-runs', '--limit', '3');
    assert.equal(page.code, 0, page.stderr);
    assert.match(page.stdout, /UNKNOWN/);
    assert.doesNotMatch(page.stdout, /\b3 of 3 runs\b/, "live's total is the page size, not the site total");
  });

  it('list-runs --offset does not silently return page 1', async () => {
    const r = await run('--json', 'list-runs', '--offset', '2', '--limit', '2');
    if (r.code === 0) {
      assert.deepEqual(
        // biome-ignore lint/suspicious/noExplicitAny: --json output is inspected freely
        r.json.runs.map((x: any) => x.run_id),
        runs.slice(2, 4).map((x) => x.run_id),
        'runs 3 and 4, not page 1 again',
      );
    } else {
      assert.match(`${r.stdout}${r.stderr}`, /offset/i, 'says that offset paging is not offered');
    }
  });

  it('status: exit 0 with an UNKNOWN-drift latest run, kill switch off', async () => {
    const r = await run('--json', 'status');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.latest_run.kpi_drift_status, 'UNKNOWN');
    assert.equal(r.json.kill_switch_active, false);
  });

  it('health: the API criterion passes (nested readiness checks) and a missing incidents endpoint is no FAIL', async () => {
    const r = await run('--json', 'health');
    assert.ok(r.json, r.stderr);
    assert.equal(r.json.criteria[0].verdict, 'PASS', JSON.stringify(r.json.criteria[0]));
    const incidents = r.json.criteria[r.json.criteria.length - 1];
    assert.notEqual(incidents.verdict, 'FAIL', JSON.stringify(incidents));
    assert.equal(r.code, r.json.verdict === 'FAIL' ? 1 : 0);
  });

  it('health: a healthy live server exits 0; the re-run FAIL week shows as superseded, not as a FAIL', async () => {
    const r = await run('--json', 'health');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json.verdict, 'PASS', JSON.stringify(r.json.criteria));
    // biome-ignore lint/suspicious/noExplicitAny: --json output is inspected freely
    const recent = r.json.criteria.find((c: any) => c.id === 'runs');
    assert.equal(recent.verdict, 'PASS');
    assert.match(recent.detail, /RUN-\S+ FAIL superseded by RUN-\S+ \(PASS\)/);
  });

  it('show-run of a FAIL run shows what the free-form details hold and never claims no violations', async () => {
    const id = pick((r) => r.status === 'FAIL');
    const r = await run('show-run', id);
    assert.equal(r.code, 1, `a FAIL verdict is exit 1 ${r.stderr}`);
    assert.doesNotMatch(r.stdout, /no violations/i);
    const detail = await cli(sb.url, ['--json', 'show-run', id]);
    // biome-ignore lint/suspicious/noExplicitAny: --json output is inspected freely
    const failing = detail.json.audit_results.filter((a: any) => a.status === 'FAIL');
    assert.ok(failing.length > 0);
    for (const a of failing) assert.ok(r.stdout.includes(a.details.message), `shows "${a.details.message}"`);
  });

  it('publish: a short reason is REASON_REQUIRED, a FAIL run AUDIT_GATE_FAIL (exit 2)', async () => {
    const pass = pick((r) => r.kpi_drift_status === 'UNKNOWN');
    const short = await approve('publish', pass, 'too short');
    assert.equal(short.code, 2, short.stdout + short.stderr);
    assert.equal(short.json?.code, 'REASON_REQUIRED', short.stdout + short.stderr);
    const fail = pick((r) => r.status === 'FAIL');
    const blocked = await approve('publish', fail, 'weekly publish after review');
    assert.equal(blocked.code, 2, blocked.stdout + blocked.stderr);
    assert.equal(blocked.json.code, 'AUDIT_GATE_FAIL');
  });

  it('lock of an unpublished run is NOT_PUBLISHED before anything is sent (live would lock it)', async () => {
    const pass = pick(
      (r) => r.status === 'PASS' && !r.published && !r.locked && r.kpi_drift_status !== 'UNKNOWN',
    );
    const r = await approve('lock', pass, 'lock after publish review');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.json.code, 'NOT_PUBLISHED');
    const after = await run('--json', 'show-run', pass);
    assert.equal(after.json.locked, false, 'the run stayed unlocked');
  });

  it('publish, publish again (exit 0, changed:false), lock with a short reason (REASON_REQUIRED), lock', async () => {
    const id = pick((r) => r.kpi_drift_status === 'UNKNOWN');
    const ok = await approve('publish', id, 'weekly publish after review');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(ok.json.status, 'PUBLISHED');
    const again = await approve('publish', id, 'weekly publish after review');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json.status ?? again.json.code, 'ALREADY_PUBLISHED');
    assert.equal(again.json.changed, false);
    const short = await approve('lock', id, 'short');
    assert.equal(short.code, 2, short.stdout + short.stderr);
    assert.equal(short.json?.code, 'REASON_REQUIRED');
    const lock = await approve('lock', id, 'lock after publish review');
    assert.equal(lock.code, 0, lock.stdout + lock.stderr);
    assert.equal(lock.json.status, 'LOCKED');
  });

  it("with live's global kill switch on: status shows it, publish is FREEZE_ACTIVE, a locked run is ALREADY_LOCKED (exit 0)", async () => {
    sb.killSwitch(true);
    try {
      const st = await run('kill-switch', 'status');
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, /active|on/i);
      const pass = pick(
        (r) => r.status === 'PASS' && !r.published && !r.locked && r.kpi_drift_status !== 'UNKNOWN',
      );
      const pub = await approve('publish', pass, 'weekly publish after review');
      assert.equal(pub.code, 2, pub.stdout + pub.stderr);
      assert.equal(pub.json.code, 'FREEZE_ACTIVE');
      const locked = pick((r) => r.locked);
      const lock = await approve('lock', locked, 'lock after publish review');
      assert.equal(lock.code, 0, lock.stdout + lock.stderr);
      assert.equal(lock.json.status ?? lock.json.code, 'ALREADY_LOCKED');
      assert.equal(lock.json.changed, false);
    } finally {
      sb.killSwitch(false);
    }
  });

  it("kill-switch disable is not offered (exit 3) and names live's server-side script", async () => {
    const r = await run('kill-switch', 'disable', '--mode', 'drill', '--reason', 'fire drill test run');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /not offered by this server/);
    assert.match(r.stdout + r.stderr, KILL_SWITCH_FALLBACK);
  });

  it('kill-switch enable is not offered either (exit 3) with the --deactivate fallback', async () => {
    const r = await run('kill-switch', 'enable', '--mode', 'drill', '--reason', 'fire drill finished');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /publish_gate\.py kill-switch --deactivate/);
  });

  it('solve with an API key: the CRLF-framed stream ends with the run in the cockpit', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-live-solve-'));
    try {
      const file = path.join(dir, 'week.forecast');
      writeFileSync(file, 'Mo 06:00-14:00 2 Fahrer\nDi 06:00-14:00\n');
      const key = sb.demoCredentials.find((d) => d.role === 'dispatcher' && d.tenant_code === 'lts')!.api_key;
      const r = await cli(sb.url, ['--json', 'solve', file, '--week', '2026-W10'], {
        SOLVEREIGN_API_KEY: key,
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const shown = await run('--json', 'show-run', r.json.run_id);
      assert.equal(shown.json.run_id, r.json.run_id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("drift check is not offered (exit 3) and names live's detector", async () => {
    const r = await run('drift', 'check');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, DRIFT_FALLBACK);
  });

  it('fire-drill is not offered on live (exit 3), never a FAIL drill', async () => {
    const r = await run('fire-drill', '--reason', 'quarterly fire drill');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /not offered by this server/);
    assert.doesNotMatch(r.stdout, /fire drill: FAIL/);
  });

  it("evidence RUN --out DIR verifies live's layout (files outside the archive are no mismatch)", async () => {
    const id = pick((r) => r.status === 'FAIL');
    const out = mkdtempSync(path.join(os.tmpdir(), 'sv-live-ev-'));
    try {
      const r = await run('evidence', id, '--out', out);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /outside the archive/);
      assert.ok(
        readdirSync(out, { recursive: true })
          .map(String)
          .some((f) => f.endsWith('plan.json')),
      );
      const verify = await run('evidence', id, '--verify-only');
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as S from '../../../src/api/schemas';
import { readZip as readZipFiles } from '../../../src/shared/zip';
import { AUDIT_CHECKS } from '../../../src/shared/runbook';
import { call, P, sandbox, type TestSandbox, validateManifest, wienRuns } from './helpers';

const readZip = (zip: Buffer) => [...readZipFiles(zip)].map(([name, data]) => ({ name, data }));

const approver = (role: string, reason = 'Weekly plan approved by dispatch') => ({
  approver_id: `${role}@lts.demo`,
  approver_role: role,
  reason,
});

describe('sandbox: runs, publish, lock, repair, evidence', () => {
  let sb: TestSandbox;
  let disp: string;
  // biome-ignore lint/suspicious/noExplicitAny: run summaries
  let runs: any[];
  const find = (pred: (r: S.RunSummary) => boolean) => {
    const r = runs.find(pred);
    assert.ok(r, 'seeded run exists');
    return r as S.RunSummary;
  };

  before(async () => {
    sb = await sandbox();
    disp = sb.key('dispatcher');
    runs = await wienRuns(sb, disp);
  });
  after(async () => {
    await sb.stop();
  });

  it('seeds >= 12 weekly Wien runs mixing PASS/WARN/FAIL/BLOCKED/ERROR, newest first', () => {
    assert.ok(runs.length >= 12);
    const statuses = new Set(runs.map((r) => r.status));
    for (const s of ['PASS', 'WARN', 'FAIL', 'BLOCKED', 'ERROR']) assert.ok(statuses.has(s), s);
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i - 1].timestamp >= runs[i].timestamp);
    for (const r of runs) {
      assert.match(r.run_id, /^RUN-\d{8}-\d{3}$/);
      assert.match(r.week_id, /^\d{4}-W\d{2}$/);
      assert.equal(r.audit_total, 7);
    }
    assert.ok(runs.some((r) => r.published && r.locked));
    assert.ok(runs.some((r) => r.published && !r.locked));
    const err = find((r) => r.status === 'ERROR');
    assert.equal(err.error_code, 'ERR_SOLVE_001');
    const pass = runs.filter((r) => r.status === 'PASS');
    for (const r of pass) {
      assert.ok(r.headcount! >= 140 && r.headcount! <= 150, `headcount ${r.headcount}`);
      assert.equal(r.coverage_percent, 100);
    }
    assert.ok(
      runs.some((r) => (r.coverage_percent ?? 100) < 100),
      'one bad coverage week',
    );
  });

  it('GET /status parses as SystemStatus with the latest run', async () => {
    const r = await call(sb, 'GET', `${P}/status`, { auth: disp });
    assert.equal(r.status, 200);
    const s = S.SystemStatus.parse(r.json);
    assert.equal(s.kill_switch_active, false);
    assert.equal(s.publish_enabled, true);
    assert.equal(s.lock_enabled, true);
    assert.equal(s.latest_run?.run_id, runs[0].run_id);
    assert.ok(s.active_incidents >= 1, 'the seeded S2 incident is active');
  });

  it('GET /runs: limit, status filter, offset paging and validation', async () => {
    const page = S.RunList.parse((await call(sb, 'GET', `${P}/runs?limit=3`, { auth: disp })).json);
    assert.equal(page.runs.length, 3);
    assert.equal(page.total, runs.length);
    const next = S.RunList.parse((await call(sb, 'GET', `${P}/runs?limit=3&offset=3`, { auth: disp })).json);
    assert.deepEqual(
      next.runs.map((r) => r.run_id),
      runs.slice(3, 6).map((r) => r.run_id),
    );
    const fails = S.RunList.parse((await call(sb, 'GET', `${P}/runs?status=FAIL`, { auth: disp })).json);
    assert.ok(fails.runs.length >= 1);
    assert.ok(fails.runs.every((r) => r.status === 'FAIL'));
    assert.equal(fails.total, runs.filter((r) => r.status === 'FAIL').length);
    for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'status=NOPE', 'offset=-1']) {
      const r = await call(sb, 'GET', `${P}/runs?${bad}`, { auth: disp });
      assert.equal(r.status, 422, bad);
      const e = S.ErrorBody.parse(r.json);
      assert.equal(e.error, 'validation_error');
      assert.match(e.message, new RegExp(bad.split('=')[0]));
    }
  });

  it('GET /runs/{id} is a RunDetail with the 7 audits naming drivers, tours and days', async () => {
    // The duplicate-tours week: its failed audits name drivers (the hash-mismatch week's cannot).
    const fail = find((r) => r.status === 'FAIL' && /Duplicate tours/.test(r.notes ?? ''));
    const r = await call(sb, 'GET', `${P}/runs/${fail.run_id}`, { auth: disp });
    assert.equal(r.status, 200);
    const d = S.RunDetail.parse(r.json);
    assert.deepEqual(
      d.audit_results.map((a) => a.check_name),
      [...AUDIT_CHECKS],
    );
    const failed = d.audit_results.find((a) => a.status === 'FAIL')!;
    const details = S.AuditDetails.parse(failed.details);
    assert.ok(details.violations!.length >= 1);
    assert.equal(failed.violation_count, details.violations!.length);
    const v = details.violations![0];
    assert.match(v.driver_id ?? '', /^D-?\d{3}$/);
    assert.ok(v.tour_ids?.length);
    assert.ok(v.day);
    assert.match(d.input_hash ?? '', /^sha256:[a-f0-9]{64}$/);
    assert.match(d.evidence_hash ?? '', /^sha256:[a-f0-9]{64}$/);
    assert.equal(typeof d.kpis.fte_ratio, 'number');
    assert.equal(d.seed, 94);
  });

  it('an unknown run is 404 not_found naming the site', async () => {
    const r = await call(sb, 'GET', `${P}/runs/RUN-20990101-001`, { auth: disp });
    assert.equal(r.status, 404);
    const e = S.ErrorBody.parse(r.json);
    assert.equal(e.error, 'not_found');
    assert.equal(e.message, "Run 'RUN-20990101-001' not found for site wien");
  });

  it('publish of a FAIL run: 409 ERR_LOCK_002 "Cannot publish run with status: FAIL"', async () => {
    const fail = find((r) => r.status === 'FAIL' && !r.published);
    const r = await call(sb, 'POST', `${P}/runs/${fail.run_id}/publish`, {
      auth: disp,
      body: approver('dispatcher'),
    });
    assert.equal(r.status, 409);
    const e = S.ErrorBody.parse(r.json);
    assert.equal(e.message, 'Cannot publish run with status: FAIL');
    assert.equal(e.error, 'ERR_LOCK_002');
    assert.equal((e.details as { error_code: string }).error_code, 'AUDIT_GATE_FAIL');
    const blocked = find((r) => r.status === 'BLOCKED');
    const b = await call(sb, 'POST', `${P}/runs/${blocked.run_id}/publish`, {
      auth: disp,
      body: approver('dispatcher'),
    });
    assert.equal(b.status, 409);
    assert.equal(b.json.message, 'Cannot publish run with status: BLOCKED');
  });

  it('publish of a WARN run needs override_warn', async () => {
    const warn = find((r) => r.status === 'WARN' && !r.published);
    const no = await call(sb, 'POST', `${P}/runs/${warn.run_id}/publish`, {
      auth: disp,
      body: approver('dispatcher'),
    });
    assert.equal(no.status, 409);
    assert.match(no.json.message, /^Cannot publish run with status: WARN/);
    const yes = await call(sb, 'POST', `${P}/runs/${warn.run_id}/publish`, {
      auth: disp,
      body: { ...approver('dispatcher'), override_warn: true },
    });
    assert.equal(yes.status, 200);
    const p = S.PublishLockResponse.parse(yes.json);
    assert.equal(p.success, true);
    assert.equal(p.status, 'PUBLISHED');
  });

  it('publish needs a reason of >= 10 characters (422)', async () => {
    const pass = runs[0];
    const r = await call(sb, 'POST', `${P}/runs/${pass.run_id}/publish`, {
      auth: disp,
      body: approver('dispatcher', 'short'),
    });
    assert.equal(r.status, 422);
    assert.match(S.ErrorBody.parse(r.json).message, /reason/);
  });

  it('publish and lock take the shared reason rule: trimmed, >= 10 characters (422 at reason)', async () => {
    const pass = runs[0];
    for (const action of ['publish', 'lock']) {
      const padded = await call(sb, 'POST', `${P}/runs/${pass.run_id}/${action}`, {
        auth: disp,
        body: approver('dispatcher', '    ok     '),
      });
      assert.equal(padded.status, 422, action);
      assert.deepEqual(
        (S.ErrorBody.parse(padded.json).details as { fields: { field: string }[] }).fields.map(
          (f) => f.field,
        ),
        ['reason'],
        action,
      );
    }
    const short = await call(sb, 'POST', `${P}/runs/${pass.run_id}/lock`, {
      auth: disp,
      body: approver('dispatcher', 'ok'),
    });
    assert.equal(short.status, 422);
    assert.match(S.ErrorBody.parse(short.json).message, /reason: must be at least 10 characters/);
  });

  it('approver_role must be an approver role (422) and match the caller (403)', async () => {
    const pass = runs[0];
    const bad = await call(sb, 'POST', `${P}/runs/${pass.run_id}/publish`, {
      auth: disp,
      body: approver('tenant_admin'),
    });
    assert.equal(bad.status, 422);
    assert.match(bad.json.message, /approver_role/);
    const other = await call(sb, 'POST', `${P}/runs/${pass.run_id}/publish`, {
      auth: disp,
      body: approver('ops_lead'),
    });
    assert.equal(other.status, 403);
    assert.equal(other.json.error, 'PERMISSION_DENIED');
  });

  it('non-approver roles get 403 PERMISSION_DENIED on publish and lock', async () => {
    const pass = runs[0];
    for (const role of ['ops_readonly', 'operator_admin', 'tenant_admin'] as const) {
      for (const action of ['publish', 'lock']) {
        const r = await call(sb, 'POST', `${P}/runs/${pass.run_id}/${action}`, {
          auth: sb.key(role),
          body: approver('dispatcher'),
        });
        assert.equal(r.status, 403, `${role} ${action}`);
        assert.equal(S.ErrorBody.parse(r.json).error, 'PERMISSION_DENIED');
      }
    }
  });

  it('lock of an unpublished PASS run is a gate block (200, success:false, AUDIT_GATE_FAIL)', async () => {
    const pass = find((r) => r.status === 'PASS' && !r.published);
    const r = await call(sb, 'POST', `${P}/runs/${pass.run_id}/lock`, {
      auth: disp,
      body: approver('dispatcher'),
    });
    assert.equal(r.status, 200);
    const p = S.PublishLockResponse.parse(r.json);
    assert.equal(p.success, false);
    assert.equal(p.status, 'BLOCKED_PRE_CHECKS_FAILED');
    assert.equal(p.error_code, 'AUDIT_GATE_FAIL');
    assert.match(p.blocked_reason ?? '', /not published/);
  });

  it('publish then lock a PASS run; again = ALREADY_PUBLISHED / ALREADY_LOCKED; audited', async () => {
    const pass = runs[0];
    const pub = S.PublishLockResponse.parse(
      (
        await call(sb, 'POST', `${P}/runs/${pass.run_id}/publish`, {
          auth: disp,
          body: approver('dispatcher'),
        })
      ).json,
    );
    assert.equal(pub.status, 'PUBLISHED');
    assert.match(pub.audit_event_id ?? '', /^AE-\d+$/);
    assert.match(pub.evidence_hash ?? '', /^sha256:/);
    const again = S.PublishLockResponse.parse(
      (
        await call(sb, 'POST', `${P}/runs/${pass.run_id}/publish`, {
          auth: disp,
          body: approver('dispatcher'),
        })
      ).json,
    );
    assert.equal(again.status, 'ALREADY_PUBLISHED');
    assert.equal(again.success, true);
    const lead = sb.key('ops_lead');
    const lock = S.PublishLockResponse.parse(
      (await call(sb, 'POST', `${P}/runs/${pass.run_id}/lock`, { auth: lead, body: approver('ops_lead') }))
        .json,
    );
    assert.equal(lock.status, 'LOCKED');
    assert.equal(lock.success, true);
    const relock = await call(sb, 'POST', `${P}/runs/${pass.run_id}/lock`, {
      auth: lead,
      body: approver('ops_lead'),
    });
    assert.equal(relock.status, 200);
    const rl = S.PublishLockResponse.parse(relock.json);
    assert.equal(rl.status, 'ALREADY_LOCKED');
    assert.equal(rl.success, true);
    assert.equal(rl.error_code, 'ALREADY_LOCKED');
    const detail = S.RunDetail.parse(
      (await call(sb, 'GET', `${P}/runs/${pass.run_id}`, { auth: disp })).json,
    );
    assert.equal(detail.published_by, 'dispatcher@lts.demo');
    assert.equal(detail.locked_by, 'opslead@lts.demo');
    const auditId = Number(pub.audit_event_id!.slice(3));
    const entry = await call(sb, 'GET', `/api/v1/audit/${auditId}`, { auth: disp });
    const e = S.AuditEntryDetail.parse(entry.json);
    assert.equal(e.event_type, 'RUN_PUBLISHED');
    assert.equal(e.user_email, 'dispatcher@lts.demo');
    assert.equal((e.details as Record<string, unknown>).run_id, pass.run_id);
    assert.equal((e.details as Record<string, unknown>).reason, 'Weekly plan approved by dispatch');
  });

  it('platform_admin is an approver too', async () => {
    const g = S.RunList.parse(
      (
        await call(sb, 'GET', `${P}/runs?status=PASS`, {
          auth: sb.key('ops_readonly', 'gurkerl'),
          tenant: 'gurkerl',
        })
      ).json,
    );
    const pass = g.runs.find((r) => !r.published)!;
    const r = await call(sb, 'POST', `${P}/runs/${pass.run_id}/publish`, {
      auth: sb.key('platform_admin', 'gurkerl'),
      tenant: 'gurkerl',
      body: approver('platform_admin'),
    });
    assert.equal(r.status, 200);
    assert.equal(S.PublishLockResponse.parse(r.json).status, 'PUBLISHED');
  });

  it('repair queues a PENDING request counted in status; readonly may not', async () => {
    const run = runs[1];
    const body = {
      driver_id: 'D-042',
      driver_name: 'Max Muster',
      absence_type: 'sick',
      affected_tours: ['T-0101', 'T-0102'],
      urgency: 'high',
      notes: 'Called in sick at 05:10',
    };
    const r = await call(sb, 'POST', `${P}/runs/${run.run_id}/repair`, { auth: disp, body });
    assert.equal(r.status, 200);
    const rep = S.RepairResponse.parse(r.json);
    assert.match(rep.request_id, /^REP-\d{8}-[A-Z0-9]{6}$/);
    assert.equal(rep.status, 'PENDING');
    assert.equal(rep.run_id, run.run_id);
    const s = S.SystemStatus.parse((await call(sb, 'GET', `${P}/status`, { auth: disp })).json);
    assert.equal(s.pending_repairs, 1);
    const ro = await call(sb, 'POST', `${P}/runs/${run.run_id}/repair`, {
      auth: sb.key('ops_readonly'),
      body,
    });
    assert.equal(ro.status, 403);
    const invalid = await call(sb, 'POST', `${P}/runs/${run.run_id}/repair`, {
      auth: disp,
      body: { ...body, affected_tours: [], absence_type: 'holiday' },
    });
    assert.equal(invalid.status, 422);
    assert.match(invalid.json.message, /affected_tours/);
    assert.match(invalid.json.message, /absence_type/);
  });

  it('evidence zip: headers, checksum, files, manifest valid against run-manifest.schema.json', async () => {
    const run = find((r) => r.status === 'FAIL');
    const r = await call(sb, 'GET', `${P}/evidence/${run.run_id}`, { auth: disp });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/zip');
    assert.equal(r.headers.get('x-run-id'), run.run_id);
    const sha = createHash('sha256').update(r.bytes).digest('hex');
    assert.equal(r.headers.get('x-evidence-sha256'), sha);
    const detail = S.RunDetail.parse((await call(sb, 'GET', `${P}/runs/${run.run_id}`, { auth: disp })).json);
    assert.equal(detail.evidence_hash, `sha256:${sha}`);
    const files = readZip(r.bytes);
    const names = files.map((f) => f.name).sort();
    assert.deepEqual(names, ['audits.json', 'input/forecast.txt', 'kpis.json', 'manifest.json', 'plan.json']);
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')!.data.toString());
    assert.ok(validateManifest(manifest), JSON.stringify(validateManifest.errors));
    assert.equal(manifest.input_hash, detail.input_hash);
    assert.match(
      files.find((f) => f.name === 'input/forecast.txt')!.data.toString(),
      /^Mo \d\d:\d\d-\d\d:\d\d/m,
    );
    const sums = S.EvidenceChecksums.parse(
      (await call(sb, 'GET', `${P}/evidence/${run.run_id}/checksums`, { auth: disp })).json,
    );
    assert.equal(sums.run_id, run.run_id);
    for (const f of files) {
      assert.equal(sums.checksums[f.name], createHash('sha256').update(f.data).digest('hex'), f.name);
    }
  });

  it('the ERROR run has an evidence pack with error.json and a FAILED manifest', async () => {
    const run = find((r) => r.status === 'ERROR');
    const r = await call(sb, 'GET', `${P}/evidence/${run.run_id}`, { auth: disp });
    const files = readZip(r.bytes);
    const err = JSON.parse(files.find((f) => f.name === 'error.json')!.data.toString());
    assert.equal(err.error_code, 'ERR_SOLVE_001');
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')!.data.toString());
    assert.equal(manifest.status, 'FAILED');
    assert.ok(validateManifest(manifest));
  });

  it('evidence of an unknown run is 404', async () => {
    const r = await call(sb, 'GET', `${P}/evidence/RUN-20990101-001`, { auth: disp });
    assert.equal(r.status, 404);
    assert.equal(r.json.error, 'not_found');
  });
});

// The engine never publishes a run with a non-PASS audit (its WARN weeks are drift WARNs with all
// seven audits PASS), so this gate is exercised on the synthetic seed's override-published
// Fatigue WARN week.
describe('sandbox: lock gate on the synthetic seed', () => {
  let sb: TestSandbox;
  // biome-ignore lint/suspicious/noExplicitAny: run summaries
  let runs: any[];
  const find = (pred: (r: S.RunSummary) => boolean) => {
    const r = runs.find(pred);
    assert.ok(r, 'seeded run exists');
    return r as S.RunSummary;
  };
  before(async () => {
    sb = await sandbox({ seedEngine: 'synthetic' });
    runs = await wienRuns(sb, sb.key('dispatcher'));
  });
  after(async () => {
    await sb.stop();
  });

  it('lock of a published run with a non-PASS audit is blocked (AUDIT_GATE_FAIL)', async () => {
    const warnPublished = find((r) => r.status === 'WARN' && r.published && r.audit_pass_count < 7);
    const r = await call(sb, 'POST', `${P}/runs/${warnPublished.run_id}/lock`, {
      auth: sb.key('dispatcher'),
      body: approver('dispatcher'),
    });
    const p = S.PublishLockResponse.parse(r.json);
    assert.equal(r.status, 200);
    assert.equal(p.success, false);
    assert.equal(p.status, 'BLOCKED_PRE_CHECKS_FAILED');
    assert.equal(p.error_code, 'AUDIT_GATE_FAIL');
    assert.match(p.blocked_reason ?? '', /Fatigue/);
  });
});

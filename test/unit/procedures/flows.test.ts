// The procedures end to end against an in-process sandbox (real HTTP, real database, fault
// injection), with a host that stands in for VS Code.
import assert from 'node:assert/strict';
import { SolvereignApiError } from '../../../src/api/errors';
import type { RunSummary } from '../../../src/api/schemas';
import { BACK, type InputPrompt, type PickPrompt } from '../../../src/procedures/engine/engine';
import { IncidentFile } from '../../../src/api/schemas';
import { sp001 } from '../../../src/procedures/flows/sp001';
import { sp002 } from '../../../src/procedures/flows/sp002';
import { sp003Lock, sp003Publish } from '../../../src/procedures/flows/sp003';
import { sp004 } from '../../../src/procedures/flows/sp004';
import { sp005 } from '../../../src/procedures/flows/sp005';
import { sp006Kill, sp006Recover } from '../../../src/procedures/flows/sp006';
import { dailyStatus, weeklyReport } from '../../../src/procedures/flows/routines';
import type { ProcedureCapabilities } from '../../../src/procedures/context';
import { runProcedure } from '../../../src/procedures/runner';
import { type World, world } from './fakeHost';
import { ScriptPrompter } from './scriptPrompter';

const P = '/api/v1/platform/dispatcher';

describe('procedures against the sandbox', function () {
  this.timeout(60_000);
  let w: World;
  let runs: RunSummary[];
  const byNote = (re: RegExp) => {
    const r = runs.find((x) => re.test(x.notes ?? ''));
    if (!r) throw new Error(`no seeded run with notes ${re}`);
    return r;
  };
  const ids = (steps: { id: string }[]) => steps.map((s) => s.id);
  const status = () => w.client('platform_admin').status();

  before(async () => {
    w = await world();
    runs = (await w.client('platform_admin').listRuns({ limit: 100 })).runs;
  });
  after(async () => {
    await w?.stop();
  });
  afterEach(async () => {
    // Leave the site enabled for the next test, whatever happened.
    const s = await status();
    if (s.kill_switch_active) {
      await w.client('platform_admin').killSwitch({
        action: 'enable',
        mode: 'emergency',
        reason: 'test cleanup after test',
        rca_ref: 'RCA-TEST',
      });
    }
    await fetch(`${w.sb.url}/__sandbox/faults`, { method: 'DELETE' });
    w.host.alarm = undefined;
    w.host.workspace = true;
    w.host.workspaceIncidents = [];
    w.host.workspaceError = undefined;
  });

  describe('SP-001 Health Check', () => {
    it('gives a verdict per success criterion and overall, and writes the record', async () => {
      const r = await w.run(sp001, 'ops_readonly');
      const criteria = r.criteria as { id: string; verdict: string; detail: string }[];
      assert.deepEqual(
        criteria.map((c) => c.id),
        ['api', 'runs', 'incidents'],
      );
      assert.equal(criteria[0]?.verdict, 'PASS');
      assert.equal(criteria[2]?.verdict, 'PASS', 'the seeded active incident is S2');
      // The last five seeded runs include WARN and FAIL weeks.
      assert.equal(criteria[1]?.verdict, 'FAIL');
      assert.match(criteria[1]?.detail ?? '', /SP-002/);
      assert.equal(r.result, 'FAIL');
      assert.deepEqual(ids(r.steps), [
        'health-calls',
        'criterion-api',
        'criterion-runs',
        'criterion-incidents',
      ]);
      assert.ok(r.recordPath?.endsWith('-sp-001-health-check.md'));
      assert.equal(w.host.files.get(r.recordPath as string), r.record);
      assert.match(r.record, /## Success criteria/);
      assert.match(r.record, /## Last 5 runs/);
    });

    it('an active S1 in the workspace file stops the line', async () => {
      w.host.workspaceIncidents = IncidentFile.parse({
        incidents: [
          {
            id: 'INC-20260305-ABC123',
            type: 'stability',
            severity: 'S1',
            status: 'active',
            summary: 'Lock broken',
            created_at: new Date().toISOString(),
          },
        ],
      }).incidents;
      const r = await w.run(sp001, 'ops_readonly');
      const inc = (r.criteria as { id: string; verdict: string; detail: string }[])[2];
      assert.equal(inc?.verdict, 'FAIL');
      assert.match(inc?.detail ?? '', /INC-20260305-ABC123 S1 \(workspace\)/);
    });

    it('a schema-violating answer is a failed criterion with the field named, not a crash', async () => {
      await w.fault({
        path_prefix: `${P}/runs`,
        method: 'GET',
        status: 200,
        body: '{"runs": [{"run_id": 5}], "total": "x"}',
      });
      const r = await w.run(sp001, 'ops_readonly');
      const runsC = (r.criteria as { id: string; verdict: string; detail: string }[])[1];
      assert.equal(runsC?.verdict, 'FAIL');
      // One odd run is left out of a list; a list without a numeric total is no answer at all.
      assert.match(runsC?.detail ?? '', /unexpected answer: field total/);
      assert.equal(r.error, undefined);
    });

    it('with no workspace folder the record stays in memory', async () => {
      w.host.workspace = false;
      const r = await w.run(sp001, 'ops_readonly');
      assert.equal(r.recordPath, undefined);
      assert.equal(r.recordInMemory, true);
      assert.match(r.record, /^# SP-001 Health Check/);
    });
  });

  describe('SP-003 Publish / Lock', () => {
    it('Back at the reason prompt returns to the run picker and the run chosen last is the one sent', async () => {
      const latest = runs.find((r) => r.status === 'PASS' && !r.published) as RunSummary;
      const warn = byNote(/Headcount above baseline/);
      const p = new ScriptPrompter([
        latest.run_id,
        BACK,
        warn.run_id,
        true,
        'the warn week reviewed',
        (q: PickPrompt<unknown> | InputPrompt) => {
          assert.match(
            q.placeholder ?? '',
            new RegExp(
              `Run: ${warn.run_id} · Action: publish · Reason: the warn week reviewed · As: .*dispatcher.* · WARN override: yes`,
            ),
          );
          return false;
        },
      ]);
      const r = await w.run(sp003Publish, 'dispatcher', { answers: undefined, prompter: p });
      assert.deepEqual(
        p.seen.map((x) => [x.kind, x.canGoBack]),
        [
          ['pick', false],
          ['input', true],
          ['pick', false],
          ['pick', true],
          ['input', true],
          ['pick', true],
        ],
        'run, reason, Back -> run picker again, override, reason, confirm',
      );
      assert.deepEqual(p.seen[2]?.shown, p.seen[0]?.shown, 'the same runs are offered again');
      assert.equal(r.result, 'CANCELLED', 'No at the confirmation');
      assert.equal(r.steps[0]?.id, 'run');
      assert.equal(r.steps[0]?.detail, warn.run_id, 'the record keeps the run row');
      assert.ok(!ids(r.steps).includes('execute'));
      const c = w.client('dispatcher');
      assert.equal((await c.getRun(warn.run_id)).published, false, 'nothing sent');
      assert.equal((await c.getRun(latest.run_id)).published, false, 'run A was not published either');
    });

    it('a FAIL run id typed in the picker gets an answer: blocked with the reason', async () => {
      const failed = byNote(/Hash mismatch/);
      const r = await w.run(sp003Publish, 'dispatcher', {
        answers: undefined,
        prompter: new ScriptPrompter([failed.run_id]),
      });
      assert.equal(r.result, 'BLOCKED');
      assert.match(String(r.headline), /^BLOCKED — AUDIT_GATE_FAIL: .*FAIL.*\. Fix audit issues first\.$/);
    });

    it('without a session (live cockpit) the approver is asked for (or given as arguments) and role-checked, never guessed', async () => {
      const latest = runs.find((r) => r.status === 'PASS' && !r.published) as RunSummary;
      const noSession = { ...w.env('dispatcher'), who: {} };
      const denied = await runProcedure(sp003Publish, noSession, {
        runId: latest.run_id,
        answers: { reason: 'Weekly plan approved by dispatch' },
      });
      // Without a session and without the arguments the approver is asked for, never guessed or denied.
      const asked = denied.steps.at(-1);
      assert.equal(asked?.id, 'approverId');
      assert.match(asked?.detail ?? '', /no answer for "approverId"/);
      assert.ok(!ids(denied.steps).includes('execute'), 'nothing sent');
      const wrongRole = await runProcedure(sp003Publish, noSession, {
        runId: latest.run_id,
        answers: {
          reason: 'Weekly plan approved by dispatch',
          approverId: 'l1@lts.demo',
          approverRole: 'ops_readonly',
        },
      });
      assert.equal(wrongRole.code, 'PERMISSION_DENIED');
      const pub = await runProcedure(sp003Lock, noSession, {
        runId: latest.run_id,
        answers: { reason: 'lock before publish', approverId: 'eva@lts.demo', approverRole: 'ops_lead' },
      });
      assert.equal(pub.code, 'NOT_PUBLISHED', pub.summary.join('\n'));
      assert.match(
        pub.steps.find((x) => x.id === 'role')?.detail ?? '',
        /ops_lead\) may lock/,
        'the approver role given passes the role check',
      );
    });

    it('a scripted reason that is too short: BLOCKED REASON_REQUIRED, nothing sent', async () => {
      const latest = runs.find((r) => r.status === 'PASS' && !r.published) as RunSummary;
      const r = await w.run(sp003Publish, 'dispatcher', {
        runId: latest.run_id,
        answers: { reason: ' ok ' },
      });
      assert.equal(r.result, 'BLOCKED', r.summary.join('\n'));
      assert.equal(r.code, 'REASON_REQUIRED');
      assert.match(
        String(r.headline),
        /^BLOCKED — REASON_REQUIRED: the reason must be at least 10 characters/,
      );
      assert.ok(!ids(r.steps).includes('execute'));
      assert.equal((await w.client('dispatcher').getRun(latest.run_id)).published, false, 'nothing sent');
    });

    it('publishes and then locks the latest PASS run, with the reason in the audit trail and record', async () => {
      const latest = runs.find((r) => r.status === 'PASS' && !r.published) as RunSummary;
      const pub = await w.run(sp003Publish, 'dispatcher', {
        runId: latest.run_id,
        answers: { reason: 'Weekly plan approved by dispatch' },
      });
      assert.equal(pub.result, 'PUBLISHED', pub.summary.join('\n'));
      assert.deepEqual(ids(pub.steps), [
        'audits',
        'freeze',
        'role',
        'gate',
        'reason',
        'confirm',
        'execute',
        'verify',
      ]);
      assert.equal(pub.changed, true);
      assert.match(
        pub.record,
        /\| run published \|/,
        'the server audit event of the window is in the record',
      );
      const lock = await w.run(sp003Lock, 'ops_lead', {
        runId: latest.run_id,
        answers: { reason: 'Week locked for dispatch' },
      });
      assert.equal(lock.result, 'LOCKED', lock.summary.join('\n'));
      const again = await w.run(sp003Lock, 'ops_lead', {
        runId: latest.run_id,
        answers: { reason: 'Week locked for dispatch' },
      });
      assert.equal(again.result, 'ALREADY_LOCKED', 'nothing to do is not a block');
      assert.equal(again.changed, false);
      assert.ok(!ids(again.steps).includes('execute'), 'nothing is sent');
    });

    it('republishing is reported as ALREADY_PUBLISHED (checked first, nothing sent), never as published', async () => {
      const published = runs.find((r) => r.status === 'PASS' && r.published && !r.locked) as RunSummary;
      const r = await w.run(sp003Publish, 'dispatcher', {
        runId: published.run_id,
        answers: { reason: 'publish it once more' },
      });
      assert.equal(r.result, 'ALREADY_PUBLISHED');
      assert.equal(r.changed, false);
      assert.deepEqual(ids(r.steps), ['audits']);
      assert.match(
        String(r.headline),
        /^ALREADY_PUBLISHED: .* already published: nothing changed, nothing was sent/,
      );
    });

    it('a server answering ALREADY_PUBLISHED is recorded as such, not as a fresh publish', async () => {
      const warn = byNote(/Headcount above baseline/);
      await w.fault({
        path_prefix: `${P}/runs/${warn.run_id}/publish`,
        method: 'POST',
        status: 200,
        body: JSON.stringify({
          success: true,
          run_id: warn.run_id,
          status: 'ALREADY_PUBLISHED',
          message: 'already published',
        }),
      });
      const r = await w.run(sp003Publish, 'dispatcher', {
        runId: warn.run_id,
        answers: { reason: 'publish the warn plan', overrideWarn: true },
      });
      assert.equal(r.result, 'ALREADY_PUBLISHED');
      assert.equal(r.changed, false);
      assert.match(r.summary.join('\n'), /the server answered so/);
    });

    it('the run is read again just before sending: a change during the confirmation sends nothing', async () => {
      const warn = byNote(/Headcount above baseline/);
      const since = new Date().toISOString();
      const p = new ScriptPrompter([
        true,
        'the warn week reviewed',
        async () => {
          // Someone else publishes it while the confirmation is open.
          await w.client('ops_lead').publish(warn.run_id, {
            approver_id: 'other@lts.example',
            approver_role: 'ops_lead',
            reason: 'published by someone else',
            override_warn: true,
          });
          return true;
        },
      ]);
      const r = await w.run(sp003Publish, 'dispatcher', {
        runId: warn.run_id,
        answers: undefined,
        prompter: p,
      });
      assert.equal(r.result, 'ALREADY_PUBLISHED');
      assert.match(
        r.steps.find((s) => s.id === 'execute')?.detail ?? '',
        /changed since you confirmed .*published false -> true.*nothing sent/,
      );
      const pubs = (await w.client('platform_admin').audit({ from_date: since, limit: 200 })).entries.filter(
        (e) => e.event_type === 'RUN_PUBLISHED',
      );
      assert.deepEqual(
        pubs.map((e) => e.user_email),
        [w.sb.demoCredentials.find((d) => d.role === 'ops_lead' && d.tenant_code === 'lts')?.email],
        'only the other publish reached the server',
      );
    });
  });

  describe('SP-005 Fire Drill', () => {
    it('PASS: both toggles timed and verified, recorded on the server and in the record', async () => {
      w.host.commands.set('solvereign.openFireDrillHistory', () => undefined);
      const r = await w.run(sp005, 'dispatcher', { answers: { reason: 'Monday drill for the history' } });
      w.host.commands.clear();
      assert.equal(r.result, 'PASS', r.summary.join('\n'));
      const recorded = (await w.client('dispatcher').fireDrills()).drills.find((d) => d.id === r.drillId);
      assert.equal(recorded?.notes, 'Monday drill for the history', 'the reason is in the drill history');
      assert.equal(
        w.host.executed.at(-1)?.id,
        'solvereign.openFireDrillHistory',
        'the drill history webview opens when the Reports area has it',
      );
      assert.equal(typeof r.disableMs, 'number');
      assert.equal(typeof r.enableMs, 'number');
      assert.equal(r.verifiedDisabled, true);
      assert.equal(r.verifiedEnabled, true);
      assert.match(String(r.drillId), /.+/);
      for (const id of [
        'drill-pre-check',
        'drill-disable',
        'drill-verify-disabled',
        'drill-enable',
        'drill-verify-enabled',
        'drill-record',
      ]) {
        assert.ok(ids(r.steps).includes(id), `${id} recorded`);
      }
      assert.match(r.record, /## Drill times/);
      assert.equal((await status()).kill_switch_active, false);
    });

    it('is BLOCKED when the kill switch is already active, and does not touch it', async () => {
      await w
        .client('ops_lead')
        .killSwitch({ action: 'disable', mode: 'emergency', reason: 'EMERGENCY: test stop' });
      const r = await w.run(sp005, 'dispatcher', { answers: {} });
      assert.equal(r.result, 'BLOCKED');
      assert.equal((await status()).kill_switch_mode, 'emergency');
    });

    it('a wrong role is blocked', async () => {
      const r = await w.run(sp005, 'ops_readonly', { answers: {} });
      assert.equal(r.result, 'BLOCKED');
      assert.match(r.steps[0]?.detail ?? '', /PERMISSION_DENIED/);
    });

    it('the server dying after the disable raises the alarm, drafts an incident, and a retry recovers', async () => {
      const real = w.client('dispatcher');
      const dying = Object.create(real) as typeof real;
      let killed = false;
      dying.killSwitch = async (body, o) => {
        if (body.action === 'enable') {
          killed = true;
          throw new SolvereignApiError({
            kind: 'network',
            endpoint: 'POST /kill-switch',
            serverMessage: 'ECONNREFUSED',
          });
        }
        return real.killSwitch(body, o);
      };
      dying.status = async (o) => {
        if (killed)
          throw new SolvereignApiError({
            kind: 'network',
            endpoint: 'GET /status',
            serverMessage: 'ECONNREFUSED',
          });
        return real.status(o);
      };
      dying.createIncident = async () => {
        throw new SolvereignApiError({
          kind: 'network',
          endpoint: 'POST /incidents',
          serverMessage: 'ECONNREFUSED',
        });
      };
      const r = await w.run(sp005, 'dispatcher', { answers: {} }, { client: dying });
      assert.equal(r.result, 'FAIL');
      assert.equal(r.alarm, true);
      assert.match(w.host.alarm?.text ?? '', /publish\/lock frozen/);
      assert.deepEqual(w.host.alarm?.command?.arguments, [{ retryEnable: true }]);
      assert.equal(
        r.incidentWhere,
        'workspace',
        'the server is down: the incident goes to the workspace file',
      );
      assert.equal(w.host.workspaceIncidents[0]?.severity, 'S1');
      assert.ok(w.host.notes.some((n) => n.level === 'error' && n.actions.includes('Retry Enable')));
      assert.match(r.summary.join('\n'), /ALARM/);
      assert.equal((await status()).kill_switch_active, true, 'the site really is frozen');

      const retry = await w.run(sp005, 'dispatcher', { answers: { retryEnable: true } });
      assert.equal(retry.result, 'RECOVERED');
      assert.equal(w.host.alarm, undefined);
      assert.equal((await status()).kill_switch_active, false);
    });
  });

  describe('SP-006 Emergency Kill Switch', () => {
    it('checks the role first: a dispatcher is blocked before anything is asked', async () => {
      const r = await w.run(sp006Kill, 'dispatcher', {
        answers: { reason: 'security incident in progress', confirmSite: 'wien' },
      });
      assert.equal(r.result, 'BLOCKED');
      assert.deepEqual(ids(r.steps), ['role']);
      assert.equal((await status()).kill_switch_active, false);
    });

    it('typing the wrong site name does not execute', async () => {
      const r = await w.run(sp006Kill, 'ops_lead', {
        answers: { reason: 'security incident in progress', confirmSite: 'graz' },
      });
      assert.equal(r.result, 'ERROR');
      assert.match(r.error?.message ?? '', /type exactly "wien"/);
      assert.equal((await status()).kill_switch_active, false);
    });

    it('executes, creates the S1 incident and the stakeholder notice; recovery needs the Platform Lead and an RCA', async () => {
      const r = await w.run(sp006Kill, 'ops_lead', {
        answers: { reason: 'Security incident: leaked API key', confirmSite: 'wien' },
      });
      assert.equal(r.result, 'EXECUTED', r.summary.join('\n'));
      assert.deepEqual(ids(r.steps), ['role', 'state', 'reason', 'confirm', 'execute', 'incident', 'notify']);
      const st = await status();
      assert.equal(st.kill_switch_active, true);
      assert.equal(st.kill_switch_mode, 'emergency');
      assert.match(st.kill_switch_reason ?? '', /^EMERGENCY: Security incident/);
      const incidents = (await w.client('platform_admin').incidents()).incidents;
      const inc = incidents.find((i) => i.id === r.incidentId);
      assert.equal(inc?.severity, 'S1');
      assert.match(String(r.notice), /ops@lts-transport\.at/);
      assert.match(String(r.notice), /platform@company\.com/);
      assert.match(String(r.notice), /Reason: Security incident: leaked API key/);
      assert.match(
        String(r.notice),
        /Note: the address of Platform Lead, Support Queue, Backend Dev, CTO, L2 Queue, L3 Queue is a placeholder — set the real one in Settings › solvereign\.contacts/,
      );
      assert.equal(
        r.noticePath,
        w.host.opened.at(-1),
        'the notice is saved in the records folder and opened from there',
      );
      assert.match(
        String(r.noticePath),
        /^\/ws\/\.solvereign\/records\/\d{8}-\d{6}-sp-006-stakeholder-notice-wien\.md$/,
      );
      assert.match(w.host.files.get(String(r.noticePath)) ?? '', /Reason: Security incident: leaked API key/);
      assert.ok(
        !w.host.docs.some((d) => d.includes('Stakeholder notice')),
        'not an unsaved Untitled document',
      );

      const asLead = await w.run(sp006Recover, 'ops_lead', {
        answers: { rcaRef: 'RCA-1', lessonsLearned: 'rotate keys faster' },
      });
      assert.equal(asLead.result, 'BLOCKED');
      assert.equal((await status()).kill_switch_active, true);

      const p = new ScriptPrompter([
        'RCA-2026-014',
        r.incidentId,
        'Rotate keys within one hour of a leak',
        (q: PickPrompt<unknown> | InputPrompt) => {
          assert.deepEqual(
            (q as PickPrompt<unknown>).items.map((i) => i.value),
            [false, true],
            'resolving is asked, and No comes first',
          );
          return true;
        },
        'Recovery after RCA RCA-2026-014',
        (q: PickPrompt<unknown> | InputPrompt) => {
          assert.match(
            q.placeholder ?? '',
            new RegExp(`Incident: ${r.incidentId}: add lessons learned and RESOLVE`),
          );
          return true;
        },
      ]);
      const rec = await w.run(sp006Recover, 'platform_admin', { answers: undefined, prompter: p });
      assert.equal(rec.result, 'RECOVERED', rec.summary.join('\n'));
      assert.equal(rec.incidentResolved, true);
      assert.equal(rec.incidentId, r.incidentId, 'the kill switch incident is picked by default');
      assert.equal(rec.incidentUpdated, true);
      assert.equal((await status()).kill_switch_active, false);
      const after = (await w.client('platform_admin').incidents()).incidents.find(
        (i) => i.id === r.incidentId,
      );
      assert.equal(after?.status, 'resolved');
      assert.ok(
        after?.timeline?.some((t) => /Lessons learned \(RCA RCA-2026-014\): Rotate keys/.test(t.action)),
      );
    });
    it('an emergency stop during a fire drill upgrades it to emergency (the drill re-enable no longer lifts it)', async () => {
      await w
        .client('dispatcher')
        .killSwitch({ action: 'disable', mode: 'drill', reason: 'fire drill in progress' });
      const r = await w.run(sp006Kill, 'ops_lead', {
        answers: { reason: 'Real incident during the drill', confirmSite: 'wien' },
      });
      assert.equal(r.result, 'EXECUTED', r.summary.join('\n'));
      assert.equal(r.upgradedDrill, true);
      assert.equal(r.steps.find((s) => s.id === 'state')?.status, 'warn');
      assert.match(r.steps.find((s) => s.id === 'state')?.detail ?? '', /upgrades it to emergency/);
      assert.equal(r.steps.find((s) => s.id === 'execute')?.status, 'ok');
      const st = await status();
      assert.equal(st.kill_switch_mode, 'emergency');
      await assert.rejects(
        w.client('dispatcher').killSwitch({ action: 'enable', mode: 'drill', reason: 'end of the drill' }),
        (e: SolvereignApiError) => e.status === 403,
      );
      assert.equal((await status()).kill_switch_active, true);
    });

    it('recovery keeps the incident open unless asked, and records when the incidents could not be loaded', async () => {
      const kill = await w.run(sp006Kill, 'ops_lead', {
        answers: { reason: 'Critical bug in the lock path', confirmSite: 'wien' },
      });
      assert.equal(kill.result, 'EXECUTED');
      await w.fault({
        path_prefix: '/api/v1/platform/incidents',
        method: 'GET',
        status: 500,
        body: '{"detail":"boom"}',
      });
      const rec = await w.run(sp006Recover, 'platform_admin', {
        answers: { rcaRef: 'RCA-9', incidentId: kill.incidentId, lessonsLearned: 'test the lock path first' },
      });
      assert.equal(rec.result, 'RECOVERED', rec.summary.join('\n'));
      assert.equal(rec.steps.find((s) => s.id === 'state')?.status, 'warn');
      assert.match(String(rec.incidentsError), /500|boom/);
      assert.match(rec.summary.join('\n'), /incidents could not be loaded/);
      assert.equal(rec.incidentUpdated, true);
      assert.equal(rec.incidentResolved, false, 'not resolved without being asked to');
      await fetch(`${w.sb.url}/__sandbox/faults`, { method: 'DELETE' });
      const inc = (await w.client('platform_admin').incidents()).incidents.find(
        (i) => i.id === kill.incidentId,
      );
      assert.notEqual(inc?.status, 'resolved');
    });
  });

  describe('a server without the [ops] endpoints (live): not offered, the fallback, verified over HTTP', () => {
    const liveCaps: ProcedureCapabilities = {
      offered: { killSwitch: false, fireDrills: false, incidents: false, drift: false, driftBaseline: false },
      fallbackText: (c) => `${c} is not offered by this server.`,
      killSwitchCommand: (action, by, reason) =>
        `python backend_py/api/services/publish_gate.py kill-switch ${action === 'disable' ? '--activate' : '--deactivate'} --by "${by}" --reason "${reason}"`,
      killSwitchScope: "live's switch is global: it stops publish/lock on every site of every tenant",
    };

    it('SP-005: the per-site drill is "not offered" before anything is asked, never a FAIL', async () => {
      const p = new ScriptPrompter([]);
      const r = await runProcedure(
        sp005,
        { ...w.env('dispatcher'), capabilities: liveCaps },
        { prompter: p },
      );
      assert.equal(r.result, 'NOT_OFFERED');
      assert.deepEqual(ids(r.steps), ['capability'], 'not offered is known before the role matters');
      assert.equal(p.seen.length, 0, 'nothing asked');
      assert.ok(!r.steps.some((s) => s.status === 'fail'));
      assert.equal((await status()).kill_switch_active, false);
    });

    it('SP-004: the drift check is "not offered" with its fallback, never an ERROR', async () => {
      const p = new ScriptPrompter([]);
      const r = await runProcedure(
        sp004,
        { ...w.env('dispatcher'), capabilities: liveCaps },
        { prompter: p },
      );
      assert.equal(r.result, 'NOT_OFFERED');
      assert.deepEqual(ids(r.steps), ['capability']);
      assert.equal(p.seen.length, 0, 'nothing asked');
      assert.match(r.summary.join('\n'), /drift is not offered by this server/);
      assert.ok(!r.steps.some((s) => s.status === 'fail' || s.status === 'error'));
    });

    it('SP-006: says so before the reason, shows the command with Copy, then verifies over HTTP', async () => {
      const p = new ScriptPrompter([
        'Security incident on live',
        'wien',
        async (q: PickPrompt<unknown> | InputPrompt) => {
          assert.match(
            q.placeholder ?? '',
            /Run on the server \(not in your terminal\): python .*--activate .*global/,
          );
          // The operator runs it on the server.
          await w
            .client('ops_lead')
            .killSwitch({ action: 'disable', mode: 'emergency', reason: 'EMERGENCY: by script' });
          return true;
        },
      ]);
      const r = await runProcedure(
        sp006Kill,
        { ...w.env('ops_lead'), capabilities: liveCaps },
        { prompter: p },
      );
      assert.equal(r.result, 'EXECUTED', r.summary.join('\n'));
      assert.deepEqual(
        ids(r.steps).slice(0, 3),
        ['role', 'capability', 'state'],
        'known before the first question',
      );
      assert.match(r.steps[1]?.detail ?? '', /^not offered by this server/);
      assert.ok(!ids(r.steps).includes('execute'), 'no HTTP switch call');
      assert.match(
        w.host.clipboard.at(-1) ?? '',
        /--activate --by ".*" --reason "EMERGENCY: Security incident on live"/,
      );
      assert.match(
        r.steps.find((s) => s.id === 'verify')?.detail ?? '',
        /kill switch on — live's switch is global/,
      );
      assert.match(r.summary.join('\n'), /Switched by the operator on the server .* verified over HTTP/);
    });

    it('SP-006 scripted without the operator: NOT_OFFERED with the command, never FAIL', async () => {
      const r = await runProcedure(
        sp006Kill,
        { ...w.env('ops_lead'), capabilities: liveCaps },
        { answers: { reason: 'Security incident on live', confirmSite: 'wien' } },
      );
      assert.equal(r.result, 'NOT_OFFERED');
      assert.ok(!r.steps.some((s) => s.status === 'fail'), JSON.stringify(r.steps));
      assert.match(r.summary.join('\n'), /run on the server: python .*--activate/);
      assert.equal((await status()).kill_switch_active, false);
    });

    it('SP-006 stopped before the fallback step (no site typed): the summary still names the command', async () => {
      const r = await runProcedure(
        sp006Kill,
        { ...w.env('ops_lead'), capabilities: liveCaps },
        { answers: { reason: 'Security incident on live' } },
      );
      assert.equal(r.result, 'NOT_OFFERED');
      assert.match(r.summary.join('\n'), /run on the server: python .*--activate/);
    });
  });

  describe('SP-002 Investigate Failed Run', () => {
    it('Overlap FAIL: duplicate tours from the audit and the input, input issue -> message to the ops team', async () => {
      const run = byNote(/Duplicate tours/);
      w.host.commands.set('solvereign.openAuditReport', () => undefined);
      const r = await w.run(sp002, 'dispatcher', { runId: run.run_id, answers: {} });
      w.host.commands.clear();
      assert.deepEqual(w.host.executed.at(-1), { id: 'solvereign.openAuditReport', args: [run.run_id, {}] });
      assert.deepEqual(r.symptoms, ['overlap']);
      assert.equal(r.classification, 'input');
      assert.equal(r.resolution, 'message');
      assert.equal(r.evidenceVerified, true, 'evidence files match the server checksums');
      assert.ok((r.overlapViolations as unknown[]).length >= 1);
      assert.match(String(r.message), /^To: Ops Lead <ops@lts-transport\.at>/);
      assert.match(String(r.message), /Overlapping tours reported by the audit/);
      const saved = w.host.opened.find((f) => /sp-002-message-to-the-ops-team/.test(f));
      assert.ok(saved, 'the message is saved in the records folder and opened from there');
      assert.match(w.host.files.get(saved) ?? '', /^# Message to the ops team/);
      assert.doesNotMatch(String(r.message), /placeholder/, 'the ops team addresses are real defaults');
    });

    it('Coverage < 100 %: compares the input with the previous week; unchanged input -> solver -> L3 escalation', async () => {
      const run = byNote(/Sunday night tours/);
      const r = await w.run(sp002, 'dispatcher', { runId: run.run_id, answers: {} });
      assert.ok((r.symptoms as string[]).includes('coverage'));
      const diff = r.diff as { unchanged: boolean; previousRun: string };
      assert.match(diff.previousRun, /^RUN-/);
      assert.equal(diff.unchanged, true);
      const compare = r.steps.find((s) => s.id === 'compare')?.detail ?? '';
      assert.match(
        compare,
        /^uncovered: T-?\d+ \(So, forecast lines? \d+/,
        'the uncovered tours come first, with their lines',
      );
      assert.equal(r.classification, 'solver');
      assert.equal(r.resolution, 'escalate');
      assert.ok(String(r.bundlePath).includes('sp-002-evidence-bundle'));
      const bundle = JSON.parse(w.host.files.get(String(r.bundlePath)) as string);
      assert.equal(bundle.run.run_id, run.run_id);
      assert.ok(Object.keys(bundle.evidence.checksums).includes('input/forecast.txt'));
      const inc = (await w.client('platform_admin').incidents()).incidents.find((i) => i.id === r.incidentId);
      assert.equal(inc?.severity, 'S1');
      assert.equal(inc?.evidence?.[0]?.path, r.bundlePath);
    });

    it('hash mismatch: re-solves with the same seed and compares the hashes', async () => {
      const run = byNote(/Hash mismatch/);
      const r = await w.run(sp002, 'dispatcher', { runId: run.run_id, answers: { resolution: 'none' } });
      assert.ok((r.symptoms as string[]).includes('hash'));
      const rs = r.resolve as { same: boolean; first: string; seed: number };
      assert.equal(rs.seed, 94);
      assert.equal(rs.same, true);
      assert.equal(r.classification, 'solver');
      assert.equal(r.resolution, 'none');
      assert.match(r.record, /## Re-solve with the same seed/);
    });

    it('checksums that cannot be loaded are recorded: the evidence is NOT verified', async () => {
      const run = byNote(/Duplicate tours/);
      await w.fault({
        path_prefix: `${P}/evidence/${run.run_id}/checksums`,
        method: 'GET',
        status: 500,
        body: '{}',
      });
      const r = await w.run(sp002, 'dispatcher', { runId: run.run_id, answers: { resolution: 'none' } });
      const ev = r.steps.find((s) => s.id === 'evidence');
      assert.equal(ev?.status, 'warn');
      assert.match(ev?.detail ?? '', /NOT verified: the checksums could not be loaded/);
      assert.notEqual(r.evidenceVerified, true);
    });

    it('solver timeout: runtime > 60 s -> split suggestion', async () => {
      const run = runs.find((x) => x.status === 'ERROR') as RunSummary;
      const r = await w.run(sp002, 'dispatcher', {
        runId: run.run_id,
        answers: { resolution: 'infrastructure' },
      });
      assert.ok((r.symptoms as string[]).includes('runtime'));
      const detail = r.steps.find((s) => s.id === 'symptoms')?.detail ?? '';
      const own = (await w.client('dispatcher').getRun(run.run_id)).error_message ?? '';
      assert.ok(own && detail.includes(own), `the run's own error is named: ${detail}`);
      assert.doesNotMatch(detail, /\d s > 60 s/, "not compared with the runbook's 60 s");
      assert.match(String(r.split), /split by depot/);
      assert.equal(r.classification, 'input');
      assert.equal(w.host.logShown, 1, 'infrastructure resolution shows the logs');
    });
  });

  describe('SP-004 KPI Drift Check', () => {
    it('WARN: document and proceed with an approval note', async () => {
      const run = byNote(/Headcount above baseline/);
      const r = await w.run(sp004, 'dispatcher', {
        runId: run.run_id,
        answers: { decision: 'proceed', approvalNote: 'Seasonal peak confirmed by ops lead' },
      });
      assert.equal(r.driftVerdict, 'WARN');
      assert.equal(r.result, 'WARN_APPROVED');
      assert.equal(r.reportOpened, 'markdown');
      assert.ok(w.host.docs.some((d) => d.startsWith('# KPI drift')));
    });

    it('uses the drift report webview when the reports command exists, and BLOCK links into SP-002', async () => {
      w.host.commands.set('solvereign.openDriftReport', () => undefined);
      w.host.commands.set('solvereign.sp002.investigateRun', (run, answers) =>
        runProcedure(sp002, w.env('dispatcher'), {
          runId: run as string,
          answers: answers as Record<string, unknown>,
        }),
      );
      try {
        const run = byNote(/Sunday night tours/);
        const r = await w.run(sp004, 'dispatcher', {
          runId: run.run_id,
          answers: { decision: 'investigate' },
        });
        assert.equal(r.driftVerdict, 'BLOCK');
        assert.equal(r.reportOpened, 'webview');
        assert.deepEqual(w.host.executed.at(-1)?.args, [run.run_id, { resolution: 'none' }]);
        assert.equal((r.investigation as { result: string }).result, 'SOLVER');
      } finally {
        w.host.commands.clear();
      }
    });

    it('an unknown verdict shows as "unknown: server sent \'X\'", a warning, never a fail', async () => {
      const run = byNote(/Headcount above baseline/);
      const real = await w.client('platform_admin').drift(run.run_id);
      await w.fault({
        path_prefix: `${P}/drift`,
        method: 'GET',
        status: 200,
        body: JSON.stringify({
          ...real,
          verdict: 'UNKNOWN',
          metrics: real.metrics.map((m, n) => (n === 0 ? { ...m, verdict: 'UNKNOWN' } : m)),
        }),
      });
      const r = await w.run(sp004, 'dispatcher', {
        runId: run.run_id,
        answers: { decision: 'investigate' },
      });
      const step = r.steps.find((s) => s.id === 'drift');
      assert.equal(step?.status, 'warn', step?.detail);
      assert.match(step?.detail ?? '', /^unknown: server sent 'UNKNOWN' for /);
      assert.doesNotMatch(step?.detail ?? '', /\bfail/i);
      assert.equal(r.result, 'UNKNOWN');
      assert.match(r.summary[0] ?? '', /Drift unknown: server sent 'UNKNOWN'/);
      assert.match(w.host.docs.at(-1) ?? '', /# KPI drift — .* — unknown: server sent 'UNKNOWN'/);
    });

    it('baseline update: the role is checked before asking, then updated with a reason', async () => {
      const denied = await w.run(sp004, 'dispatcher', { answers: { decision: 'updateBaseline' } });
      assert.equal(denied.result, 'BLOCKED');
      assert.ok(!ids(denied.steps).includes('values'));
      assert.equal(denied.steps.find((s) => s.id === 'baseline-role')?.status, 'blocked');
      const ok = await w.run(sp004, 'ops_lead', {
        answers: {
          decision: 'updateBaseline',
          baselineValues: 'headcount=150',
          reason: 'Seasonal peak in March',
        },
      });
      assert.equal(ok.result, 'BASELINE_UPDATED', ok.summary.join('\n'));
      assert.match(ok.record, /\| drift baseline updated \|/);
    });
  });

  describe('routines', () => {
    it('Daily Status: SP-001 plus the overnight runs, opened as markdown', async () => {
      const r = await w.run(dailyStatus, 'ops_readonly', { answers: { sinceHours: 24 * 7 } });
      assert.ok(['PASS', 'WARN', 'FAIL'].includes(r.result));
      assert.ok((r.overnightRuns as unknown[]).length >= 1);
      assert.match(r.record, /## Overnight runs/);
      assert.equal(w.host.docs.at(-1), r.record);
    });

    it('Weekly Report: runs and verdicts, drift, drills with times, incidents and SLA', async () => {
      const r = await w.run(weeklyReport, 'ops_readonly', { answers: {} });
      assert.equal(r.result, 'REPORT');
      assert.ok((r.runs as number) >= 1);
      for (const h of ['## Runs and verdicts', '## KPI drift', '## Fire drills', '## Incidents and SLA'])
        assert.ok(r.record.includes(h), h);
      assert.equal(typeof r.slaBreaches, 'number');
    });
  });
});

import assert from 'node:assert/strict';
import type { AuditResult, Incident, RunSummary, SystemStatus } from '../../../src/api/schemas';
import type { Environment } from '../../../src/connection/environments';
import { accessibleName } from '../../../src/views/accessibleName';
import { run as reportRun } from '../reports/fixtures';
import {
  closedGroupAccessibleName,
  detailAccessibleName,
  incidentDetailRows,
  incidentRow,
  sourceGroupAccessibleName,
} from '../../../src/views/incidents/incidentsModel';
import {
  auditAccessibleName,
  auditDescription,
  loadMoreAccessibleName,
  runAccessibleName,
} from '../../../src/views/runs/runsModel';
import {
  activeEnvironmentAccessibleName,
  activeEnvironmentDescription,
  factAccessibleName,
  factRows,
  otherEnvironmentAccessibleName,
  siteAccessibleName,
  tenantAccessibleName,
} from '../../../src/views/sites/sitesModel';
import { connectionStateWords, statusBarView } from '../../../src/views/statusBarModel';

const T0 = Date.parse('2026-01-12T07:45:00.000Z');
const HOUR = 3_600_000;

/** A run summary as the runs list has it: the report fixture's run with its audit counts. */
const run = (over: Partial<RunSummary> = {}): RunSummary => {
  const {
    audit_results: _a,
    kpis: _k,
    ...summary
  } = reportRun({ run_id: 'RUN-20261130-002', week_id: '2026-W49' });
  return { ...summary, coverage_percent: 98, audit_pass_count: 5, audit_total: 7, ...over } as RunSummary;
};

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'INC-20260112-A1B2C3',
  type: 'perf',
  severity: 'S2',
  status: 'investigating',
  tenant_id: 'gurkerl',
  summary: 'Solver runs take twice as long',
  created_at: new Date(T0).toISOString(),
  updated_at: null,
  resolved_at: null,
  assigned_to: null,
  root_cause: null,
  evidence: [],
  timeline: [],
  ...over,
});

describe('accessible names of the tree rows and the status bar', () => {
  it('joins name, status and counts with pauses, drops empty parts and says arrows in words', () => {
    assert.equal(
      accessibleName('A', undefined, 'b · c', false, '→ Platform Lead in 5m'),
      'A, b, c, escalates to Platform Lead in 5m',
    );
  });

  it('Runs: a run reads its id, status, week, audits and KPIs — not its tooltip', () => {
    assert.equal(
      runAccessibleName(run()),
      'RUN-20261130-002, FAIL, week 2026-W49, audits 5 of 7 passed, coverage 98%',
    );
    assert.equal(
      runAccessibleName(run({ status: 'PASS', published: true, locked: true, coverage_percent: null })),
      'RUN-20261130-002, PASS, week 2026-W49, audits 5 of 7 passed, published, locked',
    );
  });

  it('Runs: an audit check reads its name, status and violation count, without its details', () => {
    const failed: AuditResult = {
      check_name: 'Overlap',
      status: 'FAIL',
      violation_count: 14,
      details: { violations: Array.from({ length: 14 }, (_, i) => ({ message: `driver ${i} overlaps` })) },
    };
    assert.equal(auditDescription(failed), 'FAIL · 14 violations');
    assert.equal(auditAccessibleName(failed), 'Overlap, FAIL, 14 violations');
    assert.equal(
      auditAccessibleName({
        check_name: 'Rest',
        status: 'PASS',
        violation_count: 0,
        details: { message: 'ok' },
      }),
      'Rest, PASS',
    );
    assert.equal(
      auditAccessibleName({ check_name: 'Coverage', status: 'FAIL', violation_count: 1, details: null }),
      'Coverage, FAIL, 1 violation',
    );
    assert.equal(loadMoreAccessibleName(25, 120), 'Load more runs, 25 of 120 loaded');
  });

  it('Sites: environments, tenant, site and every fact row read name, then status, then the values', () => {
    const env = { id: 'sandbox', name: 'Local sandbox', tenant: 'lts', site: 'wien' } as Environment;
    assert.equal(
      activeEnvironmentAccessibleName('Local sandbox', 'connected', { email: 'a@b', role: 'platform_admin' }),
      'Local sandbox, active environment, connected, signed in as a@b (Platform Lead)',
    );
    assert.equal(
      otherEnvironmentAccessibleName(env, false),
      'Local sandbox, environment lts/wien, not signed in, activate to switch',
    );
    assert.equal(tenantAccessibleName('lts', 'LTS Transport'), 'Tenant lts, LTS Transport');
    assert.equal(
      siteAccessibleName({ tenant: 'lts', site: 'wien', siteName: 'Wien' }, true),
      'Site wien, Wien, active',
    );
    const status: SystemStatus = {
      kill_switch_active: true,
      kill_switch_reason: 'solver emits overlaps',
      kill_switch_mode: 'emergency',
      kill_switch_activated_by: null,
      kill_switch_activated_at: null,
      publish_enabled: true,
      lock_enabled: false,
      shadow_mode_only: false,
      latest_run: null,
      pending_repairs: 0,
      active_incidents: 1,
    };
    const names = factRows({
      ref: { tenant: 'lts', site: 'wien' },
      status,
      health: { status: 'healthy', db: 'connected' } as never,
    }).map(factAccessibleName);
    assert.deepEqual(names, [
      'Health, OK, healthy, db connected',
      'Kill switch, problem, ACTIVE (emergency) — solver emits overlaps',
      'Publish / lock, warning, publish enabled, lock DISABLED',
      'Shadow mode, OK, off',
      'Incidents / repairs, warning, 1 active incident, 0 pending repairs',
      'Latest run, none',
    ]);
  });

  it('Incidents: an incident reads its SLA breach and escalation as shown on the row', () => {
    const now = new Date(T0 + 40 * HOUR);
    const row = incidentRow(incident(), now);
    assert.equal(
      row.accessibleName,
      `S2 Solver runs take twice as long, ${row.description.split(' · ').join(', ')}`,
    );
    assert.match(row.accessibleName, /, investigating, resolution SLA BREACHED \([^)]+\), escalated to /);
    const early = incidentRow(incident(), new Date(T0 + 5 * 60_000));
    assert.match(
      early.accessibleName,
      /, investigating, (response|resolution) SLA \S+ \S+ left, escalates to \S/,
    );
    assert.ok(!early.accessibleName.includes('→'));
  });

  it('Incidents: groups are named by source with their active count, never by a file path', () => {
    assert.equal(
      sourceGroupAccessibleName('server', 'Local sandbox lts/wien', 1),
      'Server incidents, Local sandbox lts/wien, 1 active',
    );
    const file = sourceGroupAccessibleName('workspace', '/home/x/.claude/state/active-incidents.json', 1);
    assert.equal(file, 'Workspace file incidents, 1 active');
    assert.equal(sourceGroupAccessibleName('workspace', undefined, undefined), 'Workspace file incidents');
    assert.equal(closedGroupAccessibleName(3), 'Closed incidents, 3');
    const details = incidentDetailRows(incident(), new Date(T0 + 40 * HOUR)).map(detailAccessibleName);
    assert.equal(details[0], 'Status, warning, investigating (perf)');
    assert.match(details[1]!, /^SLA \(L\d\), problem, resolution SLA BREACHED/);
  });

  it('the status bar item names where it is connected, the health and why it warns', () => {
    const base = { environment: 'Local sandbox', tenant: 'lts', site: 'wien', criticalOpen: 0 } as const;
    assert.equal(
      statusBarView({ ...base, state: 'ready', health: 'healthy' }).accessibleName,
      'SOLVEREIGN: Local sandbox, lts/wien, connected, healthy',
    );
    assert.equal(
      statusBarView({ ...base, state: 'ready', health: 'healthy', killSwitchActive: true, criticalOpen: 2 })
        .accessibleName,
      'SOLVEREIGN: Local sandbox, lts/wien, connected, healthy, warning: kill switch active and 2 open S0/S1 incidents',
    );
    assert.equal(
      statusBarView({ ...base, state: 'signedOut' }).accessibleName,
      'SOLVEREIGN: Local sandbox, lts/wien, signed out',
    );
    assert.equal(
      statusBarView({ state: 'noEnvironment', criticalOpen: 0 }).accessibleName,
      'SOLVEREIGN: SOLVEREIGN, no site, no environment',
    );
  });

  it('the active environment row names the connection state and role in words, never their ids', () => {
    assert.equal(
      activeEnvironmentDescription('http://127.0.0.1:8787', 'signedOut'),
      'http://127.0.0.1:8787 · signed out',
    );
    assert.equal(
      activeEnvironmentDescription('https://x', 'ready', { email: 'a@b', role: 'ops_lead' }),
      'https://x · connected · a@b (Ops Lead)',
    );
    for (const st of ['noEnvironment', 'sandboxStopped', 'signedOut', 'unreachable', 'ready'] as const)
      assert.doesNotMatch(connectionStateWords(st), /[a-z][A-Z]/, `${st} reads as words`);
  });
});

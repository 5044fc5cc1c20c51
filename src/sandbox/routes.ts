// Every endpoint of CONTRACT.md the sandbox serves, with the contract's field names, status codes,
// role rules and audit events.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { version as PACKAGE_VERSION } from '../../package.json';
import * as S from '../api/schemas';
import {
  APPROVER_ROLES,
  AUDIT_CHECKS,
  BASELINE_ROLES,
  KILL_SWITCH_ROLES,
  ROLES,
  type Role,
} from '../shared/runbook';
import { newSessionToken, randomCode, sha256Hex, verifyPassword } from './crypto';
import {
  type DetectorSample,
  detectorScore,
  type DriftBaseline,
  runbookMetrics,
  runbookVerdict,
} from './drift';
import {
  ApiError,
  forbidden,
  json,
  notFound,
  type Principal,
  type Reply,
  type RouteDef,
  validate,
  validationError,
} from './http';
import { detailOf, type RunRecord, type SiteRow, type Store, type UserRow } from './store';
import { dateStamp } from './time';

export interface Fault {
  path_prefix: string;
  method?: string;
  status?: number;
  body?: string;
  content_type?: string;
  remaining: number;
  delay_ms?: number;
}

export interface App {
  store: Store;
  now: () => Date;
  faultsEnabled: boolean;
  dbConnected: boolean;
  faults: Fault[];
  sessionTtlMs: number;
  log: (line: string) => void;
  /** Open Server-Sent-Event responses (closed on shutdown). */
  streams: Set<ServerResponse>;
  stopped?: boolean;
  /** Resolves when no solve is running (set by the solver module). */
  solverIdle?: () => Promise<void>;
  /** Extra routes (the solver module registers /api/v1/runs). */
  extraRoutes?: RouteDef<Ctx>[];
}

export interface Ctx {
  app: App;
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  requestId: string;
  ip: string;
  body: unknown;
  principal?: Principal;
  /** From X-Tenant-Code / X-Site-Code once checked ('' when the route is not scoped). */
  tenant: string;
  site: string;
}

const WRITERS: readonly Role[] = ROLES.filter((r) => r !== 'ops_readonly');
const DRILL_ROLES = KILL_SWITCH_ROLES.drill;
const KILL_ROLES: readonly Role[] = [
  ...new Set([...KILL_SWITCH_ROLES.drill, ...KILL_SWITCH_ROLES.emergencyDisable]),
];
const LOGIN_WINDOW_MS = 15 * 60_000;
const LOGIN_MAX_FAILURES = 5;
const P = '/api/v1/platform/dispatcher';

export const SANDBOX_VERSION = PACKAGE_VERSION;

function permissionsFor(role: Role): string[] {
  const p = [
    'runs:read',
    'status:read',
    'evidence:read',
    'drift:read',
    'incidents:read',
    'audit:read',
    'fire_drills:read',
  ];
  if (role !== 'ops_readonly') p.push('repair:create', 'incidents:write', 'runs:create');
  if (APPROVER_ROLES.includes(role))
    p.push('runs:publish', 'runs:lock', 'kill_switch:drill', 'fire_drills:write');
  if (KILL_SWITCH_ROLES.emergencyDisable.includes(role)) p.push('kill_switch:emergency');
  if (KILL_SWITCH_ROLES.emergencyEnable.includes(role)) p.push('kill_switch:emergency_enable');
  if (BASELINE_ROLES.includes(role)) p.push('drift:baseline');
  return p;
}

function sessionBody(store: Store, user: UserRow, expiresAt: string | null, token?: string): S.Session {
  const tenant = store.tenant(user.tenant_code);
  const body: S.Session = {
    success: true,
    user_id: user.user_id,
    email: user.email,
    tenant_id: user.tenant_code,
    site_id: user.site_code,
    role_name: user.role_name,
    permissions: permissionsFor(user.role_name as Role),
    expires_at: expiresAt,
    available_tenants: [
      {
        tenant_code: user.tenant_code,
        tenant_name: tenant?.tenant_name ?? user.tenant_code,
        sites: store.sites(user.tenant_code).map((s) => ({ site_code: s.site_code, site_name: s.site_name })),
      },
    ],
    is_platform_admin: user.role_name === 'platform_admin',
  };
  if (token) body.token = token;
  return body;
}

const loginFailure = (status: number, code: string, message: string): Reply =>
  json(status, { detail: { success: false, error_code: code, message } });

function sessionCookie(token: string, maxAgeS: number): string {
  return `sv_platform_session=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}`;
}

function audit(
  ctx: Ctx,
  event_type: string,
  action: string,
  reason: string | null,
  details: Record<string, unknown>,
): number {
  const p = ctx.principal;
  return ctx.app.store.audit({
    event_type,
    user_email: p?.email ?? null,
    role_name: p?.role_name ?? null,
    action,
    reason,
    tenant_code: ctx.tenant || p?.tenant_code || null,
    site_code: ctx.site || null,
    created_at: ctx.app.now().toISOString(),
    request_id: ctx.requestId,
    details,
  });
}

const aeId = (id: number) => `AE-${String(id).padStart(6, '0')}`;

function siteOf(ctx: Ctx): SiteRow {
  const site = ctx.app.store.site(ctx.tenant, ctx.site);
  if (!site) throw notFound(`Site '${ctx.site}' not found for tenant '${ctx.tenant}'`);
  return site;
}

function runOf(ctx: Ctx): RunRecord {
  const run = ctx.app.store.run(ctx.tenant, ctx.site, ctx.params.run_id);
  if (!run) throw notFound(`Run '${ctx.params.run_id}' not found for site ${ctx.site}`);
  return run;
}

function activeIncidentCount(store: Store, tenant: string): number {
  return store.incidents(tenant).filter(S.isActiveIncident).length;
}

function systemStatus(ctx: Ctx): S.SystemStatus {
  const { store } = ctx.app;
  const site = siteOf(ctx);
  const active = site.kill_switch_active === 1;
  const shadow = site.shadow_mode_only === 1;
  return {
    kill_switch_active: active,
    kill_switch_reason: active ? site.kill_switch_reason : null,
    publish_enabled: !active && !shadow,
    lock_enabled: !active && !shadow,
    shadow_mode_only: shadow,
    latest_run: store.latestRun(ctx.tenant, ctx.site),
    pending_repairs: store.pendingRepairs(ctx.tenant, ctx.site),
    active_incidents: activeIncidentCount(store, ctx.tenant),
    kill_switch_activated_by: site.kill_switch_by,
    kill_switch_activated_at: site.kill_switch_at,
    kill_switch_mode: site.kill_switch_mode,
  };
}

function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return def;
  if (!/^-?\d+$/.test(raw))
    throw validationError([{ field: name, message: `must be an integer, got '${raw}'` }]);
  const n = Number.parseInt(raw, 10);
  if (n < min || n > max)
    throw validationError([{ field: name, message: `must be between ${min} and ${max}` }]);
  return n;
}

/** The approver checks shared by publish and lock. */
function approverCheck(ctx: Ctx, body: { approver_id: string; approver_role: string }): void {
  const p = ctx.principal!;
  if (!(APPROVER_ROLES as readonly string[]).includes(body.approver_role)) {
    throw validationError([
      {
        field: 'approver_role',
        message: `must be one of ${APPROVER_ROLES.join(', ')} (got '${body.approver_role}')`,
      },
    ]);
  }
  if (body.approver_role !== p.role_name) {
    throw forbidden(`approver_role '${body.approver_role}' does not match your role '${p.role_name}'`, {
      error_code: 'PERMISSION_DENIED',
    });
  }
}

function gateBlock(
  run: RunRecord,
  status: (typeof S.PUBLISH_LOCK_STATUSES)[number],
  errorCode: string,
  reason: string,
  message: string,
): S.PublishLockResponse {
  return {
    success: false,
    run_id: run.run_id,
    status,
    audit_event_id: null,
    evidence_hash: run.evidence_hash ?? null,
    message,
    blocked_reason: reason,
    error_code: errorCode,
  };
}

function freezeBlock(ctx: Ctx, run: RunRecord, what: 'publish' | 'lock'): S.PublishLockResponse | undefined {
  const site = siteOf(ctx);
  if (site.kill_switch_active === 1) {
    audit(ctx, 'FREEZE_VIOLATION', what, site.kill_switch_reason, {
      run_id: run.run_id,
      kill_switch_mode: site.kill_switch_mode,
    });
    return gateBlock(
      run,
      'BLOCKED_KILL_SWITCH',
      'FREEZE_ACTIVE',
      `Kill switch active for site ${ctx.site}: ${site.kill_switch_reason ?? ''}`.trim(),
      `Cannot ${what}: publish and lock are disabled for site ${ctx.site}`,
    );
  }
  if (site.shadow_mode_only === 1) {
    return gateBlock(
      run,
      'BLOCKED_SHADOW_ONLY',
      'FREEZE_ACTIVE',
      `Site ${ctx.site} runs in shadow mode only`,
      `Cannot ${what} in shadow mode`,
    );
  }
  return undefined;
}

/** A successful publish/lock answer (HTTP 200): done now (with its audit event) or already done. */
function publishLockDone(
  run: RunRecord,
  status: 'PUBLISHED' | 'LOCKED' | 'ALREADY_PUBLISHED' | 'ALREADY_LOCKED',
  message: string,
  {
    auditEventId = null,
    errorCode = null,
  }: { auditEventId?: string | null; errorCode?: 'ALREADY_LOCKED' | null } = {},
): Reply {
  return json(200, {
    success: true,
    run_id: run.run_id,
    status,
    audit_event_id: auditEventId,
    evidence_hash: run.evidence_hash,
    message,
    blocked_reason: null,
    error_code: errorCode,
  } satisfies S.PublishLockResponse);
}

function publish(ctx: Ctx): Reply {
  const body = validate(S.PublishRequest, ctx.body);
  approverCheck(ctx, body);
  const run = runOf(ctx);
  const blocked = freezeBlock(ctx, run, 'publish');
  if (blocked) return json(200, blocked);
  if (run.published) {
    return publishLockDone(
      run,
      'ALREADY_PUBLISHED',
      `Run ${run.run_id} was already published by ${run.published_by} at ${run.published_at}`,
    );
  }
  if (run.status === 'WARN' && !body.override_warn) {
    throw new ApiError(409, 'ERR_LOCK_002', 'Cannot publish run with status: WARN without override_warn', {
      error_code: 'AUDIT_GATE_FAIL',
      run_status: run.status,
    });
  }
  if (run.status !== 'PASS' && run.status !== 'WARN') {
    throw new ApiError(409, 'ERR_LOCK_002', `Cannot publish run with status: ${run.status}`, {
      error_code: 'AUDIT_GATE_FAIL',
      run_status: run.status,
      failed_audits: run.audit_results.filter((a) => a.status !== 'PASS').map((a) => a.check_name),
    });
  }
  const at = ctx.app.now().toISOString();
  const by = ctx.principal!.email;
  let id = 0;
  ctx.app.store.db.transaction(() => {
    ctx.app.store.markPublished(ctx.tenant, ctx.site, run.run_id, at, by);
    id = audit(ctx, 'RUN_PUBLISHED', 'publish', body.reason, {
      run_id: run.run_id,
      approver_id: body.approver_id,
      approver_role: body.approver_role,
      override_warn: body.override_warn === true,
      run_status: run.status,
      evidence_hash: run.evidence_hash,
    });
  })();
  return publishLockDone(run, 'PUBLISHED', `Run ${run.run_id} published by ${by}`, {
    auditEventId: aeId(id),
  });
}

function lock(ctx: Ctx): Reply {
  const body = validate(S.LockRequest, ctx.body);
  approverCheck(ctx, body);
  const run = runOf(ctx);
  const blocked = freezeBlock(ctx, run, 'lock');
  if (blocked) return json(200, blocked);
  if (run.locked) {
    return publishLockDone(
      run,
      'ALREADY_LOCKED',
      `Run ${run.run_id} is already locked (by ${run.locked_by} at ${run.locked_at}); use a new run`,
      { errorCode: 'ALREADY_LOCKED' },
    );
  }
  const failed = AUDIT_CHECKS.filter(
    (c) => run.audit_results.find((a) => a.check_name === c)?.status !== 'PASS',
  );
  if (failed.length) {
    return json(
      200,
      gateBlock(
        run,
        'BLOCKED_PRE_CHECKS_FAILED',
        'AUDIT_GATE_FAIL',
        `Audits not PASS: ${failed.join(', ')}`,
        'All seven audits must PASS before a run can be locked',
      ),
    );
  }
  if (!run.published) {
    return json(
      200,
      gateBlock(
        run,
        'BLOCKED_PRE_CHECKS_FAILED',
        'AUDIT_GATE_FAIL',
        'Run is not published; publish it before locking',
        'Only a published run can be locked',
      ),
    );
  }
  const at = ctx.app.now().toISOString();
  const by = ctx.principal!.email;
  let id = 0;
  ctx.app.store.db.transaction(() => {
    ctx.app.store.markLocked(ctx.tenant, ctx.site, run.run_id, at, by);
    id = audit(ctx, 'RUN_LOCKED', 'lock', body.reason, {
      run_id: run.run_id,
      approver_id: body.approver_id,
      approver_role: body.approver_role,
      evidence_hash: run.evidence_hash,
    });
  })();
  return publishLockDone(run, 'LOCKED', `Run ${run.run_id} locked by ${by}`, { auditEventId: aeId(id) });
}

function killSwitch(ctx: Ctx): Reply {
  const body = validate(S.KillSwitchRequest, ctx.body);
  const p = ctx.principal!;
  const site = siteOf(ctx);
  const active = site.kill_switch_active === 1;
  let changed = false;
  if (body.action === 'disable') {
    const allowed = body.mode === 'drill' ? KILL_SWITCH_ROLES.drill : KILL_SWITCH_ROLES.emergencyDisable;
    if (!allowed.includes(p.role_name)) {
      throw forbidden(
        `Role ${p.role_name} may not disable in ${body.mode} mode (allowed: ${allowed.join(', ')})`,
      );
    }
    if (!active) {
      changed = true;
      ctx.app.store.setKillSwitch(ctx.tenant, ctx.site, {
        active: true,
        reason: body.reason,
        mode: body.mode,
        by: p.email,
        at: ctx.app.now().toISOString(),
      });
    }
  } else {
    const emergency = body.mode === 'emergency' || (active && site.kill_switch_mode === 'emergency');
    if (emergency) {
      if (!KILL_SWITCH_ROLES.emergencyEnable.includes(p.role_name)) {
        throw forbidden('Only platform_admin may re-enable after an emergency stop (SP-006)');
      }
      if (!body.rca_ref?.trim()) {
        throw forbidden('Re-enable after an emergency needs rca_ref: root cause analysis required (SP-006)');
      }
    } else if (!KILL_SWITCH_ROLES.drill.includes(p.role_name)) {
      throw forbidden(
        `Role ${p.role_name} may not re-enable (allowed: ${KILL_SWITCH_ROLES.drill.join(', ')})`,
      );
    }
    if (active) {
      changed = true;
      ctx.app.store.setKillSwitch(ctx.tenant, ctx.site, {
        active: false,
        reason: null,
        mode: emergency ? 'emergency' : body.mode,
        by: p.email,
        at: ctx.app.now().toISOString(),
      });
    }
  }
  audit(
    ctx,
    body.action === 'disable' ? 'KILL_SWITCH_DISABLE' : 'KILL_SWITCH_ENABLE',
    body.action,
    body.reason,
    {
      mode: body.mode,
      rca_ref: body.rca_ref ?? null,
      changed,
    },
  );
  return json(200, systemStatus(ctx));
}

function driftSample(run: RunRecord): DetectorSample {
  return {
    total_drivers: run.headcount ?? null,
    coverage_pct: run.coverage_percent ?? null,
    fte_ratio: run.kpis.fte_ratio ?? null,
    max_weekly_hours: run.kpis.max_weekly_hours ?? null,
    audit_pass_rate: run.audit_results.length ? run.audit_pass_count / run.audit_total : null,
  };
}

function baselineOf(ctx: Ctx): {
  data: DriftBaseline & Record<string, unknown>;
  updated_at: string | null;
  updated_by: string | null;
} {
  return (
    ctx.app.store.baseline(ctx.tenant, ctx.site) ?? {
      data: { baseline_date: null, roster_kpis: {} },
      updated_at: null,
      updated_by: null,
    }
  );
}

function driftReport(ctx: Ctx, runId: string | null): S.DriftReport & Record<string, unknown> {
  const { store } = ctx.app;
  const baseline = baselineOf(ctx);
  let run: RunRecord | undefined;
  if (runId) {
    run = store.run(ctx.tenant, ctx.site, runId);
    if (!run) throw notFound(`Run '${runId}' not found for site ${ctx.site}`);
  } else run = store.latestSolvedRun(ctx.tenant, ctx.site);
  const metrics = runbookMetrics(baseline.data, {
    headcount: run?.headcount,
    coverage_percent: run?.coverage_percent,
    fte_ratio: run?.kpis.fte_ratio,
  });
  const history = run ? store.runsBefore(ctx.tenant, ctx.site, run.timestamp, 8) : [];
  const detector = run
    ? detectorScore(driftSample(run), history.map(driftSample))
    : { score: 0, level: 'OK' as const, metrics: [], history_size: 0 };
  return {
    tenant_code: ctx.tenant,
    site_code: ctx.site,
    run_id: run?.run_id ?? null,
    baseline_date: baseline.data.baseline_date ?? null,
    verdict: runbookVerdict(metrics),
    metrics,
    score: detector.score,
    level: detector.level,
    detector: {
      label: 'live kpi_drift detector',
      history_size: detector.history_size,
      metrics: detector.metrics,
    },
  };
}

const BASELINE_ALIASES: Record<string, string> = {
  headcount: 'total_drivers',
  drivers: 'total_drivers',
  coverage_percent: 'coverage',
  coverage_pct: 'coverage',
  fte: 'fte_ratio',
};

function putBaseline(ctx: Ctx): Reply {
  const body = validate(S.BaselineUpdate, ctx.body);
  const current = baselineOf(ctx).data;
  const before = JSON.parse(JSON.stringify(current.roster_kpis ?? {}));
  const kpis: Record<string, S.BaselineBand> = { ...(current.roster_kpis as Record<string, S.BaselineBand>) };
  for (const [rawKey, value] of Object.entries(body.values)) {
    const key = BASELINE_ALIASES[rawKey] ?? rawKey;
    const scale = (n: number | undefined) => (n !== undefined && key === 'coverage' && n > 1 ? n / 100 : n);
    if (typeof value === 'number') kpis[key] = { ...kpis[key], expected: scale(value) };
    else {
      const band: S.BaselineBand = { ...kpis[key] };
      if (value.expected !== undefined) band.expected = scale(value.expected);
      if (value.min !== undefined) band.min = scale(value.min);
      if (value.max !== undefined) band.max = scale(value.max);
      if (value.unit !== undefined) band.unit = value.unit;
      if (value.description !== undefined) band.description = value.description;
      kpis[key] = band;
    }
  }
  const at = ctx.app.now().toISOString();
  const next = { ...current, roster_kpis: kpis, baseline_date: at.slice(0, 10) };
  ctx.app.store.putBaseline(ctx.tenant, ctx.site, next, at, ctx.principal!.email);
  audit(ctx, 'DRIFT_BASELINE_UPDATED', 'baseline_update', body.reason, { before, after: kpis });
  return json(200, { ...driftReport(ctx, null), baseline: next });
}

function incidentCreate(ctx: Ctx): Reply {
  const body = validate(S.IncidentCreate, ctx.body);
  if (body.tenant_id && body.tenant_id !== ctx.tenant) {
    throw new ApiError(403, 'TENANT_MISMATCH', `Cannot create an incident for tenant '${body.tenant_id}'`);
  }
  const now = ctx.app.now();
  const at = now.toISOString();
  const actor = ctx.principal!.email;
  const incident: S.Incident = {
    id: `INC-${dateStamp(now)}-${randomCode(6)}`,
    type: body.type,
    severity: body.severity,
    status: body.status ?? 'new',
    tenant_id: ctx.tenant,
    summary: body.summary,
    created_at: at,
    updated_at: at,
    resolved_at: body.status === 'resolved' ? at : null,
    assigned_to: body.assigned_to ?? null,
    root_cause: null,
    evidence: body.evidence ?? [],
    timeline: [...(body.timeline ?? []), { timestamp: at, action: 'Incident created', actor }],
  };
  S.Incident.parse(incident);
  ctx.app.store.insertIncident(incident);
  audit(ctx, 'INCIDENT_CREATED', 'create', body.summary, {
    incident_id: incident.id,
    severity: incident.severity,
    type: incident.type,
  });
  return json(201, incident);
}

function incidentPatch(ctx: Ctx): Reply {
  const body = validate(S.IncidentPatch, ctx.body);
  const found = ctx.app.store.incident(ctx.params.id);
  if (!found || (found.tenant_code !== null && found.tenant_code !== ctx.tenant)) {
    throw notFound(`Incident '${ctx.params.id}' not found`);
  }
  if (found.tenant_code === null && ctx.principal!.role_name !== 'platform_admin') {
    throw forbidden('Platform-wide incidents can only be changed by platform_admin');
  }
  const at = ctx.app.now().toISOString();
  const actor = ctx.principal!.email;
  const i: S.Incident = { ...found.incident, timeline: [...(found.incident.timeline ?? [])] };
  const changes: Record<string, unknown> = {};
  if (body.status && body.status !== i.status) {
    changes.status = { from: i.status, to: body.status };
    i.timeline!.push({ timestamp: at, action: `Status ${i.status} -> ${body.status}`, actor });
    i.status = body.status;
    i.resolved_at = body.status === 'resolved' ? at : i.status === 'resolved' ? i.resolved_at : null;
  }
  if (body.severity && body.severity !== i.severity) {
    changes.severity = { from: i.severity, to: body.severity };
    i.timeline!.push({ timestamp: at, action: `Severity ${i.severity} -> ${body.severity}`, actor });
    i.severity = body.severity;
  }
  if (body.summary !== undefined) {
    changes.summary = true;
    i.summary = body.summary;
  }
  if (body.assigned_to !== undefined) {
    changes.assigned_to = body.assigned_to;
    i.assigned_to = body.assigned_to;
  }
  if (body.root_cause !== undefined) {
    changes.root_cause = true;
    i.root_cause = body.root_cause;
  }
  if (body.evidence) {
    changes.evidence_added = body.evidence.length;
    i.evidence = [...(i.evidence ?? []), ...body.evidence];
  }
  if (body.timeline_entry) {
    i.timeline!.push({
      timestamp: at,
      action: body.timeline_entry.action,
      actor: body.timeline_entry.actor ?? actor,
    });
  }
  i.updated_at = at;
  S.Incident.parse(i);
  ctx.app.store.updateIncident(i);
  audit(ctx, 'INCIDENT_UPDATED', 'update', body.timeline_entry?.action ?? null, {
    incident_id: i.id,
    changes,
  });
  return json(200, i);
}

const SEV_ORDER: S.Incident['severity'][] = ['S0', 'S1', 'S2', 'S3'];

function tenantStatus(ctx: Ctx): Reply {
  const { store } = ctx.app;
  const escalations: S.Escalation[] = [];
  for (const i of store.incidents(ctx.tenant).filter(S.isActiveIncident)) {
    escalations.push({
      id: i.id,
      scope_type: i.tenant_id ? 'tenant' : 'platform',
      scope_id: i.tenant_id ?? null,
      status: 'active',
      severity: i.severity,
      reason_code: `INCIDENT_${i.type.toUpperCase()}`,
      reason_message: i.summary,
      fix_steps:
        i.severity === 'S0' || i.severity === 'S1'
          ? ['Stop the line: no publish/lock until resolved', 'Escalate to L3 (runbook escalation matrix)']
          : ['L2 investigation', 'Follow SP-002 for failed runs'],
      runbook_link: 'SUPPORT_RUNBOOK.md#incident-severity-classification',
      details: { incident_status: i.status, assigned_to: i.assigned_to ?? null },
      started_at: i.created_at,
      updated_at: i.updated_at ?? null,
      ended_at: null,
      resolved_by: null,
    });
  }
  for (const s of store.sites(ctx.tenant)) {
    if (s.kill_switch_active !== 1) continue;
    escalations.push({
      id: `ESC-KS-${s.tenant_code}-${s.site_code}`,
      scope_type: 'site',
      scope_id: s.site_code,
      status: 'active',
      severity: s.kill_switch_mode === 'emergency' ? 'S1' : 'S3',
      reason_code: 'KILL_SWITCH_ACTIVE',
      reason_message: s.kill_switch_reason,
      fix_steps:
        s.kill_switch_mode === 'emergency'
          ? ['Root cause analysis before re-enable', 'Platform Lead re-enables with rca_ref (SP-006)']
          : ['Finish the fire drill and re-enable (SP-005)'],
      runbook_link:
        s.kill_switch_mode === 'emergency'
          ? 'SUPPORT_RUNBOOK.md#sp-006-emergency-kill-switch'
          : 'SUPPORT_RUNBOOK.md#sp-005-fire-drill-execution',
      details: { mode: s.kill_switch_mode, activated_by: s.kill_switch_by },
      started_at: s.kill_switch_at,
      updated_at: s.kill_switch_at,
      ended_at: null,
      resolved_by: null,
    });
  }
  const blocked = escalations.filter((e) => e.severity === 'S0' || e.severity === 'S1').length;
  const degraded = escalations.length - blocked;
  const highest = escalations.length
    ? SEV_ORDER.find((s) => escalations.some((e) => e.severity === s))
    : null;
  const body: S.TenantStatus = {
    overall_status: blocked ? 'blocked' : degraded ? 'degraded' : 'healthy',
    highest_severity: highest ?? null,
    active_escalations: escalations,
    total_active: escalations.length,
    blocked_count: blocked,
    degraded_count: degraded,
  };
  return json(200, body);
}

function auditEntryOf(row: {
  id: number;
  event_type: string;
  user_email: string | null;
  tenant_code: string | null;
  site_code: string | null;
  created_at: string;
  details: string | null;
  role_name: string | null;
  action: string | null;
  reason: string | null;
  request_id: string | null;
}): S.AuditEntry {
  return {
    id: row.id,
    event_type: row.event_type,
    user_email: row.user_email,
    tenant_id: row.tenant_code,
    site_id: row.site_code,
    created_at: row.created_at,
    has_details: true,
  };
}

async function login(ctx: Ctx): Promise<Reply> {
  const { store } = ctx.app;
  const nowMs = ctx.app.now().getTime();
  const failures = store.loginFailures(ctx.ip, nowMs - LOGIN_WINDOW_MS);
  if (failures.n >= LOGIN_MAX_FAILURES) {
    const retry = Math.max(1, Math.ceil(((failures.first ?? nowMs) + LOGIN_WINDOW_MS - nowMs) / 1000));
    throw new ApiError(
      429,
      'RATE_LIMIT_EXCEEDED',
      `Too many failed sign-ins from this address (${LOGIN_MAX_FAILURES} in 15 min); try again in ${retry} s`,
      { retry_after_seconds: retry },
      { 'Retry-After': String(retry) },
    );
  }
  const body = validate(S.LoginRequest, ctx.body);
  const user = store.userByEmail(body.email.trim());
  const fail = (status: number, code: string, message: string) => {
    store.recordLoginFailure(ctx.ip, body.email, nowMs);
    store.audit({
      event_type: 'AUTH_FAILED',
      user_email: body.email,
      action: 'login',
      reason: code,
      tenant_code: user?.tenant_code ?? null,
      created_at: new Date(nowMs).toISOString(),
      request_id: ctx.requestId,
      details: { ip: ctx.ip, error_code: code },
    });
    return loginFailure(status, code, message);
  };
  if (!user || !(await verifyPassword(body.password, user.password_hash))) {
    return fail(401, 'INVALID_CREDENTIALS', 'Invalid email or password');
  }
  if (user.status === 'locked')
    return fail(403, 'ACCOUNT_LOCKED', 'This account is locked; contact your admin');
  if (user.status !== 'active') return fail(403, 'ACCOUNT_INACTIVE', 'This account is inactive');
  if (body.tenant_id && body.tenant_id !== user.tenant_code) {
    return loginFailure(403, 'TENANT_MISMATCH', `This account does not belong to tenant '${body.tenant_id}'`);
  }
  const token = newSessionToken();
  const expiresAt = new Date(nowMs + ctx.app.sessionTtlMs).toISOString();
  store.insertSession(
    sha256Hex(token),
    user.user_id,
    user.tenant_code,
    new Date(nowMs).toISOString(),
    expiresAt,
  );
  store.audit({
    event_type: 'LOGIN',
    user_email: user.email,
    role_name: user.role_name,
    action: 'login',
    reason: null,
    tenant_code: user.tenant_code,
    site_code: user.site_code,
    created_at: new Date(nowMs).toISOString(),
    request_id: ctx.requestId,
    details: { ip: ctx.ip, expires_at: expiresAt },
  });
  return json(200, sessionBody(store, user, expiresAt, token), {
    'Set-Cookie': sessionCookie(token, Math.floor(ctx.app.sessionTtlMs / 1000)),
  });
}

function faultsPost(ctx: Ctx): Reply {
  const b = ctx.body as Record<string, unknown>;
  const fields = [];
  if (!b || typeof b !== 'object') throw validationError([{ field: 'body', message: 'must be an object' }]);
  if (typeof b.path_prefix !== 'string' || !b.path_prefix.startsWith('/')) {
    fields.push({ field: 'path_prefix', message: 'must be a path starting with /' });
  }
  if (b.status !== undefined && (typeof b.status !== 'number' || b.status < 100 || b.status > 599)) {
    fields.push({ field: 'status', message: 'must be an HTTP status' });
  }
  if (b.status === undefined && b.delay_ms === undefined) {
    fields.push({ field: 'status', message: 'status or delay_ms is required' });
  }
  if (b.body !== undefined && typeof b.body !== 'string') {
    fields.push({ field: 'body', message: 'must be a string (sent raw)' });
  }
  if (fields.length) throw validationError(fields);
  const fault: Fault = {
    path_prefix: b.path_prefix as string,
    method: typeof b.method === 'string' ? b.method : undefined,
    status: b.status as number | undefined,
    body: b.body as string | undefined,
    content_type: typeof b.content_type === 'string' ? b.content_type : undefined,
    remaining: typeof b.times === 'number' && b.times > 0 ? Math.floor(b.times) : 1,
    delay_ms: typeof b.delay_ms === 'number' && b.delay_ms > 0 ? Math.min(b.delay_ms, 120_000) : undefined,
  };
  ctx.app.faults.push(fault);
  return json(201, { ok: true, pending: ctx.app.faults.length, fault });
}

export function routes(app: App): RouteDef<Ctx>[] {
  const list: RouteDef<Ctx>[] = [
    // ------------------------------------------------------------ health
    {
      method: 'GET',
      path: '/health',
      scope: 'none',
      handler: (ctx) =>
        json(200, {
          status: 'healthy',
          version: SANDBOX_VERSION,
          timestamp: ctx.app.now().toISOString(),
          environment: 'sandbox',
          db: ctx.app.dbConnected ? 'connected' : 'disconnected',
          redis: 'not_configured',
        } satisfies S.Health),
    },
    {
      method: 'GET',
      path: '/health/ready',
      scope: 'none',
      handler: (ctx) =>
        json(200, {
          status: ctx.app.dbConnected ? 'ready' : 'not_ready',
          checks: {
            database: ctx.app.dbConnected ? 'healthy' : 'unhealthy: connection refused (sandbox fault)',
            redis: 'not_configured',
          },
          timestamp: ctx.app.now().toISOString(),
        } satisfies S.Readiness),
    },
    { method: 'GET', path: '/health/live', scope: 'none', handler: () => json(200, { status: 'alive' }) },

    // ------------------------------------------------------------ auth
    { method: 'POST', path: '/api/auth/login', scope: 'none', handler: login },
    {
      method: 'GET',
      path: '/api/auth/me',
      scope: 'auth',
      handler: (ctx) => {
        const p = ctx.principal!;
        const user = ctx.app.store.userById(p.user_id)!;
        return json(200, sessionBody(ctx.app.store, user, p.expires_at));
      },
    },
    {
      method: 'POST',
      path: '/api/auth/logout',
      scope: 'auth',
      handler: (ctx) => {
        const p = ctx.principal!;
        if (p.kind === 'session') ctx.app.store.revokeSession(p.token_hash);
        audit(ctx, 'LOGOUT', 'logout', null, { credential: p.kind });
        return json(
          200,
          { success: true, message: 'Signed out' },
          { 'Set-Cookie': 'sv_platform_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' },
        );
      },
    },
    {
      method: 'POST',
      path: '/api/auth/refresh',
      scope: 'auth',
      handler: (ctx) => {
        const p = ctx.principal!;
        if (p.kind !== 'session') {
          throw validationError([
            { field: 'Authorization', message: 'API keys do not expire; refresh needs a session token' },
          ]);
        }
        const { store } = ctx.app;
        const token = newSessionToken();
        const nowMs = ctx.app.now().getTime();
        const expiresAt = new Date(nowMs + ctx.app.sessionTtlMs).toISOString();
        store.db.transaction(() => {
          store.revokeSession(p.token_hash);
          store.insertSession(
            sha256Hex(token),
            p.user_id,
            p.tenant_code,
            new Date(nowMs).toISOString(),
            expiresAt,
          );
        })();
        return json(200, { token, expires_at: expiresAt } satisfies S.RefreshResponse, {
          'Set-Cookie': sessionCookie(token, Math.floor(ctx.app.sessionTtlMs / 1000)),
        });
      },
    },

    // ------------------------------------------------------------ dispatcher cockpit
    { method: 'GET', path: `${P}/status`, scope: 'site', handler: (ctx) => json(200, systemStatus(ctx)) },
    {
      method: 'GET',
      path: `${P}/runs`,
      scope: 'site',
      handler: (ctx) => {
        const limit = intParam(ctx.query, 'limit', 20, 1, 100);
        const offset = intParam(ctx.query, 'offset', 0, 0, 1_000_000_000);
        const status = ctx.query.get('status') || undefined;
        if (status && !(S.RUN_STATUSES as readonly string[]).includes(status)) {
          throw validationError([
            { field: 'status', message: `must be one of ${S.RUN_STATUSES.join(', ')}` },
          ]);
        }
        const { store } = ctx.app;
        const body: S.RunList = {
          runs: store.listRuns(ctx.tenant, ctx.site, status, limit, offset),
          total: store.countRuns(ctx.tenant, ctx.site, status),
        };
        return json(200, body);
      },
    },
    {
      method: 'GET',
      path: `${P}/runs/:run_id`,
      scope: 'site',
      handler: (ctx) => json(200, detailOf(runOf(ctx))),
    },
    {
      method: 'POST',
      path: `${P}/runs/:run_id/publish`,
      scope: 'site',
      roles: APPROVER_ROLES,
      handler: publish,
    },
    { method: 'POST', path: `${P}/runs/:run_id/lock`, scope: 'site', roles: APPROVER_ROLES, handler: lock },
    {
      method: 'POST',
      path: `${P}/runs/:run_id/repair`,
      scope: 'site',
      roles: WRITERS,
      handler: (ctx) => {
        const body = validate(S.RepairRequest, ctx.body);
        const run = runOf(ctx);
        const now = ctx.app.now();
        const requestId = `REP-${dateStamp(now)}-${randomCode(6)}`;
        ctx.app.store.insertRepair({
          request_id: requestId,
          tenant_code: ctx.tenant,
          site_code: ctx.site,
          run_id: run.run_id,
          status: 'PENDING',
          body,
          created_at: now.toISOString(),
          created_by: ctx.principal!.email,
        });
        audit(ctx, 'REPAIR_REQUESTED', 'repair', body.notes ?? `${body.absence_type} ${body.driver_id}`, {
          run_id: run.run_id,
          repair_id: requestId,
          driver_id: body.driver_id,
          absence_type: body.absence_type,
          affected_tours: body.affected_tours,
          urgency: body.urgency,
        });
        return json(200, {
          request_id: requestId,
          run_id: run.run_id,
          status: 'PENDING',
          message: `Repair queued: ${body.driver_name} (${body.driver_id}) ${body.absence_type}, ${body.affected_tours.length} tour(s), urgency ${body.urgency}`,
        } satisfies S.RepairResponse);
      },
    },
    {
      method: 'GET',
      path: `${P}/evidence/:run_id`,
      scope: 'site',
      handler: (ctx) => {
        const run = runOf(ctx);
        const ev = ctx.app.store.evidence(ctx.tenant, ctx.site, run.run_id);
        if (!ev) throw notFound(`No evidence pack for run '${run.run_id}'`);
        return {
          status: 200,
          raw: ev.zip,
          contentType: 'application/zip',
          headers: {
            'X-Evidence-SHA256': ev.sha256,
            'X-Run-ID': run.run_id,
            'Content-Disposition': `attachment; filename="${run.run_id}-evidence.zip"`,
          },
        };
      },
    },
    {
      method: 'GET',
      path: `${P}/evidence/:run_id/checksums`,
      scope: 'site',
      handler: (ctx) => {
        const run = runOf(ctx);
        const ev = ctx.app.store.evidence(ctx.tenant, ctx.site, run.run_id);
        if (!ev) throw notFound(`No evidence pack for run '${run.run_id}'`);
        return json(200, { run_id: run.run_id, checksums: ev.checksums } satisfies S.EvidenceChecksums);
      },
    },

    // ------------------------------------------------------------ kill switch, fire drills
    { method: 'POST', path: `${P}/kill-switch`, scope: 'site', roles: KILL_ROLES, handler: killSwitch },
    {
      method: 'GET',
      path: `${P}/fire-drills`,
      scope: 'site',
      handler: (ctx) =>
        json(200, { drills: ctx.app.store.drills(ctx.tenant, ctx.site) } satisfies S.FireDrillList),
    },
    {
      method: 'POST',
      path: `${P}/fire-drills`,
      scope: 'site',
      roles: DRILL_ROLES,
      handler: (ctx) => {
        const body = validate(S.FireDrillCreate, ctx.body);
        const now = ctx.app.now();
        const drill: S.FireDrill = {
          id: `FD-${dateStamp(now)}-${randomCode(4)}`,
          site_code: ctx.site,
          started_at: body.started_at,
          disable_ms: body.disable_ms,
          enable_ms: body.enable_ms,
          verified_disabled: body.verified_disabled,
          verified_enabled: body.verified_enabled,
          result: body.result,
          notes: body.notes ?? null,
          by: ctx.principal!.email,
        };
        ctx.app.store.insertDrill(ctx.tenant, drill);
        audit(ctx, 'FIRE_DRILL_RECORDED', 'fire_drill', body.notes ?? null, {
          drill_id: drill.id,
          disable_ms: drill.disable_ms,
          enable_ms: drill.enable_ms,
          result: drill.result,
        });
        return json(201, drill);
      },
    },

    // ------------------------------------------------------------ drift
    {
      method: 'GET',
      path: `${P}/drift`,
      scope: 'site',
      handler: (ctx) => json(200, driftReport(ctx, ctx.query.get('run_id') || null)),
    },
    {
      method: 'PUT',
      path: `${P}/drift/baseline`,
      scope: 'site',
      roles: BASELINE_ROLES,
      handler: putBaseline,
    },

    // ------------------------------------------------------------ incidents, escalations
    {
      method: 'GET',
      path: '/api/v1/platform/incidents',
      scope: 'tenant',
      handler: (ctx) =>
        json(200, { incidents: ctx.app.store.incidents(ctx.tenant) } satisfies S.IncidentList),
    },
    {
      method: 'POST',
      path: '/api/v1/platform/incidents',
      scope: 'tenant',
      roles: WRITERS,
      handler: incidentCreate,
    },
    {
      method: 'PATCH',
      path: '/api/v1/platform/incidents/:id',
      scope: 'tenant',
      roles: WRITERS,
      handler: incidentPatch,
    },
    { method: 'GET', path: '/api/v1/tenant/status', scope: 'tenant', handler: tenantStatus },

    // ------------------------------------------------------------ audit trail
    {
      method: 'GET',
      path: '/api/v1/audit',
      scope: 'tenant',
      handler: (ctx) => {
        const q = ctx.query;
        const limit = intParam(q, 'limit', 50, 1, 200);
        const offset = intParam(q, 'offset', 0, 0, 1_000_000_000);
        const { rows, total } = ctx.app.store.auditList(
          {
            tenant_code: ctx.tenant,
            event_type: q.get('event_type') || undefined,
            user_email: q.get('user_email') || undefined,
            from_date: q.get('from_date') || undefined,
            to_date: q.get('to_date') || undefined,
          },
          limit,
          offset,
        );
        return json(200, { success: true, entries: rows.map(auditEntryOf), total } satisfies S.AuditList);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/audit/:id',
      scope: 'tenant',
      handler: (ctx) => {
        const id = /^\d+$/.test(ctx.params.id) ? Number(ctx.params.id) : Number.NaN;
        const row = Number.isSafeInteger(id) ? ctx.app.store.auditEntry(id, ctx.tenant) : undefined;
        if (!row) throw notFound(`Audit entry '${ctx.params.id}' not found`);
        const details = {
          ...(row.details ? (JSON.parse(row.details) as Record<string, unknown>) : {}),
          role_name: row.role_name,
          action: row.action,
          reason: row.reason,
          request_id: row.request_id,
        };
        return json(200, {
          ...auditEntryOf(row),
          role_name: row.role_name,
          action: row.action,
          reason: row.reason,
          request_id: row.request_id,
          details,
        });
      },
    },
  ];

  // Every synchronous write runs in one transaction: its state change and its audit row commit
  // together (and a refused request leaves nothing behind). Login awaits scrypt, so it is left out.
  for (const r of list) {
    if (r.method === 'GET' || r.path === '/api/auth/login') continue;
    const handler = r.handler;
    r.handler = (ctx) => ctx.app.store.db.transaction(() => handler(ctx) as Reply)();
  }

  // ------------------------------------------------------------ fault injection (tests only)
  if (app.faultsEnabled) {
    list.push(
      { method: 'POST', path: '/__sandbox/faults', scope: 'none', handler: faultsPost },
      {
        method: 'DELETE',
        path: '/__sandbox/faults',
        scope: 'none',
        handler: (ctx) => {
          const cleared = ctx.app.faults.length;
          ctx.app.faults.length = 0;
          return json(200, { ok: true, cleared });
        },
      },
      {
        method: 'POST',
        path: '/__sandbox/db',
        scope: 'none',
        handler: (ctx) => {
          const b = ctx.body as { connected?: unknown };
          if (typeof b?.connected !== 'boolean')
            throw validationError([{ field: 'connected', message: 'must be a boolean' }]);
          ctx.app.dbConnected = b.connected;
          return json(200, { ok: true, connected: ctx.app.dbConnected });
        },
      },
    );
  }
  if (app.extraRoutes) list.push(...app.extraRoutes);
  return list;
}

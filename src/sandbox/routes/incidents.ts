// Incidents (list, create, patch with a timeline entry per change) and the tenant's escalation
// status built from active incidents and kill switches.
import * as S from '../../api/schemas';
import { randomCode } from '../crypto';
import { ApiError, forbidden, json, notFound, type Reply, validate } from '../http';
import { dateStamp } from '../time';
import { audit, type Ctx, type Route, WRITERS } from './context';

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

export const incidentRoutes = (): Route[] => [
  {
    method: 'GET',
    path: '/api/v1/platform/incidents',
    scope: 'tenant',
    handler: (ctx) => json(200, { incidents: ctx.app.store.incidents(ctx.tenant) } satisfies S.IncidentList),
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
];

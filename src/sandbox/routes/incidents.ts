// Incidents (list, create, patch with a timeline entry per change) and the tenant's escalation
// status built from active incidents and kill switches.
import * as S from '../../api/schemas';
import { applyIncidentPatch, draftIncident } from '../../incidents/incidentPatch';
import { randomCode } from '../crypto';
import { ApiError, forbidden, json, notFound, type Reply, validate, validationError } from '../http';
import { dateStamp } from '../time';
import { audit, type Ctx, type Route, WRITERS } from './context';

function incidentCreate(ctx: Ctx): Reply {
  const body = validate(S.IncidentCreate, ctx.body);
  if (body.tenant_id && body.tenant_id !== ctx.tenant) {
    throw new ApiError(403, 'TENANT_MISMATCH', `Cannot create an incident for tenant '${body.tenant_id}'`);
  }
  const now = ctx.app.now();
  const actor = ctx.principal!.email;
  // History a client brings along keeps its actions, but the author is who signed in, and nothing
  // can be dated into the future.
  const late = (body.timeline ?? []).find((e) => Date.parse(e.timestamp) > now.getTime() + 60_000);
  if (late)
    throw validationError([{ field: 'timeline.timestamp', message: `${late.timestamp} is in the future` }]);
  const timeline = body.timeline?.map((e) => ({ ...e, actor }));
  const incident = draftIncident(
    { ...body, timeline, tenant_id: ctx.tenant },
    { now, actor, id: `INC-${dateStamp(now)}-${randomCode(6)}` },
  );
  ctx.app.store.insertIncident(incident);
  audit(ctx, 'INCIDENT_CREATED', 'create', body.summary, {
    incident_id: incident.id,
    severity: incident.severity,
    type: incident.type,
  });
  return json(201, incident);
}

/** What a patch changes, for the audit trail (text fields only as "changed"). */
function patchChanges(before: S.Incident, patch: S.IncidentPatch): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (patch.status && patch.status !== before.status)
    changes.status = { from: before.status, to: patch.status };
  if (patch.severity && patch.severity !== before.severity)
    changes.severity = { from: before.severity, to: patch.severity };
  if (patch.summary !== undefined) changes.summary = true;
  if (patch.assigned_to !== undefined) changes.assigned_to = patch.assigned_to;
  if (patch.root_cause !== undefined) changes.root_cause = true;
  if (patch.evidence) changes.evidence_added = patch.evidence.length;
  return changes;
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
  const updated = applyIncidentPatch(found.incident, {
    ...body,
    // The author of a note is who signed in, never a name the body claims.
    timeline_entry: body.timeline_entry && { action: body.timeline_entry.action, actor: null },
    now: ctx.app.now(),
    actor: ctx.principal!.email,
  });
  ctx.app.store.updateIncident(updated);
  audit(ctx, 'INCIDENT_UPDATED', 'update', body.timeline_entry?.action ?? null, {
    incident_id: updated.id,
    changes: patchChanges(found.incident, body),
  });
  return json(200, updated);
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

// The kill switch (drill and emergency modes, SP-005/SP-006 role rules) and fire-drill records.
import * as S from '../../api/schemas';
import { KILL_SWITCH_ROLES, type Role } from '../../shared/runbook';
import { randomCode } from '../crypto';
import { forbidden, json, type Reply, validate } from '../http';
import { dateStamp } from '../time';
import { audit, checkReason, type Ctx, DISPATCHER, type Route, siteOf } from './context';
import { systemStatus } from './status';

const KILL_ROLES: readonly Role[] = [
  ...new Set([...KILL_SWITCH_ROLES.drill, ...KILL_SWITCH_ROLES.emergencyDisable]),
];

function killSwitch(ctx: Ctx): Reply {
  const body = validate(S.KillSwitchRequest, ctx.body);
  checkReason(body.reason);
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
    // An emergency stop during a fire drill upgrades it: otherwise the drill's re-enable (any
    // dispatcher, no RCA) would lift an emergency.
    const upgrade = active && body.mode === 'emergency' && site.kill_switch_mode !== 'emergency';
    if (!active || upgrade) {
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

function fireDrillCreate(ctx: Ctx): Reply {
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
}

export const killSwitchRoutes = (): Route[] => [
  {
    method: 'POST',
    path: `${DISPATCHER}/kill-switch`,
    scope: 'site',
    roles: KILL_ROLES,
    handler: killSwitch,
  },
  {
    method: 'GET',
    path: `${DISPATCHER}/fire-drills`,
    scope: 'site',
    handler: (ctx) =>
      json(200, { drills: ctx.app.store.drills(ctx.tenant, ctx.site) } satisfies S.FireDrillList),
  },
  {
    method: 'POST',
    path: `${DISPATCHER}/fire-drills`,
    scope: 'site',
    roles: KILL_SWITCH_ROLES.drill,
    handler: fireDrillCreate,
  },
];

// The dispatcher cockpit's system status of one site: kill switch, publish/lock availability,
// latest run, pending repairs and active incidents.
import type * as S from '../../api/schemas';
import { json } from '../http';
import { type Ctx, DISPATCHER, type Route, siteOf } from './context';

export function systemStatus(ctx: Ctx): S.SystemStatus {
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
    active_incidents: store.activeIncidentCount(ctx.tenant),
    kill_switch_activated_by: site.kill_switch_by,
    kill_switch_activated_at: site.kill_switch_at,
    kill_switch_mode: site.kill_switch_mode,
  };
}

export const statusRoutes = (): Route[] => [
  {
    method: 'GET',
    path: `${DISPATCHER}/status`,
    scope: 'site',
    handler: (ctx) => json(200, systemStatus(ctx)),
  },
];

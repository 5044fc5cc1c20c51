// What the Sites tree shows, independent of how VS Code renders it: environment -> tenant -> site
// -> facts (health, kill switch, publish/lock, shadow mode, latest run). Loaded through the client.
import {
  type Capability,
  describeCapabilities,
  FALLBACKS,
  type ServerCapabilities,
} from '../../api/capabilities';
import type { SolvereignClient } from '../../api/client';
import type { Health, Session, SystemStatus } from '../../api/schemas';
import type { ConnectionState } from '../../connection/connectionManager';
import type { Environment } from '../../connection/environments';
import { ROLE_TITLES, type Role } from '../../shared/runbook';
import { accessibleName, LEVEL_WORDS } from '../accessibleName';
import { connectionStateWords } from '../statusBarModel';

export interface SiteRef {
  tenant: string;
  site: string;
  siteName?: string;
  tenantName?: string;
}

export interface SiteFacts {
  ref: SiteRef;
  status?: SystemStatus;
  health?: Health;
  error?: string;
}

export interface FactRow {
  id: string;
  label: string;
  description: string;
  level: 'ok' | 'warn' | 'error' | 'info';
  tooltip?: string;
}

/** Tenants and sites the session may see; falls back to the environment's own tenant/site. */
export function sitesOf(
  env: Environment,
  session: Session | undefined,
): { tenant: string; tenantName?: string; sites: SiteRef[] }[] {
  const out = new Map<string, { tenant: string; tenantName?: string; sites: SiteRef[] }>();
  for (const t of session?.available_tenants ?? []) {
    if (!t || typeof t !== 'object') continue;
    const rec = t as { tenant_code?: unknown; tenant_name?: unknown; sites?: unknown };
    if (typeof rec.tenant_code !== 'string') continue;
    const tenantName = typeof rec.tenant_name === 'string' ? rec.tenant_name : undefined;
    const sites: SiteRef[] = [];
    if (Array.isArray(rec.sites)) {
      for (const s of rec.sites) {
        const sr = s as { site_code?: unknown; site_name?: unknown };
        if (typeof sr?.site_code === 'string') {
          sites.push({
            tenant: rec.tenant_code,
            site: sr.site_code,
            siteName: typeof sr.site_name === 'string' ? sr.site_name : undefined,
            tenantName,
          });
        }
      }
    }
    out.set(rec.tenant_code, { tenant: rec.tenant_code, tenantName, sites });
  }
  // The environment's own site is always listed (live sessions may not carry available_tenants).
  const own = out.get(env.tenant) ?? { tenant: env.tenant, sites: [] };
  if (!own.sites.some((s) => s.site === env.site)) own.sites.unshift({ tenant: env.tenant, site: env.site });
  out.set(env.tenant, own);
  return [...out.values()];
}

export async function loadSiteFacts(
  client: SolvereignClient,
  ref: SiteRef,
  signal?: AbortSignal,
): Promise<SiteFacts> {
  const c =
    client.tenant === ref.tenant && client.site === ref.site ? client : client.forSite(ref.site, ref.tenant);
  const [status, health] = await Promise.allSettled([c.status({ signal }), c.health({ signal })]);
  return {
    ref,
    status: status.status === 'fulfilled' ? status.value : undefined,
    health: health.status === 'fulfilled' ? health.value : undefined,
    error:
      status.status === 'rejected'
        ? (status.reason as Error).message
        : health.status === 'rejected'
          ? (health.reason as Error).message
          : undefined,
  };
}

export function factRows(f: SiteFacts): FactRow[] {
  const rows: FactRow[] = [];
  const id = `${f.ref.tenant}/${f.ref.site}`;
  if (f.health) {
    const dbBad = f.health.db && f.health.db !== 'connected' && f.health.db !== 'not_configured';
    rows.push({
      id: `${id}/health`,
      label: 'Health',
      description: `${f.health.status}${f.health.db ? ` · db ${f.health.db}` : ''}`,
      level: f.health.status === 'healthy' && !dbBad ? 'ok' : 'error',
    });
  }
  const s = f.status;
  if (!s) return rows;
  rows.push({
    id: `${id}/kill-switch`,
    label: 'Kill switch',
    description: s.kill_switch_active
      ? `ACTIVE${s.kill_switch_mode ? ` (${s.kill_switch_mode})` : ''}${s.kill_switch_reason ? ` — ${s.kill_switch_reason}` : ''}${s.kill_switch_activated_by ? ` · by ${s.kill_switch_activated_by}` : ''}${s.kill_switch_activated_at ? ` · since ${s.kill_switch_activated_at}` : ''}`
      : `off${s.kill_switch_activated_at ? ` (last change ${s.kill_switch_activated_at}${s.kill_switch_activated_by ? ` by ${s.kill_switch_activated_by}` : ''})` : ''}`,
    level: s.kill_switch_active ? 'error' : 'ok',
    tooltip: s.kill_switch_active
      ? `Reason: ${s.kill_switch_reason ?? '?'}\nBy: ${s.kill_switch_activated_by ?? '?'}\nSince: ${s.kill_switch_activated_at ?? '?'}`
      : undefined,
  });
  rows.push({
    id: `${id}/publish`,
    label: 'Publish / lock',
    description: `publish ${s.publish_enabled ? 'enabled' : 'DISABLED'} · lock ${s.lock_enabled ? 'enabled' : 'DISABLED'}`,
    level: s.publish_enabled && s.lock_enabled ? 'ok' : 'warn',
  });
  rows.push({
    id: `${id}/shadow`,
    label: 'Shadow mode',
    description: s.shadow_mode_only ? 'ON (shadow only: no publish)' : 'off',
    level: s.shadow_mode_only ? 'warn' : 'ok',
  });
  rows.push({
    id: `${id}/incidents`,
    label: 'Incidents / repairs',
    description: `${s.active_incidents} active incident${s.active_incidents === 1 ? '' : 's'} · ${s.pending_repairs} pending repair${s.pending_repairs === 1 ? '' : 's'}`,
    level: s.active_incidents > 0 ? 'warn' : 'ok',
  });
  const r = s.latest_run;
  rows.push({
    id: `${id}/latest-run`,
    label: 'Latest run',
    description: r
      ? `${r.run_id} · ${r.status} · ${r.week_id} · audits ${r.audit_pass_count}/${r.audit_total}`
      : 'none',
    level: !r
      ? 'info'
      : r.status === 'PASS'
        ? 'ok'
        : r.status === 'WARN'
          ? 'warn'
          : r.status === 'PENDING'
            ? 'info'
            : 'error',
  });
  return rows;
}

/**
 * What the server offers, under the environment: "live cockpit · kill switch: by CLI on the server
 * · …"; the tooltip names each missing [ops] endpoint and the fallback that works instead.
 */
export function capabilityRow(envId: string, caps: ServerCapabilities): FactRow {
  const missing = (Object.keys(caps.offered) as Capability[]).filter((c) => !caps.offered[c]);
  const fallback = (c: Capability) => {
    const f = FALLBACKS[c];
    const how = f.manual ? `instead: ${f.manual}${f.where === 'server' ? ' (on the server)' : ''}` : '';
    return `• ${f.feature}: ${[how, f.note].filter(Boolean).join('; ') || 'no fallback'}`;
  };
  return {
    id: `${envId}/capabilities`,
    label: 'Server',
    description: describeCapabilities(caps),
    level: missing.length ? 'info' : 'ok',
    tooltip: [
      `${caps.server} (${caps.kind}), detected ${caps.detectedAt}`,
      missing.length ? 'Not offered by this server:' : 'Every [ops] endpoint is offered.',
      ...missing.map(fallback),
      caps.unknown.length ? `No answer when probed (assumed offered): ${caps.unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  };
}

// ---------------------------------------------------------------- accessible names of the rows

/** A fact row: "Kill switch, OK, off". */
export function factAccessibleName(row: FactRow): string {
  return accessibleName(row.label, LEVEL_WORDS[row.level], row.description);
}

/** A role's title ("Ops Lead"), never its id (`ops_lead`); an unknown role as the server names it. */
export function roleWords(role: string): string {
  return ROLE_TITLES[role as Role] ?? role;
}

/** The active environment's row description: "URL · signed out" / "URL · connected · who (Ops Lead)". */
export function activeEnvironmentDescription(
  url: string,
  state: ConnectionState,
  user?: { email: string; role: string },
): string {
  return [url, connectionStateWords(state), user && `${user.email} (${roleWords(user.role)})`]
    .filter(Boolean)
    .join(' · ');
}

/** The active environment: name, that it is active, the connection state, who is signed in. */
export function activeEnvironmentAccessibleName(
  name: string,
  state: string,
  user?: { email: string; role: string },
): string {
  return accessibleName(
    name,
    'active environment',
    state,
    user && `signed in as ${user.email} (${roleWords(user.role)})`,
  );
}

/** Another environment: a switcher row. */
export function otherEnvironmentAccessibleName(env: Environment, signedIn: boolean | undefined): string {
  return accessibleName(
    env.name,
    `environment ${env.tenant}/${env.site}`,
    signedIn === undefined ? undefined : signedIn ? 'signed in' : 'not signed in',
    'activate to switch',
  );
}

export function tenantAccessibleName(tenant: string, tenantName?: string): string {
  return accessibleName(`Tenant ${tenant}`, tenantName);
}

export function siteAccessibleName(ref: SiteRef, active: boolean): string {
  return accessibleName(`Site ${ref.site}`, ref.siteName, active && 'active');
}

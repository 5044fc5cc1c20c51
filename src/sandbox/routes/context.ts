// What every area of the sandbox's routes shares: the app state, the per-request context, and the
// small helpers each area needs (audit rows, the addressed site and run, integer query parameters).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reasonProblem } from '../../ops/reason';
import { ROLES, type Role } from '../../shared/runbook';
import { notFound, type Principal, type RouteDef, validationError } from '../http';
import type { RunRecord, SiteRow, Store } from '../store';

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

export type Route = RouteDef<Ctx>;

/** Every role that may change something (all but ops_readonly). */
export const WRITERS: readonly Role[] = ROLES.filter((r) => r !== 'ops_readonly');

/** Prefix of the dispatcher cockpit's endpoints. */
export const DISPATCHER = '/api/v1/platform/dispatcher';

/** Writes one audit row for the request's principal, tenant and site; returns its id. */
export function audit(
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

/** The contract's form of an audit event id. */
export const aeId = (id: number) => `AE-${String(id).padStart(6, '0')}`;

export function siteOf(ctx: Ctx): SiteRow {
  const site = ctx.app.store.site(ctx.tenant, ctx.site);
  if (!site) throw notFound(`Site '${ctx.site}' not found for tenant '${ctx.tenant}'`);
  return site;
}

export function runOf(ctx: Ctx): RunRecord {
  const run = ctx.app.store.run(ctx.tenant, ctx.site, ctx.params.run_id);
  if (!run) throw notFound(`Run '${ctx.params.run_id}' not found for site ${ctx.site}`);
  return run;
}

export function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return def;
  if (!/^-?\d+$/.test(raw))
    throw validationError([{ field: name, message: `must be an integer, got '${raw}'` }]);
  const n = Number.parseInt(raw, 10);
  if (n < min || n > max)
    throw validationError([{ field: name, message: `must be between ${min} and ${max}` }]);
  return n;
}

/** The audit reason rule shared with the CLI and the extension (trimmed, long enough): 422 otherwise. */
export function checkReason(reason: string): void {
  const problem = reasonProblem(reason);
  if (problem) throw validationError([{ field: 'reason', message: problem }]);
}

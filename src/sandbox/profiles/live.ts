// The sandbox's `--profile live`: SOLVEREIGN as deployed (CONTRACT.md "Live SOLVEREIGN as
// deployed"), over the same database. It answers the dispatcher cockpit, health and session
// routes in live's shapes (FastAPI `{"detail": …}` errors, no auth on the cockpit, integer tenant
// ids, `/me` without `success`, free-form audit details, live's evidence layout, a global
// file-based kill switch that leaves publish_enabled true, `UNKNOWN` drift, no offset paging) and
// 404s every [ops] endpoint. Everything else (the solve API, tenant status, /__sandbox) is left
// to the default routes.
import { readZip } from '../../shared/zip';
import * as S from '../../api/schemas';
import { sha256Hex } from '../crypto';
import { createZip } from '../zip';
import { ApiError, errorReply, parseJsonBody, readBody, type Reply } from '../http';
import type { App, Ctx } from '../routes';
import type { RunRecord, Store } from '../store';
import { dateStamp } from '../time';
import { readGlobalKillSwitch } from './globalKillSwitch';
import type { SandboxProfile } from './profile';
import { MIN_REASON_LENGTH as MIN_REASON } from '../../ops/reason';

const P = '/api/v1/platform/dispatcher';
const LIVE_RUN_STATUSES = ['PASS', 'WARN', 'FAIL', 'BLOCKED', 'PENDING'] as const;
const APPROVER_ROLE_PATTERN = '^(dispatcher|ops_lead|platform_admin)$';
const KILL_SWITCH_BLOCK = 'Kill switch is active - all publish/lock operations disabled';
const SHORT_REASON_BLOCK = 'Approval validation failed: Reason must be at least 10 characters';
/** Who the cockpit records for an unauthenticated repair request (live takes no credentials there). */
const COCKPIT_USER = 'dispatcher-cockpit';
const UNKNOWN_DRIFT_META = 'live_profile.unknown_drift_run';
const FAILED_WEEK_RERUN_META = 'live_profile.failed_week_rerun';

type Json = Record<string, unknown>;

/** A FastAPI/pydantic validation item, as live sends them in `detail`. */
interface LiveValidationItem {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Json;
}

const reply = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers,
  contentType: 'application/json',
});
const detail = (status: number, d: unknown) => reply(status, { detail: d });
const notFound = () => detail(404, 'Not Found');

/** Thrown inside the profile's handlers; becomes the reply as is. */
class LiveAnswer extends Error {
  constructor(readonly reply: Reply) {
    super(`live answer ${reply.status}`);
  }
}
const answer = (r: Reply): never => {
  throw new LiveAnswer(r);
};

function headerOf(ctx: Ctx, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
}

function cookieToken(ctx: Ctx): string | undefined {
  const m = /(?:^|;\s*)(?:__Host-)?sv_platform_session=([^;]+)/.exec(headerOf(ctx, 'cookie') ?? '');
  return m ? m[1] : undefined;
}

async function bodyOf(ctx: Ctx): Promise<Json> {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(await readBody(ctx.req));
  } catch {
    answer(
      detail(422, [
        {
          type: 'json_invalid',
          loc: ['body', 0],
          msg: 'JSON decode error',
          input: {},
          ctx: { error: 'Invalid JSON' },
        },
      ]),
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    answer(
      detail(422, [
        {
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary',
          input: parsed,
        },
      ]),
    );
  }
  ctx.body = parsed;
  return parsed as Json;
}

/** Pydantic-style field checks; every failing field is reported at once. */
class BodyCheck {
  readonly issues: LiveValidationItem[] = [];
  constructor(private readonly body: Json) {}
  string(field: string, opts: { pattern?: string; minLength?: number; optional?: boolean } = {}): string {
    const v = this.body[field];
    const loc = ['body', field];
    if (v === undefined || v === null) {
      if (!opts.optional) this.issues.push({ type: 'missing', loc, msg: 'Field required', input: this.body });
      return '';
    }
    if (typeof v !== 'string') {
      this.issues.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: v });
      return '';
    }
    if (opts.pattern && !new RegExp(opts.pattern).test(v)) {
      this.issues.push({
        type: 'string_pattern_mismatch',
        loc,
        msg: `String should match pattern '${opts.pattern}'`,
        input: v,
        ctx: { pattern: opts.pattern },
      });
    } else if (opts.minLength !== undefined && v.length < opts.minLength) {
      this.issues.push({
        type: 'string_too_short',
        loc,
        msg: `String should have at least ${opts.minLength} characters`,
        input: v,
        ctx: { min_length: opts.minLength },
      });
    }
    return v;
  }
  boolean(field: string, def: boolean): boolean {
    const v = this.body[field];
    if (v === undefined || v === null) return def;
    if (typeof v !== 'boolean') {
      this.issues.push({
        type: 'bool_type',
        loc: ['body', field],
        msg: 'Input should be a valid boolean',
        input: v,
      });
      return def;
    }
    return v;
  }
  done(): void {
    if (this.issues.length) answer(detail(422, this.issues));
  }
}

/** Live's `tenant_id` is an integer (pydantic lax mode also takes a numeric string). */
function integerField(body: Json, field: string): { value?: number; issue?: LiveValidationItem } {
  const v = body[field];
  const loc = ['body', field];
  if (v === undefined || v === null) return {};
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return { value: v };
    return {
      issue: {
        type: 'int_from_float',
        loc,
        msg: 'Input should be a valid integer, got a number with a fractional part',
        input: v,
      },
    };
  }
  if (typeof v === 'string') {
    if (/^\s*[+-]?\d+\s*$/.test(v)) return { value: Number.parseInt(v, 10) };
    return {
      issue: {
        type: 'int_parsing',
        loc,
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: v,
      },
    };
  }
  return { issue: { type: 'int_type', loc, msg: 'Input should be a valid integer', input: v } };
}

// ---------------------------------------------------------------- shapes

/** Live's audit `details`: a free-form object (message, the drivers/tours it names) or null. */
export function liveAuditDetails(a: S.AuditResult): Json | null {
  if (a.status === 'PASS' && a.violation_count === 0) return null;
  const d = (a.details ?? {}) as {
    message?: unknown;
    violations?: { driver_id?: string; tour_ids?: string[] }[];
  };
  const violations = Array.isArray(d.violations) ? d.violations : [];
  const drivers = [...new Set(violations.map((v) => v.driver_id).filter((x): x is string => Boolean(x)))];
  const tours = [...new Set(violations.flatMap((v) => v.tour_ids ?? []))];
  let message = typeof d.message === 'string' ? d.message : `${a.violation_count} violations`;
  if (a.check_name === 'Rest' && drivers.length) message = `${drivers.length} drivers with < 11h rest`;
  const out: Json = { message };
  if (drivers.length) out.drivers = drivers;
  else if (tours.length) out.tours = tours;
  return out;
}

const evidencePath = (runId: string) => `artifacts/evidence/${runId}`;

type RunFields = Pick<
  S.RunSummary,
  | 'run_id'
  | 'week_id'
  | 'timestamp'
  | 'status'
  | 'tenant_code'
  | 'site_code'
  | 'headcount'
  | 'coverage_percent'
  | 'published'
  | 'published_at'
  | 'published_by'
  | 'locked'
  | 'locked_at'
  | 'locked_by'
  | 'notes'
>;

/** The fields a run summary and a run detail open with, in live's order. */
const runHead = (r: RunFields): Json => ({
  run_id: r.run_id,
  week_id: r.week_id,
  timestamp: r.timestamp,
  status: r.status,
  tenant_code: r.tenant_code,
  site_code: r.site_code,
  headcount: r.headcount ?? 0,
  coverage_percent: r.coverage_percent ?? 0,
});

/** The fields both end with, in live's order. */
const runTail = (r: RunFields): Json => ({
  published: r.published,
  published_at: r.published_at ?? null,
  published_by: r.published_by ?? null,
  locked: r.locked,
  locked_at: r.locked_at ?? null,
  locked_by: r.locked_by ?? null,
  notes: r.notes ?? '',
});

export function liveSummary(r: S.RunSummary): Json {
  return {
    ...runHead(r),
    audit_pass_count: r.audit_pass_count,
    audit_total: r.audit_total,
    evidence_path: evidencePath(r.run_id),
    // A run without drift data: live says UNKNOWN (our own contract has no such value).
    kpi_drift_status: r.kpi_drift_status ?? 'UNKNOWN',
    ...runTail(r),
  };
}

export function liveDetail(r: RunRecord): Json {
  return {
    ...runHead(r),
    audit_results: r.audit_results.map((a) => ({
      check_name: a.check_name,
      status: a.status,
      violation_count: a.violation_count,
      details: liveAuditDetails(a),
    })),
    kpis: {
      headcount: r.kpis.headcount ?? 0,
      coverage_percent: r.kpis.coverage_percent ?? 0,
      fte_ratio: r.kpis.fte_ratio ?? 0,
      pt_ratio: r.kpis.pt_ratio ?? 0,
      runtime_seconds: r.kpis.runtime_seconds ?? 0,
      drift_status: r.kpis.drift_status ?? 'UNKNOWN',
    },
    input_hash: r.input_hash,
    output_hash: r.output_hash,
    evidence_hash: r.evidence_hash,
    evidence_path: evidencePath(r.run_id),
    artifact_uri: r.artifact_uri ?? null,
    ...runTail(r),
  };
}

/** Live's integer tenant ids: the sandbox numbers its tenants from 1 in code order. */
export function liveTenantIds(store: Store): Record<string, number> {
  return Object.fromEntries(store.tenants().map((t, i) => [t.tenant_code, i + 1]));
}

/** `/me` and login: live's ids are integers (tenants and sites numbered from 1). */
function liveSession(store: Store, session: Json, { withSuccess }: { withSuccess: boolean }): Json {
  const { success, token: _token, ...rest } = session;
  const tenantCode = String(session.tenant_id ?? '');
  const tenantNo = liveTenantIds(store)[tenantCode] ?? 0;
  const siteNo = store.sites(tenantCode).findIndex((s) => s.site_code === session.site_id) + 1;
  const out: Json = withSuccess ? { success } : {};
  return { ...out, ...rest, tenant_id: tenantNo || null, site_id: siteNo || null };
}

// ---------------------------------------------------------------- evidence (live's run folder)

interface LivePack {
  zip: Buffer;
  sha256: string;
  checksums: Record<string, string>;
}

/**
 * Live's run folder: `evidence.zip` (metadata, plan, audit results) beside `metadata.json`,
 * `plan.json` and `input_summary.json`; the checksums list every file of the folder, the archive
 * itself included, and `input_summary.json` is outside the archive (as on live).
 */
export function liveEvidence(run: RunRecord, stored: { zip: Buffer }): LivePack {
  const inner = readZip(stored.zip);
  const forecast = inner.get('input/forecast.txt')?.toString('utf8') ?? '';
  const plan = inner.get('plan.json') ?? Buffer.from('null\n');
  const metadata = `${JSON.stringify(
    {
      run_id: run.run_id,
      week_id: run.week_id,
      tenant_code: run.tenant_code,
      site_code: run.site_code,
      created_at: run.timestamp,
      status: run.status,
      input_hash: run.input_hash,
      output_hash: run.output_hash,
      solver_seed: run.seed ?? null,
    },
    null,
    2,
  )}\n`;
  const inputSummary = `${JSON.stringify(
    {
      run_id: run.run_id,
      week_id: run.week_id,
      input_hash: run.input_hash,
      forecast_lines: forecast
        ? forecast.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length
        : 0,
    },
    null,
    2,
  )}\n`;
  const audits = `${JSON.stringify(
    {
      run_id: run.run_id,
      audit_results: run.audit_results.map((a) => ({ ...a, details: liveAuditDetails(a) })),
    },
    null,
    2,
  )}\n`;
  const zip = createZip(
    [
      { name: 'metadata.json', data: metadata },
      { name: 'plan.json', data: plan },
      { name: 'audit_results.json', data: audits },
    ],
    new Date(run.timestamp),
  );
  const sha256 = sha256Hex(zip);
  return {
    zip,
    sha256,
    checksums: {
      'evidence.zip': sha256,
      'input_summary.json': sha256Hex(inputSummary),
      'metadata.json': sha256Hex(metadata),
      'plan.json': sha256Hex(plan),
    },
  };
}

// ---------------------------------------------------------------- the profile

export interface LiveProfileOptions {
  /** The sandbox's data folder: holds the global kill switch file. */
  dataDir: string;
}

export function liveProfile(app: App, options: LiveProfileOptions): SandboxProfile {
  const { store } = app;
  ensureRunWithoutDriftData(app);
  ensureFailedWeekRerun(app);
  const packs = new Map<string, LivePack>();
  let aeCounter = 0;

  const auditEventId = (): string => {
    const d = app.now();
    const stamp = d.toISOString().replace(/\D/g, '').slice(0, 14);
    const micros = String((d.getUTCMilliseconds() * 1000 + (aeCounter++ % 1000)) % 1_000_000).padStart(
      6,
      '0',
    );
    return `AE-${stamp}${micros}`;
  };

  const scope = (ctx: Ctx): void => {
    const tenant = headerOf(ctx, 'x-tenant-code');
    const site = headerOf(ctx, 'x-site-code');
    const missing: LiveValidationItem[] = [];
    if (!tenant)
      missing.push({ type: 'missing', loc: ['header', 'X-Tenant-Code'], msg: 'Field required', input: null });
    if (!site)
      missing.push({ type: 'missing', loc: ['header', 'X-Site-Code'], msg: 'Field required', input: null });
    if (missing.length) answer(detail(422, missing));
    if (!store.site(tenant!, site!)) answer(detail(404, `Site '${site}' not found for tenant '${tenant}'`));
    ctx.tenant = tenant!;
    ctx.site = site!;
  };

  const runOf = (ctx: Ctx, runId: string): RunRecord => {
    const run = store.run(ctx.tenant, ctx.site, runId);
    // Live has no ERROR runs: a crashed solve never reaches its cockpit.
    if (!run || run.status === 'ERROR') answer(detail(404, `Run '${runId}' not found for site ${ctx.site}`));
    return run!;
  };

  const liveRuns = (ctx: Ctx, status: string | undefined, limit: number): Json[] => {
    const out: S.RunSummary[] = [];
    for (let offset = 0; out.length < limit; ) {
      const batch = store.listRuns(ctx.tenant, ctx.site, status, 100, offset);
      if (!batch.length) break;
      offset += batch.length;
      out.push(...batch.filter((r) => r.status !== 'ERROR'));
    }
    return out.slice(0, limit).map(liveSummary);
  };

  const latestRun = (ctx: Ctx): Json | null => liveRuns(ctx, undefined, 1)[0] ?? null;

  const status = (ctx: Ctx): Reply => {
    const site = store.site(ctx.tenant, ctx.site)!;
    const ks = readGlobalKillSwitch(options.dataDir);
    const shadow = site.shadow_mode_only === 1;
    // Live's global switch leaves publish_enabled/lock_enabled true: the freeze is kill_switch_active.
    return reply(200, {
      kill_switch_active: ks.active,
      kill_switch_reason: ks.active ? ks.reason : null,
      publish_enabled: !shadow,
      lock_enabled: !shadow,
      shadow_mode_only: shadow,
      latest_run: latestRun(ctx),
      pending_repairs: store.pendingRepairs(ctx.tenant, ctx.site),
      active_incidents: store.incidents(ctx.tenant).filter(S.isActiveIncident).length,
    });
  };

  const runs = (ctx: Ctx): Reply => {
    const issues: LiveValidationItem[] = [];
    let limit = 20;
    const rawLimit = ctx.query.get('limit');
    if (rawLimit !== null) {
      if (!/^\s*[+-]?\d+\s*$/.test(rawLimit)) {
        issues.push({
          type: 'int_parsing',
          loc: ['query', 'limit'],
          msg: 'Input should be a valid integer, unable to parse string as an integer',
          input: rawLimit,
        });
      } else {
        limit = Number.parseInt(rawLimit, 10);
        if (limit < 1)
          issues.push({
            type: 'greater_than_equal',
            loc: ['query', 'limit'],
            msg: 'Input should be greater than or equal to 1',
            input: rawLimit,
            ctx: { ge: 1 },
          });
        if (limit > 100)
          issues.push({
            type: 'less_than_equal',
            loc: ['query', 'limit'],
            msg: 'Input should be less than or equal to 100',
            input: rawLimit,
            ctx: { le: 100 },
          });
      }
    }
    const statusFilter = ctx.query.get('status') ?? undefined;
    if (statusFilter !== undefined && !(LIVE_RUN_STATUSES as readonly string[]).includes(statusFilter)) {
      const expected = "'PASS', 'WARN', 'FAIL', 'BLOCKED' or 'PENDING'";
      issues.push({
        type: 'enum',
        loc: ['query', 'status'],
        msg: `Input should be ${expected}`,
        input: statusFilter,
        ctx: { expected },
      });
    }
    if (issues.length) answer(detail(422, issues));
    // No `offset` on live: it is ignored, and `total` is the size of this page.
    const list = liveRuns(ctx, statusFilter, limit);
    return reply(200, { runs: list, total: list.length });
  };

  const gateAnswer = (
    run: RunRecord,
    fields: {
      success: boolean;
      status: string;
      message: string;
      blocked_reason: string | null;
      audit_event_id: string | null;
    },
  ) =>
    reply(200, {
      success: fields.success,
      run_id: run.run_id,
      status: fields.status,
      audit_event_id: fields.audit_event_id,
      evidence_hash: run.evidence_hash,
      message: fields.message,
      blocked_reason: fields.blocked_reason,
    });

  /** A block is recorded in the store's audit trail with live's event id. */
  const blocked = (
    ctx: Ctx,
    run: RunRecord,
    what: 'Publish' | 'Lock',
    status: string,
    why: string,
    body: Json,
  ): Reply => {
    const id = auditEventId();
    store.audit({
      event_type: status === 'BLOCKED_KILL_SWITCH' ? 'FREEZE_VIOLATION' : 'GATE_BLOCKED',
      user_email: String(body.approver_id ?? ''),
      role_name: String(body.approver_role ?? ''),
      action: what.toLowerCase(),
      reason: String(body.reason ?? ''),
      tenant_code: ctx.tenant,
      site_code: ctx.site,
      created_at: app.now().toISOString(),
      request_id: ctx.requestId,
      details: { run_id: run.run_id, audit_event_id: id, status, blocked_reason: why },
    });
    return gateAnswer(run, {
      success: false,
      status,
      message: `${what} blocked`,
      blocked_reason: why,
      audit_event_id: id,
    });
  };

  /** Kill switch, approval (trimmed reason >= 10) and shadow mode, in live's order. */
  const gates = (
    ctx: Ctx,
    run: RunRecord,
    what: 'Publish' | 'Lock',
    body: Json,
    reason: string,
  ): Reply | undefined => {
    if (readGlobalKillSwitch(options.dataDir).active)
      return blocked(ctx, run, what, 'BLOCKED_KILL_SWITCH', KILL_SWITCH_BLOCK, body);
    if (reason.trim().length < MIN_REASON)
      return blocked(ctx, run, what, 'BLOCKED_APPROVAL_REQUIRED', SHORT_REASON_BLOCK, body);
    if (store.site(ctx.tenant, ctx.site)?.shadow_mode_only === 1)
      return blocked(
        ctx,
        run,
        what,
        'BLOCKED_SHADOW_ONLY',
        `Site ${ctx.site} runs in shadow mode only`,
        body,
      );
    return undefined;
  };

  const done = (ctx: Ctx, run: RunRecord, what: 'publish' | 'lock', body: Json): Reply => {
    const at = app.now().toISOString();
    const by = String(body.approver_id);
    const id = auditEventId();
    store.db.transaction(() => {
      if (what === 'publish') store.markPublished(ctx.tenant, ctx.site, run.run_id, at, by);
      else store.markLocked(ctx.tenant, ctx.site, run.run_id, at, by);
      store.audit({
        event_type: what === 'publish' ? 'RUN_PUBLISHED' : 'RUN_LOCKED',
        user_email: by,
        role_name: String(body.approver_role),
        action: what,
        reason: String(body.reason),
        tenant_code: ctx.tenant,
        site_code: ctx.site,
        created_at: at,
        request_id: ctx.requestId,
        details: { run_id: run.run_id, audit_event_id: id, override_warn: body.override_warn === true },
      });
    })();
    return gateAnswer(run, {
      success: true,
      status: what === 'publish' ? 'PUBLISHED' : 'LOCKED',
      message: `Run ${what === 'publish' ? 'published' : 'locked'} by ${by}`,
      blocked_reason: null,
      audit_event_id: id,
    });
  };

  const publish = async (ctx: Ctx, runId: string): Promise<Reply> => {
    const body = await bodyOf(ctx);
    const check = new BodyCheck(body);
    check.string('approver_id');
    check.string('approver_role', { pattern: APPROVER_ROLE_PATTERN });
    const reason = check.string('reason');
    const overrideWarn = check.boolean('override_warn', false);
    check.done();
    const run = runOf(ctx, runId);
    if (run.published) {
      return gateAnswer(run, {
        success: true,
        status: 'ALREADY_PUBLISHED',
        message: 'Run already published',
        blocked_reason: null,
        audit_event_id: null,
      });
    }
    if (run.status !== 'PASS' && !(run.status === 'WARN' && overrideWarn)) {
      const tail = run.status === 'WARN' ? ' (override_warn required)' : '';
      answer(detail(409, `Cannot publish run with status: ${run.status}${tail}`));
    }
    return gates(ctx, run, 'Publish', body, reason) ?? done(ctx, run, 'publish', body);
  };

  const lock = async (ctx: Ctx, runId: string): Promise<Reply> => {
    const body = await bodyOf(ctx);
    const check = new BodyCheck(body);
    check.string('approver_id');
    check.string('approver_role', { pattern: APPROVER_ROLE_PATTERN });
    const reason = check.string('reason', { minLength: MIN_REASON });
    check.done();
    const run = runOf(ctx, runId);
    if (run.locked) {
      return gateAnswer(run, {
        success: true,
        status: 'ALREADY_LOCKED',
        message: 'Run already locked',
        blocked_reason: null,
        audit_event_id: null,
      });
    }
    // Live checks neither the audits nor whether the run is published: the client must.
    return gates(ctx, run, 'Lock', body, reason) ?? done(ctx, run, 'lock', body);
  };

  const repair = async (ctx: Ctx, runId: string): Promise<Reply> => {
    const body = await bodyOf(ctx);
    const parsed = S.RepairRequest.safeParse(body);
    if (!parsed.success) {
      answer(
        detail(
          422,
          parsed.error.issues.map((i) => ({
            type: 'value_error',
            loc: ['body', ...i.path.map(String)],
            msg: i.message,
            input: body,
          })),
        ),
      );
    }
    const run = runOf(ctx, runId);
    const r = parsed.data!;
    const now = app.now();
    const requestId = `REP-${dateStamp(now)}-${sha256Hex(`${run.run_id}${now.toISOString()}${Math.random()}`).slice(0, 6).toUpperCase()}`;
    store.insertRepair({
      request_id: requestId,
      tenant_code: ctx.tenant,
      site_code: ctx.site,
      run_id: run.run_id,
      status: 'PENDING',
      body: r,
      created_at: now.toISOString(),
      created_by: COCKPIT_USER,
    });
    store.audit({
      event_type: 'REPAIR_REQUESTED',
      user_email: COCKPIT_USER,
      action: 'repair',
      reason: r.notes ?? `${r.absence_type} ${r.driver_id}`,
      tenant_code: ctx.tenant,
      site_code: ctx.site,
      created_at: now.toISOString(),
      request_id: ctx.requestId,
      details: { run_id: run.run_id, repair_id: requestId, driver_id: r.driver_id },
    });
    return reply(200, {
      request_id: requestId,
      run_id: run.run_id,
      status: 'PENDING',
      message: 'Repair request queued',
    });
  };

  const pack = (ctx: Ctx, runId: string): LivePack => {
    const run = runOf(ctx, runId);
    const stored = store.evidence(ctx.tenant, ctx.site, run.run_id);
    if (!stored) answer(detail(404, `Evidence not found for run ${run.run_id}`));
    const key = `${ctx.tenant}/${ctx.site}/${run.run_id}/${stored!.sha256}`;
    let p = packs.get(key);
    if (!p) {
      p = liveEvidence(run, stored!);
      packs.set(key, p);
    }
    return p;
  };

  /** The cockpit's routes: [method, path pattern, handler(ctx, run id)]. */
  const cockpit: [string, RegExp, (ctx: Ctx, id: string) => Reply | Promise<Reply>][] = [
    ['GET', /^\/status\/?$/, status],
    ['GET', /^\/runs\/?$/, runs],
    ['GET', /^\/runs\/([^/]+)\/?$/, (ctx, id) => reply(200, liveDetail(runOf(ctx, id)))],
    ['POST', /^\/runs\/([^/]+)\/publish\/?$/, publish],
    ['POST', /^\/runs\/([^/]+)\/lock\/?$/, lock],
    ['POST', /^\/runs\/([^/]+)\/repair\/?$/, repair],
    [
      'GET',
      /^\/evidence\/([^/]+)\/?$/,
      (ctx, id) => {
        const p = pack(ctx, id);
        return {
          status: 200,
          raw: p.zip,
          contentType: 'application/zip',
          headers: {
            'X-Evidence-SHA256': p.sha256,
            'X-Run-ID': id,
            'Content-Disposition': `attachment; filename="${id}_evidence.zip"`,
          },
        };
      },
    ],
    [
      'GET',
      /^\/evidence\/([^/]+)\/checksums\/?$/,
      (ctx, id) => reply(200, { run_id: id, checksums: pack(ctx, id).checksums }),
    ],
  ];

  const dispatcher = async (ctx: Ctx): Promise<Reply> => {
    const rest = ctx.path.slice(P.length);
    let methodMismatch = false;
    for (const [method, pattern, handler] of cockpit) {
      const m = pattern.exec(rest);
      if (!m) continue;
      if (method !== ctx.method && !(ctx.method === 'HEAD' && method === 'GET')) {
        methodMismatch = true;
        continue;
      }
      scope(ctx);
      return handler(ctx, m[1] ? decodeURIComponent(m[1]) : '');
    }
    return methodMismatch ? detail(405, 'Method Not Allowed') : notFound();
  };

  const login = async (ctx: Ctx, next: (ctx: Ctx) => Promise<Reply>): Promise<Reply> => {
    const body = await bodyOf(ctx);
    const check = new BodyCheck(body);
    const email = check.string('email');
    const password = check.string('password');
    const tenant = integerField(body, 'tenant_id');
    if (tenant.issue) check.issues.push(tenant.issue);
    check.done();
    const forwarded: Json = { email, password };
    if (tenant.value !== undefined) {
      // Tenants are numbered from 1; an unknown number matches no account's tenant.
      forwarded.tenant_id = store.tenants()[tenant.value - 1]?.tenant_code ?? `#${tenant.value}`;
    }
    ctx.body = forwarded;
    const r = await next(ctx);
    if (r.status !== 200 || !r.body || typeof r.body !== 'object')
      return { ...r, contentType: 'application/json' };
    return {
      ...r,
      contentType: 'application/json',
      body: liveSession(store, r.body as Json, { withSuccess: true }),
    };
  };

  /** `/me` and logout: the session cookie only (an API key or Bearer token -> 401). */
  const cookieOnly = async (ctx: Ctx, next: (ctx: Ctx) => Promise<Reply>, shape: boolean): Promise<Reply> => {
    if (!cookieToken(ctx)) return detail(401, 'Authentication required');
    delete ctx.req.headers.authorization;
    delete ctx.req.headers['x-api-key'];
    const r = await next(ctx).catch((e) => {
      if (e instanceof ApiError) return errorReply(e);
      throw e;
    });
    if (r.status === 401) return detail(401, 'Authentication required');
    if (r.status !== 200 || !shape || !r.body || typeof r.body !== 'object') return r;
    return {
      ...r,
      contentType: 'application/json',
      body: liveSession(store, r.body as Json, { withSuccess: false }),
    };
  };

  return {
    name: 'live',
    async handle(ctx, next) {
      const { path: p, method } = ctx;
      try {
        if (p === '/health' && method === 'GET') {
          // Live says healthy even with the database down.
          return reply(200, {
            status: 'healthy',
            version: S_VERSION,
            timestamp: app.now().toISOString(),
            environment: 'sandbox-live',
          });
        }
        if (p === '/health/ready' && method === 'GET') {
          return reply(200, {
            status: app.dbConnected ? 'ready' : 'not_ready',
            checks: {
              database: app.dbConnected ? 'healthy' : 'unhealthy: connection refused (sandbox fault)',
              policy_service: 'healthy',
              packs: { roster: 'available', routing: 'available' },
            },
            timestamp: app.now().toISOString(),
          });
        }
        if (p === '/health/live' && method === 'GET') return reply(200, { status: 'alive' });
        if (p === '/api/auth/login' && method === 'POST') return await login(ctx, next);
        if (p === '/api/auth/me' && method === 'GET') return await cookieOnly(ctx, next, true);
        if (p === '/api/auth/logout' && method === 'POST') return await cookieOnly(ctx, next, false);
        if (p === '/api/auth/refresh' || p === '/api/v1/audit' || p.startsWith('/api/v1/audit/'))
          return notFound();
        if (p.startsWith('/api/v1/platform/')) {
          const rejected = Object.keys(ctx.req.headers)
            .filter((h) => h === 'x-api-key' || h.startsWith('x-sv-'))
            .map((h) =>
              h === 'x-api-key'
                ? 'X-API-Key'
                : h.replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase()).replace('X-Sv-', 'X-SV-'),
            );
          if (rejected.length) {
            return reply(400, {
              error: 'auth_method_mismatch',
              message: 'Platform endpoints require session auth. API Key / HMAC not accepted.',
              rejected_headers: rejected,
            });
          }
          if (p === P || p.startsWith(`${P}/`)) return await dispatcher(ctx);
          return notFound();
        }
        return undefined;
      } catch (e) {
        if (e instanceof LiveAnswer) return e.reply;
        throw e;
      }
    },
    // Python SSE servers frame events with CRLF.
    sseLineEnd: '\r\n',
  };
}

const S_VERSION = '3.3.0-sandbox';

/**
 * Live has runs without drift data (`kpi_drift_status: "UNKNOWN"`). Once per database, each site's
 * newest PASS run is re-run as a fresh, unpublished run with no drift verdict, so the live profile
 * always shows one (the default profile shows it with no drift value).
 */
function ensureRunWithoutDriftData(app: App): void {
  const { store } = app;
  if (store.meta(UNKNOWN_DRIFT_META)) return;
  const now = app.now();
  const added: string[] = [];
  store.db.transaction(() => {
    for (const t of store.tenants()) {
      for (const s of store.sites(t.tenant_code)) {
        const source = store.listRuns(t.tenant_code, s.site_code, 'PASS', 1, 0)[0];
        if (!source) continue;
        added.push(
          insertRerun(store, source, now, (rec) => ({
            kpi_drift_status: null,
            kpis: { ...rec.kpis, drift_status: null },
            notes: `re-run of ${rec.run_id}; no drift data yet`,
          })),
        );
      }
    }
    store.setMeta(UNKNOWN_DRIFT_META, added.join(',') || 'none');
  })();
}

/**
 * An operator re-runs a failed week once SP-002 found the cause. Once per database, each site whose
 * newest five runs hold a FAIL or BLOCKED run gets a PASS re-run of the newest such week (the
 * content of the site's newest PASS run with a drift verdict), dated after it, so the live
 * profile's health check sees a healthy server with the failed run superseded.
 */
function ensureFailedWeekRerun(app: App): void {
  const { store } = app;
  if (store.meta(FAILED_WEEK_RERUN_META)) return;
  const now = app.now();
  const added: string[] = [];
  store.db.transaction(() => {
    for (const t of store.tenants()) {
      for (const s of store.sites(t.tenant_code)) {
        const recent = store.listRuns(t.tenant_code, s.site_code, undefined, 5, 0);
        const failed = recent.find((r) => r.status === 'FAIL' || r.status === 'BLOCKED');
        if (!failed) continue;
        const rerunAlready = recent.some(
          (r) => r.week_id === failed.week_id && r.timestamp > failed.timestamp && r.status === 'PASS',
        );
        // The newest PASS run with a drift verdict (not the re-run without drift data).
        const source = store
          .listRuns(t.tenant_code, s.site_code, 'PASS', 10, 0)
          .find((r) => r.kpi_drift_status);
        if (rerunAlready || !source) continue;
        // A second before "now": the newest run of the site stays the one without drift data.
        const at = new Date(Math.max(Date.parse(failed.timestamp) + 1000, now.getTime() - 1000));
        added.push(
          insertRerun(store, source, at, () => ({
            week_id: failed.week_id,
            notes: `re-run of ${failed.run_id} (${failed.status}) after SP-002`,
          })),
        );
      }
    }
    store.setMeta(FAILED_WEEK_RERUN_META, added.join(',') || 'none');
  })();
}

/** A fresh, unpublished copy of a run (and its evidence) dated `at`, with `changes`; its new id. */
function insertRerun(
  store: Store,
  source: { tenant_code: string; site_code: string; run_id: string },
  at: Date,
  changes: (rec: RunRecord) => Partial<RunRecord>,
): string {
  const { tenant_code: tenant, site_code: site } = source;
  const rec = store.run(tenant, site, source.run_id)!;
  const evidence = store.evidence(tenant, site, source.run_id);
  const runId = store.nextRunId(dateStamp(at));
  store.insertRun({
    ...rec,
    run_id: runId,
    timestamp: at.toISOString(),
    published: false,
    published_at: null,
    published_by: null,
    locked: false,
    locked_at: null,
    locked_by: null,
    ...changes(rec),
  });
  if (evidence) store.putEvidence(tenant, site, runId, evidence.zip, evidence.sha256, evidence.checksums);
  return runId;
}

// Every shape of CONTRACT.md as a zod schema; the API's TypeScript types are inferred from these
// and never written a second time. `zod/mini` keeps the CLI's and the extension's start cheap
// (13 KB instead of 454 KB). Unknown fields from live SOLVEREIGN are stripped, not rejected.
// Answers are read tolerantly (lenient.ts): enum values the client does not know are kept, one odd
// record is dropped from its list with a note; requests are validated strictly.
import * as z from 'zod/mini';
import type * as domain from '../roster/types';
import { type DroppedRecord, keepValid, lenientEnum, parseOne, type Reader, reader } from './lenient';
import { AUDIT_STATUSES, DRIFT_STATUSES, type RunStatus as KnownRunStatus, RUN_STATUSES } from './values';

const isoTime = z.string();
const nullableString = z.nullish(z.string());

// Bounds for what a server accepts (request schemas only: answers are read tolerantly). Every text
// field has a length cap and every number a range, so no request can store megabytes or 1e308.
const text = (max: number, min = 0) => z.string().check(z.minLength(min), z.maxLength(max));
const NAME = 200;
const NOTE = 4000;
const isoTimestamp = z.string().check(
  z.maxLength(40),
  z.refine(
    (v) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
      !Number.isNaN(Date.parse(v)),
    'must be an ISO 8601 timestamp such as 2026-01-14T08:00:00Z',
  ),
);
/**
 * A schema built the first time it is used. Building all of them costs a command or the first
 * connection ~10 ms of zod's object construction while one call needs two or three: each export
 * is a stand-in that builds its schema on first touch and forwards to it from then on.
 */
function lazy<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const built = () => {
    schema ??= build();
    return schema;
  };
  const standIn = new Proxy({} as T, {
    get: (_, key) => Reflect.get(built(), key),
    set: (_, key, value) => Reflect.set(built(), key, value),
    has: (_, key) => Reflect.has(built(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(built()),
  });
  builders.set(standIn, built);
  return standIn;
}
const builders = new WeakMap<object, () => object>();

/** The schema behind a stand-in: what other schemas embed, so parsing never goes through a Proxy. */
function real<T extends object>(schema: T): T {
  return (builders.get(schema)?.() as T | undefined) ?? schema;
}

const range = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max));
const integer = (min: number, max: number) =>
  z.number().check(z.gte(min), z.lte(max), z.refine(Number.isInteger, 'must be a whole number'));

// ---------------------------------------------------------------- auth
export const LoginRequest = lazy(() =>
  z.object({
    email: text(320, 1),
    password: text(1024),
    /** Live takes an integer tenant id only (a code -> 422); the sandbox's default profile a code. */
    tenant_id: z.optional(z.union([text(64), integer(0, 2_147_483_647)])),
  }),
);
export type LoginRequest = z.infer<typeof LoginRequest>;

export const Session = lazy(() =>
  z.object({
    /** Live's `/api/auth/me` has no `success` field (its login answer does). */
    success: z.optional(z.boolean()),
    user_id: z.union([z.string(), z.number()]),
    email: z.string(),
    tenant_id: z.nullish(z.union([z.string(), z.number()])),
    site_id: z.nullish(z.union([z.string(), z.number()])),
    role_name: z.string(),
    permissions: z.array(z.string()),
    expires_at: z.nullish(isoTime),
    available_tenants: z.optional(z.array(z.unknown())),
    is_platform_admin: z.optional(z.boolean()),
    /** [ops] for non-browser clients; live sets only the `sv_platform_session` cookie. */
    token: z.optional(z.string()),
  }),
);
export type Session = z.infer<typeof Session>;

export const RefreshResponse = lazy(() => z.object({ token: z.string(), expires_at: isoTime }));
export type RefreshResponse = z.infer<typeof RefreshResponse>;

// ---------------------------------------------------------------- health
export const ConnectionState = z.string(); // connected | disconnected | not_configured (live may add more)
export const Health = lazy(() =>
  z.object({
    status: z.string(),
    version: z.optional(z.string()),
    timestamp: z.optional(isoTime),
    environment: z.optional(z.string()),
    db: z.optional(ConnectionState),
    redis: z.optional(ConnectionState),
  }),
);
export type Health = z.infer<typeof Health>;

export const READINESS_STATUSES = ['ready', 'not_ready'] as const;
export const Readiness = lazy(() =>
  z.object({
    status: lenientEnum(READINESS_STATUSES),
    /** Values are text or, on live, nested objects (`packs: {roster: "available"}`): see flattenChecks. */
    checks: z.record(z.string(), z.unknown()),
    timestamp: z.optional(isoTime),
  }),
);
export type Readiness = z.infer<typeof Readiness>;

export const Liveness = lazy(() => z.object({ status: z.string() }));
export type Liveness = z.infer<typeof Liveness>;

// ---------------------------------------------------------------- runs
export { RUN_STATUSES };
/** A status this client knows (filters and requests); answers carry `Lenient<RunStatus>`. */
export type RunStatus = KnownRunStatus;
export const RunStatus = lenientEnum(RUN_STATUSES);

export { DRIFT_STATUSES };
export type DriftStatus = (typeof DRIFT_STATUSES)[number];
/** Live sends `UNKNOWN` for a run without drift data; any other value is kept too. */
export const DriftStatus = lenientEnum(DRIFT_STATUSES);

const runCommon = () => ({
  run_id: z.string(),
  week_id: z.string(),
  timestamp: isoTime,
  status: RunStatus,
  tenant_code: z.string(),
  site_code: z.string(),
  headcount: z.nullish(z.number()),
  coverage_percent: z.nullish(z.number()),
  evidence_path: nullableString,
  kpi_drift_status: z.nullish(DriftStatus),
  published: z.boolean(),
  published_at: nullableString,
  published_by: nullableString,
  locked: z.boolean(),
  locked_at: nullableString,
  locked_by: nullableString,
  notes: nullableString,
  /** [ops] for ERROR runs. */
  error_code: nullableString,
  error_message: nullableString,
});

export const RunSummary = lazy(() =>
  z.object({
    ...runCommon(),
    audit_pass_count: z.number(),
    audit_total: z.number(),
  }),
);
export type RunSummary = z.infer<typeof RunSummary>;

export interface RunList {
  runs: RunSummary[];
  /** The site's total on the sandbox; on live the size of the page returned (see capabilities). */
  total: number;
  /** Runs the server sent that could not be read (left out, never failing the list). */
  dropped?: DroppedRecord[];
}
export const RunList: Reader<RunList> = reader(
  () => z.object({ runs: z.array(z.unknown()), total: z.number() }),
  ({ runs, total }): RunList => {
    const r = keepValid(real(RunSummary), runs, 'runs', 'run_id');
    return { runs: r.kept, total, ...(r.dropped.length ? { dropped: r.dropped } : {}) };
  },
);

export { AUDIT_STATUSES };
export type AuditStatus = (typeof AUDIT_STATUSES)[number];
export const AuditStatus = lenientEnum(AUDIT_STATUSES);

export const AuditResult = lazy(() =>
  z.object({
    check_name: z.string(),
    status: AuditStatus,
    violation_count: z.number(),
    /** Live sends a free-form object or text; the sandbox sends {message, violations[]}. */
    details: z.nullish(z.unknown()),
  }),
);
export type AuditResult = z.infer<typeof AuditResult>;

/** One violation in the sandbox's audit details: names drivers, tours and days (roster engine). */
export const AuditViolation = lazy(() =>
  z.object({
    message: z.string(),
    driver_id: z.optional(z.string()),
    tour_ids: z.optional(z.array(z.string())),
    day: z.optional(z.string()),
    /** 1-based line of the forecast the tour comes from, when known. */
    line: z.optional(z.number()),
    /** Minutes between the two tours of a too-short changeover (Overlap audit). */
    gap_minutes: z.optional(z.number()),
  }),
);
export type AuditViolation = z.infer<typeof AuditViolation>;

export const AuditDetails = lazy(() =>
  z.object({
    message: z.optional(z.string()),
    violations: z.optional(z.array(real(AuditViolation))),
  }),
);
export type AuditDetails = z.infer<typeof AuditDetails>;

export const RunKpis = lazy(() =>
  z.object({
    headcount: z.nullish(z.number()),
    coverage_percent: z.nullish(z.number()),
    fte_ratio: z.nullish(z.number()),
    pt_ratio: z.nullish(z.number()),
    runtime_seconds: z.nullish(z.number()),
    drift_status: z.nullish(DriftStatus),
    /** [ops] extras from the roster engine. */
    max_weekly_hours: z.optional(z.number()),
    avg_weekly_hours: z.optional(z.number()),
    total_tours: z.optional(z.number()),
    lower_bound: z.optional(z.number()),
    /** Average and shortest minutes between two consecutive tours of one driver. */
    avg_changeover_minutes: z.optional(z.nullable(z.number())),
    min_changeover_minutes: z.optional(z.nullable(z.number())),
  }),
);
export type RunKpis = z.infer<typeof RunKpis>;

// The roster engine owns its result types; the wire format maps to them. These compile-time checks
// fail the build when a domain result would not be a valid wire value (or a wire violation not a
// domain one), so the API and the engine cannot drift apart silently.
type Accepts<Wire, Domain extends Wire> = Domain;
export type _AuditResultFromDomain = Accepts<AuditResult, domain.AuditResult>;
export type _AuditViolationFromDomain = Accepts<AuditViolation, domain.AuditViolation>;
export type _AuditViolationToDomain = Accepts<domain.AuditViolation, AuditViolation>;
export type _RunKpisFromDomain = Accepts<RunKpis, domain.PlanKpis>;

export const RunDetail = lazy(() =>
  z.object({
    ...runCommon(),
    audit_results: z.array(real(AuditResult)),
    kpis: real(RunKpis),
    input_hash: nullableString,
    output_hash: nullableString,
    evidence_hash: nullableString,
    artifact_uri: nullableString,
    /** [ops] the seed the run was solved with. */
    seed: z.optional(z.number()),
  }),
);
export type RunDetail = z.infer<typeof RunDetail>;

export const PublishRequest = lazy(() =>
  z.object({
    approver_id: text(NAME),
    approver_role: text(64),
    reason: text(NOTE, 10),
    override_warn: z.optional(z.boolean()),
  }),
);
export type PublishRequest = z.infer<typeof PublishRequest>;

export const LockRequest = lazy(() =>
  z.object({
    approver_id: text(NAME),
    approver_role: text(64),
    reason: text(NOTE),
  }),
);
export type LockRequest = z.infer<typeof LockRequest>;

export const PUBLISH_LOCK_STATUSES = [
  'PUBLISHED',
  'ALREADY_PUBLISHED',
  'LOCKED',
  'ALREADY_LOCKED',
  'BLOCKED_KILL_SWITCH',
  'BLOCKED_SHADOW_ONLY',
  'BLOCKED_SITE_DISABLED',
  'BLOCKED_APPROVAL_REQUIRED',
  'BLOCKED_PRE_CHECKS_FAILED',
] as const;

export const PublishLockResponse = lazy(() =>
  z.object({
    success: z.boolean(),
    run_id: z.string(),
    /** One of PUBLISH_LOCK_STATUSES; a new live status is kept, not a crash. */
    status: lenientEnum(PUBLISH_LOCK_STATUSES),
    audit_event_id: nullableString,
    evidence_hash: nullableString,
    message: nullableString,
    blocked_reason: nullableString,
    /** [ops] the runbook's code (AUDIT_GATE_FAIL, ALREADY_LOCKED, FREEZE_ACTIVE, PERMISSION_DENIED). */
    error_code: nullableString,
  }),
);
export type PublishLockResponse = z.infer<typeof PublishLockResponse>;

export const RepairRequest = lazy(() =>
  z.object({
    driver_id: text(64, 1),
    driver_name: text(NAME),
    absence_type: z.enum(['sick', 'vacation', 'no_show']),
    affected_tours: z.array(text(64, 1)).check(z.minLength(1), z.maxLength(1000)),
    urgency: z.enum(['critical', 'high', 'normal']),
    notes: z.optional(text(NOTE)),
  }),
);
export type RepairRequest = z.infer<typeof RepairRequest>;

export const RepairResponse = lazy(() =>
  z.object({
    request_id: z.string(),
    run_id: z.string(),
    status: z.string(),
    message: nullableString,
  }),
);
export type RepairResponse = z.infer<typeof RepairResponse>;

export const EvidenceChecksums = lazy(() =>
  z.object({
    run_id: z.string(),
    checksums: z.record(z.string(), z.string()),
  }),
);
export type EvidenceChecksums = z.infer<typeof EvidenceChecksums>;

// ---------------------------------------------------------------- status and kill switch
export const KILL_SWITCH_MODES = ['drill', 'emergency'] as const;
export type KillSwitchMode = (typeof KILL_SWITCH_MODES)[number];
const KillSwitchModeRequest = lazy(() => z.enum(KILL_SWITCH_MODES));

const systemStatusFields = () => ({
  kill_switch_active: z.boolean(),
  kill_switch_reason: nullableString,
  publish_enabled: z.boolean(),
  lock_enabled: z.boolean(),
  shadow_mode_only: z.boolean(),
  pending_repairs: z.number(),
  active_incidents: z.number(),
  /** [ops] who/when/how the switch was last set. */
  kill_switch_activated_by: nullableString,
  kill_switch_activated_at: nullableString,
  kill_switch_mode: z.nullish(lenientEnum(KILL_SWITCH_MODES)),
});
export type SystemStatus = z.infer<z.ZodMiniObject<ReturnType<typeof systemStatusFields>>> & {
  latest_run: RunSummary | null;
  /** The latest run when the server sent one this client could not read (then `latest_run` is null). */
  dropped?: DroppedRecord[];
};
export const SystemStatus: Reader<SystemStatus> = reader(
  () => z.object({ ...systemStatusFields(), latest_run: z.nullish(z.unknown()) }),
  ({ latest_run, ...rest }): SystemStatus => {
    if (latest_run === null || latest_run === undefined) return { ...rest, latest_run: null };
    const r = parseOne(real(RunSummary), latest_run, 'latest_run', 'run_id');
    return 'value' in r
      ? { ...rest, latest_run: r.value }
      : { ...rest, latest_run: null, dropped: [r.dropped] };
  },
);

export const KillSwitchRequest = lazy(() =>
  z.object({
    action: z.enum(['disable', 'enable']),
    mode: real(KillSwitchModeRequest),
    reason: text(NOTE, 10),
    rca_ref: z.optional(text(NAME)),
  }),
);
export type KillSwitchRequest = z.infer<typeof KillSwitchRequest>;

export const FireDrill = lazy(() =>
  z.object({
    id: z.string(),
    site_code: z.string(),
    started_at: isoTime,
    disable_ms: z.nullable(z.number()),
    enable_ms: z.nullable(z.number()),
    verified_disabled: z.boolean(),
    verified_enabled: z.boolean(),
    result: lenientEnum(['PASS', 'FAIL']),
    notes: nullableString,
    by: nullableString,
  }),
);
export type FireDrill = z.infer<typeof FireDrill>;

/** What a client posts to record a drill; the server assigns id, site and author. */
export const FireDrillCreate = lazy(() =>
  z.object({
    started_at: isoTimestamp,
    // A drill step takes seconds; an hour is the most a measurement can sensibly be.
    disable_ms: z.nullable(range(0, 3_600_000)),
    enable_ms: z.nullable(range(0, 3_600_000)),
    verified_disabled: z.boolean(),
    verified_enabled: z.boolean(),
    result: z.enum(['PASS', 'FAIL']),
    notes: z.optional(text(NOTE)),
  }),
);
export type FireDrillCreate = z.infer<typeof FireDrillCreate>;

export interface FireDrillList {
  drills: FireDrill[];
  dropped?: DroppedRecord[];
}
export const FireDrillList: Reader<FireDrillList> = reader(
  () => z.object({ drills: z.array(z.unknown()) }),
  ({ drills }): FireDrillList => {
    const r = keepValid(real(FireDrill), drills, 'drills', 'id');
    return { drills: r.kept, ...(r.dropped.length ? { dropped: r.dropped } : {}) };
  },
);

// ---------------------------------------------------------------- drift
export const DriftMetric = lazy(() =>
  z.object({
    kpi: z.string(),
    baseline: z.nullable(z.number()),
    current: z.nullable(z.number()),
    drift_pct: z.nullable(z.number()),
    rule: z.string(),
    verdict: DriftStatus,
  }),
);
export type DriftMetric = z.infer<typeof DriftMetric>;

export const DRIFT_LEVELS = ['OK', 'WARNING', 'ALERT', 'INCIDENT'] as const;
export type DriftLevel = (typeof DRIFT_LEVELS)[number];
export const DriftLevel = lenientEnum(DRIFT_LEVELS);

/** [ops] one metric of live SOLVEREIGN's detector: z = |current − mean| / std over recent runs. */
export const DetectorMetric = lazy(() =>
  z.object({
    metric: z.string(),
    current: z.number(),
    mean: z.number(),
    std: z.number(),
    z: z.number(),
    pct: z.number(),
    weight: z.number(),
    weighted: z.number(),
  }),
);
export type DetectorMetric = z.infer<typeof DetectorMetric>;

export const DriftReport = lazy(() =>
  z.object({
    tenant_code: z.string(),
    site_code: z.string(),
    run_id: z.nullable(z.string()),
    baseline_date: nullableString,
    verdict: DriftStatus,
    metrics: z.array(real(DriftMetric)),
    /** [ops] live detector's score (z-score/pct weighted) and level, beside the runbook verdict. */
    score: z.optional(z.number()),
    level: z.optional(DriftLevel),
    detector: z.optional(
      z.object({
        label: z.optional(z.string()),
        history_size: z.optional(z.number()),
        metrics: z.array(real(DetectorMetric)),
      }),
    ),
  }),
);
export type DriftReport = z.infer<typeof DriftReport>;

/** A KPI's band in `wien_baseline.json`. */
export const BaselineBand = lazy(() =>
  z.object({
    expected: z.optional(z.number()),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    unit: z.optional(z.string()),
    description: z.optional(z.string()),
  }),
);
export type BaselineBand = z.infer<typeof BaselineBand>;

const KPI_VALUE = range(-1e9, 1e9);
const BaselineBandUpdate = lazy(() =>
  z
    .object({
      expected: z.optional(KPI_VALUE),
      min: z.optional(KPI_VALUE),
      max: z.optional(KPI_VALUE),
      unit: z.optional(text(32)),
      description: z.optional(text(NAME)),
    })
    .check(
      z.refine(
        (b) => b.min === undefined || b.max === undefined || b.min <= b.max,
        'min must not be greater than max',
      ),
    ),
);
export const BaselineUpdate = lazy(() =>
  z.object({
    values: z
      .record(text(64, 1), z.union([KPI_VALUE, real(BaselineBandUpdate)]))
      .check(z.refine((v) => Object.keys(v).length <= 100, 'at most 100 KPIs')),
    reason: text(NOTE, 10),
  }),
);
export type BaselineUpdate = z.infer<typeof BaselineUpdate>;

// ---------------------------------------------------------------- incidents (incident.schema.json)
export const INCIDENT_STATUSES = [
  'new',
  'active',
  'investigating',
  'mitigated',
  'resolved',
  'stale',
] as const;
export const IncidentStatus = lazy(() => z.enum(INCIDENT_STATUSES));
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export const IncidentType = lazy(() => z.enum(['security', 'perf', 'stability', 'quality']));
export type IncidentType = z.infer<typeof IncidentType>;
export const SeverityLevel = lazy(() => z.enum(['S0', 'S1', 'S2', 'S3']));

export const IncidentEvidence = lazy(() =>
  z.strictObject({
    type: z.enum(['log', 'artifact', 'screenshot', 'dump', 'config']),
    path: z.string(),
    hash: z.nullish(z.string().check(z.regex(/^[a-f0-9]{64}$/))),
    captured_at: nullableString,
  }),
);
export const IncidentTimelineEntry = lazy(() =>
  z.strictObject({
    timestamp: isoTime,
    action: z.string(),
    actor: nullableString,
  }),
);
export type IncidentTimelineEntry = z.infer<typeof IncidentTimelineEntry>;

export const INCIDENT_ID = /^INC-[0-9]{8}-[A-Z0-9]{6}$/;
export const Incident = lazy(() =>
  z.strictObject({
    id: z.string().check(z.regex(INCIDENT_ID)),
    type: real(IncidentType),
    severity: real(SeverityLevel),
    status: real(IncidentStatus),
    tenant_id: nullableString,
    summary: z.string().check(z.minLength(1), z.maxLength(500)),
    created_at: isoTime,
    updated_at: nullableString,
    resolved_at: nullableString,
    assigned_to: nullableString,
    root_cause: nullableString,
    evidence: z.optional(z.array(real(IncidentEvidence))),
    timeline: z.optional(z.array(real(IncidentTimelineEntry))),
  }),
);
export type Incident = z.infer<typeof Incident>;

export const IncidentFile = lazy(() => z.object({ incidents: z.array(real(Incident)) }));
export type IncidentFile = z.infer<typeof IncidentFile>;

/** An incident as a server sends it: extra fields stripped, unknown enum values kept. */
// An incident with a value outside incident.schema.json is left out with a note (see `dropped`),
// so every incident a caller gets is one it can act on and write back.
const IncidentRead = lazy(() =>
  z.object({
    ...Incident.shape,
    evidence: z.optional(z.array(z.object(real(IncidentEvidence).shape))),
    timeline: z.optional(z.array(z.object(real(IncidentTimelineEntry).shape))),
  }),
);
export interface IncidentList {
  incidents: Incident[];
  dropped?: DroppedRecord[];
}
export const IncidentList: Reader<IncidentList> = reader(
  () => z.object({ incidents: z.array(z.unknown()) }),
  ({ incidents }): IncidentList => {
    const r = keepValid(real(IncidentRead), incidents, 'incidents', 'id');
    return { incidents: r.kept, ...(r.dropped.length ? { dropped: r.dropped } : {}) };
  },
);

const EvidenceUpdate = lazy(() =>
  z.strictObject({
    type: real(IncidentEvidence).shape.type,
    path: text(1000, 1),
    hash: real(IncidentEvidence).shape.hash,
    captured_at: z.nullish(isoTimestamp),
  }),
);
/** A timeline entry a client sends (the server records the signed-in user as its author). */
const TimelineEntryCreate = lazy(() =>
  z.strictObject({
    timestamp: isoTimestamp,
    action: text(NOTE, 1),
    actor: z.nullish(text(320)),
  }),
);

export const IncidentCreate = lazy(() =>
  z.object({
    type: real(IncidentType),
    severity: real(SeverityLevel),
    summary: z.string().check(z.minLength(1), z.maxLength(500)),
    status: z.optional(real(IncidentStatus)),
    tenant_id: z.nullish(text(64)),
    assigned_to: z.nullish(text(320)),
    evidence: z.optional(z.array(real(EvidenceUpdate)).check(z.maxLength(100))),
    timeline: z.optional(z.array(real(TimelineEntryCreate)).check(z.maxLength(100))),
  }),
);
export type IncidentCreate = z.infer<typeof IncidentCreate>;

export const IncidentPatch = lazy(() =>
  z.object({
    status: z.optional(real(IncidentStatus)),
    severity: z.optional(real(SeverityLevel)),
    summary: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
    assigned_to: z.nullish(text(320)),
    root_cause: z.nullish(text(NOTE)),
    /** Appended to the incident's timeline (never replaces it). */
    timeline_entry: z.optional(z.object({ action: text(NOTE, 1), actor: z.nullish(text(320)) })),
    evidence: z.optional(z.array(real(EvidenceUpdate)).check(z.maxLength(100))),
  }),
);
export type IncidentPatch = z.infer<typeof IncidentPatch>;

/** Statuses of incidents that no longer count as active (the sandbox counts the rest in SQL). */
export const INACTIVE_INCIDENT_STATUSES: readonly string[] = ['resolved', 'stale', 'mitigated'];

export function isActiveIncident(i: { status: string }): boolean {
  return !INACTIVE_INCIDENT_STATUSES.includes(i.status);
}

// ---------------------------------------------------------------- tenant status / escalations [live]
export const Escalation = lazy(() =>
  z.object({
    id: z.union([z.string(), z.number()]),
    scope_type: lenientEnum(['platform', 'org', 'tenant', 'site']),
    scope_id: z.nullish(z.union([z.string(), z.number()])),
    status: z.string(),
    severity: lenientEnum(['S0', 'S1', 'S2', 'S3']),
    reason_code: z.string(),
    reason_message: nullableString,
    fix_steps: z.optional(z.array(z.string())),
    runbook_link: nullableString,
    details: z.nullish(z.unknown()),
    started_at: nullableString,
    updated_at: nullableString,
    ended_at: nullableString,
    resolved_by: nullableString,
  }),
);
export type Escalation = z.infer<typeof Escalation>;

const tenantStatusFields = () => ({
  overall_status: lenientEnum(['healthy', 'degraded', 'blocked']),
  highest_severity: z.nullish(lenientEnum(['S0', 'S1', 'S2', 'S3'])),
  total_active: z.number(),
  blocked_count: z.number(),
  degraded_count: z.number(),
});
export type TenantStatus = z.infer<z.ZodMiniObject<ReturnType<typeof tenantStatusFields>>> & {
  active_escalations: Escalation[];
  dropped?: DroppedRecord[];
};
export const TenantStatus: Reader<TenantStatus> = reader(
  () => z.object({ ...tenantStatusFields(), active_escalations: z.array(z.unknown()) }),
  ({ active_escalations, ...rest }): TenantStatus => {
    const r = keepValid(real(Escalation), active_escalations, 'active_escalations', 'id');
    return { ...rest, active_escalations: r.kept, ...(r.dropped.length ? { dropped: r.dropped } : {}) };
  },
);

// ---------------------------------------------------------------- audit trail [live]
export const AuditEntry = lazy(() =>
  z.object({
    id: z.union([z.string(), z.number()]),
    event_type: z.string(),
    user_email: nullableString,
    tenant_id: z.nullish(z.union([z.string(), z.number()])),
    site_id: z.nullish(z.union([z.string(), z.number()])),
    created_at: isoTime,
    has_details: z.optional(z.boolean()),
  }),
);
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditList = lazy(() =>
  z.object({
    success: z.boolean(),
    entries: z.array(real(AuditEntry)),
    total: z.number(),
  }),
);
export type AuditList = z.infer<typeof AuditList>;

export const AuditEntryDetail = lazy(() =>
  z.object({
    ...AuditEntry.shape,
    details: z.nullish(z.record(z.string(), z.unknown())),
  }),
);
export type AuditEntryDetail = z.infer<typeof AuditEntryDetail>;

export const AuditQuery = lazy(() =>
  z.object({
    limit: z.optional(z.number()),
    offset: z.optional(z.number()),
    event_type: z.optional(z.string()),
    from_date: z.optional(z.string()),
    to_date: z.optional(z.string()),
    user_email: z.optional(z.string()),
  }),
);
export type AuditQuery = z.infer<typeof AuditQuery>;

// ---------------------------------------------------------------- solving in the sandbox [ops]
export const CreateRunRequest = lazy(() =>
  z.object({
    /** Forecast text or the CSV form (`day,start_time,end_time,location,qualifications`); the body is capped at 2 MB. */
    forecast: text(2_000_000),
    week: z.string().check(z.regex(/^\d{4}-W\d{2}$/)),
    seed: z.optional(integer(0, 2_147_483_647)),
    notes: z.optional(text(NOTE)),
    /** Minimum changeover between a driver's tours; the site setting when absent. */
    min_pause_minutes: z.optional(range(0, 24 * 60)),
    /** Solve the valid lines of a FAIL forecast; the dropped lines and tours are reported. */
    drop_invalid: z.optional(z.boolean()),
  }),
);
export type CreateRunRequest = z.infer<typeof CreateRunRequest>;

export const CreateRunResponse = lazy(() =>
  z.object({
    run_id: z.string(),
    status: RunStatus,
    stream_url: z.optional(z.string()),
    /** Lines and tours left out because they FAIL (only with drop_invalid). */
    dropped: z.optional(z.object({ lines: z.array(z.number()), tours: z.number() })),
  }),
);
export type CreateRunResponse = z.infer<typeof CreateRunResponse>;

/** Server-Sent Events of `GET /api/v1/runs/{id}/stream`. */
export const SolveEvent = lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('progress'), run_id: z.string(), phase: z.string(), percent: z.number() }),
    z.object({ type: z.literal('complete'), run_id: z.string(), status: RunStatus }),
    z.object({ type: z.literal('error'), run_id: z.string(), error_code: z.string(), message: z.string() }),
    z.object({ type: z.literal('heartbeat'), run_id: z.string() }),
  ]),
);
export type SolveEvent = z.infer<typeof SolveEvent>;

// ---------------------------------------------------------------- errors
/** The sandbox's error body; live uses several other shapes (see errors.ts). */
export const ErrorBody = lazy(() =>
  z.object({
    error: z.string(),
    message: z.string(),
    details: z.optional(z.unknown()),
  }),
);
export type ErrorBody = z.infer<typeof ErrorBody>;

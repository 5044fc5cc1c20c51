// The sandbox's demo data: two tenants, one user per role, weekly runs with audits and evidence,
// incidents, a drift baseline (wien_baseline.json) and past fire drills. Deterministic for a clock.
import type { AuditResult, FireDrill, Incident, RunStatus } from '../api/schemas';
import { AUDIT_CHECKS, ROLES, type Role } from '../shared/runbook';
import { hashPassword, newDemoApiKey, RANDOM_DEMO_KEY, sha256Hex } from './crypto';
import type { DriftBaseline } from './drift';
import { buildRun, type RunMeta, type SolvedWeek, storeRun } from './runs';
import { ENGINE_NOTES, EngineCache, engineWeek } from './seed-engine';
import type { Store } from './store';
import { type Scenario, SMALL_SIZE, type SynthSize, synthWeek, WIEN_SIZE } from './synth';
import { DAY_MS, dateStamp, isoWeek, startOfIsoWeek, WEEK_MS } from './time';

export const DEMO_PASSWORD = 'solvereign-demo';
export const SEED_VERSION = '1';

export interface DemoCredential {
  tenant_code: string;
  site_code: string;
  role: Role;
  email: string;
  password: string;
  api_key: string;
}

export const TENANTS = [
  { code: 'lts', name: 'LTS Transport & Logistik', sites: [{ code: 'wien', name: 'Wien' }] },
  { code: 'gurkerl', name: 'Gurkerl', sites: [{ code: 'graz', name: 'Graz' }] },
] as const;

const EMAIL_LOCAL: Record<Role, string> = {
  ops_readonly: 'readonly',
  dispatcher: 'dispatcher',
  operator_admin: 'operator',
  tenant_admin: 'admin',
  ops_lead: 'opslead',
  platform_admin: 'platform',
};

export function demoEmail(tenant: string, role: Role): string {
  return `${EMAIL_LOCAL[role]}@${tenant}.demo`;
}

/** The demo API keys of one sandbox database: tenant code -> role -> plain key. */
export type DemoKeys = Record<string, Record<string, string>>;

const demoUserId = (tenant: string, role: Role) => `U-${tenant}-${EMAIL_LOCAL[role]}`;
const demoKeyLabel = (role: Role) => `demo key ${role}`;

/** Fresh random demo keys, one per tenant and role. */
export function newDemoKeys(): DemoKeys {
  return Object.fromEntries(
    TENANTS.map((t) => [t.code, Object.fromEntries(ROLES.map((r) => [r, newDemoApiKey(t.code, r)]))]),
  );
}

/**
 * Whether `keys` (as read from the credentials file) are this database's demo keys: every one
 * present, random (not the old derivable kind) and stored (hashed) for its demo user.
 */
export function demoKeysMatch(store: Store, keys: unknown): keys is DemoKeys {
  if (!keys || typeof keys !== 'object') return false;
  const byTenant = keys as Record<string, Record<string, unknown> | undefined>;
  return TENANTS.every((t) =>
    ROLES.every((role) => {
      const key = byTenant[t.code]?.[role];
      return (
        typeof key === 'string' &&
        RANDOM_DEMO_KEY.test(key) &&
        store.userForKey(sha256Hex(key))?.user_id === demoUserId(t.code, role)
      );
    }),
  );
}

/** Makes `keys` the demo accounts' only demo keys: earlier demo keys (derived or lost) stop working. */
export function installDemoKeys(store: Store, keys: DemoKeys, at: string): void {
  store.db.transaction(() => {
    for (const t of TENANTS) {
      for (const role of ROLES) {
        const userId = demoUserId(t.code, role);
        if (store.userById(userId)?.status !== 'active') continue;
        store.deleteApiKeysLabelled(userId, demoKeyLabel(role));
        store.insertApiKey(sha256Hex(keys[t.code]![role]!), userId, demoKeyLabel(role), at);
      }
    }
  })();
}

/** The demo logins with this database's keys. */
export function demoCredentials(keys: DemoKeys): DemoCredential[] {
  const out: DemoCredential[] = [];
  for (const t of TENANTS) {
    for (const role of ROLES) {
      out.push({
        tenant_code: t.code,
        site_code: t.sites[0].code,
        role,
        email: demoEmail(t.code, role),
        password: DEMO_PASSWORD,
        api_key: keys[t.code]![role]!,
      });
    }
  }
  return out;
}

/** `state/wien_baseline.json` (the parts drift uses, plus its metadata). */
export const WIEN_BASELINE: DriftBaseline & Record<string, unknown> = {
  version: '1.0.0',
  tenant_id: 'wien_pilot',
  baseline_date: '2026-01-08',
  description: 'Wien Pilot W02 KPI baseline for drift detection',
  roster_kpis: {
    total_drivers: {
      expected: 145,
      min: 140,
      max: 155,
      unit: 'count',
      description: 'Total driver headcount',
    },
    fte_ratio: {
      expected: 1.0,
      min: 0.95,
      max: 1.0,
      unit: 'ratio',
      description: 'Full-time equivalent ratio (>= 40h/week)',
    },
    pt_count: { expected: 0, min: 0, max: 5, unit: 'count', description: 'Part-time drivers (< 40h/week)' },
    max_weekly_hours: {
      expected: 54,
      min: 48,
      max: 55,
      unit: 'hours',
      description: 'Maximum weekly hours per driver (55h hard limit)',
    },
    avg_weekly_hours: {
      expected: 42,
      min: 40,
      max: 48,
      unit: 'hours',
      description: 'Average weekly hours per driver',
    },
    coverage: {
      expected: 1.0,
      min: 0.98,
      max: 1.0,
      unit: 'ratio',
      description: 'Tour coverage ratio (assigned/total)',
    },
    total_tours: { expected: 1385, min: 1350, max: 1450, unit: 'count', description: 'Total tours to cover' },
  },
  drift_thresholds: {
    z_score_alert: 2.0,
    z_score_incident: 3.0,
    percent_change_warn: 0.1,
    percent_change_alert: 0.25,
    evaluation_window_days: 7,
  },
};

export const GURKERL_BASELINE: DriftBaseline & Record<string, unknown> = {
  version: '1.0.0',
  tenant_id: 'gurkerl',
  baseline_date: '2026-01-07',
  description: 'Gurkerl Graz baseline (golden dataset gurkerl_small)',
  roster_kpis: {
    total_drivers: { expected: 10, min: 9, max: 12, unit: 'count' },
    fte_ratio: { expected: 1.0, min: 0.95, max: 1.0, unit: 'ratio' },
    coverage: { expected: 1.0, min: 0.98, max: 1.0, unit: 'ratio' },
    max_weekly_hours: { expected: 48, min: 40, max: 55, unit: 'hours' },
  },
};

type Flags = { published?: boolean; locked?: boolean; hoursLater?: number; notes?: string };
/** Weeks ago -> scenario, oldest first. */
const LTS_HISTORY: [number, Scenario, Flags][] = [
  [13, 'pass', { published: true, locked: true }],
  [12, 'pass', { published: true, locked: true }],
  [
    11,
    'warn_fatigue',
    { published: true, notes: 'Published with override_warn: fatigue reviewed by ops lead' },
  ],
  [10, 'pass', { published: true, locked: true }],
  [9, 'fail_overlap', { notes: 'Duplicate tours in the forecast upload' }],
  [8, 'pass', { published: true, locked: true }],
  [7, 'blocked_coverage', { notes: 'Sunday night tours could not be covered' }],
  [6, 'pass', { published: true, locked: true }],
  [5, 'error_timeout', {}],
  [5, 'pass', { published: true, locked: true, hoursLater: 2, notes: 'Re-run after solver timeout' }],
  [4, 'pass', { published: true, locked: true }],
  [3, 'warn_headcount', { notes: 'Headcount above baseline: seasonal peak?' }],
  [2, 'pass', { published: true }],
  [1, 'fail_repro', { notes: 'Hash mismatch on re-solve: reported to L3' }],
  [0, 'pass', {}],
];
const GURKERL_HISTORY: [number, Scenario, Flags][] = [
  [5, 'pass', { published: true, locked: true }],
  [4, 'pass', { published: true, locked: true }],
  [3, 'warn_fatigue', {}],
  [2, 'pass', { published: true, locked: true }],
  [1, 'pass', { published: true }],
  [0, 'pass', {}],
];

export interface SeedOptions {
  now: () => Date;
  /** Extra bulk runs on lts/wien (paging benchmarks). */
  seedRuns?: number;
  /**
   * Who solves lts/wien's seeded weeks: 'roster' (default; generated Wien-sized forecasts solved by
   * the roster engine, cached by engine version) or 'synthetic' (hand-written runs in the live
   * shape, instant). gurkerl/graz is always the small synthetic history (its golden dataset).
   */
  engine?: 'synthetic' | 'roster';
  /** Solved-week cache for the roster engine (JSON file; created when missing). */
  cacheFile?: string;
  /** A second cache shared by every sandbox of this user (read when `cacheFile` lacks a week). */
  sharedCacheFile?: string;
  /** Only the newest N weeks of each tenant's history (default: all). */
  weeks?: number;
}

/** Seeds an empty database; returns its new random demo keys (stored hashed). */
export async function seed(store: Store, opts: SeedOptions): Promise<DemoKeys> {
  const now = opts.now();
  const iso = now.toISOString();
  // Passwords first (scrypt is the slow part; done in parallel off the main thread).
  const users: { tenant: string; site: string; role: Role; email: string; status: string }[] = [];
  for (const t of TENANTS) {
    for (const role of ROLES) {
      users.push({
        tenant: t.code,
        site: t.sites[0].code,
        role,
        email: demoEmail(t.code, role),
        status: 'active',
      });
    }
  }
  users.push({ tenant: 'lts', site: 'wien', role: 'dispatcher', email: 'locked@lts.demo', status: 'locked' });
  users.push({
    tenant: 'lts',
    site: 'wien',
    role: 'dispatcher',
    email: 'inactive@lts.demo',
    status: 'inactive',
  });
  // The demo password is public (printed at start), so one scrypt hash serves every demo account
  // (scrypt is the slow part of seeding); accounts created otherwise get their own salt.
  const demoHash = await hashPassword(DEMO_PASSWORD);
  const hashes = users.map(() => demoHash);

  const engine = opts.engine ?? 'roster';
  let cache: EngineCache | undefined;
  const synthetic: WeekSolver = (tenant, site, week, _ago, scenario, size) => {
    const synth = synthWeek({ tenant, site, week, scenario, size });
    return {
      ...synth,
      plan: synth.assignments.length
        ? { week_id: week, seed: synth.seed, assignments: synth.assignments }
        : null,
    };
  };
  let wienSolver = synthetic;
  if (engine === 'roster') {
    cache = new EngineCache(opts.cacheFile, opts.sharedCacheFile);
    const c = cache;
    wienSolver = (tenant, _site, week, ago, scenario) => engineWeek(c, tenant, week, ago, scenario, 1385);
  }
  const wienNotes = engine === 'roster' ? ENGINE_NOTES : {};
  const demoKeys = newDemoKeys();

  store.db.transaction(() => {
    for (const t of TENANTS) {
      store.insertTenant(t.code, t.name);
      for (const s of t.sites) store.insertSite(t.code, s.code, s.name);
    }
    users.forEach((u, i) => {
      const userId = `U-${u.tenant}-${u.email.split('@')[0]}`;
      store.insertUser({
        user_id: userId,
        email: u.email,
        display_name: `${u.email.split('@')[0]} (${u.tenant})`,
        password_hash: hashes[i],
        tenant_code: u.tenant,
        site_code: u.site,
        role_name: u.role,
        status: u.status,
      });
    });
    installDemoKeys(store, demoKeys, iso);

    store.putBaseline('lts', 'wien', WIEN_BASELINE, iso, 'seed');
    store.putBaseline('gurkerl', 'graz', GURKERL_BASELINE, iso, 'seed');

    const base = new Date(Math.max(now.getTime() - 3600_000, startOfIsoWeek(now).getTime()));
    const weeks = opts.weeks ?? Number.POSITIVE_INFINITY;
    const recent = (h: [number, Scenario, Flags][]) => h.filter(([ago]) => ago < weeks);
    seedHistory(
      store,
      'lts',
      'wien',
      recent(LTS_HISTORY),
      WIEN_SIZE,
      WIEN_BASELINE,
      base,
      wienSolver,
      wienNotes,
    );
    seedHistory(
      store,
      'gurkerl',
      'graz',
      recent(GURKERL_HISTORY),
      SMALL_SIZE,
      GURKERL_BASELINE,
      base,
      synthetic,
      {},
    );
    if (opts.seedRuns && opts.seedRuns > 0) {
      const oldest = base.getTime() - 14 * WEEK_MS;
      seedBulkRuns(store, 'lts', 'wien', opts.seedRuns, new Date(oldest));
    }
    seedIncidents(store, now);
    seedDrills(store, now);
    store.audit({
      event_type: 'SANDBOX_SEEDED',
      action: 'seed',
      reason: 'Sandbox database created with demo data',
      tenant_code: 'lts',
      site_code: 'wien',
      created_at: iso,
      details: { seed_version: SEED_VERSION, bulk_runs: opts.seedRuns ?? 0 },
    });
    store.setMeta('seed_version', SEED_VERSION);
    store.setMeta('seeded_at', iso);
    store.setMeta('seed_engine', engine);
  })();
  cache?.save();
  return demoKeys;
}

type WeekSolver = (
  tenant: string,
  site: string,
  week: string,
  weeksAgo: number,
  scenario: Scenario,
  size: SynthSize,
) => SolvedWeek;

function seedHistory(
  store: Store,
  tenant: string,
  site: string,
  history: [number, Scenario, Flags][],
  size: SynthSize,
  baseline: DriftBaseline,
  base: Date,
  solver: WeekSolver,
  engineNotes: Partial<Record<Scenario, string>>,
): void {
  const dispatcher = demoEmail(tenant, 'dispatcher');
  const lead = demoEmail(tenant, 'ops_lead');
  for (const [weeksAgo, scenario, flags] of history) {
    let t = base.getTime() - weeksAgo * WEEK_MS - 2 * 3600_000;
    if (flags.hoursLater) t += flags.hoursLater * 3600_000;
    const ts = new Date(weeksAgo === 0 && !flags.hoursLater ? base.getTime() : t);
    const timestamp = ts.toISOString();
    // The week is the scenario's (weeks ago), not the timestamp's: shortly after Monday 00:00 the
    // hours before a run would otherwise put it, and not its re-run, in the week before.
    const week = isoWeek(new Date(base.getTime() - weeksAgo * WEEK_MS));
    const run_id = store.nextRunId(dateStamp(ts));
    const solved = solver(tenant, site, week, weeksAgo, scenario, size);
    const notes = (flags.notes && engineNotes[scenario]) ?? flags.notes ?? null;
    const pubAt = new Date(ts.getTime() + 2 * 3600_000).toISOString();
    const lockAt = new Date(ts.getTime() + 26 * 3600_000).toISOString();
    const meta: RunMeta = {
      run_id,
      tenant_code: tenant,
      site_code: site,
      week_id: week,
      timestamp,
      notes,
      published: flags.published ? { at: pubAt, by: dispatcher } : null,
      locked: flags.locked ? { at: lockAt, by: lead } : null,
    };
    const built = buildRun(
      meta,
      { ...solved, plan: solved.plan ? { run_id, ...(solved.plan as object) } : null },
      baseline,
    );
    storeRun(store, built);
    if (flags.published) {
      store.audit({
        event_type: 'RUN_PUBLISHED',
        user_email: dispatcher,
        role_name: 'dispatcher',
        action: 'publish',
        reason: notes ?? `Weekly plan ${week} approved`,
        tenant_code: tenant,
        site_code: site,
        created_at: pubAt,
        details: {
          run_id,
          evidence_hash: built.record.evidence_hash,
          override_warn: scenario === 'warn_fatigue',
        },
      });
    }
    if (flags.locked) {
      store.audit({
        event_type: 'RUN_LOCKED',
        user_email: lead,
        role_name: 'ops_lead',
        action: 'lock',
        reason: `Week ${week} locked for dispatch`,
        tenant_code: tenant,
        site_code: site,
        created_at: lockAt,
        details: { run_id, evidence_hash: built.record.evidence_hash },
      });
    }
  }
}

/** N extra runs (no evidence pack) older than `before`, one an hour, for paging benchmarks. */
export function seedBulkRuns(store: Store, tenant: string, site: string, n: number, before: Date): void {
  const passAudits: AuditResult[] = AUDIT_CHECKS.map((c) => ({
    check_name: c,
    status: 'PASS',
    violation_count: 0,
    details: { message: 'PASS (bulk-generated run)', violations: [] },
  }));
  const counters = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const ts = new Date(before.getTime() - (i + 1) * 3600_000);
    const stamp = dateStamp(ts);
    const c = (counters.get(stamp) ?? 0) + 1;
    counters.set(stamp, c);
    let status: RunStatus = 'PASS';
    let audits = passAudits;
    if (i % 29 === 7) status = 'BLOCKED';
    else if (i % 11 === 3) status = 'FAIL';
    else if (i % 7 === 5) status = 'WARN';
    if (status !== 'PASS') {
      audits = passAudits.map((a) =>
        a.check_name === (status === 'WARN' ? 'Fatigue' : 'Coverage')
          ? {
              ...a,
              status: status === 'WARN' ? 'WARN' : 'FAIL',
              violation_count: 1,
              details: { message: `${status} (bulk-generated run)`, violations: [] },
            }
          : a,
      );
    }
    const coverage = status === 'BLOCKED' || status === 'FAIL' ? 98.7 : 100;
    const headcount = 143 + (i % 5);
    store.insertRun({
      run_id: `RUN-${stamp}-${String(100 + c).padStart(3, '0')}`,
      week_id: isoWeek(ts),
      timestamp: ts.toISOString(),
      status,
      tenant_code: tenant,
      site_code: site,
      headcount,
      coverage_percent: coverage,
      audit_pass_count: audits.filter((a) => a.status === 'PASS').length,
      audit_total: 7,
      evidence_path: null,
      kpi_drift_status: status === 'BLOCKED' ? 'BLOCK' : status === 'WARN' ? 'WARN' : 'OK',
      published: status === 'PASS',
      published_at: status === 'PASS' ? ts.toISOString() : null,
      published_by: status === 'PASS' ? demoEmail(tenant, 'dispatcher') : null,
      locked: false,
      locked_at: null,
      locked_by: null,
      notes: 'bulk-generated',
      error_code: null,
      error_message: null,
      audit_results: audits,
      kpis: {
        headcount,
        coverage_percent: coverage,
        fte_ratio: 0.98,
        pt_ratio: 0.02,
        runtime_seconds: 25,
        drift_status: status === 'BLOCKED' ? 'BLOCK' : status === 'WARN' ? 'WARN' : 'OK',
      },
      input_hash: null,
      output_hash: null,
      evidence_hash: null,
      artifact_uri: null,
    });
  }
}

export function incidentId(date: Date, salt: string): string {
  return `INC-${dateStamp(date)}-${sha256Hex(salt).slice(0, 6).toUpperCase()}`;
}

function seedIncidents(store: Store, now: Date): void {
  const at = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * DAY_MS + hours * 3600_000);
  // The open incident is recent: a new user meets it inside its SLA (S2: escalation after 2 h,
  // resolution within 8 h), not as an overdue escalation on the first screen.
  const opened = new Date(now.getTime() - 45 * 60_000);
  const investigating = new Date(now.getTime() - 15 * 60_000);
  const active: Incident = {
    id: incidentId(opened, `seed:lts:active:${dateStamp(now)}`),
    type: 'perf',
    severity: 'S2',
    status: 'investigating',
    tenant_id: 'lts',
    summary: 'Wien weekly solve close to the 60 s runtime limit; one run timed out (ERR_SOLVE_001)',
    created_at: opened.toISOString(),
    updated_at: investigating.toISOString(),
    resolved_at: null,
    assigned_to: demoEmail('lts', 'ops_lead'),
    root_cause: null,
    evidence: [
      { type: 'log', path: '/var/log/solvereign/solver.log', hash: null, captured_at: opened.toISOString() },
    ],
    timeline: [
      {
        timestamp: opened.toISOString(),
        action: 'Incident opened from SP-002 (runtime > 60 s)',
        actor: 'dispatcher@lts.demo',
      },
      {
        timestamp: investigating.toISOString(),
        action: 'Investigating input size growth',
        actor: 'opslead@lts.demo',
      },
    ],
  };
  const resolved: Incident = {
    id: incidentId(at(20), `seed:lts:resolved:${dateStamp(now)}`),
    type: 'quality',
    severity: 'S3',
    status: 'resolved',
    tenant_id: 'lts',
    summary: 'Forecast upload contained duplicate Wednesday tours; Overlap audit failed',
    created_at: at(20).toISOString(),
    updated_at: at(19).toISOString(),
    resolved_at: at(19).toISOString(),
    assigned_to: demoEmail('lts', 'dispatcher'),
    root_cause: 'Duplicate lines in the dispatcher forecast; corrected input re-solved with PASS',
    evidence: [],
    timeline: [
      { timestamp: at(20).toISOString(), action: 'Incident opened', actor: 'dispatcher@lts.demo' },
      { timestamp: at(19).toISOString(), action: 'Resolved: input corrected', actor: 'dispatcher@lts.demo' },
    ],
  };
  const gurkerl: Incident = {
    id: incidentId(at(9), `seed:gurkerl:resolved:${dateStamp(now)}`),
    type: 'stability',
    severity: 'S3',
    status: 'resolved',
    tenant_id: 'gurkerl',
    summary: 'Graz evidence upload retried twice before success',
    created_at: at(9).toISOString(),
    updated_at: at(9, 3).toISOString(),
    resolved_at: at(9, 3).toISOString(),
    assigned_to: demoEmail('gurkerl', 'ops_lead'),
    root_cause: 'Transient storage timeout',
    evidence: [],
    timeline: [],
  };
  for (const i of [active, resolved, gurkerl]) {
    store.insertIncident(i);
    store.audit({
      event_type: 'INCIDENT_CREATED',
      user_email: i.timeline?.[0]?.actor ?? null,
      action: 'create',
      reason: i.summary,
      tenant_code: i.tenant_id ?? null,
      created_at: i.created_at,
      details: { incident_id: i.id, severity: i.severity, type: i.type },
    });
  }
}

function seedDrills(store: Store, now: Date): void {
  const drills: [number, number, number][] = [
    [14, 910, 840],
    [7, 780, 760],
  ];
  for (const [daysAgo, disable, enable] of drills) {
    const started = new Date(
      startOfIsoWeek(new Date(now.getTime() - daysAgo * DAY_MS)).getTime() + 8 * 3600_000,
    );
    const d: FireDrill = {
      id: `FD-${dateStamp(started)}-${sha256Hex(`drill:${daysAgo}`).slice(0, 4).toUpperCase()}`,
      site_code: 'wien',
      started_at: started.toISOString(),
      disable_ms: disable,
      enable_ms: enable,
      verified_disabled: true,
      verified_enabled: true,
      result: 'PASS',
      notes: 'Weekly Monday fire drill (SP-005)',
      by: demoEmail('lts', 'dispatcher'),
    };
    store.insertDrill('lts', d);
    store.audit({
      event_type: 'FIRE_DRILL_RECORDED',
      user_email: d.by,
      role_name: 'dispatcher',
      action: 'fire_drill',
      reason: d.notes,
      tenant_code: 'lts',
      site_code: 'wien',
      created_at: d.started_at,
      details: { drill_id: d.id, disable_ms: disable, enable_ms: enable, result: d.result },
    });
  }
}

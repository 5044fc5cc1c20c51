// Typed access to the sandbox database with prepared statements (the hot paths — status, run list,
// kill switch — must answer in a few milliseconds).
import type {
  AuditResult,
  FireDrill,
  Incident,
  KillSwitchMode,
  RunDetail,
  RunKpis,
  RunSummary,
} from '../api/schemas';
import { INACTIVE_INCIDENT_STATUSES } from '../api/schemas';
import { type AuditChainRow, auditRowHash, GENESIS_HASH } from './auditChain';
import type { Db } from './db';
import type { DriftBaseline } from './drift';

export interface TenantRow {
  tenant_code: string;
  tenant_name: string;
}
export interface SiteRow {
  tenant_code: string;
  site_code: string;
  site_name: string;
  kill_switch_active: number;
  kill_switch_reason: string | null;
  kill_switch_mode: KillSwitchMode | null;
  kill_switch_by: string | null;
  kill_switch_at: string | null;
  shadow_mode_only: number;
}
export interface UserRow {
  user_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  tenant_code: string;
  site_code: string | null;
  role_name: string;
  status: string;
}
export interface SessionRow {
  token_hash: string;
  user_id: string;
  tenant_code: string;
  created_at: string;
  expires_at: string;
  revoked: number;
}

/** A run as the sandbox stores it: RunDetail plus the summary's audit counts. */
export type RunRecord = RunDetail & { audit_pass_count: number; audit_total: number };

interface RunRow {
  run_id: string;
  tenant_code: string;
  site_code: string;
  week_id: string;
  timestamp: string;
  status: RunRecord['status'];
  headcount: number | null;
  coverage_percent: number | null;
  audit_pass_count: number;
  audit_total: number;
  evidence_path: string | null;
  kpi_drift_status: RunRecord['kpi_drift_status'];
  published: number;
  published_at: string | null;
  published_by: string | null;
  locked: number;
  locked_at: string | null;
  locked_by: string | null;
  notes: string | null;
  error_code: string | null;
  error_message: string | null;
  audit_results?: string;
  kpis?: string;
  input_hash?: string | null;
  output_hash?: string | null;
  evidence_hash?: string | null;
  artifact_uri?: string | null;
  seed?: number | null;
}

export interface AuditInsert {
  event_type: string;
  user_email?: string | null;
  role_name?: string | null;
  action?: string | null;
  reason?: string | null;
  tenant_code?: string | null;
  site_code?: string | null;
  created_at: string;
  request_id?: string | null;
  details?: Record<string, unknown> | null;
}

/** An audit row as stored (its hash columns aside): the hash chain's row. */
export type AuditRow = AuditChainRow;

export interface AuditFilter {
  tenant_code: string;
  event_type?: string;
  from_date?: string;
  to_date?: string;
  user_email?: string;
}

export interface StoredReply {
  status: number;
  content_type: string;
  headers: string;
  body: Buffer;
}

const SUMMARY_COLS = `run_id, tenant_code, site_code, week_id, timestamp, status, headcount, coverage_percent,
  audit_pass_count, audit_total, evidence_path, kpi_drift_status, published, published_at, published_by,
  locked, locked_at, locked_by, notes, error_code, error_message`;

function summaryOf(r: RunRow): RunSummary {
  return {
    run_id: r.run_id,
    week_id: r.week_id,
    timestamp: r.timestamp,
    status: r.status,
    tenant_code: r.tenant_code,
    site_code: r.site_code,
    headcount: r.headcount,
    coverage_percent: r.coverage_percent,
    audit_pass_count: r.audit_pass_count,
    audit_total: r.audit_total,
    evidence_path: r.evidence_path,
    kpi_drift_status: r.kpi_drift_status,
    published: r.published === 1,
    published_at: r.published_at,
    published_by: r.published_by,
    locked: r.locked === 1,
    locked_at: r.locked_at,
    locked_by: r.locked_by,
    notes: r.notes,
    error_code: r.error_code,
    error_message: r.error_message,
  };
}

function recordOf(r: RunRow): RunRecord {
  const s = summaryOf(r);
  const rec: RunRecord = {
    ...s,
    audit_results: JSON.parse(r.audit_results ?? '[]') as AuditResult[],
    kpis: JSON.parse(r.kpis ?? '{}') as RunKpis,
    input_hash: r.input_hash ?? null,
    output_hash: r.output_hash ?? null,
    evidence_hash: r.evidence_hash ?? null,
    artifact_uri: r.artifact_uri ?? null,
  };
  if (typeof r.seed === 'number') rec.seed = r.seed;
  return rec;
}

/** RunDetail = the record without the summary-only audit counts. */
export function detailOf(rec: RunRecord): RunDetail {
  const { audit_pass_count: _p, audit_total: _t, ...detail } = rec;
  return detail;
}
export function summaryOfRecord(rec: RunRecord): RunSummary {
  const {
    audit_results: _a,
    kpis: _k,
    input_hash: _i,
    output_hash: _o,
    evidence_hash: _e,
    artifact_uri: _u,
    seed: _s,
    ...summary
  } = rec;
  return summary;
}

export class Store {
  private readonly s;

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      tenant: p('SELECT * FROM tenants WHERE tenant_code = ?'),
      tenants: p('SELECT * FROM tenants ORDER BY tenant_code'),
      site: p('SELECT * FROM sites WHERE tenant_code = ? AND site_code = ?'),
      sites: p('SELECT * FROM sites WHERE tenant_code = ? ORDER BY site_code'),
      insertTenant: p('INSERT INTO tenants (tenant_code, tenant_name) VALUES (?, ?)'),
      insertSite: p('INSERT INTO sites (tenant_code, site_code, site_name) VALUES (?, ?, ?)'),
      setKill:
        p(`UPDATE sites SET kill_switch_active = @active, kill_switch_reason = @reason, kill_switch_mode = @mode,
        kill_switch_by = @by, kill_switch_at = @at WHERE tenant_code = @tenant AND site_code = @site`),
      userByEmail: p('SELECT * FROM users WHERE email = ?'),
      userById: p('SELECT * FROM users WHERE user_id = ?'),
      insertUser:
        p(`INSERT INTO users (user_id, email, display_name, password_hash, tenant_code, site_code, role_name, status)
        VALUES (@user_id, @email, @display_name, @password_hash, @tenant_code, @site_code, @role_name, @status)`),
      insertKey: p('INSERT INTO api_keys (key_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)'),
      deleteKeysLabelled: p('DELETE FROM api_keys WHERE user_id = ? AND label = ?'),
      keyUser: p('SELECT u.* FROM api_keys k JOIN users u ON u.user_id = k.user_id WHERE k.key_hash = ?'),
      insertSession: p(
        'INSERT INTO sessions (token_hash, user_id, tenant_code, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ),
      session: p('SELECT * FROM sessions WHERE token_hash = ?'),
      revokeSession: p('UPDATE sessions SET revoked = 1 WHERE token_hash = ?'),
      insertFailure: p('INSERT INTO login_failures (ip, email, at_ms) VALUES (?, ?, ?)'),
      countFailures: p(
        'SELECT COUNT(*) AS n, MIN(at_ms) AS first FROM login_failures WHERE ip = ? AND at_ms > ?',
      ),
      countFailuresByEmail: p(
        'SELECT COUNT(*) AS n, MIN(at_ms) AS first FROM login_failures WHERE email = ? AND at_ms > ?',
      ),
      deleteFailure: p('DELETE FROM login_failures WHERE id = ?'),
      insertRun:
        p(`INSERT INTO runs (run_id, tenant_code, site_code, week_id, timestamp, status, headcount, coverage_percent,
        audit_pass_count, audit_total, evidence_path, kpi_drift_status, published, published_at, published_by, locked,
        locked_at, locked_by, notes, error_code, error_message, audit_results, kpis, input_hash, output_hash,
        evidence_hash, artifact_uri, seed)
        VALUES (@run_id, @tenant_code, @site_code, @week_id, @timestamp, @status, @headcount, @coverage_percent,
        @audit_pass_count, @audit_total, @evidence_path, @kpi_drift_status, @published, @published_at, @published_by,
        @locked, @locked_at, @locked_by, @notes, @error_code, @error_message, @audit_results, @kpis, @input_hash,
        @output_hash, @evidence_hash, @artifact_uri, @seed)`),
      replaceRun:
        p(`UPDATE runs SET week_id=@week_id, timestamp=@timestamp, status=@status, headcount=@headcount,
        coverage_percent=@coverage_percent, audit_pass_count=@audit_pass_count, audit_total=@audit_total,
        evidence_path=@evidence_path, kpi_drift_status=@kpi_drift_status, published=@published,
        published_at=@published_at, published_by=@published_by, locked=@locked, locked_at=@locked_at,
        locked_by=@locked_by, notes=@notes, error_code=@error_code, error_message=@error_message,
        audit_results=@audit_results, kpis=@kpis, input_hash=@input_hash, output_hash=@output_hash,
        evidence_hash=@evidence_hash, artifact_uri=@artifact_uri, seed=@seed
        WHERE tenant_code=@tenant_code AND site_code=@site_code AND run_id=@run_id`),
      run: p('SELECT * FROM runs WHERE tenant_code = ? AND site_code = ? AND run_id = ?'),
      runs: p(`SELECT ${SUMMARY_COLS} FROM runs WHERE tenant_code = ? AND site_code = ?
        ORDER BY timestamp DESC, run_id DESC LIMIT ? OFFSET ?`),
      runsByStatus: p(`SELECT ${SUMMARY_COLS} FROM runs WHERE tenant_code = ? AND site_code = ? AND status = ?
        ORDER BY timestamp DESC, run_id DESC LIMIT ? OFFSET ?`),
      countRuns: p('SELECT COUNT(*) AS n FROM runs WHERE tenant_code = ? AND site_code = ?'),
      countRunsByStatus: p(
        'SELECT COUNT(*) AS n FROM runs WHERE tenant_code = ? AND site_code = ? AND status = ?',
      ),
      runIdsForDate: p(
        'SELECT run_id FROM runs WHERE run_id >= ? AND run_id < ? ORDER BY run_id DESC LIMIT 1',
      ),
      interruptPending: p(`UPDATE runs SET status = 'ERROR', error_code = 'ERR_SOLVE_001',
        error_message = 'Solve interrupted: the sandbox stopped before it finished' WHERE status = 'PENDING'`),
      latestRun: p(`SELECT ${SUMMARY_COLS} FROM runs WHERE tenant_code = ? AND site_code = ?
        ORDER BY timestamp DESC, run_id DESC LIMIT 1`),
      runsBefore: p(`SELECT * FROM runs WHERE tenant_code = ? AND site_code = ? AND timestamp < ?
        AND status NOT IN ('ERROR', 'PENDING') ORDER BY timestamp DESC LIMIT ?`),
      latestSolvedRun: p(`SELECT * FROM runs WHERE tenant_code = ? AND site_code = ?
        AND status NOT IN ('ERROR', 'PENDING') ORDER BY timestamp DESC, run_id DESC LIMIT 1`),
      publish: p(`UPDATE runs SET published = 1, published_at = ?, published_by = ?
        WHERE tenant_code = ? AND site_code = ? AND run_id = ?`),
      lock: p(`UPDATE runs SET locked = 1, locked_at = ?, locked_by = ?
        WHERE tenant_code = ? AND site_code = ? AND run_id = ?`),
      evidence: p('SELECT * FROM evidence WHERE tenant_code = ? AND site_code = ? AND run_id = ?'),
      insertEvidence: p(
        'INSERT OR REPLACE INTO evidence (tenant_code, site_code, run_id, zip, sha256, checksums) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertRepair:
        p(`INSERT INTO repairs (request_id, tenant_code, site_code, run_id, status, body, created_at, created_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      pendingRepairs: p(
        "SELECT COUNT(*) AS n FROM repairs WHERE tenant_code = ? AND site_code = ? AND status = 'PENDING'",
      ),
      drills: p(
        'SELECT data FROM fire_drills WHERE tenant_code = ? AND site_code = ? ORDER BY started_at DESC',
      ),
      insertDrill: p(
        'INSERT INTO fire_drills (id, tenant_code, site_code, started_at, data) VALUES (?, ?, ?, ?, ?)',
      ),
      baseline: p('SELECT * FROM drift_baselines WHERE tenant_code = ? AND site_code = ?'),
      putBaseline: p(`INSERT INTO drift_baselines (tenant_code, site_code, data, updated_at, updated_by)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_code, site_code)
        DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
      incidents: p(
        'SELECT data FROM incidents WHERE tenant_code = ? OR tenant_code IS NULL ORDER BY created_at DESC, id',
      ),
      incident: p('SELECT * FROM incidents WHERE id = ?'),
      insertIncident: p(
        'INSERT INTO incidents (id, tenant_code, created_at, status, data) VALUES (?, ?, ?, ?, ?)',
      ),
      updateIncident: p('UPDATE incidents SET data = ?, status = ? WHERE id = ?'),
      countActiveIncidents: p(
        `SELECT COUNT(*) AS n FROM incidents WHERE (tenant_code = @tenant OR tenant_code IS NULL)
        AND status NOT IN (${INACTIVE_INCIDENT_STATUSES.map((x) => `'${x}'`).join(', ')})`,
      ),
      idem: p(
        'SELECT method, path, status, content_type, headers, body FROM idempotency WHERE idem_key = ? AND tenant_code = ? AND user_id = ?',
      ),
      putIdem:
        p(`INSERT OR IGNORE INTO idempotency (idem_key, tenant_code, user_id, method, path, status, content_type,
        headers, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertAudit:
        p(`INSERT INTO audit_log (id, event_type, user_email, role_name, action, reason, tenant_code, site_code,
        created_at, request_id, details, prev_hash, row_hash) VALUES (@id, @event_type, @user_email, @role_name,
        @action, @reason, @tenant_code, @site_code, @created_at, @request_id, @details, @prev_hash, @row_hash)`),
      auditHead: p('SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1'),
      auditEntry: p('SELECT * FROM audit_log WHERE id = ? AND tenant_code = ?'),
      metaGet: p('SELECT value FROM meta WHERE key = ?'),
      metaSet: p(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  // ------------------------------------------------------------ tenants and sites
  tenant(code: string): TenantRow | undefined {
    return this.s.tenant.get(code) as TenantRow | undefined;
  }
  tenants(): TenantRow[] {
    return this.s.tenants.all() as TenantRow[];
  }
  site(tenant: string, site: string): SiteRow | undefined {
    return this.s.site.get(tenant, site) as SiteRow | undefined;
  }
  sites(tenant: string): SiteRow[] {
    return this.s.sites.all(tenant) as SiteRow[];
  }
  insertTenant(code: string, name: string): void {
    this.s.insertTenant.run(code, name);
  }
  insertSite(tenant: string, site: string, name: string): void {
    this.s.insertSite.run(tenant, site, name);
  }
  setKillSwitch(
    tenant: string,
    site: string,
    v: {
      active: boolean;
      reason: string | null;
      mode: KillSwitchMode | null;
      by: string | null;
      at: string | null;
    },
  ): void {
    this.s.setKill.run({ ...v, active: v.active ? 1 : 0, tenant, site });
  }

  // ------------------------------------------------------------ users, keys, sessions
  userByEmail(email: string): UserRow | undefined {
    return this.s.userByEmail.get(email) as UserRow | undefined;
  }
  userById(id: string): UserRow | undefined {
    return this.s.userById.get(id) as UserRow | undefined;
  }
  insertUser(u: UserRow): void {
    this.s.insertUser.run(u);
  }
  insertApiKey(keyHash: string, userId: string, label: string, at: string): void {
    this.s.insertKey.run(keyHash, userId, label, at);
  }
  /** Revokes a user's API keys with this label (replacing the sandbox's demo keys). */
  deleteApiKeysLabelled(userId: string, label: string): void {
    this.s.deleteKeysLabelled.run(userId, label);
  }
  userForKey(keyHash: string): UserRow | undefined {
    return this.s.keyUser.get(keyHash) as UserRow | undefined;
  }
  insertSession(
    tokenHash: string,
    userId: string,
    tenant: string,
    createdAt: string,
    expiresAt: string,
  ): void {
    this.s.insertSession.run(tokenHash, userId, tenant, createdAt, expiresAt);
  }
  session(tokenHash: string): SessionRow | undefined {
    return this.s.session.get(tokenHash) as SessionRow | undefined;
  }
  revokeSession(tokenHash: string): void {
    this.s.revokeSession.run(tokenHash);
  }
  /** Records a failed (or not yet verified) sign-in; the id lets a verified one be taken back. */
  recordLoginFailure(ip: string, email: string | null, atMs: number): number {
    return Number(this.s.insertFailure.run(ip, email, atMs).lastInsertRowid);
  }
  forgetLoginFailure(id: number): void {
    this.s.deleteFailure.run(id);
  }
  loginFailures(ip: string, sinceMs: number): { n: number; first: number | null } {
    return this.s.countFailures.get(ip, sinceMs) as { n: number; first: number | null };
  }
  /** Failures for one account (emails are stored trimmed and lower-cased). */
  loginFailuresForEmail(email: string, sinceMs: number): { n: number; first: number | null } {
    return this.s.countFailuresByEmail.get(email, sinceMs) as { n: number; first: number | null };
  }

  // ------------------------------------------------------------ runs
  private runParams(r: RunRecord) {
    return {
      run_id: r.run_id,
      tenant_code: r.tenant_code,
      site_code: r.site_code,
      week_id: r.week_id,
      timestamp: r.timestamp,
      status: r.status,
      headcount: r.headcount ?? null,
      coverage_percent: r.coverage_percent ?? null,
      audit_pass_count: r.audit_pass_count,
      audit_total: r.audit_total,
      evidence_path: r.evidence_path ?? null,
      kpi_drift_status: r.kpi_drift_status ?? null,
      published: r.published ? 1 : 0,
      published_at: r.published_at ?? null,
      published_by: r.published_by ?? null,
      locked: r.locked ? 1 : 0,
      locked_at: r.locked_at ?? null,
      locked_by: r.locked_by ?? null,
      notes: r.notes ?? null,
      error_code: r.error_code ?? null,
      error_message: r.error_message ?? null,
      audit_results: JSON.stringify(r.audit_results),
      kpis: JSON.stringify(r.kpis),
      input_hash: r.input_hash ?? null,
      output_hash: r.output_hash ?? null,
      evidence_hash: r.evidence_hash ?? null,
      artifact_uri: r.artifact_uri ?? null,
      seed: r.seed ?? null,
    };
  }
  insertRun(r: RunRecord): void {
    this.counts.clear();
    this.s.insertRun.run(this.runParams(r));
  }
  /** Overwrites a run's fields (used when an asynchronous solve finishes). */
  replaceRun(r: RunRecord): void {
    this.counts.clear();
    this.s.replaceRun.run(this.runParams(r));
  }
  run(tenant: string, site: string, runId: string): RunRecord | undefined {
    const row = this.s.run.get(tenant, site, runId) as RunRow | undefined;
    return row ? recordOf(row) : undefined;
  }
  listRuns(
    tenant: string,
    site: string,
    status: string | undefined,
    limit: number,
    offset: number,
  ): RunSummary[] {
    const rows = (
      status
        ? this.s.runsByStatus.all(tenant, site, status, limit, offset)
        : this.s.runs.all(tenant, site, limit, offset)
    ) as RunRow[];
    return rows.map(summaryOf);
  }
  /** Run counts per site and status, cached until a run is inserted or replaced (paging is hot). */
  private readonly counts = new Map<string, number>();
  countRuns(tenant: string, site: string, status?: string): number {
    const key = `${tenant}/${site}/${status ?? ''}`;
    const cached = this.counts.get(key);
    if (cached !== undefined) return cached;
    const row = (
      status ? this.s.countRunsByStatus.get(tenant, site, status) : this.s.countRuns.get(tenant, site)
    ) as { n: number };
    this.counts.set(key, row.n);
    return row.n;
  }
  /** The next free `RUN-YYYYMMDD-NNN` for a date stamp (unique across tenants and sites). */
  nextRunId(stamp: string): string {
    const last = this.s.runIdsForDate.get(`RUN-${stamp}-`, `RUN-${stamp}.`) as { run_id: string } | undefined;
    const n = last ? Number.parseInt(last.run_id.slice(13), 10) + 1 : 1;
    return `RUN-${stamp}-${String(Number.isFinite(n) ? n : 1).padStart(3, '0')}`;
  }
  /** Marks runs left PENDING by a stopped process as ERROR; returns how many. */
  interruptPending(_at: string): number {
    this.counts.clear();
    return this.s.interruptPending.run().changes;
  }
  latestRun(tenant: string, site: string): RunSummary | null {
    const row = this.s.latestRun.get(tenant, site) as RunRow | undefined;
    return row ? summaryOf(row) : null;
  }
  latestSolvedRun(tenant: string, site: string): RunRecord | undefined {
    const row = this.s.latestSolvedRun.get(tenant, site) as RunRow | undefined;
    return row ? recordOf(row) : undefined;
  }
  /** Solved runs strictly before a timestamp, newest first (the drift detector's history). */
  runsBefore(tenant: string, site: string, timestamp: string, limit: number): RunRecord[] {
    return (this.s.runsBefore.all(tenant, site, timestamp, limit) as RunRow[]).map(recordOf);
  }
  markPublished(tenant: string, site: string, runId: string, at: string, by: string): void {
    this.s.publish.run(at, by, tenant, site, runId);
  }
  markLocked(tenant: string, site: string, runId: string, at: string, by: string): void {
    this.s.lock.run(at, by, tenant, site, runId);
  }

  // ------------------------------------------------------------ evidence, repairs, drills
  evidence(
    tenant: string,
    site: string,
    runId: string,
  ): { zip: Buffer; sha256: string; checksums: Record<string, string> } | undefined {
    const row = this.s.evidence.get(tenant, site, runId) as
      | { zip: Buffer; sha256: string; checksums: string }
      | undefined;
    return row ? { zip: row.zip, sha256: row.sha256, checksums: JSON.parse(row.checksums) } : undefined;
  }
  putEvidence(
    tenant: string,
    site: string,
    runId: string,
    zip: Buffer,
    sha256: string,
    checksums: Record<string, string>,
  ): void {
    this.s.insertEvidence.run(tenant, site, runId, zip, sha256, JSON.stringify(checksums));
  }
  insertRepair(r: {
    request_id: string;
    tenant_code: string;
    site_code: string;
    run_id: string;
    status: string;
    body: unknown;
    created_at: string;
    created_by: string;
  }): void {
    this.s.insertRepair.run(
      r.request_id,
      r.tenant_code,
      r.site_code,
      r.run_id,
      r.status,
      JSON.stringify(r.body),
      r.created_at,
      r.created_by,
    );
  }
  pendingRepairs(tenant: string, site: string): number {
    return (this.s.pendingRepairs.get(tenant, site) as { n: number }).n;
  }
  drills(tenant: string, site: string): FireDrill[] {
    return (this.s.drills.all(tenant, site) as { data: string }[]).map(
      (r) => JSON.parse(r.data) as FireDrill,
    );
  }
  insertDrill(tenant: string, d: FireDrill): void {
    this.s.insertDrill.run(d.id, tenant, d.site_code, d.started_at, JSON.stringify(d));
  }

  // ------------------------------------------------------------ drift baseline
  baseline(
    tenant: string,
    site: string,
  ):
    | { data: DriftBaseline & Record<string, unknown>; updated_at: string; updated_by: string | null }
    | undefined {
    const row = this.s.baseline.get(tenant, site) as
      | { data: string; updated_at: string; updated_by: string | null }
      | undefined;
    return row
      ? { data: JSON.parse(row.data), updated_at: row.updated_at, updated_by: row.updated_by }
      : undefined;
  }
  putBaseline(tenant: string, site: string, data: unknown, at: string, by: string | null): void {
    this.s.putBaseline.run(tenant, site, JSON.stringify(data), at, by);
  }

  // ------------------------------------------------------------ incidents
  /** The tenant's incidents plus platform-wide ones (tenant_id null). */
  incidents(tenant: string): Incident[] {
    return (this.s.incidents.all(tenant) as { data: string }[]).map((r) => JSON.parse(r.data) as Incident);
  }
  incident(id: string): { tenant_code: string | null; incident: Incident } | undefined {
    const row = this.s.incident.get(id) as { tenant_code: string | null; data: string } | undefined;
    return row ? { tenant_code: row.tenant_code, incident: JSON.parse(row.data) } : undefined;
  }
  /** Active incidents of the tenant plus platform-wide ones, counted by index (status is hot). */
  activeIncidentCount(tenant: string): number {
    return (this.s.countActiveIncidents.get({ tenant }) as { n: number }).n;
  }
  insertIncident(i: Incident): void {
    this.s.insertIncident.run(i.id, i.tenant_id ?? null, i.created_at, i.status, JSON.stringify(i));
  }
  updateIncident(i: Incident): void {
    this.s.updateIncident.run(JSON.stringify(i), i.status, i.id);
  }

  // ------------------------------------------------------------ idempotency
  idempotent(
    key: string,
    tenant: string,
    userId: string,
  ): (StoredReply & { method: string; path: string }) | undefined {
    return this.s.idem.get(key, tenant, userId) as
      | (StoredReply & { method: string; path: string })
      | undefined;
  }
  putIdempotent(
    key: string,
    tenant: string,
    userId: string,
    method: string,
    path: string,
    reply: StoredReply,
    at: string,
  ): void {
    this.s.putIdem.run(
      key,
      tenant,
      userId,
      method,
      path,
      reply.status,
      reply.content_type,
      reply.headers,
      reply.body,
      at,
    );
  }

  // ------------------------------------------------------------ audit log (append-only)
  /** Appends one row to the hash chain (read head + insert in one transaction). */
  audit(e: AuditInsert): number {
    return this.db.transaction(() => this.appendAudit(e))();
  }

  private appendAudit(e: AuditInsert): number {
    const head = this.s.auditHead.get() as { id: number; row_hash: string | null } | undefined;
    const row: AuditChainRow = {
      id: (head?.id ?? 0) + 1,
      event_type: e.event_type,
      user_email: e.user_email ?? null,
      role_name: e.role_name ?? null,
      action: e.action ?? null,
      reason: e.reason ?? null,
      tenant_code: e.tenant_code ?? null,
      site_code: e.site_code ?? null,
      created_at: e.created_at,
      request_id: e.request_id ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
    };
    const prev = head?.row_hash ?? GENESIS_HASH;
    this.s.insertAudit.run({ ...row, prev_hash: prev, row_hash: auditRowHash(prev, row) });
    return row.id;
  }
  auditEntry(id: number, tenant: string): AuditRow | undefined {
    return this.s.auditEntry.get(id, tenant) as AuditRow | undefined;
  }
  auditList(f: AuditFilter, limit: number, offset: number): { rows: AuditRow[]; total: number } {
    const where = ['tenant_code = @tenant_code'];
    if (f.event_type) where.push('event_type = @event_type');
    if (f.user_email) where.push('user_email = @user_email COLLATE NOCASE');
    if (f.from_date) where.push('created_at >= @from_date');
    if (f.to_date) where.push('created_at <= @to_date');
    const params: Record<string, string | number> = { tenant_code: f.tenant_code, limit, offset };
    for (const k of ['event_type', 'user_email', 'from_date', 'to_date'] as const) if (f[k]) params[k] = f[k];
    const clause = where.join(' AND ');
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE ${clause} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
      .all(params) as AuditRow[];
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE ${clause}`).get(params) as { n: number }
    ).n;
    return { rows, total };
  }

  meta(key: string): string | undefined {
    return (this.s.metaGet.get(key) as { value: string } | undefined)?.value;
  }
  setMeta(key: string, value: string): void {
    this.s.metaSet.run(key, value);
  }
}

// The sandbox's SQLite database: opening (WAL, synchronous=NORMAL), numbered migrations recorded in
// `schema_migrations`, and the append-only audit log enforced by triggers.
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type AuditChainRow, auditRowHash, GENESIS_HASH } from './auditChain';

export type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL cannot express, run after `sql` in the same transaction. */
  run?: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: '001_initial',
    sql: `
      CREATE TABLE tenants (
        tenant_code TEXT PRIMARY KEY,
        tenant_name TEXT NOT NULL
      );
      CREATE TABLE sites (
        tenant_code TEXT NOT NULL REFERENCES tenants(tenant_code),
        site_code TEXT NOT NULL,
        site_name TEXT NOT NULL,
        kill_switch_active INTEGER NOT NULL DEFAULT 0,
        kill_switch_reason TEXT,
        kill_switch_mode TEXT,
        kill_switch_by TEXT,
        kill_switch_at TEXT,
        shadow_mode_only INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_code, site_code)
      );
      CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        tenant_code TEXT NOT NULL REFERENCES tenants(tenant_code),
        site_code TEXT,
        role_name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active'
      );
      CREATE TABLE api_keys (
        key_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(user_id),
        label TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(user_id),
        tenant_code TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        ip TEXT NOT NULL,
        email TEXT,
        at_ms INTEGER NOT NULL
      );
      CREATE INDEX login_failures_ip ON login_failures (ip, at_ms);
      CREATE TABLE runs (
        pk INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        tenant_code TEXT NOT NULL,
        site_code TEXT NOT NULL,
        week_id TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        status TEXT NOT NULL,
        headcount INTEGER,
        coverage_percent REAL,
        audit_pass_count INTEGER NOT NULL DEFAULT 0,
        audit_total INTEGER NOT NULL DEFAULT 7,
        evidence_path TEXT,
        kpi_drift_status TEXT,
        published INTEGER NOT NULL DEFAULT 0,
        published_at TEXT,
        published_by TEXT,
        locked INTEGER NOT NULL DEFAULT 0,
        locked_at TEXT,
        locked_by TEXT,
        notes TEXT,
        error_code TEXT,
        error_message TEXT,
        audit_results TEXT NOT NULL DEFAULT '[]',
        kpis TEXT NOT NULL DEFAULT '{}',
        input_hash TEXT,
        output_hash TEXT,
        evidence_hash TEXT,
        artifact_uri TEXT,
        seed INTEGER,
        UNIQUE (tenant_code, site_code, run_id)
      );
      CREATE INDEX runs_site_time ON runs (tenant_code, site_code, timestamp DESC, run_id DESC);
      CREATE INDEX runs_site_status_time ON runs (tenant_code, site_code, status, timestamp DESC, run_id DESC);
      CREATE TABLE evidence (
        tenant_code TEXT NOT NULL,
        site_code TEXT NOT NULL,
        run_id TEXT NOT NULL,
        zip BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        checksums TEXT NOT NULL,
        PRIMARY KEY (tenant_code, site_code, run_id)
      );
      CREATE TABLE repairs (
        request_id TEXT PRIMARY KEY,
        tenant_code TEXT NOT NULL,
        site_code TEXT NOT NULL,
        run_id TEXT NOT NULL,
        status TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE TABLE fire_drills (
        id TEXT PRIMARY KEY,
        tenant_code TEXT NOT NULL,
        site_code TEXT NOT NULL,
        started_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE drift_baselines (
        tenant_code TEXT NOT NULL,
        site_code TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT,
        PRIMARY KEY (tenant_code, site_code)
      );
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        tenant_code TEXT,
        created_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE idempotency (
        idem_key TEXT NOT NULL,
        tenant_code TEXT NOT NULL,
        user_id TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (idem_key, tenant_code, user_id)
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_type TEXT NOT NULL,
        user_email TEXT,
        role_name TEXT,
        action TEXT,
        reason TEXT,
        tenant_code TEXT,
        site_code TEXT,
        created_at TEXT NOT NULL,
        request_id TEXT,
        details TEXT
      );
      CREATE INDEX audit_log_tenant ON audit_log (tenant_code, id DESC);
    `,
  },
  {
    version: 2,
    name: '002_audit_append_only',
    sql: `
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END;
    `,
  },
  {
    version: 3,
    name: '003_meta',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    name: '004_run_id_index',
    sql: `
      CREATE INDEX runs_run_id ON runs (run_id);
    `,
  },
  {
    version: 5,
    name: '005_login_failures_by_account',
    sql: `
      CREATE INDEX login_failures_email ON login_failures (email, at_ms);
    `,
  },
  {
    version: 6,
    name: '006_audit_hash_chain',
    // REPLACE deletes the old row without firing DELETE triggers: refuse any insert of an existing id.
    // Existing rows get their chain links (the UPDATE trigger is lifted only inside this migration).
    sql: `
      CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
      WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an existing id cannot be inserted again'); END;
      ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_log ADD COLUMN row_hash TEXT;
      DROP TRIGGER audit_log_no_update;
    `,
    run: (db) => {
      const set = db.prepare('UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?');
      let prev = GENESIS_HASH;
      for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').all() as AuditChainRow[]) {
        const hash = auditRowHash(prev, row);
        set.run(prev, hash, row.id);
        prev = hash;
      }
      db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END;`);
    },
  },
  {
    version: 7,
    name: '007_status_counts_indexed',
    // The status endpoint counts active incidents and pending repairs in SQL (no JSON parsing).
    sql: `
      ALTER TABLE incidents ADD COLUMN status TEXT;
      UPDATE incidents SET status = json_extract(data, '$.status');
      CREATE INDEX incidents_tenant_status ON incidents (tenant_code, status);
      CREATE INDEX repairs_site_status ON repairs (tenant_code, site_code, status);
    `,
  },
];

/** Applies every migration newer than the recorded version, each in its own transaction. */
export function migrate(db: Db, now: () => Date = () => new Date()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      record.run(m.version, m.name, now().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}

/** Deletes the database and its WAL/SHM files (the audit log cannot be emptied any other way). */
export function deleteDatabase(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(dbPath + suffix, { force: true });
}

/**
 * The database file is ours alone: created 0600 (SQLite gives its -wal/-shm files the database's
 * mode), and a link in its place is refused instead of followed.
 */
function createPrivateFile(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    let isLink = false;
    try {
      isLink = lstatSync(dbPath + suffix).isSymbolicLink();
    } catch {
      // missing: fine
    }
    if (isLink) throw new Error(`${dbPath + suffix} is a symbolic link; refusing to open it as the database`);
  }
  // A database created before files were owner-only is tightened.
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      if (process.platform !== 'win32' && lstatSync(dbPath + suffix).mode & 0o077)
        chmodSync(dbPath + suffix, 0o600);
    } catch {
      // missing: fine
    }
  }
  try {
    closeSync(
      openSync(
        dbPath,
        constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW,
        0o600,
      ),
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

export function openDatabase(dbPath: string, opts: { reset?: boolean; now?: () => Date } = {}): Db {
  if (dbPath !== ':memory:') {
    mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true, mode: 0o700 });
    if (opts.reset) deleteDatabase(dbPath);
    createPrivateFile(dbPath);
  }
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, opts.now);
  return db;
}

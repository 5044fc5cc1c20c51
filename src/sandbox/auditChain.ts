// The audit trail's hash chain: each row stores the SHA-256 of the previous row's hash and its own
// canonical content, so changing, removing or inserting a row anywhere breaks every later link.
// Used by the store (append), the migration (existing rows), `solvereign audit verify` and SP-001.
import Database from 'better-sqlite3';
import { canonicalJson, sha256Hex } from './crypto';

/** The hash the first row links to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditChainRow {
  id: number;
  event_type: string;
  user_email: string | null;
  role_name: string | null;
  action: string | null;
  reason: string | null;
  tenant_code: string | null;
  site_code: string | null;
  created_at: string;
  request_id: string | null;
  /** JSON text as stored. */
  details: string | null;
}

/** SHA-256 over the previous hash and the row's canonical content (every column but the hashes). */
export function auditRowHash(prevHash: string, row: AuditChainRow): string {
  const content = canonicalJson({
    id: row.id,
    event_type: row.event_type,
    user_email: row.user_email,
    role_name: row.role_name,
    action: row.action,
    reason: row.reason,
    tenant_code: row.tenant_code,
    site_code: row.site_code,
    created_at: row.created_at,
    request_id: row.request_id,
    details: row.details,
  });
  return sha256Hex(`${prevHash}\n${content}`);
}

export type AuditChainResult =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenId: number; reason: string };

type StoredRow = AuditChainRow & { prev_hash: string | null; row_hash: string | null };

/** Walks the whole chain in id order; names the first row whose link or content does not match. */
export function verifyAuditChain(db: Database.Database): AuditChainResult {
  let prev = GENESIS_HASH;
  let rows = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<StoredRow>) {
    rows++;
    if (row.prev_hash !== prev)
      return {
        ok: false,
        rows,
        brokenId: row.id,
        reason:
          row.prev_hash === null
            ? 'row has no hash (written around the chain)'
            : 'prev_hash does not match the previous row (a row before it was removed, inserted or changed)',
      };
    const expected = auditRowHash(prev, row);
    if (row.row_hash !== expected)
      return {
        ok: false,
        rows,
        brokenId: row.id,
        reason: 'row_hash does not match the row content (the row was changed)',
      };
    prev = expected;
  }
  return { ok: true, rows, head: prev };
}

/** Opens a database file read-only and verifies it (the CLI). */
export function verifyAuditChainFile(file: string): AuditChainResult {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return verifyAuditChain(db);
  } finally {
    db.close();
  }
}

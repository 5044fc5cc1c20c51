// `solvereign audit verify --db FILE`: walks the sandbox database's audit hash chain and names the
// first broken row (live SOLVEREIGN's audit API carries no hashes, so this reads the file).
// `solvereign audit --run-id <id>` stays the alias of show-run.
import { existsSync } from 'node:fs';
import { type CliContext, EXIT, UsageError } from '../context';
import { run as showRun } from './showRun';

async function verify(ctx: CliContext): Promise<number> {
  const db = ctx.v.db;
  if (!db)
    throw new UsageError('audit verify needs --db FILE (the sandbox database, e.g. .sandbox/solvereign.db)');
  if (!existsSync(db)) throw new UsageError(`${db} does not exist; pass the sandbox database file`);
  // Required here, not imported: no other command opens a database (the CLI starts quickly).
  const { verifyAuditChainFile } =
    require('../../sandbox/auditChain') as typeof import('../../sandbox/auditChain');
  const result = verifyAuditChainFile(db);
  ctx.out({ db, ...result }, () =>
    result.ok
      ? `audit chain OK: ${result.rows} rows, head ${result.head.slice(0, 16)}…`
      : `audit chain BROKEN at row ${result.brokenId}: ${result.reason}\n(rows before it are intact; inspect audit_log id ${result.brokenId} in ${db})`,
  );
  return result.ok ? EXIT.ok : EXIT.failed;
}

export const run = (ctx: CliContext, args: string[], name: string) =>
  args[0] === 'verify' ? verify(ctx) : showRun(ctx, args, name);

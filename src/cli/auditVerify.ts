// `solvereign audit verify --db FILE`: walks the sandbox database's audit hash chain and names the
// first broken row. Live SOLVEREIGN's audit API carries no hashes, so this reads the file directly.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE =
  'Usage: solvereign audit verify --db FILE [--json]   (the sandbox database, e.g. .sandbox/solvereign.db)';

interface Io {
  stdout: { write(s: string): void };
  stderr: { write(s: string): void };
}

/** Exit code 0 when the chain is intact, 1 when it is broken or cannot be read. */
export async function cmdAuditVerify(args: string[], io: Io): Promise<number> {
  let values: { db?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { db: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    }));
  } catch (e) {
    io.stderr.write(`solvereign audit verify: ${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }
  if (!values.db) {
    io.stderr.write(`solvereign audit verify: --db FILE is required\n${USAGE}\n`);
    return 1;
  }
  if (!existsSync(values.db)) {
    io.stderr.write(`solvereign audit verify: ${values.db} does not exist; pass the sandbox database\n`);
    return 1;
  }
  // Loaded on demand (require, which the bundle keeps lazy): the rest of the CLI never opens a database.
  const { verifyAuditChainFile } = require('../sandbox/auditChain') as typeof import('../sandbox/auditChain');
  let result: ReturnType<typeof verifyAuditChainFile>;
  try {
    result = verifyAuditChainFile(values.db);
  } catch (e) {
    io.stderr.write(`solvereign audit verify: cannot read ${values.db}: ${(e as Error).message}\n`);
    return 1;
  }
  if (values.json) io.stdout.write(`${JSON.stringify({ db: values.db, ...result }, null, 2)}\n`);
  else if (result.ok)
    io.stdout.write(`audit chain OK: ${result.rows} rows, head ${result.head.slice(0, 16)}…\n`);
  else
    io.stdout.write(
      `audit chain BROKEN at row ${result.brokenId}: ${result.reason}\n(rows before it are intact; inspect audit_log id ${result.brokenId} in ${values.db})\n`,
    );
  return result.ok ? 0 : 1;
}

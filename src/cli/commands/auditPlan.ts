// `solvereign audit-plan <plan.json>`: the seven audits on a plan, offline.
import { type CliContext, EXIT, UsageError } from '../context';
import { summarizeDetails, table, verdictColor } from '../format';
import { readInput, roster } from '../roster';

async function cmdAuditPlan(ctx: CliContext, file: string | undefined): Promise<number> {
  const text = await readInput(ctx, file);
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const audits = roster().auditPlan(plan);
  ctx.out(audits, () =>
    table(
      audits.map((a) => ({
        check: a.check_name,
        status: verdictColor(a.status),
        violations: a.violation_count,
        details: summarizeDetails(a.details),
      })),
    ),
  );
  return audits.some((a) => a.status === 'FAIL') ? EXIT.failed : EXIT.ok;
}

export const run = (ctx: CliContext, args: string[]) => cmdAuditPlan(ctx, args[0]);

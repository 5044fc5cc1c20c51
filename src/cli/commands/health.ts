// `solvereign health`: the SP-001 health check.
import { runHealthCheck } from '../../ops/healthCheck';
import { clientOf } from '../client';
import { type CliContext, EXIT } from '../context';
import { table, verdictColor } from '../format';

async function cmdHealth(ctx: CliContext): Promise<number> {
  const r = await runHealthCheck(clientOf(ctx));
  ctx.out(
    {
      verdict: r.verdict,
      criteria: r.criteria,
      health: r.health ?? null,
      ready: r.ready ?? null,
      runs: r.runs ?? null,
      errors: r.errors.map((e) => ({ step: e.step, message: e.error.message })),
      ms: r.ms,
    },
    () =>
      [
        `SP-001 health check: ${verdictColor(r.verdict)} (${r.ms} ms)`,
        table(
          r.criteria.map((c) => ({ criterion: c.title, verdict: verdictColor(c.verdict), detail: c.detail })),
          ['criterion', 'verdict', 'detail'],
        ),
      ].join('\n'),
  );
  return r.verdict === 'FAIL' ? EXIT.failed : EXIT.ok;
}

export const run = (ctx: CliContext) => cmdHealth(ctx);

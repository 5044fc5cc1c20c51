// `solvereign drift check`: SP-004 KPI drift against the baseline.
import { driftCommand } from '../../api/capabilities';
import type { SolvereignClient } from '../../api/client';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { table, verdictColor } from '../format';
import { missingCapability, notOffered } from '../notOffered';

async function cmdDrift(ctx: CliContext): Promise<number> {
  let d: Awaited<ReturnType<SolvereignClient['drift']>>;
  try {
    d = await clientOf(ctx).drift(ctx.v['run-id']);
  } catch (e) {
    if (missingCapability(e) !== 'drift') throw e;
    return ctx.notOffered(notOffered('drift', driftCommand(ctx.g.tenant)));
  }
  ctx.out(d, () =>
    [
      `KPI drift for ${d.run_id ?? 'latest run'} vs baseline ${d.baseline_date ?? '?'}: runbook verdict ${verdictColor(d.verdict)}` +
        (d.score !== undefined ? `; live detector score ${d.score.toFixed(1)} (${d.level})` : ''),
      table(
        d.metrics.map((m) => ({
          kpi: m.kpi,
          baseline: m.baseline,
          current: m.current,
          'drift %': m.drift_pct,
          rule: m.rule,
          verdict: verdictColor(m.verdict),
        })),
      ),
      d.verdict === 'BLOCK'
        ? 'BLOCK: investigate before proceeding (SP-002).'
        : d.verdict === 'WARN'
          ? 'WARN: document and proceed with approval (SP-004).'
          : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return d.verdict === 'BLOCK' ? EXIT.blocked : EXIT.ok;
}

export function run(ctx: CliContext, args: string[]): Promise<number> {
  if (args[0] !== 'check') throw new UsageError('drift takes the subcommand: check');
  return cmdDrift(ctx);
}

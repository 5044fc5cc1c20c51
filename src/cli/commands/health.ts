// `solvereign health`: the SP-001 health check.
import type { Incident } from '../../api/schemas';
import { incidentFilePath, readIncidentFile } from '../../incidents/workspaceIncidentStore';
import { runHealthCheck } from '../../ops/healthCheck';
import { clientOf } from '../client';
import { type CliContext, EXIT } from '../context';
import { table, verdictColor } from '../format';
import { missingCapability } from '../notOffered';

async function cmdHealth(ctx: CliContext): Promise<number> {
  // The workspace incidents file is live's own place for incidents (runbook SP-001 step 3).
  let workspaceIncidents: Incident[] | undefined;
  let workspaceError: string | undefined;
  try {
    workspaceIncidents = (await readIncidentFile(incidentFilePath(ctx.io.cwd ?? process.cwd()))).incidents;
  } catch (e) {
    workspaceError = (e as Error).message;
  }
  const r = await runHealthCheck(clientOf(ctx), { workspaceIncidents, workspaceError });
  ctx.out(
    {
      verdict: r.verdict,
      criteria: r.criteria,
      health: r.health ?? null,
      ready: r.ready ?? null,
      runs: r.runs ?? null,
      errors: r.errors.map((e) => ({
        step: e.step,
        message: e.error.message,
        ...(missingCapability(e.error) ? { not_offered: true } : {}),
      })),
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

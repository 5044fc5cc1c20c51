// `solvereign fire-drill`: SP-005's definition (src/procedures/flows/sp005.ts) on the shared engine;
// this module maps its result onto the command's documented `--json` shape and exit codes.
import type { DrillStep } from '../../ops/fireDrill';
import { clientOf } from '../client';
import { type CliContext, EXIT } from '../context';
import { verdictColor } from '../format';
import { notOffered } from '../notOffered';
import { runDefinition } from './procedure';

async function cmdFireDrill(ctx: CliContext): Promise<number> {
  // The drill's role rule needs the caller's role: --role, else the one the server knows for the key.
  const role =
    ctx.v.role ??
    (await clientOf(ctx)
      .me()
      .then((s) => s.role_name)
      .catch(() => undefined));
  const { sp005 } = await import('../../procedures/flows/sp005');
  const { result: r } = await runDefinition(
    ctx,
    sp005,
    undefined,
    { ...(ctx.v.reason !== undefined ? { reason: ctx.v.reason } : {}), confirm: true },
    role,
  );
  if (r.result === 'NOT_OFFERED') return ctx.notOffered(notOffered('fireDrills'));
  const steps = (r.drillSteps as DrillStep[] | undefined) ?? [];
  const result =
    r.result === 'PASS' || r.result === 'FAIL' ? r.result : r.result === 'BLOCKED' ? 'BLOCKED' : 'FAIL';
  // Why it stopped: the drill's own error, else the step that blocked or failed (role, reason).
  const stopped = r.steps.find((s) => s.status === 'blocked' || s.status === 'error');
  const error =
    (r.drillError as string | undefined) ??
    r.error?.message ??
    (result !== 'PASS' ? stopped?.detail : undefined);
  const alarm = r.alarm === true;
  if (!ctx.g.json) {
    for (const s of steps)
      ctx.io.stderr.write(
        `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(16)} ${String(s.ms).padStart(5)} ms  ${s.detail}\n`,
      );
  }
  ctx.out(
    {
      result,
      alarm,
      disable_ms: (r.disableMs as number | null | undefined) ?? null,
      enable_ms: (r.enableMs as number | null | undefined) ?? null,
      verified_disabled: r.verifiedDisabled === true,
      verified_enabled: r.verifiedEnabled === true,
      recorded_id: (r.drillId as string | undefined) ?? null,
      steps,
      error: error ?? null,
      incident_id: (r.incidentId as string | undefined) ?? null,
    },
    () =>
      [
        `SP-005 fire drill: ${verdictColor(result)} — disable ${r.disableMs ?? '-'} ms, enable ${r.enableMs ?? '-'} ms (target < 5000 ms each)`,
        alarm
          ? 'ALARM: the kill switch could not be re-enabled; publish/lock are FROZEN. Retry enable now.'
          : '',
        error ? `stopped: ${error}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
  );
  return result === 'PASS' ? EXIT.ok : result === 'BLOCKED' ? EXIT.blocked : EXIT.failed;
}

export const run = (ctx: CliContext) => cmdFireDrill(ctx);

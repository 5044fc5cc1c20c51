// `solvereign fire-drill`: SP-005, disable + verify + enable + verify, timed and recorded.
import { runFireDrill } from '../../ops/fireDrill';
import { clientOf } from '../client';
import { type CliContext, EXIT } from '../context';
import { verdictColor } from '../format';
import { missingCapability, notOffered } from '../notOffered';

async function cmdFireDrill(ctx: CliContext): Promise<number> {
  // Asked before anything is toggled: a server without the drill endpoints gets no half drill.
  try {
    await clientOf(ctx).fireDrills();
  } catch (e) {
    if (missingCapability(e)) return ctx.notOffered(notOffered('fireDrills'));
    throw e;
  }
  const r = await runFireDrill(clientOf(ctx), {
    reason: ctx.v.reason ?? 'Fire drill (SP-005)',
    onStep: ctx.g.json
      ? undefined
      : (s) =>
          ctx.io.stderr.write(
            `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(16)} ${String(s.ms).padStart(5)} ms  ${s.detail}\n`,
          ),
  });
  ctx.out(
    {
      result: r.result,
      alarm: r.alarm,
      disable_ms: r.disableMs,
      enable_ms: r.enableMs,
      verified_disabled: r.verifiedDisabled,
      verified_enabled: r.verifiedEnabled,
      recorded_id: r.recorded?.id ?? null,
      steps: r.steps,
      error: r.error ? r.error.message : null,
    },
    () =>
      [
        `SP-005 fire drill: ${verdictColor(r.result)} — disable ${r.disableMs ?? '-'} ms, enable ${r.enableMs ?? '-'} ms (target < 5000 ms each)`,
        r.alarm
          ? 'ALARM: the kill switch could not be re-enabled; publish/lock are FROZEN. Retry enable now.'
          : '',
        r.error ? `stopped: ${r.error.message}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
  );
  if (r.result !== 'PASS' && missingCapability(r.error)) return ctx.notOffered(notOffered('fireDrills'));
  return r.result === 'PASS' ? EXIT.ok : r.result === 'BLOCKED' ? EXIT.blocked : EXIT.failed;
}

export const run = (ctx: CliContext) => cmdFireDrill(ctx);

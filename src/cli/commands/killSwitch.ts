// `solvereign kill-switch status|disable|enable`: read or toggle the site's kill switch.
import { killSwitchCommand } from '../../api/capabilities';
import { monotonicMs } from '../../api/requestIds';
import type { SolvereignClient } from '../../api/client';
import { reasonProblem } from '../../ops/reason';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { keyValues } from '../format';
import { missingCapability, notOffered } from '../notOffered';

async function cmdKillSwitch(ctx: CliContext, sub: string | undefined): Promise<number> {
  if (sub === 'status' || sub === undefined) {
    const s = await clientOf(ctx).status();
    const view = {
      kill_switch_active: s.kill_switch_active,
      mode: s.kill_switch_mode ?? null,
      reason: s.kill_switch_reason ?? null,
      activated_by: s.kill_switch_activated_by ?? null,
      activated_at: s.kill_switch_activated_at ?? null,
      publish_enabled: s.publish_enabled,
      lock_enabled: s.lock_enabled,
    };
    ctx.out(view, () =>
      keyValues([
        [
          'kill switch',
          s.kill_switch_active ? 'ACTIVE (publish/lock DISABLED)' : 'off (publish/lock enabled)',
        ],
        ...Object.entries(view).slice(1),
      ]),
    );
    return EXIT.ok;
  }
  if (sub !== 'disable' && sub !== 'enable')
    throw new UsageError('kill-switch takes status, disable or enable');
  const mode = ctx.v.mode;
  if (mode !== 'drill' && mode !== 'emergency') throw new UsageError('--mode must be drill or emergency');
  const reason = ctx.v.reason;
  const problem = reasonProblem(reason);
  if (problem || !reason) throw new UsageError(`--reason "…" ${problem ?? 'is required'}`);
  const started = monotonicMs();
  let s: Awaited<ReturnType<SolvereignClient['killSwitch']>>;
  try {
    s = await clientOf(ctx).killSwitch({ action: sub, mode, reason, rca_ref: ctx.v.rca });
  } catch (e) {
    if (missingCapability(e) !== 'killSwitch') throw e;
    // Live: the script on the server is the switch (global). Who runs it is never guessed.
    const by = ctx.v.approver ?? process.env.SOLVEREIGN_USER ?? '<user>';
    return ctx.notOffered(notOffered('killSwitch', killSwitchCommand(sub, by, reason)));
  }
  const ms = Math.round(monotonicMs() - started);
  ctx.out(
    { ok: true, action: sub, mode, ms, status: s },
    () =>
      `kill switch ${sub === 'disable' ? 'ACTIVE — publish/lock disabled' : 'off — publish/lock enabled'} for ${ctx.g.tenant}/${ctx.g.site} (${ms} ms)`,
  );
  return EXIT.ok;
}

export const run = (ctx: CliContext, args: string[]) => cmdKillSwitch(ctx, args[0]);

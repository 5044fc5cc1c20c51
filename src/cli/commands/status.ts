// `solvereign status`: the dispatcher cockpit's status of one site.
import { describeValue, droppedNote } from '../../api/lenient';
import { DRIFT_STATUSES, RUN_STATUSES } from '../../api/schemas';
import { clientOf } from '../client';
import { type CliContext, EXIT } from '../context';
import { keyValues, verdictColor } from '../format';

async function cmdStatus(ctx: CliContext): Promise<number> {
  const s = await clientOf(ctx).status();
  const note = droppedNote(s.dropped);
  if (note) ctx.io.stderr.write(`solvereign: ${note}\n`);
  ctx.out(s, () =>
    keyValues([
      ['site', `${ctx.g.tenant}/${ctx.g.site}`],
      [
        'kill switch',
        s.kill_switch_active ? verdictColor(`ACTIVE (${s.kill_switch_mode ?? 'unknown mode'})`) : 'off',
      ],
      ...(s.kill_switch_active
        ? ([
            ['  reason', s.kill_switch_reason],
            ['  by', s.kill_switch_activated_by],
            ['  since', s.kill_switch_activated_at],
          ] as [string, unknown][])
        : []),
      ['publish_enabled', s.publish_enabled],
      ['lock_enabled', s.lock_enabled],
      ['shadow_mode_only', s.shadow_mode_only],
      [
        'latest run',
        s.latest_run
          ? `${s.latest_run.run_id} ${verdictColor(describeValue(RUN_STATUSES, s.latest_run.status) ?? '')} (${s.latest_run.week_id}, audits ${s.latest_run.audit_pass_count}/${s.latest_run.audit_total}, drift ${describeValue(DRIFT_STATUSES, s.latest_run.kpi_drift_status) ?? '-'})`
          : s.dropped
            ? 'could not be read (see above)'
            : null,
      ],
      ['pending repairs', s.pending_repairs],
      ['active incidents', s.active_incidents],
    ]),
  );
  return EXIT.ok;
}

export const run = (ctx: CliContext) => cmdStatus(ctx);

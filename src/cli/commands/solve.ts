// `solvereign solve <forecast> --week W`: on the server (streamed progress) or `--local`.
import { SolvereignApiError } from '../../api/errors';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { readInput, roster } from '../roster';
import { showRun } from './showRun';

async function cmdSolve(ctx: CliContext, file: string | undefined): Promise<number> {
  const text = await readInput(ctx, file);
  const week = ctx.v.week;
  if (!week || !/^\d{4}-W\d{2}$/.test(week))
    throw new UsageError('--week YYYY-Www is required (e.g. 2026-W03)');
  const seed = ctx.v.seed ? Number(ctx.v.seed) : 94;
  if (ctx.v.local) {
    const r = roster().solveLocal(text, { week, seed });
    ctx.out(r, () => JSON.stringify(r, null, 2));
    return (r as { status?: string }).status === 'FAIL' || (r as { status?: string }).status === 'ERROR'
      ? EXIT.failed
      : EXIT.ok;
  }
  const created = await clientOf(ctx).createRun({ forecast: text, week, seed });
  if (!ctx.g.json) ctx.io.stderr.write(`solving ${created.run_id} on ${ctx.g.server}…\n`);
  for await (const ev of clientOf(ctx).streamRun(created.run_id)) {
    if (ev.type === 'progress' && !ctx.g.json) ctx.io.stderr.write(`  ${ev.phase} ${ev.percent}%\n`);
    if (ev.type === 'error') {
      throw new SolvereignApiError({
        kind: 'http',
        endpoint: `solve ${created.run_id}`,
        status: 200,
        serverCode: ev.error_code,
        serverMessage: ev.message,
      });
    }
    if (ev.type === 'complete') break;
  }
  return showRun(ctx, created.run_id);
}

export const run = (ctx: CliContext, args: string[]) => cmdSolve(ctx, args[0]);

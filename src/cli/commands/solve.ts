// `solvereign solve <forecast> --week W`: on the server (streamed progress) or `--local`. The
// forecast (text or CSV) is checked first with the engine's parser: a FAIL forecast is BLOCKED
// (exit 2) with its failing lines, unless `--drop-invalid` asks to solve the rest.
import { streamRun } from '../../api/sse';
import { SolvereignApiError } from '../../api/errors';
import { invalidIsoWeekMessage, isIsoWeek } from '../../shared/isoWeek';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { verdictColor } from '../format';
import { readInput, roster } from '../roster';
import { showRun } from './showRun';

interface FailedLine {
  line: number;
  codes: string[];
  messages: string[];
}

/** The refusal: what failed, which lines, what to do. */
function blocked(ctx: CliContext, week: string, lines: FailedLine[]): number {
  const body = {
    status: 'BLOCKED',
    error_code: 'FORECAST_FAIL',
    week_id: week,
    failed_lines: lines,
    message:
      'The forecast has FAIL lines and was not solved. Fix them, or pass --drop-invalid to solve the rest.',
  };
  ctx.out(body, () =>
    [
      `solve: ${verdictColor('BLOCKED')} — ${lines.length} forecast line(s) FAIL; nothing was solved.`,
      ...lines.map((l) => `  line ${l.line}: ${l.codes.join(', ')} — ${l.messages.join(' ')}`),
      'Fix these lines, or pass --drop-invalid to solve the rest (the dropped lines are reported).',
    ].join('\n'),
  );
  return EXIT.blocked;
}

function minPauseOf(ctx: CliContext): number | undefined {
  const raw = ctx.v['min-pause'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 240)
    throw new UsageError('--min-pause takes whole minutes from 0 to 240 (default 30)');
  return n;
}

async function cmdSolve(ctx: CliContext, file: string | undefined): Promise<number> {
  const text = await readInput(ctx, file);
  const week = ctx.v.week;
  if (!week) throw new UsageError('--week YYYY-Www is required (e.g. 2026-W03)');
  if (!isIsoWeek(week)) throw new UsageError(`--week: ${invalidIsoWeekMessage(week)}`);
  const seed = ctx.v.seed ? Number(ctx.v.seed) : 94;
  const dropInvalid = ctx.v['drop-invalid'] === true;
  const minPause = minPauseOf(ctx);
  const check = roster().forecastCheck(text);
  if (check.verdict === 'FAIL' && !dropInvalid)
    return blocked(
      ctx,
      week,
      check.lines.filter((l) => l.verdict === 'FAIL'),
    );
  if (ctx.v.local) {
    const r = roster().solveLocal(text, {
      week,
      seed,
      dropInvalid,
      ...(minPause !== undefined ? { rules: { minPauseMinutes: minPause } } : {}),
    });
    ctx.out(r, () => JSON.stringify(r, null, 2));
    if (r.status === 'BLOCKED') return EXIT.blocked;
    return r.status === 'FAIL' || r.status === 'ERROR' ? EXIT.failed : EXIT.ok;
  }
  const created = await clientOf(ctx).createRun({
    forecast: text,
    week,
    seed,
    ...(dropInvalid ? { drop_invalid: true } : {}),
    ...(minPause !== undefined ? { min_pause_minutes: minPause } : {}),
  });
  if (!ctx.g.json) {
    ctx.io.stderr.write(`solving ${created.run_id} on ${ctx.g.server}…\n`);
    if (created.dropped)
      ctx.io.stderr.write(
        `  dropped ${created.dropped.lines.length} FAIL line(s) (${created.dropped.lines.join(', ')}), ${created.dropped.tours} tour(s)\n`,
      );
  }
  for await (const ev of streamRun(clientOf(ctx), created.run_id)) {
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

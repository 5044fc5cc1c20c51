// `solvereign forecast check <file|->`: validates a forecast offline with the roster engine.
import { type CliContext, EXIT, UsageError } from '../context';
import { verdictColor } from '../format';
import { readInput, roster } from '../roster';

async function cmdForecastCheck(ctx: CliContext, file: string | undefined): Promise<number> {
  const text = await readInput(ctx, file);
  const r = roster().forecastCheck(text);
  ctx.out(r, () => {
    const bad = r.lines.filter((l) => l.verdict !== 'PASS');
    return [
      `forecast ${file}${r.format === 'csv' ? ' (CSV)' : ''}: ${verdictColor(r.verdict)} — ${r.tours} tours, ${bad.filter((l) => l.verdict === 'FAIL').length} lines failed, ${bad.filter((l) => l.verdict === 'WARN').length} warned`,
      ...bad.map((l) => `  line ${l.line}: ${verdictColor(l.verdict)} ${l.codes.join(', ')}`),
    ].join('\n');
  });
  return r.verdict === 'FAIL' ? EXIT.failed : EXIT.ok;
}

export function run(ctx: CliContext, args: string[]): Promise<number> {
  if (args[0] !== 'check') throw new UsageError('forecast takes the subcommand: check <file|->');
  return cmdForecastCheck(ctx, args[1]);
}

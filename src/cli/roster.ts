// The offline commands' helpers: the roster engine (a separate bundle, so network commands never
// pay for loading it) and reading a file argument or standard input.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CliContext, UsageError } from './context';

type RosterCli = typeof import('../roster/cli-commands');

export function roster(): RosterCli {
  // dist/roster-cli.js next to the CLI bundle; from sources (tests through tsx), the module itself.
  const bundled = path.join(__dirname, 'roster-cli.js');
  const load = require;
  try {
    return load(bundled) as RosterCli;
  } catch {
    return load('../roster/cli-commands') as RosterCli;
  }
}

export async function readInput(ctx: CliContext, file: string | undefined): Promise<string> {
  if (!file) throw new UsageError('a file argument (or - for standard input) is required');
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of ctx.io.stdin ?? process.stdin) chunks.push(Buffer.from(c as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return readFileSync(path.resolve(ctx.io.cwd ?? process.cwd(), file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

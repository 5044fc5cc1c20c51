// `solvereign` — the runbook's commands against any SOLVEREIGN server (the local sandbox by default).
// Exit codes (CONTRACT.md): 0 done or nothing to do, 1 failed, 2 blocked by a rule, 3 not offered by
// this server. `--json` prints one
// stable JSON document per command (docs/cli.md). This entry only parses arguments and picks the
// command; each command's module (commands/) is loaded when it runs, with what it needs (the API
// client, the roster engine bundle, the sandbox bundle).
import { COMMANDS } from './commands/index';
import {
  CLI_VERSION,
  CliContext,
  type CliIO,
  DEFAULT_SERVER,
  EXIT,
  type Globals,
  UsageError,
} from './context';
import { demoServer } from './credentials';
import { GLOBALS_WITH_VALUE, parse } from './options';
import { redact } from '../shared/redact';

export { EXIT } from './context';
export type { CliIO } from './context';

const USAGE = `solvereign — SOLVEREIGN support runbook on the command line

Usage: solvereign [global options] <command> [options]

Commands
${Object.values(COMMANDS)
  .flatMap((c) => c.usage)
  .map((line) => `  ${line}`)
  .join('\n')}

Global options
  --server URL      default $SOLVEREIGN_SERVER, else the server in ./.sandbox/credentials.json
                    (written by the sandbox and npm run demo), else ${DEFAULT_SERVER}
  --tenant CODE     default $SOLVEREIGN_TENANT or lts
  --site CODE       default $SOLVEREIGN_SITE or wien
  --json            machine-readable output (see docs/cli.md)
  --credentials F   credentials file (mode 600); default: $SOLVEREIGN_API_KEY, then
                    ~/.config/solvereign/credentials.json, then ./.sandbox/credentials.json
  --timeout MS      per request (default 15000)

Exit codes: 0 done (or nothing to do), 1 failed, 2 blocked by a rule (gate, freeze, permission,
reason), 3 not offered by this server (the working fallback is printed)`;

// Getters: the first read of process.stdin builds a stream (and loads fs/promises, readline and
// fs/streams with it, ~2 ms), and stderr is needed only when something goes wrong.
const defaultIO: CliIO = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
};

/** The command word: the first token that is neither an option nor an option's value. */
function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (GLOBALS_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  // A raw command (the sandbox, with --port, --reset, --seed-runs …) gets its options untouched.
  const word = commandWord(argv);
  const rawSpec = word !== undefined && Object.hasOwn(COMMANDS, word) ? COMMANDS[word] : undefined;
  if (rawSpec?.raw) return (await rawSpec.load()).runRaw(argv, io);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.stderr.write(`solvereign: ${(e as Error).message}\n\n${USAGE}\n`);
    return EXIT.failed;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`solvereign ${CLI_VERSION}\n`);
    return EXIT.ok;
  }
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${USAGE}\n`);
    return positionals.length === 0 && !values.help ? EXIT.failed : EXIT.ok;
  }
  const demo = values.server || process.env.SOLVEREIGN_SERVER ? undefined : demoServer(values.credentials);
  const g: Globals = {
    server: values.server ?? process.env.SOLVEREIGN_SERVER ?? demo?.server ?? DEFAULT_SERVER,
    serverSource: values.server
      ? '--server'
      : process.env.SOLVEREIGN_SERVER
        ? 'SOLVEREIGN_SERVER'
        : (demo?.file ?? 'the default'),
    tenant: values.tenant ?? process.env.SOLVEREIGN_TENANT ?? 'lts',
    site: values.site ?? process.env.SOLVEREIGN_SITE ?? 'wien',
    json: values.json ?? false,
    credentials: values.credentials,
    timeout: values.timeout ? Number(values.timeout) : 15_000,
  };
  const ctx = new CliContext(g, values, io);
  const [command = '', ...args] = positionals;
  try {
    const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!spec || spec.raw) throw new UsageError(`unknown command '${command}'`);
    const module = await spec.load();
    return await module.run(ctx, args, command);
  } catch (e) {
    return ctx.fail(e);
  }
}

/** Entry for bin/solvereign.js and `node dist/cli.js`. */
export function cli(): void {
  // `solvereign list-runs | head`: a reader that goes away is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(
        `solvereign: unexpected error: ${redact(String(e instanceof Error ? e.message : e))}\n`,
      );
      process.exitCode = 1;
    },
  );
}

if (require.main === module) cli();

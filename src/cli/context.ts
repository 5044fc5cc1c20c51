// What every command gets: the global settings, the parsed flags, the output streams, and one way
// to print results and failures (`--json` or human), with the exit codes of docs/cli.md.
import { SolvereignApiError } from '../api/errors';
import { redact } from '../shared/redact';
import { CredentialsError } from './credentials';
import {
  describeNotOffered,
  EXIT_NOT_OFFERED,
  missingCapability,
  type NotOffered,
  notOffered,
} from './notOffered';
import type { Values } from './options';

export const EXIT = { ok: 0, failed: 1, blocked: 2, notOffered: EXIT_NOT_OFFERED } as const;
export const DEFAULT_SERVER = 'http://127.0.0.1:8765';
export const CLI_VERSION = '0.1.0';

export interface Globals {
  server: string;
  /** Where the server URL came from, named when it cannot be reached. */
  serverSource: string;
  tenant: string;
  site: string;
  json: boolean;
  credentials?: string;
  timeout: number;
}

type Out = { write(s: string): void };

export interface CliIO {
  stdout: Out;
  stderr: Out;
  stdin?: NodeJS.ReadableStream;
  cwd?: string;
}

/** A wrong invocation: printed with a pointer to --help, exit 1. */
export class UsageError extends Error {}

export class CliContext {
  constructor(
    readonly g: Globals,
    readonly v: Values,
    readonly io: CliIO,
  ) {}

  out(json: unknown, human: () => string): void {
    this.io.stdout.write(this.g.json ? `${JSON.stringify(json, null, 2)}\n` : `${human()}\n`);
  }

  fail(e: unknown): number {
    if (e instanceof UsageError) {
      this.io.stderr.write(`solvereign: ${e.message}\nRun 'solvereign --help' for usage.\n`);
      return EXIT.failed;
    }
    if (e instanceof CredentialsError) {
      this.io.stderr.write(`solvereign: ${redact(e.message)}\n`);
      return EXIT.failed;
    }
    const code = exitFor(e);
    const missing = missingCapability(e);
    if (missing) return this.notOffered(notOffered(missing));
    if (this.g.json) {
      const err =
        e instanceof SolvereignApiError ? e.toJSON() : { message: redact((e as Error).message ?? String(e)) };
      this.io.stdout.write(`${JSON.stringify({ ok: false, error: err }, null, 2)}\n`);
    } else {
      let msg = redact(e instanceof Error ? e.message : String(e));
      if (
        e instanceof SolvereignApiError &&
        e.runbookCode === 'ERR_AUTH_001' &&
        !process.env.SOLVEREIGN_API_KEY
      ) {
        msg += `\nSet SOLVEREIGN_API_KEY or a credentials file (see 'solvereign --help').`;
      }
      if (e instanceof SolvereignApiError && e.kind === 'network' && this.g.serverSource !== '--server')
        msg += `\n(server ${this.g.server} from ${this.g.serverSource}; give --server URL to use another)`;
      this.io.stderr.write(`solvereign: ${msg}\n`);
    }
    return code;
  }

  /** Exit 3: the command's main action is not offered by this server; the working fallback is printed. */
  notOffered(n: NotOffered): number {
    this.out(n, () => describeNotOffered(n));
    return EXIT.notOffered;
  }
}

function exitFor(e: unknown): number {
  if (e instanceof SolvereignApiError) {
    if (e.kind === 'unsupported') return EXIT.notOffered;
    if (e.status === 403 || e.lockCode) return EXIT.blocked;
  }
  return EXIT.failed;
}

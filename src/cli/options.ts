// Every flag the CLI accepts (one table for all commands, so `--json`, `--role` and friends parse
// the same everywhere). A command with a new flag adds it here.
import { parseArgs } from 'node:util';

export const OPTIONS = {
  server: { type: 'string' },
  tenant: { type: 'string' },
  site: { type: 'string' },
  json: { type: 'boolean' },
  credentials: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  status: { type: 'string' },
  'run-id': { type: 'string' },
  reason: { type: 'string' },
  role: { type: 'string' },
  approver: { type: 'string' },
  'override-warn': { type: 'boolean' },
  mode: { type: 'string' },
  rca: { type: 'string' },
  week: { type: 'string' },
  seed: { type: 'string' },
  local: { type: 'boolean' },
  db: { type: 'string' },
  'min-pause': { type: 'string' },
  'drop-invalid': { type: 'boolean' },
  out: { type: 'string' },
  'verify-only': { type: 'boolean' },
  yes: { type: 'boolean' },
  records: { type: 'string' },
  lessons: { type: 'string' },
  incident: { type: 'string' },
  resolution: { type: 'string' },
  'resolve-incident': { type: 'boolean' },
} as const;

/** Global options that take a value (the command word is the first token that is none of these). */
export const GLOBALS_WITH_VALUE = new Set(['--server', '--tenant', '--site', '--credentials', '--timeout']);

export function parse(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
}

export type Values = ReturnType<typeof parse>['values'];

// The command registry: name -> usage lines and the module that runs it, loaded only when that
// command runs (a kill-switch toggle never loads the roster engine, the fire drill or the health
// check). Adding a command = a module in this folder exporting `run` + one line here (+ its flags
// in ../options.ts).
import type { CliContext, CliIO } from '../context';

export interface CommandModule {
  /** `args` are the positionals after the command word; `name` is the word itself (aliases). */
  run(ctx: CliContext, args: string[], name: string): Promise<number>;
}

/** A command that parses its own arguments (gets argv untouched). */
export interface RawCommandModule {
  runRaw(argv: string[], io: CliIO): Promise<number>;
}

export type CommandSpec =
  | { usage: string[]; load: () => Promise<CommandModule>; raw?: false }
  | { usage: string[]; load: () => Promise<RawCommandModule>; raw: true };

export const COMMANDS: Record<string, CommandSpec> = {
  health: {
    usage: [
      'health                                 SP-001 health check (API, readiness, recent runs, incidents)',
    ],
    load: () => import('./health'),
  },
  status: {
    usage: [
      'status                                 dispatcher status: kill switch, publish/lock, latest run',
    ],
    load: () => import('./status'),
  },
  'list-runs': {
    usage: [
      'list-runs [--limit N] [--status S] [--offset N]   (--offset only where the server pages with it)',
    ],
    load: () => import('./listRuns'),
  },
  'show-run': {
    usage: [
      'show-run <run-id>                      run detail with the seven audits (alias: audit --run-id <id>)',
    ],
    load: () => import('./showRun'),
  },
  audit: {
    usage: ["audit verify --db FILE                 check the sandbox database's audit hash chain"],
    load: () => import('./audit'),
  },
  publish: {
    usage: ['publish <run-id> --reason "…" --role R [--approver ID] [--override-warn]'],
    load: () => import('./publishLock'),
  },
  lock: {
    usage: ['lock <run-id> --reason "…" --role R [--approver ID]'],
    load: () => import('./publishLock'),
  },
  'kill-switch': {
    usage: [
      'kill-switch status',
      'kill-switch disable|enable --mode drill|emergency --reason "…" [--rca REF]',
    ],
    load: () => import('./killSwitch'),
  },
  drift: {
    usage: ['drift check [--run-id ID]              SP-004 KPI drift against the baseline'],
    load: () => import('./drift'),
  },
  'fire-drill': {
    usage: [
      'fire-drill [--reason "…"] [--role R]   SP-005: disable, verify, enable, verify; PASS if both < 5 s',
    ],
    load: () => import('./fireDrill'),
  },
  evidence: {
    usage: [
      'evidence <run-id> --out DIR | --verify-only',
      '                                       download the evidence pack, verify it, unpack it',
    ],
    load: () => import('./evidence'),
  },
  forecast: {
    usage: ['forecast check <file|->                validate a forecast file'],
    load: () => import('./forecast'),
  },
  solve: {
    usage: ['solve <forecast|csv> --week 2026-W03 [--seed 94] [--local] [--min-pause 30] [--drop-invalid]'],
    load: () => import('./solve'),
  },
  'audit-plan': {
    usage: ['audit-plan <plan.json>                 run the seven audits on a plan'],
    load: () => import('./auditPlan'),
  },
  sp001: {
    usage: [
      'sp001 [--records DIR]                 SP-001 as a procedure: every step, the record (--json: the result)',
    ],
    load: () => import('./procedure'),
  },
  sp002: {
    usage: ['sp002 <run-id> [--resolution message|escalate|infrastructure|none]'],
    load: () => import('./procedure'),
  },
  sp003: {
    usage: ['sp003 publish|lock <run-id> --reason "…" --role R [--override-warn] --yes'],
    load: () => import('./procedure'),
  },
  sp005: {
    usage: ['sp005 --reason "…" --role R --yes         SP-005 fire drill as a procedure'],
    load: () => import('./procedure'),
  },
  sp006: {
    usage: [
      'sp006 kill --reason "…" --role R --yes',
      'sp006 recover --rca REF --lessons "…" [--incident ID] [--resolve-incident] --role R --yes',
    ],
    load: () => import('./procedure'),
  },
  sandbox: {
    usage: [
      'sandbox [--profile default|live] [--port N] [--reset] [--db FILE]   start the local sandbox server',
      'sandbox kill-switch --activate|--deactivate --by USER --reason "…" [--data DIR]',
      "                                         the live-profile sandbox's global kill switch",
    ],
    load: () => import('./sandbox'),
    raw: true,
  },
};

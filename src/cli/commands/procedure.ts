// `solvereign sp001 | sp002 RUN | sp003 publish|lock RUN | sp005 | sp006 kill|recover`: the runbook
// procedures on the same definitions and engine as the extension, every answer from flags (no
// prompts). State-changing procedures send nothing without --yes. Prints the procedure's record
// (--json: the result object). Each command loads only its own flow.
import os from 'node:os';
import path from 'node:path';
import type { Answers } from '../../procedures/engine/engine';
import type { CliProcedureHost } from '../../procedures/cliHost';
import type { ProcedureDef, ProcedureResult } from '../../procedures/runner';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';

interface Variant {
  // biome-ignore lint/suspicious/noExplicitAny: each procedure has its own state type
  load: () => Promise<ProcedureDef<any>>;
  takesRun: boolean;
  mutates: boolean;
  answers: (ctx: CliContext) => Answers;
}

const reason = (ctx: CliContext): Answers => (ctx.v.reason ? { reason: ctx.v.reason } : {});

const VARIANTS: Record<string, Variant> = {
  sp001: {
    load: async () => (await import('../../procedures/flows/sp001')).sp001,
    takesRun: false,
    mutates: false,
    answers: () => ({}),
  },
  sp002: {
    load: async () => (await import('../../procedures/flows/sp002')).sp002,
    takesRun: true,
    mutates: false,
    answers: (ctx) => ({ resolution: ctx.v.resolution ?? 'none' }),
  },
  'sp003 publish': {
    load: async () => (await import('../../procedures/flows/sp003')).sp003Publish,
    takesRun: true,
    mutates: true,
    answers: (ctx) => ({ ...reason(ctx), overrideWarn: ctx.v['override-warn'] === true }),
  },
  'sp003 lock': {
    load: async () => (await import('../../procedures/flows/sp003')).sp003Lock,
    takesRun: true,
    mutates: true,
    answers: reason,
  },
  sp005: {
    load: async () => (await import('../../procedures/flows/sp005')).sp005,
    takesRun: false,
    mutates: true,
    answers: reason,
  },
  'sp006 kill': {
    load: async () => (await import('../../procedures/flows/sp006')).sp006Kill,
    takesRun: false,
    mutates: true,
    // --yes stands for typing the site name.
    answers: (ctx) => ({ ...reason(ctx), ...(ctx.v.yes ? { confirmSite: ctx.g.site } : {}) }),
  },
  'sp006 recover': {
    load: async () => (await import('../../procedures/flows/sp006')).sp006Recover,
    takesRun: false,
    mutates: true,
    answers: (ctx) => ({
      ...reason(ctx),
      ...(ctx.v.rca ? { rcaRef: ctx.v.rca } : {}),
      ...(ctx.v.lessons ? { lessonsLearned: ctx.v.lessons } : {}),
      ...(ctx.v.incident ? { incidentId: ctx.v.incident } : {}),
      resolveIncident: ctx.v['resolve-incident'] === true,
    }),
  },
};

/** Exit code of a procedure's result (docs/cli.md). */
export function exitForResult(result: string): number {
  if (result === 'BLOCKED') return EXIT.blocked;
  if (result === 'NOT_OFFERED') return 3;
  if (['FAIL', 'ERROR', 'UNVERIFIED', 'CANCELLED', 'ALARM'].includes(result)) return EXIT.failed;
  return EXIT.ok;
}

/** Runs one procedure definition on the shared engine with the CLI's host, client and identity. */
export async function runDefinition<S>(
  ctx: CliContext,
  def: ProcedureDef<S>,
  runId: string | undefined,
  answers: Answers,
  role: string | undefined = ctx.v.role,
): Promise<{ result: ProcedureResult; host: CliProcedureHost }> {
  const { CliProcedureHost } = await import('../../procedures/cliHost');
  const { runProcedure } = await import('../../procedures/runner');
  const cwd = ctx.io.cwd ?? process.cwd();
  const host = new CliProcedureHost({
    cwd,
    recordsDir: ctx.v.records ? path.resolve(cwd, ctx.v.records) : undefined,
    say: (line) => ctx.io.stderr.write(`${line}\n`),
  });
  const abort = new AbortController();
  const { CapabilityCache } = await import('../../api/capabilities');
  const { capabilitiesFor } = await import('../../procedures/capabilities');
  const client = clientOf(ctx);
  const result = await runProcedure(
    def,
    {
      client,
      capabilities: await capabilitiesFor(new CapabilityCache(), client),
      who: {
        email: ctx.v.approver ?? process.env.SOLVEREIGN_USER ?? os.userInfo().username,
        role,
      },
      environment: { name: 'cli', url: ctx.g.server, tenant: ctx.g.tenant, site: ctx.g.site },
      host,
      signal: abort.signal,
      now: () => new Date(),
    },
    { runId, answers },
  );
  return { result, host };
}

async function cmdProcedure(ctx: CliContext, name: string, args: string[]): Promise<number> {
  const sub = VARIANTS[name] ? undefined : args.shift();
  const key = sub ? `${name} ${sub}` : name;
  const variant = VARIANTS[key];
  if (!variant) {
    const subs = Object.keys(VARIANTS)
      .filter((k) => k.startsWith(`${name} `))
      .map((k) => k.slice(name.length + 1));
    throw new UsageError(`${name} needs one of: ${subs.join(', ')}`);
  }
  const runId = variant.takesRun ? (args[0] ?? ctx.v['run-id']) : undefined;
  if (variant.takesRun && !runId) throw new UsageError(`${key} needs a run id`);
  const answers: Answers = { ...variant.answers(ctx), confirm: variant.mutates ? ctx.v.yes === true : true };
  const { result, host } = await runDefinition(ctx, await variant.load(), runId, answers);
  if (variant.mutates && !ctx.v.yes && result.result === 'CANCELLED') {
    ctx.io.stderr.write(`solvereign: ${key} sends nothing without --yes (the confirmation).\n`);
  }
  ctx.out(result, () =>
    [
      result.record.trimEnd(),
      ...host.documents.filter((d) => d.path).map((d) => `Saved: ${d.path}`),
      result.recordPath ? `Record: ${result.recordPath}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return exitForResult(result.result);
}

export const run = (ctx: CliContext, args: string[], name: string) => cmdProcedure(ctx, name, [...args]);

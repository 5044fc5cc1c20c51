// `solvereign` — the runbook's commands against any SOLVEREIGN server (the local sandbox by default).
// Exit codes: 0 ok, 1 failed, 2 blocked (audit gate, kill switch, permission). `--json` prints one
// stable JSON document per command (docs/cli.md). Only what a command needs is loaded: the roster
// engine and the sandbox are separate bundles required on demand.
import { cmdAuditVerify } from './auditVerify';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiKeyAuth } from '../api/auth';
import { SolvereignClient } from '../api/client';
import { SolvereignApiError } from '../api/errors';
import { RUN_STATUSES, type RunStatus } from '../api/schemas';
import { runFireDrill } from '../ops/fireDrill';
import { checkGate, interpretPublishLock } from '../ops/gates';
import { runHealthCheck } from '../ops/healthCheck';
import { redact } from '../shared/redact';
import { CredentialsError, resolveCredentials } from './credentials';
import { keyValues, table, verdictColor } from './format';

export const EXIT = { ok: 0, failed: 1, blocked: 2 } as const;
const DEFAULT_SERVER = 'http://127.0.0.1:8765';

const USAGE = `solvereign — SOLVEREIGN support runbook on the command line

Usage: solvereign [global options] <command> [options]

Commands
  health                                 SP-001 health check (API, readiness, recent runs, incidents)
  status                                 dispatcher status: kill switch, publish/lock, latest run
  list-runs [--limit N] [--status S] [--offset N]
  show-run <run-id>                      run detail with the seven audits (alias: audit --run-id <id>)
  publish <run-id> --reason "…" --role R [--approver ID] [--override-warn]
  lock <run-id> --reason "…" --role R [--approver ID]
  kill-switch status
  kill-switch disable|enable --mode drill|emergency --reason "…" [--rca REF]
  drift check [--run-id ID]              SP-004 KPI drift against the baseline
  fire-drill [--reason "…"]              SP-005: disable, verify, enable, verify; PASS if both < 5 s
  forecast check <file|->                validate a forecast file
  solve <forecast> --week 2026-W03 [--seed 94] [--local]
  audit-plan <plan.json>                 run the seven audits on a plan
  audit verify --db FILE                 check the sandbox database's audit hash chain
  sandbox [--port N] [--reset] [--db FILE]   start the local sandbox server

Global options
  --server URL      default $SOLVEREIGN_SERVER or ${DEFAULT_SERVER}
  --tenant CODE     default $SOLVEREIGN_TENANT or lts
  --site CODE       default $SOLVEREIGN_SITE or wien
  --json            machine-readable output (see docs/cli.md)
  --credentials F   credentials file (mode 600); default: $SOLVEREIGN_API_KEY, then
                    ~/.config/solvereign/credentials.json, then ./.sandbox/credentials.json
  --timeout MS      per request (default 15000)

Exit codes: 0 ok, 1 failed, 2 blocked (audit gate, kill switch, permission)`;

interface Globals {
  server: string;
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

const defaultIO: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

/** The command word: the first token that is neither an option nor an option's value. */
function commandWord(argv: string[]): string | undefined {
  const takesValue = new Set(['--server', '--tenant', '--site', '--credentials', '--timeout']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (takesValue.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  // The sandbox has options of its own (--port, --reset, --seed-runs …): hand them over untouched.
  if (commandWord(argv) === 'sandbox') return cmdSandbox(argv);
  const auditAt = argv.indexOf('audit');
  if (commandWord(argv) === 'audit' && argv[auditAt + 1] === 'verify')
    return cmdAuditVerify(argv.slice(auditAt + 2), io);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.stderr.write(`solvereign: ${(e as Error).message}\n\n${USAGE}\n`);
    return EXIT.failed;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${USAGE}\n`);
    return positionals.length === 0 && !values.help ? EXIT.failed : EXIT.ok;
  }
  if (values.version) {
    io.stdout.write('solvereign 0.1.0\n');
    return EXIT.ok;
  }
  const g: Globals = {
    server: values.server ?? process.env.SOLVEREIGN_SERVER ?? DEFAULT_SERVER,
    tenant: values.tenant ?? process.env.SOLVEREIGN_TENANT ?? 'lts',
    site: values.site ?? process.env.SOLVEREIGN_SITE ?? 'wien',
    json: values.json ?? false,
    credentials: values.credentials,
    timeout: values.timeout ? Number(values.timeout) : 15_000,
  };
  const ctx = new Ctx(g, values, io);
  const [command, ...args] = positionals;
  try {
    switch (command) {
      case 'health':
        return await cmdHealth(ctx);
      case 'status':
        return await cmdStatus(ctx);
      case 'list-runs':
        return await cmdListRuns(ctx);
      case 'show-run':
        return await cmdShowRun(ctx, args[0]);
      case 'audit':
        return await cmdShowRun(ctx, values['run-id'] ?? args[0]);
      case 'publish':
      case 'lock':
        return await cmdPublishLock(ctx, command, args[0] ?? values['run-id']);
      case 'kill-switch':
        return await cmdKillSwitch(ctx, args[0]);
      case 'drift':
        if (args[0] !== 'check') throw new UsageError('drift takes the subcommand: check');
        return await cmdDrift(ctx);
      case 'fire-drill':
        return await cmdFireDrill(ctx);
      case 'forecast':
        if (args[0] !== 'check') throw new UsageError('forecast takes the subcommand: check <file|->');
        return await cmdForecastCheck(ctx, args[1]);
      case 'solve':
        return await cmdSolve(ctx, args[0]);
      case 'audit-plan':
        return await cmdAuditPlan(ctx, args[0]);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    return ctx.fail(e);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
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
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

class UsageError extends Error {}

class Ctx {
  private clientInstance?: SolvereignClient;
  constructor(
    readonly g: Globals,
    readonly v: Values,
    readonly io: CliIO,
  ) {}

  get client(): SolvereignClient {
    if (!this.clientInstance) {
      const creds = resolveCredentials({
        server: this.g.server,
        role: this.v.role,
        file: this.g.credentials,
      });
      this.clientInstance = new SolvereignClient({
        baseUrl: this.g.server,
        tenant: this.g.tenant,
        site: this.g.site,
        auth: creds ? new ApiKeyAuth(creds.apiKey) : undefined,
        timeoutMs: this.g.timeout,
        userAgent: 'solvereign-cli/0.1.0',
      });
    }
    return this.clientInstance;
  }

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
      this.io.stderr.write(`solvereign: ${msg}\n`);
    }
    return code;
  }
}

function exitFor(e: unknown): number {
  if (e instanceof SolvereignApiError) {
    if (e.status === 403 || e.lockCode) return EXIT.blocked;
  }
  return EXIT.failed;
}

// ------------------------------------------------------------------ commands

async function cmdHealth(ctx: Ctx): Promise<number> {
  const r = await runHealthCheck(ctx.client);
  ctx.out(
    {
      verdict: r.verdict,
      criteria: r.criteria,
      health: r.health ?? null,
      ready: r.ready ?? null,
      runs: r.runs ?? null,
      errors: r.errors.map((e) => ({ step: e.step, message: e.error.message })),
      ms: r.ms,
    },
    () =>
      [
        `SP-001 health check: ${verdictColor(r.verdict)} (${r.ms} ms)`,
        table(
          r.criteria.map((c) => ({ criterion: c.title, verdict: verdictColor(c.verdict), detail: c.detail })),
          ['criterion', 'verdict', 'detail'],
        ),
      ].join('\n'),
  );
  return r.verdict === 'FAIL' ? EXIT.failed : EXIT.ok;
}

async function cmdStatus(ctx: Ctx): Promise<number> {
  const s = await ctx.client.status();
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
          ? `${s.latest_run.run_id} ${verdictColor(s.latest_run.status)} (${s.latest_run.week_id}, audits ${s.latest_run.audit_pass_count}/${s.latest_run.audit_total})`
          : null,
      ],
      ['pending repairs', s.pending_repairs],
      ['active incidents', s.active_incidents],
    ]),
  );
  return EXIT.ok;
}

async function cmdListRuns(ctx: Ctx): Promise<number> {
  const status = ctx.v.status?.toUpperCase();
  if (status && !(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}`);
  }
  const limit = ctx.v.limit ? Number(ctx.v.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit must be 1..100');
  const r = await ctx.client.listRuns({
    limit,
    status: status as RunStatus | undefined,
    offset: ctx.v.offset ? Number(ctx.v.offset) : undefined,
  });
  ctx.out(r, () =>
    [
      table(
        r.runs.map((x) => ({
          run_id: x.run_id,
          week: x.week_id,
          status: verdictColor(x.status),
          audits: `${x.audit_pass_count}/${x.audit_total}`,
          headcount: x.headcount,
          coverage:
            x.coverage_percent === null || x.coverage_percent === undefined ? null : `${x.coverage_percent}%`,
          drift: x.kpi_drift_status,
          published: x.published,
          locked: x.locked,
        })),
      ),
      `${r.runs.length} of ${r.total} runs`,
    ].join('\n'),
  );
  return EXIT.ok;
}

async function cmdShowRun(ctx: Ctx, runId: string | undefined): Promise<number> {
  if (!runId) throw new UsageError('show-run needs a run id');
  const r = await ctx.client.getRun(runId);
  ctx.out(r, () =>
    [
      keyValues([
        ['run', r.run_id],
        ['week', r.week_id],
        ['status', verdictColor(r.status)],
        ['timestamp', r.timestamp],
        ['headcount', r.kpis.headcount],
        ['coverage %', r.kpis.coverage_percent],
        ['fte ratio', r.kpis.fte_ratio],
        ['pt ratio', r.kpis.pt_ratio],
        ['runtime s', r.kpis.runtime_seconds],
        ['drift', r.kpis.drift_status],
        ['published', r.published ? `yes (${r.published_by ?? '?'} ${r.published_at ?? ''})` : 'no'],
        ['locked', r.locked ? `yes (${r.locked_by ?? '?'} ${r.locked_at ?? ''})` : 'no'],
        ['input hash', r.input_hash],
        ['output hash', r.output_hash],
        ['evidence hash', r.evidence_hash],
        ...(r.error_code
          ? ([['error', `${r.error_code} ${r.error_message ?? ''}`]] as [string, unknown][])
          : []),
      ]),
      '',
      table(
        r.audit_results.map((a) => ({
          check: a.check_name,
          status: verdictColor(a.status),
          violations: a.violation_count,
          details: summarizeDetails(a.details),
        })),
      ),
    ].join('\n'),
  );
  return r.status === 'FAIL' || r.status === 'ERROR' ? EXIT.failed : EXIT.ok;
}

function summarizeDetails(d: unknown): string {
  if (!d) return '';
  if (typeof d === 'string') return d;
  if (
    typeof d === 'object' &&
    d &&
    'message' in d &&
    typeof (d as { message: unknown }).message === 'string'
  ) {
    return (d as { message: string }).message;
  }
  return JSON.stringify(d).slice(0, 80);
}

async function cmdPublishLock(
  ctx: Ctx,
  action: 'publish' | 'lock',
  runId: string | undefined,
): Promise<number> {
  if (!runId) throw new UsageError(`${action} needs a run id`);
  const reason = ctx.v.reason;
  const role = ctx.v.role;
  if (!reason) throw new UsageError(`${action} needs --reason "…" (it goes into the audit trail)`);
  if (action === 'publish' && reason.length < 10)
    throw new UsageError('--reason must be at least 10 characters');
  if (!role) throw new UsageError(`${action} needs --role (dispatcher, ops_lead or platform_admin)`);
  const approver = ctx.v.approver ?? process.env.SOLVEREIGN_USER ?? os.userInfo().username;
  // SP-003 step 1-2: check before calling the server, so a block is explained in the runbook's terms.
  const [run, status] = await Promise.all([ctx.client.getRun(runId), ctx.client.status()]);
  const pre = checkGate({ action, run, status, role, overrideWarn: ctx.v['override-warn'] });
  if (pre) return reportBlock(ctx, action, runId, pre, 'pre-check');
  let answer: Awaited<ReturnType<SolvereignClient['publish']>> | SolvereignApiError;
  try {
    answer =
      action === 'publish'
        ? await ctx.client.publish(runId, {
            approver_id: approver,
            approver_role: role,
            reason,
            override_warn: ctx.v['override-warn'] ?? false,
          })
        : await ctx.client.lock(runId, { approver_id: approver, approver_role: role, reason });
  } catch (e) {
    if (!(e instanceof SolvereignApiError)) throw e;
    answer = e;
  }
  const blocked = interpretPublishLock(answer);
  if (blocked) return reportBlock(ctx, action, runId, blocked, 'server');
  if (answer instanceof SolvereignApiError) throw answer;
  const ok = answer;
  ctx.out({ ok: true, ...ok }, () =>
    keyValues([
      ['run', ok.run_id],
      ['status', verdictColor(ok.status)],
      ['audit event', ok.audit_event_id],
      ['evidence hash', ok.evidence_hash],
      ['message', ok.message],
    ]),
  );
  return EXIT.ok;
}

function reportBlock(
  ctx: Ctx,
  action: string,
  runId: string,
  b: { code: string; cause: string; resolution: string; detail: string },
  where: 'pre-check' | 'server',
): number {
  ctx.out({ ok: false, blocked: true, action, run_id: runId, where, ...b }, () =>
    [
      `${action} ${runId}: BLOCKED ${b.code} (${b.cause})`,
      `  ${b.detail}`,
      `  Resolution (SP-003): ${b.resolution}`,
    ].join('\n'),
  );
  return EXIT.blocked;
}

async function cmdKillSwitch(ctx: Ctx, sub: string | undefined): Promise<number> {
  if (sub === 'status' || sub === undefined) {
    const s = await ctx.client.status();
    const view = {
      kill_switch_active: s.kill_switch_active,
      mode: s.kill_switch_mode ?? null,
      reason: s.kill_switch_reason ?? null,
      activated_by: s.kill_switch_activated_by ?? null,
      activated_at: s.kill_switch_activated_at ?? null,
      publish_enabled: s.publish_enabled,
      lock_enabled: s.lock_enabled,
    };
    ctx.out(view, () =>
      keyValues([
        [
          'kill switch',
          s.kill_switch_active ? 'ACTIVE (publish/lock DISABLED)' : 'off (publish/lock enabled)',
        ],
        ...Object.entries(view).slice(1),
      ]),
    );
    return EXIT.ok;
  }
  if (sub !== 'disable' && sub !== 'enable')
    throw new UsageError('kill-switch takes status, disable or enable');
  const mode = ctx.v.mode;
  if (mode !== 'drill' && mode !== 'emergency') throw new UsageError('--mode must be drill or emergency');
  const reason = ctx.v.reason;
  if (!reason || reason.length < 10)
    throw new UsageError('--reason "…" of at least 10 characters is required');
  const started = performance.now();
  const s = await ctx.client.killSwitch({ action: sub, mode, reason, rca_ref: ctx.v.rca });
  const ms = Math.round(performance.now() - started);
  ctx.out(
    { ok: true, action: sub, mode, ms, status: s },
    () =>
      `kill switch ${sub === 'disable' ? 'ACTIVE — publish/lock disabled' : 'off — publish/lock enabled'} for ${ctx.g.tenant}/${ctx.g.site} (${ms} ms)`,
  );
  return EXIT.ok;
}

async function cmdDrift(ctx: Ctx): Promise<number> {
  const d = await ctx.client.drift(ctx.v['run-id']);
  ctx.out(d, () =>
    [
      `KPI drift for ${d.run_id ?? 'latest run'} vs baseline ${d.baseline_date ?? '?'}: runbook verdict ${verdictColor(d.verdict)}` +
        (d.score !== undefined ? `; live detector score ${d.score.toFixed(1)} (${d.level})` : ''),
      table(
        d.metrics.map((m) => ({
          kpi: m.kpi,
          baseline: m.baseline,
          current: m.current,
          'drift %': m.drift_pct,
          rule: m.rule,
          verdict: verdictColor(m.verdict),
        })),
      ),
      d.verdict === 'BLOCK'
        ? 'BLOCK: investigate before proceeding (SP-002).'
        : d.verdict === 'WARN'
          ? 'WARN: document and proceed with approval (SP-004).'
          : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return d.verdict === 'BLOCK' ? EXIT.blocked : EXIT.ok;
}

async function cmdFireDrill(ctx: Ctx): Promise<number> {
  const r = await runFireDrill(ctx.client, {
    reason: ctx.v.reason ?? 'Fire drill (SP-005)',
    onStep: ctx.g.json
      ? undefined
      : (s) =>
          ctx.io.stderr.write(
            `  ${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(16)} ${String(s.ms).padStart(5)} ms  ${s.detail}\n`,
          ),
  });
  ctx.out(
    {
      result: r.result,
      alarm: r.alarm,
      disable_ms: r.disableMs,
      enable_ms: r.enableMs,
      verified_disabled: r.verifiedDisabled,
      verified_enabled: r.verifiedEnabled,
      recorded_id: r.recorded?.id ?? null,
      steps: r.steps,
      error: r.error ? r.error.message : null,
    },
    () =>
      [
        `SP-005 fire drill: ${verdictColor(r.result)} — disable ${r.disableMs ?? '-'} ms, enable ${r.enableMs ?? '-'} ms (target < 5000 ms each)`,
        r.alarm
          ? 'ALARM: the kill switch could not be re-enabled; publish/lock are FROZEN. Retry enable now.'
          : '',
        r.error ? `stopped: ${r.error.message}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
  );
  return r.result === 'PASS' ? EXIT.ok : r.result === 'BLOCKED' ? EXIT.blocked : EXIT.failed;
}

// ------------------------------------------------------------------ roster engine (lazy bundle)

type RosterCli = typeof import('../roster/cli-commands');
function roster(): RosterCli {
  // A separate bundle next to this one, so network commands never pay for loading the engine.
  const bundled = path.join(__dirname, 'roster-cli.js');
  const load = require;
  try {
    return load(bundled) as RosterCli;
  } catch {
    return load('../roster/cli-commands') as RosterCli;
  }
}

async function readInput(ctx: Ctx, file: string | undefined): Promise<string> {
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

async function cmdForecastCheck(ctx: Ctx, file: string | undefined): Promise<number> {
  const text = await readInput(ctx, file);
  const r = roster().forecastCheck(text);
  ctx.out(r, () => {
    const bad = r.lines.filter((l) => l.verdict !== 'PASS');
    return [
      `forecast ${file}: ${verdictColor(r.verdict)} — ${r.tours} tours, ${bad.filter((l) => l.verdict === 'FAIL').length} lines failed, ${bad.filter((l) => l.verdict === 'WARN').length} warned`,
      ...bad.map((l) => `  line ${l.line}: ${verdictColor(l.verdict)} ${l.codes.join(', ')}`),
    ].join('\n');
  });
  return r.verdict === 'FAIL' ? EXIT.failed : EXIT.ok;
}

async function cmdSolve(ctx: Ctx, file: string | undefined): Promise<number> {
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
  const created = await ctx.client.createRun({ forecast: text, week, seed });
  if (!ctx.g.json) ctx.io.stderr.write(`solving ${created.run_id} on ${ctx.g.server}…\n`);
  for await (const ev of ctx.client.streamRun(created.run_id)) {
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
  return cmdShowRun(ctx, created.run_id);
}

async function cmdAuditPlan(ctx: Ctx, file: string | undefined): Promise<number> {
  const text = await readInput(ctx, file);
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const audits = roster().auditPlan(plan);
  ctx.out(audits, () =>
    table(
      audits.map((a) => ({
        check: a.check_name,
        status: verdictColor(a.status),
        violations: a.violation_count,
        details: summarizeDetails(a.details),
      })),
    ),
  );
  return audits.some((a) => a.status === 'FAIL') ? EXIT.failed : EXIT.ok;
}

async function cmdSandbox(argv: string[]): Promise<number> {
  // Hands over to the sandbox bundle in this process: it prints its URL and runs until stopped.
  const i = argv.indexOf('sandbox');
  process.argv = [process.argv[0] ?? 'node', path.join(__dirname, 'sandbox.js'), ...argv.slice(i + 1)];
  const load = require;
  load(path.join(__dirname, 'sandbox.js'));
  return new Promise<number>(() => {}); // runs until the sandbox exits the process
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

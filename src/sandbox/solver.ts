// Asynchronous solves for `POST /api/v1/runs`: a queue (one solve at a time on the 2-core target),
// each in a worker thread when the bundled worker exists (dist/sandbox-solver.js), else in-process
// after the answer has been sent. Progress goes out as Server-Sent Events
// (`GET /api/v1/runs/{id}/stream`: progress, complete, error, heartbeat).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as S from '../api/schemas';
import { parseForecast } from '../roster/index';
import { ROLES, type Role } from '../shared/runbook';
import { ApiError, json, notFound, type Reply, type RouteDef, validate, validationError } from './http';
import type { App, Ctx } from './routes';
import { buildRun, type RunMeta, type SolvedWeek, storeRun } from './runs';
import { runSolve, type SolveInput } from './solve-core';
import { detailOf } from './store';
import { dateStamp, mondayOfIsoWeek } from './time';

const WRITERS: readonly Role[] = ROLES.filter((r) => r !== 'ops_readonly');

interface Job {
  key: string;
  meta: RunMeta;
  input: SolveInput;
  listeners: Set<(e: S.SolveEvent) => void>;
  last: S.SolveEvent;
  done: boolean;
}

export interface SolverOptions {
  /** Use a worker thread when the bundled worker script exists (default true). */
  worker?: boolean;
  timeLimitMs?: number;
  heartbeatMs?: number;
  /** Line ending that frames Server-Sent Events (default LF; live's Python servers send CRLF). */
  sseLineEnd?: '\n' | '\r\n';
}

/**
 * The worker: the bundled one beside the running bundle (dist/sandbox.js -> dist/sandbox-solver.js),
 * or, when running from TypeScript sources (tests through tsx), the source entry loaded through tsx.
 */
function workerSpec(): { script: string; eval: boolean } | null {
  const bundled = path.join(__dirname, 'sandbox-solver.js');
  if (existsSync(bundled)) return { script: bundled, eval: false };
  const source = path.join(__dirname, 'solve-worker.ts');
  if (!existsSync(source)) return null;
  try {
    const tsx = require.resolve('tsx/cjs');
    return { script: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, eval: true };
  } catch {
    return null;
  }
}

export class SolveQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private worker: Worker | undefined;
  private idleWaiters: (() => void)[] = [];
  private jobSeq = 0;
  private stopped = false;
  readonly heartbeatMs: number;
  readonly sseLineEnd: '\n' | '\r\n';
  private readonly spec: { script: string; eval: boolean } | null;

  constructor(
    private readonly app: App,
    private readonly options: SolverOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.sseLineEnd = options.sseLineEnd ?? '\n';
    this.spec = options.worker === false ? null : workerSpec();
  }

  get usesWorker(): boolean {
    return this.spec !== null;
  }

  job(key: string): Job | undefined {
    return this.jobs.get(key);
  }

  enqueue(meta: RunMeta, input: SolveInput): void {
    const key = `${meta.tenant_code}/${meta.site_code}/${meta.run_id}`;
    const job: Job = {
      key,
      meta,
      input: { ...input, timeLimitMs: input.timeLimitMs ?? this.options.timeLimitMs ?? 120_000 },
      listeners: new Set(),
      last: { type: 'progress', run_id: meta.run_id, phase: 'queued', percent: 0 },
      done: false,
    };
    this.jobs.set(key, job);
    this.queue.push(job);
    setImmediate(() => this.next());
  }

  /** One long-lived worker (compiled once); unref'd while idle so it never keeps the process up. */
  private ensureWorker(spec: { script: string; eval: boolean }): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(spec.script, { eval: spec.eval });
    worker.on('error', (e) => this.app.log(`sandbox: solver worker error: ${e.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private emit(job: Job, e: S.SolveEvent): void {
    job.last = e;
    for (const l of job.listeners) l(e);
  }

  private next(): void {
    if (this.running || this.stopped) return;
    const job = this.queue.shift();
    if (!job) {
      for (const w of this.idleWaiters.splice(0)) w();
      return;
    }
    this.running = job;
    const progress = (phase: string, percent: number) =>
      this.emit(job, { type: 'progress', run_id: job.meta.run_id, phase, percent });
    if (this.spec) {
      const worker = this.ensureWorker(this.spec);
      const id = ++this.jobSeq;
      let settled = false;
      const onMessage = (m: {
        id: number;
        type: string;
        phase?: string;
        percent?: number;
        result?: SolvedWeek;
        message?: string;
      }) => {
        if (m.id !== id) return;
        if (m.type === 'progress') progress(m.phase!, m.percent!);
        else if (!settled) {
          settled = true;
          cleanup();
          if (m.type === 'result') this.finish(job, m.result!);
          else this.fail(job, m.message ?? 'solver crashed');
        }
      };
      const onGone = (e?: Error) => {
        if (settled) return;
        settled = true;
        cleanup();
        this.worker = undefined;
        if (!this.stopped) this.fail(job, e?.message ?? 'solver worker exited');
      };
      const onExit = () => onGone();
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onGone);
        worker.off('exit', onExit);
        worker.unref();
      };
      worker.on('message', onMessage);
      worker.on('error', onGone);
      worker.on('exit', onExit);
      worker.ref();
      worker.postMessage({ id, input: job.input });
    } else {
      setImmediate(() => {
        if (this.stopped) return;
        try {
          this.finish(job, runSolve(job.input, progress));
        } catch (e) {
          this.fail(job, (e as Error).message);
        }
      });
    }
  }

  private finish(job: Job, solved: SolvedWeek): void {
    try {
      if (!this.stopped) {
        const { store } = this.app;
        const baseline = store.baseline(job.meta.tenant_code, job.meta.site_code)?.data;
        const built = buildRun(job.meta, solved, baseline);
        storeRun(store, built, true);
        store.audit({
          event_type: 'RUN_SOLVED',
          action: 'solve',
          reason: built.record.status,
          tenant_code: job.meta.tenant_code,
          site_code: job.meta.site_code,
          created_at: this.app.now().toISOString(),
          details: {
            run_id: job.meta.run_id,
            status: built.record.status,
            output_hash: built.record.output_hash,
            evidence_hash: built.record.evidence_hash,
          },
        });
        const r = built.record;
        this.emit(
          job,
          r.status === 'ERROR'
            ? {
                type: 'error',
                run_id: r.run_id,
                error_code: r.error_code ?? 'ERR_SOLVE_001',
                message: r.error_message ?? 'Solver error',
              }
            : { type: 'complete', run_id: r.run_id, status: r.status },
        );
      }
    } catch (e) {
      this.app.log(`sandbox: storing solve result failed: ${(e as Error).stack}`);
      this.fail(job, (e as Error).message);
      return;
    }
    this.done(job);
  }

  private fail(job: Job, message: string): void {
    if (!this.stopped) {
      const { store } = this.app;
      const run = store.run(job.meta.tenant_code, job.meta.site_code, job.meta.run_id);
      if (run) {
        store.replaceRun({
          ...run,
          status: 'ERROR',
          error_code: 'ERR_SOLVE_002',
          error_message: `Solver crashed: ${message}`,
        });
      }
      this.emit(job, {
        type: 'error',
        run_id: job.meta.run_id,
        error_code: 'ERR_SOLVE_002',
        message: `Solver crashed: ${message}`,
      });
    }
    this.done(job);
  }

  private done(job: Job): void {
    job.done = true;
    job.listeners.clear();
    this.running = undefined;
    this.next();
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.worker?.terminate();
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

function finalEvent(run: S.RunDetail): S.SolveEvent {
  if (run.status === 'ERROR') {
    return {
      type: 'error',
      run_id: run.run_id,
      error_code: run.error_code ?? 'ERR_SOLVE_001',
      message: run.error_message ?? 'Solver error',
    };
  }
  return { type: 'complete', run_id: run.run_id, status: run.status };
}

function stream(queue: SolveQueue, ctx: Ctx): Reply {
  const { store } = ctx.app;
  const run = store.run(ctx.tenant, ctx.site, ctx.params.run_id);
  if (!run) throw notFound(`Run '${ctx.params.run_id}' not found for site ${ctx.site}`);
  const { res, req } = ctx;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  const nl = queue.sseLineEnd;
  const write = (e: S.SolveEvent) => res.write(`event: ${e.type}${nl}data: ${JSON.stringify(e)}${nl}${nl}`);
  const job = queue.job(`${ctx.tenant}/${ctx.site}/${run.run_id}`);
  if (!job || job.done || run.status !== 'PENDING') {
    const fresh = store.run(ctx.tenant, ctx.site, run.run_id)!;
    write(
      fresh.status === 'PENDING'
        ? {
            type: 'error',
            run_id: run.run_id,
            error_code: 'ERR_SOLVE_001',
            message: 'Solve is no longer running',
          }
        : finalEvent(fresh),
    );
    res.end();
    return { status: 200, streamed: true };
  }
  write(job.last);
  const heartbeat = setInterval(() => write({ type: 'heartbeat', run_id: run.run_id }), queue.heartbeatMs);
  const cleanup = () => {
    clearInterval(heartbeat);
    job.listeners.delete(listener);
    ctx.app.streams.delete(res);
  };
  const listener = (e: S.SolveEvent) => {
    write(e);
    if (e.type === 'complete' || e.type === 'error') {
      cleanup();
      res.end();
    }
  };
  job.listeners.add(listener);
  ctx.app.streams.add(res);
  req.on('close', cleanup);
  return { status: 200, streamed: true };
}

export function solverRoutes(queue: SolveQueue): RouteDef<Ctx>[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/runs',
      scope: 'site',
      roles: WRITERS,
      handler: (ctx) => {
        const body = validate(S.CreateRunRequest, ctx.body);
        if (!mondayOfIsoWeek(body.week))
          throw validationError([{ field: 'week', message: 'not an ISO week' }]);
        const parsed = parseForecast(body.forecast);
        if (parsed.verdict === 'FAIL') {
          const bad = parsed.lines.filter((l) => l.verdict === 'FAIL');
          throw new ApiError(
            422,
            'validation_error',
            `forecast: ${bad.length} line(s) FAIL (${bad
              .slice(0, 5)
              .map((l) => `line ${l.line}: ${l.issues.map((i) => i.code).join(', ')}`)
              .join('; ')})`,
            {
              fields: [{ field: 'forecast', message: 'lines with FAIL codes' }],
              lines: bad.map((l) => ({ line: l.line, codes: l.issues.map((i) => i.code) })),
            },
          );
        }
        if (parsed.tourCount === 0) {
          throw validationError([{ field: 'forecast', message: 'contains no tour lines' }]);
        }
        const seed = body.seed ?? 94;
        if (!Number.isInteger(seed) || seed < 0)
          throw validationError([{ field: 'seed', message: 'must be an integer >= 0' }]);
        const { store } = ctx.app;
        const now = ctx.app.now();
        const runId = store.nextRunId(dateStamp(now));
        const meta: RunMeta = {
          run_id: runId,
          tenant_code: ctx.tenant,
          site_code: ctx.site,
          week_id: body.week,
          timestamp: now.toISOString(),
          notes: body.notes ?? null,
        };
        store.insertRun({
          ...meta,
          notes: meta.notes ?? null,
          status: 'PENDING',
          headcount: null,
          coverage_percent: null,
          audit_pass_count: 0,
          audit_total: 7,
          evidence_path: null,
          kpi_drift_status: null,
          published: false,
          published_at: null,
          published_by: null,
          locked: false,
          locked_at: null,
          locked_by: null,
          error_code: null,
          error_message: null,
          audit_results: [],
          kpis: {},
          input_hash: `sha256:${parsed.inputHash}`,
          output_hash: null,
          evidence_hash: null,
          artifact_uri: null,
          seed,
        });
        const p = ctx.principal!;
        store.audit({
          event_type: 'RUN_CREATED',
          user_email: p.email,
          role_name: p.role_name,
          action: 'create_run',
          reason: body.notes ?? null,
          tenant_code: ctx.tenant,
          site_code: ctx.site,
          created_at: now.toISOString(),
          request_id: ctx.requestId,
          details: {
            run_id: runId,
            week: body.week,
            seed,
            tours: parsed.tourCount,
            input_hash: parsed.inputHash,
          },
        });
        queue.enqueue(meta, { forecast: body.forecast, week: body.week, seed });
        return json(202, {
          run_id: runId,
          status: 'PENDING',
          stream_url: `/api/v1/runs/${runId}/stream`,
        } satisfies S.CreateRunResponse);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/runs/:run_id',
      scope: 'site',
      handler: (ctx) => {
        const run = ctx.app.store.run(ctx.tenant, ctx.site, ctx.params.run_id);
        if (!run) throw notFound(`Run '${ctx.params.run_id}' not found for site ${ctx.site}`);
        return json(200, detailOf(run));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/runs/:run_id/stream',
      scope: 'site',
      handler: (ctx) => stream(queue, ctx),
    },
  ];
}

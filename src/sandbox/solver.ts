// The queue behind `POST /api/v1/runs` (routes/solve.ts): one solve at a time on the 2-core target,
// each in a worker thread when the bundled worker exists (dist/sandbox-solver.js), else in-process
// after the answer has been sent. Listeners receive the progress events the stream route sends.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as S from '../api/schemas';
import type { App } from './routes';
import { buildRun, type RunMeta, type SolvedWeek, storeRun } from './runs';
import { runSolve, type SolveInput } from './solve-core';

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
  private readonly spec: { script: string; eval: boolean } | null;

  constructor(
    private readonly app: App,
    private readonly options: SolverOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 2000;
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

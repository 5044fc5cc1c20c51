// The queue behind `POST /api/v1/runs` (routes/solve.ts). Solves are bounded so one tenant cannot
// take the server: at most one running solve per site, at most `maxConcurrent` at once (each in its
// own worker thread with a memory limit), a bounded queue per tenant (the route answers 429 when it
// is full), and the next job is taken from the tenant with the fewest running solves, so a slow solve
// of one tenant never starves another's. Without the bundled worker, solves run in-process one at a
// time after the answer has been sent. Listeners receive the progress events the stream route sends.
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
  /** Line ending that frames Server-Sent Events (default LF; live's Python servers send CRLF). */
  sseLineEnd?: '\n' | '\r\n';
  /** Tours one request may ask for (default 20,000); more is refused with 422. */
  maxToursPerRequest?: number;
  /** Solves waiting per tenant (default 4); one more is refused with 429 and Retry-After. */
  maxQueuedPerTenant?: number;
  /** Solves running at once across all sites (default 2, the target's cores). */
  maxConcurrent?: number;
  /** Heap limit of each solver worker in MB (default 512). */
  workerMemoryMb?: number;
  /** Queue solves without starting them until `release()` (tests and demos of a full queue). */
  hold?: boolean;
  /** Site setting: minimum changeover between a driver's tours, per `tenant/site` (default 30). */
  minPauseMinutes?: Record<string, number>;
}

export const DEFAULT_MAX_TOURS_PER_REQUEST = 20_000;
export const DEFAULT_MAX_QUEUED_PER_TENANT = 4;

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

/** A worker that died: name the memory limit when that is what ended it. */
function workerGoneMessage(e?: Error): string {
  if ((e as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return 'the solve ran out of its memory limit; split the forecast into smaller requests';
  return e?.message ?? 'solver worker exited';
}

export class SolveQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private readonly running = new Set<Job>();
  /** Idle workers ready for the next job (each compiled once, unref'd while idle). */
  private readonly idleWorkers: Worker[] = [];
  private readonly busyWorkers = new Set<Worker>();
  private idleWaiters: (() => void)[] = [];
  private jobSeq = 0;
  private stopped = false;
  private held: boolean;
  /** Run ids in the order their solves started. */
  readonly startOrder: string[] = [];
  readonly heartbeatMs: number;
  readonly sseLineEnd: '\n' | '\r\n';
  readonly maxToursPerRequest: number;
  readonly maxQueuedPerTenant: number;
  private readonly maxConcurrent: number;
  private readonly spec: { script: string; eval: boolean } | null;

  constructor(
    private readonly app: App,
    private readonly options: SolverOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.sseLineEnd = options.sseLineEnd ?? '\n';
    this.held = options.hold === true;
    this.maxToursPerRequest = options.maxToursPerRequest ?? DEFAULT_MAX_TOURS_PER_REQUEST;
    this.maxQueuedPerTenant = options.maxQueuedPerTenant ?? DEFAULT_MAX_QUEUED_PER_TENANT;
    this.spec = options.worker === false ? null : workerSpec();
    // In-process solves block the event loop: one at a time.
    this.maxConcurrent = this.spec ? Math.max(1, options.maxConcurrent ?? 2) : 1;
  }

  get usesWorker(): boolean {
    return this.spec !== null;
  }

  job(key: string): Job | undefined {
    return this.jobs.get(key);
  }

  /** The site's minimum pause setting (minutes). */
  minPauseMinutes(tenant: string, site: string): number {
    return this.options.minPauseMinutes?.[`${tenant}/${site}`] ?? 30;
  }

  /** Solves of a tenant waiting to start. */
  queuedFor(tenant: string): number {
    return this.queue.filter((j) => j.meta.tenant_code === tenant).length;
  }

  /** Seconds a refused client should wait: about one solve per queued job ahead of it. */
  retryAfterSeconds(tenant: string): number {
    return Math.max(1, Math.ceil((this.queuedFor(tenant) + 1) * 2));
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

  private newWorker(spec: { script: string; eval: boolean }): Worker {
    const mb = this.options.workerMemoryMb ?? 512;
    const worker = new Worker(spec.script, {
      eval: spec.eval,
      resourceLimits: { maxOldGenerationSizeMb: mb, maxYoungGenerationSizeMb: Math.min(64, mb / 4) },
    });
    worker.on('error', (e) => this.app.log(`sandbox: solver worker error: ${e.message}`));
    worker.on('exit', () => {
      this.busyWorkers.delete(worker);
      const i = this.idleWorkers.indexOf(worker);
      if (i >= 0) this.idleWorkers.splice(i, 1);
    });
    worker.unref();
    return worker;
  }

  private emit(job: Job, e: S.SolveEvent): void {
    job.last = e;
    for (const l of job.listeners) l(e);
  }

  /** Start sequence number of each tenant's latest solve (round-robin between tenants). */
  private readonly lastStartOf = new Map<string, number>();

  /**
   * The next job to start: none while `maxConcurrent` run; never a second one of a running site;
   * among the rest, the tenant with the fewest running solves, then the one served longest ago,
   * then arrival order.
   */
  private pick(): Job | undefined {
    if (this.running.size >= this.maxConcurrent) return undefined;
    const site = (j: Job) => `${j.meta.tenant_code}/${j.meta.site_code}`;
    const busySites = new Set([...this.running].map(site));
    const load = new Map<string, number>();
    for (const j of this.running) load.set(j.meta.tenant_code, (load.get(j.meta.tenant_code) ?? 0) + 1);
    let best: Job | undefined;
    let bestKey: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (const j of this.queue) {
      if (busySites.has(site(j))) continue;
      const key: [number, number] = [
        load.get(j.meta.tenant_code) ?? 0,
        this.lastStartOf.get(j.meta.tenant_code) ?? -1,
      ];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = j;
        bestKey = key;
      }
    }
    if (best) this.queue.splice(this.queue.indexOf(best), 1);
    return best;
  }

  /** Starts held solves (see `hold`). */
  release(): void {
    this.held = false;
    setImmediate(() => this.next());
  }

  private next(): void {
    if (this.stopped || this.held) return;
    for (let job = this.pick(); job; job = this.pick()) this.start(job);
    if (this.running.size === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private start(job: Job): void {
    this.running.add(job);
    this.startOrder.push(job.meta.run_id);
    this.lastStartOf.set(job.meta.tenant_code, this.startOrder.length);
    const progress = (phase: string, percent: number) =>
      this.emit(job, { type: 'progress', run_id: job.meta.run_id, phase, percent });
    if (this.spec) {
      const worker = this.idleWorkers.pop() ?? this.newWorker(this.spec);
      this.busyWorkers.add(worker);
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
          this.busyWorkers.delete(worker);
          this.idleWorkers.push(worker);
          if (m.type === 'result') this.finish(job, m.result!);
          else this.fail(job, m.message ?? 'solver crashed');
        }
      };
      const onGone = (e?: Error) => {
        if (settled) return;
        settled = true;
        cleanup();
        this.busyWorkers.delete(worker);
        void worker.terminate();
        if (!this.stopped) this.fail(job, workerGoneMessage(e));
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
    this.running.delete(job);
    this.next();
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    const all = [...this.idleWorkers.splice(0), ...this.busyWorkers];
    this.busyWorkers.clear();
    await Promise.all(all.map((w) => w.terminate()));
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

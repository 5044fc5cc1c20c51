// Runs SP-002's roster analysis in a worker thread from its own bundle, so neither the roster engine
// nor a long solve sits in (or blocks) the extension host. Cancelling terminates the worker.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { analysis } from './index';

type Api = typeof analysis;
/** The analysis functions, made asynchronous (and cancellable) by running elsewhere. */
export type AnalysisApi = {
  [K in keyof Api]: (...args: [...Parameters<Api[K]>, AbortSignal?]) => Promise<ReturnType<Api[K]>>;
};

export function workerAnalysis(bundlePath: string, timeoutMs = 120_000): AnalysisApi {
  const run = (op: string, args: unknown[]): Promise<unknown> => {
    const signal =
      args.length && args[args.length - 1] instanceof AbortSignal ? (args.pop() as AbortSignal) : undefined;
    if (!existsSync(bundlePath)) {
      return Promise.reject(
        new Error(`the roster analysis bundle is missing (${bundlePath}); rebuild the extension`),
      );
    }
    return new Promise((resolve, reject) => {
      const worker = new Worker(bundlePath, { workerData: { op, args } });
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        void worker.terminate();
        fn();
      };
      const onAbort = () =>
        finish(() => reject(Object.assign(new Error('cancelled'), { name: 'AbortError' })));
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${op} did not finish within ${timeoutMs / 1000} s`))),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort);
      worker.once('message', (m: { ok: boolean; value?: unknown; error?: string }) =>
        finish(() => (m.ok ? resolve(m.value) : reject(new Error(m.error)))),
      );
      worker.once('error', (e) => finish(() => reject(e)));
      worker.once('exit', (code) => finish(() => reject(new Error(`analysis worker exited (${code})`))));
    });
  };
  const api = {} as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const op of ['diffForecasts', 'findDuplicates', 'suggestSplit', 'resolveTwice']) {
    api[op] = (...args) => run(op, args);
  }
  return api as unknown as AnalysisApi;
}

/** In-process variant (CLI, unit tests) over an already loaded analysis module. */
export function inProcessAnalysis(mod: Api): AnalysisApi {
  const api = {} as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const [op, fn] of Object.entries(mod)) {
    api[op] = async (...args) => {
      const a = args.length && args[args.length - 1] instanceof AbortSignal ? args.slice(0, -1) : args;
      return (fn as (...x: unknown[]) => unknown)(...a);
    };
  }
  return api as unknown as AnalysisApi;
}
